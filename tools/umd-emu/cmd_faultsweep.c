// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu faultsweep: make every failure path of a UMD happen, one at a
 * time, and check that nothing is lost.
 *
 * The scenario runs in this process, which is the emulated kernel. The
 * default, "sample": unload sample_loader_kmod, then two writes to
 * securityfs sample_umd through the VFS dispatch (the first loads the
 * loader, forks the handler and runs the post_start check, the second is a
 * plain request); "bpfilter": the same with a setsockopt and a getsockopt
 * through bpfilter's sockopt entry points. It runs
 *  - for each fault point and N = 1, 2, ... with POINT:nth=N (and, for the
 *    I/O points, POINT:nth=N,short=1) until the point no longer fires;
 *  - for each crash place (before the request, after each byte of the
 *    request, after reply bytes 0, 1, 4095, 4096, 65535, 65536, 131071 and
 *    random ones) and signal, on each of the three requests, and a hang
 *    (SIGSTOP) caught by the watchdog.
 * After each run, with faults off, it checks: every write either succeeded
 * or failed with a negative errno; the next write succeeds; after unloading
 * the loader no fd is leaked, no child is left (live or zombie), no mutex
 * is held, no WARNING was logged and no sanitizer report was seen (LSan's
 * leak check runs after each run in sanitizer builds).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib.h>
#include <pthread.h>
#include <time.h>

#include <linux/err.h>
#include <linux/types.h>
#include <linux/sockptr.h>

#include "emu.h"
#include "sweep.h"
#include "umd-emu.h"
/* The two scenarios' messages, as their kernel sides define them. */
#include "../../core/bpfilter/msgfmt.h"
#include "../../core/sample_umd/msgfmt.h"

/* LeakSanitizer's on-demand check, when this is a sanitizer build. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Nothing may hang: a run that takes this long ends the sweep. */
#define RUN_LIMIT_S 60
static int guard_limit_s = RUN_LIMIT_S;

const char *const sweep_inv_names[INV_NR] = {
	"result", "recover", "fds", "children", "mutex", "warn", "sanitizer",
	"bug", "memfd", "alive", "timeout",
};

static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t guard_cond = PTHREAD_COND_INITIALIZER;
static const char *guard_setting;
static time_t guard_deadline;

static void *guard_main(void *data)
{
	struct timespec ts;

	(void)data;
	pthread_mutex_lock(&guard_lock);
	for (;;) {
		clock_gettime(CLOCK_REALTIME, &ts);
		if (guard_setting && ts.tv_sec >= guard_deadline) {
			printf("FAIL: %s: hang: the run did not finish within %d s\n",
			       guard_setting, guard_limit_s);
			printf("reproduce: umd-emu faultsweep --replay '%s'\n",
			       guard_setting);
			fflush(stdout);
			umd_emu_kmsg_dump(STDOUT_FILENO, 0);
			_exit(1);
		}
		ts.tv_sec += 1;
		pthread_cond_timedwait(&guard_cond, &guard_lock, &ts);
	}
	return NULL;
}

void sweep_guard_arm(const char *setting)
{
	pthread_mutex_lock(&guard_lock);
	guard_setting = setting;
	guard_deadline = time(NULL) + guard_limit_s;
	pthread_mutex_unlock(&guard_lock);
}

void sweep_guard_set_limit(int limit_s)
{
	pthread_mutex_lock(&guard_lock);
	guard_limit_s = limit_s;
	pthread_mutex_unlock(&guard_lock);
}

bool sweep_guard_start(void)
{
	pthread_t guard;

	if (pthread_create(&guard, NULL, guard_main, NULL))
		return false;
	pthread_detach(guard);
	return true;
}

/*
 * A scenario: the manager module stays loaded, the loader is unloaded
 * before each run so that the run includes loading it and starting the
 * handler; request(0) and request(1) are the run, check() the request
 * made with faults off afterwards (0 when it is right).
 */
struct scenario {
	const char *name;
	const char *manager;
	const char *loader;
	const char *driver;
	int request_size;
	const long *reply_offsets;
	int nreply_offsets;
	long (*request)(int i);
	long (*check)(void);
};

