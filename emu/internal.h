/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu runtime: declarations shared between the runtime's files. */
#ifndef UMD_EMU_INTERNAL_H
#define UMD_EMU_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* printk.c */
void umd_emu_log_line(int level, const char *text);
void umd_emu_count_warning(void);
void umd_emu_count_sanitizer_report(void);

/* mutex.c: warn about mutexes held inside [lo, hi) */
int umd_emu_mutex_check_range(uintptr_t lo, uintptr_t hi,
			      const char *modname);

/* module.c: the module whose init/exit runs on this thread, or NULL */
struct module *umd_emu_module_current(void);
const char *umd_emu_module_name(const struct module *mod);
bool umd_emu_module_contains(const struct module *mod, const void *addr);

/* securityfs.c: entries a module created and did not remove */
int umd_emu_securityfs_check_owner(struct module *mod);

/* pid.c */
struct pid *umd_emu_pid_create(pid_t nr, int pidfd, const char *name,
			       int stderr_fd);

#endif /* UMD_EMU_INTERNAL_H */
