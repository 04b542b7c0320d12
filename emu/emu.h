/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu: the emulator's own interface, for its front ends (the FUSE
 * server, the umd-emu command, programs embedding the emulator). Kernel-
 * style code never includes this; it uses the shim in emu/include/linux.
 * Hooks that only tests and fuzzers need are in emu-test.h (not
 * installed).
 */
#ifndef UMD_EMU_EMU_H
#define UMD_EMU_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

struct file;
struct dentry;

/*
 * The decimal digits of v at buf, NUL-terminated; returns the NUL's
 * address. Async-signal-safe (for code that runs between fork and exec,
 * or after fork in a process with threads).
 */
static inline char *umd_emu_put_ulong(char *buf, unsigned long v)
{
	char digits[24];
	int d = 0;

	do {
		digits[d++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (d)
		*buf++ = digits[--d];
	*buf = '\0';
	return buf;
}

/* ---- kernel log (emu/printk.c) ---------------------------------------- */

struct umd_emu_kmsg_record {
	uint64_t seq;
	uint64_t ts_usec;	/* microseconds since the emulator started */
	int level;		/* 0 (emerg) .. 7 (debug) */
	const char *text;	/* one line, no trailing newline */
};

/* Called with the log locked: must not printk. Return non-zero to stop. */
typedef int (*umd_emu_kmsg_fn)(const struct umd_emu_kmsg_record *rec,
			       void *data);

/* Sequence number the next record will get. */
uint64_t umd_emu_kmsg_next_seq(void);
/* Visit records with seq >= from, oldest first; returns the next seq. */
uint64_t umd_emu_kmsg_foreach(uint64_t from, umd_emu_kmsg_fn fn, void *data);
/* True if a record with seq >= from contains needle. */
bool umd_emu_kmsg_contains(uint64_t from, const char *needle);
/* Write records with seq >= from to fd as "[secs.usecs] text" lines. */
int umd_emu_kmsg_dump(int fd, uint64_t from);
/* Echo every record to stderr as it is logged (UMD_EMU_KMSG_ECHO=1). */
void umd_emu_kmsg_set_echo(bool on);
/* Also write every record to fd as it is logged (-1: stop). */
void umd_emu_kmsg_set_sink(int fd);
/* Microseconds since the emulator started (the records' clock), now. */
uint64_t umd_emu_kmsg_now_usec(void);
/* The wall clock (CLOCK_REALTIME, us since the epoch) when it started. */
uint64_t umd_emu_kmsg_start_realtime_usec(void);
/*
 * dmesg -C: readers for a user start at umd_emu_kmsg_clear_seq(), which
 * umd_emu_kmsg_clear() moves up to upto (at most the next seq). The
 * records themselves stay (the run's report, umd_emu_kmsg_contains()).
 */
uint64_t umd_emu_kmsg_clear_seq(void);
void umd_emu_kmsg_clear(uint64_t upto);
/* Wait up to timeout_ms for a record with seq >= seq; true if there is. */
bool umd_emu_kmsg_wait(uint64_t seq, long timeout_ms);

/* WARNING:s logged so far (WARN*(), lockdep-style mutex checks, ...). */
unsigned long umd_emu_warnings(void);
/* Sanitizer reports (ASan, LSan, UBSan) seen on handlers' stderr. */
unsigned long umd_emu_sanitizer_reports(void);
/* "BUG:" and "kernel BUG at" lines logged so far. */
unsigned long umd_emu_bugs(void);
/* Is a log line a WARNING, a BUG or (part of) a sanitizer report? */
bool umd_emu_kmsg_is_problem(const char *text);

/* ---- tasks and user memory (emu/sched.c, emu/uaccess.c) --------------- */

/* Make "current" the user process pid/tgid for this thread. */
void umd_emu_set_current(pid_t pid, pid_t tgid, const char *comm);
/*
 * Make "current" user process pid (a thread id): its thread group and name
 * come from /proc/PID/status, remembered per thread for a second (a pid
 * reused within that second would inherit a stale name).
 */
void umd_emu_set_current_pid(pid_t pid);
/* Back to the emulator's own thread. */
void umd_emu_reset_current(void);

/* ---- signals to the tasks served (emu/signal.c) ----------------------- */

/*
 * A thread serving a user process (umd_emu_set_current_pid() with a pid)
 * runs that process's system call: a signal to the process makes its
 * waits on a handler's pipes return -ERESTARTSYS, as pipe_read() and
 * pipe_write() do, and signal_pending(current) true, until the thread
 * serves the next request. Front ends deliver the signal with
 * pthread_kill(thread, UMD_EMU_TASK_SIGNAL) (libfuse's "intr" option) or
 * umd_emu_task_signal_current().
 */
#define UMD_EMU_TASK_SIGNAL SIGUSR1
/* Install the handler of UMD_EMU_TASK_SIGNAL (once); returns the signal. */
int umd_emu_task_signal(void);
/* The calling thread's task got a signal. */
void umd_emu_task_signal_current(void);
bool umd_emu_task_signal_pending(void);
/*
 * Shut down: every task served now, and every later one, gets a signal,
 * so that no request keeps the emulator from ending.
 */
void umd_emu_interrupt_all(void);
/*
 * What a system call returns for a kernel return value: kernel-internal
 * codes never reach user space (-ERESTARTSYS and its kin become -EINTR,
 * -ENOIOCTLCMD -ENOTTY, -ENOTSUPP -EOPNOTSUPP, other codes past 511 -EIO).
 */
long umd_emu_errno_to_user(long ret);

/* Map [addr, addr + len) as user memory of the current thread. */
int umd_emu_user_map(const void *addr, size_t len, bool writable);
void umd_emu_user_unmap(const void *addr);
void umd_emu_user_unmap_all(void);

/* ---- processes (emu/pid.c) ------------------------------------------- */

/* Handler processes started and not yet reaped. */
int umd_emu_live_children(void);
/* Is pid a handler process (reaped by the runtime, not by the caller)? */
bool umd_emu_pid_is_handler(pid_t pid);
/* SIGKILL every handler still running; returns how many. */
int umd_emu_kill_handlers(void);
/*
 * Log what handlers have written to their stderr (/dev/kmsg) and the
 * collector threads have not read yet: call before reading the log.
 */
void umd_emu_handler_logs_flush(void);
/* Child processes of this process, zombies included (from /proc). */
int umd_emu_count_children(void);
/* Open file descriptors of this process. */
int umd_emu_count_fds(void);
/* Handler processes started since the emulator started. */
unsigned long umd_emu_children_started(void);
/*
 * Handlers start in a mount namespace of their own (emu/umh.c), made with
 * the first handler; this makes it now (its descriptors stay open).
 * False where handlers run without one (the kernel log says why).
 */
bool umd_emu_handler_ns_ready(void);

/* ---- handlers under a debugger (emu/umd_debug.c) --------------------- */

/*
 * Start the next handler of a driver under a debugger: setting is
 * "DRIVER:gdb" (stopped before its first instruction, for gdb -p),
 * "DRIVER:strace[=ARGS]" (strace -f ARGS attached before it runs),
 * "DRIVER:valgrind[=ARGS]" (run by valgrind --tool=memcheck ARGS), or
 * "DRIVER:off" (disarm); ARGS are split as a shell would. One setting per
 * driver (a new one replaces it), taken by the driver's next start. With
 * wait, the start's outcome is kept for umd_emu_debug_wait(ticket).
 * 0, or -EINVAL with *error (to g_free): a malformed setting, a tool not
 * installed, ptrace refused here (Yama).
 */
int umd_emu_debug_arm(const char *setting, bool wait, unsigned long *ticket,
		      char **error);
/* Settings separated by ';' ($UMD_EMU_DEBUG): all of them, or none. */
int umd_emu_debug_configure(const char *spec, char **error);
/*
 * Wait up to timeout_ms for the start an armed ticket takes: 1 when it
 * started (*message: the line logged, with the command to attach), 0 not
 * yet, -ECANCELED (replaced or disarmed) or -EIO (not started, or not
 * under the tool) with *message saying why. *message is to g_free.
 */
int umd_emu_debug_wait(unsigned long ticket, long timeout_ms, char **message);
/* The waiter has gone: disarm the ticket's setting, drop its outcome. */
void umd_emu_debug_cancel(unsigned long ticket);

struct umd_emu_debug_info {
	const char *driver;
	const char *tool;	/* "gdb", "strace", "valgrind" */
	const char *args;	/* ARGS as given, "" if none */
};
typedef int (*umd_emu_debug_fn)(const struct umd_emu_debug_info *info,
				void *data);
/* Visit the settings armed now. */
int umd_emu_debug_foreach(umd_emu_debug_fn fn, void *data);

/* ---- mutexes (emu/mutex.c) ------------------------------------------- */

/* Mutexes currently held, by any thread. */
int umd_emu_mutexes_held(void);

/* ---- fault injection (emu/fault.c, emu/umd_inject.c) ------------------ */

/*
 * Apply a fault-injection setting (see emu/fault.c and emu/umd_inject.c):
 * "seed=N; POINT:nth=N|probability=P,interval=I,times=T,error=E,short=S;
 *  POINT:off; crash:...; watchdog:...; reset". 0, or -EINVAL with *error
 * set (to g_free).
 */
int umd_emu_fault_configure(const char *spec, char **error);
/* Disarm every point, crash and watchdog; zero the counters. */
void umd_emu_fault_reset(void);

struct umd_emu_fault_info {
	const char *name;
	bool armed;
	unsigned long calls;	/* since armed */
	unsigned long fired;
	unsigned long nth;
	double probability;
	unsigned long interval;
	long times;
	int error;
	size_t short_len;
};
typedef int (*umd_emu_fault_fn)(const struct umd_emu_fault_info *info,
				void *data);
int umd_emu_fault_foreach(umd_emu_fault_fn fn, void *data);
unsigned long umd_emu_fault_fired(const char *point);
/* A fault point, as the settings grammar knows it (emu/fault_config.c). */
struct umd_emu_fault_point {
	const char *name;	/* "failslab", "fail_kernel_read", ... */
	const char *kind;	/* "memory", "user copy", "pipe I/O", ... */
	int default_error;	/* negative errno it fails with */
	bool takes_short;	/* short=N applies: an I/O point */
	const char *help;	/* one line: what fails */
};
/* Every fault point, in a fixed order, ending with a NULL name. */
const struct umd_emu_fault_point *umd_emu_fault_point_table(void);
/* "failslab fail_copy_from_user ...": the names, space-separated. */
const char *umd_emu_fault_point_names(void);
/* Handler crashes injected so far. */
unsigned long umd_emu_crashes_fired(void);

/* A crash setting, armed or spent (listed until a reset). */
struct umd_emu_crash_info {
	const char *setting;	/* "crash:driver=...", as given */
	const char *driver;
	unsigned long fired;	/* crashes it made */
	bool armed;		/* more to come */
};
typedef int (*umd_emu_crash_fn)(const struct umd_emu_crash_info *info,
				void *data);
int umd_emu_crash_foreach(umd_emu_crash_fn fn, void *data);

/*
 * One request to a handler and its reply, as the pipes saw them: recorded
 * when the request ends (the next one starts, or the handler's pipes are
 * released).
 */
struct umd_emu_exchange_info {
	const char *driver;
	pid_t pid;		/* the handler */
	unsigned long request;	/* its number, counted per handler */
	size_t request_bytes;	/* written to the handler */
	size_t reply_bytes;	/* read from it */
	/* What ended it: "complete", "eof", "crash", ... (the trace's end) */
	const char *end;
};
typedef int (*umd_emu_exchange_fn)(const struct umd_emu_exchange_info *info,
				   void *data);
/* The exchanges (the last 4096) since the last reset, oldest first. */
int umd_emu_exchanges_foreach(umd_emu_exchange_fn fn, void *data);
void umd_emu_exchanges_reset(void);

/* A request waiting for its handler now (umd_emu_requests_foreach()). */
struct umd_emu_request_info {
	const char *driver;
	pid_t pid;		/* the handler */
	unsigned long request;	/* its number, counted per handler */
	bool writing;		/* writing the request, else reading the reply */
	long waiting_ms;	/* since its last transfer began */
};
typedef int (*umd_emu_request_fn)(const struct umd_emu_request_info *info,
				  void *data);
/* Visit the requests waiting for their handler now (for hang reports). */
int umd_emu_requests_foreach(umd_emu_request_fn fn, void *data);

/* ---- the protocol trace (emu/umd_trace.c) ------------------------------ */

/*
 * When on, every exchange of every UMD as its pipes see it: one event per
 * handler start, request, reply, bytes beyond a reply and handler exit
 * (docs/TRACE.md: the events, their fields and their JSON form). The
 * channel of each handler (emu/umd_inject.c) makes them, from the state
 * the record of exchanges above keeps; off, it costs one branch per
 * transfer.
 */
enum umd_emu_trace_kind {
	UMD_EMU_TRACE_START,	/* a handler started */
	UMD_EMU_TRACE_REQUEST,	/* a request written to it (or a part) */
	UMD_EMU_TRACE_REPLY,	/* its reply read (or a part) */
	UMD_EMU_TRACE_EXTRA,	/* bytes it wrote beyond its reply */
	UMD_EMU_TRACE_EXIT,	/* it ended */
};

struct umd_emu_trace_event {
	uint64_t seq;		/* from 0, one per event */
	uint64_t ts_usec;	/* the kernel log's clock */
	enum umd_emu_trace_kind kind;
	const char *driver;
	pid_t pid;		/* the handler */
	unsigned long request;	/* request, reply, extra: its number */
	size_t offset;		/* request, reply: where in the message */
	size_t len;		/* bytes that crossed (extra: found) */
	size_t want;		/* request, reply: bytes asked to move */
	unsigned int calls;	/* kernel_write()/kernel_read() calls */
	/* request: writing it; reply: from the request's end (the handler) */
	long long usec;		/* -1: not known */
	/*
	 * request, reply: "complete", "eof", "epipe", "error", "interrupted",
	 * "watchdog", "fault", "crash", "incomplete"; exit: "exited",
	 * "killed"; extra: where found, "probe" or "close".
	 */
	const char *end;
	int error;		/* request, reply: a negative errno, or 0 */
	int status;		/* exit: exit status or signal number */
	bool injected;		/* exit: a crash setting ordered it */
	const char *detail;	/* crash, watchdog, fault, exit: what; or "" */
	const unsigned char *bytes;	/* the first bytes that crossed */
	size_t shown;		/* how many are at bytes (<= len) */
};

/* "start", "request", "reply", "extra", "exit". */
const char *umd_emu_trace_kind_name(enum umd_emu_trace_kind kind);
/*
 * Record from now on, keeping the first capture bytes of each event
 * (SIZE_MAX: all; the events kept in memory hold at most 4096 of them).
 */
void umd_emu_trace_start(size_t capture);
/* Stop and forget the events kept (sequence numbers go on). */
void umd_emu_trace_stop(void);
bool umd_emu_trace_enabled(void);
/*
 * Call fn for every event as it is recorded, in order, with the trace
 * locked (it must not wait for an exchange); NULL: none.
 */
void umd_emu_trace_set_sink(void (*fn)(const struct umd_emu_trace_event *ev,
				       void *data), void *data);
typedef int (*umd_emu_trace_fn)(const struct umd_emu_trace_event *ev,
				void *data);
/*
 * Visit the events kept (the last 4096) with seq >= from, oldest first,
 * with the trace locked; fn returns non-zero to stop. Returns the
 * sequence number to start from next time (fn NULL, from UINT64_MAX:
 * the next event's).
 */
uint64_t umd_emu_trace_foreach(uint64_t from, umd_emu_trace_fn fn,
			       void *data);
/* Wait up to timeout_ms for an event with seq >= from: true if one is. */
bool umd_emu_trace_wait(uint64_t from, long timeout_ms);
/* A line of printable text (4 bytes or more, then a newline) first? */
bool umd_emu_bytes_look_like_text(const unsigned char *buf, size_t len);

/* ---- modules (emu/module.c) ------------------------------------------- */

/* Directories searched for NAME.ko, colon-separated ($UMD_EMU_MODULES). */
int umd_emu_module_set_path(const char *path);
const char *umd_emu_module_get_path(void);
/* Is there a NAME.ko in the module path? */
bool umd_emu_module_available(const char *name);
/* modprobe NAME: load it and what it depends on; 0 or a negative errno. */
int umd_emu_modprobe(const char *name);
/* rmmod NAME: 0, -ENOENT, -EWOULDBLOCK (in use) or -EBUSY (no exit). */
int umd_emu_rmmod(const char *name);
/* Unload every module, users first. Returns how many were unloaded. */
int umd_emu_module_unload_all(void);

struct umd_emu_module_info {
	const char *name;
	const char *path;
	unsigned long size;	/* bytes mapped */
	int refcnt;		/* modules using it + held references */
	const char *used_by;	/* comma-separated names of users */
	const char *license;
};
typedef int (*umd_emu_module_fn)(const struct umd_emu_module_info *mod,
				 void *data);
/* Visit loaded modules, newest first (as lsmod lists them). */
int umd_emu_module_foreach(umd_emu_module_fn fn, void *data);
bool umd_emu_module_loaded(const char *name);
/*
 * The address of symbol, exported by loaded module name (what a front end
 * calls into, e.g. bpfilter's sockopt entry points); NULL if the module is
 * not loaded or does not export it.
 */
void *umd_emu_module_symbol(const char *name, const char *symbol);

/* ---- securityfs (emu/securityfs.c) ----------------------------------- */

struct umd_emu_sfs_stat {
	unsigned int mode;	/* S_IFREG / S_IFDIR / S_IFLNK | permissions */
	unsigned long ino;
	uint64_t generation;	/* registry change counter */
};

/* Look path ("dir/file", relative to the securityfs root) up. */
int umd_emu_securityfs_stat(const char *path, struct umd_emu_sfs_stat *st);
typedef int (*umd_emu_sfs_dir_fn)(const char *name,
				  const struct umd_emu_sfs_stat *st,
				  void *data);
int umd_emu_securityfs_readdir(const char *path, umd_emu_sfs_dir_fn fn,
			       void *data);
int umd_emu_securityfs_readlink(const char *path, char *buf, size_t size);
/*
 * Open an entry as the kernel's VFS would (O_RDONLY/O_WRONLY/O_RDWR): the
 * entry's ->open runs; *filp is the open file. Read and write map the
 * given buffer as user memory for the call and run ->read/->write with
 * file->f_pos as *ppos. Release runs ->release and frees the file.
 */
int umd_emu_securityfs_open(const char *path, int flags, struct file **filp);
ssize_t umd_emu_securityfs_read(struct file *filp, void *buf, size_t count,
				loff_t *pos);
ssize_t umd_emu_securityfs_write(struct file *filp, const void *buf,
				 size_t count, loff_t *pos);
int umd_emu_securityfs_release(struct file *filp);
/*
 * One write(2) to a fresh open file, as "printf ... > path" makes it:
 * open O_WRONLY, write count bytes at offset 0, release. Returns what the
 * write returned (bytes written or -errno), or open's -errno.
 */
ssize_t umd_emu_securityfs_write_file(const char *path, const void *buf,
				      size_t count);
/* Called on every registry change (for the FUSE server's invalidation). */
void umd_emu_securityfs_set_notify(void (*fn)(void *data), void *data);
/* Entries currently registered. */
int umd_emu_securityfs_count(void);

#endif /* UMD_EMU_EMU_H */
