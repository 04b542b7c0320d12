// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the lifecycle library (core/usermode_driver_mgmt.c): lazy
 * load of the UMD Loader module through request_module(), restart, shutdown
 * after a broken exchange, post_start, serialization, clean unload.
 *
 * This program plays the UMD Manager: it is built into the emulated kernel
 * and exports umdtest_mgmt, which the loader module umdtest_loader.ko uses.
 */
#include <glib.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/usermode_driver_mgmt.h>

#include "emu.h"
#include "helpers.h"
#include "test_handler_proto.h"

struct umd_mgmt umdtest_mgmt;

static int post_start_calls;
static int post_start_error;

static int send_req(enum test_op op, u32 arg, u32 seed, size_t plen,
		    size_t rlen, bool locked);

static int umdtest_post_start(struct umd_mgmt *mgmt)
{
	post_start_calls++;
	if (post_start_error)
		return post_start_error;
	/* A health check, under the lock umd_mgmt_send_recv() holds. */
	return send_req(TEST_OP_ECHO, 0, 99, 4, 8, true);
}

static void mgmt_reset(void)
{
	g_assert_false(umd_emu_module_loaded("umdtest_loader"));
	memset(&umdtest_mgmt, 0, sizeof(umdtest_mgmt));
	mutex_init(&umdtest_mgmt.lock);
	umdtest_mgmt.info.driver_name = "umd_test";
	umdtest_mgmt.post_start = umdtest_post_start;
	umdtest_mgmt.kmod = "umdtest_loader";
	post_start_calls = 0;
	post_start_error = 0;
}

static int send_req(enum test_op op, u32 arg, u32 seed, size_t plen,
		    size_t rlen, bool locked)
{
	struct test_reply_head *head;
	struct test_req *req;
	size_t len = sizeof(*req) + plen, i;
	u8 *p, *reply;
	int ret;

	req = g_malloc(len);
	reply = g_malloc0(rlen);
	*req = (struct test_req) {
		.magic = TEST_MAGIC, .op = op, .arg = arg, .seed = seed,
		.req_len = len, .reply_len = rlen,
	};
	p = (u8 *)(req + 1);
	for (i = 0; i < plen; i++)
		p[i] = test_pattern(seed, i);
	if (locked)
		ret = umd_send_recv(&umdtest_mgmt.info, req, len, reply, rlen);
	else
		ret = umd_mgmt_send_recv(&umdtest_mgmt, req, len, reply, rlen);
	if (!ret) {
		head = (struct test_reply_head *)reply;
		if (head->status)
			ret = -EBADMSG;
		for (i = sizeof(*head); i < rlen && !ret; i++)
			if (reply[i] != test_pattern(seed ^ TEST_REPLY_XOR, i))
				ret = -EBADMSG;
	}
	g_free(req);
	g_free(reply);
	return ret;
}

static void unload(void)
{
	g_assert_cmpint(umd_emu_rmmod("umdtest_loader"), ==, 0);
	g_assert_false(umdtest_mgmt.kmod_loaded);
	g_assert_null(umdtest_mgmt.info.tgid);
	g_assert_null(umdtest_mgmt.info.wd.mnt);
	g_assert_false(mutex_is_locked(&umdtest_mgmt.lock));
}

static void test_lazy_load(void)
{
	struct th_state st;
	pid_t first;

	mgmt_reset();
	th_state_save(&st);
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 1, 100, 100, false), ==, 0);
	g_assert_true(umd_emu_module_loaded("umdtest_loader"));
	g_assert_true(umdtest_mgmt.kmod_loaded);
	g_assert_cmpint(post_start_calls, ==, 1);
	g_assert_cmpint(umd_emu_live_children(), ==, 1);
	first = pid_nr(umdtest_mgmt.info.tgid);
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 2, 100, 100, false), ==, 0);
	g_assert_cmpint(pid_nr(umdtest_mgmt.info.tgid), ==, first);
	g_assert_cmpint(post_start_calls, ==, 1);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq, "Loaded umd_test pid"));

	/* Unloaded while idle: the next request loads it again. */
	unload();
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 3, 100, 100, false), ==, 0);
	g_assert_true(umd_emu_module_loaded("umdtest_loader"));
	g_assert_cmpint(post_start_calls, ==, 2);
	unload();
	th_state_check(&st, 0);
}

static void test_restart_after_exit(void)
{
	struct th_state st;
	pid_t first;

	mgmt_reset();
	th_state_save(&st);
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 1, 10, 10, false), ==, 0);
	first = pid_nr(umdtest_mgmt.info.tgid);
	/* The handler dies between two requests (killed from outside). */
	g_assert_cmpint(kill(first, SIGTERM), ==, 0);
	while (!thread_group_exited(umdtest_mgmt.info.tgid))
		g_usleep(1000);
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 2, 10, 10, false), ==, 0);
	g_assert_cmpint(pid_nr(umdtest_mgmt.info.tgid), !=, first);
	g_assert_cmpint(post_start_calls, ==, 2);
	g_assert_cmpint(umd_emu_live_children(), ==, 1);
	unload();
	th_state_check(&st, 0);
}

