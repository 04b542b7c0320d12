// SPDX-License-Identifier: GPL-2.0
/*
 * The control channel between "umd-emu run" (server, in the emulator) and
 * the umd-emu commands run inside it (clients); the wire format is in
 * ctl_proto.h. The server serves each client on a thread of its own, so a
 * client that connects and sends nothing, or a request that waits (an
 * rmmod behind a busy UMD), holds up nobody else; a client silent for
 * CTL_IDLE_TIMEOUT_MS is dropped. A client that goes away mid-answer costs
 * the server an EPIPE, never a signal.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <linux/types.h>
#include <linux/sockptr.h>

#include "ctl_proto.h"
#include "emu.h"
#include "sockopt.h"
#include "umd-emu.h"

/* ---- client --------------------------------------------------------- */

int ctl_client(const char *verb, int argc, char **argv)
{
	const char *path = g_getenv(CTL_ENV);
	char **req, *data = NULL, kind;
	int fd, err, i, status = -1;
	uint32_t len;

	if (!path || !*path) {
		tool_error("%s: not inside 'umd-emu run' ($%s is not set): run it as 'umd-emu run -- umd-emu %s ...' or from a shell started by umd-emu run",
			   verb, CTL_ENV, verb);
		return 1;
	}
	fd = ctl_connect(path);
	if (fd < 0) {
		tool_error("%s: cannot reach the emulator at %s: %s%s", verb,
			   path, g_strerror(-fd),
			   fd == -ENOENT || fd == -ECONNREFUSED ?
			   " (has 'umd-emu run' exited?)" : "");
		return 1;
	}
	req = g_new0(char *, argc + 2);
	req[0] = (char *)verb;
	for (i = 0; i < argc; i++)
		req[i + 1] = argv[i];
	err = ctl_send_request(fd, argc + 1, req);
	g_free(req);
	if (err) {
		tool_error("%s: cannot send the request: %s", verb,
			   g_strerror(-err));
		close(fd);
		return 1;
	}
	for (;;) {
		err = ctl_recv_frame(fd, &kind, &data, &len, CTL_MAX_REPLY, 0);
		if (err)
			break;
		if (kind == CTL_OUT) {
			fwrite(data, 1, len, stdout);
			fflush(stdout);		/* a view that follows: live */
		}
		else if (kind == CTL_ERR)
			fwrite(data, 1, len, stderr);
		else if (kind == CTL_END)
			status = atoi(data);
		free(data);
		data = NULL;
		if (kind == CTL_END)
			break;
	}
	close(fd);
	fflush(stdout);
	if (status < 0) {
		tool_error("%s: the emulator closed the connection without an answer (%s)",
			   verb, g_strerror(-err));
		return 1;
	}
	return status;
}

/* ---- server: the requests ------------------------------------------- */

struct reply {
	GString *out, *err;
	int fd;			/* the client: a verb that streams */
};

static void reply_line(GString *s, const char *fmt, va_list args)
{
	g_string_append_vprintf(s, fmt, args);
	g_string_append_c(s, '\n');
}

