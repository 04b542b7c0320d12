// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu faultsweep --modprobe NAME... -- SCRIPT [ARGS]: the sweep of any
 * UMD, with the user's own test script as the scenario.
 *
 * SCRIPT runs as under "umd-emu run" (run_env.c: securityfs mounted over
 * FUSE at $UMD_SECURITYFS, the control socket at $UMD_EMU_CONTROL, umd-emu
 * in PATH), in a process group of its own, with the --modprobe modules
 * loaded; the mount and the socket stay up for the whole sweep.
 *
 * First a fault-free recording run (it must exit 0), with every fault
 * point armed to count its calls and never fire: it gives, per point, how
 * many calls the scenario makes (POINT:nth=N fires for N = 1 .. calls),
 * and, from the record of exchanges, the UMDs the script talks to with
 * each request's and reply's size. From these the run list is fixed
 * before any fault run, so that it is the same in every process that
 * computes it (--shard I/N runs the indices equal to I modulo N; --jobs N
 * runs N such shards as child processes and merges their tables):
 *  - each point with nth = 1 .. calls + 1 (and short=1 for I/O points); the
 *    last one, if it still fires (a fault path that makes more calls),
 *    goes on with nth + 1, ... until the point stops firing (--max-n);
 *  - for each UMD and each of its first --max-requests requests, crashes
 *    before it, after request bytes 0, 1, half, all but one and all, at its
 *    end, after reply bytes 0, 1, 4095, 4096, 65535, 65536, the last and
 *    random ones (KILL; every signal on the last request), and a hang
 *    (STOP) caught by the watchdog.
 * Each run: the setting armed, SCRIPT run once (it may fail), faults off.
 * Then it checks: the mount and the control socket answer; no mutex is
 * held; SCRIPT passes again without a fault (the UMD recovered); after
 * unloading every module no WARNING, BUG or sanitizer report was logged
 * and no fd, memfd, child or held mutex is left compared with before the
 * sweep. The modules are loaded again for the next run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "emu.h"
#include "run_env.h"
#include "securityfs_fuse.h"
#include "sweep.h"
#include "umd-emu.h"

extern char **environ;
/* LeakSanitizer's on-demand check, when this is a sanitizer build. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Reply offsets to crash at, where the reply is longer (as the built-in). */
static const long reply_marks[] = { 0, 1, 4095, 4096, 65535, 65536 };

/* Counts a fault point in the recording run: never reached. */
#define COUNT_ONLY_NTH "1000000000000"

static const enum inv script_cols[] = {
	INV_RECOVER, INV_TIMEOUT, INV_ALIVE, INV_FDS, INV_MEMFD,
	INV_CHILDREN, INV_MUTEX, INV_WARN, INV_BUG, INV_SANITIZER,
};

/* One run of the list. */
struct planned {
	struct row *row;
	const char *point;	/* a fault point (fired: its count), or NULL */
	bool shortmode;
	unsigned long nth;	/* the point's nth */
	bool extend;		/* still fires: go on with nth + 1, ... */
	char *setting;		/* a crash setting */
};

/* A UMD the script talks to: its requests' and replies' sizes, in order. */
struct driver_rec {
	char *name;
	GArray *req, *reply;	/* size_t */
};

/* Descriptors of the emulator (front-end threads' eventfds not counted). */
struct census {
	int fds, memfds;
	GString *names;		/* the targets of the fds, for a report */
};

struct ss {
	struct sweep sw;
	struct sweep_opts *o;
	struct run_ctx rc;
	int out_fd;		/* the script's stdout and stderr (unlinked) */
	bool loaded;
	bool dead;		/* the emulator stopped answering */
	int base_children;
	struct census base;
	GHashTable *calls;	/* point -> calls in the recording run */
	GPtrArray *drivers;	/* struct driver_rec */
	GPtrArray *plan;	/* struct planned */
	char *last_setting;
};

/* ---- the script --------------------------------------------------------- */

/* Start SCRIPT in a process group of its own; its pid, or -1 (errno). */
static pid_t spawn_script(struct ss *s)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	pid_t pid = -1;
	int ret;

	if (ftruncate(s->out_fd, 0) || lseek(s->out_fd, 0, SEEK_SET))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, s->out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, s->out_fd, 2);
	/* Nothing of the emulator's leaks into SCRIPT. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
				 POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	/* What SCRIPT inherits is a user program's, not ours (SIGPIPE...). */
	sigfillset(&all);
	posix_spawnattr_setsigdefault(&at, &all);
	ret = posix_spawnp(&pid, s->o->script[0], &fa, &at, s->o->script,
			   environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (ret) {
		errno = ret;
		return -1;
	}
	/* The guard ends the group if we die from here on. */
	run_guard_send(&s->rc, 'p', pid);
	return pid;
}

/* Reap children that are neither handlers nor the guard (fusermount3's). */
static void reap_strays(struct ss *s)
{
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) ||
		    !si.si_pid)
			return;
		if (si.si_pid == s->rc.guard || umd_emu_pid_is_handler(si.si_pid))
			return;
		/* Traced by the runtime (a ptrace stop shows here too). */
		if (si.si_code == CLD_TRAPPED || si.si_code == CLD_STOPPED)
			return;
		if (waitpid(si.si_pid, NULL, WNOHANG) != si.si_pid)
			return;
	}
}

/*
 * Run SCRIPT once to its end, or to --timeout (then its group is killed,
 * *timed_out set). Its exit status (128 + signal if killed); 127 if it
 * cannot start.
 */
