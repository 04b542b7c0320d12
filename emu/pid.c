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
 * Each handler has a thread of the emulator's watching it, as kthreadd
 * does on a kernel: it reaps the process the moment it exits (its struct
 * pid stays valid, thread_group_exited() true, until the last put_pid()),
 * so no zombie is ever left behind, not even of a handler killed from
 * outside between two requests.
 *
 * A struct pid may also stand for a thread handler of this process
 * (umd_emu_set_handler_thread(), for fuzzers): its "pidfd" is an eventfd
 * the thread writes once the function has returned and the pipe ends are
 * closed (so wait_pidfd and thread_group_exited() work unchanged), and
 * kill_pid() writes the handler's stop eventfd instead of sending a
 * signal. It has no stderr and no collector: the thread itself says it
 * has ended (logged as "exited"). The threads are workers kept parked
 * between handlers and reused (a fuzzer starts a handler per failed
 * exchange: creating and ending two threads each time cost more than the
 * exchange), so the number of a thread handler, its worker's thread id,
 * is the same for the handlers one worker runs one after the other.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "emu.h"
#include "internal.h"
#include "missing.h"

#define LINE_MAX_LEN 1024

struct umd_emu_pidinfo {
	struct pid *pid;
	int pidfd;
	int reaped;			/* atomic: waited for, status logged */
	int reaping;			/* atomic: a thread is reaping it */
	int crash_injected;		/* atomic: its death was ordered */
	bool flush_on_rtmax;		/* coverage: SIGRTMAX writes its counters */
	int stderr_fd;			/* read end of the handler's fd 2 */
	int stop_fd;			/* eventfd: the last reference is gone */
	int refs;			/* atomic: the struct pid's + collector's */
	pthread_t collector;
	pthread_mutex_t io_lock;	/* reading stderr_fd, line, line_len */
	char name[64];
	char line[LINE_MAX_LEN + 1];
	size_t line_len;
	struct umd_emu_pidinfo *next;	/* list of handlers */
	/* A thread handler (pidfd: an eventfd written when it has ended). */
	bool is_thread;
	int thread_stop_fd;		/* eventfd: kill_pid() asks it to stop */
	int thread_in_fd, thread_out_fd;	/* its pipe ends, closed at its end */
	void (*thread_fn)(int in_fd, int out_fd, int stop_fd, void *arg);
	void *thread_arg;
};

static int live_children;
static unsigned long children_started;
static pthread_mutex_t handlers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_emu_pidinfo *handlers;

int umd_emu_live_children(void)
{
	return __atomic_load_n(&live_children, __ATOMIC_SEQ_CST);
}

bool umd_emu_pid_is_handler(pid_t nr)
{
	struct umd_emu_pidinfo *info;
	bool found = false;

	pthread_mutex_lock(&handlers_lock);
	for (info = handlers; info && !found; info = info->next)
		found = info->pid->nr == nr;
	pthread_mutex_unlock(&handlers_lock);
	return found;
}

/*
 * $UMD_EMU_KILL_GRACE_MS: how long a handler that writes its coverage
 * counters on SIGRTMAX gets to do so before its SIGKILL; 0 (unset, or not
 * a number from 1 to 60000): none.
 */
long umd_emu_kill_grace_ms(void)
{
	const char *env = getenv("UMD_EMU_KILL_GRACE_MS");
	char *end;
	long ms;

	if (!env || !*env)
		return 0;
	errno = 0;
	ms = strtol(env, &end, 10);
	if (errno || *end || ms < 1 || ms > 60000)
		return 0;
	return ms;
}

void umd_emu_pid_set_flush_on_rtmax(struct pid *pid)
{
	pid->emu->flush_on_rtmax = true;
}

/*
 * Send sig to a handler process. A kernel's SIGKILL ends a handler
 * before its coverage counters are written (at exit): for a handler
 * built to write them on SIGRTMAX (tools/coverage/handler_flush.c), and
 * only while $UMD_EMU_KILL_GRACE_MS is set (by tools/coverage.sh), the
 * SIGKILL is preceded by a SIGRTMAX, on which it writes them and kills
 * itself with SIGKILL, and the SIGKILL follows after the grace if it has not
 * ended by then. A crash that was ordered (fault injection) is sent as
 * it is.
 */
