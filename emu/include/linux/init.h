/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/init.h>.
 * Kind: stubs for the section annotations (a module's init code is not
 * discarded after init in the emulator); module_init()/module_exit() are
 * in <linux/module.h>, as for a module build of the kernel.
 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

#define __init		__cold
#define __exit		__cold __maybe_unused
#define __initdata
#define __initconst
#define __exitdata
#define __ro_after_init
#define __init_or_module
#define __refdata
#define __ref

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

#endif /* _LINUX_INIT_H */