static int run_script(struct ss *s, bool *timed_out)
{
	int timeout_ms = s->o->timeout_s * 1000, pfd, st = 0, ret;
	struct pollfd p;
	pid_t pid;

	*timed_out = false;
	pid = spawn_script(s);
	if (pid < 0) {
		tool_error("faultsweep: cannot run %s: %s", s->o->script[0],
			   g_strerror(errno));
		return 127;
	}
	pfd = syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0) {
		p.fd = pfd;
		p.events = POLLIN;
		do {
			ret = poll(&p, 1, timeout_ms);
		} while (ret < 0 && errno == EINTR);
		close(pfd);
		if (ret == 0)
			*timed_out = true;
	} else {
		gint64 until = g_get_monotonic_time() +
			       (gint64)timeout_ms * 1000;

		while (waitpid(pid, &st, WNOHANG) == 0) {
			if (g_get_monotonic_time() >= until) {
				*timed_out = true;
				break;
			}
			g_usleep(1000);
		}
	}
	/* A script that timed out, and what SCRIPT left in its group. */
	kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}

/* Print SCRIPT's output of the last run, each line indented. */
static void print_script_output(struct ss *s, FILE *to)
{
	char buf[4096];
	ssize_t n;
	off_t off = 0;

	fflush(to);
	while ((n = pread(s->out_fd, buf, sizeof(buf), off)) > 0) {
		if (fwrite(buf, 1, n, to) != (size_t)n)
			break;
		off += n;
	}
	fflush(to);
}

/* ---- the emulator's state ---------------------------------------------- */

static void take_census(struct census *c)
{
	char path[64], target[256];
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	ssize_t n;

	c->fds = c->memfds = 0;
	if (!c->names)
		c->names = g_string_new(NULL);
	g_string_truncate(c->names, 0);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%.32s", de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!strcmp(target, "anon_inode:[eventfd]"))
			continue;
		if (!strncmp(target, "/memfd:", 7))
			c->memfds++;
		else
			c->fds++;
		g_string_append_printf(c->names, " %s=%s", de->d_name, target);
	}
	closedir(d);
	c->fds--;	/* the directory read */
}

/*
 * The census once it is back to the one before the sweep, or after 5 s: a
 * front-end thread may still be closing what a request used (FUSE delivers
 * a RELEASE after the writer has gone on). Only a real leak waits the
 * whole time; a busy machine only makes the wait longer.
 */
static void settled_census(const struct ss *s, struct census *c)
{
	int i;

	for (i = 0; i < 2500; i++) {
		take_census(c);
		if (c->fds == s->base.fds && c->memfds == s->base.memfds)
			return;
		g_usleep(2000);
	}
}

/* No handler left, and no child but the guard and those before. */
static bool settle_children(struct ss *s)
{
	int i;

	for (i = 0; i < 2000; i++) {
		reap_strays(s);
		if (!umd_emu_live_children() &&
		    umd_emu_count_children() <= s->base_children)
			return true;
		g_usleep(1000);
	}
	return false;
}

/* Load the --modprobe modules (if not loaded). 0 or a negative errno. */
static int load_modules(struct ss *s, const char **failed_name)
{
	int i, ret;

	if (s->loaded)
		return 0;
	for (i = 0; s->o->modprobe[i]; i++) {
		ret = umd_emu_modprobe(s->o->modprobe[i]);
		if (ret) {
			*failed_name = s->o->modprobe[i];
			return ret;
		}
	}
	s->loaded = true;
	return 0;
}

static void unload_modules(struct ss *s)
{
	sfs_fuse_settle(s->rc.fuse);
	umd_emu_module_unload_all();
	s->loaded = false;
}

/*
 * Does the emulator answer: the mount (a directory read through FUSE) and
 * the control socket (a connection)? NULL, or why not (to g_free).
 */
static char *check_alive(struct ss *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct dirent *de;
	DIR *d;
	int fd;

	d = opendir(s->rc.mountpoint);
	if (!d)
		return g_strdup_printf("cannot open the mount %s: %s",
				       s->rc.mountpoint, g_strerror(errno));
	errno = 0;
	while ((de = readdir(d)))
		;
	if (errno) {
		int err = errno;

		closedir(d);
		return g_strdup_printf("cannot read the mount %s: %s",
				       s->rc.mountpoint, g_strerror(err));
	}
	closedir(d);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return g_strdup_printf("socket: %s", g_strerror(errno));
	g_strlcpy(sa.sun_path, s->rc.sock_path, sizeof(sa.sun_path));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = errno;

		close(fd);
		return g_strdup_printf("the control socket does not answer: %s",
				       g_strerror(err));
	}
	close(fd);
	return NULL;
}

/* The setting as configured for its run: a hang gets the watchdog. */
static char *run_spec(const struct sweep *sw, const char *setting)
{
	if (sweep_is_hang(setting))
		return g_strdup_printf("watchdog:timeout_ms=%d;%s",
				       sw->watchdog_ms, setting);
	return g_strdup(setting);
}

static void configure_or_die(const char *spec, const char *setting)
{
	char *error = NULL;

	if (umd_emu_fault_configure(spec, &error)) {
		tool_error("faultsweep: bad setting '%s': %s", setting,
			   error ? error : "invalid");
		exit(2);
	}
}

/* ---- one run ------------------------------------------------------------- */

/* The emulator's problem counters, before a run. */
struct problems {
	unsigned long warnings, bugs, sanitizer;
};

