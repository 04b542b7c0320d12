// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: a UMD's next handler under a debugger, which no kernel
 * offers (a handler there is a child of kthreadd).
 *
 * A setting "DRIVER:gdb", "DRIVER:strace[=ARGS]" or "DRIVER:valgrind[=ARGS]"
 * ("umd-emu debug", $UMD_EMU_DEBUG of "umd-emu run") is taken by the next
 * start of a handler of DRIVER (fork_usermode_driver(), emu/umd.c):
 *
 *  - gdb: the child asks to be traced by its parent (PTRACE_TRACEME, and
 *    PR_SET_PTRACER_ANY for Yama's ptrace_scope 1) and execs the handler
 *    as usual; the exec stops it (SIGTRAP) before its first instruction,
 *    and the emulator detaches with SIGSTOP: it stays stopped there, in a
 *    job-control stop, for "gdb -iex 'set sysroot /' -p PID /proc/PID/exe"
 *    (the executable is a deleted memfd, which gdb 13 does not find by
 *    itself; gdb's default sysroot, "target:", reads the libraries through
 *    the handler's mount namespace, which a normal user's gdb cannot
 *    enter, and that namespace is a copy of the host's). gdb reports
 *    the SIGSTOP it was held with, and passes it back at each continue
 *    (stopping it again), and leaves a process it found stopped stopped
 *    when it detaches: the printed command says "handle SIGSTOP nostop
 *    noprint nopass", and a watcher thread continues the handler once
 *    the debugger has gone and left it stopped.
 *  - strace: held the same way, then "strace -f [ARGS] -p PID" (started
 *    by the emulator, outside the handlers' namespace, as a grandchild
 *    that init reaps) attaches, and the handler is continued. What strace
 *    writes goes to the kernel log through a pipe of its own, as
 *    "NAME[PID] strace: ..." lines at level debug (on the handler's
 *    stderr, each of the handler's own lines would be cut in two by
 *    strace's line for the write(2) that writes it).
 *  - valgrind: the child execs "valgrind --tool=memcheck [ARGS]
 *    /proc/self/fd/3" instead of the handler, with the blob's memfd as fd
 *    3 (left open in the handler) and the pipes as fds 0 and 1; the
 *    handler keeps the pid. valgrind writes its report to stderr, into
 *    the kernel log. A handler built with ASan or TSan is started without
 *    it (valgrind cannot map their shadow memory).
 *
 * The handler's channel is marked debugged (emu/umd_inject.c): its
 * requests have no watchdog timeout and no hung report.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include <linux/kernel.h>

#include "emu.h"
#include "internal.h"
#include "missing.h"

#ifndef PR_SET_PTRACER
#define PR_SET_PTRACER 0x59616d61
#endif
#ifndef PR_SET_PTRACER_ANY
#define PR_SET_PTRACER_ANY ((unsigned long)-1)
#endif

/* The fd the blob has in a handler run by valgrind. */
#define VALGRIND_BLOB_FD 3

enum debug_tool { TOOL_GDB, TOOL_STRACE, TOOL_VALGRIND };

static const char *const tool_names[] = { "gdb", "strace", "valgrind" };

struct umd_emu_debug {
	char driver[64];
	enum debug_tool tool;
	char *args;		/* ARGS as given */
	char **argv;		/* ARGS, split as a shell would */
	char *path;		/* the tool's executable (strace, valgrind) */
	unsigned long ticket;
	bool waited;		/* a "umd-emu debug" waits for the start */
	/* What a start needs (umd_emu_debug_take()). */
	char **exec_argv;	/* valgrind ... /proc/self/fd/3 */
	struct umd_emu_debug *next;
};

/* A start's outcome, kept until its waiter takes it. */
struct debug_result {
	unsigned long ticket;
	int ret;		/* 1 started, -ECANCELED, -EIO */
	char *message;
	struct debug_result *next;
};

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

static pthread_mutex_t debug_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t debug_cond = PTHREAD_COND_INITIALIZER;
static struct umd_emu_debug *armed;
static struct debug_result *results;
static GArray *abandoned;	/* tickets whose waiter left mid-start */
static unsigned long last_ticket;

static void setting_free(struct umd_emu_debug *d)
{
	if (!d)
		return;
	g_free(d->args);
	g_strfreev(d->argv);
	g_free(d->path);
	g_strfreev(d->exec_argv);
	g_free(d);
}

/* Under debug_lock: tell a waiter how its setting ended. */
static void result_post(const struct umd_emu_debug *d, int ret,
			const char *message)
{
	struct debug_result *res;
	guint i;

	if (!d->waited)
		return;
	for (i = 0; abandoned && i < abandoned->len; i++) {
		if (g_array_index(abandoned, unsigned long, i) == d->ticket) {
			g_array_remove_index_fast(abandoned, i);
			return;
		}
	}
	res = g_new0(struct debug_result, 1);
	res->ticket = d->ticket;
	res->ret = ret;
	res->message = g_strdup(message);
	res->next = results;
	results = res;
	pthread_cond_broadcast(&debug_cond);
}

/* Yama's ptrace_scope (0-3), or -1 without Yama. */
static int ptrace_scope(void)
{
	char buf[8] = "";
	int fd = open("/proc/sys/kernel/yama/ptrace_scope",
		      O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

/* Can a debugger of the user's attach to a handler here? NULL, or why not. */
static char *ptrace_refused(enum debug_tool tool)
{
	const struct umd_emu_handler_ns *ns;
	int scope = ptrace_scope();

	if (scope >= 3)
		return g_strdup_printf("ptrace is disabled on this machine (Yama ptrace_scope is %d): %s cannot attach to a handler; --valgrind works",
				       scope, tool_names[tool]);
	if (scope == 2 && geteuid()) {
		/*
		 * Scope 2 allows tracers with CAP_SYS_PTRACE in the tracee's
		 * user namespace: the user owns the handlers' namespace.
		 */
		ns = umd_emu_handler_ns();
		if (!ns || ns->user_fd < 0)
			return g_strdup_printf("Yama ptrace_scope is 2 and handlers run without a user namespace here (see the kernel log): only root can attach %s; run umd-emu as root, or use --valgrind",
					       tool_names[tool]);
	}
	return NULL;
}

/* Parse one setting into a new struct; NULL with *error. */
static struct umd_emu_debug *setting_parse(const char *setting, bool *off,
					   char **error)
{
	const char *colon = strchr(setting, ':'), *what, *eq;
	struct umd_emu_debug *d;
	GError *gerr = NULL;
	size_t len;
	char *why;

	*off = false;
	if (!colon || colon == setting) {
		*error = g_strdup_printf("'%s': expected DRIVER:gdb, DRIVER:strace[=ARGS], DRIVER:valgrind[=ARGS] or DRIVER:off",
					 setting);
		return NULL;
	}
	if ((size_t)(colon - setting) >= sizeof(d->driver)) {
		*error = g_strdup_printf("'%.*s': a driver name is at most %zu bytes",
					 (int)(colon - setting), setting,
					 sizeof(d->driver) - 1);
		return NULL;
	}
	d = g_new0(struct umd_emu_debug, 1);
	memcpy(d->driver, setting, colon - setting);
	what = colon + 1;
	eq = strchr(what, '=');
	len = eq ? (size_t)(eq - what) : strlen(what);
	if (len == 3 && !strncmp(what, "off", 3) && !eq) {
		*off = true;
		return d;
	}
	if (len == 3 && !strncmp(what, "gdb", 3))
		d->tool = TOOL_GDB;
	else if (len == 6 && !strncmp(what, "strace", 6))
		d->tool = TOOL_STRACE;
	else if (len == 8 && !strncmp(what, "valgrind", 8))
		d->tool = TOOL_VALGRIND;
	else {
		*error = g_strdup_printf("'%s': unknown tool '%.*s' (gdb, strace, valgrind or off)",
					 setting, (int)len, what);
		goto fail;
	}
	if (eq && d->tool == TOOL_GDB) {
		*error = g_strdup_printf("'%s': gdb takes no ARGS (they are gdb's own, when you attach)",
					 setting);
		goto fail;
	}
	d->args = g_strdup(eq ? eq + 1 : "");
	if (*d->args && !g_shell_parse_argv(d->args, NULL, &d->argv, &gerr)) {
		*error = g_strdup_printf("'%s': ARGS: %s", setting,
					 gerr->message);
		g_error_free(gerr);
		goto fail;
	}
	if (!d->argv)
		d->argv = g_new0(char *, 1);
	if (d->tool != TOOL_GDB) {
		d->path = g_find_program_in_path(tool_names[d->tool]);
		if (!d->path) {
			*error = g_strdup_printf("%s is not installed (not found in the emulator's PATH; Debian package %s)",
						 tool_names[d->tool],
						 tool_names[d->tool]);
			goto fail;
		}
	}
	if (d->tool != TOOL_VALGRIND) {
		why = ptrace_refused(d->tool);
		if (why) {
			*error = why;
			goto fail;
		}
	}
	return d;
fail:
	setting_free(d);
	return NULL;
}

/* Under debug_lock: unlink driver's armed setting (NULL if none). */
static struct umd_emu_debug *unlink_armed(const char *driver)
{
	struct umd_emu_debug **pp, *d;

	for (pp = &armed; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->driver, driver))
			continue;
		d = *pp;
		*pp = d->next;
		return d;
	}
	return NULL;
}

int umd_emu_debug_arm(const char *setting, bool wait, unsigned long *ticket,
		      char **error)
{
	struct umd_emu_debug *d, *old;
	bool off;

	*error = NULL;
	d = setting_parse(setting, &off, error);
	if (!d)
		return -EINVAL;
	pthread_mutex_lock(&debug_lock);
	old = unlink_armed(d->driver);
	if (old)
		result_post(old, -ECANCELED, off ?
			    "umd-emu debug: disarmed by 'umd-emu debug ... --off'" :
			    "umd-emu debug: replaced by a later setting for the same driver");
	if (off) {
		pthread_mutex_unlock(&debug_lock);
		setting_free(old);
		setting_free(d);
		if (ticket)
			*ticket = 0;
		return 0;
	}
	d->ticket = ++last_ticket;
	d->waited = wait;
	d->next = armed;
	armed = d;
	if (ticket)
		*ticket = d->ticket;
	pthread_mutex_unlock(&debug_lock);
	setting_free(old);
	return 0;
}

int umd_emu_debug_configure(const char *spec, char **error)
{
	char **parts, **p;
	struct umd_emu_debug *d;
	bool off;
	int ret = 0;

	*error = NULL;
	if (!spec)
		return 0;
	parts = g_strsplit(spec, ";", -1);
	/* All or nothing: check every setting first. */
	for (p = parts; *p && !ret; p++) {
		g_strstrip(*p);
		if (!**p)
			continue;
		d = setting_parse(*p, &off, error);
		if (!d)
			ret = -EINVAL;
		setting_free(d);
	}
	for (p = parts; *p && !ret; p++)
		if (**p)
			ret = umd_emu_debug_arm(*p, false, NULL, error);
	g_strfreev(parts);
	return ret;
}

int umd_emu_debug_wait(unsigned long ticket, long timeout_ms, char **message)
{
	struct debug_result **pp, *res = NULL;
	gint64 until = g_get_monotonic_time() + timeout_ms * 1000;
	struct timespec ts;
	int ret = 0;

	*message = NULL;
	pthread_mutex_lock(&debug_lock);
	for (;;) {
		for (pp = &results; *pp; pp = &(*pp)->next)
			if ((*pp)->ticket == ticket)
				break;
		if (*pp) {
			res = *pp;
			*pp = res->next;
			break;
		}
		if (g_get_monotonic_time() >= until)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&debug_cond, &debug_lock, &ts);
	}
	pthread_mutex_unlock(&debug_lock);
	if (res) {
		ret = res->ret;
		*message = res->message;
		g_free(res);
	}
	return ret;
}

void umd_emu_debug_cancel(unsigned long ticket)
{
	struct umd_emu_debug **pp, *d = NULL;
	struct debug_result **rp, *res = NULL;

	pthread_mutex_lock(&debug_lock);
	for (pp = &armed; *pp; pp = &(*pp)->next) {
		if ((*pp)->ticket == ticket) {
			d = *pp;
			*pp = d->next;
			break;
		}
	}
	for (rp = &results; *rp; rp = &(*rp)->next) {
		if ((*rp)->ticket == ticket) {
			res = *rp;
			*rp = res->next;
			break;
		}
	}
	/* Neither armed nor done: a start has it; drop what it posts. */
	if (!d && !res) {
		if (!abandoned)
			abandoned = g_array_new(FALSE, FALSE,
						sizeof(unsigned long));
		g_array_append_val(abandoned, ticket);
	}
	pthread_mutex_unlock(&debug_lock);
	setting_free(d);
	if (res) {
		g_free(res->message);
		g_free(res);
	}
}

int umd_emu_debug_foreach(umd_emu_debug_fn fn, void *data)
{
	struct umd_emu_debug_info info;
	struct umd_emu_debug *d;
	int ret = 0;

	pthread_mutex_lock(&debug_lock);
	for (d = armed; d && !ret; d = d->next) {
		info.driver = d->driver;
		info.tool = tool_names[d->tool];
		info.args = d->args;
		ret = fn(&info, data);
	}
	pthread_mutex_unlock(&debug_lock);
	return ret;
}

/* ---- a start ------------------------------------------------------------ */

/* Is needle (a symbol's name, a string) in the blob? */
bool umd_emu_blob_has(int blob_fd, const char *needle)
{
	const size_t nlen = strlen(needle);
	char buf[65536];
	size_t keep = 0, have;
	off_t off = 0;
	ssize_t n;

	for (;;) {
		n = pread(blob_fd, buf + keep, sizeof(buf) - keep, off);
		if (n <= 0)
			return false;
		off += n;
		have = keep + n;
		if (memmem(buf, have, needle, nlen))
			return true;
		/* Keep the tail: the name may straddle two reads. */
		keep = MIN(have, nlen - 1);
		memmove(buf, buf + have - keep, keep);
	}
}

struct umd_emu_debug *umd_emu_debug_take(const char *driver, int blob_fd)
{
	struct umd_emu_debug *d;
	char *msg;
	int i, n;

	pthread_mutex_lock(&debug_lock);
	d = armed ? unlink_armed(driver) : NULL;
	pthread_mutex_unlock(&debug_lock);
	if (!d)
		return NULL;
	/* Their shadow memory is beyond what valgrind can map. */
	if (d->tool == TOOL_VALGRIND &&
	    (umd_emu_blob_has(blob_fd, "__asan_init") ||
	     umd_emu_blob_has(blob_fd, "__tsan_init"))) {
		msg = g_strdup_printf("umd-emu debug: %s is built with AddressSanitizer or ThreadSanitizer, which valgrind cannot run: started without valgrind",
				      driver);
		umd_emu_debug_end(d, -EINVAL, msg);
		g_free(msg);
		return NULL;
	}
	if (d->tool == TOOL_VALGRIND) {
		n = g_strv_length(d->argv);
		d->exec_argv = g_new0(char *, n + 4);
		d->exec_argv[0] = g_strdup(d->path);
		d->exec_argv[1] = g_strdup("--tool=memcheck");
		for (i = 0; i < n; i++)
			d->exec_argv[i + 2] = g_strdup(d->argv[i]);
		d->exec_argv[n + 2] = g_strdup_printf("/proc/self/fd/%d",
						      VALGRIND_BLOB_FD);
	}
	return d;
}

int umd_emu_debug_child(const struct umd_emu_debug *d, int blob_fd,
			char *const envp[])
{
	if (d->tool == TOOL_VALGRIND) {
		if (dup2(blob_fd, VALGRIND_BLOB_FD) < 0)
			return -errno;
		execve(d->exec_argv[0], d->exec_argv, envp);
		return -errno;
	}
	/* Yama's ptrace_scope 1: the user's gdb or strace may attach. */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
		return -errno;
	return 0;
}

/* A line of /proc/PID/status ("TracerPid:"): its number, or -1. */
static long status_field(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* /proc/PID/status; false if the process is gone. */
static bool read_status(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* Its state letter (R, S, T, t, ...), 0 if gone. */
static char proc_state(const char *status)
{
	const char *p = strstr(status, "State:\t");

	return p ? p[7] : 0;
}

static long ctxt_switches(const char *status)
{
	return status_field(status, "\nvoluntary_ctxt_switches:") +
	       status_field(status, "nonvoluntary_ctxt_switches:");
}

/*
 * The handler has exec'd and stopped (SIGTRAP, PTRACE_TRACEME): leave it
 * stopped for whoever attaches next. 0, or -errno (it is gone).
 */
static int hold(pid_t pid, int pidfd)
{
	siginfo_t si;

	/*
	 * The trap is left unreported (WNOWAIT): a detach needs none, and
	 * the report is what a reaper of the process's other children sees
	 * (it leaves stopped ones alone).
	 */
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, pid, &si, WEXITED | WSTOPPED | WNOWAIT | __WALL))
		return -errno;
	if (si.si_code != CLD_TRAPPED)
		return -ESRCH;
	if (ptrace(PTRACE_DETACH, pid, NULL, (void *)(long)SIGSTOP))
		return -errno;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, pidfd, &si, WEXITED | WSTOPPED | WNOWAIT))
		return -errno;
	if (si.si_code != CLD_STOPPED)
		return -ESRCH;
	/* The report of the stop, taken too (a crash=STOP waits for its own). */
	waitid(P_PIDFD, pidfd, &si, WSTOPPED | WNOHANG);
	return 0;
}

