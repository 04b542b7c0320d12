// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: what the emulator does on the pipes of a UMD.
 *
 * fork_usermode_driver() ties both pipe files of a handler to a channel
 * that follows the protocol: a request starts with the first kernel_write()
 * after a read (or the first one), its reply is what kernel_read() gets
 * until the next request. On a channel the emulator can:
 *
 *  - crash the handler at a chosen place of a chosen request, with a chosen
 *    signal (KILL, SEGV, ABRT, TERM, BUS), stop it (STOP: a hang), or make it
 *    exit with a status (signal=EXIT,status=S: the emulator, its parent,
 *    attaches with ptrace and has it call exit_group(S) where it is
 *    blocked, or at its next system call; x86-64 only):
 *      crash:driver=NAME,nth=N,at=before|request|request-end|reply,
 *            offset=K,signal=SIG,status=S,times=T
 *    "request,offset=K": after the handler has read K bytes of the request
 *    (the kernel writes K bytes, waits until the handler has taken them,
 *    then kills it); "reply,offset=K": after it has written K bytes of the
 *    reply (the kernel reads K bytes, kills it, and drops what else it had
 *    written). nth counts the requests to that driver from when the crash
 *    is armed (default 1: the next one).
 *  - bound a request in time:
 *      watchdog:driver=NAME,timeout_ms=N,hung_ms=M
 *    timeout_ms: a handler that has not answered in time is killed and the
 *    request fails with -ETIMEDOUT (off by default, as in the kernel).
 *    hung_ms: a request waiting longer gets one report like the kernel's
 *    hung-task warning, and goes on waiting (5 s by default: the kernel's
 *    is 120 s, too long for a test; hung_ms=0 turns it off). A setting
 *    without a driver is the default of every driver; a key not given
 *    keeps the default. A handler started under a debugger
 *    (umd_debug.c) has neither: its requests wait as long as it takes.
 *
 * These settings go through umd_emu_fault_configure() ($UMD_EMU_FAULT,
 * "umd-emu fault") with the fault points; fault_config.c parses them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>

#include "emu.h"
#include "internal.h"
#include "missing.h"
#include "umd_inject.h"

/* The hung-request report's default delay (watchdog:hung_ms=0: none). */
#define HUNG_REPORT_MS 5000

static pthread_mutex_t inject_lock = PTHREAD_MUTEX_INITIALIZER;
static GArray *crashes;		/* struct crash_cfg, armed ones */
static GArray *watchdogs;	/* struct watchdog_cfg, one per driver */
static unsigned long crashes_fired;

/*
 * One direction of the current request (0: the request, 1: the reply) as
 * the caller moves it: a part begins with a transfer when none is open,
 * asks to reach want (the bytes of the message moved before, plus the
 * caller's count), and ends complete once it has, or with what stopped
 * it. With core's umd_send_recv() each direction is one part.
 */
struct chan_part {
	bool open;
	size_t offset;		/* where in the message it began */
	size_t want;		/* where in the message the caller asked to be */
	unsigned int calls;
	/* Tracing only: */
	int64_t t0_usec;	/* its first transfer began (0: not known) */
	int64_t call_usec;	/* its latest transfer began */
	unsigned char *cap;	/* its first bytes */
	size_t cap_len, cap_size;
};

struct umd_emu_channel {
	int refs;
	char driver[64];
	struct pid *pid;
	int to_fd;		/* the kernel's end of the request pipe */
	unsigned long requests;
	bool in_request;	/* writing the request */
	size_t req_done, reply_done;
	/* the crash armed for the current request */
	struct crash_cfg crash;
	bool crash_pending;
	bool dead;		/* crashed: reads see EOF */
	bool crashed;		/* a crash or watchdog ended it: no hints */
	/* what the current request moved, and how it ended */
	struct chan_part part[2];
	int64_t req_end_usec;	/* tracing: the write completing it began */
	const char *end;	/* the last part's end, for the record */
	bool crash_hit;		/* an injected crash ended it */
	bool watchdog_hit;	/* the watchdog ended it */
	char how[160];		/* which crash, which watchdog */
	/* for diagnostics: the reply's first bytes */
	unsigned char reply_head[32];
	size_t reply_head_len;
	bool stopped;		/* STOP injected: reads wait for SIGCONT */
	bool debugged;		/* under a debugger: no time limits */
	bool debug_noted;	/* said so, for a watchdog that would apply */
	bool discard;		/* drop reply bytes written before the crash */
	/* the current request's time limits */
	long timeout_ms, hung_ms;
	struct timespec started;
	bool hung_reported;
	/* in the list of channels: who waits for which handler, how long */
	struct list_head node;
	int64_t waiting_since;	/* atomic: ms (CLOCK_MONOTONIC), 0: not */
	bool waiting_write;
};

static pthread_mutex_t chan_list_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(chan_list);

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ---- settings (parsed in fault_config.c) ------------------------------ */