static void out(struct reply *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void out(struct reply *r, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	reply_line(r->out, fmt, args);
	va_end(args);
}

static void err(struct reply *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void err(struct reply *r, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	reply_line(r->err, fmt, args);
	va_end(args);
}

static int do_modprobe(struct reply *r, char **args, int nargs)
{
	bool quiet = nargs == 2 && !strcmp(args[0], "-q");
	const char *name = args[nargs - 1];
	const char *path;
	int ret;

	if (nargs != 1 && !quiet) {
		err(r, "modprobe: ERROR: expected [-q] NAME");
		return 1;
	}
	if (!umd_emu_module_available(name) && !umd_emu_module_loaded(name)) {
		if (!quiet) {
			path = umd_emu_module_get_path();
			err(r, "modprobe: FATAL: Module %s not found in directory %s",
			    name, path ? path : "(no module path set)");
		}
		return 1;
	}
	ret = umd_emu_modprobe(name);
	if (!ret)
		return 0;
	if (ret == -ENOENT)
		err(r, "modprobe: ERROR: could not insert '%s': Unknown symbol in module, or unknown parameter (see dmesg)",
		    name);
	else
		err(r, "modprobe: ERROR: could not insert '%s': %s", name,
		    g_strerror(-ret));
	return 1;
}

static bool parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && !errno;
}

/*
 * A setsockopt/getsockopt for bpfilter from the process at the other end
 * of the socket (its pid from SO_PEERCRED, as a kernel takes current),
 * whose buffer is at ADDR in its own address space.
 */
static int do_sockopt(struct reply *r, pid_t peer, char **args, int nargs)
{
	int (*set)(void *sk, int optname, sockptr_t optval, unsigned int len);
	int (*get)(void *sk, int optname, char *optval, int *optlen);
	unsigned long optname, addr, len;
	int ret, ulen;
	bool is_set;

	if (nargs != SOCKOPT_NARGS ||
	    (strcmp(args[0], SOCKOPT_SET) && strcmp(args[0], SOCKOPT_GET)) ||
	    !parse_ulong(args[1], &optname) || optname > INT_MAX ||
	    !parse_ulong(args[2], &addr) || !parse_ulong(args[3], &len) ||
	    len > INT_MAX) {
		err(r, "umd-emu: sockopt: malformed request");
		return 2;
	}
	if (peer <= 0) {
		err(r, "umd-emu: sockopt: the caller's pid is unknown");
		return 1;
	}
	is_set = !strcmp(args[0], SOCKOPT_SET);
	/* bpfilter's front end is built into a kernel with CONFIG_BPFILTER. */
	ret = umd_emu_modprobe("bpfilter_sockopt");
	set = umd_emu_module_symbol("bpfilter_sockopt", "bpfilter_ip_set_sockopt");
	get = umd_emu_module_symbol("bpfilter_sockopt", "bpfilter_ip_get_sockopt");
	if (ret || !set || !get) {
		err(r, "umd-emu: sockopt: module bpfilter_sockopt is not available (%s)",
		    ret ? g_strerror(-ret) : "no entry points");
		return 1;
	}
	umd_emu_set_current_pid(peer);
	if (is_set) {
		ret = set(NULL, optname, USER_SOCKPTR((void *)addr), len);
	} else {
		/* optlen is user memory: the caller's value, mapped here. */
		ulen = len;
		umd_emu_user_map(&ulen, sizeof(ulen), true);
		ret = get(NULL, optname, (char *)addr, &ulen);
		umd_emu_user_unmap(&ulen);
	}
	umd_emu_reset_current();
	out(r, SOCKOPT_RESULT "%d", ret);
	return 0;
}

static int fault_line(const struct umd_emu_fault_info *fi, void *data)
{
	if (!fi->armed && !fi->fired)
		out(data, "%-22s off", fi->name);
	else if (fi->nth)
		out(data, "%-22s %s nth=%lu error=%d short=%zu calls=%lu fired=%lu",
		    fi->name, fi->armed ? "on " : "off", fi->nth, fi->error,
		    fi->short_len, fi->calls, fi->fired);
	else
		out(data, "%-22s %s probability=%g interval=%lu times=%ld error=%d short=%zu calls=%lu fired=%lu",
		    fi->name, fi->armed ? "on " : "off", fi->probability,
		    fi->interval, fi->times, fi->error, fi->short_len,
		    fi->calls, fi->fired);
	return 0;
}

static int crash_line(const struct umd_emu_crash_info *ci, void *data)
{
	out(data, "%s %s fired=%lu", ci->setting, ci->armed ? "on " : "off",
	    ci->fired);
	return 0;
}

static int do_fault(struct reply *r, char **args, int nargs)
{
	char *spec, *error = NULL;
	int ret;

	if (!nargs) {
		umd_emu_fault_foreach(fault_line, r);
		umd_emu_crash_foreach(crash_line, r);
		out(r, "handler crashes injected: %lu",
		    umd_emu_crashes_fired());
		return 0;
	}
	spec = g_strjoinv(";", args);
	ret = umd_emu_fault_configure(spec, &error);
	g_free(spec);
	if (ret) {
		err(r, "umd-emu: fault: %s", error ? error : "invalid setting");
		g_free(error);
		return 1;
	}
	return 0;
}

struct users_of {
	const char *name;
	char users[256];
};

static int find_users(const struct umd_emu_module_info *mod, void *data)
{
	struct users_of *u = data;

	if (strcmp(mod->name, u->name))
		return 0;
	g_strlcpy(u->users, mod->used_by, sizeof(u->users));
	return 1;
}

static int do_rmmod(struct reply *r, char **args, int nargs)
{
	struct users_of u = { 0 };
	char *name;
	int ret;

	if (nargs != 1) {
		err(r, "rmmod: ERROR: expected NAME");
		return 1;
	}
	name = g_strdelimit(g_strdup(args[0]), "-", '_');
	ret = umd_emu_rmmod(name);
	switch (ret) {
	case 0:
		break;
	case -ENOENT:
		err(r, "rmmod: ERROR: Module %s is not currently loaded", name);
		break;
	case -EWOULDBLOCK:
		u.name = name;
		umd_emu_module_foreach(find_users, &u);
		err(r, "rmmod: ERROR: could not remove module %s: %s%s%s%s",
		    name, g_strerror(EWOULDBLOCK),
		    u.users[0] ? " (in use by: " : "", u.users,
		    u.users[0] ? ")" : "");
		break;
	default:
		err(r, "rmmod: ERROR: could not remove module %s: %s", name,
		    g_strerror(-ret));
		break;
	}
	g_free(name);
	return ret ? 1 : 0;
}

static int lsmod_line(const struct umd_emu_module_info *mod, void *data)
{
	out(data, "%-19s %8lu  %d %s", mod->name, mod->size, mod->refcnt,
	    mod->used_by);
	return 0;
}

/* ---- dmesg ------------------------------------------------------------ */

/*
 * Requests that go on until the client or the emulator ends them (dmesg
 * --follow, debug waiting for a handler). ctl_server_stop() asks them to
 * end (stop_asked) and waits a moment for each to send its last frame,
 * before it cuts the connections still open.
 */
static int long_requests;		/* atomic */
static bool stop_asked;			/* atomic */
/* How often a long request looks whether its client or the server went. */
#define LONG_REQUEST_TICK_MS 200

static bool stopping(void)
{
	return __atomic_load_n(&stop_asked, __ATOMIC_SEQ_CST);
}

/* The client went away (it sends nothing after its request). */
static bool client_gone(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLRDHUP };

	return poll(&pfd, 1, 0) != 0;
}

