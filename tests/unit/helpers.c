// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the unit tests. */
#include <dlfcn.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/usermode_driver.h>

#include "emu.h"
#include "helpers.h"

void *th_modsym(const char *dir, const char *module, const char *symbol)
{
	char *path = g_strdup_printf("%s/%s.ko", dir, module);
	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	void *p = NULL;

	if (h) {
		p = dlsym(h, symbol);
		dlclose(h);
	}
	g_free(path);
	return p;
}

void th_handler_start(struct umd_info *info, const void *blob, size_t len)
{
	memset(info, 0, sizeof(*info));
	info->driver_name = "umd_test";
	g_assert_cmpint(umd_load_blob(info, blob, len), ==, 0);
	g_assert_cmpint(fork_usermode_driver(info), ==, 0);
	g_assert_nonnull(info->tgid);
}

void th_handler_stop(struct umd_info *info)
{
	if (info->tgid) {
		kill_pid(info->tgid, SIGKILL, 1);
		wait_event(info->tgid->wait_pidfd,
			   thread_group_exited(info->tgid));
		umd_cleanup_helper(info);
	}
	g_assert_null(info->tgid);
	g_assert_cmpint(umd_unload_blob(info), ==, 0);
}

int th_count_fds(void)
{
	int n = umd_emu_count_fds();

	g_assert_cmpint(n, >=, 0);
	return n;
}

int th_count_children(void)
{
	int n = umd_emu_count_children();

	g_assert_cmpint(n, >=, 0);
	return n;
}

void *th_read_file(const char *path, size_t *len)
{
	gchar *data = NULL;
	gsize n = 0;
	GError *err = NULL;

	if (!g_file_get_contents(path, &data, &n, &err))
		g_error("cannot read %s: %s", path, err->message);
	*len = n;
	return data;
}

bool th_wait_no_children(int ms)
{
	int i;

	for (i = 0; i < ms; i++) {
		if (!umd_emu_live_children() && !th_count_children())
			return true;
		g_usleep(1000);
	}
	return false;
}

static int dump_one(const struct umd_emu_kmsg_record *rec, void *data)
{
	(void)data;
	g_printerr("  kmsg %llu <%d> %s\n", (unsigned long long)rec->seq,
		   rec->level, rec->text);
	return 0;
}

bool th_wait_kmsg(uint64_t seq, const char *needle, int ms)
{
	int i;

	for (i = 0; i < ms; i++) {
		if (umd_emu_kmsg_contains(seq, needle))
			return true;
		g_usleep(1000);
	}
	return umd_emu_kmsg_contains(seq, needle);
}

void th_dump_kmsg(uint64_t seq)
{
	umd_emu_kmsg_foreach(seq, dump_one, NULL);
}

void th_state_save(struct th_state *st)
{
	/* The handlers' namespace is made once and kept: not a leak. */
	umd_emu_handler_ns_ready();
	st->fds = th_count_fds();
	st->warnings = umd_emu_warnings();
	st->kmsg_seq = umd_emu_kmsg_next_seq();
}

void th_state_check(const struct th_state *st, unsigned long expected_warnings)
{
	bool clean = th_wait_no_children(2000);

	if (!clean || th_count_fds() != st->fds ||
	    umd_emu_mutexes_held() ||
	    umd_emu_warnings() - st->warnings != expected_warnings ||
	    umd_emu_sanitizer_reports())
		th_dump_kmsg(st->kmsg_seq);
	g_assert_true(clean);
	g_assert_cmpint(umd_emu_live_children(), ==, 0);
	g_assert_cmpint(th_count_children(), ==, 0);
	g_assert_cmpint(th_count_fds(), ==, st->fds);
	g_assert_cmpint(umd_emu_mutexes_held(), ==, 0);
	g_assert_cmpuint(umd_emu_warnings() - st->warnings, ==,
			 expected_warnings);
	g_assert_cmpuint(umd_emu_sanitizer_reports(), ==, 0);
}

/*
 * Every test program bounds itself: a hang (a request never answered, a
 * wait that never ends) fails it within UMD_EMU_TEST_BOUND_S seconds
 * (default 60), naming the requests still waiting for their handler and
 * showing the kernel log, instead of running into meson's timeout. The
 * bound is far above what any test takes on a busy machine; it is not a
 * speed check.
 */
static int print_request(const struct umd_emu_request_info *r, void *data)
{
	(void)data;
	g_printerr("hung: request %lu to %s[%d]: waiting %ld ms to %s\n",
		   r->request, r->driver, r->pid, r->waiting_ms,
		   r->writing ? "write the request" : "read the reply");
	return 0;
}

static void *bound_main(void *data)
{
	int seconds = GPOINTER_TO_INT(data);

	g_usleep((gulong)seconds * G_USEC_PER_SEC);
	g_printerr("hung: %s is still running after %d s (UMD_EMU_TEST_BOUND_S)\n",
		   g_get_prgname() ?: "the test", seconds);
	umd_emu_requests_foreach(print_request, NULL);
	th_dump_kmsg(0);
	abort();
	return NULL;
}

__attribute__((constructor)) static void th_bound_start(void)
{
	const char *env = getenv("UMD_EMU_TEST_BOUND_S");
	int seconds = env ? atoi(env) : 60;
	pthread_attr_t attr;
	pthread_t thread;

	if (seconds <= 0)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, bound_main,
			   GINT_TO_POINTER(seconds)))
		g_printerr("no test bound: cannot start its thread\n");
	pthread_attr_destroy(&attr);
}
