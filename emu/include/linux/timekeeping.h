/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/timekeeping.h>: the wall clock in seconds.
 * Kind: customised: the host's CLOCK_REALTIME (emu/timer.c).
 */
#ifndef _LINUX_TIMEKEEPING_H
#define _LINUX_TIMEKEEPING_H

#include <linux/time64.h>

time64_t ktime_get_real_seconds(void);

#endif /* _LINUX_TIMEKEEPING_H */