/* What "umd-emu dmesg" sends (cmd_dmesg.c parses the user's options). */
struct dmesg_req {
	unsigned int levels;		/* bit n: level n is printed */
	uint64_t since, until;		/* us since the start; until 0: none */
	bool ctime, clear, read_clear, follow, follow_new;
	struct reply *r;
	uint64_t start_real;		/* wall clock at the start, us */
};

/*
 * A time on the wire: U<us since the start>, R<us from now, signed> or
 * E<us since the Epoch>. As us since the emulator started (0 if before).
 */
static bool dmesg_time(const char *s, uint64_t *usec)
{
	long long v;
	int64_t t;
	char *end;

	if (!*s || !s[1])
		return false;
	errno = 0;
	v = strtoll(s + 1, &end, 10);
	if (*end || errno)
		return false;
	switch (*s) {
	case 'U':
		t = v;
		break;
	case 'R':
		t = (int64_t)umd_emu_kmsg_now_usec() + v;
		break;
	case 'E':
		t = v - (int64_t)umd_emu_kmsg_start_realtime_usec();
		break;
	default:
		return false;
	}
	*usec = t < 0 ? 0 : t;
	return true;
}

static bool dmesg_parse(struct dmesg_req *d, char **args, int nargs)
{
	unsigned long levels;
	int i;

	d->levels = 0xff;
	for (i = 0; i < nargs; i++) {
		const char *a = args[i];

		if (g_str_has_prefix(a, "--level=")) {
			if (!parse_ulong(a + 8, &levels) || !levels ||
			    levels > 0xff)
				return false;
			d->levels = levels;
		} else if (g_str_has_prefix(a, "--since=")) {
			if (!dmesg_time(a + 8, &d->since))
				return false;
		} else if (g_str_has_prefix(a, "--until=")) {
			if (!dmesg_time(a + 8, &d->until))
				return false;
			d->until++;	/* 0 stays "no limit" */
		} else if (!strcmp(a, "--ctime")) {
			d->ctime = true;
		} else if (!strcmp(a, "--clear")) {
			d->clear = true;
		} else if (!strcmp(a, "--read-clear")) {
			d->read_clear = true;
		} else if (!strcmp(a, "--follow")) {
			d->follow = true;
		} else if (!strcmp(a, "--follow-new")) {
			d->follow_new = true;
		} else {
			return false;
		}
	}
	return true;
}

