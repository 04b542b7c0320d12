// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu run: the emulated kernel as a process.
 *
 * Mounts the emulated securityfs over FUSE, listens on a control socket for
 * the umd-emu commands run inside, loads the requested modules, runs
 * COMMAND with $UMD_SECURITYFS and $UMD_EMU_CONTROL set, and when COMMAND
 * ends unloads every module (stopping their handlers), unmounts and exits
 * with COMMAND's status (non-zero if the kernel log has a WARNING, BUG or
 * sanitizer report, unless --ignore-warnings).
 *
 * Nothing a user, a handler or a client does may kill or hang it:
 *  - SIGPIPE is ignored (a client or a reader of its stderr that goes away
 *    is an EPIPE); COMMAND and handlers start with the default disposition.
 *  - COMMAND runs in a process group of its own (given the terminal when
 *    "umd-emu run" has it), so that it and what it started can be ended
 *    together. SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to the emulator
 *    are passed on to that group; if it has not ended after --grace
 *    seconds (or at a second signal), it is killed. Processes COMMAND
 *    leaves behind in its group are ended the same way when it exits.
 *  - At the end every request still in flight is interrupted (as a signal
 *    would interrupt it), so module exit and unmount cannot wait forever;
 *    if the teardown still does not finish (or a signal asks again),
 *    handlers are killed and the emulator exits, leaving the rest to the
 *    guard.
 *  - The guard, a child in a session of its own, cleans up if the emulator
 *    dies: it ends COMMAND's process group (SIGTERM, then SIGKILL after the
 *    grace period), detaches the mount by its identity and removes the
 *    emulator's temporary files. If the guard itself dies, the emulator
 *    ends COMMAND, cleans up and exits with a one-line reason.
 *  - Children the emulator did not start itself (fusermount3's helper) are
 *    reaped, never left zombies.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ctl_proto.h"
#include "emu.h"
#include "missing.h"
#include "run_env.h"
#include "securityfs_fuse.h"
#include "umd-emu.h"

/* How long a teardown may take before the emulator gives up on it. */
#define TEARDOWN_LIMIT_S 30

/* ---- COMMAND -------------------------------------------------------- */

/*
 * fork + exec COMMAND in a process group of its own, with the terminal if
 * the emulator has it in the foreground; exec errors come back through a
 * pipe.
 */
static pid_t spawn(struct run_ctx *rc, char **argv, const sigset_t *oldmask)
{
	int status[2], err = 0;
	sigset_t ttou;
	ssize_t n;
	pid_t pid;

	if (pipe2(status, O_CLOEXEC))
		return -1;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(status[0]);
		close(status[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		if (rc->tty >= 0) {
			sigprocmask(SIG_BLOCK, &ttou, NULL);
			tcsetpgrp(rc->tty, getpid());
		}
		/* What COMMAND inherits is a user program's, not ours. */
		signal(SIGPIPE, SIG_DFL);
		signal(UMD_EMU_TASK_SIGNAL, SIG_DFL);
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		/* Nothing of the emulator's leaks into COMMAND. */
		if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC))
			for (int fd = 3; fd < 65536; fd++)
				if (fd != status[1])
					fcntl(fd, F_SETFD, FD_CLOEXEC);
		execvp(argv[0], argv);
		err = errno;
		if (write(status[1], &err, sizeof(err)) != sizeof(err))
			err = 0;
		_exit(127);
	}
	/* Also here: whichever runs first, the group exists before use. */
	setpgid(pid, pid);
	if (rc->tty >= 0)
		tcsetpgrp(rc->tty, pid);
	/* The guard ends the group if we die from here on. */
	run_guard_send(rc, 'p', pid);
	close(status[1]);
	do {
		n = read(status[0], &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	close(status[0]);
	if (n == sizeof(err)) {
		waitpid(pid, NULL, 0);
		errno = err;
		return -1;
	}
	return pid;
}

/* Take the terminal back from COMMAND's group (we are in the background). */
static void tty_reclaim(struct run_ctx *rc)
{
	sigset_t ttou, old;

	if (rc->tty < 0)
		return;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	pthread_sigmask(SIG_BLOCK, &ttou, &old);
	tcsetpgrp(rc->tty, getpgrp());
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/*
 * COMMAND stopped (^Z): stop with it, as a shell's job, and hand the
 * terminal back to it when continued.
 */
static void follow_stop(struct run_ctx *rc)
{
	tty_reclaim(rc);
	kill(getpid(), SIGSTOP);
	if (rc->tty >= 0)
		tcsetpgrp(rc->tty, rc->pgid);
	kill(-rc->pgid, SIGCONT);
}

static int wait_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/*
 * Reap what has exited: COMMAND (its status into *status), the guard (a
 * reason to stop), strays such as fusermount3's helper. Handlers are left
 * to the runtime, which reaps them itself. True if the guard died.
 */
static bool reap_children(struct run_ctx *rc, int *status)
{
	bool guard_died = false;
	siginfo_t si;
	int st;

	if (rc->child > 0) {
		/* Stops are followed only where COMMAND has our terminal. */
		pid_t pid = waitpid(rc->child, &st,
				    WNOHANG | (rc->tty >= 0 ? WUNTRACED : 0));

		if (pid == rc->child && WIFSTOPPED(st)) {
			follow_stop(rc);
		} else if (pid == rc->child) {
			*status = wait_status(st);
			rc->child = -1;
		}
	}
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) ||
		    !si.si_pid)
			break;
		if (si.si_pid == rc->child)
			break;		/* taken above, next round */
		if (umd_emu_pid_is_handler(si.si_pid))
			break;		/* the runtime reaps it */
		/*
		 * A child the runtime traces is reported stopped here too
		 * (a handler being started for a debugger): not ours.
		 */
		if (si.si_code == CLD_TRAPPED || si.si_code == CLD_STOPPED)
			break;
		if (waitpid(si.si_pid, &st, WNOHANG) != si.si_pid)
			break;
		if (si.si_pid == rc->guard) {
			tool_error("run: the guard (pid %d) %s %d: ending COMMAND and cleaning up",
				   si.si_pid, WIFSIGNALED(st) ?
				   "was killed by signal" : "exited with status",
				   WIFSIGNALED(st) ? WTERMSIG(st) :
				   WEXITSTATUS(st));
			rc->guard = -1;
			if (rc->guard_fd >= 0)
				close(rc->guard_fd);
			rc->guard_fd = -1;
			guard_died = true;
		}
	}
	return guard_died;
}

