// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: current, jiffies, sleeping and wait queues.
 *
 * current is thread-local: the emulator's own thread until a front end says
 * which user process it is serving (umd_emu_set_current()).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/cred.h>
#include <linux/wait.h>

#include "emu.h"
#include "internal.h"

static __thread struct task_struct emu_task;
static __thread bool emu_task_set;
static __thread pid_t emu_tid;
static pid_t emu_tgid;

/* A forked child is another task: forget what this thread cached. */
static void sched_forget_after_fork(void)
{
	emu_tid = 0;
	emu_tgid = 0;
	emu_task_set = false;
}

static void __attribute__((constructor)) sched_init(void)
{
	pthread_atfork(NULL, NULL, sched_forget_after_fork);
}

/*
 * glibc's gettid() is a system call each time; mutex_lock() and
 * mutex_unlock() want the owner on every call (two syscalls per request
 * on the library's path), so keep it per thread.
 */
pid_t umd_emu_gettid(void)
{
	if (!emu_tid)
		emu_tid = gettid();
	return emu_tid;
}

static void task_set_self(void)
{
	emu_task.pid = umd_emu_gettid();
	if (!emu_tgid)
		emu_tgid = getpid();
	emu_task.tgid = emu_tgid;
	strncpy(emu_task.comm, program_invocation_short_name,
		TASK_COMM_LEN - 1);
	emu_task.comm[TASK_COMM_LEN - 1] = '\0';
	emu_task_set = true;
}

/*
 * Every task's credentials are root's (the kernel's init_cred): see
 * <linux/cred.h> for why that is what a kernel would see.
 */
static const struct cred umd_emu_root_cred;

const struct cred *umd_emu_current_cred(void)
{
	return &umd_emu_root_cred;
}
EXPORT_SYMBOL(umd_emu_current_cred);

struct task_struct *get_current(void)
{
	if (!emu_task_set)
		task_set_self();
	return &emu_task;
}
EXPORT_SYMBOL(get_current);

void umd_emu_set_current(pid_t pid, pid_t tgid, const char *comm)
{
	emu_task.pid = pid;
	emu_task.tgid = tgid;
	memset(emu_task.comm, 0, TASK_COMM_LEN);
	if (comm)
		strncpy(emu_task.comm, comm, TASK_COMM_LEN - 1);
	emu_task_set = true;
}

void umd_emu_set_current_pid(pid_t pid)
{
	static __thread struct {
		pid_t pid, tgid;
		char comm[TASK_COMM_LEN];
		unsigned long when;
	} last;
	char path[64], buf[1024], *line, comm[TASK_COMM_LEN] = "";
	unsigned long now = jiffies;
	pid_t tgid = pid;
	ssize_t n;
	int fd;

	if (pid <= 0) {
		/* A request the kernel makes itself (FUSE's RELEASE): no task. */
		umd_emu_task_end();
		umd_emu_set_current(0, 0, NULL);
		return;
	}
	umd_emu_task_begin();
	if (last.pid == pid && now - last.when < HZ) {
		umd_emu_set_current(pid, last.tgid, last.comm);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			line = strstr(buf, "\nTgid:");
			if (line)
				tgid = atoi(line + 6);
			if (!strncmp(buf, "Name:\t", 6))
				sscanf(buf + 6, "%15[^\n]", comm);
		}
	}
	last.pid = pid;
	last.tgid = tgid;
	memcpy(last.comm, comm, sizeof(comm));
	last.when = now;
	umd_emu_set_current(pid, tgid, comm);
}

void umd_emu_reset_current(void)
{
	umd_emu_task_end();
	task_set_self();
}

unsigned long __umd_emu_jiffies(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * HZ + ts.tv_nsec / (1000000000 / HZ);
}

void schedule(void)
{
	sched_yield();
}
EXPORT_SYMBOL(schedule);

void might_sleep(void)
{
}
EXPORT_SYMBOL(might_sleep);

/* ---- wait queues ------------------------------------------------------ */

/* Longest sleep on a fd-bound queue between two checks for wake_up(). */
#define POLLFD_SLICE_MS 10

void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	pthread_mutex_init(&wq_head->lock, NULL);
	pthread_cond_init(&wq_head->cond, NULL);
	wq_head->seq = 0;
	wq_head->pollfd = -1;
}
EXPORT_SYMBOL(init_waitqueue_head);

void __wake_up(struct wait_queue_head *wq_head)
{
	pthread_mutex_lock(&wq_head->lock);
	wq_head->seq++;
	pthread_cond_broadcast(&wq_head->cond);
	pthread_mutex_unlock(&wq_head->lock);
}
EXPORT_SYMBOL(__wake_up);

unsigned long __wait_event_prepare(struct wait_queue_head *wq_head)
{
	unsigned long seq;

	pthread_mutex_lock(&wq_head->lock);
	seq = wq_head->seq;
	pthread_mutex_unlock(&wq_head->lock);
	return seq;
}
EXPORT_SYMBOL(__wait_event_prepare);

void __wait_event_sleep(struct wait_queue_head *wq_head, unsigned long seq,
			long timeout)
{
	struct pollfd pfd;
	struct timespec until;
	long ms;
	int fd;

	pthread_mutex_lock(&wq_head->lock);
	if (wq_head->seq != seq) {
		pthread_mutex_unlock(&wq_head->lock);
		return;
	}
	fd = wq_head->pollfd;
	if (fd >= 0) {
		pthread_mutex_unlock(&wq_head->lock);
		ms = POLLFD_SLICE_MS;
		if (timeout >= 0 && timeout < ms)
			ms = timeout;
		pfd.fd = fd;
		pfd.events = POLLIN;
		poll(&pfd, 1, ms);
		return;
	}
	if (timeout < 0) {
		pthread_cond_wait(&wq_head->cond, &wq_head->lock);
	} else {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += timeout / HZ;
		until.tv_nsec += (timeout % HZ) * (1000000000L / HZ);
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&wq_head->cond, &wq_head->lock, &until);
	}
	pthread_mutex_unlock(&wq_head->lock);
}
EXPORT_SYMBOL(__wait_event_sleep);

int umd_emu_task_signal_pending_of(struct task_struct *p)
{
	return p == current && umd_emu_task_signal_pending();
}
