/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu shim of <linux/sockptr.h>. Kind: duplicates. */
#ifndef _LINUX_SOCKPTR_H
#define _LINUX_SOCKPTR_H

#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/string.h>

typedef struct {
	union {
		void *kernel;
		void __user *user;
	};
	bool is_kernel : 1;
} sockptr_t;

static inline bool sockptr_is_kernel(sockptr_t sockptr)
{
	return sockptr.is_kernel;
}

static inline sockptr_t KERNEL_SOCKPTR(void *p)
{
	return (sockptr_t) { .kernel = p, .is_kernel = true };
}

static inline sockptr_t USER_SOCKPTR(void __user *p)
{
	return (sockptr_t) { .user = p };
}

static inline bool sockptr_is_null(sockptr_t sockptr)
{
	if (sockptr_is_kernel(sockptr))
		return !sockptr.kernel;
	return !sockptr.user;
}

static inline int copy_from_sockptr_offset(void *dst, sockptr_t src,
					   size_t offset, size_t size)
{
	if (!sockptr_is_kernel(src))
		return copy_from_user(dst, (char __user *)src.user + offset,
				      size) ? -EFAULT : 0;
	memcpy(dst, (char *)src.kernel + offset, size);
	return 0;
}

static inline int copy_from_sockptr(void *dst, sockptr_t src, size_t size)
{
	return copy_from_sockptr_offset(dst, src, 0, size);
}

static inline int copy_to_sockptr_offset(sockptr_t dst, size_t offset,
					 const void *src, size_t size)
{
	if (!sockptr_is_kernel(dst))
		return copy_to_user((char __user *)dst.user + offset, src,
				    size) ? -EFAULT : 0;
	memcpy((char *)dst.kernel + offset, src, size);
	return 0;
}

#endif /* _LINUX_SOCKPTR_H */
