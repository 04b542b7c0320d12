// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: signals to the user processes the emulator serves.
 *
 * A front-end thread that serves a user process (a write to the FUSE
 * securityfs, a control request: umd_emu_set_current_pid()) runs that
 * process's system call as its task, as a kernel would. On a kernel the
 * call sleeps interruptibly in pipe_read()/pipe_write() while the handler
 * works, and a signal to the process makes them return -ERESTARTSYS. Here
 * the front end learns of the signal (FUSE sends an INTERRUPT request and
 * libfuse pthread_kill()s the serving thread with UMD_EMU_TASK_SIGNAL, or
 * the front end calls umd_emu_task_signal_current()), and the thread's task
 * gets a pending signal: its waits in umd_emu_task_poll() (kernel_read()
 * and kernel_write() on a pipe, the watchdog's waits) return -ERESTARTSYS
 * unless the pipe is ready, a system call the signal interrupts ends, and
 * signal_pending(current) is true, until the thread serves its next
 * request.
 *
 * The pending state is an eventfd per thread, so a signal that lands
 * before the thread sleeps is not lost: the poll sees it. The handler of
 * UMD_EMU_TASK_SIGNAL only writes to it (async-signal-safe); the thread
 * variable it reads uses the initial-exec TLS model (no allocation).
 *
 * umd_emu_interrupt_all() is the emulator's shutdown: every task being
 * served gets a signal, and so does every later one, so that no request
 * can keep "umd-emu run" from ending. The emulator's own threads (module
 * init and exit, the tests) are kernel threads: they get no signals.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sched/signal.h>

#include "emu.h"
#include "internal.h"

struct task_sig {
	int wake_fd;			/* eventfd: readable while pending */
	int pending;			/* atomic */
	int interruptible;		/* atomic: serving a user process */
	int kthread;			/* running as a kernel thread meanwhile */
	pthread_t thread;
	struct list_head node;		/* in sig_list */
};

static __thread struct task_sig *tls_sig
	__attribute__((tls_model("initial-exec")));

static pthread_mutex_t sig_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(sig_list);
static int sig_dying;			/* atomic */
static pthread_key_t sig_key;
static pthread_once_t sig_once = PTHREAD_ONCE_INIT;
static bool sig_ready;

static void mark_pending(struct task_sig *t)
{
	uint64_t one = 1;

	__atomic_store_n(&t->pending, 1, __ATOMIC_SEQ_CST);
	if (write(t->wake_fd, &one, sizeof(one)) < 0) {
		/* The counter is full: it is readable anyway. */
	}
}

static void task_signal_handler(int sig)
{
	struct task_sig *t = tls_sig;
	int saved = errno;

	(void)sig;
	if (t && __atomic_load_n(&t->interruptible, __ATOMIC_SEQ_CST))
		mark_pending(t);
	errno = saved;
}

/* Thread exit: forget the thread's record. */
static void task_sig_free(void *data)
{
	struct task_sig *t = data;

	tls_sig = NULL;
	pthread_mutex_lock(&sig_lock);
	list_del(&t->node);
	pthread_mutex_unlock(&sig_lock);
	close(t->wake_fd);
	free(t);
}

static void sig_setup(void)
{
	struct sigaction sa, old;

	if (pthread_key_create(&sig_key, task_sig_free))
		return;
	/*
	 * Without SA_RESTART: the signal ends a blocking system call with
	 * EINTR. Someone else's handler (a program embedding the emulator)
	 * is kept; a task then wakes only through its eventfd.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = task_signal_handler;
	sigemptyset(&sa.sa_mask);
	if (!sigaction(UMD_EMU_TASK_SIGNAL, NULL, &old) &&
	    (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN))
		sigaction(UMD_EMU_TASK_SIGNAL, &sa, NULL);
	sig_ready = true;
}

int umd_emu_task_signal(void)
{
	pthread_once(&sig_once, sig_setup);
	return UMD_EMU_TASK_SIGNAL;
}

/* This thread's record, made on first use; NULL if that failed. */
static struct task_sig *task_sig_get(void)
{
	struct task_sig *t = tls_sig;

	if (t)
		return t;
	pthread_once(&sig_once, sig_setup);
	if (!sig_ready)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->wake_fd < 0) {
		free(t);
		return NULL;
	}
	t->thread = pthread_self();
	pthread_mutex_lock(&sig_lock);
	list_add(&t->node, &sig_list);
	pthread_mutex_unlock(&sig_lock);
	pthread_setspecific(sig_key, t);
	tls_sig = t;
	return t;
}

