/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/minmax.h>: type-checked min/max as in the kernel
 * (comparing pointers to the two types makes mismatched types a warning).
 * Kind: duplicates.
 */
#ifndef _LINUX_MINMAX_H
#define _LINUX_MINMAX_H

#define __cmp(x, y, op)	((x) op (y) ? (x) : (y))

#define __cmp_once(x, y, op) ({				\
		typeof(x) __x = (x);			\
		typeof(y) __y = (y);			\
		(void)(&__x == &__y);			\
		__cmp(__x, __y, op); })

#define min(x, y)	__cmp_once(x, y, <)
#define max(x, y)	__cmp_once(x, y, >)
#define min3(x, y, z)	min((typeof(x))min(x, y), z)
#define max3(x, y, z)	max((typeof(x))max(x, y), z)
#define min_t(type, x, y)	__cmp_once((type)(x), (type)(y), <)
#define max_t(type, x, y)	__cmp_once((type)(x), (type)(y), >)
#define clamp(val, lo, hi)	min((typeof(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define swap(a, b) \
	do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif /* _LINUX_MINMAX_H */