/*
 * A handler held for gdb: once a debugger has attached and gone (gdb's
 * detach stops a process it found stopped), continue it. Ends when the
 * handler runs on, or is gone.
 */
struct gdb_watch {
	pid_t pid;
	char name[64];
	long switches;		/* when it was held: any change is a visit */
};

static void *gdb_watch_main(void *data)
{
	struct gdb_watch *w = data;
	bool visited = false;
	char status[2048];
	int running = 0;
	long tracer;
	char state;

	for (;;) {
		usleep(100 * 1000);
		/* Gone, or its pid reused: its parent is no longer us. */
		if (!read_status(w->pid, status, sizeof(status)) ||
		    status_field(status, "PPid:") != getpid())
			break;
		state = proc_state(status);
		tracer = status_field(status, "TracerPid:");
		if (tracer > 0) {
			if (!visited)
				printk(KERN_NOTICE "umd-emu debug: %s[%d]: a debugger (pid %ld) attached\n",
				       w->name, w->pid, tracer);
			visited = true;
			running = 0;
			continue;
		}
		if (state == 'T' && (visited ||
				     ctxt_switches(status) != w->switches)) {
			kill(w->pid, SIGCONT);
			printk(KERN_NOTICE "umd-emu debug: %s[%d]: its debugger left it stopped: continued\n",
			       w->name, w->pid);
			break;
		}
		/*
		 * Running without a debugger for a second: debugged, or
		 * continued by hand. (A debugger detaching with SIGSTOP
		 * leaves it running for a moment before it stops.)
		 */
		running = state != 'T' && state != 't' ? running + 1 : 0;
		if (running >= 10)
			break;
	}
	g_free(w);
	return NULL;
}

