// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the UMD primitives (umd_load_blob, fork_usermode_driver,
 * umd_cleanup_helper, struct pid) and of umd_send_recv(), against
 * umd_test_handler.
 */
#include <glib.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/usermode_driver_mgmt.h>

#include "emu-test.h"
#include "helpers.h"
#include "test_handler_proto.h"

static void *handler_blob;
static size_t handler_len;

static void load_blob(struct umd_info *info)
{
	memset(info, 0, sizeof(*info));
	info->driver_name = "umd_test";
	g_assert_cmpint(umd_load_blob(info, handler_blob, handler_len), ==, 0);
}

static void start(struct umd_info *info)
{
	th_handler_start(info, handler_blob, handler_len);
}

static void stop(struct umd_info *info)
{
	th_handler_stop(info);
}

/* Build a request with a payload of plen pattern bytes. */
static void *make_req(enum test_op op, u32 arg, u32 seed, size_t plen,
		      size_t reply_len, size_t *len)
{
	struct test_req *req;
	u8 *p;
	size_t i;

	*len = sizeof(*req) + plen;
	req = g_malloc(*len);
	req->magic = TEST_MAGIC;
	req->op = op;
	req->arg = arg;
	req->seed = seed;
	req->req_len = *len;
	req->reply_len = reply_len;
	p = (u8 *)(req + 1);
	for (i = 0; i < plen; i++)
		p[i] = test_pattern(seed, i);
	return req;
}

static void check_reply(const u8 *reply, size_t len, u32 seed)
{
	const struct test_reply_head *head = (const void *)reply;
	size_t i;

	g_assert_cmpuint(len, >=, sizeof(*head));
	g_assert_cmpuint(head->status, ==, 0);
	for (i = sizeof(*head); i < len; i++)
		if (reply[i] != test_pattern(seed ^ TEST_REPLY_XOR, i))
			g_error("reply byte %zu: %u", i, reply[i]);
}

static int exchange(struct umd_info *info, enum test_op op, u32 arg,
		    u32 seed, size_t plen, size_t rlen, u8 **reply_out)
{
	size_t len;
	void *req = make_req(op, arg, seed, plen, rlen, &len);
	u8 *reply = g_malloc0(rlen);
	int ret;

	ret = umd_send_recv(info, req, len, reply, rlen);
	g_free(req);
	if (!ret && op != TEST_OP_INFO)
		check_reply(reply, rlen, seed);
	if (reply_out)
		*reply_out = reply;
	else
		g_free(reply);
	return ret;
}

static void test_blob(void)
{
	struct th_state st;
	struct umd_info info;

	th_state_save(&st);
	load_blob(&info);
	g_assert_nonnull(info.wd.mnt);
	g_assert_nonnull(info.wd.dentry);
	/* A second load is refused with a warning, as in the kernel. */
	g_assert_cmpint(umd_load_blob(&info, handler_blob, handler_len), ==,
			-EBUSY);
	g_assert_cmpint(umd_unload_blob(&info), ==, 0);
	g_assert_null(info.wd.mnt);
	g_assert_cmpint(umd_unload_blob(&info), ==, -EINVAL);
	th_state_check(&st, 2);
}

static void test_fork_environment(void)
{
	struct th_state st;
	struct umd_info info;
	struct test_info *ti;
	char *cwd, *link;
	u8 *reply;

	th_state_save(&st);
	start(&info);
	g_assert_cmpint(fork_usermode_driver(&info), ==, -EBUSY);
	g_assert_cmpint(exchange(&info, TEST_OP_INFO, 0, 1, 0,
				 sizeof(*ti), &reply), ==, 0);
	ti = (struct test_info *)reply;
	g_assert_cmpuint(ti->pid, ==, pid_nr(info.tgid));
	g_assert_cmpuint(ti->ppid, ==, getpid());
	/* fd 0 and 1 are the pipes, fd 2 the log pipe; nothing else. */
	g_assert_cmphex(ti->open_fds, ==, 0x7);
	g_assert_cmpuint(ti->umask, ==, 022);
	g_assert_cmpuint(ti->nenv, ==, 0);
	g_assert_cmpuint(ti->nsigign, ==, 0);
	g_assert_cmpuint(ti->sigblocked, ==, 0);
	g_assert_cmpstr(ti->argv0, ==, "umd_test");
	/*
	 * The cwd is the root of a tmpfs mounted nowhere, as a kernel's
	 * kern_mount(): seen from outside it is "/", and getcwd() in the
	 * handler fails (the kernel says "(unreachable)/"). Without the
	 * handlers' namespace, it is the real "/".
	 */
	cwd = g_strdup_printf("/proc/%d/cwd", pid_nr(info.tgid));
	link = g_file_read_link(cwd, NULL);
	g_assert_cmpstr(link, ==, "/");
	g_assert_cmpstr(ti->cwd, ==, umd_emu_handler_ns_ready() ? "?" : "/");
	g_free(link);
	g_free(cwd);
	g_free(reply);
	stop(&info);
	g_assert_true(th_wait_kmsg(st.kmsg_seq, "Started umd_test", 5000));
	/* -EBUSY of the second fork warned once. */
	th_state_check(&st, 1);
}