/* Name a request still waiting for its handler (data: when). */
static int report_waiting(const struct umd_emu_request_info *r, void *data)
{
	tool_error("run: %s, request %lu to %s[%d] had waited %ld ms to %s",
		   (const char *)data, r->request, r->driver, r->pid,
		   r->waiting_ms,
		   r->writing ? "write the request" : "read the reply");
	return 0;
}

/*
 * Wait for COMMAND. Signals to us are passed on to its process group; if
 * it has not ended grace_s seconds after the first (or at a second one),
 * or after the guard died, the group is killed.
 */
static int wait_command(struct run_ctx *rc, const sigset_t *set,
			bool *guard_died)
{
	gint64 kill_at = 0;
	struct timespec tick;
	int status = 1, sig;
	siginfo_t si;

	while (rc->child > 0) {
		if (reap_children(rc, &status) && !*guard_died) {
			*guard_died = true;
			kill(-rc->pgid, SIGTERM);
			kill_at = g_get_monotonic_time() +
				  (gint64)rc->grace_s * G_USEC_PER_SEC;
		}
		if (rc->child <= 0)
			break;
		if (kill_at && g_get_monotonic_time() >= kill_at) {
			kill(-rc->pgid, SIGKILL);
			kill_at = 0;
		}
		tick.tv_sec = 0;
		tick.tv_nsec = 200 * 1000000L;
		sig = sigtimedwait(set, &si, &tick);
		if (sig < 0 || sig == SIGCHLD)
			continue;
		if (kill_at) {
			/* Asked again: no more grace. */
			kill(-rc->pgid, SIGKILL);
			kill_at = 0;
			continue;
		}
		umd_emu_requests_foreach(report_waiting,
					 (void *)strsignal(sig));
		kill(-rc->pgid, sig);
		kill_at = g_get_monotonic_time() +
			  (gint64)rc->grace_s * G_USEC_PER_SEC;
	}
	tty_reclaim(rc);
	return status;
}