static void gdb_watch_start(const char *name, pid_t pid)
{
	struct gdb_watch *w = g_new0(struct gdb_watch, 1);
	char status[2048];
	pthread_attr_t attr;
	pthread_t thread;

	w->pid = pid;
	g_strlcpy(w->name, name, sizeof(w->name));
	w->switches = read_status(pid, status, sizeof(status)) ?
		      ctxt_switches(status) : -1;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, gdb_watch_main, w))
		g_free(w);
	pthread_attr_destroy(&attr);
}

/* strace's output, logged line by line until it ends. */
struct strace_log {
	int fd;
	pid_t pid;
	char name[64];
};

static void strace_line(const struct strace_log *sl, const char *line)
{
	char *msg = g_strdup_printf("%s[%d] strace: %s", sl->name, sl->pid,
				    line);

	umd_emu_log_line(LOGLEVEL_DEBUG, msg);
	g_free(msg);
}

static void *strace_log_main(void *data)
{
	struct strace_log *sl = data;
	char buf[4096], line[1025];
	size_t len = 0;
	ssize_t n, i;

	while ((n = read(sl->fd, buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR)) {
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n')
				line[len++] = buf[i];
			if (buf[i] == '\n' || len == sizeof(line) - 1) {
				line[len] = '\0';
				strace_line(sl, line);
				len = 0;
			}
		}
	}
	if (len) {
		line[len] = '\0';
		strace_line(sl, line);
	}
	close(sl->fd);
	g_free(sl);
	return NULL;
}