static void count_problems(struct problems *p)
{
	umd_emu_handler_logs_flush();
	p->warnings = umd_emu_warnings();
	p->bugs = umd_emu_bugs();
	p->sanitizer = umd_emu_sanitizer_reports();
}

/*
 * A mutex left held would hang the next run: report it, then start over
 * with fresh modules (their unload warns about the lock, which is this
 * same failure, so the warnings are counted again after it).
 */
static void recover_held_mutex(struct ss *s, struct row *r,
			       const char *setting, struct problems *p)
{
	const char *name = NULL;
	int ret;

	sweep_failed(&s->sw, r, INV_MUTEX, setting,
		     "%d mutex(es) held after the run", umd_emu_mutexes_held());
	unload_modules(s);
	settle_children(s);
	ret = load_modules(s, &name);
	count_problems(p);
	if (ret)
		sweep_failed(&s->sw, r, INV_RECOVER, setting,
			     "cannot load %s again: %s", name, g_strerror(-ret));
}

/* The script again with no fault: did the UMD recover? Its status. */
static int run_again(struct ss *s, struct row *r, const char *setting)
{
	struct sweep *sw = &s->sw;
	int status;
	bool to;

	umd_emu_fault_reset();
	status = run_script(s, &to);
	umd_emu_fault_reset();
	if (to)
		sweep_failed(sw, r, INV_TIMEOUT, setting,
			     "the script without a fault ran past --timeout %d s: killed",
			     s->o->timeout_s);
	else if (status)
		sweep_failed(sw, r, INV_RECOVER, setting,
			     "the script without a fault exited with %d",
			     status);
	if (status && sw->verbose && s->o->replay) {
		printf("--- the script's output without a fault:\n");
		print_script_output(s, stdout);
	}
	return status;
}

/*
 * After the modules are unloaded: no handler or child, fd, memfd or held
 * mutex left, and no new WARNING, BUG, leak or sanitizer report.
 */
static void check_after_unload(struct ss *s, struct row *r,
			       const char *setting, const struct problems *p)
{
	struct sweep *sw = &s->sw;
	struct census now = { 0 };

	if (!settle_children(s))
		sweep_failed(sw, r, INV_CHILDREN, setting,
			     "%d live handler(s), %d child process(es) left (%d before)",
			     umd_emu_live_children(),
			     umd_emu_count_children(), s->base_children);
	settled_census(s, &now);
	if (now.fds != s->base.fds)
		sweep_failed(sw, r, INV_FDS, setting,
			     "%d fds open after the unload, %d before the sweep (now:%s; before:%s)",
			     now.fds, s->base.fds, now.names->str,
			     s->base.names->str);
	if (now.memfds != s->base.memfds)
		sweep_failed(sw, r, INV_MEMFD, setting,
			     "%d memfd(s) open after the unload, %d before the sweep",
			     now.memfds, s->base.memfds);
	g_string_free(now.names, TRUE);
	if (umd_emu_mutexes_held())
		sweep_failed(sw, r, INV_MUTEX, setting,
			     "%d mutex(es) held after the unload",
			     umd_emu_mutexes_held());
	umd_emu_handler_logs_flush();
	if (umd_emu_warnings() != p->warnings)
		sweep_failed(sw, r, INV_WARN, setting, "%lu WARNING(s) logged",
			     umd_emu_warnings() - p->warnings);
	if (umd_emu_bugs() != p->bugs)
		sweep_failed(sw, r, INV_BUG, setting, "%lu BUG(s) logged",
			     umd_emu_bugs() - p->bugs);
	if (__lsan_do_recoverable_leak_check &&
	    __lsan_do_recoverable_leak_check())
		sweep_failed(sw, r, INV_SANITIZER, setting,
			     "LeakSanitizer found leaks");
	if (umd_emu_sanitizer_reports() != p->sanitizer)
		sweep_failed(sw, r, INV_SANITIZER, setting,
			     "%lu sanitizer report(s) from handlers",
			     umd_emu_sanitizer_reports() - p->sanitizer);
}

/*
 * The run under setting, and the checks after it. Returns true if the
 * setting fired (its point injected a fault, or a handler crashed).
 */
static bool run_one(struct ss *s, struct row *r, const char *setting,
		    const char *point)
{
	struct sweep *sw = &s->sw;
	uint64_t seq = umd_emu_kmsg_next_seq();
	int status, rstatus = -1, ret;
	const char *name = NULL;
	unsigned long crash0;
	struct problems p;
	bool fired, to;
	char *spec, *why;

	g_free(s->last_setting);
	s->last_setting = g_strdup(setting);
	sweep_guard_arm(setting);
	ret = load_modules(s, &name);
	if (ret) {
		sweep_failed(sw, r, INV_RECOVER, setting,
			     "cannot load %s before the run: %s", name,
			     g_strerror(-ret));
		sweep_guard_arm(NULL);
		return false;
	}
	count_problems(&p);
	crash0 = umd_emu_crashes_fired();
	spec = run_spec(sw, setting);
	configure_or_die(spec, setting);
	g_free(spec);

	status = run_script(s, &to);
	fired = point ? umd_emu_fault_fired(point) > 0
		      : umd_emu_crashes_fired() > crash0;
	umd_emu_fault_reset();
	r->runs++;
	if (fired)
		r->fired++;
	if (to)
		sweep_failed(sw, r, INV_TIMEOUT, setting,
			     "the script ran past --timeout %d s: killed",
			     s->o->timeout_s);
	if (sw->verbose && s->o->replay) {
		printf("--- the script's output under the setting:\n");
		print_script_output(s, stdout);
	}

	why = check_alive(s);
	if (why) {
		sweep_failed(sw, r, INV_ALIVE, setting, "%s", why);
		g_free(why);
		s->dead = true;
		sweep_guard_arm(NULL);
		return fired;
	}
	if (umd_emu_mutexes_held())
		recover_held_mutex(s, r, setting, &p);
	if (s->loaded)
		rstatus = run_again(s, r, setting);
	unload_modules(s);
	check_after_unload(s, r, setting, &p);
	sweep_guard_arm(NULL);
	if (sw->verbose)
		printf("  %-64s %s status=%d again=%d\n", setting,
		       fired ? "fired" : "-", status, rstatus);
	if (s->o->replay)
		umd_emu_kmsg_dump(STDOUT_FILENO, seq);
	return fired;
}

