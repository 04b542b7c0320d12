// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: kmalloc and friends over the C allocator, so that
 * AddressSanitizer sees every object a module allocates.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "fault.h"

static void *slab_alloc(size_t size, gfp_t flags, size_t limit)
{
	struct umd_emu_fault f;

	if (!size)
		return ZERO_SIZE_PTR;
	/* As failslab, which leaves __GFP_NOFAIL alone. */
	if (!(flags & __GFP_NOFAIL) && umd_emu_should_fail(FAULT_SLAB, size, &f))
		return NULL;
	if (size > limit) {
		if (!(flags & __GFP_NOWARN))
			WARN(1, "allocation of %zu bytes over the limit %zu\n",
			     size, limit);
		return NULL;
	}
	if (flags & __GFP_ZERO)
		return calloc(1, size);
	return malloc(size);
}

void *kmalloc(size_t size, gfp_t flags)
{
	return slab_alloc(size, flags, KMALLOC_MAX_SIZE);
}
EXPORT_SYMBOL(kmalloc);

void *kvmalloc(size_t size, gfp_t flags)
{
	/* The kernel refuses kvmalloc() sizes over INT_MAX with a warning. */
	return slab_alloc(size, flags, INT_MAX);
}
EXPORT_SYMBOL(kvmalloc);

void kfree(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return;
	free((void *)objp);
}
EXPORT_SYMBOL(kfree);

void kvfree(const void *addr)
{
	kfree(addr);
}
EXPORT_SYMBOL(kvfree);

void kfree_sensitive(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return;
	explicit_bzero((void *)objp, malloc_usable_size((void *)objp));
	free((void *)objp);
}
EXPORT_SYMBOL(kfree_sensitive);

void kvfree_sensitive(const void *addr, size_t len)
{
	if (ZERO_OR_NULL_PTR(addr))
		return;
	explicit_bzero((void *)addr, len);
	free((void *)addr);
}
EXPORT_SYMBOL(kvfree_sensitive);

void *krealloc(const void *objp, size_t new_size, gfp_t flags)
{
	size_t old_size;
	void *p;

	if (!new_size) {
		kfree(objp);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(objp))
		return kmalloc(new_size, flags);
	if (new_size > KMALLOC_MAX_SIZE)
		return NULL;
	old_size = malloc_usable_size((void *)objp);
	p = realloc((void *)objp, new_size);
	if (p && (flags & __GFP_ZERO) && new_size > old_size)
		memset((char *)p + old_size, 0, new_size - old_size);
	return p;
}
EXPORT_SYMBOL(krealloc);
