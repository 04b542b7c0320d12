// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu-bench: what the emulator costs, each figure beside its floor,
 * measured in one run on one machine.
 *
 *  round trip  umd_send_recv / umd_mgmt_send_recv, 4-byte request and a
 *              4 B, 128 KiB, 1 MiB reply, against two processes doing the
 *              same ping-pong over raw pipes (the same handler loop);
 *  cold start  umd_mgmt_load() until post_start answered, against
 *              memfd_create + write + fork + fexecve + one round trip;
 *  reload      rmmod of the sample loader + the next write to sample_umd,
 *              against the sample loader's own cold load;
 *  securityfs  open/write/close of sample_umd over FUSE, against the same
 *              loop on a FUSE filesystem that does nothing plus a raw
 *              128 KiB round trip;
 *  concurrency 1, 2, 4, 8 callers on one UMD; 1, 2, 4 independent UMDs;
 *  memory      peak RSS idle and after serving 128 KiB replies.
 *
 * Prints min / median / p99 / max of each operation and the ratio of the
 * medians to the floor's.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/usermode_driver_mgmt.h>

#include "bench_fuse.h"
#include "bench_loop.h"
#include "emu.h"
#include "securityfs_fuse.h"

static void *blob;
static size_t blob_len;
static int scale = 1;
/* --profile OP: repeat one 4-byte operation, untimed, for perf/strace. */
static const char *profile_op;
static long profile_iters = 20000;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stats {
	double min, median, p99, max;
};

static struct stats summarize(double *v, int n)
{
	struct stats s;

	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.median = v[n / 2];
	s.p99 = v[(int)(n * 0.99) < n ? (int)(n * 0.99) : n - 1];
	s.max = v[n - 1];
	return s;
}

static void row(const char *what, struct stats s, const struct stats *floor)
{
	printf("%-44s %9.1f %9.1f %9.1f %9.1f", what, s.min, s.median, s.p99,
	       s.max);
	if (floor)
		printf("   %5.2f", s.median / floor->median);
	printf("\n");
	fflush(stdout);
}

/* ---- the floor: raw pipes between two processes ------------------------ */

struct raw_pair {
	int to, from;
	pid_t child;
};

static void raw_start(struct raw_pair *p)
{
	int a[2], b[2];

	if (pipe(a) || pipe(b))
		abort();
	p->child = fork();
	if (!p->child) {
		close(a[1]);
		close(b[0]);
		_exit(bench_serve(a[0], b[1]));
	}
	close(a[0]);
	close(b[1]);
	p->to = a[1];
	p->from = b[0];
}

static void raw_stop(struct raw_pair *p)
{
	close(p->to);
	close(p->from);
	waitpid(p->child, NULL, 0);
}

static int raw_rt(struct raw_pair *p, uint32_t want, char *reply)
{
	if (xfer_all(p->to, &want, sizeof(want), 1))
		return -1;
	return xfer_all(p->from, reply, want, 0);
}

/* ---- the emulated UMD ------------------------------------------------- */

static int bench_post_start(struct umd_mgmt *mgmt)
{
	uint32_t want = 4;
	char reply[4];

	return umd_send_recv(&mgmt->info, &want, sizeof(want), reply,
			     sizeof(reply));
}

static void mgmt_init(struct umd_mgmt *m, const char *name)
{
	memset(m, 0, sizeof(*m));
	mutex_init(&m->lock);
	m->info.driver_name = name;
	m->post_start = bench_post_start;
	m->kmod = "none";
}

static int mgmt_rt(struct umd_mgmt *m, uint32_t want, char *reply)
{
	return umd_mgmt_send_recv(m, &want, sizeof(want), reply, want);
}

static int info_rt(struct umd_info *info, uint32_t want, char *reply)
{
	return umd_send_recv(info, &want, sizeof(want), reply, want);
}