static long sample_write(unsigned int offset);

static long sample_request(int i)
{
	return sample_write(i == 0 ? 4096 : 65536 + 17);
}

static long sample_check(void)
{
	return sample_write(SAMPLE_REPLY_SIZE - 1);
}

static const long sample_reply_offsets[] = { 0, 1, 4095, 4096, 65535, 65536,
					     SAMPLE_REPLY_SIZE - 1 };

static const struct scenario sample_scenario = {
	.name = "sample",
	.manager = "sample_mgr",
	.loader = "sample_loader_kmod",
	.driver = "sample_umh",
	.request_size = sizeof(struct sample_request),
	.reply_offsets = sample_reply_offsets,
	.nreply_offsets = G_N_ELEMENTS(sample_reply_offsets),
	.request = sample_request,
	.check = sample_check,
};

/* bpfilter: a setsockopt and a getsockopt, as the network stack calls. */
static long bpfilter_call(bool is_set, int optname)
{
	int (*set)(void *sk, int optname, sockptr_t optval, unsigned int len);
	int (*get)(void *sk, int optname, char *optval, int *optlen);
	char buf[16] = "bpfilter table";
	int len = sizeof(buf);
	long ret;

	set = umd_emu_module_symbol("bpfilter_sockopt", "bpfilter_ip_set_sockopt");
	get = umd_emu_module_symbol("bpfilter_sockopt", "bpfilter_ip_get_sockopt");
	if (!set || !get)
		return -ENOENT;
	if (is_set)
		return set(NULL, optname, USER_SOCKPTR(buf), sizeof(buf));
	umd_emu_user_map(&len, sizeof(len), true);
	ret = get(NULL, optname, buf, &len);
	umd_emu_user_unmap(&len);
	return ret;
}

static long bpfilter_request(int i)
{
	long ret = bpfilter_call(i == 0, 64);

	/* -ENOPROTOOPT is bpfilter's answer: the request succeeded. */
	return ret == -ENOPROTOOPT ? 0 : ret;
}

static long bpfilter_check(void)
{
	return bpfilter_request(0);
}

static const long bpfilter_reply_offsets[] = { 0, 1, 2, 3 };

static const struct scenario bpfilter_scenario = {
	.name = "bpfilter",
	.manager = "bpfilter_sockopt",
	.loader = "bpfilter",
	.driver = "bpfilter_umh",
	.request_size = sizeof(struct mbox_request),
	.reply_offsets = bpfilter_reply_offsets,
	.nreply_offsets = G_N_ELEMENTS(bpfilter_reply_offsets),
	.request = bpfilter_request,
	.check = bpfilter_check,
};

static const struct scenario *sc = &sample_scenario;

/* One write(2) to sample_umd as a process would make it. */
static long sample_write(unsigned int offset)
{
	char buf[16];
	ssize_t ret;

	snprintf(buf, sizeof(buf), "%u\n", offset);
	ret = umd_emu_securityfs_write_file("sample_umd", buf, strlen(buf));
	if (ret == (ssize_t)strlen(buf))
		return 0;
	return ret < 0 ? ret : 1000000 + ret;	/* short: not allowed */
}

static bool settle_children(void)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (!umd_emu_live_children() && !umd_emu_count_children())
			return true;
		g_usleep(1000);
	}
	return false;
}

struct row *sweep_row(struct sweep *sw, const char *name)
{
	struct row *r;
	guint i;

	for (i = 0; i < sw->rows->len; i++) {
		r = g_ptr_array_index(sw->rows, i);
		if (!strcmp(r->name, name))
			return r;
	}
	r = g_new0(struct row, 1);
	r->name = g_strdup(name);
	g_ptr_array_add(sw->rows, r);
	return r;
}

void sweep_failed(struct sweep *sw, struct row *r, enum inv inv,
		   const char *setting, const char *fmt, ...)
{
	va_list args;
	char *what;

	r->fail[inv]++;
	va_start(args, fmt);
	what = g_strdup_vprintf(fmt, args);
	va_end(args);
	g_ptr_array_add(sw->failures,
			g_strdup_printf("%s: %s: %s", setting, sweep_inv_names[inv],
					what));
	g_free(what);
}

