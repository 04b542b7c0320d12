/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/time64.h>: the 64-bit time types and limits.
 * Kind: duplicates (the part the keys code uses).
 */
#ifndef _LINUX_TIME64_H
#define _LINUX_TIME64_H

#include <linux/types.h>

typedef __s64 time64_t;
typedef __u64 timeu64_t;

#define MSEC_PER_SEC	1000L
#define USEC_PER_MSEC	1000L
#define NSEC_PER_USEC	1000L
#define NSEC_PER_MSEC	1000000L
#define USEC_PER_SEC	1000000L
#define NSEC_PER_SEC	1000000000L

#define TIME64_MAX	((s64)~((u64)1 << 63))
#define TIME64_MIN	(-TIME64_MAX - 1)

#endif /* _LINUX_TIME64_H */