static void bench_round_trips(void)
{
	static const uint32_t sizes[] = { 4, 128 * 1024, 1 << 20 };
	static const int iters[] = { 20000, 2000, 400 };
	char *reply = g_malloc(BENCH_MAX_REPLY);
	struct raw_pair raw;
	struct umd_mgmt m;
	struct stats f, s;
	char what[64];
	int i, k = 0, n;

	mgmt_init(&m, "bench_umh");
	if (umd_mgmt_load(&m, blob, (char *)blob + blob_len))
		abort();
	raw_start(&raw);
	if (profile_op) {
		for (i = 0; i < profile_iters; i++) {
			if (!strcmp(profile_op, "raw"))
				raw_rt(&raw, 4, reply);
			else if (!strcmp(profile_op, "send"))
				info_rt(&m.info, 4, reply);
			else
				mgmt_rt(&m, 4, reply);
		}
		k = 3;
	}
	for (; k < 3; k++) {
		double *vr, *vs, *vm;

		n = iters[k] / scale;
		vr = g_new(double, n);
		vs = g_new(double, n);
		vm = g_new(double, n);
		for (i = 0; i < n / 10; i++) {
			raw_rt(&raw, sizes[k], reply);
			info_rt(&m.info, sizes[k], reply);
			mgmt_rt(&m, sizes[k], reply);
		}
		/*
		 * Interleaved, in a rotating order: whatever the machine does
		 * meanwhile (these VMs drift by tens of percent over seconds)
		 * falls on the three alike, so their ratios hold.
		 */
		for (i = 0; i < n; i++) {
			int j;

			for (j = 0; j < 3; j++) {
				int op = (i + j) % 3;
				double t = now_us();

				if (op == 0)
					raw_rt(&raw, sizes[k], reply);
				else if (op == 1 ? info_rt(&m.info, sizes[k], reply) :
					 mgmt_rt(&m, sizes[k], reply))
					abort();
				(op == 0 ? vr : op == 1 ? vs : vm)[i] = now_us() - t;
			}
		}
		f = summarize(vr, n);
		snprintf(what, sizeof(what), "floor: raw pipes, reply %u B", sizes[k]);
		row(what, f, NULL);
		s = summarize(vs, n);
		snprintf(what, sizeof(what), "umd_send_recv, reply %u B", sizes[k]);
		row(what, s, &f);
		s = summarize(vm, n);
		snprintf(what, sizeof(what), "umd_mgmt_send_recv, reply %u B",
			 sizes[k]);
		row(what, s, &f);
		g_free(vr);
		g_free(vs);
		g_free(vm);
	}
	raw_stop(&raw);
	umd_mgmt_unload(&m);
	g_free(reply);
}

/* The floor of a cold start: memfd, write, fork, fexecve, one round trip. */
static double raw_cold_start(void)
{
	char *argv[] = { "bench_umh", NULL }, *envp[] = { NULL }, reply[4];
	uint32_t want = 4;
	int a[2], b[2], fd;
	double t = now_us();
	pid_t child;

	fd = memfd_create("bench_umh", MFD_CLOEXEC);
	if (fd < 0 || write(fd, blob, blob_len) != (ssize_t)blob_len)
		abort();
	if (pipe2(a, O_CLOEXEC) || pipe2(b, O_CLOEXEC))
		abort();
	child = fork();
	if (!child) {
		dup2(a[0], 0);
		dup2(b[1], 1);
		fexecve(fd, argv, envp);
		_exit(127);
	}
	close(a[0]);
	close(b[1]);
	if (xfer_all(a[1], &want, 4, 1) || xfer_all(b[0], reply, 4, 0))
		abort();
	t = now_us() - t;
	close(a[1]);
	close(b[0]);
	close(fd);
	waitpid(child, NULL, 0);
	return t;
}

static void bench_cold_start(struct stats *cold_out)
{
	int i, n = 200 / scale;
	double *v = g_new(double, n);
	struct umd_mgmt m;
	struct stats f, s;

	for (i = 0; i < n; i++)
		v[i] = raw_cold_start();
	f = summarize(v, n);
	row("floor: memfd+fork+fexecve+round trip", f, NULL);
	for (i = 0; i < n; i++) {
		double t;

		mgmt_init(&m, "bench_umh");
		t = now_us();
		if (umd_mgmt_load(&m, blob, (char *)blob + blob_len))
			abort();
		v[i] = now_us() - t;
		umd_mgmt_unload(&m);
	}
	s = summarize(v, n);
	row("umd_mgmt_load until post_start answered", s, &f);
	*cold_out = s;
	g_free(v);
}

