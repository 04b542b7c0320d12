// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu-fuzz: a libFuzzer driver for any UMD, in process, configured by
 * the environment ("umd-emu fuzz" sets it and runs this; see
 * docs/FUZZING.md, "Fuzzing your own UMD"):
 *
 *   UMD_EMU_MODULES          where the modules are (colon-separated)
 *   UMD_EMU_FUZZ_MODPROBE    modules to load once, space- or comma-separated
 *   UMD_EMU_FUZZ_WRITE       write path: each input is one write(2) to this
 *                            securityfs file (path below the securityfs root)
 *   UMD_EMU_FUZZ_REPLY       reply path: handlers of this driver are a
 *                            thread of this process that answers every
 *                            request with the input...
 *   UMD_EMU_FUZZ_TRIGGER     ...for requests made by writing FILE:BYTES
 *                            (BYTES with C escapes: \n \t \\ \xHH \0)
 *
 * The modules are loaded once; no module is reloaded and no process forked
 * per input. After each input the checks of the project's own targets
 * (tests/fuzz/fuzz-common.h) run: the write returned its count or a
 * negative errno, no mutex is held, no sanitizer report, WARNING or BUG
 * was logged. A violation aborts with a message saying which.
 *
 * The reply path's handler does not know the UMD's message sizes: it
 * reads a request until the manager waits for the reply, then writes the
 * input. It sees the manager (the thread writing the trigger, in this
 * process) wait in /proc/self/task/TID/syscall: asleep in poll(2) or in a
 * read(2) of the reply pipe, with both pipes empty. A reply shorter than
 * the manager reads thus ends the handler (the manager reads end of file,
 * as from a handler that exited, and the next request starts a new
 * thread); a longer one leaves bytes the manager finds before its next
 * request (and restarts the handler). Both outcomes depend on the input
 * only, not on timing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/err.h>
#include <linux/printk.h>

#include "emu-test.h"

#define MAX_MODULES 32

static const char *write_file;		/* write path */
static const char *reply_driver;	/* reply path */
static char *trigger_file;
static char *trigger_bytes;
static size_t trigger_len;

static unsigned long warnings0, bugs0, reports0;
static uint64_t input_seq;		/* the log since this input began */

/* The reply path: what the driver tells its handler thread. */
static pid_t manager_tid;		/* atomic: the thread writing the trigger */
static int trigger_active;		/* atomic: a trigger write is running */
static const uint8_t *reply_data;	/* atomic: this input (valid while active) */
static size_t reply_size;		/* atomic */

static __attribute__((noreturn, format(printf, 1, 2)))
void die(const char *fmt, ...)
{
	va_list ap;

	fputs("umd-emu-fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* C escapes in s, in place; returns the length. */
static size_t unescape(char *s)
{
	char *in = s, *out = s;
	unsigned int v;
	int n;

	while (*in) {
		if (*in != '\\' || !in[1]) {
			*out++ = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n': *out++ = '\n'; in++; break;
		case 't': *out++ = '\t'; in++; break;
		case 'r': *out++ = '\r'; in++; break;
		case '0': *out++ = '\0'; in++; break;
		case 'x':
			if (sscanf(in + 1, "%2x%n", &v, &n) == 1) {
				*out++ = (char)v;
				in += 1 + n;
				break;
			}
			/* fall through */
		default:
			*out++ = *in++;
		}
	}
	return out - s;
}

/* ---- the reply path's handler thread ---------------------------------- */

struct handler_state {
	int in_fd, out_fd, stop_fd;
	int sc_fd;			/* /proc/self/task/TID/syscall */
	pid_t sc_tid;
	struct stat reply_pipe;
};

/*
 * This reply, copied: the input is the fuzzer's only while the trigger
 * runs. Global, not the thread's: LeakSanitizer sees it from anywhere
 * (one handler thread runs at a time: core waits for the old one to end).
 */
static uint8_t *reply_copy;
static size_t reply_copy_cap;

static size_t pipe_bytes(int fd)
{
	int n = 0;

	return ioctl(fd, FIONREAD, &n) ? 1 : (size_t)n;
}

/*
 * Is the manager asleep waiting for more reply, with both pipes empty?
 * Asleep first, empty then: the manager cannot be asleep waiting to write
 * into an empty request pipe, nor to read a reply pipe holding bytes.
 */
static bool manager_waiting(struct handler_state *h)
{
	pid_t tid = __atomic_load_n(&manager_tid, __ATOMIC_SEQ_CST);
	unsigned long a0;
	char buf[256];
	struct stat st;
	ssize_t n;
	long nr;

	if (h->sc_tid != tid) {
		char path[64];

		if (h->sc_fd >= 0)
			close(h->sc_fd);
		snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
		h->sc_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (h->sc_fd < 0)
			die("cannot open %s: %s (the reply path needs /proc)",
			    path, strerror(errno));
		h->sc_tid = tid;
	}
	n = pread(h->sc_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "running", or "NR ARG0 ...": asleep in a system call. */
	if (sscanf(buf, "%ld %lx", &nr, &a0) != 2)
		return false;
	if (!(
#ifdef SYS_poll
	      nr == SYS_poll ||
#endif
	      nr == SYS_ppoll ||
	      (nr == SYS_read && !fstat((int)a0, &st) &&
	       st.st_ino == h->reply_pipe.st_ino &&
	       st.st_dev == h->reply_pipe.st_dev)))
		return false;
	return !pipe_bytes(h->in_fd) && !pipe_bytes(h->out_fd);
}

/*
 * Wait a little for fd or stop_fd: a few rounds of yielding (the manager
 * is about to go to sleep), then 1 ms sleeps. false when stopped.
 */
static bool wait_a_little(struct handler_state *h, int fd, short events,
			  unsigned int round)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = events },
		{ .fd = h->stop_fd, .events = POLLIN },
	};

	if (round < 200)
		sched_yield();
	if (poll(pfd, 2, round < 200 ? 0 : 1) < 0 && errno != EINTR)
		return false;
	return !pfd[1].revents;
}

