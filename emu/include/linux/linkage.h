/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/linkage.h>.
 * Kind: duplicates. As in the kernel, it brings <linux/export.h>, which is
 * how <linux/kernel.h> (and so <linux/fs.h>, <linux/kmod.h>, ...) give
 * EXPORT_SYMBOL*() to a file that does not include <linux/module.h>.
 */
#ifndef _LINUX_LINKAGE_H
#define _LINUX_LINKAGE_H

#include <linux/compiler_types.h>
#include <linux/stringify.h>
#include <linux/export.h>

#define asmlinkage

#endif /* _LINUX_LINKAGE_H */