/* One write(2) to sample_umd; 0 if it wrote it all, else -1. */
static long sample_write(unsigned int offset)
{
	char buf[16];
	ssize_t ret;

	snprintf(buf, sizeof(buf), "%u\n", offset);
	ret = umd_emu_securityfs_write_file("sample_umd", buf, strlen(buf));
	return ret == (ssize_t)strlen(buf) ? 0 : -1;
}

static void bench_reload(void)
{
	int i, n = 100 / scale;
	double *v = g_new(double, n);
	struct stats cold, s;

	if (umd_emu_modprobe("sample_mgr") || sample_write(1))
		abort();
	for (i = 0; i < n; i++) {
		double t;

		umd_emu_rmmod("sample_loader_kmod");
		t = now_us();
		if (umd_emu_modprobe("sample_loader_kmod"))
			abort();
		v[i] = now_us() - t;
	}
	cold = summarize(v, n);
	row("sample: modprobe loader (cold start)", cold, NULL);
	for (i = 0; i < n; i++) {
		double t = now_us();

		umd_emu_rmmod("sample_loader_kmod");
		if (sample_write(4096))
			abort();
		v[i] = now_us() - t;
	}
	s = summarize(v, n);
	row("sample: rmmod loader + next write (reload)", s, &cold);
	umd_emu_module_unload_all();
	g_free(v);
}

/* open/write/close on sample_umd over FUSE, against a null FUSE fs. */
static void bench_securityfs(void)
{
	int i, n = 2000 / scale;
	double *v = g_new(double, n), raw_us;
	/*
	 * Each mount point directly in $TMPDIR: fusermount3's auto_unmount
	 * helper chdir()s to a mount point's parent when this process exits,
	 * so the parent must outlive it.
	 */
	char *sfs = g_dir_make_tmp("umd-bench-sfs-XXXXXX", NULL);
	char *null = g_dir_make_tmp("umd-bench-null-XXXXXX", NULL);
	char *sink = g_build_filename(null, "sink", NULL);
	char *umd = g_build_filename(sfs, "sample_umd", NULL);
	char *reply = g_malloc(BENCH_MAX_REPLY), *why = NULL;
	struct sfs_fuse *sf;
	struct raw_pair raw;
	struct stats f, r, s;
	void *nfs;

	if (!sfs || !null) {
		fprintf(stderr, "umd-emu-bench: cannot create mount points in %s\n",
			g_get_tmp_dir());
		exit(1);
	}
	sf = sfs_fuse_start(sfs, &why);
	nfs = bench_null_fs_start(null);
	if (!sf || !nfs) {
		printf("securityfs over FUSE: not measured (%s)\n",
		       why ? why : "cannot mount the null filesystem");
		goto out;
	}
	if (profile_op) {
		bool to_null = !strcmp(profile_op, "null");

		if (!to_null && (umd_emu_modprobe("sample_mgr") ||
				 bench_write_file(umd, "1\n")))
			abort();
		for (i = 0; i < profile_iters; i++)
			if (bench_write_file(to_null ? sink : umd, "4096\n"))
				abort();
		umd_emu_module_unload_all();
		goto out;
	}
	for (i = 0; i < n; i++) {
		double t = now_us();

		if (bench_write_file(sink, "4096\n"))
			abort();
		v[i] = now_us() - t;
	}
	f = summarize(v, n);
	row("floor part: open/write/close, null FUSE fs", f, NULL);
	raw_start(&raw);
	for (i = 0; i < n; i++) {
		double t = now_us();

		raw_rt(&raw, 128 * 1024, reply);
		v[i] = now_us() - t;
	}
	raw_stop(&raw);
	r = summarize(v, n);
	row("floor part: raw 128 KiB round trip", r, NULL);
	raw_us = f.median + r.median;
	if (umd_emu_modprobe("sample_mgr") || bench_write_file(umd, "1\n"))
		abort();
	for (i = 0; i < n; i++) {
		double t = now_us();

		if (bench_write_file(umd, "4096\n"))
			abort();
		v[i] = now_us() - t;
	}
	s = summarize(v, n);
	f.median = raw_us;
	row("open/write/close of sample_umd over FUSE", s, &f);
	printf("%-44s %29.1f\n", "  (floor: the sum of the two medians)", raw_us);
	umd_emu_module_unload_all();
out:
	if (nfs)
		bench_null_fs_stop(nfs);
	sfs_fuse_stop(sf, NULL);
	g_rmdir(sfs);
	g_rmdir(null);
	g_free(why);
	g_free(sfs);
	g_free(null);
	g_free(sink);
	g_free(umd);
	g_free(reply);
	g_free(v);
}

