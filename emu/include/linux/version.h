/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/version.h> (in a kernel tree, generated as
 * include/generated/uapi/linux/version.h). Kind: duplicates. The kernel
 * the shim imitates: 6.1, the long-term kernel of Debian 12 and the one the
 * UMD management series was written against. Where 6.1 and 6.12 (the other
 * packaged kernel with the UMD API) differ in what core/ uses, the shim
 * has 6.1's API, and docs/REALKERNEL.md lists the differences; code that
 * must build on both tests LINUX_VERSION_CODE, as out-of-tree modules do.
 */
#ifndef _UMD_EMU_LINUX_VERSION_H
#define _UMD_EMU_LINUX_VERSION_H

#define LINUX_VERSION_MAJOR 6
#define LINUX_VERSION_PATCHLEVEL 1
#define LINUX_VERSION_SUBLEVEL 0
#define KERNEL_VERSION(a, b, c) \
	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#define LINUX_VERSION_CODE \
	KERNEL_VERSION(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL, \
		       LINUX_VERSION_SUBLEVEL)

#endif /* _UMD_EMU_LINUX_VERSION_H */
