/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/bug.h> (with <asm-generic/bug.h>).
 * Kind: customised. WARN*() log "WARNING: ..." to the kernel log and count
 * it (tests fail on a non-zero count); BUG() logs "kernel BUG at ..." and
 * aborts the emulator, as an oops would end the kernel's task.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/build_bug.h>
#include <linux/printk.h>

__printf(4, 5) __cold void __warn_printk(const char *file, int line,
					  const char *func,
					  const char *fmt, ...);
__noreturn __cold void __bug(const char *file, int line, const char *func);

#define BUG() __bug(__FILE__, __LINE__, __func__)
#define BUG_ON(condition) do { if (unlikely(condition)) BUG(); } while (0)

#define WARN(condition, format...) ({					\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__warn_printk(__FILE__, __LINE__, __func__, format);	\
	unlikely(__ret_warn_on);					\
})

#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__warn_printk(__FILE__, __LINE__, __func__, "%s",	\
			      "WARN_ON(" #condition ")");		\
	unlikely(__ret_warn_on);					\
})

#define WARN_ONCE(condition, format...) ({				\
	static bool __warned;						\
	int __ret_warn_once = !!(condition);				\
	if (unlikely(__ret_warn_once && !__warned)) {			\
		__warned = true;					\
		WARN(1, format);					\
	}								\
	unlikely(__ret_warn_once);					\
})

#define WARN_ON_ONCE(condition) ({					\
	static bool __warned;						\
	int __ret_warn_once = !!(condition);				\
	if (unlikely(__ret_warn_once && !__warned)) {			\
		__warned = true;					\
		WARN_ON(1);						\
	}								\
	unlikely(__ret_warn_once);					\
})

#endif /* _LINUX_BUG_H */
