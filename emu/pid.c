// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: struct pid, kill_pid() and thread_group_exited().
 *
 * A struct pid stands for a handler process, a child of the emulator, and
 * holds a pidfd to it. Its wait_pidfd queue is bound to the pidfd, which
 * becomes readable when the process exits, so
 * wait_event(pid->wait_pidfd, thread_group_exited(pid)) works as in the
 * kernel. The handler's stderr (the kernel gives a handler no fd 2; the
 * emulator gives it a pipe, so that sanitizer reports are seen) is read by
 * a collector thread and logged line by line as "name[pid]: text".
 *
 * The last put_pid() reaps the process. If it is still running then, a
 * detached reaper thread waits for it: no zombie is ever left behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "emu.h"
#include "internal.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define LINE_MAX_LEN 1024

struct umd_emu_pidinfo {
	int pidfd;
	bool reaped;
	bool crash_injected;		/* its death was ordered: no report */
	int stderr_fd;			/* read end of the handler's fd 2 */
	int stop_fd;			/* eventfd: stop the collector */
	pthread_t collector;
	bool has_collector;
	char name[64];
	char line[LINE_MAX_LEN + 1];
	size_t line_len;
};

static int live_children;
static unsigned long children_started;

int umd_emu_live_children(void)
{
	return __atomic_load_n(&live_children, __ATOMIC_SEQ_CST);
}

int umd_emu_count_children(void)
{
	char path[300], buf[512], *p;
	struct dirent *de;
	pid_t self = getpid();
	int n = 0, ppid;
	DIR *d = opendir("/proc");
	FILE *f;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* pid (comm) state ppid ...: comm may hold spaces */
		if (fgets(buf, sizeof(buf), f)) {
			p = strrchr(buf, ')');
			if (p && sscanf(p + 2, "%*c %d", &ppid) == 1 &&
			    ppid == self)
				n++;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

int umd_emu_count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

unsigned long umd_emu_children_started(void)
{
	return __atomic_load_n(&children_started, __ATOMIC_SEQ_CST);
}

static bool is_sanitizer_report(const char *text)
{
	return strstr(text, "ERROR: AddressSanitizer") ||
	       strstr(text, "ERROR: LeakSanitizer") ||
	       strstr(text, "runtime error:") ||
	       strstr(text, "WARNING: AddressSanitizer");
}

/*
 * Log one line of handler output. A "<N>" prefix sets the level, as for
 * a write to /dev/kmsg.
 */
static void collector_emit(struct umd_emu_pidinfo *info, int nr)
{
	char *text = info->line;
	int level = LOGLEVEL_INFO;
	char *msg;

	info->line[info->line_len] = '\0';
	if (text[0] == '<' && text[1] >= '0' && text[1] <= '7' &&
	    text[2] == '>') {
		level = text[1] - '0';
		text += 3;
	}
	if (is_sanitizer_report(text) &&
	    !__atomic_load_n(&info->crash_injected, __ATOMIC_SEQ_CST))
		umd_emu_count_sanitizer_report();
	if (asprintf(&msg, "%s[%d]: %s", info->name, nr, text) >= 0) {
		umd_emu_log_line(level, msg);
		free(msg);
	}
	info->line_len = 0;
}

static void collector_feed(struct umd_emu_pidinfo *info, int nr,
			   const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			collector_emit(info, nr);
			continue;
		}
		info->line[info->line_len++] = buf[i];
		if (info->line_len == LINE_MAX_LEN)
			collector_emit(info, nr);
	}
}

struct collector_arg {
	struct umd_emu_pidinfo *info;
	int nr;
};