/* ---- the recording run and the run list ---------------------------------- */

static int count_calls(const struct umd_emu_fault_info *fi, void *data)
{
	struct ss *s = data;

	g_hash_table_insert(s->calls, (gpointer)fi->name,
			    GUINT_TO_POINTER((guint)MIN(fi->calls, G_MAXUINT)));
	return 0;
}

static struct driver_rec *driver_get(struct ss *s, const char *name)
{
	struct driver_rec *d;
	guint i;

	for (i = 0; i < s->drivers->len; i++) {
		d = g_ptr_array_index(s->drivers, i);
		if (!strcmp(d->name, name))
			return d;
	}
	d = g_new0(struct driver_rec, 1);
	d->name = g_strdup(name);
	d->req = g_array_new(FALSE, FALSE, sizeof(size_t));
	d->reply = g_array_new(FALSE, FALSE, sizeof(size_t));
	g_ptr_array_add(s->drivers, d);
	return d;
}

static int record_exchange(const struct umd_emu_exchange_info *x, void *data)
{
	struct ss *s = data;
	struct driver_rec *d;

	if (s->o->drivers &&
	    !g_strv_contains((const char *const *)s->o->drivers, x->driver))
		return 0;
	d = driver_get(s, x->driver);
	g_array_append_val(d->req, x->request_bytes);
	g_array_append_val(d->reply, x->reply_bytes);
	return 0;
}

static int cmp_driver(gconstpointer a, gconstpointer b)
{
	const struct driver_rec *x = *(struct driver_rec *const *)a;
	const struct driver_rec *y = *(struct driver_rec *const *)b;

	return strcmp(x->name, y->name);
}

/* The fault-free run: it must pass, and teaches the run list. 0 or 1. */
static int record(struct ss *s)
{
	const struct umd_emu_fault_point *all = umd_emu_fault_point_table();
	GString *spec = g_string_new(NULL);
	const char *name = NULL;
	struct census now = { 0 };
	int status, ret, i;
	bool to;

	ret = load_modules(s, &name);
	if (ret) {
		tool_error("faultsweep: cannot load module %s from %s: %s%s",
			   name, umd_emu_module_get_path(), g_strerror(-ret),
			   ret == -ENOENT ? " (unknown symbol, see the kernel log)" : "");
		umd_emu_kmsg_dump(STDERR_FILENO, 0);
		g_string_free(spec, TRUE);
		return 1;
	}
	g_string_truncate(spec, 0);
	for (i = 0; all[i].name; i++)
		g_string_append_printf(spec, "%s%s:nth=" COUNT_ONLY_NTH,
				       i ? ";" : "", all[i].name);
	configure_or_die(spec->str, "(recording)");
	g_string_free(spec, TRUE);
	umd_emu_exchanges_reset();
	sweep_guard_arm("(the fault-free recording run)");
	status = run_script(s, &to);
	umd_emu_fault_foreach(count_calls, s);
	umd_emu_fault_reset();
	if (status || to) {
		if (to)
			tool_error("faultsweep: the script does not pass without a fault: killed after --timeout %d s; its output:",
				   s->o->timeout_s);
		else
			tool_error("faultsweep: the script does not pass without a fault (exit status %d); its output:",
				   status);
		print_script_output(s, stderr);
		fprintf(stderr, "the kernel log:\n");
		umd_emu_kmsg_dump(STDERR_FILENO, 0);
		return 1;
	}
	unload_modules(s);
	settle_children(s);
	sweep_guard_arm(NULL);
	/* The last exchange of a handler is recorded when its pipes go. */
	umd_emu_exchanges_foreach(record_exchange, s);
	g_ptr_array_sort(s->drivers, cmp_driver);
	for (i = 0; s->o->drivers && s->o->drivers[i]; i++) {
		guint j;

		for (j = 0; j < s->drivers->len; j++)
			if (!strcmp(((struct driver_rec *)
				     g_ptr_array_index(s->drivers, j))->name,
				    s->o->drivers[i]))
				break;
		if (j == s->drivers->len) {
			tool_error("faultsweep: --driver %s: the script made no request to it in the fault-free run",
				   s->o->drivers[i]);
			return 1;
		}
	}
	umd_emu_handler_logs_flush();
	settled_census(s, &now);
	if (umd_emu_warnings() || umd_emu_bugs() ||
	    umd_emu_sanitizer_reports() || umd_emu_mutexes_held() ||
	    now.fds != s->base.fds || now.memfds != s->base.memfds) {
		tool_error("faultsweep: the fault-free run already leaves something behind (%lu WARNING(s), %lu BUG(s), %lu sanitizer report(s), %d mutex(es) held, %d fds and %d memfds after the unload, %d and %d before; now:%s; before:%s): fix that first; the kernel log:",
			   umd_emu_warnings(), umd_emu_bugs(),
			   umd_emu_sanitizer_reports(), umd_emu_mutexes_held(),
			   now.fds, now.memfds, s->base.fds, s->base.memfds,
			   now.names->str, s->base.names->str);
		umd_emu_kmsg_dump(STDERR_FILENO, 0);
		g_string_free(now.names, TRUE);
		return 1;
	}
	g_string_free(now.names, TRUE);
	return 0;
}

