// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: printk and the kernel log.
 *
 * The log is a ring of records (sequence number, timestamp, level, one
 * line of text), like the kernel's printk ring that /dev/kmsg exposes. The
 * oldest records are dropped when it is full. Records can be echoed to
 * stderr as they are logged (UMD_EMU_KMSG_ECHO=1 or umd_emu_kmsg_set_echo).
 * As syslog(2)'s SYSLOG_ACTION_CLEAR, a clear only moves where a reader
 * of the log for a user (umd-emu dmesg) starts: the records stay for
 * everything else (the run's report, umd_emu_kmsg_contains()). Readers
 * that follow the log wait for new records on a condition variable.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/printk.h>

#include "emu.h"
#include "internal.h"

#define KMSG_RECORDS	16384
#define DEFAULT_LEVEL	LOGLEVEL_WARNING

struct kmsg_record {
	uint64_t seq;
	uint64_t ts_usec;
	int level;
	char *text;
};

static pthread_mutex_t kmsg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kmsg_grew;	/* kmsg_next moved (CLOCK_MONOTONIC) */
static struct kmsg_record kmsg_ring[KMSG_RECORDS];
static uint64_t kmsg_next;		/* seq of the next record */
static uint64_t kmsg_clear_seq;		/* dmesg -C: where reading starts */
static bool kmsg_echo;
static int kmsg_sink = -1;
static struct timespec kmsg_epoch;
static struct timespec kmsg_epoch_real;	/* the wall clock at kmsg_epoch */
static unsigned long warn_count;
static unsigned long sanitizer_count;
static unsigned long bug_count;

/*
 * The runtime's constructors, in order: this one (101: the log's epoch,
 * before anything can log), fault_config.c's (102: $UMD_EMU_FAULT, which
 * logs), then the unnumbered ones (notifiers, fork handlers), in any
 * order: none of them logs or depends on another.
 */
__attribute__((constructor(101))) static void kmsg_setup(void)
{
	const char *echo = getenv("UMD_EMU_KMSG_ECHO");
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&kmsg_grew, &attr);
	pthread_condattr_destroy(&attr);
	clock_gettime(CLOCK_MONOTONIC, &kmsg_epoch);
	clock_gettime(CLOCK_REALTIME, &kmsg_epoch_real);
	kmsg_echo = echo && *echo && strcmp(echo, "0");
}

__attribute__((destructor)) static void kmsg_teardown(void)
{
	size_t i;

	pthread_mutex_lock(&kmsg_lock);
	for (i = 0; i < KMSG_RECORDS; i++) {
		free(kmsg_ring[i].text);
		kmsg_ring[i].text = NULL;
	}
	pthread_mutex_unlock(&kmsg_lock);
}

uint64_t umd_emu_kmsg_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)(ts.tv_sec - kmsg_epoch.tv_sec) * 1000000 +
	       (ts.tv_nsec - kmsg_epoch.tv_nsec) / 1000;
}

/* Append one line (no newline) at level; the runtime's own entry point. */
void umd_emu_log_line(int level, const char *text)
{
	struct kmsg_record *rec;
	char *copy = strdup(text);

	if (!copy)
		return;

	pthread_mutex_lock(&kmsg_lock);
	rec = &kmsg_ring[kmsg_next % KMSG_RECORDS];
	free(rec->text);
	rec->seq = kmsg_next++;
	rec->ts_usec = umd_emu_kmsg_now_usec();
	rec->level = level;
	rec->text = copy;
	if (kmsg_echo)
		fprintf(stderr, "[%5llu.%06llu] %s\n",
			(unsigned long long)(rec->ts_usec / 1000000),
			(unsigned long long)(rec->ts_usec % 1000000), copy);
	if (kmsg_sink >= 0)
		dprintf(kmsg_sink, "[%5llu.%06llu] %s\n",
			(unsigned long long)(rec->ts_usec / 1000000),
			(unsigned long long)(rec->ts_usec % 1000000), copy);
	pthread_cond_broadcast(&kmsg_grew);
	pthread_mutex_unlock(&kmsg_lock);
}

void umd_emu_kmsg_set_sink(int fd)
{
	pthread_mutex_lock(&kmsg_lock);
	kmsg_sink = fd;
	pthread_mutex_unlock(&kmsg_lock);
}

/* Append text to the newest record (KERN_CONT). */
static void kmsg_continue(const char *text)
{
	struct kmsg_record *rec;
	char *joined;

	pthread_mutex_lock(&kmsg_lock);
	if (!kmsg_next) {
		pthread_mutex_unlock(&kmsg_lock);
		umd_emu_log_line(DEFAULT_LEVEL, text);
		return;
	}
	rec = &kmsg_ring[(kmsg_next - 1) % KMSG_RECORDS];
	if (asprintf(&joined, "%s%s", rec->text, text) >= 0) {
		free(rec->text);
		rec->text = joined;
		if (kmsg_echo)
			fprintf(stderr, "[cont] %s\n", text);
	}
	pthread_mutex_unlock(&kmsg_lock);
}

int vprintk(const char *fmt, va_list args)
{
	int level = DEFAULT_LEVEL;
	bool cont = false;
	char *buf, *line, *next;
	int len;

	if (fmt[0] == KERN_SOH_ASCII && fmt[1]) {
		if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		else if (fmt[1] == 'c')
			cont = true;
		fmt += 2;
	}

	len = vasprintf(&buf, fmt, args);
	if (len < 0)
		return 0;

	for (line = buf; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (cont && line == buf) {
			kmsg_continue(line);
		} else {
			if (!strncmp(line, "BUG:", 4) ||
			    !strncmp(line, "kernel BUG at", 13))
				__atomic_add_fetch(&bug_count, 1,
						   __ATOMIC_SEQ_CST);
			umd_emu_log_line(level, line);
		}
	}
	free(buf);
	return len;
}
EXPORT_SYMBOL(vprintk);

