/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/kmod.h>.
 * Kind: customised. request_module() goes to the emulator's module loader
 * (the "modprobe" of emu/module.c). It returns what the kernel's does: 0
 * when modprobe succeeded, otherwise modprobe's wait status (256 for
 * "exit 1", e.g. module not found), or a negative errno.
 */
#ifndef __LINUX_KMOD_H__
#define __LINUX_KMOD_H__

#include <linux/umh.h>
#include <linux/gfp.h>
#include <linux/stddef.h>
#include <linux/errno.h>
#include <linux/compiler.h>

#define KMOD_PATH_LEN 256

__printf(2, 3) int __request_module(bool wait, const char *name, ...);
#define request_module(mod...) __request_module(true, mod)
#define request_module_nowait(mod...) __request_module(false, mod)

#endif /* __LINUX_KMOD_H__ */
