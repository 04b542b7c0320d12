/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu runtime: declarations shared between the runtime's files. */
#ifndef UMD_EMU_INTERNAL_H
#define UMD_EMU_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct pid;
struct module;

struct umd_emu_trace_event;

/* printk.c */
void umd_emu_log_line(int level, const char *text);
void umd_emu_count_warning(void);
void umd_emu_count_sanitizer_report(void);
bool umd_emu_is_sanitizer_report(const char *text);

/* sched.c: this thread's id, without a system call after the first */
pid_t umd_emu_gettid(void);

/* signal.c: the task a front-end thread serves */
void umd_emu_task_begin(void);
void umd_emu_task_end(void);
bool umd_emu_task_interruptible(void);
void umd_emu_task_kthread_begin(void);
void umd_emu_task_kthread_end(void);
/*
 * Wait up to timeout_ms (-1: no limit) until fd is ready for events, as
 * an interruptible sleep of the current task: 1 when ready (or when the
 * caller is a kernel thread and timeout_ms is -1: it just blocks in its
 * I/O), 0 on timeout, -ERESTARTSYS when a signal is pending and fd is not
 * ready.
 */
int umd_emu_task_poll(int fd, short events, long timeout_ms);

/* module.c: the module whose init/exit runs on this thread, or NULL */
struct module *umd_emu_module_current(void);
const char *umd_emu_module_name(const struct module *mod);
bool umd_emu_module_contains(const struct module *mod, const void *addr);

/*
 * umd_trace.c: the protocol trace. Whoever makes an event tests
 * umd_emu_tracing() first (off: that one branch is all it costs), fills
 * the event (seq and time are set here) and emits it.
 */
extern int umd_emu_trace_on;
static inline bool umd_emu_tracing(void)
{
	return __builtin_expect(__atomic_load_n(&umd_emu_trace_on,
						__ATOMIC_RELAXED), 0);
}
/* The bytes of an event to keep (umd_emu_trace_start()'s capture). */
size_t umd_emu_trace_capture(void);
void umd_emu_trace_emit(struct umd_emu_trace_event *ev);

/* umd_inject.c: crash injection and watchdog on a handler's pipes */
struct umd_emu_channel;
struct umd_emu_channel *umd_emu_channel_create(const char *driver, int to_fd);
void umd_emu_channel_set_pid(struct umd_emu_channel *ch, struct pid *pid);
void umd_emu_channel_get(struct umd_emu_channel *ch);
void umd_emu_channel_put(struct umd_emu_channel *ch);
/*
 * Before a transfer on a channel's pipe: asked, the caller's count (for
 * the record of the exchange), count what io_prepare() left of it.
 */
ssize_t umd_emu_channel_before(struct umd_emu_channel *ch, int fd,
			       bool write, size_t asked, size_t count);
void umd_emu_channel_after(struct umd_emu_channel *ch, int fd, bool write,
			   const void *buf, ssize_t n);
/* An injected fault failed a transfer of asked bytes with err. */
void umd_emu_channel_fault(struct umd_emu_channel *ch, bool write,
			   size_t asked, int err);
/* Bytes a non-blocking read found beyond a reply; the reply pipe closing. */
void umd_emu_channel_stray(struct umd_emu_channel *ch, int fd,
			   const void *buf, ssize_t n);
void umd_emu_channel_closing(struct umd_emu_channel *ch, int fd);
/* umh.c: the namespace handlers start in */
struct umd_emu_handler_ns {
	int user_fd;		/* its user namespace, or -1 (root) */
	int mnt_fd;		/* its mount namespace */
	int cwd_fd;		/* root of a tmpfs mounted nowhere */
};
/* Made at the first call; NULL where handlers run without one. */
const struct umd_emu_handler_ns *umd_emu_handler_ns(void);
/* In the child before exec: join it (NULL: chdir("/")). 0 or -errno. */
int umd_emu_handler_ns_enter(const struct umd_emu_handler_ns *ns);

/*
 * umd_debug.c: a handler under a debugger. What one start takes:
 * umd_emu_debug_take() before the fork (NULL: no setting for driver;
 * blob_fd is what will run), umd_emu_debug_child() in the child
 * before the exec (async-signal-safe; with valgrind it execs the tool
 * and returns only on an error), umd_emu_debug_started() in the parent
 * once the exec has happened (holds the handler or attaches the tool;
 * -errno: the caller kills it), or umd_emu_debug_end() if the start
 * failed (err) before that. Both of those release it.
 */
struct umd_emu_debug;
struct umd_emu_debug *umd_emu_debug_take(const char *driver, int blob_fd);
int umd_emu_debug_child(const struct umd_emu_debug *d, int blob_fd,
			char *const envp[]);
int umd_emu_debug_started(struct umd_emu_debug *d, pid_t pid, int pidfd,
			  char *const envp[]);
void umd_emu_debug_end(struct umd_emu_debug *d, int err, const char *message);
/* Is needle (a symbol's name, a string) in the blob? */
bool umd_emu_blob_has(int blob_fd, const char *needle);
/* umd_inject.c: requests to a debugged handler have no time limit. */
void umd_emu_channel_set_debugged(struct umd_emu_channel *ch);

/* pid.c */
void umd_emu_pid_set_crash_injected(struct pid *pid);
/*
 * Coverage: a handler built with umd-emu's coverage flush
 * (tools/coverage/handler_flush.c, which holds this string) writes its
 * gcov counters on SIGRTMAX. With $UMD_EMU_KILL_GRACE_MS set (by
 * tools/coverage.sh), a SIGKILL for such a handler is a SIGRTMAX first,
 * then the SIGKILL after that many milliseconds if it is still there.
 * Unset (or 0), a SIGKILL is a SIGKILL, as on a kernel.
 */
#define UMD_EMU_COV_FLUSH_MARKER "umd-emu: writes its gcov counters on SIGRTMAX"
long umd_emu_kill_grace_ms(void);
void umd_emu_pid_set_flush_on_rtmax(struct pid *pid);
int umd_emu_pid_fd(struct pid *pid);
struct pid *umd_emu_pid_create(pid_t nr, int pidfd, const char *name,
			       int stderr_fd);
/*
 * A struct pid for a thread handler running fn(in_fd, out_fd, stop_fd,
 * arg) (umd_emu_set_handler_thread()). Takes in_fd and out_fd, even on
 * failure (NULL). pid_nr() is the thread's id.
 */
struct pid *umd_emu_pid_create_thread(const char *name,
				      void (*fn)(int in_fd, int out_fd,
						 int stop_fd, void *arg),
				      void *arg, int in_fd, int out_fd);

#endif /* UMD_EMU_INTERNAL_H */