static void settings_init_locked(void)
{
	if (!crashes) {
		crashes = g_array_new(FALSE, FALSE, sizeof(struct crash_cfg));
		watchdogs = g_array_new(FALSE, FALSE,
					sizeof(struct watchdog_cfg));
	}
}

void umd_emu_crash_add(const struct crash_cfg *c)
{
	pthread_mutex_lock(&inject_lock);
	settings_init_locked();
	g_array_append_vals(crashes, c, 1);
	pthread_mutex_unlock(&inject_lock);
}

void umd_emu_watchdog_set(const struct watchdog_cfg *w)
{
	guint i;

	pthread_mutex_lock(&inject_lock);
	settings_init_locked();
	/* One watchdog per driver: replace. */
	for (i = 0; i < watchdogs->len; i++)
		if (!strcmp(g_array_index(watchdogs, struct watchdog_cfg,
					  i).driver, w->driver))
			break;
	if (i < watchdogs->len)
		g_array_index(watchdogs, struct watchdog_cfg, i) = *w;
	else
		g_array_append_vals(watchdogs, w, 1);
	pthread_mutex_unlock(&inject_lock);
}

void umd_emu_umd_reset(void)
{
	pthread_mutex_lock(&inject_lock);
	if (crashes) {
		g_array_set_size(crashes, 0);
		g_array_set_size(watchdogs, 0);
	}
	crashes_fired = 0;
	pthread_mutex_unlock(&inject_lock);
}

unsigned long umd_emu_crashes_fired(void)
{
	unsigned long n;

	pthread_mutex_lock(&inject_lock);
	n = crashes_fired;
	pthread_mutex_unlock(&inject_lock);
	return n;
}

int umd_emu_crash_foreach(umd_emu_crash_fn fn, void *data)
{
	struct umd_emu_crash_info info;
	int ret = 0;
	guint i;

	pthread_mutex_lock(&inject_lock);
	for (i = 0; crashes && i < crashes->len && !ret; i++) {
		const struct crash_cfg *c = &g_array_index(crashes,
							   struct crash_cfg,
							   i);

		info.setting = c->setting;
		info.driver = c->driver;
		info.fired = c->fired;
		info.armed = c->times != 0;
		ret = fn(&info, data);
	}
	pthread_mutex_unlock(&inject_lock);
	return ret;
}

/* ---- the record of exchanges ------------------------------------------- */

/* Exchanges kept: the newest, for sweeps and diagnostics. */
#define EXCHANGES_KEPT 4096

struct exchange_rec {
	char driver[UMD_EMU_DRIVER_LEN];
	pid_t pid;
	unsigned long request;
	size_t request_bytes, reply_bytes;
	const char *end;
};

static pthread_mutex_t exchange_lock = PTHREAD_MUTEX_INITIALIZER;
static struct exchange_rec *exchange_ring;
static unsigned long exchanges_seen;	/* since the reset */

/* The request on ch has ended (the next one starts, or the channel goes). */
static void exchange_record(const struct umd_emu_channel *ch)
{
	struct exchange_rec *r;

	if (!ch->requests)
		return;
	pthread_mutex_lock(&exchange_lock);
	if (!exchange_ring)
		exchange_ring = g_new0(struct exchange_rec, EXCHANGES_KEPT);
	r = &exchange_ring[exchanges_seen++ % EXCHANGES_KEPT];
	g_strlcpy(r->driver, ch->driver, sizeof(r->driver));
	r->pid = pid_nr(ch->pid);
	r->request = ch->requests;
	r->request_bytes = ch->req_done;
	r->reply_bytes = ch->reply_done;
	r->end = ch->end ? ch->end : "";
	pthread_mutex_unlock(&exchange_lock);
}

int umd_emu_exchanges_foreach(umd_emu_exchange_fn fn, void *data)
{
	struct umd_emu_exchange_info info;
	unsigned long i;
	int ret = 0;

	pthread_mutex_lock(&exchange_lock);
	i = exchanges_seen > EXCHANGES_KEPT ? exchanges_seen - EXCHANGES_KEPT
					    : 0;
	for (; i < exchanges_seen && !ret; i++) {
		const struct exchange_rec *r =
			&exchange_ring[i % EXCHANGES_KEPT];

		info.driver = r->driver;
		info.pid = r->pid;
		info.request = r->request;
		info.request_bytes = r->request_bytes;
		info.reply_bytes = r->reply_bytes;
		info.end = r->end;
		ret = fn(&info, data);
	}
	pthread_mutex_unlock(&exchange_lock);
	return ret;
}

void umd_emu_exchanges_reset(void)
{
	pthread_mutex_lock(&exchange_lock);
	exchanges_seen = 0;
	pthread_mutex_unlock(&exchange_lock);
}

/* ---- the parts of an exchange, and their trace events ------------------ */