/*
 * Make the run under setting: arm it (with the watchdog for hangs), make
 * the scenario's two requests with a fresh loader, disarm. Their results
 * go to res[], the WARNING count from before the requests to *warnings;
 * returns true if the setting fired (a fault was injected or a crash
 * happened).
 */
static bool run_scenario(struct sweep *sw, const char *setting,
			 const char *fired_point, long res[2],
			 unsigned long *warnings)
{
	unsigned long crashes_before;
	char *error = NULL, *spec;
	bool fired;

	umd_emu_fault_reset();
	if (umd_emu_module_loaded(sc->loader))
		umd_emu_rmmod(sc->loader);
	settle_children();
	*warnings = umd_emu_warnings();
	crashes_before = umd_emu_crashes_fired();

	if (sweep_is_hang(setting))
		spec = g_strdup_printf("watchdog:driver=%s,timeout_ms=%d;%s",
				       sc->driver, sw->watchdog_ms, setting);
	else
		spec = g_strdup(setting);
	if (umd_emu_fault_configure(spec, &error)) {
		tool_error("faultsweep: bad setting '%s': %s", setting, error);
		exit(2);
	}
	g_free(spec);

	sweep_guard_arm(setting);
	/* A mutex left held by a request would deadlock the next one. */
	res[0] = sc->request(0);
	res[1] = umd_emu_mutexes_held() ? 0 : sc->request(1);
	/* A point's count starts at 0 when it is armed. */
	fired = fired_point ? umd_emu_fault_fired(fired_point) > 0
			    : umd_emu_crashes_fired() > crashes_before;
	umd_emu_fault_reset();
	return fired;
}

/*
 * With faults off, after the run under setting: check the invariants
 * (warnings: the WARNING count before the run) and record what failed.
 */
static void check_invariants(struct sweep *sw, struct row *r,
			     const char *setting, const long res[2],
			     unsigned long warnings)
{
	int i, n;

	for (i = 0; i < 2; i++)
		if (res[i] > 0 || res[i] < -MAX_ERRNO)
			sweep_failed(sw, r, INV_RESULT, setting,
			       "write %d returned %ld", i + 1, res[i]);
	/*
	 * A mutex left held would deadlock the next request: report it,
	 * then start over with fresh modules (their unload warns about the
	 * lock, which is this same failure).
	 */
	if (umd_emu_mutexes_held()) {
		sweep_failed(sw, r, INV_MUTEX, setting, "%d mutex(es) held",
		       umd_emu_mutexes_held());
		umd_emu_rmmod(sc->loader);
		umd_emu_rmmod(sc->manager);
		umd_emu_modprobe(sc->manager);
		warnings = umd_emu_warnings();
	}
	n = sc->check();
	if (n)
		sweep_failed(sw, r, INV_RECOVER, setting,
		       "the next write with faults off failed: %d (%s)", n,
		       n < 0 ? g_strerror(-n) : "short");
	if (umd_emu_module_loaded(sc->loader))
		umd_emu_rmmod(sc->loader);
	if (!settle_children())
		sweep_failed(sw, r, INV_CHILDREN, setting,
		       "%d live handler(s), %d child process(es) left",
		       umd_emu_live_children(), umd_emu_count_children());
	n = umd_emu_count_fds();
	if (n != sw->base_fds)
		sweep_failed(sw, r, INV_FDS, setting, "%d fds open, %d before", n,
		       sw->base_fds);
	if (umd_emu_mutexes_held())
		sweep_failed(sw, r, INV_MUTEX, setting,
		       "%d mutex(es) held after the next request",
		       umd_emu_mutexes_held());
	if (umd_emu_warnings() != warnings)
		sweep_failed(sw, r, INV_WARN, setting, "%lu WARNING(s) logged",
		       umd_emu_warnings() - warnings);
	if (__lsan_do_recoverable_leak_check &&
	    __lsan_do_recoverable_leak_check())
		sweep_failed(sw, r, INV_SANITIZER, setting, "LeakSanitizer found leaks");
	if (umd_emu_sanitizer_reports() != sw->base_sanitizer) {
		sweep_failed(sw, r, INV_SANITIZER, setting,
		       "%lu sanitizer report(s) from handlers",
		       umd_emu_sanitizer_reports() - sw->base_sanitizer);
		sw->base_sanitizer = umd_emu_sanitizer_reports();
	}
}