/* ---- teardown -------------------------------------------------------- */

static int list_module(const struct umd_emu_module_info *mod, void *data)
{
	GString *s = data;

	g_string_append_printf(s, "%s%s", s->len ? ", " : "", mod->name);
	return 0;
}

/* Steps of the teardown, for a report if it does not finish. */
static const char *const step_names[] = {
	"interrupting requests", "ending control requests",
	"unloading modules", "waiting for handlers", "unmounting",
	"done",
};

struct teardown {
	struct run_ctx *rc;
	int step;		/* atomic: index in step_names */
};

static void set_step(struct teardown *td, int step)
{
	__atomic_store_n(&td->step, step, __ATOMIC_SEQ_CST);
}

static void *teardown_main(void *data)
{
	struct teardown *td = data;
	struct run_ctx *rc = td->rc;
	GString *left = g_string_new(NULL);
	int i, n;

	/* Requests in flight end as if their callers got a signal. */
	set_step(td, 0);
	umd_emu_requests_foreach(report_waiting, "at exit (interrupted)");
	umd_emu_interrupt_all();
	set_step(td, 1);
	n = ctl_server_stop(rc->ctl, 5000);
	if (n)
		tool_error("run: %d control request(s) still running at exit", n);
	rc->ctl = NULL;
	set_step(td, 2);
	sfs_fuse_settle(rc->fuse);
	umd_emu_module_unload_all();
	umd_emu_module_foreach(list_module, left);
	if (left->len)
		tool_error("run: modules that cannot be unloaded stay loaded until exit: %s",
			   left->str);
	g_string_free(left, TRUE);
	/* Handlers are killed by their loaders' exit; reaped at once. */
	set_step(td, 3);
	for (i = 0; i < 200 && umd_emu_live_children(); i++)
		g_usleep(5000);
	if (umd_emu_live_children())
		tool_error("run: %d handler process(es) still running at exit",
			   umd_emu_live_children());
	set_step(td, 4);
	if (rc->fuse) {
		unsigned int open_files = 0;

		n = sfs_fuse_stop(rc->fuse, &open_files);
		if (n && n != -ENOENT)
			tool_error("run: cannot unmount %s: %s", rc->mountpoint,
				   g_strerror(-n));
		if (open_files)
			tool_error("run: %u file(s) of %s were still open at exit: released",
				   open_files, rc->mountpoint);
	}
	rc->fuse = NULL;
	set_step(td, 5);
	return NULL;
}

/*
 * Tear down on a thread of its own while this one watches: a teardown
 * that does not finish within TEARDOWN_LIMIT_S, or a signal meanwhile,
 * ends the emulator (handlers killed, the guard cleans up). Returns false
 * then.
 */