static void trace_event_init(struct umd_emu_trace_event *ev,
			     const struct umd_emu_channel *ch,
			     enum umd_emu_trace_kind kind)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->driver = ch->driver;
	ev->pid = pid_nr(ch->pid);
	ev->request = ch->requests;
	ev->usec = -1;
}

/* A transfer of asked bytes begins: in the open part, or a new one. */
static void part_begin(struct umd_emu_channel *ch, bool write, size_t asked)
{
	struct chan_part *p = &ch->part[!write];
	size_t done = write ? ch->req_done : ch->reply_done;

	if (!p->open) {
		p->open = true;
		p->offset = done;
		p->calls = 0;
		p->cap_len = 0;
		p->t0_usec = 0;		/* 0: tracing began later */
	}
	p->want = done + asked;
	if (umd_emu_tracing()) {
		p->call_usec = MAX(umd_emu_kmsg_now_usec(), (uint64_t)1);
		if (!p->calls)
			p->t0_usec = p->call_usec;
	}
}

/* Tracing: keep the first bytes of a part, up to the trace's capture. */
static void part_capture(struct chan_part *p, const void *buf, size_t n)
{
	size_t limit = umd_emu_trace_capture(), take;

	if (p->cap_len >= limit)
		return;
	take = MIN(n, limit - p->cap_len);
	if (p->cap_len + take > p->cap_size) {
		p->cap_size = MAX(MAX(p->cap_size * 2, (size_t)256),
				  p->cap_len + take);
		p->cap = g_realloc(p->cap, p->cap_size);
	}
	memcpy(p->cap + p->cap_len, buf, take);
	p->cap_len += take;
}

static void trace_part(struct umd_emu_channel *ch, bool write,
		       const struct chan_part *p, const char *end, int error,
		       const char *detail)
{
	struct umd_emu_trace_event ev;
	int64_t now = umd_emu_kmsg_now_usec(), since;

	trace_event_init(&ev, ch, write ? UMD_EMU_TRACE_REQUEST :
				  UMD_EMU_TRACE_REPLY);
	ev.offset = p->offset;
	ev.len = (write ? ch->req_done : ch->reply_done) - p->offset;
	ev.want = p->want - p->offset;
	ev.calls = p->calls;
	/*
	 * A reply: from the write that completed the request (not its
	 * return: the handler may run first), the handler's time.
	 */
	since = write || !ch->req_end_usec ? p->t0_usec : ch->req_end_usec;
	if (since)
		ev.usec = now - since;
	ev.end = end;
	ev.error = error;
	ev.detail = detail;
	ev.bytes = p->cap;
	ev.shown = MIN(p->cap_len, ev.len);
	umd_emu_trace_emit(&ev);
	if (write && !strcmp(end, "complete") && p->t0_usec)
		ch->req_end_usec = p->call_usec;
}

/* The open part of a direction ends (complete, or what stopped it). */
static void part_end(struct umd_emu_channel *ch, bool write, const char *end,
		     int error, const char *detail)
{
	struct chan_part *p = &ch->part[!write];

	if (!p->open)
		return;
	p->open = false;
	ch->end = end;
	if (umd_emu_tracing())
		trace_part(ch, write, p, end, error, detail);
}

/* A transfer ended the part: n is 0 (end of file) or a negative errno. */
static void part_failed(struct umd_emu_channel *ch, bool write, ssize_t n)
{
	const char *end = n == 0 ? "eof" : n == -EPIPE ? "epipe" :
			  n == -ERESTARTSYS ? "interrupted" : "error";

	if (ch->watchdog_hit)
		end = "watchdog";
	else if (ch->crash_hit && (n == 0 || n == -EPIPE))
		end = "crash";
	part_end(ch, write, end, n, ch->crash_hit || ch->watchdog_hit ?
				    ch->how : NULL);
}

/* Bytes found beyond the reply: in the pipe now, or when it closes. */
static void trace_extra(struct umd_emu_channel *ch, const char *found,
			const void *buf, size_t n, size_t len)
{
	struct umd_emu_trace_event ev;

	trace_event_init(&ev, ch, UMD_EMU_TRACE_EXTRA);
	ev.len = len;
	ev.end = found;
	ev.bytes = buf;
	ev.shown = MIN(MIN(n, len), umd_emu_trace_capture());
	umd_emu_trace_emit(&ev);
}

/* ---- channels ---------------------------------------------------------- */

struct umd_emu_channel *umd_emu_channel_create(const char *driver, int to_fd)
{
	/* Part of starting a handler, whose allocations can fail: failslab. */
	struct umd_emu_channel *ch = kzalloc(sizeof(*ch), GFP_KERNEL);

	if (!ch)
		return NULL;
	ch->refs = 1;
	ch->to_fd = to_fd;
	clock_gettime(CLOCK_MONOTONIC, &ch->started);
	g_strlcpy(ch->driver, driver, sizeof(ch->driver));
	return ch;
}