/* Log what comes out of fd (taken) as the strace of name[pid]. */
static void strace_log_start(int fd, const char *name, pid_t pid)
{
	struct strace_log *sl = g_new0(struct strace_log, 1);
	pthread_attr_t attr;
	pthread_t thread;

	sl->fd = fd;
	sl->pid = pid;
	g_strlcpy(sl->name, name, sizeof(sl->name));
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, strace_log_main, sl)) {
		close(fd);
		g_free(sl);
	}
	pthread_attr_destroy(&attr);
}

/*
 * Start "strace -f ARGS -p PID" writing into a pipe that a thread logs,
 * as a grandchild of ours (init reaps it, not the emulator's reaper).
 * Returns its pid, or -errno.
 */
static pid_t spawn_strace(struct umd_emu_debug *d, pid_t pid,
			  char *const envp[])
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int n = g_strv_length(d->argv), i, sp[2] = { -1, -1 };
	int out[2] = { -1, -1 }, null_fd, sig;
	char **argv = g_new0(char *, n + 6);
	char pidstr[24];
	pid_t mid, tracer = -1;
	sigset_t none;
	ssize_t got;

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	argv[0] = d->path;
	argv[1] = "-f";
	for (i = 0; i < n; i++)
		argv[i + 2] = d->argv[i];
	argv[n + 2] = "-p";
	argv[n + 3] = pidstr;
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null_fd < 0 || pipe2(sp, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
		i = -errno;
		goto fail;
	}
	mid = fork();
	if (mid == 0) {
		tracer = fork();
		if (tracer == 0) {
			for (sig = 1; sig < NSIG; sig++)
				sigaction(sig, &dfl, NULL);
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			if (dup2(null_fd, 0) < 0 || dup2(out[1], 1) < 0 ||
			    dup2(out[1], 2) < 0)
				_exit(127);
			setsid();
			execve(argv[0], argv, envp);
			_exit(127);
		}
		if (write(sp[1], &tracer, sizeof(tracer)) != sizeof(tracer))
			_exit(1);
		_exit(0);
	}
	i = mid < 0 ? -errno : 0;
	close(sp[1]);
	close(out[1]);
	sp[1] = out[1] = -1;
	if (mid < 0)
		goto fail;
	strace_log_start(out[0], d->driver, pid);
	out[0] = -1;
	do {
		got = read(sp[0], &tracer, sizeof(tracer));
	} while (got < 0 && errno == EINTR);
	/* Ours to reap, unless "umd-emu run"'s reaper took it first. */
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
	i = got == sizeof(tracer) && tracer > 0 ? tracer : -ECHILD;