static bool teardown_kernel(struct run_ctx *rc, const sigset_t *set)
{
	struct teardown td = { .rc = rc };
	gint64 until = g_get_monotonic_time() +
		       TEARDOWN_LIMIT_S * G_USEC_PER_SEC;
	struct timespec tick = { 0, 100 * 1000000L };
	pthread_t thread;
	siginfo_t si;
	int sig, i = 0;

	if (pthread_create(&thread, NULL, teardown_main, &td)) {
		teardown_main(&td);
		return true;
	}
	while (__atomic_load_n(&td.step, __ATOMIC_SEQ_CST) !=
	       (int)G_N_ELEMENTS(step_names) - 1) {
		sig = sigtimedwait(set, &si, &tick);
		if (sig > 0 && sig != SIGCHLD) {
			tool_error("run: %s during the teardown (%s): exiting now",
				   strsignal(sig),
				   step_names[__atomic_load_n(&td.step,
							      __ATOMIC_SEQ_CST)]);
			return false;
		}
		if (g_get_monotonic_time() >= until) {
			tool_error("run: the teardown did not finish within %d s (stuck %s): exiting now",
				   TEARDOWN_LIMIT_S,
				   step_names[__atomic_load_n(&td.step,
							      __ATOMIC_SEQ_CST)]);
			return false;
		}
		/* A request may have started just after the interruption. */
		if (++i % 5 == 0)
			umd_emu_interrupt_all();
	}
	pthread_join(thread, NULL);
	return true;
}

static int log_problem(const struct umd_emu_kmsg_record *rec, void *data)
{
	int *shown = data;

	if (!umd_emu_kmsg_is_problem(rec->text))
		return 0;
	if ((*shown)++ < 20)
		fprintf(stderr, "  [%5llu.%06llu] %s\n",
			(unsigned long long)(rec->ts_usec / 1000000),
			(unsigned long long)(rec->ts_usec % 1000000),
			rec->text);
	return 0;
}

/*
 * A run whose kernel log has a WARNING, BUG or sanitizer report fails:
 * say so, with those lines. Returns true if it had any.
 */
static bool report_log_problems(void)
{
	unsigned long warn = umd_emu_warnings(), bugs = umd_emu_bugs(),
		      san = umd_emu_sanitizer_reports();
	int shown = 0;

	if (!warn && !bugs && !san)
		return false;
	tool_error("run: the kernel log has %lu WARNING(s), %lu BUG(s) and %lu sanitizer report(s) (--ignore-warnings to pass anyway):",
		   warn, bugs, san);
	umd_emu_kmsg_foreach(0, log_problem, &shown);
	if (shown > 20)
		fprintf(stderr, "  ... and %d more lines\n", shown - 20);
	return true;
}

/* ---- the command ------------------------------------------------------ */