struct conc {
	struct umd_mgmt *m;
	double until;
	long done;
	int cpu;	/* run on this CPU; -1: anywhere */
};

/* Pin a thread (0: the calling one) or a process to a CPU; -1: unpin. */
static void pin_to(pid_t tid, int cpu)
{
	cpu_set_t set;
	long i, n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	for (i = 0; i < n; i++)
		if (cpu < 0 || i == cpu)
			CPU_SET(i, &set);
	sched_setaffinity(tid, sizeof(set), &set);
}

static void *conc_main(void *data)
{
	struct conc *c = data;
	char reply[4];

	if (c->cpu >= 0)
		pin_to(0, c->cpu);

	while (now_us() < c->until) {
		if (mgmt_rt(c->m, 4, reply))
			abort();
		c->done++;
	}
	return NULL;
}

/*
 * callers threads on nm UMDs (caller i on UMD i % nm), each caller and its
 * handler on CPU i % spread: spread 1 puts everything on CPU 0, spread
 * "number of CPUs" gives pair i a CPU of its own while there are enough;
 * spread 0 pins nothing. Runs for ms milliseconds; returns requests/s.
 */
static double run_callers(struct umd_mgmt *ms, int nm, int callers,
			  int spread, double run_ms)
{
	struct conc c[8];
	pthread_t t[8];
	double start = now_us(), until = start + run_ms * 1000.0 / scale;
	long total = 0;
	int i;

	for (i = 0; i < callers; i++) {
		c[i] = (struct conc){ .m = &ms[i % nm], .until = until,
				      .cpu = spread ? i % spread : -1 };
		if (spread)
			pin_to(pid_nr(ms[i % nm].info.tgid), i % spread);
		if (pthread_create(&t[i], NULL, conc_main, &c[i])) {
			fprintf(stderr, "umd-emu-bench: cannot start a caller thread\n");
			abort();
		}
	}
	for (i = 0; i < callers; i++) {
		pthread_join(t[i], NULL);
		total += c[i].done;
		if (spread)
			pin_to(pid_nr(ms[i % nm].info.tgid), -1);
	}
	return total / ((now_us() - start) / 1e6);
}

