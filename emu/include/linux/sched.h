/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/sched.h>.
 * Kind: customised. "current" is a thread-local task: by default the
 * emulator's own thread; a front end (the FUSE server, the sockopt entry)
 * sets it to the user process whose request it is serving, so that
 * current->pid and current->tgid are that process's ids.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/pid.h>
#include <linux/jiffies.h>

#define TASK_COMM_LEN 16

#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_KILLABLE		0x0102

struct task_struct {
	pid_t pid;
	pid_t tgid;
	unsigned int flags;
	char comm[TASK_COMM_LEN];
};

struct task_struct *get_current(void);
#define current get_current()

static inline pid_t task_pid_nr(struct task_struct *tsk)
{
	return tsk->pid;
}

static inline pid_t task_tgid_nr(struct task_struct *tsk)
{
	return tsk->tgid;
}

static inline pid_t task_tgid_vnr(struct task_struct *tsk)
{
	return tsk->tgid;
}

long schedule_timeout(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_interruptible(long timeout);
void schedule(void);
#define set_current_state(state)	((void)(state))
#define __set_current_state(state)	((void)(state))

#endif /* _LINUX_SCHED_H */
