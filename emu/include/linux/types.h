/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/types.h>.
 * Kind: duplicates. The fixed-width __uN types come from the system's
 * <asm/types.h>, exactly as the kernel's uapi header takes them; the
 * POSIX-named types (pid_t, ssize_t, loff_t, ...) come from the C library
 * so that emulator code may include both (glibc's loff_t is "long", the
 * kernel's "long long": same size and representation on x86_64).
 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <asm/types.h>
#include <linux/posix_types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifndef __bitwise
#define __bitwise
#endif

typedef __u16 __bitwise __le16;
typedef __u16 __bitwise __be16;
typedef __u32 __bitwise __le32;
typedef __u32 __bitwise __be32;
typedef __u64 __bitwise __le64;
typedef __u64 __bitwise __be64;

typedef __u8  u8;
typedef __s8  s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

typedef unsigned int __bitwise gfp_t;
typedef unsigned int __bitwise fmode_t;
typedef unsigned short umode_t;
typedef u64 phys_addr_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic64_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};
#define rcu_head callback_head

#endif /* _LINUX_TYPES_H */