static int umd_emu_pid_signal(struct umd_emu_pidinfo *info, int sig)
{
	struct pollfd pfd = { .fd = info->pidfd, .events = POLLIN };
	long grace = umd_emu_kill_grace_ms();
	struct timespec start, now;
	long left;
	int n;

	if (sig == SIGKILL && grace && info->flush_on_rtmax &&
	    !__atomic_load_n(&info->crash_injected, __ATOMIC_SEQ_CST) &&
	    !syscall(SYS_pidfd_send_signal, info->pidfd, SIGRTMAX, NULL,
		     0)) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		for (left = grace; left > 0;) {
			n = poll(&pfd, 1, left);
			if (n > 0)
				return 0;	/* it has ended */
			if (n < 0 && errno != EINTR)
				break;
			clock_gettime(CLOCK_MONOTONIC, &now);
			left = grace - (now.tv_sec - start.tv_sec) * 1000 -
			       (now.tv_nsec - start.tv_nsec) / 1000000;
		}
	}
	if (syscall(SYS_pidfd_send_signal, info->pidfd, sig, NULL, 0))
		return -errno;
	return 0;
}

/* Ask a thread handler to stop: its function polls the stop eventfd. */
static int thread_stop(struct umd_emu_pidinfo *info)
{
	uint64_t one = 1;

	if (write(info->thread_stop_fd, &one, sizeof(one)) != sizeof(one))
		return -errno;
	return 0;
}

int umd_emu_kill_handlers(void)
{
	struct umd_emu_pidinfo *info;
	int n = 0;

	pthread_mutex_lock(&handlers_lock);
	for (info = handlers; info; info = info->next)
		if (!__atomic_load_n(&info->reaped, __ATOMIC_SEQ_CST) &&
		    (info->is_thread ? !thread_stop(info) :
		     !umd_emu_pid_signal(info, SIGKILL)))
			n++;
	pthread_mutex_unlock(&handlers_lock);
	return n;
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
	if (umd_emu_is_sanitizer_report(text) &&
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

/* Tracing: the handler's end is the last event of its exchanges. */
static void trace_exit(struct umd_emu_pidinfo *info, bool killed, int status)
{
	struct umd_emu_trace_event ev = {
		.kind = UMD_EMU_TRACE_EXIT, .driver = info->name,
		.pid = info->pid->nr, .usec = -1,
		.end = killed ? "killed" : "exited", .status = status,
		.detail = killed ? strsignal(status) : "",
		.injected = __atomic_load_n(&info->crash_injected,
					    __ATOMIC_SEQ_CST),
	};

	umd_emu_trace_emit(&ev);
}

/*
 * Wait for the process if it has exited, and log how it ended. The
 * collector and the last put_pid() may both try: one reaps, the other
 * waits until it has.
 */
static void reap(struct umd_emu_pidinfo *info)
{
	siginfo_t si;
	int ret;

	if (__atomic_exchange_n(&info->reaping, 1, __ATOMIC_SEQ_CST)) {
		while (!__atomic_load_n(&info->reaped, __ATOMIC_SEQ_CST) &&
		       __atomic_load_n(&info->reaping, __ATOMIC_SEQ_CST))
			sched_yield();
		return;
	}
	if (__atomic_load_n(&info->reaped, __ATOMIC_SEQ_CST))
		return;
	memset(&si, 0, sizeof(si));
	do {
		ret = waitid(P_PIDFD, info->pidfd, &si, WEXITED | WNOHANG);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0) {
		pr_err("umd-emu: cannot reap %s[%d]: %s\n", info->name,
		       info->pid->nr, strerror(errno));
	} else if (!si.si_pid) {
		/* not a zombie yet */
		__atomic_store_n(&info->reaping, 0, __ATOMIC_SEQ_CST);
		return;
	} else if (si.si_code == CLD_EXITED) {
		printk(KERN_DEBUG "umd-emu: %s[%d] exited with status %d\n",
		       info->name, info->pid->nr, si.si_status);
	} else {
		printk(KERN_DEBUG "umd-emu: %s[%d] killed by signal %d (%s)\n",
		       info->name, info->pid->nr, si.si_status,
		       strsignal(si.si_status));
	}
	if (ret >= 0 && si.si_pid && umd_emu_tracing())
		trace_exit(info, si.si_code != CLD_EXITED, si.si_status);
	__atomic_sub_fetch(&live_children, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&info->reaped, 1, __ATOMIC_SEQ_CST);
	__wake_up(&info->pid->wait_pidfd);
}

static void pidinfo_put(struct umd_emu_pidinfo *info)
{
	struct umd_emu_pidinfo **pp;
	struct pid *pid = info->pid;

	if (__atomic_sub_fetch(&info->refs, 1, __ATOMIC_SEQ_CST))
		return;
	pthread_mutex_lock(&handlers_lock);
	for (pp = &handlers; *pp; pp = &(*pp)->next) {
		if (*pp == info) {
			*pp = info->next;
			break;
		}
	}
	pthread_mutex_unlock(&handlers_lock);
	if (info->stderr_fd >= 0)
		close(info->stderr_fd);
	close(info->stop_fd);
	close(info->pidfd);
	if (info->is_thread)
		close(info->thread_stop_fd);
	pthread_mutex_destroy(&info->io_lock);
	pthread_mutex_destroy(&pid->wait_pidfd.lock);
	pthread_cond_destroy(&pid->wait_pidfd.cond);
	kfree(info);
	kfree(pid);
}

/*
 * The handler's parent, as kthreadd is on a kernel: it reaps the process
 * as soon as it exits (the struct pid stays valid, thread_group_exited()
 * true), and logs its stderr line by line until the pipe closes. It ends
 * once the process is reaped and its stderr closed, or once the struct
 * pid is released (put_pid) and the process reaped.
 */
static void *collector_main(void *data)
{
	struct umd_emu_pidinfo *info = data;
	int nr = info->pid->nr;
	bool released = false, eof = info->stderr_fd < 0;
	struct pollfd pfd[3];
	char buf[4096];
	ssize_t n;

	for (;;) {
		bool reaped = __atomic_load_n(&info->reaped, __ATOMIC_SEQ_CST);

		if (reaped && (eof || released))
			break;
		pfd[0].fd = eof ? -1 : info->stderr_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = reaped ? -1 : info->pidfd;
		pfd[1].events = POLLIN;
		pfd[2].fd = released ? -1 : info->stop_fd;
		pfd[2].events = POLLIN;
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[2].revents & POLLIN)
			released = true;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			pthread_mutex_lock(&info->io_lock);
			n = read(info->stderr_fd, buf, sizeof(buf));
			if (n > 0)
				collector_feed(info, nr, buf, n);
			pthread_mutex_unlock(&info->io_lock);
			/* EAGAIN: umd_emu_handler_logs_flush() took it. */
			if (n == 0 || (n < 0 && errno != EINTR &&
				       errno != EAGAIN))
				eof = true;
		}
		if (pfd[1].revents)
			reap(info);
	}
	/* Released with the pipe still open (a child of the handler has it). */
	pthread_mutex_lock(&info->io_lock);
	if (!eof)
		while ((n = read(info->stderr_fd, buf, sizeof(buf))) > 0)
			collector_feed(info, nr, buf, n);
	if (info->line_len)
		collector_emit(info, nr);
	pthread_mutex_unlock(&info->io_lock);
	pidinfo_put(info);
	return NULL;
}

