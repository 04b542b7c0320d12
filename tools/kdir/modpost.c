// SPDX-License-Identifier: GPL-2.0
/*
 * modpost of umd-emu's emulated kernel build directory.
 *
 * What the kernel's scripts/mod/modpost checks after an out-of-tree build,
 * on emulated modules (NAME.ko shared objects, read with the runtime's own
 * depmod reader, emu/modscan.c), with its messages:
 *
 *   ERROR: modpost: missing MODULE_LICENSE() in DIR/NAME.o
 *   ERROR: modpost: "SYM" [DIR/NAME.ko] undefined!
 *   ERROR: modpost: GPL-incompatible module NAME.ko uses GPL-only symbol 'SYM'
 *   ERROR: modpost: DIR/NAME: 'SYM' exported twice. Previous export was in DIR/OTHER.ko
 *
 * A symbol is defined if the emulated kernel exports it (the kdir's
 * Module.symvers, written at build time from the EXPORT_SYMBOL*() marks of
 * the runtime, libumdemu), a Module.symvers given with -i
 * (KBUILD_EXTRA_SYMBOLS) does, or one of the modules does. References the
 * compiler makes on its own (sanitizers, coverage, the stack protector)
 * are not the module's: they are skipped, and so are the symbols listed
 * in a --toolchain-symbols file: what a runtime library the compiler
 * links into each module needs (--coverage links libgcov, which calls the
 * C library; the coverage kdir lists them). Writes the modules' exports to
 * the -o file in Module.symvers format (no CRCs: the emulator has no
 * modversions). Exit status 1 if there was an error.
 *
 *   modpost [-i SYMVERS]... [-o SYMVERS] [--toolchain-symbols FILE] MODULE.ko...
 *   modpost --kernel LIBRARY -o SYMVERS
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "modscan.h"

struct export {
	char *module;		/* where it is defined: vmlinux, or a path */
	bool gpl;
};

static GHashTable *exports;	/* symbol -> struct export */
static GHashTable *toolchain_extra;	/* --toolchain-symbols: skipped */
static int errors;

static void export_free(gpointer data)
{
	struct export *e = data;

	g_free(e->module);
	g_free(e);
}

