/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu shim of <linux/container_of.h>. Kind: duplicates. */
#ifndef _LINUX_CONTAINER_OF_H
#define _LINUX_CONTAINER_OF_H

#include <linux/stddef.h>

#define container_of(ptr, type, member) ({				\
	void *__mptr = (void *)(ptr);					\
	((type *)(__mptr - offsetof(type, member))); })

#endif /* _LINUX_CONTAINER_OF_H */
