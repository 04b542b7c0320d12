/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/sched/signal.h>.
 * Kind: customised. kill_pid() sends a real signal through the pid's pidfd;
 * thread_group_exited() is true once the process is a zombie or gone, as
 * pidfd polling reports it. signal_pending(current) is true while the user
 * process whose system call the thread runs has a signal pending (a FUSE
 * INTERRUPT, emu/signal.c); kernel threads get no signals. The emulator
 * cannot tell a fatal signal from another, so fatal_signal_pending() says
 * the same.
 */
#ifndef _LINUX_SCHED_SIGNAL_H
#define _LINUX_SCHED_SIGNAL_H

#include <signal.h>
#include <linux/sched.h>
#include <linux/pid.h>

int kill_pid(struct pid *pid, int sig, int priv);
bool thread_group_exited(struct pid *pid);

int umd_emu_task_signal_pending_of(struct task_struct *p);

static inline int signal_pending(struct task_struct *p)
{
	return umd_emu_task_signal_pending_of(p);
}

static inline int fatal_signal_pending(struct task_struct *p)
{
	return umd_emu_task_signal_pending_of(p);
}

#endif /* _LINUX_SCHED_SIGNAL_H */