static void plan_add(struct ss *s, struct row *r, const char *point,
		     bool shortmode, unsigned long nth, bool extend,
		     char *setting)
{
	struct planned *p = g_new0(struct planned, 1);

	p->row = r;
	p->point = point;
	p->shortmode = shortmode;
	p->nth = nth;
	p->extend = extend;
	p->setting = setting;
	g_ptr_array_add(s->plan, p);
}

static void plan_points(struct ss *s)
{
	const struct umd_emu_fault_point *all = umd_emu_fault_point_table();
	unsigned long calls, last, n;
	struct row *r;
	char *name;
	int i, k;

	for (i = 0; !s->o->no_faults && all[i].name; i++) {
		if (s->o->points &&
		    !g_strv_contains((const char *const *)s->o->points,
				     all[i].name))
			continue;
		calls = GPOINTER_TO_UINT(g_hash_table_lookup(s->calls,
							     all[i].name));
		last = MIN(calls + 1, (unsigned long)s->o->max_n);
		for (k = 0; k < (all[i].takes_short ? 2 : 1); k++) {
			name = g_strdup_printf("%s%s", all[i].name,
					       k ? " (short)" : "");
			r = sweep_row(&s->sw, name);
			g_free(name);
			for (n = 1; n <= last; n++)
				plan_add(s, r, all[i].name, k, n,
					 n == last && last < (unsigned long)s->o->max_n,
					 NULL);
		}
	}
}

/* Crash places within a request of req bytes and a reply of reply bytes. */
static GPtrArray *crash_places(size_t req, size_t reply, GRand *rand,
			       int nrandom)
{
	GPtrArray *places = g_ptr_array_new_with_free_func(g_free);
	long offs[5] = { 0, 1, (long)req / 2, (long)req - 1, (long)req };
	GArray *seen = g_array_new(FALSE, FALSE, sizeof(long));
	guint j;
	int k;

	g_ptr_array_add(places, g_strdup("at=before"));
	for (k = 0; k < 5; k++) {
		if (offs[k] < 0 || offs[k] > (long)req)
			continue;
		for (j = 0; j < seen->len; j++)
			if (g_array_index(seen, long, j) == offs[k])
				break;
		if (j < seen->len)
			continue;
		g_array_append_val(seen, offs[k]);
		g_ptr_array_add(places, g_strdup_printf("at=request,offset=%ld",
							offs[k]));
	}
	g_ptr_array_add(places, g_strdup("at=request-end"));
	g_array_set_size(seen, 0);
	for (k = 0; k < (int)G_N_ELEMENTS(reply_marks) + 1 + nrandom; k++) {
		long off;

		if (k < (int)G_N_ELEMENTS(reply_marks))
			off = reply_marks[k];
		else if (k == G_N_ELEMENTS(reply_marks))
			off = (long)reply - 1;
		else if (reply > 3)
			off = g_rand_int_range(rand, 2, (gint32)MIN(reply - 1,
								    G_MAXINT32));
		else
			break;
		if (off < 0 || off >= (long)reply)
			continue;
		for (j = 0; j < seen->len; j++)
			if (g_array_index(seen, long, j) == off)
				break;
		if (j < seen->len)
			continue;
		g_array_append_val(seen, off);
		g_ptr_array_add(places, g_strdup_printf("at=reply,offset=%ld",
							off));
	}
	g_array_free(seen, TRUE);
	return places;
}

static void plan_crashes(struct ss *s)
{
#if defined(__x86_64__)
	static const char *const sigs[] = { "KILL", "SEGV", "ABRT", "EXIT" };
#else
	static const char *const sigs[] = { "KILL", "SEGV", "ABRT" };
#endif
	struct row *r, *h;
	GPtrArray *places;
	GRand *rand;
	guint i, j, nreq, nth;
	int sig;

	if (s->o->no_crash || s->o->points)
		return;
	r = sweep_row(&s->sw, "crash");
	h = sweep_row(&s->sw, "crash (hang, watchdog)");
	rand = g_rand_new_with_seed((guint32)s->o->seed);
	for (i = 0; i < s->drivers->len; i++) {
		struct driver_rec *d = g_ptr_array_index(s->drivers, i);

		nreq = MIN(d->req->len, (guint)s->o->max_requests);
		for (nth = 1; nth <= nreq; nth++) {
			places = crash_places(g_array_index(d->req, size_t, nth - 1),
					      g_array_index(d->reply, size_t, nth - 1),
					      rand, s->o->nrandom);
			for (j = 0; j < places->len; j++)
				for (sig = 0; sig < (int)G_N_ELEMENTS(sigs); sig++) {
					/* Every signal on the last request. */
					if (nth != nreq && sig)
						continue;
					plan_add(s, r, NULL, false, 0, false,
						 g_strdup_printf("crash:driver=%s,nth=%u,%s,signal=%s",
								 d->name, nth,
								 (char *)g_ptr_array_index(places, j),
								 sigs[sig]));
				}
			g_ptr_array_free(places, TRUE);
			plan_add(s, h, NULL, false, 0, false,
				 g_strdup_printf("crash:driver=%s,nth=%u,at=request-end,signal=STOP",
						 d->name, nth));
		}
	}
	g_rand_free(rand);
}

