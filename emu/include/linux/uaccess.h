/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/uaccess.h>.
 * Kind: customised. User memory is what the front end serving the request
 * mapped for the current thread (the FUSE server maps the writer's bytes
 * for ->write and the reader's buffer for ->read). An access outside it
 * faults: copy_*_user() return the bytes NOT copied, get_user()/put_user()
 * return -EFAULT, as the kernel's do.
 */
#ifndef __LINUX_UACCESS_H__
#define __LINUX_UACCESS_H__

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/errno.h>

bool access_ok(const void __user *addr, unsigned long size);
unsigned long __must_check copy_from_user(void *to, const void __user *from,
					  unsigned long n);
unsigned long __must_check copy_to_user(void __user *to, const void *from,
					unsigned long n);
unsigned long __must_check clear_user(void __user *to, unsigned long n);
long strncpy_from_user(char *dst, const char __user *src, long count);

#define get_user(x, ptr)						\
({									\
	typeof(*(ptr)) __gu_val;					\
	int __gu_err = copy_from_user(&__gu_val, (ptr),			\
				      sizeof(*(ptr))) ? -EFAULT : 0;	\
	(x) = __gu_err ? (typeof(*(ptr)))0 : __gu_val;			\
	__gu_err;							\
})

#define put_user(x, ptr)						\
({									\
	typeof(*(ptr)) __pu_val = (x);					\
	copy_to_user((ptr), &__pu_val, sizeof(*(ptr))) ? -EFAULT : 0;	\
})

#define __get_user(x, ptr) get_user(x, ptr)
#define __put_user(x, ptr) put_user(x, ptr)

#endif /* __LINUX_UACCESS_H__ */