static void *collector_main(void *data)
{
	struct collector_arg *arg = data;
	struct umd_emu_pidinfo *info = arg->info;
	int nr = arg->nr;
	struct pollfd pfd[2];
	bool stopping = false;
	char buf[4096];
	ssize_t n;

	free(arg);
	pfd[0].fd = info->stderr_fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = info->stop_fd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (!stopping) {
			if (poll(pfd, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			if (pfd[1].revents & POLLIN) {
				/* Drain what is there, then stop. */
				stopping = true;
				fcntl(info->stderr_fd, F_SETFL, O_NONBLOCK);
			} else if (!(pfd[0].revents & (POLLIN | POLLHUP))) {
				continue;
			}
		}
		n = read(info->stderr_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		collector_feed(info, nr, buf, n);
	}
	if (info->line_len)
		collector_emit(info, nr);
	return NULL;
}

struct pid *umd_emu_pid_create(pid_t nr, int pidfd, const char *name,
			       int stderr_fd)
{
	struct umd_emu_pidinfo *info;
	struct collector_arg *arg;
	struct pid *pid;

	pid = kzalloc(sizeof(*pid), GFP_KERNEL);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	arg = kzalloc(sizeof(*arg), GFP_KERNEL);
	if (!pid || !info || !arg)
		goto fail;

	refcount_set(&pid->count, 1);
	pid->nr = nr;
	init_waitqueue_head(&pid->wait_pidfd);
	pid->wait_pidfd.pollfd = pidfd;
	pid->emu = info;

	info->pidfd = pidfd;
	info->stderr_fd = stderr_fd;
	info->stop_fd = -1;
	snprintf(info->name, sizeof(info->name), "%s", name);
	if (stderr_fd >= 0) {
		info->stop_fd = eventfd(0, EFD_CLOEXEC);
		if (info->stop_fd < 0)
			goto fail;
		arg->info = info;
		arg->nr = nr;
		if (pthread_create(&info->collector, NULL, collector_main,
				   arg)) {
			close(info->stop_fd);
			goto fail;
		}
		info->has_collector = true;
	} else {
		kfree(arg);
	}
	__atomic_add_fetch(&live_children, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&children_started, 1, __ATOMIC_SEQ_CST);
	return pid;

fail:
	kfree(arg);
	kfree(info);
	kfree(pid);
	return NULL;
}

/* Wait for the process, stop the collector, free everything. */
static void pid_finish(struct pid *pid)
{
	struct umd_emu_pidinfo *info = pid->emu;
	siginfo_t si;
	uint64_t one = 1;

	while (!info->reaped) {
		memset(&si, 0, sizeof(si));
		if (!waitid(P_PIDFD, info->pidfd, &si, WEXITED)) {
			info->reaped = true;
			if (si.si_code == CLD_EXITED)
				printk(KERN_DEBUG "umd-emu: %s[%d] exited with status %d\n",
				       info->name, pid->nr, si.si_status);
			else
				printk(KERN_DEBUG "umd-emu: %s[%d] killed by signal %d (%s)\n",
				       info->name, pid->nr, si.si_status,
				       strsignal(si.si_status));
		} else if (errno != EINTR) {
			pr_err("umd-emu: cannot reap %s[%d]: %s\n", info->name,
			       pid->nr, strerror(errno));
			break;
		}
	}
	if (info->has_collector) {
		if (write(info->stop_fd, &one, sizeof(one)) != sizeof(one))
			pr_err("umd-emu: cannot stop the stderr collector\n");
		pthread_join(info->collector, NULL);
		close(info->stop_fd);
	}
	if (info->stderr_fd >= 0)
		close(info->stderr_fd);
	close(info->pidfd);
	pthread_mutex_destroy(&pid->wait_pidfd.lock);
	pthread_cond_destroy(&pid->wait_pidfd.cond);
	kfree(info);
	kfree(pid);
	__atomic_sub_fetch(&live_children, 1, __ATOMIC_SEQ_CST);
}

static void *reaper_main(void *data)
{
	pid_finish(data);
	return NULL;
}

void put_pid(struct pid *pid)
{
	pthread_attr_t attr;
	pthread_t thread;

	if (!pid || !refcount_dec_and_test(&pid->count))
		return;

	if (thread_group_exited(pid)) {
		pid_finish(pid);
		return;
	}

	/* Still running: as the kernel would, let it run; reap it later. */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, reaper_main, pid)) {
		pr_warn("umd-emu: no reaper thread for %s[%d], waiting for it\n",
			pid->emu->name, pid->nr);
		pid_finish(pid);
	}
	pthread_attr_destroy(&attr);
}

void umd_emu_pid_set_crash_injected(struct pid *pid)
{
	__atomic_store_n(&pid->emu->crash_injected, true, __ATOMIC_SEQ_CST);
}

int umd_emu_pid_fd(struct pid *pid)
{
	return pid->emu->pidfd;
}

int kill_pid(struct pid *pid, int sig, int priv)
{
	(void)priv;
	if (!pid || pid->emu->reaped)
		return -ESRCH;
	if (syscall(SYS_pidfd_send_signal, pid->emu->pidfd, sig, NULL, 0))
		return -errno;
	return 0;
}

bool thread_group_exited(struct pid *pid)
{
	struct pollfd pfd;

	if (pid->emu->reaped)
		return true;
	pfd.fd = pid->emu->pidfd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN);
}
