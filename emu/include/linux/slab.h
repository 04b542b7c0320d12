/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/slab.h> (and the kvmalloc family of <linux/mm.h>).
 * Kind: customised. Backed by the C allocator (so ASan sees every object);
 * kmalloc(0) returns ZERO_SIZE_PTR as the kernel's does; allocations can be
 * made to fail by fault injection.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/overflow.h>

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MAX_SIZE (1UL << 22)

void *__must_check kmalloc(size_t size, gfp_t flags);
void *__must_check krealloc(const void *objp, size_t new_size, gfp_t flags);
void kfree(const void *objp);
void kfree_sensitive(const void *objp);
void *__must_check kvmalloc(size_t size, gfp_t flags);
void kvfree(const void *addr);
void kvfree_sensitive(const void *addr, size_t len);

static inline void *__must_check kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static inline void *__must_check kmalloc_array(size_t n, size_t size,
					       gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc(bytes, flags);
}

static inline void *__must_check kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

static inline void *__must_check kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

static inline void *__must_check kvmalloc_array(size_t n, size_t size,
						gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return kvmalloc(bytes, flags);
}

static inline void *__must_check kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}

#define kmalloc_node(size, flags, node) kmalloc(size, flags)
#define kzalloc_node(size, flags, node) kzalloc(size, flags)
#define kzfree(p) kfree_sensitive(p)

#endif /* _LINUX_SLAB_H */