/*
 * A handler's /dev/kmsg is its stderr pipe, read by its collector thread:
 * a line can reach the log a moment after write(2) returned in the
 * handler. On a kernel that write is the log. Readers of the log (dmesg)
 * call this first: whatever a handler wrote before is logged on return.
 */
void umd_emu_handler_logs_flush(void)
{
	struct umd_emu_pidinfo *info;
	char buf[4096];
	ssize_t n;

	pthread_mutex_lock(&handlers_lock);
	for (info = handlers; info; info = info->next) {
		if (info->stderr_fd < 0)
			continue;
		pthread_mutex_lock(&info->io_lock);
		while ((n = read(info->stderr_fd, buf, sizeof(buf))) > 0 ||
		       (n < 0 && errno == EINTR))
			if (n > 0)
				collector_feed(info, info->pid->nr, buf, n);
		pthread_mutex_unlock(&info->io_lock);
	}
	pthread_mutex_unlock(&handlers_lock);
}

/* A struct pid and its info, not yet listed nor collected; NULL: -ENOMEM. */
static struct umd_emu_pidinfo *pidinfo_alloc(pid_t nr, int pidfd,
					     const char *name, int stderr_fd)
{
	struct umd_emu_pidinfo *info;
	struct pid *pid;

	pid = kzalloc(sizeof(*pid), GFP_KERNEL);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!pid || !info)
		goto fail;

	refcount_set(&pid->count, 1);
	pid->nr = nr;
	init_waitqueue_head(&pid->wait_pidfd);
	pid->wait_pidfd.pollfd = pidfd;
	pid->emu = info;

	info->pid = pid;
	info->pidfd = pidfd;
	info->stderr_fd = stderr_fd;
	info->thread_stop_fd = -1;
	/* Read by the collector after poll, and by a flush at any time. */
	if (stderr_fd >= 0)
		fcntl(stderr_fd, F_SETFL, O_NONBLOCK);
	info->refs = 2;
	snprintf(info->name, sizeof(info->name), "%s", name);
	info->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (info->stop_fd < 0)
		goto fail;
	pthread_mutex_init(&info->io_lock, NULL);
	return info;