void umd_emu_channel_set_pid(struct umd_emu_channel *ch, struct pid *pid)
{
	ch->pid = get_pid(pid);
	pthread_mutex_lock(&chan_list_lock);
	list_add(&ch->node, &chan_list);
	pthread_mutex_unlock(&chan_list_lock);
	if (umd_emu_tracing()) {
		struct umd_emu_trace_event ev;

		trace_event_init(&ev, ch, UMD_EMU_TRACE_START);
		umd_emu_trace_emit(&ev);
	}
}

int umd_emu_requests_foreach(umd_emu_request_fn fn, void *data)
{
	struct umd_emu_request_info info;
	struct umd_emu_channel *ch;
	int64_t since, now = now_ms();
	int ret = 0;

	pthread_mutex_lock(&chan_list_lock);
	list_for_each_entry(ch, &chan_list, node) {
		if (ret)
			break;
		since = __atomic_load_n(&ch->waiting_since, __ATOMIC_SEQ_CST);
		if (!since)
			continue;
		info.driver = ch->driver;
		info.pid = pid_nr(ch->pid);
		info.request = __atomic_load_n(&ch->requests, __ATOMIC_SEQ_CST);
		info.writing = __atomic_load_n(&ch->waiting_write,
					       __ATOMIC_SEQ_CST);
		info.waiting_ms = now - since;
		ret = fn(&info, data);
	}
	pthread_mutex_unlock(&chan_list_lock);
	return ret;
}

void umd_emu_channel_get(struct umd_emu_channel *ch)
{
	__atomic_add_fetch(&ch->refs, 1, __ATOMIC_SEQ_CST);
}

void umd_emu_channel_put(struct umd_emu_channel *ch)
{
	if (!ch || __atomic_sub_fetch(&ch->refs, 1, __ATOMIC_SEQ_CST))
		return;
	if (ch->pid) {
		pthread_mutex_lock(&chan_list_lock);
		list_del(&ch->node);
		pthread_mutex_unlock(&chan_list_lock);
	}
	part_end(ch, true, "incomplete", 0, NULL);
	part_end(ch, false, "incomplete", 0, NULL);
	exchange_record(ch);
	put_pid(ch->pid);
	g_free(ch->part[0].cap);
	g_free(ch->part[1].cap);
	kfree(ch);
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

/*
 * The watchdog setting for driver (""; the catch-all), if there is one:
 * the limits it gives (negative: not given, the default stays).
 */
static void watchdog_apply(struct umd_emu_channel *ch, const char *driver)
{
	guint i;

	for (i = 0; watchdogs && i < watchdogs->len; i++) {
		const struct watchdog_cfg *w =
			&g_array_index(watchdogs, struct watchdog_cfg, i);

		if (strcmp(w->driver, driver))
			continue;
		if (w->timeout_ms >= 0)
			ch->timeout_ms = w->timeout_ms;
		if (w->hung_ms >= 0)
			ch->hung_ms = w->hung_ms;
	}
}

/* A new request: pick its crash and its time limits. */
static void request_start(struct umd_emu_channel *ch)
{
	int i;

	/* The manager moved on: what it left open ends here. */
	part_end(ch, true, "incomplete", 0, NULL);
	part_end(ch, false, "incomplete", 0, NULL);
	exchange_record(ch);
	__atomic_add_fetch(&ch->requests, 1, __ATOMIC_SEQ_CST);
	ch->in_request = true;
	ch->req_done = ch->reply_done = 0;
	ch->reply_head_len = 0;
	ch->end = NULL;
	ch->crash_hit = ch->watchdog_hit = false;
	ch->req_end_usec = 0;
	ch->crash_pending = false;
	ch->timeout_ms = 0;
	ch->hung_ms = HUNG_REPORT_MS;
	ch->hung_reported = false;
	clock_gettime(CLOCK_MONOTONIC, &ch->started);

	pthread_mutex_lock(&inject_lock);
	for (i = 0; crashes && i < (int)crashes->len; i++) {
		struct crash_cfg *c = &g_array_index(crashes, struct crash_cfg,
						     i);

		if (strcmp(c->driver, ch->driver))
			continue;
		if (!c->times || ++c->seen != c->nth)
			continue;
		ch->crash = *c;
		ch->crash_pending = true;
		/* Spent settings stay listed (status) until a reset. */
		c->fired++;
		if (c->times > 0)
			c->times--;
		c->seen = 0;
		break;
	}
	/* The catch-all setting, then the driver's own, which wins. */
	watchdog_apply(ch, "");
	watchdog_apply(ch, ch->driver);
	pthread_mutex_unlock(&inject_lock);
	/*
	 * A handler held for a debugger, stepped through or run by
	 * valgrind takes the time it takes: the watchdog waits.
	 */
	if (ch->debugged) {
		if (ch->timeout_ms && !ch->debug_noted)
			printk(KERN_NOTICE "umd-emu debug: %s[%d] is debugged: the watchdog (timeout_ms=%ld) is suspended for it\n",
			       ch->driver, pid_nr(ch->pid), ch->timeout_ms);
		ch->debug_noted = true;
		ch->timeout_ms = 0;
		ch->hung_ms = 0;
	}
}

void umd_emu_channel_set_debugged(struct umd_emu_channel *ch)
{
	ch->debugged = true;
}

static const char *place_name(enum crash_place p)
{
	switch (p) {
	case CRASH_BEFORE: return "before it read the request";
	case CRASH_REQUEST: return "after it read";
	case CRASH_REQUEST_END: return "after it read the whole request";
	default: return "after it wrote";
	}
}

#if defined(__x86_64__)
/* Wait for the traced handler's next stop: 0, or -ESRCH if it ended. */
static int wait_trapped(pid_t pid, siginfo_t *si)
{
	/* An exit is left for the reaper (WNOWAIT). */
	memset(si, 0, sizeof(*si));
	if (waitid(P_PID, pid, si, WSTOPPED | WEXITED | WNOWAIT | __WALL))
		return -errno;
	if (si->si_code != CLD_TRAPPED && si->si_code != CLD_STOPPED)
		return -ESRCH;
	return 0;
}

/*
 * Run the stopped tracee to its next system call's entry (signals that
 * come first are delivered). 0 there, or -errno.
 */
static int run_to_syscall(pid_t pid)
{
	siginfo_t si;
	int sig = 0, i, err;

	for (i = 0; i < 64; i++) {
		if (ptrace(PTRACE_SYSCALL, pid, 0, sig))
			return -errno;
		err = wait_trapped(pid, &si);
		if (err)
			return err;
		if (si.si_status == (SIGTRAP | 0x80))
			return 0;
		sig = si.si_code == CLD_TRAPPED && si.si_status != SIGTRAP ?
		      si.si_status : 0;
	}
	return -EAGAIN;
}

/*
 * Make the handler call exit_group(status) where it is: attach (the
 * emulator is its parent, so no privilege is needed) and interrupt it. In
 * a system call, point it back at its syscall instruction with the
 * exit_group number; busy in user space, let it run to its next system
 * call and make that one exit_group. Returns 0, or -errno if that was not
 * possible.
 */
static int force_exit(pid_t pid, int status)
{
	struct user_regs_struct regs;
	siginfo_t si;
	long insn;
	int err;

	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD))
		return -errno;
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0)) {
		err = -errno;
		goto detach;
	}
	err = wait_trapped(pid, &si);
	if (err)
		goto detach;
	if (ptrace(PTRACE_GETREGS, pid, 0, &regs)) {
		err = -errno;
		goto detach;
	}
	errno = 0;
	insn = ptrace(PTRACE_PEEKTEXT, pid, (void *)(regs.rip - 2), 0);
	if (!errno && (insn & 0xffff) == 0x050f) {	/* syscall */
		regs.rip -= 2;
		regs.rax = SYS_exit_group;
		regs.orig_rax = -1;	/* no restart of the interrupted call */
	} else {
		err = run_to_syscall(pid);
		if (err || ptrace(PTRACE_GETREGS, pid, 0, &regs)) {
			err = err ? err : -errno;
			goto detach;
		}
		regs.orig_rax = SYS_exit_group;	/* instead of that call */
	}
	regs.rdi = status;
	if (ptrace(PTRACE_SETREGS, pid, 0, &regs))
		err = -errno;
