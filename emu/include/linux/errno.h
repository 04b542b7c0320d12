/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/errno.h>: the uapi codes (the system's
 * <asm/errno.h>, the same values as the kernel's) plus the kernel-internal
 * ones that never reach user space.
 * Kind: duplicates. The C library includes <linux/errno.h> itself, so this
 * header must stay a superset of the uapi one.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include <asm/errno.h>

#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514
#define ENOIOCTLCMD	515
#define ERESTART_RESTARTBLOCK 516
#define EPROBE_DEFER	517
#define EOPENSTALE	518
#define ENOPARAM	519
#define EBADHANDLE	521
#define ENOTSYNC	522
#define EBADCOOKIE	523
#define ENOTSUPP	524
#define ETOOSMALL	525
#define ESERVERFAULT	526
#define EBADTYPE	527
#define EJUKEBOX	528
#define EIOCBQUEUED	529
#define ERECALLCONFLICT	530

#endif /* _LINUX_ERRNO_H */