static void test_exec_failure(void)
{
	static const char not_elf[] = "this is not an executable\n";
	struct th_state st;
	struct umd_info info = { .driver_name = "not_elf" };

	th_state_save(&st);
	g_assert_cmpint(umd_load_blob(&info, not_elf, sizeof(not_elf)), ==, 0);
	g_assert_cmpint(fork_usermode_driver(&info), ==, -ENOEXEC);
	g_assert_null(info.tgid);
	g_assert_cmpint(umd_unload_blob(&info), ==, 0);
	g_assert_cmpint(fork_usermode_driver(&info), ==, -ENOENT);
	th_state_check(&st, 0);
}

static void test_stderr_capture(void)
{
	struct th_state st;
	struct umd_info info;
	char line[64];
	int nr;

	th_state_save(&st);
	start(&info);
	nr = pid_nr(info.tgid);
	g_assert_cmpint(exchange(&info, TEST_OP_STDERR, 3, 2, 0, 8, NULL), ==,
			0);
	stop(&info);
	snprintf(line, sizeof(line), "umd_test[%d]: stderr line 2", nr);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq, line));
	th_state_check(&st, 0);
}

/* Is there a record with exactly this text (from seq on)? */
static int kmsg_exact(const struct umd_emu_kmsg_record *rec, void *data)
{
	const char **text = data;

	if (*text && !strcmp(rec->text, *text))
		*text = NULL;
	return 0;
}

static bool kmsg_has_exact(uint64_t seq, const char *text)
{
	umd_emu_kmsg_foreach(seq, kmsg_exact, &text);
	return !text;
}

/*
 * Every piece of a handler's stderr keeps its name and pid: a line over
 * 1024 bytes is logged in pieces, each named, and a line without its
 * newline when the handler ends is logged then, named too.
 */
static void test_stderr_partial(void)
{
	char *xs = g_strnfill(1016, 'x'), *head, *tail;
	struct th_state st;
	struct umd_info info;
	int nr;

	th_state_save(&st);
	start(&info);
	nr = pid_nr(info.tgid);
	/* "partial:" + 1500 x: 1024 bytes, then 484 when it ends. */
	g_assert_cmpint(exchange(&info, TEST_OP_STDERR_PARTIAL, 1500, 2, 0, 8,
				 NULL), ==, 0);
	head = g_strdup_printf("umd_test[%d]: partial:%s", nr, xs);
	xs[484] = '\0';
	tail = g_strdup_printf("umd_test[%d]: %s", nr, xs);
	stop(&info);
	g_assert_true(th_wait_kmsg(st.kmsg_seq, tail, 30000));
	g_assert_true(kmsg_has_exact(st.kmsg_seq, head));
	g_assert_true(kmsg_has_exact(st.kmsg_seq, tail));
	g_free(head);
	g_free(tail);
	g_free(xs);
	th_state_check(&st, 0);
}

/*
 * What a handler wrote to stderr before its reply is in the log once the
 * log is flushed, as a /dev/kmsg write is on a kernel: no waiting for the
 * collector thread (the e2e tests' "dmesg | grep" right after a write).
 */
static void test_stderr_flush(void)
{
	struct th_state st;
	struct umd_info info;
	char line[64];
	uint64_t seq;
	int i, nr;

	th_state_save(&st);
	start(&info);
	nr = pid_nr(info.tgid);
	snprintf(line, sizeof(line), "umd_test[%d]: stderr line 0", nr);
	for (i = 0; i < 200; i++) {
		seq = umd_emu_kmsg_next_seq();
		g_assert_cmpint(exchange(&info, TEST_OP_STDERR, 1, 2, 0, 8,
					 NULL), ==, 0);
		umd_emu_handler_logs_flush();
		g_assert_true(umd_emu_kmsg_contains(seq, line));
	}
	stop(&info);
	th_state_check(&st, 0);
}

static void test_cleanup_running(void)
{
	struct th_state st;
	struct umd_info info;

	/* Releasing a running handler: it sees EOF, exits, is reaped. */
	th_state_save(&st);
	start(&info);
	umd_cleanup_helper(&info);
	g_assert_null(info.tgid);
	g_assert_cmpint(umd_unload_blob(&info), ==, 0);
	th_state_check(&st, 0);
}

