/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu shim of <linux/signal.h>. Kind: duplicates (libc's numbers). */
#ifndef _LINUX_SIGNAL_H
#define _LINUX_SIGNAL_H

#include <signal.h>
#include <linux/sched/signal.h>

#endif /* _LINUX_SIGNAL_H */