static void print_row_line(struct row *r)
{
	printf("faultsweep: %-34s %4lu runs, fired %lu times\n", r->name,
	       r->runs, r->fired);
	fflush(stdout);
}

/* The runs of the list that are this shard's; a row's line after its last. */
static void run_plan(struct ss *s)
{
	GHashTable *last = g_hash_table_new(NULL, NULL);
	char setting[160];
	struct planned *p;
	unsigned long n;
	guint i;

	for (i = 0; i < s->plan->len; i++)
		if (i % s->o->shard_n == (guint)s->o->shard_i)
			g_hash_table_insert(last,
				((struct planned *)g_ptr_array_index(s->plan, i))->row,
				GUINT_TO_POINTER(i));
	for (i = 0; i < s->plan->len && !s->dead; i++) {
		if (i % s->o->shard_n != (guint)s->o->shard_i)
			continue;
		p = g_ptr_array_index(s->plan, i);
		if (!p->point) {
			run_one(s, p->row, p->setting, NULL);
		} else {
			for (n = p->nth; n <= (unsigned long)s->o->max_n &&
			     !s->dead; n++) {
				snprintf(setting, sizeof(setting), "%s:nth=%lu%s",
					 p->point, n,
					 p->shortmode ? ",short=1" : "");
				if (!run_one(s, p->row, setting, p->point) ||
				    !p->extend)
					break;
			}
		}
		if (GPOINTER_TO_UINT(g_hash_table_lookup(last, p->row)) == i)
			print_row_line(p->row);
	}
	g_hash_table_destroy(last);
}

/* ---- output ------------------------------------------------------------ */

static void append_quoted(GString *s, const char *opt, const char *val)
{
	char *q = g_shell_quote(val);

	g_string_append_printf(s, " %s %s", opt, q);
	g_free(q);
}

/* "umd-emu faultsweep ... --replay 'SETTING' -- SCRIPT ARGS" */
static char *replay_line(const struct sweep_opts *o, const char *setting)
{
	GString *s = g_string_new("umd-emu faultsweep");
	int i;

	if (o->modules)
		append_quoted(s, "--modules", o->modules);
	for (i = 0; o->modprobe[i]; i++)
		append_quoted(s, "--modprobe", o->modprobe[i]);
	for (i = 0; o->drivers && o->drivers[i]; i++)
		append_quoted(s, "--driver", o->drivers[i]);
	if (o->watchdog_ms != 300)
		g_string_append_printf(s, " --watchdog-ms %d", o->watchdog_ms);
	if (o->timeout_s != 30)
		g_string_append_printf(s, " --timeout %d", o->timeout_s);
	append_quoted(s, "--replay", setting);
	g_string_append(s, " --");
	for (i = 0; o->script[i]; i++) {
		char *q = g_shell_quote(o->script[i]);

		g_string_append_printf(s, " %s", q);
		g_free(q);
	}
	return g_string_free(s, FALSE);
}


static unsigned long total_runs(struct sweep *sw)
{
	unsigned long n = 0;
	guint i;

	for (i = 0; i < sw->rows->len; i++)
		n += ((struct row *)g_ptr_array_index(sw->rows, i))->runs;
	return n;
}

static void print_speed(struct sweep *sw, gint64 start)
{
	double secs = (g_get_monotonic_time() - start) / 1e6;
	unsigned long runs = total_runs(sw);

	printf("faultsweep: %lu runs in %.1f s (%.1f runs/s)\n", runs, secs,
	       secs > 0 ? runs / secs : 0.0);
}

/* The table for --jobs' parent: "row\tNAME\tRUNS\tFIRED\tF..." and "fail\t...". */
static int write_table(struct sweep *sw, const char *path)
{
	FILE *f = fopen(path, "w");
	guint i;
	int k;

	if (!f) {
		tool_error("faultsweep: cannot write %s: %s", path,
			   g_strerror(errno));
		return -1;
	}
	for (i = 0; i < sw->rows->len; i++) {
		struct row *r = g_ptr_array_index(sw->rows, i);

		fprintf(f, "row\t%s\t%lu\t%lu", r->name, r->runs, r->fired);
		for (k = 0; k < INV_NR; k++)
			fprintf(f, "\t%lu", r->fail[k]);
		fprintf(f, "\n");
	}
	for (i = 0; i < sw->failures->len; i++)
		fprintf(f, "fail\t%s\n",
			(char *)g_ptr_array_index(sw->failures, i));
	return fclose(f) ? -1 : 0;
}

static bool merge_table(struct sweep *sw, const char *path)
{
	char *text = NULL, **lines, **f;
	struct row *r;
	guint i;
	int k;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return false;
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i]; i++) {
		if (g_str_has_prefix(lines[i], "fail\t")) {
			g_ptr_array_add(sw->failures, g_strdup(lines[i] + 5));
			continue;
		}
		f = g_strsplit(lines[i], "\t", -1);
		if (g_strv_length(f) == 4 + INV_NR && !strcmp(f[0], "row")) {
			r = sweep_row(sw, f[1]);
			r->runs += strtoul(f[2], NULL, 10);
			r->fired += strtoul(f[3], NULL, 10);
			for (k = 0; k < INV_NR; k++)
				r->fail[k] += strtoul(f[4 + k], NULL, 10);
		}
		g_strfreev(f);
	}
	g_strfreev(lines);
	g_free(text);
	return true;
}