static void bench_concurrency(void)
{
	static const int callers[] = { 1, 2, 4, 8 };
	struct umd_mgmt ms[4];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double one = 0, one_cpu = 0, r, rounds[4][7];
	int i, k;

	for (i = 0; i < 4; i++) {
		mgmt_init(&ms[i], "bench_umh");
		if (umd_mgmt_load(&ms[i], blob, (char *)blob + blob_len))
			abort();
	}
	printf("\n%-44s %12s %8s\n", "concurrency (4-byte round trips)",
	       "requests/s", "ratio");
	/*
	 * Unpinned, as callers run for real: one caller and its handler
	 * usually sit on two otherwise idle CPUs and every wake-up crosses
	 * them, which on these VMs costs more than the work, and busy callers
	 * may or may not share a CPU, so one 400 ms run swings from 0.7x to
	 * 2x. Hence 7 rounds of 150 ms each over the four settings in turn,
	 * and their medians.
	 */
	for (k = 0; k < 7; k++)
		for (i = 0; i < 4; i++)
			rounds[i][k] = run_callers(ms, 1, callers[i], 0, 150);
	for (i = 0; i < 4; i++) {
		qsort(rounds[i], 7, sizeof(double), cmp_double);
		r = rounds[i][3];
		if (!i)
			one = r;
		printf("%d caller(s), one UMD (median of 7) %*s %12.0f %8.2f\n",
		       callers[i], 15, "", r, r / one);
	}
	/*
	 * Everything on CPU 0: the requests serialize on the UMD's mutex, and
	 * with one CPU every hand-over of the mutex to a waiting caller is a
	 * context switch more per request.
	 */
	for (i = 0; i < 4; i++) {
		r = run_callers(ms, 1, callers[i], 1, 400);
		if (!i)
			one_cpu = r;
		printf("%d caller(s), one UMD, all on CPU 0 %*s %12.0f %8.2f\n",
		       callers[i], 14, "", r, r / one_cpu);
	}
	/* Independent UMDs: pair i (a caller, its handler) on CPU i mod CPUs. */
	for (i = 1; i <= 4; i *= 2) {
		r = run_callers(ms, i, i, ncpu, 400);
		printf("%d UMD(s), a caller each, pair i on CPU i mod %ld %*s %12.0f %8.2f\n",
		       i, ncpu, 4, "", r, r / one_cpu);
	}
	for (i = 0; i < 4; i++)
		umd_mgmt_unload(&ms[i]);
}

static long peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	static const char *const profile_ops[] = {
		"raw", "send", "mgmt", "fuse", "null", NULL
	};
	const char *handler = BENCH_HANDLER;
	int i, part = 0;
	long idle;
	struct stats cold;
	GError *err = NULL;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			scale = 10;
		} else if (!strcmp(argv[i], "--latency")) {
			part = 1;
		} else if (!strcmp(argv[i], "--concurrency")) {
			part = 2;
		} else if (!strcmp(argv[i], "--profile") && i + 1 < argc &&
			   g_strv_contains(profile_ops, argv[i + 1])) {
			profile_op = argv[++i];
		} else if (!strcmp(argv[i], "--iterations") && i + 1 < argc &&
			   atol(argv[i + 1]) > 0) {
			profile_iters = atol(argv[++i]);
		} else {
			fprintf(stderr, "Usage: umd-emu-bench [--quick] [--latency|--concurrency]\n"
				"       umd-emu-bench --profile raw|send|mgmt|fuse|null [--iterations N]\n"
				"Measure umd-emu against its floors; --quick: a tenth of the\n"
				"repetitions; --latency or --concurrency: that part only.\n"
				"--profile repeats one operation N times (default 20000), untimed,\n"
				"for perf or strace: a 4-byte round trip over raw pipes, with\n"
				"umd_send_recv or umd_mgmt_send_recv, or an open/write/close of\n"
				"sample_umd over FUSE or of a file of the null FUSE filesystem.\n");
			return strcmp(argv[i], "--help") ? 2 : 0;
		}
	}
	if (!g_file_get_contents(handler, (char **)&blob, &blob_len, &err)) {
		fprintf(stderr, "umd-emu-bench: %s\n", err->message);
		return 1;
	}
	umd_emu_module_set_path(getenv("UMD_EMU_MODULES") ?: BENCH_MODULES);
	/* Before the FUSE mounts, which it would otherwise keep alive. */
	umd_emu_handler_ns_ready();
	idle = peak_rss_kib();

	if (profile_op) {
		if (!strcmp(profile_op, "fuse") || !strcmp(profile_op, "null"))
			bench_securityfs();
		else
			bench_round_trips();
		g_free(blob);
		return 0;
	}
	if (part != 2) {
		printf("%-44s %9s %9s %9s %9s   %5s\n",
		       "operation (microseconds)", "min", "median", "p99",
		       "max", "ratio");
		bench_round_trips();
		bench_cold_start(&cold);
		bench_reload();
		bench_securityfs();
	}
	if (part != 1)
		bench_concurrency();
	printf("\nmemory: peak RSS %ld KiB idle, %ld KiB after 1 MiB replies (the reply buffer itself: 1024 KiB)\n",
	       idle, peak_rss_kib());
	g_free(blob);
	return 0;
}