static int dmesg_line(const struct umd_emu_kmsg_record *rec, void *data)
{
	struct dmesg_req *d = data;
	struct tm tm;
	char when[64];
	time_t t;

	if (!(d->levels & (1u << (rec->level & 7))) ||
	    rec->ts_usec < d->since || (d->until && rec->ts_usec >= d->until))
		return 0;
	if (d->ctime) {
		t = (d->start_real + rec->ts_usec) / 1000000;
		if (!localtime_r(&t, &tm) ||
		    !strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm))
			g_strlcpy(when, "?", sizeof(when));
		out(d->r, "[%s] %s", when, rec->text);
	} else {
		out(d->r, "[%5llu.%06llu] %s",
		    (unsigned long long)(rec->ts_usec / 1000000),
		    (unsigned long long)(rec->ts_usec % 1000000), rec->text);
	}
	return 0;
}

/* Send what is in r->out now; false if the client is gone. */
static bool flush_out(struct reply *r, int fd)
{
	bool ok = true;

	if (r->out->len)
		ok = !ctl_send_frame(fd, CTL_OUT, r->out->str, r->out->len);
	g_string_truncate(r->out, 0);
	return ok;
}

static int do_dmesg(struct reply *r, int fd, char **args, int nargs)
{
	struct dmesg_req d = { .r = r };
	uint64_t seq;

	if (!dmesg_parse(&d, args, nargs)) {
		err(r, "umd-emu: dmesg: malformed request");
		return 2;
	}
	d.start_real = umd_emu_kmsg_start_realtime_usec();
	umd_emu_handler_logs_flush();
	if (d.clear) {
		umd_emu_kmsg_clear(umd_emu_kmsg_next_seq());
		return 0;
	}
	seq = d.follow_new ? umd_emu_kmsg_next_seq() : umd_emu_kmsg_clear_seq();
	seq = umd_emu_kmsg_foreach(seq, dmesg_line, &d);
	if (d.read_clear)
		umd_emu_kmsg_clear(seq);
	if (!d.follow && !d.follow_new)
		return 0;
	/* Follow: every new record as it comes, until either end goes. */
	__atomic_add_fetch(&long_requests, 1, __ATOMIC_SEQ_CST);
	while (flush_out(r, fd) && !stopping() && !client_gone(fd)) {
		umd_emu_kmsg_wait(seq, LONG_REQUEST_TICK_MS);
		seq = umd_emu_kmsg_foreach(seq, dmesg_line, &d);
	}
	__atomic_sub_fetch(&long_requests, 1, __ATOMIC_SEQ_CST);
	return 0;
}

/* ---- debug ------------------------------------------------------------ */

static int debug_line(const struct umd_emu_debug_info *info, void *data)
{
	out(data, "%s:%s%s%s", info->driver, info->tool, *info->args ? "=" : "",
	    info->args);
	return 0;
}

/*
 * debug [SETTING [--no-wait]]: list the settings, or arm one and (unless
 * --no-wait) wait until the driver's next handler has started, then print
 * the line the kernel log has (the command to attach). A client that
 * goes away while waiting disarms its setting.
 */
static int do_debug(struct reply *r, int fd, char **args, int nargs)
{
	bool no_wait = nargs == 2 && !strcmp(args[1], "--no-wait");
	unsigned long ticket;
	char *error = NULL, *msg = NULL, *note;
	int ret;

	if (!nargs) {
		umd_emu_debug_foreach(debug_line, r);
		return 0;
	}
	if (nargs > 2 || (nargs == 2 && !no_wait)) {
		err(r, "umd-emu: debug: malformed request");
		return 2;
	}
	if (umd_emu_debug_arm(args[0], !no_wait, &ticket, &error)) {
		err(r, "umd-emu: debug: %s", error ? error : "invalid setting");
		g_free(error);
		return 1;
	}
	if (no_wait || !ticket)
		return 0;
	note = g_strdup_printf("umd-emu debug: armed; waiting for the next handler of %.*s to start\n",
			       (int)(strchr(args[0], ':') - args[0]), args[0]);
	ctl_send_frame(fd, CTL_ERR, note, strlen(note));
	g_free(note);
	__atomic_add_fetch(&long_requests, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		ret = umd_emu_debug_wait(ticket, LONG_REQUEST_TICK_MS, &msg);
		if (ret)
			break;
		if (stopping()) {
			err(r, "umd-emu: debug: the emulator is shutting down; no handler started");
			ret = -ESHUTDOWN;
			break;
		}
		if (client_gone(fd)) {
			ret = -ECONNRESET;
			break;
		}
	}
	__atomic_sub_fetch(&long_requests, 1, __ATOMIC_SEQ_CST);
	if (ret == 1)
		out(r, "%s", msg);
	else if (msg)
		err(r, "%s", msg);
	if (ret == -ESHUTDOWN || ret == -ECONNRESET)
		umd_emu_debug_cancel(ticket);
	g_free(msg);
	return ret == 1 ? 0 : 1;
}