static bool wait_for(struct handler_state *h, int fd, short events)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = events },
		{ .fd = h->stop_fd, .events = POLLIN },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (pfd[1].revents)
			return false;
		if (pfd[0].revents)
			return true;
	}
}

/* Read the request until the manager waits; false: end of file or stop. */
static bool read_request(struct handler_state *h)
{
	char junk[4096];
	unsigned int round = 0;
	ssize_t n;

	if (!wait_for(h, h->in_fd, POLLIN))
		return false;
	for (;;) {
		n = read(h->in_fd, junk, sizeof(junk));
		if (n == 0)
			return false;
		if (n > 0) {
			round = 0;
			continue;
		}
		if (errno != EAGAIN && errno != EINTR)
			return false;
		if (manager_waiting(h))
			return true;
		if (!wait_a_little(h, h->in_fd, POLLIN, round++))
			return false;
	}
}

/* Write this input as the reply; false: stop, or the manager gone. */
static bool write_reply(struct handler_state *h)
{
	size_t size = __atomic_load_n(&reply_size, __ATOMIC_SEQ_CST);
	size_t done = 0;
	ssize_t n;

	if (size > reply_copy_cap) {
		free(reply_copy);
		reply_copy = malloc(size);
		if (!reply_copy)
			die("out of memory for a %zu-byte reply", size);
		reply_copy_cap = size;
	}
	if (size)
		memcpy(reply_copy, __atomic_load_n(&reply_data, __ATOMIC_SEQ_CST),
		       size);
	while (done < size) {
		n = write(h->out_fd, reply_copy + done, size - done);
		if (n > 0) {
			done += n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		/* The manager read what it wanted and left: the rest waits. */
		if (!__atomic_load_n(&trigger_active, __ATOMIC_SEQ_CST))
			return true;
		if (!wait_for(h, h->out_fd, POLLOUT))
			return false;
	}
	return true;
}

/*
 * After a reply: true for another request (or the trigger's end: idle);
 * false when the manager waits for more than the reply had (or stop).
 */
static bool after_reply(struct handler_state *h)
{
	unsigned int round = 0;
	struct pollfd pfd = { .fd = h->in_fd, .events = POLLIN };

	for (;;) {
		if (poll(&pfd, 1, 0) > 0)
			return true;
		if (!__atomic_load_n(&trigger_active, __ATOMIC_SEQ_CST))
			return true;
		if (manager_waiting(h))
			return false;
		if (!wait_a_little(h, h->in_fd, POLLIN, round++))
			return false;
	}
}

static void reply_handler(int in_fd, int out_fd, int stop_fd, void *arg)
{
	struct handler_state h = {
		.in_fd = in_fd, .out_fd = out_fd, .stop_fd = stop_fd,
		.sc_fd = -1,
	};

	(void)arg;
	/* Never blocked in a transfer: every wait polls stop_fd too. */
	fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
	fcntl(out_fd, F_SETFL, fcntl(out_fd, F_GETFL) | O_NONBLOCK);
	if (fstat(out_fd, &h.reply_pipe))
		die("fstat of the reply pipe: %s", strerror(errno));
	while (read_request(&h) && write_reply(&h) && after_reply(&h))
		;
	if (h.sc_fd >= 0)
		close(h.sc_fd);
}

/* ---- the driver ------------------------------------------------------- */

static void load_modules(void)
{
	const char *dir = getenv("UMD_EMU_MODULES");
	const char *list = getenv("UMD_EMU_FUZZ_MODPROBE");
	char *names, *name, *save = NULL;
	int err, n = 0;

	if (!dir || !*dir)
		die("UMD_EMU_MODULES is not set: say where the modules are (umd-emu fuzz --modules DIR sets it)");
	if (!list || !*list)
		die("UMD_EMU_FUZZ_MODPROBE is not set: say which modules to load");
	if (umd_emu_module_set_path(dir))
		die("bad module path %s", dir);
	names = strdup(list);
	for (name = strtok_r(names, " ,", &save); name;
	     name = strtok_r(NULL, " ,", &save)) {
		err = umd_emu_modprobe(name);
		if (err) {
			umd_emu_kmsg_dump(2, 0);
			die("modprobe %s from %s failed: %s", name, dir,
			    strerror(-err));
		}
		n++;
	}
	free(names);
	if (!n)
		die("UMD_EMU_FUZZ_MODPROBE names no module");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *trigger = getenv("UMD_EMU_FUZZ_TRIGGER");
	char *colon;

	(void)argc;
	(void)argv;
	write_file = getenv("UMD_EMU_FUZZ_WRITE");
	reply_driver = getenv("UMD_EMU_FUZZ_REPLY");
	if (write_file && !*write_file)
		write_file = NULL;
	if (reply_driver && !*reply_driver)
		reply_driver = NULL;
	if (!write_file == !reply_driver)
		die("set one of UMD_EMU_FUZZ_WRITE (a securityfs file) or UMD_EMU_FUZZ_REPLY (a driver)");
	if (reply_driver) {
		if (!trigger || !(colon = strchr(trigger, ':')) ||
		    colon == trigger)
			die("UMD_EMU_FUZZ_REPLY needs UMD_EMU_FUZZ_TRIGGER=FILE:BYTES, the write that makes a request");
		trigger_file = strndup(trigger, colon - trigger);
		trigger_bytes = strdup(colon + 1);
		trigger_len = unescape(trigger_bytes);
		umd_emu_set_handler_thread(reply_driver, reply_handler, NULL);
	}
	/* libFuzzer's leak check: see umd_emu_kmsg_fill(). */
	umd_emu_kmsg_fill();
	load_modules();
	if (write_file && umd_emu_securityfs_stat(write_file, &(struct umd_emu_sfs_stat){ 0 }))
		die("no securityfs file %s after loading %s", write_file,
		    getenv("UMD_EMU_FUZZ_MODPROBE"));
	if (trigger_file &&
	    umd_emu_securityfs_stat(trigger_file, &(struct umd_emu_sfs_stat){ 0 }))
		die("no securityfs file %s (the trigger) after loading %s",
		    trigger_file, getenv("UMD_EMU_FUZZ_MODPROBE"));
	warnings0 = umd_emu_warnings();
	bugs0 = umd_emu_bugs();
	reports0 = umd_emu_sanitizer_reports();
	fprintf(stderr, "umd-emu-fuzz: %s path, modules %s loaded from %s\n",
		write_file ? "write" : "reply",
		getenv("UMD_EMU_FUZZ_MODPROBE"), getenv("UMD_EMU_MODULES"));
	return 0;
}

/* What the project's own targets check after each input. */
static void check(const char *what, long ret, size_t size)
{
	if ((ret >= 0 && (size_t)ret != size) || ret < -MAX_ERRNO)
		die("%s of %zu bytes returned %ld: neither the count nor a negative errno",
		    what, size, ret);
	if (umd_emu_mutexes_held())
		die("%s returned with a mutex held", what);
	if (umd_emu_sanitizer_reports() != reports0) {
		umd_emu_handler_logs_flush();
		umd_emu_kmsg_dump(2, input_seq);
		die("a handler reported a sanitizer error (log above)");
	}
	if (umd_emu_warnings() != warnings0 || umd_emu_bugs() != bugs0) {
		umd_emu_kmsg_dump(2, input_seq);
		die("%s logged a %s (log above)", what,
		    umd_emu_bugs() != bugs0 ? "BUG" : "WARNING");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long ret;

	input_seq = umd_emu_kmsg_next_seq();
	if (write_file) {
		ret = umd_emu_securityfs_write_file(write_file, data, size);
		check("the write", ret, size);
		return 0;
	}
	__atomic_store_n(&manager_tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_SEQ_CST);
	__atomic_store_n(&reply_data, data, __ATOMIC_SEQ_CST);
	__atomic_store_n(&reply_size, size, __ATOMIC_SEQ_CST);
	__atomic_store_n(&trigger_active, 1, __ATOMIC_SEQ_CST);
	ret = umd_emu_securityfs_write_file(trigger_file, trigger_bytes,
					    trigger_len);
	__atomic_store_n(&trigger_active, 0, __ATOMIC_SEQ_CST);
	check("the trigger write", ret, trigger_len);
	return 0;
}
