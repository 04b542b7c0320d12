// SPDX-License-Identifier: GPL-2.0
/*
 * bpfilter on the management library: the sockopt front end
 * (core/bpfilter/sockopt.c, module bpfilter_sockopt) and the loader
 * "bpfilter" with bpfilter_umh, driven as the network stack drives them.
 */
#include <dlfcn.h>
#include <glib.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/bpfilter.h>
#include <linux/sched/signal.h>

#include "emu-test.h"
#include "helpers.h"

static int (*set_sockopt)(struct sock *sk, int optname, sockptr_t optval,
			  unsigned int optlen);
static int (*get_sockopt)(struct sock *sk, int optname, char __user *optval,
			  int __user *optlen);
static struct umd_mgmt *ops;

static void *modsym(const char *module, const char *symbol)
{
	return th_modsym(BPFILTER_MODULES_DIR, module, symbol);
}

static int set(int optname, void *buf, unsigned int len)
{
	return set_sockopt(NULL, optname, USER_SOCKPTR(buf), len);
}

static int get(int optname, void *buf, int len)
{
	int ret;

	/* optlen is user memory the kernel reads with get_user(). */
	umd_emu_user_map(&len, sizeof(len), true);
	ret = get_sockopt(NULL, optname, buf, &len);
	umd_emu_user_unmap(&len);
	return ret;
}

static void test_first_call(void)
{
	char buf[16] = "bpfilter-table!";
	struct th_state st;
	char line[96];

	th_state_save(&st);
	g_assert_false(umd_emu_module_loaded("bpfilter"));
	g_assert_cmpint(set(BPFILTER_IPT_SO_SET_REPLACE, buf, sizeof(buf)), ==,
			-ENOPROTOOPT);
	g_assert_true(umd_emu_module_loaded("bpfilter"));
	g_assert_true(th_wait_kmsg(st.kmsg_seq, "Started bpfilter", 5000));
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
					    "Loaded bpfilter_umh pid"));
	/* The handler read the bytes from this process, by its pid. */
	snprintf(line, sizeof(line), "set cmd 64 from pid %d: 16 bytes",
		 getpid());
	g_assert_true(th_wait_kmsg(st.kmsg_seq, line, 5000));
	g_assert_cmpint(set(BPFILTER_IPT_SO_SET_ADD_COUNTERS, buf, 4), ==,
			-ENOPROTOOPT);
	g_assert_cmpint(get(BPFILTER_IPT_SO_GET_INFO, buf, 8), ==,
			-ENOPROTOOPT);
	g_assert_cmpint(get(BPFILTER_IPT_SO_GET_REVISION_TARGET, buf, 8), ==,
			-ENOPROTOOPT);
	g_assert_cmpint(get(0, buf, 0), ==, 0);	/* the health check */
	g_assert_cmpint(umd_emu_live_children(), ==, 1);
	g_assert_cmpint(umd_emu_rmmod("bpfilter"), ==, 0);
	th_state_check(&st, 0);
}

static void test_kernel_pointer(void)
{
	char buf[8];
	uint64_t seq = umd_emu_kmsg_next_seq();

	g_assert_cmpint(set_sockopt(NULL, BPFILTER_IPT_SO_SET_REPLACE,
				    KERNEL_SOCKPTR(buf), sizeof(buf)), ==,
			-EFAULT);
	g_assert_true(umd_emu_kmsg_contains(seq, "kernel access not supported"));
	/* A user optlen that is not mapped faults in get_user(). */
	g_assert_cmpint(get_sockopt(NULL, BPFILTER_IPT_SO_GET_INFO, buf,
				    (int *)buf), ==, -EFAULT);
	g_assert_false(umd_emu_module_loaded("bpfilter"));
}

static void test_restart_and_reload(void)
{
	struct th_state st;
	pid_t first;
	char buf[4];

	th_state_save(&st);
	g_assert_cmpint(set(64, buf, 4), ==, -ENOPROTOOPT);
	first = pid_nr(ops->info.tgid);
	kill(first, SIGKILL);
	while (!thread_group_exited(ops->info.tgid))
		g_usleep(1000);
	g_assert_cmpint(set(64, buf, 4), ==, -ENOPROTOOPT);
	g_assert_cmpint(pid_nr(ops->info.tgid), !=, first);
	/* Unloaded while idle: the next call loads it again. */
	g_assert_cmpint(umd_emu_rmmod("bpfilter"), ==, 0);
	g_assert_null(ops->info.tgid);
	g_assert_cmpint(set(64, buf, 4), ==, -ENOPROTOOPT);
	g_assert_true(umd_emu_module_loaded("bpfilter"));
	g_assert_cmpint(umd_emu_rmmod("bpfilter"), ==, 0);
	th_state_check(&st, 0);
}