fail:
	if (null_fd >= 0)
		close(null_fd);
	close_pair(sp);
	close_pair(out);
	g_free(argv);
	return i;
}

/* Wait until the handler is traced, or the tracer has ended. 0 or -errno. */
static int wait_traced(pid_t pid, pid_t tracer)
{
	int tfd = syscall(SYS_pidfd_open, tracer, 0);
	struct pollfd pfd = { .fd = tfd, .events = POLLIN };
	char status[2048];
	int ret = -ESRCH;

	if (tfd < 0)
		return -errno;
	for (;;) {
		if (!read_status(pid, status, sizeof(status)))
			break;	/* the handler is gone */
		if (status_field(status, "TracerPid:") > 0 &&
		    proc_state(status) == 't') {
			ret = 0;
			break;
		}
		if (poll(&pfd, 1, 10) > 0) {
			ret = -ECHILD;	/* strace ended without attaching */
			break;
		}
	}
	close(tfd);
	return ret;
}

int umd_emu_debug_started(struct umd_emu_debug *d, pid_t pid, int pidfd,
			  char *const envp[])
{
	char *msg = NULL, *args;
	pid_t tracer;
	int err = 0;

	if (d->tool == TOOL_VALGRIND) {
		args = g_strjoinv(" ", d->argv);
		msg = g_strdup_printf("umd-emu debug: %s[%d] runs under valgrind --tool=memcheck%s%s: its report is in this log, as %s[%d] lines",
				      d->driver, pid, *args ? " " : "", args,
				      d->driver, pid);
		g_free(args);
		goto out;
	}
	err = hold(pid, pidfd);
	if (err) {
		msg = g_strdup_printf("umd-emu debug: %s[%d] ended before it could be held for %s (%s)",
				      d->driver, pid, tool_names[d->tool],
				      strerror(-err));
		goto out;
	}
	if (d->tool == TOOL_GDB) {
		gdb_watch_start(d->driver, pid);
		msg = g_strdup_printf("umd-emu debug: %s[%d] is stopped before its first instruction, for a debugger: gdb -iex 'set sysroot /' -p %d /proc/%d/exe -ex 'handle SIGSTOP nostop noprint nopass'",
				      d->driver, pid, pid, pid);
		goto out;
	}
	tracer = spawn_strace(d, pid, envp);
	err = tracer < 0 ? tracer : wait_traced(pid, tracer);
	kill(pid, SIGCONT);
	args = g_strjoinv(" ", d->argv);
	if (err)
		msg = g_strdup_printf("umd-emu debug: strace -f%s%s -p %d did not attach to %s[%d] (%s; its own message is above): it runs without",
				      *args ? " " : "", args, pid, d->driver,
				      pid, strerror(-err));
	else
		msg = g_strdup_printf("umd-emu debug: %s[%d] runs under strace -f%s%s (pid %d): its output is in this log, as '%s[%d] strace:' lines",
				      d->driver, pid, *args ? " " : "", args,
				      tracer, d->driver, pid);
	g_free(args);
	/* The handler runs in either case: the start itself succeeded. */
	umd_emu_debug_end(d, err, msg);
	g_free(msg);
	return 0;
out:
	umd_emu_debug_end(d, err, msg);
	g_free(msg);
	return err;
}

void umd_emu_debug_end(struct umd_emu_debug *d, int err, const char *message)
{
	char *msg = NULL;

	if (!d)
		return;
	if (!message) {
		msg = g_strdup_printf("umd-emu debug: %s: the handler did not start (%s)",
				      d->driver, strerror(-err));
		message = msg;
	}
	if (err)
		printk(KERN_ERR "%s\n", message);
	else
		printk(KERN_NOTICE "%s\n", message);
	pthread_mutex_lock(&debug_lock);
	result_post(d, err ? -EIO : 1, message);
	pthread_mutex_unlock(&debug_lock);
	g_free(msg);
	setting_free(d);
}