static void test_send_recv_sizes(void)
{
	static const size_t sizes[][2] = {
		{ 0, 8 }, { 1, 8 }, { 4096, 4096 }, { 65535, 65537 },
		{ 1 << 20, 8 }, { 0, 1 << 20 }, { 1 << 20, 1 << 20 },
	};
	struct th_state st;
	struct umd_info info;
	size_t i;

	th_state_save(&st);
	start(&info);
	for (i = 0; i < G_N_ELEMENTS(sizes); i++)
		g_assert_cmpint(exchange(&info, TEST_OP_ECHO, 0, i,
					 sizes[i][0], sizes[i][1], NULL), ==, 0);
	stop(&info);
	th_state_check(&st, 0);
}

static void test_send_recv_partial(void)
{
	struct th_state st;
	struct umd_info info;

	th_state_save(&st);
	start(&info);
	/* The handler moves one byte per system call: short reads here. */
	g_assert_cmpint(exchange(&info, TEST_OP_BYTEWISE, 0, 7, 100000, 70000,
				 NULL), ==, 0);
	/* Every kernel_read/kernel_write capped at 4093 bytes. */
	umd_emu_set_io_chunk(4093);
	g_assert_cmpint(exchange(&info, TEST_OP_ECHO, 0, 8, 1 << 20, 1 << 20,
				 NULL), ==, 0);
	umd_emu_set_io_chunk(1);
	g_assert_cmpint(exchange(&info, TEST_OP_ECHO, 0, 9, 3000, 3000, NULL),
			==, 0);
	umd_emu_set_io_chunk(0);
	stop(&info);
	th_state_check(&st, 0);
}

static void test_send_recv_errors(void)
{
	struct th_state st;
	struct umd_info info;
	u8 buf[8];

	th_state_save(&st);
	memset(&info, 0, sizeof(info));
	info.driver_name = "none";
	g_assert_cmpint(umd_send_recv(&info, buf, 8, buf, 8), ==, -EFAULT);

	/* Handler exits without replying: read meets EOF. */
	start(&info);
	g_assert_cmpint(exchange(&info, TEST_OP_EXIT, 0, 1, 16, 64, NULL), ==,
			-EFAULT);
	stop(&info);

	/* Handler killed in the middle of a large reply. */
	start(&info);
	g_assert_cmpint(exchange(&info, TEST_OP_DIE_MID_REPLY, 70000, 2, 16,
				 1 << 20, NULL), ==, -EFAULT);
	wait_event(info.tgid->wait_pidfd, thread_group_exited(info.tgid));
	/* The request pipe is broken now: -EPIPE, no SIGPIPE death. */
	g_assert_cmpint(exchange(&info, TEST_OP_ECHO, 0, 3, 16, 8, NULL), ==,
			-EPIPE);
	stop(&info);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq, "read fail 0"));
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq, "write fail -32"));
	th_state_check(&st, 0);
}

static void test_pid(void)
{
	struct th_state st;
	struct umd_info info;
	struct pid *extra;

	th_state_save(&st);
	start(&info);
	extra = get_pid(info.tgid);
	g_assert_false(thread_group_exited(extra));
	g_assert_cmpint(kill_pid(extra, SIGTERM, 1), ==, 0);
	wait_event(extra->wait_pidfd, thread_group_exited(extra));
	/*
	 * As kthreadd does, the runtime reaps it at once: no zombie, though
	 * nobody has released the struct pid yet, which stays valid.
	 */
	g_assert_true(th_wait_no_children(5000));
	g_assert_true(thread_group_exited(info.tgid));
	g_assert_cmpint(kill_pid(info.tgid, SIGTERM, 1), ==, -ESRCH);
	umd_cleanup_helper(&info);
	g_assert_true(thread_group_exited(extra));
	put_pid(extra);
	g_assert_cmpint(th_count_children(), ==, 0);
	g_assert_cmpint(umd_unload_blob(&info), ==, 0);
	g_assert_cmpint(pid_nr(NULL), ==, 0);
	g_assert_cmpint(kill_pid(NULL, SIGKILL, 1), ==, -ESRCH);
	put_pid(NULL);
	th_state_check(&st, 0);
}

/*
 * A handler's sanitizer report reaches the kernel log with file:line and
 * fails the test that triggered it (sanitizer builds only).
 */
