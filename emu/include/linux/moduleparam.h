/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/moduleparam.h>.
 * Kind: stubs: parameters keep their compiled-in default (no way to set them
 * at load time yet); the macros check types as the kernel's do.
 */
#ifndef _LINUX_MODULE_PARAMS_H
#define _LINUX_MODULE_PARAMS_H

#include <linux/compiler.h>

#define module_param(name, type, perm)					\
	static inline void __maybe_unused __PASTE(__param_check_, name)(void)\
	{ (void)&(name); }
#define module_param_named(name, value, type, perm)			\
	module_param(value, type, perm)
#define MODULE_PARM_DESC(_parm, desc)

#endif /* _LINUX_MODULE_PARAMS_H */