/* ---- check ------------------------------------------------------------ */

/*
 * Descriptors by the kinds a UMD leaks: a handler's pipes, its pidfd, its
 * blob's memfd. (Front-end threads keep an eventfd each while they live:
 * not counted.)
 */
struct fd_census {
	int pipes, pidfds, memfds;
};

static void fd_census(struct fd_census *fc)
{
	char path[64], target[256];
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	ssize_t n;

	memset(fc, 0, sizeof(*fc));
	if (!d)
		return;
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%.32s", de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		fc->pipes += !strncmp(target, "pipe:", 5);
		fc->pidfds += !strcmp(target, "anon_inode:[pidfd]");
		fc->memfds += !strncmp(target, "/memfd:", 7);
	}
	closedir(d);
}

/* What the process had open once the emulator was up, before modules. */
static pthread_mutex_t baseline_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fd_census fds_at_start;

void ctl_server_baseline(void)
{
	struct fd_census now;

	fd_census(&now);
	pthread_mutex_lock(&baseline_lock);
	fds_at_start = now;
	pthread_mutex_unlock(&baseline_lock);
}

struct check {
	struct reply *r;
	int failed;
};

/* One line "NAME VALUE"; a problem also goes to stderr. */
static void check_item(struct check *c, const char *name, long value,
		       long want, bool must)
{
	out(c->r, "%-20s %ld", name, value);
	if (must && value != want) {
		err(c->r, "umd-emu check: %s is %ld, expected %ld", name,
		    value, want);
		c->failed++;
	}
}

static int module_count(const struct umd_emu_module_info *mod, void *data)
{
	(void)mod;
	(*(long *)data)++;
	return 0;
}

static int do_check(struct reply *r, char **args, int nargs)
{
	struct check c = { .r = r };
	bool idle = nargs == 1 && !strcmp(args[0], "--idle");
	struct fd_census now, start;
	long modules = 0;

	if (nargs && !idle) {
		err(r, "umd-emu check: expected no argument or --idle");
		return 2;
	}
	umd_emu_handler_logs_flush();
	check_item(&c, "warnings", umd_emu_warnings(), 0, true);
	check_item(&c, "bugs", umd_emu_bugs(), 0, true);
	check_item(&c, "sanitizer-reports", umd_emu_sanitizer_reports(), 0,
		   true);
	check_item(&c, "mutexes-held", umd_emu_mutexes_held(), 0, true);
	umd_emu_module_foreach(module_count, &modules);
	check_item(&c, "modules", modules, 0, idle);
	check_item(&c, "handlers", umd_emu_live_children(), 0, idle);
	fd_census(&now);
	pthread_mutex_lock(&baseline_lock);
	start = fds_at_start;
	pthread_mutex_unlock(&baseline_lock);
	check_item(&c, "pipes", now.pipes, start.pipes, idle);
	check_item(&c, "pidfds", now.pidfds, start.pidfds, idle);
	check_item(&c, "memfds", now.memfds, start.memfds, idle);
	return c.failed ? 1 : 0;
}

/*
 * Run one request; its output goes to r (a long request may send some of
 * it on fd meanwhile). Returns the exit status.
 */