static void test_health_check_failure(void)
{
	struct th_state st;
	char buf[4], *error = NULL;

	th_state_save(&st);
	/* The handler dies during its health check: the load fails. */
	g_assert_cmpint(umd_emu_fault_configure(
		"crash:driver=bpfilter_umh,nth=1,at=request-end", &error), ==, 0);
	g_assert_cmpint(set(64, buf, 4), ==, -ENOPROTOOPT);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "bpfilter_umh: post-start check failed"));
	g_assert_false(umd_emu_module_loaded("bpfilter"));
	umd_emu_fault_reset();
	g_assert_cmpint(set(64, buf, 4), ==, -ENOPROTOOPT);
	g_assert_true(umd_emu_module_loaded("bpfilter"));
	g_assert_cmpint(umd_emu_rmmod("bpfilter"), ==, 0);
	th_state_check(&st, 0);
}

/* A hostile bpfilter_umh: right health check, then the status we choose. */
static uint32_t hostile_status;

static void hostile_handler(void *arg)
{
	unsigned char req[24];
	uint32_t status;
	int i;

	(void)arg;
	for (i = 0; ; i++) {
		if (read(0, req, sizeof(req)) != sizeof(req))
			return;
		status = i == 0 ? 0 : hostile_status;	/* 0: health check */
		if (write(1, &status, sizeof(status)) != sizeof(status))
			return;
	}
}

static void test_hostile_status(void)
{
	static const struct {
		uint32_t status;
		int ret;
	} cases[] = {
		{ 0, 0 },
		{ (uint32_t)-EPERM, -EPERM },
		{ (uint32_t)-4095, -4095 },
		{ 1, -EBADMSG },
		{ 0x7fffffff, -EBADMSG },
		{ (uint32_t)-4096, -EBADMSG },
		{ 0x80000000u, -EBADMSG },
	};
	struct th_state st;
	char buf[4];
	size_t i;

	th_state_save(&st);
	umd_emu_set_handler_fn("bpfilter_umh", hostile_handler, NULL);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		hostile_status = cases[i].status;
		/* A fresh handler (forked now) for each status. */
		if (umd_emu_module_loaded("bpfilter"))
			g_assert_cmpint(umd_emu_rmmod("bpfilter"), ==, 0);
		g_assert_cmpint(set(64, buf, sizeof(buf)), ==, cases[i].ret);
	}
	umd_emu_set_handler_fn(NULL, NULL, NULL);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "bad status 2147483647 from bpfilter_umh"));
	g_assert_cmpint(umd_emu_rmmod("bpfilter"), ==, 0);
	th_state_check(&st, 0);
}

static int conc_bad;

static void *caller(void *data)
{
	char buf[32];
	int i;

	(void)data;
	umd_emu_set_current(getpid(), getpid(), "caller");
	for (i = 0; i < 50; i++) {
		if (set(64, buf, sizeof(buf)) != -ENOPROTOOPT ||
		    get(0, buf, 0) != 0)
			__atomic_add_fetch(&conc_bad, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void test_concurrent(void)
{
	unsigned long started = umd_emu_children_started();
	struct th_state st;
	pthread_t t[6];
	int i;

	th_state_save(&st);
	for (i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, caller, NULL);
	for (i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	g_assert_cmpint(conc_bad, ==, 0);
	g_assert_cmpuint(umd_emu_children_started() - started, ==, 1);
	g_assert_cmpint(umd_emu_rmmod("bpfilter"), ==, 0);
	th_state_check(&st, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	umd_emu_module_set_path(BPFILTER_MODULES_DIR);
	g_assert_cmpint(umd_emu_modprobe("bpfilter_sockopt"), ==, 0);
	set_sockopt = modsym("bpfilter_sockopt", "bpfilter_ip_set_sockopt");
	get_sockopt = modsym("bpfilter_sockopt", "bpfilter_ip_get_sockopt");
	ops = modsym("bpfilter_sockopt", "bpfilter_ops");
	g_assert_nonnull(set_sockopt);
	g_assert_nonnull(get_sockopt);
	g_assert_nonnull(ops);
	g_test_add_func("/bpfilter/first-call", test_first_call);
	g_test_add_func("/bpfilter/kernel-pointer", test_kernel_pointer);
	g_test_add_func("/bpfilter/restart-and-reload", test_restart_and_reload);
	g_test_add_func("/bpfilter/health-check-failure",
			test_health_check_failure);
	g_test_add_func("/bpfilter/concurrent", test_concurrent);
	g_test_add_func("/bpfilter/hostile-status", test_hostile_status);
	return g_test_run();
}
