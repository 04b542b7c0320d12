// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: depmod's reading of a module file.
 *
 * A module is an ELF64 shared object (NAME.ko). What the loader needs of
 * it before dlopen(): its undefined dynamic symbols (resolved against the
 * kernel and the exports of other modules), its exports (the
 * __ksymtab_NAME and __kgpl_NAME markers EXPORT_SYMBOL*() leaves) and its
 * .modinfo strings (license, description). The file is untrusted input:
 * every offset, length and string is checked against the mapping.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modscan.h"

static int strv_add(struct strv *sv, const char *s)
{
	char **nv;

	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 16;
		nv = realloc(sv->v, sv->cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		sv->v = nv;
	}
	sv->v[sv->n] = strdup(s);
	if (!sv->v[sv->n])
		return -ENOMEM;
	sv->n++;
	return 0;
}

bool umd_emu_strv_has(const struct strv *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

static void strv_free(struct strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

void umd_emu_modscan_free(struct modscan *scan)
{
	strv_free(&scan->undefined);
	strv_free(&scan->exports);
	strv_free(&scan->gpl_exports);
	free(scan->license);
	free(scan->description);
	memset(scan, 0, sizeof(*scan));
}

/* A mapped module file and its checked section headers. */
struct elf_file {
	const char *map;
	size_t size;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	const char *shstr;		/* section names */
};

static bool range_ok(const struct elf_file *ef, uint64_t off, uint64_t len)
{
	return off <= ef->size && len <= ef->size - off;
}

/* The ELF header and every section header lie inside the file. */
static bool elf_check(struct elf_file *ef)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)ef->map;
	const Elf64_Shdr *names;
	size_t i;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_DYN ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !range_ok(ef, eh->e_shoff,
		      (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return false;
	ef->eh = eh;
	ef->sh = (const Elf64_Shdr *)(ef->map + eh->e_shoff);
	names = &ef->sh[eh->e_shstrndx];
	if (!range_ok(ef, names->sh_offset, names->sh_size))
		return false;
	ef->shstr = ef->map + names->sh_offset;
	for (i = 0; i < eh->e_shnum; i++) {
		if (!range_ok(ef, ef->sh[i].sh_offset, ef->sh[i].sh_size) &&
		    ef->sh[i].sh_type != SHT_NOBITS)
			return false;
		if (ef->sh[i].sh_name >= names->sh_size ||
		    !memchr(ef->shstr + ef->sh[i].sh_name, '\0',
			    names->sh_size - ef->sh[i].sh_name))
			return false;
	}
	return true;
}

/* "key=value" strings of .modinfo: the first license and description. */
static int read_modinfo(const struct elf_file *ef, const Elf64_Shdr *sec,
			struct modscan *scan)
{
	const char *p = ef->map + sec->sh_offset;
	const char *end = p + sec->sh_size;

	for (; p < end; p += strnlen(p, end - p) + 1) {
		if (!memchr(p, '\0', end - p))
			break;
		if (!strncmp(p, "license=", 8) && !scan->license) {
			scan->license = strndup(p + 8, end - p - 8);
			if (!scan->license)
				return -ENOMEM;
		}
		if (!strncmp(p, "description=", 12) && !scan->description) {
			scan->description = strndup(p + 12, end - p - 12);
			if (!scan->description)
				return -ENOMEM;
		}
	}
	return 0;
}

/* Undefined (not weak) symbols and the export markers. */
static int read_dynsym(const struct elf_file *ef, const Elf64_Shdr *dynsym,
		       const Elf64_Shdr *dynstr, struct modscan *scan)
{
	const Elf64_Sym *sym;
	const char *name;
	size_t i, nsyms;
	int err;

	if (dynsym->sh_entsize != sizeof(Elf64_Sym))
		return -ENOEXEC;
	nsyms = dynsym->sh_size / sizeof(Elf64_Sym);
	sym = (const Elf64_Sym *)(ef->map + dynsym->sh_offset);
	for (i = 1; i < nsyms; i++) {
		if (sym[i].st_name >= dynstr->sh_size)
			return -ENOEXEC;
		name = ef->map + dynstr->sh_offset + sym[i].st_name;
		if (!memchr(name, '\0', dynstr->sh_size - sym[i].st_name))
			return -ENOEXEC;
		if (!*name)
			continue;
		if (sym[i].st_shndx == SHN_UNDEF) {
			if (ELF64_ST_BIND(sym[i].st_info) == STB_WEAK)
				continue;
			err = strv_add(&scan->undefined, name);
		} else if (!strncmp(name, "__ksymtab_", 10)) {
			err = strv_add(&scan->exports, name + 10);
		} else if (!strncmp(name, "__kgpl_", 7)) {
			err = strv_add(&scan->gpl_exports, name + 7);
		} else {
			continue;
		}
		if (err)
			return err;
	}
	return 0;
}

static int scan_sections(const struct elf_file *ef, struct modscan *scan)
{
	const Elf64_Shdr *sh = ef->sh, *dynsym = NULL, *dynstr = NULL;
	size_t i;
	int err;

	for (i = 0; i < ef->eh->e_shnum; i++) {
		if (sh[i].sh_type == SHT_DYNSYM &&
		    sh[i].sh_link < ef->eh->e_shnum) {
			dynsym = &sh[i];
			dynstr = &sh[sh[i].sh_link];
		}
		if (!strcmp(ef->shstr + sh[i].sh_name, ".modinfo") &&
		    sh[i].sh_type != SHT_NOBITS) {
			err = read_modinfo(ef, &sh[i], scan);
			if (err)
				return err;
		}
	}
	if (!dynsym || !dynstr)
		return -ENOEXEC;
	return read_dynsym(ef, dynsym, dynstr, scan);
}

int umd_emu_modscan_read(const char *path, struct modscan *scan)
{
	struct elf_file ef = { 0 };
	struct stat st;
	void *map;
	int fd, err;

	memset(scan, 0, sizeof(*scan));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		return -ENOEXEC;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -errno;
	ef.map = map;
	ef.size = st.st_size;
	err = elf_check(&ef) ? scan_sections(&ef, scan) : -ENOEXEC;
	munmap(map, st.st_size);
	if (err)
		umd_emu_modscan_free(scan);
	return err;
}