detach:
	ptrace(PTRACE_DETACH, pid, 0, 0);
	return err;
}
#endif

/* Wait until the handler has taken everything written to it. */
static void wait_drained(struct umd_emu_channel *ch, int fd)
{
	int pending = 0, i;

	for (i = 0; i < 5000; i++) {
		if (ioctl(fd, FIONREAD, &pending) || pending == 0)
			return;
		if (thread_group_exited(ch->pid))
			return;
		usleep(1000);
	}
	pr_warn("umd-emu: %s[%d] did not read its request within 5 s\n",
		ch->driver, pid_nr(ch->pid));
}

static void crash_now(struct umd_emu_channel *ch, size_t bytes)
{
	ch->crashed = true;
	const char *what = ch->crash.place == CRASH_REQUEST ? "of the request" :
			   ch->crash.place == CRASH_REPLY ? "of the reply" : "";
	siginfo_t si;
	int i;

	ch->crash_pending = false;
	pthread_mutex_lock(&inject_lock);
	crashes_fired++;
	pthread_mutex_unlock(&inject_lock);
	char how[48];

	if (ch->crash.sig == CRASH_EXIT)
		snprintf(how, sizeof(how), "exit(%d)", ch->crash.status);
	else
		snprintf(how, sizeof(how), "%s", strsignal(ch->crash.sig));
	/* "Segmentation fault after it wrote 4 bytes of the reply" */
	if (ch->crash.place == CRASH_REQUEST || ch->crash.place == CRASH_REPLY)
		snprintf(ch->how, sizeof(ch->how), "%s %s %zu bytes %s", how,
			 place_name(ch->crash.place), bytes, what);
	else
		snprintf(ch->how, sizeof(ch->how), "%s %s", how,
			 place_name(ch->crash.place));
	ch->crash_hit = true;
	printk(KERN_NOTICE "FAULT_INJECTION: crashing %s[%d] with %s (request %lu)\n",
	       ch->driver, pid_nr(ch->pid), ch->how, ch->requests);

	umd_emu_pid_set_crash_injected(ch->pid);
	/*
	 * A handler crashed before replying replied nothing, even if it was
	 * quick enough to write some reply before the signal landed. A
	 * stopped one keeps what it wrote: it is read once it continues.
	 */
	ch->discard = ch->crash.place != CRASH_REPLY &&
		      ch->crash.sig != SIGSTOP;
#if defined(__x86_64__)
	if (ch->crash.sig == CRASH_EXIT) {
		int err = force_exit(pid_nr(ch->pid), ch->crash.status);

		if (err) {
			pr_warn("umd-emu: cannot make %s[%d] exit (%d), killing it\n",
				ch->driver, pid_nr(ch->pid), err);
			kill_pid(ch->pid, SIGKILL, 1);
		}
	} else
#endif
	if (kill_pid(ch->pid, ch->crash.sig, 1))
		return;
	if (ch->crash.sig == SIGSTOP) {
		memset(&si, 0, sizeof(si));
		waitid(P_PIDFD, umd_emu_pid_fd(ch->pid), &si,
		       WSTOPPED | WNOWAIT);
		/*
		 * It may have written more than the crash point before the
		 * stop landed: the reader waits until it is continued, as if
		 * it had stopped exactly there.
		 */
		ch->stopped = true;
		return;
	}
	for (i = 0; i < 10000 && !thread_group_exited(ch->pid); i++)
		usleep(500);
	ch->dead = true;
}

