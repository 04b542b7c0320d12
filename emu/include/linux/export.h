/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/export.h>.
 * Kind: customised. EXPORT_SYMBOL() adds a marker symbol __ksymtab_<sym>
 * (and __kgpl_<sym> for GPL-only exports) that the emulator's depmod reads
 * from the module file. A module may use another module's symbol only if
 * it is marked so: the loader refuses anything else as "Unknown symbol",
 * as the kernel does. The runtime (emu/) marks the kernel functions it
 * provides the same way, with the kernel's kind (EXPORT_SYMBOL_GPL where
 * the kernel has it): the emulated kdir's modpost reads those marks as
 * vmlinux's exports, and the loader refuses a GPL-only one to a module
 * that is not GPL-compatible. Functions that are inline or macros in the
 * kernel (copy_from_user(), kmalloc()) are plain exports here.
 */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

#include <linux/compiler.h>

#define __UMD_EMU_EXPORT(sym, marker)					\
	extern typeof(sym) sym;						\
	const char marker[] __used					\
		__attribute__((__visibility__("default"))) = #sym

#define EXPORT_SYMBOL(sym)	__UMD_EMU_EXPORT(sym, __ksymtab_##sym)
#define EXPORT_SYMBOL_GPL(sym)						\
	EXPORT_SYMBOL(sym);						\
	const char __kgpl_##sym[] __used				\
		__attribute__((__visibility__("default"))) = #sym
#define EXPORT_SYMBOL_NS(sym, ns)	EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	EXPORT_SYMBOL_GPL(sym)

#endif /* _LINUX_EXPORT_H */