/* ---- --jobs: shards as child processes ------------------------------------ */

static void add_opt(GPtrArray *a, const char *opt, const char *val)
{
	g_ptr_array_add(a, g_strdup(opt));
	if (val)
		g_ptr_array_add(a, g_strdup(val));
}

static char **shard_argv(const struct sweep_opts *o, int i, const char *out)
{
	GPtrArray *a = g_ptr_array_new();
	char num[32];
	int k;

	g_ptr_array_add(a, g_file_read_link("/proc/self/exe", NULL) ?:
			   g_strdup("umd-emu"));
	g_ptr_array_add(a, g_strdup("faultsweep"));
	if (o->modules)
		add_opt(a, "--modules", o->modules);
	for (k = 0; o->modprobe[k]; k++)
		add_opt(a, "--modprobe", o->modprobe[k]);
	for (k = 0; o->drivers && o->drivers[k]; k++)
		add_opt(a, "--driver", o->drivers[k]);
	for (k = 0; o->points && o->points[k]; k++)
		add_opt(a, "--point", o->points[k]);
	snprintf(num, sizeof(num), "%d", o->max_n);
	add_opt(a, "--max-n", num);
	snprintf(num, sizeof(num), "%d", o->nrandom);
	add_opt(a, "--random", num);
	snprintf(num, sizeof(num), "%" G_GINT64_FORMAT, o->seed);
	add_opt(a, "--seed", num);
	snprintf(num, sizeof(num), "%d", o->watchdog_ms);
	add_opt(a, "--watchdog-ms", num);
	snprintf(num, sizeof(num), "%d", o->timeout_s);
	add_opt(a, "--timeout", num);
	snprintf(num, sizeof(num), "%d", o->max_requests);
	add_opt(a, "--max-requests", num);
	if (o->no_crash)
		add_opt(a, "--no-crash", NULL);
	if (o->no_faults)
		add_opt(a, "--no-faults", NULL);
	if (o->verbose)
		add_opt(a, "--verbose", NULL);
	snprintf(num, sizeof(num), "%d/%d", i, o->jobs);
	add_opt(a, "--shard", num);
	add_opt(a, "--table-out", out);
	g_ptr_array_add(a, g_strdup("--"));
	for (k = 0; o->script[k]; k++)
		g_ptr_array_add(a, g_strdup(o->script[k]));
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

static int run_jobs(struct sweep_opts *o)
{
	struct sweep sw = { .cols = script_cols,
			    .ncols = G_N_ELEMENTS(script_cols) };
	gint64 start = g_get_monotonic_time();
	GError *err = NULL;
	char *dir, *out;
	pid_t *pids;
	int i, st, ret = 0;

	dir = g_dir_make_tmp("umd-emu-sweep-XXXXXX", &err);
	if (!dir) {
		tool_error("faultsweep: %s", err->message);
		g_error_free(err);
		return 1;
	}
	sw.rows = g_ptr_array_new();
	sw.failures = g_ptr_array_new_with_free_func(g_free);
	pids = g_new0(pid_t, o->jobs);
	fflush(stdout);
	for (i = 0; i < o->jobs; i++) {
		char **argv;

		out = g_strdup_printf("%s/shard-%d", dir, i);
		argv = shard_argv(o, i, out);
		pids[i] = fork();
		if (pids[i] == 0) {
			if (!o->verbose) {
				int null = open("/dev/null", O_WRONLY);

				if (null >= 0)
					dup2(null, STDOUT_FILENO);
			}
			execv(argv[0], argv);
			_exit(127);
		}
		g_strfreev(argv);
		g_free(out);
		if (pids[i] < 0) {
			tool_error("faultsweep: fork: %s", g_strerror(errno));
			ret = 1;
		}
	}
	for (i = 0; i < o->jobs; i++) {
		if (pids[i] <= 0)
			continue;
		while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
			;
		out = g_strdup_printf("%s/shard-%d", dir, i);
		if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
			tool_error("faultsweep: shard %d/%d ended with %s %d", i,
				   o->jobs, WIFEXITED(st) ? "status" : "signal",
				   WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			ret = WIFEXITED(st) && WEXITSTATUS(st) == 2 ? 2 : 1;
		} else if (!merge_table(&sw, out)) {
			tool_error("faultsweep: shard %d/%d wrote no table", i,
				   o->jobs);
			ret = 1;
		}
		g_unlink(out);
		g_free(out);
	}
	g_rmdir(dir);
	g_free(dir);
	g_free(pids);
	if (sw.rows->len) {
		for (i = 0; i < (int)sw.rows->len; i++)
			print_row_line(g_ptr_array_index(sw.rows, i));
		sweep_print_table(&sw);
	}
	sweep_print_failures(&sw, o, replay_line);
	print_speed(&sw, start);
	if (!ret && sw.failures->len)
		ret = 1;
	sweep_free(&sw);
	return ret;
}

/* ---- the sweep ------------------------------------------------------------ */

static void free_plan(struct ss *s)
{
	guint i;

	for (i = 0; s->plan && i < s->plan->len; i++) {
		struct planned *p = g_ptr_array_index(s->plan, i);

		g_free(p->setting);
		g_free(p);
	}
	if (s->plan)
		g_ptr_array_free(s->plan, TRUE);
	for (i = 0; s->drivers && i < s->drivers->len; i++) {
		struct driver_rec *d = g_ptr_array_index(s->drivers, i);

		g_free(d->name);
		g_array_free(d->req, TRUE);
		g_array_free(d->reply, TRUE);
		g_free(d);
	}
	if (s->drivers)
		g_ptr_array_free(s->drivers, TRUE);
	if (s->calls)
		g_hash_table_destroy(s->calls);
	g_free(s->last_setting);
	if (s->base.names)
		g_string_free(s->base.names, TRUE);
}

/* Everything down: control socket, modules, handlers, mount, files, guard. */
static void teardown(struct ss *s)
{
	unsigned int open_files = 0;
	int i, n;

	umd_emu_interrupt_all();
	if (s->rc.ctl) {
		n = ctl_server_stop(s->rc.ctl, 5000);
		if (n)
			tool_error("faultsweep: %d control request(s) still running at exit",
				   n);
		s->rc.ctl = NULL;
	}
	sfs_fuse_settle(s->rc.fuse);
	umd_emu_module_unload_all();
	for (i = 0; i < 200 && umd_emu_live_children(); i++)
		g_usleep(5000);
	if (s->rc.fuse) {
		n = sfs_fuse_stop(s->rc.fuse, &open_files);
		if (n && n != -ENOENT)
			tool_error("faultsweep: cannot unmount %s: %s",
				   s->rc.mountpoint, g_strerror(-n));
		s->rc.fuse = NULL;
	}
	if (s->out_fd >= 0)
		close(s->out_fd);
	run_remove_files(&s->rc);
	run_guard_stop(&s->rc);
	reap_strays(s);
	g_free(s->rc.tmpdir);
	g_free(s->rc.mountpoint);
	g_free(s->rc.sock_path);
}

/* The mount, the socket, the script's output file, the baseline. 0 or 1. */
static int setup(struct ss *s)
{
	char *out;
	int i;

	umd_emu_module_set_path(s->o->modules ? s->o->modules :
				g_getenv("UMD_EMU_MODULES") ?:
				tool_default_modules());
	for (i = 0; s->o->modprobe[i]; i++)
		if (!umd_emu_module_available(s->o->modprobe[i])) {
			tool_error("faultsweep: module %s not found in %s",
				   s->o->modprobe[i],
				   umd_emu_module_get_path());
			return 2;
		}
	/* Before any thread: it sets the environment. */
	if (run_env_start(&s->rc, NULL))
		return 1;
	if (!sweep_guard_start()) {
		tool_error("faultsweep: cannot start its watchdog thread");
		return 1;
	}
	out = g_build_filename(s->rc.tmpdir, "script.out", NULL);
	s->out_fd = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (s->out_fd < 0) {
		tool_error("faultsweep: cannot create %s: %s", out,
			   g_strerror(errno));
		g_free(out);
		return 1;
	}
	g_unlink(out);
	g_free(out);
	reap_strays(s);
	s->base_children = umd_emu_count_children();
	take_census(&s->base);
	return 0;
}

/* The fault point a setting "POINT:..." arms, or NULL (a crash). */
static const char *replay_point(const char *setting)
{
	const struct umd_emu_fault_point *all = umd_emu_fault_point_table();
	size_t len = strcspn(setting, ":");
	int i;

	for (i = 0; all[i].name; i++)
		if (strlen(all[i].name) == len &&
		    !strncmp(all[i].name, setting, len))
			return all[i].name;
	return NULL;
}

int sweep_script(struct sweep_opts *o)
{
	struct ss s = {
		.o = o, .out_fd = -1,
		.rc = { .log_fd = -1, .guard_fd = -1, .guard = -1,
			.child = -1, .tty = -1, .verb = "faultsweep",
			.grace_s = 2 },
	};
	gint64 start = g_get_monotonic_time();
	int ret;

	if (o->jobs > 1)
		return run_jobs(o);
	/* A peer going away is an EPIPE here too, never a SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* A run is two script runs and the checks. */
	sweep_guard_set_limit(2 * o->timeout_s + 60);
	s.sw.rows = g_ptr_array_new();
	s.sw.failures = g_ptr_array_new_with_free_func(g_free);
	s.sw.verbose = o->verbose || o->replay;
	s.sw.watchdog_ms = o->watchdog_ms;
	s.sw.cols = script_cols;
	s.sw.ncols = G_N_ELEMENTS(script_cols);
	s.calls = g_hash_table_new(g_str_hash, g_str_equal);
	s.drivers = g_ptr_array_new();
	s.plan = g_ptr_array_new();

	ret = setup(&s);
	if (!ret && o->replay) {
		run_one(&s, sweep_row(&s.sw, "replay"), o->replay,
			replay_point(o->replay));
	} else if (!ret) {
		ret = record(&s);
		if (!ret) {
			plan_points(&s);
			plan_crashes(&s);
			if (!s.plan->len) {
				tool_error("faultsweep: nothing to run (--no-faults and --no-crash, or no UMD got a request): a sweep that runs nothing does not pass");
				ret = 1;
			} else {
				run_plan(&s);
			}
		}
	}
	teardown(&s);
	if (!ret) {
		if (o->table_out) {
			if (write_table(&s.sw, o->table_out))
				ret = 1;
		} else {
			sweep_print_table(&s.sw);
			sweep_print_failures(&s.sw, o, replay_line);
			print_speed(&s.sw, start);
		}
		if (s.dead)
			tool_error("faultsweep: the emulator stopped answering after '%s': the sweep ended there",
				   s.last_setting ?: "?");
		if (!ret && s.sw.failures->len)
			ret = 1;
	}
	free_plan(&s);
	sweep_free(&s.sw);
	return ret;
}
