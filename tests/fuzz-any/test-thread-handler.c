// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of thread handlers (umd_emu_set_handler_thread()): the
 * handler of a UMD as a thread of this process, for fuzzers. Start,
 * exchange, stop, the handler ending by itself, the sample UMD's manager
 * served by a thread; nothing left behind (fds, held mutexes, WARNINGs).
 */
#include <errno.h>
#include <glib.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/usermode_driver.h>

#include "emu-test.h"
#include "helpers.h"

#define DRIVER "thread_test"

/* Wait for fd (or stop_fd): 1 ready, 0 stopped. */
static int wait_fd(int fd, short events, int stop_fd)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = events },
		{ .fd = stop_fd, .events = POLLIN },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		if (pfd[1].revents)
			return 0;
		if (pfd[0].revents)
			return 1;
	}
}

/* Echoes each byte + 1 until end of file or stop; counts its requests. */
static int echo_requests;
static int echo_stopped;

static void echo_handler(int in_fd, int out_fd, int stop_fd, void *arg)
{
	unsigned char buf[256];
	ssize_t n, i;

	g_assert_true(arg == &echo_requests);
	for (;;) {
		if (!wait_fd(in_fd, POLLIN, stop_fd)) {
			__atomic_store_n(&echo_stopped, 1, __ATOMIC_SEQ_CST);
			return;
		}
		n = read(in_fd, buf, sizeof(buf));
		if (n <= 0)
			return;
		for (i = 0; i < n; i++)
			buf[i]++;
		__atomic_add_fetch(&echo_requests, 1, __ATOMIC_SEQ_CST);
		if (!wait_fd(out_fd, POLLOUT, stop_fd) ||
		    write(out_fd, buf, n) != n)
			return;
	}
}

static const char blob[] = "not an executable: a thread runs instead";

static void start(struct umd_info *info)
{
	memset(info, 0, sizeof(*info));
	info->driver_name = DRIVER;
	g_assert_cmpint(umd_load_blob(info, blob, sizeof(blob)), ==, 0);
	g_assert_cmpint(fork_usermode_driver(info), ==, 0);
	g_assert_nonnull(info->tgid);
}

static void exchange(struct umd_info *info, const char *msg)
{
	size_t len = strlen(msg);
	char reply[64];
	loff_t pos = 0;
	size_t i;

	g_assert_cmpint(kernel_write(info->pipe_to_umh, msg, len, &pos), ==,
			len);
	pos = 0;
	g_assert_cmpint(kernel_read(info->pipe_from_umh, reply, len, &pos), ==,
			len);
	for (i = 0; i < len; i++)
		g_assert_cmpint((unsigned char)reply[i], ==,
				(unsigned char)msg[i] + 1);
}

/* Kill, wait, clean up and unload, as umd_mgmt's shutdown does. */
static void stop(struct umd_info *info)
{
	struct pid *tgid = info->tgid;

	g_assert_cmpint(kill_pid(tgid, SIGKILL, 1), ==, 0);
	wait_event(tgid->wait_pidfd, thread_group_exited(tgid));
	umd_cleanup_helper(info);
	g_assert_null(info->tgid);
	g_assert_cmpint(umd_unload_blob(info), ==, 0);
}

static void test_start_exchange_stop(void)
{
	struct th_state st;
	struct umd_info info;
	char task[64];
	struct stat sb;
	int children = umd_emu_count_children();

	th_state_save(&st);
	umd_emu_set_handler_thread(DRIVER, echo_handler, &echo_requests);
	__atomic_store_n(&echo_requests, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&echo_stopped, 0, __ATOMIC_SEQ_CST);
	start(&info);
	/* Its number is a thread of this process, counted as a handler. */
	snprintf(task, sizeof(task), "/proc/self/task/%d", pid_nr(info.tgid));
	g_assert_cmpint(stat(task, &sb), ==, 0);
	g_assert_cmpint(pid_nr(info.tgid), !=, getpid());
	g_assert_true(umd_emu_pid_is_handler(pid_nr(info.tgid)));
	g_assert_cmpint(umd_emu_live_children(), ==, 1);
	/* No process was started. */
	g_assert_cmpint(umd_emu_count_children(), ==, children);
	g_assert_false(thread_group_exited(info.tgid));

	exchange(&info, "hello");
	exchange(&info, "a second request");
	g_assert_cmpint(__atomic_load_n(&echo_requests, __ATOMIC_SEQ_CST), ==, 2);

	/* Signals it cannot take are refused; 0 only probes. */
	g_assert_cmpint(kill_pid(info.tgid, 0, 1), ==, 0);
	g_assert_cmpint(kill_pid(info.tgid, SIGSTOP, 1), ==, -EINVAL);
	g_assert_false(thread_group_exited(info.tgid));
	stop(&info);
	g_assert_true(__atomic_load_n(&echo_stopped, __ATOMIC_SEQ_CST));
	g_assert_cmpint(umd_emu_live_children(), ==, 0);
	umd_emu_set_handler_thread(NULL, NULL, NULL);
	th_state_check(&st, 0);
}