/*
 * Run the scenario under setting; check the invariants. Returns true if
 * the setting fired (a fault was injected or a crash happened).
 */
static bool run_one(struct sweep *sw, struct row *r, const char *setting,
		    const char *fired_point)
{
	unsigned long warnings;
	long res[2];
	bool fired;

	fired = run_scenario(sw, setting, fired_point, res, &warnings);
	r->runs++;
	if (fired)
		r->fired++;
	check_invariants(sw, r, setting, res, warnings);
	sweep_guard_arm(NULL);
	if (sw->verbose)
		printf("  %-60s %s write1=%ld write2=%ld\n", setting,
		       fired ? "fired" : "-", res[0], res[1]);
	return fired;
}

static void sweep_point(struct sweep *sw, const char *point, bool shortmode,
			unsigned long max_n)
{
	char *name = g_strdup_printf("%s%s", point, shortmode ? " (short)" : "");
	struct row *r = sweep_row(sw, name);
	char setting[128];
	unsigned long n;

	for (n = 1; n <= max_n; n++) {
		snprintf(setting, sizeof(setting), "%s:nth=%lu%s", point, n,
			 shortmode ? ",short=1" : "");
		if (!run_one(sw, r, setting, point))
			break;
	}
	printf("faultsweep: %-34s %4lu runs, fired %lu times\n", name, r->runs,
	       r->fired);
	fflush(stdout);
	g_free(name);
}

static void sweep_crashes(struct sweep *sw, guint32 seed, int nrandom)
{
#if defined(__x86_64__)
	static const char *const sigs[] = { "KILL", "SEGV", "ABRT", "EXIT" };
#else
	static const char *const sigs[] = { "KILL", "SEGV", "ABRT" };
#endif
	GRand *rand = g_rand_new_with_seed(seed);
	GArray *places = g_array_new(FALSE, FALSE, sizeof(char *));
	struct row *r = sweep_row(sw, "crash");
	struct row *h = sweep_row(sw, "crash (hang, watchdog)");
	char *p, setting[200];
	guint i;
	int nth, s, k;

	p = g_strdup("at=before");
	g_array_append_val(places, p);
	for (k = 0; k <= sc->request_size; k++) {	/* every request boundary */
		p = g_strdup_printf("at=request,offset=%d", k);
		g_array_append_val(places, p);
	}
	p = g_strdup("at=request-end");
	g_array_append_val(places, p);
	for (k = 0; k < sc->nreply_offsets; k++) {
		p = g_strdup_printf("at=reply,offset=%ld", sc->reply_offsets[k]);
		g_array_append_val(places, p);
	}
	/* Random offsets inside the reply (the last offset is its end). */
	for (k = 0; k < nrandom &&
		    sc->reply_offsets[sc->nreply_offsets - 1] > 2; k++) {
		p = g_strdup_printf("at=reply,offset=%d",
				    g_rand_int_range(rand, 2,
				    sc->reply_offsets[sc->nreply_offsets - 1]));
		g_array_append_val(places, p);
	}

	/* Request 1 is post_start's, 2 the first write, 3 the second. */
	for (nth = 1; nth <= 3; nth++) {
		for (i = 0; i < places->len; i++) {
			for (s = 0; s < (int)G_N_ELEMENTS(sigs); s++) {
				/* All signals on the first write; KILL elsewhere. */
				if (nth != 2 && s)
					continue;
				snprintf(setting, sizeof(setting),
					 "crash:driver=%s,nth=%d,%s,signal=%s",
					 sc->driver, nth,
					 g_array_index(places, char *, i),
					 sigs[s]);
				run_one(sw, r, setting, NULL);
			}
		}
		snprintf(setting, sizeof(setting),
			 "crash:driver=%s,nth=%d,at=request-end,signal=STOP",
			 sc->driver, nth);
		run_one(sw, h, setting, NULL);
	}
	printf("faultsweep: %-34s %4lu runs, fired %lu times\n", "crash",
	       r->runs, r->fired);
	printf("faultsweep: %-34s %4lu runs, fired %lu times\n",
	       "crash (hang, watchdog)", h->runs, h->fired);
	for (i = 0; i < places->len; i++)
		g_free(g_array_index(places, char *, i));
	g_array_free(places, TRUE);
	g_rand_free(rand);
}