int _printk(const char *fmt, ...)
{
	va_list args;
	int ret;

	va_start(args, fmt);
	ret = vprintk(fmt, args);
	va_end(args);
	return ret;
}
EXPORT_SYMBOL(_printk);

bool umd_emu_is_sanitizer_report(const char *text)
{
	return strstr(text, "ERROR: AddressSanitizer") ||
	       strstr(text, "ERROR: LeakSanitizer") ||
	       strstr(text, "ERROR: ThreadSanitizer") ||
	       strstr(text, "WARNING: ThreadSanitizer") ||
	       strstr(text, "runtime error:") ||
	       strstr(text, "WARNING: AddressSanitizer");
}

void umd_emu_count_warning(void)
{
	__atomic_add_fetch(&warn_count, 1, __ATOMIC_SEQ_CST);
}

void umd_emu_count_sanitizer_report(void)
{
	__atomic_add_fetch(&sanitizer_count, 1, __ATOMIC_SEQ_CST);
}

unsigned long umd_emu_warnings(void)
{
	return __atomic_load_n(&warn_count, __ATOMIC_SEQ_CST);
}

unsigned long umd_emu_sanitizer_reports(void)
{
	return __atomic_load_n(&sanitizer_count, __ATOMIC_SEQ_CST);
}

unsigned long umd_emu_bugs(void)
{
	return __atomic_load_n(&bug_count, __ATOMIC_SEQ_CST);
}

bool umd_emu_kmsg_is_problem(const char *text)
{
	return !strncmp(text, "WARNING:", 8) || !strncmp(text, "BUG:", 4) ||
	       !strncmp(text, "kernel BUG at", 13) ||
	       umd_emu_is_sanitizer_report(text);
}

void umd_emu_kmsg_fill(void)
{
	while (umd_emu_kmsg_next_seq() < KMSG_RECORDS)
		umd_emu_log_line(LOGLEVEL_DEBUG,
				 "umd-emu: log filler (each line from now on frees the oldest)");
}

uint64_t umd_emu_kmsg_next_seq(void)
{
	uint64_t seq;

	pthread_mutex_lock(&kmsg_lock);
	seq = kmsg_next;
	pthread_mutex_unlock(&kmsg_lock);
	return seq;
}

uint64_t umd_emu_kmsg_foreach(uint64_t from, umd_emu_kmsg_fn fn, void *data)
{
	struct umd_emu_kmsg_record out;
	struct kmsg_record *rec;
	uint64_t seq, end;

	pthread_mutex_lock(&kmsg_lock);
	end = kmsg_next;
	seq = end > KMSG_RECORDS ? end - KMSG_RECORDS : 0;
	if (from > seq)
		seq = from;
	for (; seq < end; seq++) {
		rec = &kmsg_ring[seq % KMSG_RECORDS];
		out.seq = rec->seq;
		out.ts_usec = rec->ts_usec;
		out.level = rec->level;
		out.text = rec->text;
		if (fn(&out, data)) {
			seq++;
			break;
		}
	}
	pthread_mutex_unlock(&kmsg_lock);
	return seq;
}

static int kmsg_match(const struct umd_emu_kmsg_record *rec, void *data)
{
	const char **needle = data;

	if (strstr(rec->text, *needle)) {
		*needle = NULL;
		return 1;
	}
	return 0;
}

bool umd_emu_kmsg_contains(uint64_t from, const char *needle)
{
	umd_emu_kmsg_foreach(from, kmsg_match, &needle);
	return needle == NULL;
}

static int kmsg_print(const struct umd_emu_kmsg_record *rec, void *data)
{
	FILE *out = data;

	fprintf(out, "[%5llu.%06llu] %s\n",
		(unsigned long long)(rec->ts_usec / 1000000),
		(unsigned long long)(rec->ts_usec % 1000000), rec->text);
	return 0;
}

int umd_emu_kmsg_dump(int fd, uint64_t from)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	size_t off = 0;
	ssize_t n;

	if (!out)
		return -ENOMEM;
	umd_emu_kmsg_foreach(from, kmsg_print, out);
	fclose(out);
	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n <= 0)
			break;
		off += n;
	}
	free(buf);
	return off == len ? 0 : -EIO;
}

uint64_t umd_emu_kmsg_start_realtime_usec(void)
{
	return (uint64_t)kmsg_epoch_real.tv_sec * 1000000 +
	       kmsg_epoch_real.tv_nsec / 1000;
}

uint64_t umd_emu_kmsg_clear_seq(void)
{
	uint64_t seq;

	pthread_mutex_lock(&kmsg_lock);
	seq = kmsg_clear_seq;
	pthread_mutex_unlock(&kmsg_lock);
	return seq;
}

void umd_emu_kmsg_clear(uint64_t upto)
{
	pthread_mutex_lock(&kmsg_lock);
	if (upto > kmsg_next)
		upto = kmsg_next;
	if (upto > kmsg_clear_seq)
		kmsg_clear_seq = upto;
	pthread_mutex_unlock(&kmsg_lock);
}

bool umd_emu_kmsg_wait(uint64_t seq, long timeout_ms)
{
	struct timespec until;
	bool grew;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&kmsg_lock);
	while (kmsg_next <= seq &&
	       !pthread_cond_timedwait(&kmsg_grew, &kmsg_lock, &until))
		;
	grew = kmsg_next > seq;
	pthread_mutex_unlock(&kmsg_lock);
	return grew;
}

void umd_emu_kmsg_set_echo(bool on)
{
	pthread_mutex_lock(&kmsg_lock);
	kmsg_echo = on;
	pthread_mutex_unlock(&kmsg_lock);
}