fail:
	kfree(info);
	kfree(pid);
	return NULL;
}

/* Undo pidinfo_alloc() (pidfd and stderr_fd stay the caller's). */
static void pidinfo_free_unpublished(struct umd_emu_pidinfo *info)
{
	struct pid *pid = info->pid;

	pthread_mutex_destroy(&info->io_lock);
	close(info->stop_fd);
	kfree(info);
	kfree(pid);
}

/*
 * The workers of thread handlers have a stack of this size, not the
 * default (8 MiB): under AddressSanitizer a thread's start and end clear
 * the shadow of its whole stack.
 */
#define HANDLER_THREAD_STACK (1024 * 1024)

static int create_thread(pthread_t *thread, size_t stack,
			 void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	int err;

	if (pthread_attr_init(&attr))
		return pthread_create(thread, NULL, fn, arg);
	pthread_attr_setstacksize(&attr, stack);
	err = pthread_create(thread, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return err;
}

/* List it and count it. */
static void pidinfo_list(struct umd_emu_pidinfo *info)
{
	pthread_mutex_lock(&handlers_lock);
	info->next = handlers;
	handlers = info;
	pthread_mutex_unlock(&handlers_lock);
	__atomic_add_fetch(&live_children, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&children_started, 1, __ATOMIC_SEQ_CST);
}

/* List it, count it and start its collector; 0 or -errno (undone). */
static int pidinfo_publish(struct umd_emu_pidinfo *info)
{
	struct umd_emu_pidinfo **pp;
	int err;

	pidinfo_list(info);
	err = pthread_create(&info->collector, NULL, collector_main, info);
	if (!err)
		return 0;
	pthread_mutex_lock(&handlers_lock);
	for (pp = &handlers; *pp != info; pp = &(*pp)->next)
		;
	*pp = info->next;
	pthread_mutex_unlock(&handlers_lock);
	__atomic_sub_fetch(&live_children, 1, __ATOMIC_SEQ_CST);
	return -err;
}

struct pid *umd_emu_pid_create(pid_t nr, int pidfd, const char *name,
			       int stderr_fd)
{
	struct umd_emu_pidinfo *info;

	info = pidinfo_alloc(nr, pidfd, name, stderr_fd);
	if (!info)
		return NULL;
	if (pidinfo_publish(info)) {
		/* The caller kills and waits for the process itself. */
		pidinfo_free_unpublished(info);
		return NULL;
	}
	return info->pid;
}

/* ---- thread handlers: parked workers, reused ------------------------- */

struct handler_worker {
	pthread_t thread;
	pid_t tid;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct umd_emu_pidinfo *job;	/* the handler it runs, or NULL */
	struct handler_worker *next_idle;
};

static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct handler_worker *idle_workers;

/*
 * The handler has ended: its pipe ends are closed (the manager reads end
 * of file, as when a process exits); now it is "reaped": exited, counted
 * out, and its "pidfd" readable.
 */
static void thread_handler_end(struct umd_emu_pidinfo *info)
{
	uint64_t one = 1;

	close(info->thread_in_fd);
	close(info->thread_out_fd);
	printk(KERN_DEBUG "umd-emu: %s[%d] exited (a thread handler: its function returned)\n",
	       info->name, info->pid->nr);
	if (umd_emu_tracing())
		trace_exit(info, false, 0);
	__atomic_sub_fetch(&live_children, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&info->reaped, 1, __ATOMIC_SEQ_CST);
	if (write(info->pidfd, &one, sizeof(one)) != sizeof(one))
		abort();	/* an eventfd under its limit: cannot fail */
	__wake_up(&info->pid->wait_pidfd);
	pidinfo_put(info);	/* the worker's reference */
}

static void *worker_main(void *data)
{
	struct handler_worker *w = data;
	struct umd_emu_pidinfo *info;

	pthread_mutex_lock(&w->lock);
	w->tid = umd_emu_gettid();
	pthread_cond_broadcast(&w->cond);
	for (;;) {
		while (!w->job)
			pthread_cond_wait(&w->cond, &w->lock);
		info = w->job;
		pthread_mutex_unlock(&w->lock);

		info->thread_fn(info->thread_in_fd, info->thread_out_fd,
				info->thread_stop_fd, info->thread_arg);

		/* Parked again before it says the handler ended: reused next. */
		pthread_mutex_lock(&w->lock);
		w->job = NULL;
		pthread_mutex_unlock(&w->lock);
		pthread_mutex_lock(&workers_lock);
		w->next_idle = idle_workers;
		idle_workers = w;
		pthread_mutex_unlock(&workers_lock);
		thread_handler_end(info);
		pthread_mutex_lock(&w->lock);
	}
	return NULL;
}

/* A parked worker, or a new one (its tid known); NULL if none can start. */
static struct handler_worker *worker_get(void)
{
	struct handler_worker *w;

	pthread_mutex_lock(&workers_lock);
	w = idle_workers;
	if (w)
		idle_workers = w->next_idle;
	pthread_mutex_unlock(&workers_lock);
	if (w)
		return w;
	/* Never freed: parked workers live as long as the process. */
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (create_thread(&w->thread, HANDLER_THREAD_STACK, worker_main, w)) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	pthread_detach(w->thread);
	pthread_mutex_lock(&w->lock);
	while (!w->tid)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return w;
}

struct pid *umd_emu_pid_create_thread(const char *name,
				      void (*fn)(int in_fd, int out_fd,
						 int stop_fd, void *arg),
				      void *arg, int in_fd, int out_fd)
{
	struct umd_emu_pidinfo *info = NULL;
	struct handler_worker *w;
	int exit_fd;

	exit_fd = eventfd(0, EFD_CLOEXEC);
	if (exit_fd >= 0)
		info = pidinfo_alloc(0, exit_fd, name, -1);
	if (!info)
		goto fail;
	info->is_thread = true;
	info->thread_fn = fn;
	info->thread_arg = arg;
	info->thread_in_fd = in_fd;
	info->thread_out_fd = out_fd;
	info->thread_stop_fd = eventfd(0, EFD_CLOEXEC);
	if (info->thread_stop_fd < 0)
		goto fail_info;
	w = worker_get();
	if (!w) {
		close(info->thread_stop_fd);
		goto fail_info;
	}
	/* Its number is its worker's thread id. */
	info->pid->nr = w->tid;
	pidinfo_list(info);
	pthread_mutex_lock(&w->lock);
	w->job = info;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return info->pid;

fail_info:
	pidinfo_free_unpublished(info);
fail:
	if (exit_fd >= 0)
		close(exit_fd);
	close(in_fd);
	close(out_fd);
	return NULL;
}

void put_pid(struct pid *pid)
{
	uint64_t one = 1;

	if (!pid || !refcount_dec_and_test(&pid->count))
		return;
	/* A thread handler has no collector: its worker holds the other ref. */
	if (pid->emu->is_thread) {
		pidinfo_put(pid->emu);
		return;
	}
	/*
	 * As in the kernel, a process still running keeps running: the
	 * collector reaps it when it exits, and frees what is left. One that
	 * has exited is reaped now, so that the caller sees it gone.
	 */
	if (thread_group_exited(pid))
		reap(pid->emu);
	if (write(pid->emu->stop_fd, &one, sizeof(one)) != sizeof(one))
		pr_err("umd-emu: cannot release %s[%d]\n", pid->emu->name,
		       pid->nr);
	/* Gone already: everything is released when this returns. */
	if (__atomic_load_n(&pid->emu->reaped, __ATOMIC_SEQ_CST))
		pthread_join(pid->emu->collector, NULL);
	else
		pthread_detach(pid->emu->collector);
	pidinfo_put(pid->emu);
}
EXPORT_SYMBOL_GPL(put_pid);

void umd_emu_pid_set_crash_injected(struct pid *pid)
{
	__atomic_store_n(&pid->emu->crash_injected, 1, __ATOMIC_SEQ_CST);
}

int umd_emu_pid_fd(struct pid *pid)
{
	return pid->emu->pidfd;
}

int kill_pid(struct pid *pid, int sig, int priv)
{
	(void)priv;
	if (!pid || __atomic_load_n(&pid->emu->reaped, __ATOMIC_SEQ_CST))
		return -ESRCH;
	if (pid->emu->is_thread) {
		/* A thread cannot be signalled, stopped or crashed: stopped. */
		if (!sig)
			return 0;
		if (sig == SIGSTOP || sig == SIGCONT || sig == SIGTSTP ||
		    sig == SIGTTIN || sig == SIGTTOU || sig < 0 || sig >= NSIG)
			return -EINVAL;
		return thread_stop(pid->emu);
	}
	return umd_emu_pid_signal(pid->emu, sig);
}
EXPORT_SYMBOL(kill_pid);

bool thread_group_exited(struct pid *pid)
{
	struct pollfd pfd;

	if (__atomic_load_n(&pid->emu->reaped, __ATOMIC_SEQ_CST))
		return true;
	pfd.fd = pid->emu->pidfd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN);
}
EXPORT_SYMBOL(thread_group_exited);