void sweep_print_table(struct sweep *sw)
{
	unsigned long tot_runs = 0, tot_fired = 0, tot[INV_NR] = { 0 };
	static const enum inv builtin_cols[] = {
		INV_RESULT, INV_RECOVER, INV_FDS, INV_CHILDREN, INV_MUTEX,
		INV_WARN, INV_SANITIZER,
	};
	const enum inv *cols = sw->cols ? sw->cols : builtin_cols;
	int ncols = sw->cols ? sw->ncols : (int)G_N_ELEMENTS(builtin_cols);
	struct row *r;
	guint i;
	int k;

	printf("\n%-34s %6s %6s", "point", "runs", "fired");
	for (k = 0; k < ncols; k++)
		printf(" %9s", sweep_inv_names[cols[k]]);
	printf("\n");
	for (i = 0; i < sw->rows->len; i++) {
		r = g_ptr_array_index(sw->rows, i);
		printf("%-34s %6lu %6lu", r->name, r->runs, r->fired);
		for (k = 0; k < ncols; k++) {
			printf(" %9lu", r->fail[cols[k]]);
			tot[cols[k]] += r->fail[cols[k]];
		}
		printf("\n");
		tot_runs += r->runs;
		tot_fired += r->fired;
	}
	printf("%-34s %6lu %6lu", "total", tot_runs, tot_fired);
	for (k = 0; k < ncols; k++)
		printf(" %9lu", tot[cols[k]]);
	printf("\n");
}

static void free_sweep_opts(struct sweep_opts *o)
{
	g_free(o->modules);
	g_free(o->scenario);
	g_free(o->replay);
	g_strfreev(o->points);
	g_strfreev(o->modprobe);
	g_strfreev(o->drivers);
	g_free(o->shard);
	g_free(o->table_out);
	g_strfreev(o->script);
}

/* The options of a SCRIPT sweep: 0, or 2 after a one-line reason. */
static int check_script_opts(struct sweep_opts *o)
{
	char *end = NULL, *path;

	if (!o->script) {
		if (o->modprobe || o->drivers || o->shard || o->jobs ||
		    o->table_out || o->timeout_s != 30 || o->max_requests != 8)
			return tool_usage_error("faultsweep",
				"--modprobe, --driver, --timeout, --max-requests, --shard and --jobs need a SCRIPT: faultsweep --modprobe NAME -- SCRIPT");
		return 0;
	}
	if (o->scenario)
		return tool_usage_error("faultsweep",
			"--scenario and a SCRIPT exclude each other: the SCRIPT is the scenario");
	if (!o->modprobe)
		return tool_usage_error("faultsweep",
			"a SCRIPT needs --modprobe NAME: the module(s) to load before each run");
	if (o->timeout_s < 1 || o->jobs < 0 || o->max_requests < 1)
		return tool_usage_error("faultsweep", "%s must be 1 or more, not %d",
			o->timeout_s < 1 ? "--timeout" : o->jobs < 0 ? "--jobs" :
			"--max-requests",
			o->timeout_s < 1 ? o->timeout_s : o->jobs < 0 ? o->jobs :
			o->max_requests);
	o->shard_i = 0;
	o->shard_n = 1;
	if (o->shard) {
		o->shard_i = (int)g_ascii_strtoll(o->shard, &end, 10);
		if (end == o->shard || *end != '/' ||
		    (o->shard_n = (int)g_ascii_strtoll(end + 1, &end, 10)) < 1 ||
		    *end || o->shard_i < 0 || o->shard_i >= o->shard_n)
			return tool_usage_error("faultsweep",
				"--shard takes I/N with 0 <= I < N, not '%s'",
				o->shard);
		if (o->jobs > 1)
			return tool_usage_error("faultsweep",
				"--shard and --jobs exclude each other");
	}
	if (o->replay && (o->shard || o->jobs > 1))
		return tool_usage_error("faultsweep",
			"--replay runs one setting: no --shard or --jobs");
	path = strchr(o->script[0], '/') ? g_strdup(o->script[0]) :
	       g_find_program_in_path(o->script[0]);
	if (!path || access(path, X_OK)) {
		g_free(path);
		return tool_usage_error("faultsweep",
			"SCRIPT '%s' is not an executable file", o->script[0]);
	}
	g_free(path);
	return 0;
}