/* Drop whatever is in the pipe now, without blocking. */
static void drain(int fd)
{
	char buf[4096];
	int flags = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	fcntl(fd, F_SETFL, flags);
}

/* Kill a handler that ran out of time. */
static void watchdog_fire(struct umd_emu_channel *ch)
{
	ch->crashed = true;
	ch->watchdog_hit = true;
	snprintf(ch->how, sizeof(ch->how), "no answer within %ld ms: killed",
		 ch->timeout_ms);
	pr_err("umd-emu watchdog: %s[%d] did not answer request %lu within %ld ms: killed\n",
	       ch->driver, pid_nr(ch->pid), ch->requests, ch->timeout_ms);
	kill_pid(ch->pid, SIGKILL, 1);
	while (!thread_group_exited(ch->pid))
		usleep(500);
	ch->dead = true;
}

/* Is the handler still stopped (state T in /proc/PID/stat)? */
static bool still_stopped(struct umd_emu_channel *ch)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	if (thread_group_exited(ch->pid)) {
		/* Killed while stopped: it wrote nothing more. */
		ch->dead = true;
		return false;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", pid_nr(ch->pid));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return !p || p[1] != ' ' || p[2] == 'T' || p[2] == 't';
}

/* How often a reader of a stopped handler looks whether it continued. */
#define STOPPED_SLICE_MS 10

/*
 * Wait until fd is ready for events, as an interruptible sleep of the
 * current task, within the request's time limits. Returns 0, -ETIMEDOUT
 * once the watchdog killed the handler, or -ERESTARTSYS if the task got
 * a signal.
 */
static int wait_ready(struct umd_emu_channel *ch, int fd, short events)
{
	long left, slice;
	int n;

	if (ch->stopped && !still_stopped(ch))
		ch->stopped = false;
	/*
	 * No limits: a read waits interruptibly for the reply (race-free,
	 * through the task's eventfd). A write of a request usually finds
	 * room in the pipe: it is not polled first, and one that blocks on a
	 * full pipe is ended by the signal itself (EINTR), which libfuse
	 * repeats every second should it land just before the write.
	 */
	/* As pipe_write(): room first; only a time limit polls a write. */
	if (!ch->timeout_ms && !ch->stopped && (events & POLLOUT))
		return 0;
	if (!ch->timeout_ms && (!ch->hung_ms || ch->hung_reported) &&
	    !ch->stopped) {
		return umd_emu_task_poll(fd, events, -1) < 0 ? -ERESTARTSYS
							     : 0;
	}
	for (;;) {
		slice = -1;
		if (ch->timeout_ms) {
			left = ch->timeout_ms - elapsed_ms(&ch->started);
			if (left <= 0) {
				watchdog_fire(ch);
				return -ETIMEDOUT;
			}
			slice = left;
		}
		if (ch->hung_ms && !ch->hung_reported) {
			left = ch->hung_ms - elapsed_ms(&ch->started);
			if (left <= 0) {
				ch->hung_reported = true;
				printk(KERN_ERR "INFO: task %s:%d blocked for more than %ld ms in request %lu to %s[%d]\n",
				       current->comm, current->pid,
				       ch->hung_ms, ch->requests, ch->driver,
				       pid_nr(ch->pid));
				if (!ch->timeout_ms)
					return 0;
				continue;
			}
			if (slice < 0 || left < slice)
				slice = left;
		}
		if (ch->stopped) {
			if (!still_stopped(ch)) {
				ch->stopped = false;
				continue;
			}
			if (slice < 0 || slice > STOPPED_SLICE_MS)
				slice = STOPPED_SLICE_MS;
			n = umd_emu_task_poll(umd_emu_pid_fd(ch->pid), POLLIN,
					      slice);
			if (n < 0)
				return n;
			continue;
		}
		if (!ch->timeout_ms && (!ch->hung_ms || ch->hung_reported))
			return umd_emu_task_poll(fd, events, -1) < 0 ?
			       -ERESTARTSYS : 0;
		n = umd_emu_task_poll(fd, events, slice);
		if (n)
			return n < 0 ? n : 0;
	}
}