/* A handler whose function returns: end of file, exited, reaped. */
static void test_handler_returns(void)
{
	struct th_state st;
	struct umd_info info;
	uint64_t seq = umd_emu_kmsg_next_seq();
	loff_t pos = 0;
	char c;
	int n;

	th_state_save(&st);
	umd_emu_set_handler_thread(DRIVER, echo_handler, &echo_requests);
	start(&info);
	exchange(&info, "x");
	/* The request pipe closing ends it: its read sees end of file. */
	fput(info.pipe_to_umh);
	info.pipe_to_umh = NULL;
	wait_event(info.tgid->wait_pidfd, thread_group_exited(info.tgid));
	g_assert_cmpint(kernel_read(info.pipe_from_umh, &c, 1, &pos), ==, 0);
	/* Like a zombie not reaped yet, or -ESRCH once reaped: harmless. */
	n = kill_pid(info.tgid, SIGKILL, 1);
	g_assert_true(n == 0 || n == -ESRCH);
	fput(info.pipe_from_umh);
	put_pid(info.tgid);
	info.tgid = NULL;
	g_assert_cmpint(umd_unload_blob(&info), ==, 0);
	g_assert_true(th_wait_kmsg(seq, "exited (a thread handler", 2000));
	g_assert_cmpint(umd_emu_live_children(), ==, 0);
	umd_emu_set_handler_thread(NULL, NULL, NULL);
	th_state_check(&st, 0);
}

/* umd_emu_kill_handlers() (the emulator's shutdown) stops threads too. */
static void test_kill_handlers(void)
{
	struct th_state st;
	struct umd_info info;

	th_state_save(&st);
	umd_emu_set_handler_thread(DRIVER, echo_handler, &echo_requests);
	start(&info);
	g_assert_cmpint(umd_emu_kill_handlers(), ==, 1);
	wait_event(info.tgid->wait_pidfd, thread_group_exited(info.tgid));
	umd_cleanup_helper(&info);
	g_assert_cmpint(umd_unload_blob(&info), ==, 0);
	umd_emu_set_handler_thread(NULL, NULL, NULL);
	th_state_check(&st, 0);
}

/* An injected crash cannot crash a thread: it is stopped instead. */
static void test_crash_setting(void)
{
	struct th_state st;
	struct umd_info info;
	char *error = NULL;
	char c = 'a';
	loff_t pos = 0;
	ssize_t n;

	th_state_save(&st);
	umd_emu_set_handler_thread(DRIVER, echo_handler, &echo_requests);
	g_assert_cmpint(umd_emu_fault_configure("crash:driver=" DRIVER
						",at=reply,signal=SEGV",
						&error), ==, 0);
	start(&info);
	g_assert_cmpint(kernel_write(info.pipe_to_umh, &c, 1, &pos), ==, 1);
	pos = 0;
	n = kernel_read(info.pipe_from_umh, &c, 1, &pos);
	g_assert_cmpint(n, <=, 0);
	wait_event(info.tgid->wait_pidfd, thread_group_exited(info.tgid));
	umd_cleanup_helper(&info);
	g_assert_cmpint(umd_unload_blob(&info), ==, 0);
	umd_emu_fault_reset();
	umd_emu_set_handler_thread(NULL, NULL, NULL);
	th_state_check(&st, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/thread-handler/start-exchange-stop",
			test_start_exchange_stop);
	g_test_add_func("/thread-handler/returns", test_handler_returns);
	g_test_add_func("/thread-handler/kill-handlers", test_kill_handlers);
	g_test_add_func("/thread-handler/crash-setting", test_crash_setting);
	return g_test_run();
}
