/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/sched/signal.h>.
 * Kind: customised. kill_pid() sends a real signal through the pid's pidfd;
 * thread_group_exited() is true once the process is a zombie or gone, as
 * pidfd polling reports it. Kernel threads get no signals, so
 * signal_pending() is always false.
 */
#ifndef _LINUX_SCHED_SIGNAL_H
#define _LINUX_SCHED_SIGNAL_H

#include <signal.h>
#include <linux/sched.h>
#include <linux/pid.h>

int kill_pid(struct pid *pid, int sig, int priv);
bool thread_group_exited(struct pid *pid);

static inline int signal_pending(struct task_struct *p)
{
	(void)p;
	return 0;
}

static inline int fatal_signal_pending(struct task_struct *p)
{
	(void)p;
	return 0;
}

#endif /* _LINUX_SCHED_SIGNAL_H */