/*
 * Before a transfer of count bytes on a channel pipe: may cap it, fail it
 * or crash the handler first. Returns the count to transfer, or a negative
 * errno to return instead; 0 for a read means end of file.
 */
static ssize_t channel_before(struct umd_emu_channel *ch, int fd,
			      bool write, size_t count)
{
	size_t cap = count;
	int err;

	if (!write && ch->in_request) {
		ch->in_request = false;
		if (ch->crash_pending &&
		    (ch->crash.place == CRASH_REQUEST_END ||
		     ch->crash.place == CRASH_REQUEST)) {
			wait_drained(ch, ch->to_fd);
			crash_now(ch, ch->req_done);
		}
	}
	if (ch->crash_pending) {
		switch (ch->crash.place) {
		case CRASH_BEFORE:
			crash_now(ch, 0);
			break;
		case CRASH_REQUEST:
			if (write) {
				if (ch->req_done >= ch->crash.offset) {
					wait_drained(ch, fd);
					crash_now(ch, ch->req_done);
				} else {
					cap = min(cap, ch->crash.offset -
						       ch->req_done);
				}
			}
			break;
		case CRASH_REPLY:
			if (!write) {
				if (ch->reply_done >= ch->crash.offset)
					crash_now(ch, ch->reply_done);
				else
					cap = min(cap, ch->crash.offset -
						       ch->reply_done);
			}
			break;
		default:
			break;
		}
	}
	if (!write && ch->discard) {
		ch->discard = false;
		drain(fd);
	}
	if (!write && ch->dead) {
		/* What the handler wrote after the crash point is lost. */
		return 0;
	}
	err = wait_ready(ch, fd, write ? POLLOUT : POLLIN);
	if (err)
		return err;
	if (!write && ch->dead)
		return 0;	/* killed while stopped */
	return cap;
}

ssize_t umd_emu_channel_before(struct umd_emu_channel *ch, int fd,
			       bool write, size_t asked, size_t count)
{
	ssize_t n;

	/* Waiting for the handler from now until the transfer is done. */
	__atomic_store_n(&ch->waiting_write, write, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ch->waiting_since, now_ms(), __ATOMIC_SEQ_CST);
	if (write && !ch->in_request)
		request_start(ch);
	/* Reading the reply: the request is over, whole or not. */
	if (!write)
		part_end(ch, true, "incomplete", 0, NULL);
	part_begin(ch, write, asked);
	n = channel_before(ch, fd, write, count);
	if (n <= 0) {
		__atomic_store_n(&ch->waiting_since, 0, __ATOMIC_SEQ_CST);
		if (count) {
			ch->part[!write].calls++;
			part_failed(ch, write, n);
		}
	}
	return n;
}

void umd_emu_channel_fault(struct umd_emu_channel *ch, bool write,
			   size_t asked, int err)
{
	const char *point = write ? "fail_kernel_write" : "fail_kernel_read";
	struct umd_emu_trace_event ev;

	if (!write || ch->in_request) {
		if (!write)
			part_end(ch, true, "incomplete", 0, NULL);
		part_begin(ch, write, asked);
		ch->part[!write].calls++;
		part_end(ch, write, "fault", err, point);
		return;
	}
	/* The request fails before it began: it is counted nowhere else. */
	if (!umd_emu_tracing())
		return;
	trace_event_init(&ev, ch, UMD_EMU_TRACE_REQUEST);
	ev.request = ch->requests + 1;
	ev.want = asked;
	ev.calls = 1;
	ev.end = "fault";
	ev.error = err;
	ev.detail = point;
	umd_emu_trace_emit(&ev);
}

/* ---- diagnostics: what crossed, when an exchange goes wrong ------------ */