static int dispatch(struct reply *r, int fd, pid_t peer, char **argv,
		    int argc)
{
	const char *verb = argv[0];
	char **args = argv + 1;
	int nargs = argc - 1;

	if (!strcmp(verb, "modprobe"))
		return do_modprobe(r, args, nargs);
	if (!strcmp(verb, "rmmod"))
		return do_rmmod(r, args, nargs);
	if (!strcmp(verb, "fault"))
		return do_fault(r, args, nargs);
	if (!strcmp(verb, "check"))
		return do_check(r, args, nargs);
	if (!strcmp(verb, "dmesg"))
		return do_dmesg(r, fd, args, nargs);
	if (!strcmp(verb, "debug"))
		return do_debug(r, fd, args, nargs);
	if (!strcmp(verb, SOCKOPT_VERB))
		return do_sockopt(r, peer, args, nargs);
	if (!strcmp(verb, "trace"))
		return trace_serve(r->fd, args, nargs, r->out, r->err);
	if (nargs) {
		err(r, "umd-emu: %s takes no argument", verb);
		return 2;
	}
	if (!strcmp(verb, "lsmod")) {
		out(r, "Module                  Size  Used by");
		umd_emu_module_foreach(lsmod_line, r);
		return 0;
	}
	err(r, "umd-emu: unknown request '%s'", verb);
	return 2;
}

/* Split a request's payload (NUL-terminated strings) into a vector. */
static char **split_request(char *data, uint32_t len, int *argc)
{
	char **argv;
	uint32_t i;
	int n = 0;

	if (!len || data[len - 1] != '\0')
		return NULL;
	for (i = 0; i < len; i++)
		n += data[i] == '\0';
	argv = g_new0(char *, n + 1);
	for (i = 0, n = 0; i < len; i += strlen(data + i) + 1)
		argv[n++] = data + i;
	*argc = n;
	return argv;
}

static void serve(int fd, int idle_ms)
{
	struct reply r = { g_string_new(NULL), g_string_new(NULL), fd };
	struct ucred cred = { .pid = -1 };
	socklen_t cred_len = sizeof(cred);
	char *data = NULL, kind, **argv = NULL, status[16];
	uint32_t len;
	int ret, argc = 0;

	ret = ctl_recv_frame(fd, &kind, &data, &len, CTL_MAX_REQUEST,
			     ctl_deadline(idle_ms));
	if (ret == -EMSGSIZE) {
		err(&r, "umd-emu: request too long (more than %u bytes)",
		    CTL_MAX_REQUEST);
		ret = 2;
	} else if (ret) {
		goto out;	/* silent, gone or malformed: drop it */
	} else if (kind != CTL_REQUEST ||
		   !(argv = split_request(data, len, &argc))) {
		err(&r, "umd-emu: malformed request");
		ret = 2;
	} else {
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cred_len))
			cred.pid = -1;
		ret = dispatch(&r, fd, cred.pid, argv, argc);
	}
	snprintf(status, sizeof(status), "%d", ret);
	/* A client that went away gets nothing: EPIPE, not SIGPIPE. */
	if ((r.out->len &&
	     ctl_send_frame(fd, CTL_OUT, r.out->str, r.out->len)) ||
	    (r.err->len &&
	     ctl_send_frame(fd, CTL_ERR, r.err->str, r.err->len)))
		goto out;
	ctl_send_frame(fd, CTL_END, status, strlen(status));
out:
	g_free(argv);
	free(data);
	g_string_free(r.out, TRUE);
	g_string_free(r.err, TRUE);
}

/* ---- server: connections -------------------------------------------- */

#define CTL_MAX_CLIENTS 64

struct ctl_server {
	int listen_fd;
	char *path;
	pthread_t accept_thread;
	pthread_mutex_t lock;
	pthread_cond_t idle;
	int clients[CTL_MAX_CLIENTS];	/* fds being served, or -1 */
	int nclients;
	int idle_ms;		/* drop a client silent for this long */
	bool stopping;
};

struct client {
	struct ctl_server *srv;
	int slot;
};

static void *client_main(void *data)
{
	struct client *c = data;
	struct ctl_server *srv = c->srv;
	int fd = srv->clients[c->slot];

	serve(fd, srv->idle_ms);
	pthread_mutex_lock(&srv->lock);
	srv->clients[c->slot] = -1;
	srv->nclients--;
	pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
	close(fd);
	g_free(c);
	return NULL;
}

/* Refuse a client in one line, without waiting for its request. */
static void refuse(int fd, const char *why)
{
	ctl_send_frame(fd, CTL_ERR, why, strlen(why));
	ctl_send_frame(fd, CTL_END, "1", 1);
	close(fd);
}