static void drain(struct task_sig *t)
{
	uint64_t n;

	if (!__atomic_exchange_n(&t->pending, 0, __ATOMIC_SEQ_CST))
		return;
	while (read(t->wake_fd, &n, sizeof(n)) > 0)
		;
}

void umd_emu_task_begin(void)
{
	struct task_sig *t = task_sig_get();

	if (!t)
		return;
	drain(t);
	__atomic_store_n(&t->interruptible, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sig_dying, __ATOMIC_SEQ_CST))
		mark_pending(t);
}

void umd_emu_task_end(void)
{
	struct task_sig *t = tls_sig;

	if (!t)
		return;
	__atomic_store_n(&t->interruptible, 0, __ATOMIC_SEQ_CST);
	drain(t);
}

void umd_emu_task_signal_current(void)
{
	struct task_sig *t = tls_sig;

	if (t && __atomic_load_n(&t->interruptible, __ATOMIC_SEQ_CST))
		mark_pending(t);
}

bool umd_emu_task_interruptible(void)
{
	struct task_sig *t = tls_sig;

	return t && !t->kthread &&
	       __atomic_load_n(&t->interruptible, __ATOMIC_SEQ_CST);
}

bool umd_emu_task_signal_pending(void)
{
	return umd_emu_task_interruptible() &&
	       __atomic_load_n(&tls_sig->pending, __ATOMIC_SEQ_CST);
}

/*
 * Work the kernel does for the task in another context, which signals do
 * not interrupt (request_module(): modprobe runs the module's init in a
 * process of its own). A signal that comes meanwhile stays pending.
 */
void umd_emu_task_kthread_begin(void)
{
	if (tls_sig)
		tls_sig->kthread++;
}

void umd_emu_task_kthread_end(void)
{
	if (tls_sig)
		tls_sig->kthread--;
}

/* Milliseconds left until deadline (CLOCK_MONOTONIC), at least 0. */
static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

int umd_emu_task_poll(int fd, short events, long timeout_ms)
{
	struct task_sig *t = tls_sig;
	struct pollfd pfd[2];
	struct timespec deadline;
	long left = timeout_ms;
	int n, nfds = 1;

	if (!umd_emu_task_interruptible()) {
		t = NULL;
		if (timeout_ms < 0)
			return 1;	/* a kernel thread just blocks */
	}
	if (timeout_ms >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout_ms / 1000;
		deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	pfd[0].fd = fd;
	pfd[0].events = events;
	if (t) {
		pfd[1].fd = t->wake_fd;
		pfd[1].events = POLLIN;
		nfds = 2;
	}
	for (;;) {
		pfd[0].revents = pfd[1].revents = 0;
		n = poll(pfd, nfds, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n < 0 && errno != EINTR)
			return 1;	/* let the I/O itself report it */
		/* As pipe_read()/pipe_write(): a ready pipe wins. */
		if (n > 0 && pfd[0].revents)
			return 1;
		if (t && (n > 0 ||
			  __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST)))
			return -ERESTARTSYS;
		if (timeout_ms >= 0) {
			left = ms_left(&deadline);
			if (!left)
				return 0;
		}
	}
}

void umd_emu_interrupt_all(void)
{
	struct task_sig *t;

	__atomic_store_n(&sig_dying, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&sig_lock);
	list_for_each_entry(t, &sig_list, node) {
		if (!__atomic_load_n(&t->interruptible, __ATOMIC_SEQ_CST))
			continue;
		mark_pending(t);
		/* Also end a system call it may be blocked in. */
		pthread_kill(t->thread, UMD_EMU_TASK_SIGNAL);
	}
	pthread_mutex_unlock(&sig_lock);
}

long umd_emu_errno_to_user(long ret)
{
	if (ret >= 0)
		return ret;
	switch (-ret) {
	case ERESTARTSYS:
	case ERESTARTNOINTR:
	case ERESTARTNOHAND:
	case ERESTART_RESTARTBLOCK:
		/* A signal interrupted the call: it returns EINTR. */
		return -EINTR;
	case ENOIOCTLCMD:
		return -ENOTTY;
	case ENOTSUPP:
		return -EOPNOTSUPP;
	}
	if (ret < -(ERESTARTSYS - 1)) {
		pr_notice("umd-emu: %ld is no error user space can see: EIO\n",
			  ret);
		return -EIO;
	}
	return ret;
}