/* faultsweep --help, before the list of fault points. */
static const char sweep_summary[] =
	"Run a UMD scenario (default: the sample UMD's write path; or\n"
	"bpfilter's sockopt calls), with a loader reload, once per\n"
	"fault point and N = 1, 2, ... (POINT:nth=N, and short=1 for I/O)\n"
	"until the point stops firing, and once per handler crash place and\n"
	"signal; after each run check: a write either succeeds or fails with\n"
	"-errno, the next write succeeds, and no fd, child, held mutex,\n"
	"WARNING or sanitizer report is left. Prints a table; exits 1 with\n"
	"the setting to --replay if an invariant failed.\n\n"
	"With a SCRIPT (faultsweep --modprobe NAME... -- SCRIPT [ARGS]), the\n"
	"scenario is SCRIPT, run as under 'umd-emu run' with the modules\n"
	"loaded: a fault-free run first (it must exit 0) tells which UMDs it\n"
	"talks to, their request and reply sizes and how often each point is\n"
	"reached; then each run under a fault or crash may fail, but must\n"
	"leave no WARNING, BUG, sanitizer report, fd, memfd, child or held\n"
	"mutex behind, and the script must pass again without a fault.\n\n";

/* The numbers in range, the points known, SCRIPT's options consistent. */
static int check_values(struct sweep_opts *o)
{
	const struct umd_emu_fault_point *all = umd_emu_fault_point_table();
	int ret = check_script_opts(o);
	guint i, j;

	if (ret)
		return ret;
	if (o->max_n < 1 || o->nrandom < 0 || o->watchdog_ms < 1)
		return tool_usage_error("faultsweep", "%s must be %s, not %d",
			o->max_n < 1 ? "--max-n" : o->nrandom < 0 ? "--random" :
			"--watchdog-ms",
			o->nrandom < 0 && o->max_n >= 1 ? "0 or more" : "1 or more",
			o->max_n < 1 ? o->max_n : o->nrandom < 0 ? o->nrandom :
			o->watchdog_ms);
	for (i = 0; o->points && o->points[i]; i++) {
		for (j = 0; all[j].name; j++)
			if (!strcmp(all[j].name, o->points[i]))
				break;
		if (!all[j].name) {
			tool_error("faultsweep: unknown fault point '%s' (points: %s)",
				   o->points[i], umd_emu_fault_point_names());
			return 2;
		}
	}
	return 0;
}

