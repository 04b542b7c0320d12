/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu runtime: what depmod reads from a module file (modscan.c).
 * Private to the runtime.
 */
#ifndef UMD_EMU_MODSCAN_H
#define UMD_EMU_MODSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* A growable list of strings. */
struct strv {
	char **v;
	size_t n, cap;
};

bool umd_emu_strv_has(const struct strv *sv, const char *s);

struct modscan {
	struct strv undefined;		/* symbols it needs (not weak) */
	struct strv exports;		/* EXPORT_SYMBOL() */
	struct strv gpl_exports;	/* EXPORT_SYMBOL_GPL() */
	char *license;			/* MODULE_LICENSE(), or NULL */
	char *description;		/* MODULE_DESCRIPTION(), or NULL */
};

/*
 * Read a module file (an ELF64 shared object): its dynamic symbols and
 * its .modinfo. Every offset and length is checked against the file.
 * 0, -errno of open/mmap, -ENOEXEC for a file that is no module, or
 * -ENOMEM. On error *scan is empty.
 */
int umd_emu_modscan_read(const char *path, struct modscan *scan);
void umd_emu_modscan_free(struct modscan *scan);

#endif /* UMD_EMU_MODSCAN_H */