static void test_sanitizer_report(void)
{
#ifdef __SANITIZE_ADDRESS__
	if (g_test_subprocess()) {
		struct th_state st;
		struct umd_info info;

		umd_emu_kmsg_set_echo(true);
		th_state_save(&st);
		start(&info);
		exchange(&info, TEST_OP_OVERFLOW, 0, 1, 0, 8, NULL);
		stop(&info);
		th_state_check(&st, 0);	/* must fail: a report was seen */
		return;
	}
	g_test_trap_subprocess(NULL, 30 * G_USEC_PER_SEC, 0);
	g_test_trap_assert_failed();
	g_test_trap_assert_stderr("*ERROR: AddressSanitizer: heap-buffer-overflow*");
	g_test_trap_assert_stderr("*umd_test[*]:*in serve *handlers/test_handler.c:*");
	g_test_trap_assert_stderr("*umd_emu_sanitizer_reports() == 0*");
#else
	g_test_skip("needs the AddressSanitizer build (tools/test.sh runs it)");
#endif
}

struct interrupter {
	pthread_t target;
	int delay_ms;
};

static void *interrupt_main(void *data)
{
	struct interrupter *it = data;

	g_usleep(it->delay_ms * 1000);
	pthread_kill(it->target, umd_emu_task_signal());
	return NULL;
}

/*
 * A thread serving a user process sleeps interruptibly on a handler's
 * pipes, as pipe_read()/pipe_write() do: the process's signal makes the
 * exchange fail with -ERESTARTSYS, which user space sees as EINTR. A
 * kernel thread (the emulator's own) is not interrupted.
 */
static void test_interrupt(void)
{
	struct interrupter it = { .target = pthread_self() };
	struct th_state st;
	struct umd_info info;
	pthread_t thread;
	int delays[] = { 0, 50 }, i;

	/* The thread's task state (an eventfd, kept while it lives) first. */
	umd_emu_set_current_pid(getpid());
	umd_emu_reset_current();
	th_state_save(&st);
	for (i = 0; i < (int)G_N_ELEMENTS(delays); i++) {
		/* A stopped handler: the reply never comes. */
		start(&info);
		g_assert_cmpint(kill_pid(info.tgid, SIGSTOP, 1), ==, 0);
		umd_emu_set_current_pid(getpid());
		g_assert_false(signal_pending(current));
		/* Before the sleep (0) and during it (50 ms). */
		it.delay_ms = delays[i];
		g_assert_cmpint(pthread_create(&thread, NULL, interrupt_main,
					       &it), ==, 0);
		g_assert_cmpint(exchange(&info, TEST_OP_ECHO, 0, 1, 16, 64,
					 NULL), ==, -ERESTARTSYS);
		pthread_join(thread, NULL);
		g_assert_true(signal_pending(current));
		/* The next request of the thread starts without it. */
		umd_emu_reset_current();
		g_assert_false(signal_pending(current));
		kill_pid(info.tgid, SIGCONT, 1);
		stop(&info);
	}
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq, "read fail -512"));
	g_assert_cmpint(umd_emu_errno_to_user(-ERESTARTSYS), ==, -EINTR);
	g_assert_cmpint(umd_emu_errno_to_user(-ENOIOCTLCMD), ==, -ENOTTY);
	g_assert_cmpint(umd_emu_errno_to_user(-EPIPE), ==, -EPIPE);
	g_assert_cmpint(umd_emu_errno_to_user(-600), ==, -EIO);

	/* The emulator's own thread: the signal changes nothing. */
	start(&info);
	pthread_kill(pthread_self(), umd_emu_task_signal());
	g_assert_false(signal_pending(current));
	g_assert_cmpint(exchange(&info, TEST_OP_ECHO, 0, 2, 16, 64, NULL),
			==, 0);
	stop(&info);
	th_state_check(&st, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	handler_blob = th_read_file(TEST_HANDLER_PATH, &handler_len);
	g_test_add_func("/umd/blob", test_blob);
	g_test_add_func("/umd/fork-environment", test_fork_environment);
	g_test_add_func("/umd/exec-failure", test_exec_failure);
	g_test_add_func("/umd/stderr-capture", test_stderr_capture);
	g_test_add_func("/umd/stderr-flush", test_stderr_flush);
	g_test_add_func("/umd/stderr-partial", test_stderr_partial);
	g_test_add_func("/umd/cleanup-running", test_cleanup_running);
	g_test_add_func("/umd/pid", test_pid);
	g_test_add_func("/umd/interrupt", test_interrupt);
	g_test_add_func("/umd/send-recv/sizes", test_send_recv_sizes);
	g_test_add_func("/umd/send-recv/partial", test_send_recv_partial);
	g_test_add_func("/umd/send-recv/errors", test_send_recv_errors);
	g_test_add_func("/umd/sanitizer-report", test_sanitizer_report);
	return g_test_run();
}