static void test_shutdown_on_error(void)
{
	struct th_state st;
	pid_t first;

	mgmt_reset();
	th_state_save(&st);
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 1, 10, 10, false), ==, 0);
	first = pid_nr(umdtest_mgmt.info.tgid);
	/* Killed mid-reply: the request fails, the handler is shut down. */
	g_assert_cmpint(send_req(TEST_OP_DIE_MID_REPLY, 5000, 2, 10, 1 << 20,
				 false), ==, -EFAULT);
	g_assert_null(umdtest_mgmt.info.tgid);
	g_assert_cmpint(umd_emu_live_children(), ==, 0);
	g_assert_cmpint(th_count_children(), ==, 0);
	/* Handler exits instead of answering: same. */
	g_assert_cmpint(send_req(TEST_OP_EXIT, 3, 3, 10, 10, false), ==,
			-EFAULT);
	g_assert_null(umdtest_mgmt.info.tgid);
	/* The next request gets a fresh handler. */
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 4, 10, 10, false), ==, 0);
	g_assert_cmpint(pid_nr(umdtest_mgmt.info.tgid), !=, first);
	g_assert_cmpint(post_start_calls, ==, 3);
	unload();
	th_state_check(&st, 0);
}

static void test_post_start_failure(void)
{
	struct th_state st;

	mgmt_reset();
	th_state_save(&st);
	post_start_error = -EIO;
	/* The loader's init fails, so the loader is not loaded. */
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 1, 10, 10, false), ==,
			-ENOPROTOOPT);
	g_assert_false(umd_emu_module_loaded("umdtest_loader"));
	g_assert_cmpint(post_start_calls, ==, 1);
	g_assert_null(umdtest_mgmt.info.tgid);
	g_assert_null(umdtest_mgmt.info.wd.mnt);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
					    "post-start check failed: -5"));
	g_assert_cmpint(th_count_children(), ==, 0);

	/* A post_start failure on restart fails only that request. */
	post_start_error = 0;
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 2, 10, 10, false), ==, 0);
	post_start_error = -EIO;
	g_assert_cmpint(send_req(TEST_OP_EXIT, 0, 3, 10, 10, false), ==,
			-EFAULT);
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 4, 10, 10, false), ==, -EIO);
	g_assert_null(umdtest_mgmt.info.tgid);
	post_start_error = 0;
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 5, 10, 10, false), ==, 0);
	unload();
	th_state_check(&st, 0);
}

static void test_loader_missing(void)
{
	struct th_state st;
	char *saved;

	mgmt_reset();
	th_state_save(&st);
	saved = g_strdup(umd_emu_module_get_path());
	umd_emu_module_set_path("/nonexistent");
	g_assert_cmpint(send_req(TEST_OP_ECHO, 0, 1, 10, 10, false), ==,
			-ENOPROTOOPT);
	umd_emu_module_set_path(saved);
	g_free(saved);
	/* modprobe's own words: the file is not there. */
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "modprobe: FATAL: Module umdtest_loader not found in directory /nonexistent"));
	th_state_check(&st, 0);
}

#define CONC_THREADS 8
#define CONC_REQUESTS 40

static int conc_errors;

static void *conc_worker(void *data)
{
	u32 id = GPOINTER_TO_UINT(data);
	int i;

	for (i = 0; i < CONC_REQUESTS; i++) {
		/* Larger than a pipe: interleaved requests would corrupt. */
		if (send_req(TEST_OP_ECHO, 0, id * 1000 + i, 100000, 70000,
			     false))
			__atomic_add_fetch(&conc_errors, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void test_concurrent(void)
{
	pthread_t t[CONC_THREADS];
	struct th_state st;
	unsigned long started;
	int i;

	mgmt_reset();
	th_state_save(&st);
	started = umd_emu_children_started();
	conc_errors = 0;
	for (i = 0; i < CONC_THREADS; i++)
		pthread_create(&t[i], NULL, conc_worker, GUINT_TO_POINTER(i));
	for (i = 0; i < CONC_THREADS; i++)
		pthread_join(t[i], NULL);
	g_assert_cmpint(conc_errors, ==, 0);
	/* One loader load, one handler, which served every request. */
	g_assert_cmpuint(umd_emu_children_started() - started, ==, 1);
	g_assert_cmpint(post_start_calls, ==, 1);
	unload();
	th_state_check(&st, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	umd_emu_module_set_path(TEST_MODULES_DIR);
	g_test_add_func("/mgmt/lazy-load", test_lazy_load);
	g_test_add_func("/mgmt/restart-after-exit", test_restart_after_exit);
	g_test_add_func("/mgmt/shutdown-on-error", test_shutdown_on_error);
	g_test_add_func("/mgmt/post-start-failure", test_post_start_failure);
	g_test_add_func("/mgmt/loader-missing", test_loader_missing);
	g_test_add_func("/mgmt/concurrent", test_concurrent);
	return g_test_run();
}
