/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/vmalloc.h>: vmalloc(), vzalloc(), vfree().
 * Kind: customised. The emulator has one allocator: these are kvmalloc()
 * and kvfree() of <linux/slab.h> (so fault injection and ASan see them).
 */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/slab.h>

static inline void *vmalloc(unsigned long size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static inline void *vzalloc(unsigned long size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static inline void vfree(const void *addr)
{
	kvfree(addr);
}

#endif /* _LINUX_VMALLOC_H */
