/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/compiler.h>.
 * Kind: duplicates.
 */
#ifndef __LINUX_COMPILER_H
#define __LINUX_COMPILER_H

#include <linux/compiler_types.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define barrier()	__asm__ __volatile__("" : : : "memory")

#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)					\
	do {							\
		*(volatile typeof(x) *)&(x) = (val);		\
	} while (0)

#endif /* __LINUX_COMPILER_H */