struct run_opts {
	char *mount, *modules, *log, **modprobe, *trace, *trace_bytes;
	gboolean echo, ignore_warnings;
	gint grace;
	char **cmd;
};

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	GOptionEntry entries[] = {
		{ "mount", 'm', 0, G_OPTION_ARG_FILENAME, &o->mount,
		  "mount the emulated securityfs at DIR (an existing directory that is not a mount point; default: a new temporary one)",
		  "DIR" },
		{ "modules", 'M', 0, G_OPTION_ARG_FILENAME, &o->modules,
		  "load modules (NAME.ko) from DIR, a colon-separated list (default: $UMD_EMU_MODULES, else umd-emu's own modules)",
		  "DIR" },
		{ "modprobe", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &o->modprobe,
		  "load module NAME before running COMMAND (repeatable)",
		  "NAME" },
		{ "log", 'l', 0, G_OPTION_ARG_FILENAME, &o->log,
		  "also write the kernel log to FILE as it is logged", "FILE" },
		{ "echo", 'e', 0, G_OPTION_ARG_NONE, &o->echo,
		  "echo the kernel log to stderr", NULL },
		{ "trace", 't', 0, G_OPTION_ARG_FILENAME, &o->trace,
		  "record every exchange of every UMD in FILE, JSON lines (docs/TRACE.md; 'umd-emu trace' shows them)",
		  "FILE" },
		{ "trace-bytes", 0, 0, G_OPTION_ARG_STRING, &o->trace_bytes,
		  "bytes of each request and reply the trace keeps (default 256); without --trace, trace in memory only",
		  "N|all" },
		{ "grace", 'g', 0, G_OPTION_ARG_INT, &o->grace,
		  "seconds COMMAND's process group has to end after a signal passed on to it, before it is killed (default 5)",
		  "S" },
		{ "ignore-warnings", 0, 0, G_OPTION_ARG_NONE,
		  &o->ignore_warnings,
		  "exit with COMMAND's status even if the kernel log has a WARNING, BUG or sanitizer report",
		  NULL },
		G_OPTION_ENTRY_NULL
	};
	const struct tool_opts opts = {
		.verb = "run",
		.params = "[-- COMMAND [ARGS...]]",
		.summary =
		"Start the emulated kernel: mount its securityfs, load modules, run\n"
		"COMMAND (default: $SHELL) with UMD_SECURITYFS set to the mount and\n"
		"UMD_EMU_CONTROL to the control socket used by 'umd-emu modprobe',\n"
		"'rmmod', 'lsmod', 'dmesg', 'debug' and 'fault'. When COMMAND exits, what it\n"
		"left running in its process group is ended, every module is\n"
		"unloaded, the mount removed, and COMMAND's status returned; 1 instead\n"
		"of 0 if the kernel log has a WARNING, BUG or sanitizer report.\n"
		"SIGINT, SIGTERM, SIGHUP and SIGQUIT are passed on to COMMAND's\n"
		"process group; it is killed if it has not ended after --grace\n"
		"seconds, or at a second signal. $UMD_EMU_DEBUG arms handlers'\n"
		"first starts under a debugger (see 'umd-emu debug --help').",
		.entries = entries,
		.strict_posix = true,
	};
	int ret = tool_parse_opts(&opts, &argc, &argv);

	if (ret)
		return ret;
	if (o->grace < 0) {
		tool_error("run: --grace takes seconds, 0 or more, not %d",
			   o->grace);
		return 2;
	}
	if (o->trace_bytes && !trace_parse_bytes(o->trace_bytes, &(size_t){0}))
		return tool_usage_error("run", "--trace-bytes takes a number of bytes or 'all', not '%s'",
					o->trace_bytes);
	o->cmd = argv + 1;
	if (*o->cmd && !strcmp(*o->cmd, "--"))
		o->cmd++;
	return 0;
}

static void free_opts(struct run_opts *o)
{
	g_free(o->mount);
	g_free(o->modules);
	g_free(o->log);
	g_strfreev(o->modprobe);
	g_free(o->trace);
	g_free(o->trace_bytes);
}

static int load_modules(char **names)
{
	int i, ret;

	for (i = 0; names && names[i]; i++) {
		if (!umd_emu_module_available(names[i])) {
			tool_error("run: module %s not found in %s", names[i],
				   umd_emu_module_get_path());
			return -1;
		}
		ret = umd_emu_modprobe(names[i]);
		if (ret) {
			tool_error("run: cannot load module %s: %s%s", names[i],
				   g_strerror(-ret),
				   ret == -ENOENT ? " (unknown symbol, see the kernel log)" : "");
			umd_emu_kmsg_dump(STDERR_FILENO, 0);
			return -1;
		}
	}
	return 0;
}

/*
 * Signals are handled by the main thread only, synchronously: block them
 * (every thread started later inherits the mask; *oldmask is COMMAND's).
 */
static void block_signals(sigset_t *set, sigset_t *oldmask)
{
	/*
	 * A peer that goes away (a control client, a reader of our stderr,
	 * the guard) is an EPIPE, never a reason to die.
	 */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, set, oldmask);
}

