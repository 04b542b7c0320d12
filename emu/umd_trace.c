// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: the protocol trace, the events' ring and sink.
 *
 * The events are made by the channels of emu/umd_inject.c (requests,
 * replies, bytes beyond a reply, handler starts) and by emu/pid.c (a
 * handler's end), only while umd_emu_trace_on is set: every place that
 * makes one tests it first (umd_emu_tracing(), one predictable branch).
 * Here they get their number and time, go to the sink (umd-emu run
 * --trace FILE writes JSON lines) and into a ring of the last
 * TRACE_KEPT, which "umd-emu trace" reads and follows. Everything here
 * is the emulator's bookkeeping: GLib and malloc, never failslab.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "emu.h"
#include "internal.h"

/* Events kept in memory, and bytes kept of each. */
#define TRACE_KEPT		4096
#define TRACE_KEPT_BYTES	4096

struct trace_rec {
	struct umd_emu_trace_event ev;	/* its strings and bytes below */
	char driver[64];
	char detail[160];
	unsigned char *bytes;
};

int umd_emu_trace_on;
static size_t trace_capture;
static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t trace_cond;
static struct trace_rec *trace_ring;
static uint64_t trace_next;		/* seq of the next event */
static void (*trace_sink)(const struct umd_emu_trace_event *ev, void *data);
static void *trace_sink_data;

/* The waits use CLOCK_MONOTONIC: a clock change cannot stretch them. */
__attribute__((constructor)) static void trace_setup(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&trace_cond, &attr);
	pthread_condattr_destroy(&attr);
}

const char *umd_emu_trace_kind_name(enum umd_emu_trace_kind kind)
{
	switch (kind) {
	case UMD_EMU_TRACE_START: return "start";
	case UMD_EMU_TRACE_REQUEST: return "request";
	case UMD_EMU_TRACE_REPLY: return "reply";
	case UMD_EMU_TRACE_EXTRA: return "extra";
	default: return "exit";
	}
}

bool umd_emu_bytes_look_like_text(const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\n')
			return i >= 4;
		if ((buf[i] < 0x20 || buf[i] >= 0x7f) && buf[i] != '\t')
			return false;
	}
	return false;
}

size_t umd_emu_trace_capture(void)
{
	return __atomic_load_n(&trace_capture, __ATOMIC_RELAXED);
}

void umd_emu_trace_start(size_t capture)
{
	pthread_mutex_lock(&trace_lock);
	if (!trace_ring)
		trace_ring = g_new0(struct trace_rec, TRACE_KEPT);
	__atomic_store_n(&trace_capture, capture, __ATOMIC_RELAXED);
	__atomic_store_n(&umd_emu_trace_on, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&trace_lock);
}

void umd_emu_trace_stop(void)
{
	uint64_t i;

	pthread_mutex_lock(&trace_lock);
	__atomic_store_n(&umd_emu_trace_on, 0, __ATOMIC_RELAXED);
	for (i = 0; trace_ring && i < TRACE_KEPT; i++) {
		g_free(trace_ring[i].bytes);
		trace_ring[i].bytes = NULL;
	}
	g_free(trace_ring);
	trace_ring = NULL;
	pthread_mutex_unlock(&trace_lock);
}

bool umd_emu_trace_enabled(void)
{
	return umd_emu_tracing();
}

void umd_emu_trace_set_sink(void (*fn)(const struct umd_emu_trace_event *ev,
				       void *data), void *data)
{
	pthread_mutex_lock(&trace_lock);
	trace_sink = fn;
	trace_sink_data = data;
	pthread_mutex_unlock(&trace_lock);
}

/* Keep a copy of ev in the ring slot of its number. */
static void trace_keep(const struct umd_emu_trace_event *ev)
{
	struct trace_rec *r = &trace_ring[ev->seq % TRACE_KEPT];
	size_t shown = MIN(ev->shown, (size_t)TRACE_KEPT_BYTES);

	g_free(r->bytes);
	r->ev = *ev;
	g_strlcpy(r->driver, ev->driver ? ev->driver : "", sizeof(r->driver));
	g_strlcpy(r->detail, ev->detail ? ev->detail : "", sizeof(r->detail));
	r->ev.driver = r->driver;
	r->ev.detail = r->detail;
	r->bytes = shown ? g_memdup2(ev->bytes, shown) : NULL;
	r->ev.bytes = r->bytes;
	r->ev.shown = shown;
}

void umd_emu_trace_emit(struct umd_emu_trace_event *ev)
{
	if (!ev->detail)
		ev->detail = "";
	if (!ev->end)
		ev->end = "";
	pthread_mutex_lock(&trace_lock);
	if (!umd_emu_tracing() || !trace_ring) {
		pthread_mutex_unlock(&trace_lock);
		return;
	}
	ev->seq = trace_next++;
	ev->ts_usec = umd_emu_kmsg_now_usec();
	trace_keep(ev);
	if (trace_sink)
		trace_sink(ev, trace_sink_data);
	pthread_cond_broadcast(&trace_cond);
	pthread_mutex_unlock(&trace_lock);
}

uint64_t umd_emu_trace_foreach(uint64_t from, umd_emu_trace_fn fn,
			       void *data)
{
	uint64_t i, next;

	pthread_mutex_lock(&trace_lock);
	next = trace_next;
	i = next > TRACE_KEPT ? next - TRACE_KEPT : 0;
	if (from > i)
		i = MIN(from, next);
	for (; fn && trace_ring && i < next; i++) {
		if (fn(&trace_ring[i % TRACE_KEPT].ev, data)) {
			i++;
			break;
		}
	}
	pthread_mutex_unlock(&trace_lock);
	return i;
}

bool umd_emu_trace_wait(uint64_t from, long timeout_ms)
{
	struct timespec until;
	bool ready;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&trace_lock);
	while (trace_next <= from &&
	       pthread_cond_timedwait(&trace_cond, &trace_lock, &until) !=
	       ETIMEDOUT)
		;
	ready = trace_next > from;
	pthread_mutex_unlock(&trace_lock);
	return ready;
}