/* buf as a C string literal, cut after 32 bytes: "debug: x=5\n..." */
static void quote_bytes(char *out, size_t size, const unsigned char *buf,
			size_t len)
{
	size_t i, o = 0;

	out[o++] = '"';
	for (i = 0; i < len && i < 32 && o + 8 < size; i++) {
		unsigned char c = buf[i];

		if (c == '\n')
			o += snprintf(out + o, size - o, "\\n");
		else if (c == '"' || c == '\\')
			o += snprintf(out + o, size - o, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			out[o++] = c;
		else
			o += snprintf(out + o, size - o, "\\x%02x", c);
	}
	o += snprintf(out + o, size - o, "\"%s", len > i ? "..." : "");
}

/* Say what the reply began with, if that was text. */
static void hint_reply_text(struct umd_emu_channel *ch)
{
	char q[160];

	if (!umd_emu_bytes_look_like_text(ch->reply_head, ch->reply_head_len))
		return;
	quote_bytes(q, sizeof(q), ch->reply_head, ch->reply_head_len);
	printk(KERN_INFO "umd-emu: %s[%d]: the reply to request %lu began with text: %s (debug output on stdout? stderr is the kernel log)\n",
	       ch->driver, pid_nr(ch->pid), ch->requests, q);
}

/* The handler's stdout ended in the middle of a reply. */
static void diagnose_eof(struct umd_emu_channel *ch)
{
	if (ch->dead || ch->crashed || !ch->part[1].want)
		return;
	printk(KERN_INFO "umd-emu: %s[%d]: request %lu: read %zu of %zu reply bytes, then end of file (the handler exited or closed its stdout)\n",
	       ch->driver, pid_nr(ch->pid), ch->requests, ch->reply_done,
	       ch->part[1].want);
	hint_reply_text(ch);
}

/* A non-blocking read found bytes the handler wrote beyond its reply. */
void umd_emu_channel_stray(struct umd_emu_channel *ch, int fd,
			   const void *buf, ssize_t n)
{
	int pending = 0;
	char q[160];

	if (n <= 0 || ch->crashed)
		return;
	if (umd_emu_tracing()) {
		/* What the probe took, and what is still in the pipe. */
		if (ioctl(fd, FIONREAD, &pending) || pending < 0)
			pending = 0;
		trace_extra(ch, "probe", buf, n, n + pending);
	}
	quote_bytes(q, sizeof(q), buf, n);
	printk(KERN_INFO "umd-emu: %s[%d]: %zd+ bytes beyond the reply to request %lu, first: %s\n",
	       ch->driver, pid_nr(ch->pid), n, ch->requests, q);
	hint_reply_text(ch);
}

/* The reply pipe is being closed: bytes nobody read are worth a line. */
void umd_emu_channel_closing(struct umd_emu_channel *ch, int fd)
{
	unsigned char buf[64];
	int pending = 0;
	char q[160];
	ssize_t n;

	if (ch->crashed || ioctl(fd, FIONREAD, &pending) || pending <= 0)
		return;
	/* Closing anyway: what is read here is lost either way. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	n = read(fd, buf, sizeof(buf));
	if (n <= 0)
		return;
	if (umd_emu_tracing())
		trace_extra(ch, "close", buf, n, pending);
	quote_bytes(q, sizeof(q), buf, n);
	printk(KERN_INFO "umd-emu: %s[%d]: %d bytes left unread after request %lu, first: %s\n",
	       ch->driver, pid_nr(ch->pid), pending, ch->requests, q);
	hint_reply_text(ch);
}

/* After a transfer: account it, crash if the point is reached. */
void umd_emu_channel_after(struct umd_emu_channel *ch, int fd, bool write,
			   const void *buf, ssize_t n)
{
	struct chan_part *p = &ch->part[!write];

	__atomic_store_n(&ch->waiting_since, 0, __ATOMIC_SEQ_CST);
	p->calls++;
	if (n <= 0) {
		if (!write && n == 0)
			diagnose_eof(ch);
		part_failed(ch, write, n);
		return;
	}
	if (!write && ch->reply_head_len < sizeof(ch->reply_head)) {
		size_t take = min((size_t)n, sizeof(ch->reply_head) -
					     ch->reply_head_len);

		memcpy(ch->reply_head + ch->reply_head_len, buf, take);
		ch->reply_head_len += take;
	}
	if (umd_emu_tracing() && p->t0_usec)
		part_capture(p, buf, n);
	if (write) {
		ch->req_done += n;
		if (ch->req_done >= p->want)
			part_end(ch, true, "complete", 0, NULL);
		if (ch->crash_pending && ch->crash.place == CRASH_REQUEST &&
		    ch->req_done >= ch->crash.offset) {
			wait_drained(ch, fd);
			crash_now(ch, ch->req_done);
		}
	} else {
		ch->reply_done += n;
		if (ch->reply_done >= p->want)
			part_end(ch, false, "complete", 0, NULL);
		if (ch->crash_pending && ch->crash.place == CRASH_REPLY &&
		    ch->reply_done >= ch->crash.offset)
			crash_now(ch, ch->reply_done);
	}
}