static __attribute__((format(printf, 1, 2))) void error(const char *fmt, ...)
{
	va_list ap;

	fputs("ERROR: modpost: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	errors++;
}

/* Added, or false if already exported (by *previous). */
static bool add_export(const char *sym, const char *module, bool gpl,
		       const struct export **previous)
{
	struct export *e = g_hash_table_lookup(exports, sym);

	if (e) {
		*previous = e;
		return false;
	}
	e = g_new0(struct export, 1);
	e->module = g_strdup(module);
	e->gpl = gpl;
	g_hash_table_insert(exports, g_strdup(sym), e);
	return true;
}

/*
 * Module.symvers: "CRC<TAB>SYMBOL<TAB>MODULE<TAB>KIND<TAB>NAMESPACE" per
 * line. A file that does not exist is skipped, as modpost does.
 */
static int read_symvers(const char *path)
{
	char *text, **lines, **f;
	const struct export *prev;
	GError *err = NULL;
	int i, bad = 0;

	if (!g_file_get_contents(path, &text, NULL, &err)) {
		bool missing = g_error_matches(err, G_FILE_ERROR,
					       G_FILE_ERROR_NOENT);

		if (!missing)
			error("cannot read %s: %s\n", path, err->message);
		g_error_free(err);
		return missing ? 0 : -1;
	}
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	for (i = 0; lines[i]; i++) {
		if (!*lines[i])
			continue;
		f = g_strsplit(lines[i], "\t", 5);
		if (g_strv_length(f) < 4) {
			bad++;
		} else {
			bool gpl = !strcmp(f[3], "EXPORT_SYMBOL_GPL");

			add_export(f[1], f[2], gpl, &prev);
		}
		g_strfreev(f);
	}
	g_strfreev(lines);
	if (bad)
		error("parse error in symbol dump file %s\n", path);
	return bad ? -1 : 0;
}

/* The licenses the kernel takes as GPL-compatible (license_is_gpl_compatible). */
static bool gpl_compatible(const char *license)
{
	static const char *const ok[] = {
		"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
		"Dual MIT/GPL", "Dual MPL/GPL",
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(ok); i++)
		if (!strcmp(license, ok[i]))
			return true;
	return false;
}

/*
 * --toolchain-symbols FILE: one symbol a line (blank lines and "#"
 * comments skipped). 0, or -1 after the error.
 */
static int read_toolchain_symbols(const char *path)
{
	char *text, **lines;
	GError *err = NULL;
	int i;

	if (!g_file_get_contents(path, &text, NULL, &err)) {
		error("cannot read %s: %s\n", path, err->message);
		g_error_free(err);
		return -1;
	}
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	for (i = 0; lines[i]; i++) {
		g_strstrip(lines[i]);
		if (*lines[i] && *lines[i] != '#')
			g_hash_table_add(toolchain_extra, g_strdup(lines[i]));
	}
	g_strfreev(lines);
	return 0;
}

/* References the compiler adds by itself: not the module's to resolve. */
static bool toolchain_symbol(const char *sym)
{
	static const char *const prefixes[] = {
		"__asan_", "__ubsan_", "__sanitizer_", "__tsan_", "__msan_",
		"__lsan_", "__hwasan_", "__gcov_", "__llvm_", "__sancov_",
		"__start___sancov", "__stop___sancov",
	};
	static const char *const names[] = {
		"__stack_chk_fail", "__fentry__", "_GLOBAL_OFFSET_TABLE_",
		"__cxa_finalize", "__gmon_start__", "__tls_get_addr",
	};
	size_t i;

	if (g_hash_table_contains(toolchain_extra, sym))
		return true;
	for (i = 0; i < G_N_ELEMENTS(prefixes); i++)
		if (g_str_has_prefix(sym, prefixes[i]))
			return true;
	for (i = 0; i < G_N_ELEMENTS(names); i++)
		if (!strcmp(sym, names[i]))
			return true;
	return false;
}

struct mod {
	char *name;		/* path without .ko, as modpost names it */
	struct modscan scan;
	bool gpl;
};

/* The modules given (a global: reachable until exit, whatever the path). */
static struct mod *mods;

static int write_symvers(const char *path, struct mod *list, int n)
{
	GString *out = g_string_new(NULL);
	GError *err = NULL;
	size_t i;
	int m;

	for (m = 0; m < n; m++) {
		struct strv *ex = &list[m].scan.exports;

		for (i = 0; i < ex->n; i++) {
			bool gpl = umd_emu_strv_has(&list[m].scan.gpl_exports,
						    ex->v[i]);

			g_string_append_printf(out, "0x00000000\t%s\t%s\t%s\t\n",
					       ex->v[i], list[m].name,
					       gpl ? "EXPORT_SYMBOL_GPL" :
						     "EXPORT_SYMBOL");
		}
	}
	if (!g_file_set_contents(path, out->str, out->len, &err)) {
		error("cannot write %s: %s\n", path, err->message);
		g_error_free(err);
	}
	g_string_free(out, TRUE);
	return 0;
}

/* --kernel: the runtime's exports as vmlinux's Module.symvers. */
static int dump_kernel(const char *library, const char *out)
{
	struct mod k = { .name = "vmlinux" };
	int err = umd_emu_modscan_read(library, &k.scan);

	if (err) {
		fprintf(stderr, "modpost: cannot read %s: %s\n", library,
			g_strerror(-err));
		return 1;
	}
	write_symvers(out, &k, 1);
	umd_emu_modscan_free(&k.scan);
	return errors ? 1 : 0;
}

static void check_module(struct mod *m)
{
	const struct export *e;
	size_t i;

	for (i = 0; i < m->scan.undefined.n; i++) {
		const char *sym = m->scan.undefined.v[i];

		if (toolchain_symbol(sym))
			continue;
		e = g_hash_table_lookup(exports, sym);
		if (!e)
			error("\"%s\" [%s.ko] undefined!\n", sym, m->name);
		else if (e->gpl && !m->gpl)
			error("GPL-incompatible module %s.ko uses GPL-only symbol '%s'\n",
			      strrchr(m->name, '/') ? strrchr(m->name, '/') + 1 :
						      m->name, sym);
	}
}

static void usage(FILE *to)
{
	fputs("Usage: modpost [-i SYMVERS]... [-o SYMVERS] [--toolchain-symbols FILE]\n"
	      "               MODULE.ko...\n"
	      "       modpost --kernel LIBRARY -o SYMVERS\n"
	      "Check emulated modules as the kernel's modpost does (undefined and\n"
	      "GPL-only symbols, MODULE_LICENSE()) against the exports read from\n"
	      "each -i file and of the modules themselves; write the modules'\n"
	      "exports to -o. --kernel writes the exports of the emulated\n"
	      "kernel (its runtime library) instead. Symbols listed in a\n"
	      "--toolchain-symbols file (one a line: what a library the compiler\n"
	      "links into each module uses, e.g. libgcov's) are not reported.\n",
	      to);
}

int main(int argc, char **argv)
{
	const char *out = NULL, *kernel = NULL;
	int i, n = 0, err;

	exports = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					export_free);
	toolchain_extra = g_hash_table_new_full(g_str_hash, g_str_equal,
						g_free, NULL);
	mods = g_new0(struct mod, argc);
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(arg, "-i") || !strcmp(arg, "-o") ||
			   !strcmp(arg, "--kernel") ||
			   !strcmp(arg, "--toolchain-symbols")) {
			if (i + 1 == argc) {
				fprintf(stderr, "modpost: %s needs an argument\n",
					arg);
				return 2;
			}
			if (!strcmp(arg, "-i"))
				read_symvers(argv[++i]);
			else if (!strcmp(arg, "-o"))
				out = argv[++i];
			else if (!strcmp(arg, "--toolchain-symbols"))
				read_toolchain_symbols(argv[++i]);
			else
				kernel = argv[++i];
		} else if (arg[0] == '-') {
			fprintf(stderr, "modpost: unknown option '%s'\n", arg);
			usage(stderr);
			return 2;
		} else {
			struct mod *m = &mods[n];

			if (!g_str_has_suffix(arg, ".ko")) {
				fprintf(stderr, "modpost: not a module file: %s\n",
					arg);
				return 2;
			}
			m->name = g_strndup(arg, strlen(arg) - 3);
			err = umd_emu_modscan_read(arg, &m->scan);
			if (err) {
				error("%s: %s\n", arg, err == -ENOEXEC ?
				      "not an emulated module (built for a real kernel? make clean)" :
				      g_strerror(-err));
				g_free(m->name);
				continue;
			}
			n++;
		}
	}
	if (kernel) {
		int ret = out ? dump_kernel(kernel, out) : (usage(stderr), 2);

		g_free(mods);
		g_hash_table_destroy(exports);
		g_hash_table_destroy(toolchain_extra);
		return ret;
	}

	for (i = 0; i < n; i++) {
		struct mod *m = &mods[i];
		const struct export *prev;
		size_t s;

		if (!m->scan.license)
			error("missing MODULE_LICENSE() in %s.o\n", m->name);
		/*
		 * As modpost since 5.19 (mod->is_gpl_compatible starts true):
		 * only a license that is there and not GPL-compatible makes
		 * GPL-only symbols an error; a missing one is its own error.
		 */
		m->gpl = !m->scan.license || gpl_compatible(m->scan.license);
		for (s = 0; s < m->scan.exports.n; s++) {
			const char *sym = m->scan.exports.v[s];

			if (!add_export(sym, m->name,
					umd_emu_strv_has(&m->scan.gpl_exports,
							 sym), &prev))
				error("%s: '%s' exported twice. Previous export was in %s%s\n",
				      m->name, sym, prev->module,
				      strcmp(prev->module, "vmlinux") ? ".ko" :
									"");
		}
	}
	for (i = 0; i < n; i++)
		check_module(&mods[i]);
	if (out)
		write_symvers(out, mods, n);
	for (i = 0; i < n; i++) {
		umd_emu_modscan_free(&mods[i].scan);
		g_free(mods[i].name);
	}
	g_free(mods);
	g_hash_table_destroy(exports);
	g_hash_table_destroy(toolchain_extra);
	return errors ? 1 : 0;
}