static void *accept_main(void *data)
{
	struct ctl_server *srv = data;
	pthread_attr_t attr;
	struct client *c;
	pthread_t thread;
	int fd, slot;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		fd = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				if (errno != EINTR && errno != ECONNABORTED)
					g_usleep(10000);
				continue;
			}
			break;		/* shut down */
		}
		pthread_mutex_lock(&srv->lock);
		for (slot = 0; slot < CTL_MAX_CLIENTS; slot++)
			if (srv->clients[slot] < 0)
				break;
		if (srv->stopping || slot == CTL_MAX_CLIENTS) {
			pthread_mutex_unlock(&srv->lock);
			refuse(fd, srv->stopping ?
			       "umd-emu: the emulator is shutting down\n" :
			       "umd-emu: too many control requests at once\n");
			continue;
		}
		srv->clients[slot] = fd;
		srv->nclients++;
		pthread_mutex_unlock(&srv->lock);

		c = g_new0(struct client, 1);
		c->srv = srv;
		c->slot = slot;
		if (pthread_create(&thread, &attr, client_main, c)) {
			pthread_mutex_lock(&srv->lock);
			srv->clients[slot] = -1;
			srv->nclients--;
			pthread_mutex_unlock(&srv->lock);
			g_free(c);
			refuse(fd, "umd-emu: cannot start a thread for the request\n");
		}
	}
	pthread_attr_destroy(&attr);
	return NULL;
}

struct ctl_server *ctl_server_start(const char *path, char **error)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct ctl_server *srv;
	int i;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		*error = g_strdup_printf("control socket path too long: %s (set TMPDIR to a shorter directory)",
					 path);
		return NULL;
	}
	strcpy(addr.sun_path, path);
	srv = g_new0(struct ctl_server, 1);
	__atomic_store_n(&stop_asked, false, __ATOMIC_SEQ_CST);
	/* $UMD_EMU_CTL_IDLE_MS: for tests, which cannot wait 10 s. */
	srv->idle_ms = g_getenv("UMD_EMU_CTL_IDLE_MS") ?
		       atoi(g_getenv("UMD_EMU_CTL_IDLE_MS")) : 0;
	if (srv->idle_ms <= 0)
		srv->idle_ms = CTL_IDLE_TIMEOUT_MS;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->idle, NULL);
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		srv->clients[i] = -1;
	srv->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0 ||
	    bind(srv->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(srv->listen_fd, 64)) {
		*error = g_strdup_printf("cannot create the control socket %s: %s",
					 path, g_strerror(errno));
		goto fail;
	}
	srv->path = g_strdup(path);
	if (pthread_create(&srv->accept_thread, NULL, accept_main, srv)) {
		*error = g_strdup("cannot start the control thread");
		g_unlink(path);
		goto fail;
	}
	return srv;
fail:
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	g_free(srv->path);
	pthread_mutex_destroy(&srv->lock);
	pthread_cond_destroy(&srv->idle);
	g_free(srv);
	return NULL;
}

int ctl_server_stop(struct ctl_server *srv, int wait_ms)
{
	gint64 until = g_get_monotonic_time() + (gint64)wait_ms * 1000;
	int i, left;

	if (!srv)
		return 0;
	pthread_mutex_lock(&srv->lock);
	srv->stopping = true;
	pthread_mutex_unlock(&srv->lock);
	shutdown(srv->listen_fd, SHUT_RDWR);
	pthread_join(srv->accept_thread, NULL);
	close(srv->listen_fd);
	g_unlink(srv->path);

	/*
	 * Long requests (dmesg --follow, debug) end by themselves within a
	 * tick, with a last frame, so that their clients end as the run
	 * does (cut after 1 s: a client that does not read).
	 */
	__atomic_store_n(&stop_asked, true, __ATOMIC_SEQ_CST);
	for (i = 0; i < 4 * 1000 / LONG_REQUEST_TICK_MS &&
		    __atomic_load_n(&long_requests, __ATOMIC_SEQ_CST); i++)
		g_usleep(LONG_REQUEST_TICK_MS * 1000 / 4);

	/* Requests still running: their clients get no more. */
	pthread_mutex_lock(&srv->lock);
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (srv->clients[i] >= 0)
			shutdown(srv->clients[i], SHUT_RDWR);
	while (srv->nclients &&
	       g_get_monotonic_time() < until) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&srv->idle, &srv->lock, &ts);
	}
	left = srv->nclients;
	pthread_mutex_unlock(&srv->lock);
	if (left)
		return left;	/* their threads still use srv: leave it */
	pthread_mutex_destroy(&srv->lock);
	pthread_cond_destroy(&srv->idle);
	g_free(srv->path);
	g_free(srv);
	return 0;
}
