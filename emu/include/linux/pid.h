/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/pid.h>.
 * Kind: customised. A struct pid is a counted reference to a child process
 * of the emulator, held through a pidfd. wait_pidfd is bound to the pidfd,
 * so wait_event(pid->wait_pidfd, thread_group_exited(pid)) sleeps until
 * the process exits. The last put_pid() reaps the process (or, if it is
 * still running, hands it to a reaper that waits for it): no zombie
 * survives.
 */
#ifndef _LINUX_PID_H
#define _LINUX_PID_H

#include <linux/types.h>
#include <linux/refcount.h>
#include <linux/wait.h>

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

struct umd_emu_pidinfo;

struct pid {
	refcount_t count;
	unsigned int level;
	int nr;					/* the process id */
	wait_queue_head_t wait_pidfd;
	struct umd_emu_pidinfo *emu;		/* emulator-private */
};

static inline struct pid *get_pid(struct pid *pid)
{
	if (pid)
		refcount_inc(&pid->count);
	return pid;
}

void put_pid(struct pid *pid);

static inline pid_t pid_nr(struct pid *pid)
{
	return pid ? pid->nr : 0;
}

static inline pid_t pid_vnr(struct pid *pid)
{
	return pid_nr(pid);
}

#endif /* _LINUX_PID_H */