/* --echo, --log FILE and the module path. 0 or -1. */
static int setup_log_and_modules(struct run_ctx *rc, const struct run_opts *o)
{
	if (o->echo)
		umd_emu_kmsg_set_echo(true);
	if (o->log) {
		rc->log_fd = open(o->log, O_WRONLY | O_CREAT | O_TRUNC |
				  O_APPEND | O_CLOEXEC, 0644);
		if (rc->log_fd < 0) {
			tool_error("run: cannot open the log file %s: %s",
				   o->log, g_strerror(errno));
			return -1;
		}
		umd_emu_kmsg_set_sink(rc->log_fd);
	}
	umd_emu_module_set_path(o->modules ? o->modules :
				g_getenv("UMD_EMU_MODULES") ?:
				tool_default_modules());
	return trace_run_start(o->trace, o->trace_bytes);
}
/*
 * The emulated kernel up (run_env_start(): our directories, COMMAND's
 * environment, the handlers' namespace, the securityfs mount, the control
 * socket, the guard), then the --modprobe modules. 0 or -1.
 */
static int start_kernel(struct run_ctx *rc, const struct run_opts *o)
{
	char *error = NULL;

	if (run_env_start(rc, o->mount))
		return -1;
	/* Handlers' first starts under a debugger (umd-emu debug). */
	if (umd_emu_debug_configure(g_getenv("UMD_EMU_DEBUG"), &error)) {
		tool_error("run: $UMD_EMU_DEBUG: %s", error);
		g_free(error);
		return -1;
	}
	return load_modules(o->modprobe);
}

/*
 * Run COMMAND to its end (passing signals on to its group) and end what
 * it left in its group. Returns the exit status.
 */
static int run_command(struct run_ctx *rc, char **cmd, const sigset_t *set,
		       const sigset_t *oldmask)
{
	bool guard_died = false;
	int status;

	if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp())
		rc->tty = STDIN_FILENO;
	rc->child = spawn(rc, cmd, oldmask);
	if (rc->child < 0) {
		tool_error("run: cannot run %s: %s", cmd[0],
			   g_strerror(errno));
		tty_reclaim(rc);
		return 127;
	}
	rc->pgid = rc->child;
	status = wait_command(rc, set, &guard_died);
	/* What COMMAND left running in its group ends with it. */
	run_end_group(rc->pgid, rc->grace_s);
	return guard_died ? 1 : status;
}

/*
 * The end of every run: the kernel torn down, our files removed, the
 * guard stopped, the log checked. Returns the exit status; does not
 * return if the teardown did not finish (the guard cleans up then).
 */
static int finish(struct run_ctx *rc, const struct run_opts *o,
		  const sigset_t *set, int status)
{
	if (!teardown_kernel(rc, set)) {
		umd_emu_kill_handlers();
		_exit(status ? status : 1);	/* the guard cleans up */
	}
	run_remove_files(rc);
	run_guard_stop(rc);
	reap_children(rc, &status);
	if (!o->ignore_warnings && report_log_problems() && !status)
		status = 1;
	if (rc->log_fd >= 0) {
		umd_emu_kmsg_set_sink(-1);
		close(rc->log_fd);
	}
	trace_run_stop();
	g_free(rc->tmpdir);
	g_free(rc->mountpoint);
	g_free(rc->sock_path);
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .grace = 5 };
	struct run_ctx rc = { .log_fd = -1, .guard_fd = -1, .guard = -1,
			      .child = -1, .tty = -1, .verb = "run" };
	char *default_cmd[] = { NULL, NULL };
	sigset_t set, oldmask;
	int status;

	status = parse_opts(argc, argv, &o);
	if (status)
		return status;
	rc.grace_s = o.grace;
	if (!*o.cmd) {
		default_cmd[0] = (char *)(g_getenv("SHELL") ?: "/bin/sh");
		o.cmd = default_cmd;
	}
	block_signals(&set, &oldmask);
	status = 1;
	if (!setup_log_and_modules(&rc, &o) && !start_kernel(&rc, &o))
		status = run_command(&rc, o.cmd, &set, &oldmask);
	status = finish(&rc, &o, &set, status);
	free_opts(&o);
	return status;
}