/* Parse and check the options; 0, or the exit status of a usage error. */
static int parse_sweep_opts(int argc, char **argv, struct sweep_opts *o)
{
	const GOptionEntry entries[] = {
		{ "modules", 'M', 0, G_OPTION_ARG_FILENAME, &o->modules,
		  "module directory (default: as for umd-emu run)", "DIR" },
		{ "scenario", 'S', 0, G_OPTION_ARG_STRING, &o->scenario,
		  "sample (default): writes to sample_umd; bpfilter: sockopt calls", "NAME" },
		{ "point", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &o->points,
		  "sweep only this fault point (repeatable)", "NAME" },
		{ "max-n", 'n', 0, G_OPTION_ARG_INT, &o->max_n,
		  "stop a point after N runs even if it still fires (default 5000)", "N" },
		{ "no-crash", 0, 0, G_OPTION_ARG_NONE, &o->no_crash,
		  "skip the handler crash places", NULL },
		{ "no-faults", 0, 0, G_OPTION_ARG_NONE, &o->no_faults,
		  "skip the fault points", NULL },
		{ "random", 'r', 0, G_OPTION_ARG_INT, &o->nrandom,
		  "random reply offsets to crash at (default 4)", "N" },
		{ "seed", 's', 0, G_OPTION_ARG_INT64, &o->seed,
		  "seed of the random offsets (default 1)", "S" },
		{ "watchdog-ms", 'w', 0, G_OPTION_ARG_INT, &o->watchdog_ms,
		  "request timeout in the hang runs (crash with SIGSTOP; default 300)", "MS" },
		{ "replay", 0, 0, G_OPTION_ARG_STRING, &o->replay,
		  "run the scenario once with this setting, verbosely", "SETTING" },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &o->verbose,
		  "print every run", NULL },
		{ "modprobe", 'P', 0, G_OPTION_ARG_STRING_ARRAY, &o->modprobe,
		  "SCRIPT sweep: load module NAME before each run (repeatable)", "NAME" },
		{ "driver", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &o->drivers,
		  "SCRIPT sweep: crash only this UMD's handler (repeatable; default: every UMD the script talks to)", "NAME" },
		{ "timeout", 't', 0, G_OPTION_ARG_INT, &o->timeout_s,
		  "SCRIPT sweep: kill a script run after S seconds (default 30)", "S" },
		{ "max-requests", 0, 0, G_OPTION_ARG_INT, &o->max_requests,
		  "SCRIPT sweep: crash at most the first N requests to each UMD (default 8)", "N" },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &o->shard,
		  "SCRIPT sweep: only the runs whose index is I modulo N", "I/N" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
		  "SCRIPT sweep: run N shards in parallel", "N" },
		{ "table-out", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME,
		  &o->table_out, "write the table and failures to FILE (for --jobs)", "FILE" },
		G_OPTION_ENTRY_NULL
	};
	char *points = tool_fault_point_list("Fault points:", "", 64);
	char *summary = g_strconcat(sweep_summary, points,
		"\n(\"umd-emu fault --list\" describes them)", NULL);
	const struct tool_opts opts = {
		.verb = "faultsweep",
		.params = "[-- SCRIPT [ARGS...]]",
		.summary = summary,
		.entries = entries,
		.strict_posix = true,
	};
	int ret = tool_parse_opts(&opts, &argc, &argv);

	g_free(summary);
	g_free(points);
	if (ret)
		return ret;
	if (argc > 1) {
		char **cmd = argv + 1;

		if (!strcmp(*cmd, "--"))
			cmd++;
		if (*cmd)
			o->script = g_strdupv(cmd);
	}
	return check_values(o);
}

/*
 * Before the sweep: the hang watchdog, the scenario's manager loaded, the
 * scenario working without faults, the loader unloaded. 0, or the exit
 * status.
 */
static int sweep_setup(const struct sweep_opts *o)
{
	int ret;

	/* A peer going away is an EPIPE here too, never a SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);

	if (!sweep_guard_start()) {
		tool_error("faultsweep: cannot start its watchdog thread");
		return 1;
	}
	if (o->scenario && !strcmp(o->scenario, "bpfilter")) {
		sc = &bpfilter_scenario;
	} else if (o->scenario && strcmp(o->scenario, "sample")) {
		tool_error("faultsweep: unknown scenario '%s' (sample or bpfilter)",
			   o->scenario);
		return 2;
	}
	umd_emu_module_set_path(o->modules ? o->modules :
				g_getenv("UMD_EMU_MODULES") ?:
				tool_default_modules());
	ret = umd_emu_modprobe(sc->manager);
	if (ret) {
		tool_error("faultsweep: cannot load %s from %s: %s", sc->manager,
			   umd_emu_module_get_path(), g_strerror(-ret));
		return 1;
	}
	if (sc->check()) {
		tool_error("faultsweep: the %s UMD does not work even without faults",
			   sc->name);
		umd_emu_kmsg_dump(STDERR_FILENO, 0);
		return 1;
	}
	umd_emu_rmmod(sc->loader);
	settle_children();
	return 0;
}

/* The runs: the one --replay, or every fault point and crash place. */
static void sweep_all(struct sweep *sw, const struct sweep_opts *o)
{
	const struct umd_emu_fault_point *all = umd_emu_fault_point_table();
	guint i;

	if (o->replay) {
		run_one(sw, sweep_row(sw, "replay"), o->replay, NULL);
		umd_emu_kmsg_dump(STDOUT_FILENO, 0);
		return;
	}
	for (i = 0; !o->no_faults && all[i].name; i++) {
		if (o->points &&
		    !g_strv_contains((const char *const *)o->points,
				     all[i].name))
			continue;
		sweep_point(sw, all[i].name, false, o->max_n);
		if (all[i].takes_short)
			sweep_point(sw, all[i].name, true, o->max_n);
	}
	if (!o->no_crash && !o->points)
		sweep_crashes(sw, (guint32)o->seed, o->nrandom);
}

void sweep_print_failures(const struct sweep *sw, const struct sweep_opts *o,
			  char *(*replay_line)(const struct sweep_opts *o,
					       const char *setting))
{
	char *first, *line;
	guint i;

	for (i = 0; i < sw->failures->len; i++) {
		printf("FAIL: %s\n", (char *)g_ptr_array_index(sw->failures, i));
		if (i == 9 && sw->failures->len > 10) {
			printf("... and %u more\n", sw->failures->len - 10);
			break;
		}
	}
	if (!sw->failures->len)
		return;
	first = g_strdup(g_ptr_array_index(sw->failures, 0));
	*strstr(first, ": ") = '\0';
	line = replay_line(o, first);
	printf("reproduce: %s\n", line);
	g_free(line);
	g_free(first);
}

/* The command that replays a built-in scenario's setting. */
static char *builtin_replay_line(const struct sweep_opts *o,
				 const char *setting)
{
	return g_strdup_printf("umd-emu faultsweep --scenario %s%s%s --replay '%s'",
			       sc->name, o->modules ? " --modules " : "",
			       o->modules ? o->modules : "", setting);
}

void sweep_free(struct sweep *sw)
{
	struct row *r;
	guint i;

	for (i = 0; i < sw->rows->len; i++) {
		r = g_ptr_array_index(sw->rows, i);
		g_free(r->name);
		g_free(r);
	}
	g_ptr_array_free(sw->rows, TRUE);
	g_ptr_array_free(sw->failures, TRUE);
}

int cmd_faultsweep(int argc, char **argv)
{
	struct sweep_opts o = { .max_n = 5000, .nrandom = 4,
				.watchdog_ms = 300, .seed = 1,
				.timeout_s = 30, .max_requests = 8 };
	struct sweep sw = { 0 };
	int ret;

	ret = parse_sweep_opts(argc, argv, &o);
	if (!ret && o.script) {
		ret = sweep_script(&o);
		goto out;
	}
	if (!ret)
		ret = sweep_setup(&o);
	if (ret)
		goto out;

	sw.rows = g_ptr_array_new();
	sw.failures = g_ptr_array_new_with_free_func(g_free);
	sw.base_fds = umd_emu_count_fds();
	sw.base_sanitizer = umd_emu_sanitizer_reports();
	sw.verbose = o.verbose || o.replay;
	sw.watchdog_ms = o.watchdog_ms;

	sweep_all(&sw, &o);
	sweep_print_table(&sw);
	umd_emu_module_unload_all();
	sweep_print_failures(&sw, &o, builtin_replay_line);
	ret = sw.failures->len ? 1 : 0;
	if (!o.replay && !sw.rows->len) {
		tool_error("faultsweep: nothing ran (--no-faults and --no-crash, or --point with --no-faults): a sweep that runs nothing does not pass");
		ret = 1;
	}
	sweep_free(&sw);
out:
	free_sweep_opts(&o);
	return ret;
}
