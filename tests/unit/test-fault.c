// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of fault injection: the settings' syntax, nth, probability
 * with a seed (a run replays exactly), interval, times, short transfers,
 * and crash injection and the watchdog on a handler's pipes.
 */
#include <glib.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/usermode_driver_mgmt.h>

#include "emu.h"
#include "helpers.h"
#include "test_handler_proto.h"

static void configure(const char *spec)
{
	char *error = NULL;

	if (umd_emu_fault_configure(spec, &error))
		g_error("configure '%s': %s", spec, error);
}

static int armed_cb(const struct umd_emu_fault_info *fi, void *data)
{
	const char **name = data;

	if (strcmp(fi->name, *name))
		return 0;
	*name = fi->armed ? "armed" : NULL;
	return 1;
}

static bool point_armed(const char *point)
{
	const char *name = point;

	umd_emu_fault_foreach(armed_cb, &name);
	return name != NULL && name != point;
}

static void test_syntax(void)
{
	static const char *const bad[] = {
		"nosuchpoint:nth=1", "failslab:nth=0", "failslab:nth=x",
		"failslab:probability=101", "failslab:short=1",
		"failslab:bogus=1", "failslab:nth", "seed=abc",
		"fail_kernel_read:error=EWHAT", "crash:driver=d,at=sideways",
		"crash:driver=d,signal=HUP", "watchdog:timeout_ms=x",
		/* Accepted once, and nonsense. */
		"watchdog:driver=d,timeout_ms=-1", "failslab:probability=nan",
		"failslab:probability=inf", "crash:", "crash:at=before",
		"watchdog:", "watchdog:driver=d", "failslab", "failslab:",
		"crash:driver=d,times=0", "crash:driver=,at=before",
		"fail_kernel_read:short=-1", "fail_pipe:times=-2",
		"watchdog:driver=d,hung_ms=99999999999",
		"", " ; ",
		/* All or nothing: the good entry before the bad is not kept. */
		"fail_pipe:nth=3;garbage", "crash:driver=d;fail_fork:what=1",
	};
	char *error, *huge;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		error = NULL;
		g_assert_cmpint(umd_emu_fault_configure(bad[i], &error), ==,
				-EINVAL);
		g_test_message("'%s': %s", bad[i], error);
		g_assert_nonnull(error);
		g_free(error);
	}
	g_assert_false(point_armed("fail_pipe"));
	g_assert_false(point_armed("fail_fork"));
	g_assert_cmpuint(umd_emu_crashes_fired(), ==, 0);
	/* A long setting is read whole, not cut at some length. */
	huge = g_strdup_printf("fail_pipe:nth=3;%0*d", 5000, 0);
	error = NULL;
	g_assert_cmpint(umd_emu_fault_configure(huge, &error), ==, -EINVAL);
	g_assert_nonnull(strstr(error, "unknown fault point '0000"));
	g_assert_false(point_armed("fail_pipe"));
	g_free(error);
	g_free(huge);
	configure("seed=7; failslab:off; fail_kernel_read:probability=12.5,"
		  "interval=2,times=3,error=EPIPE,short=0;reset");
	umd_emu_fault_reset();
}

static void test_nth(void)
{
	uint64_t seq = umd_emu_kmsg_next_seq();
	void *p[5];
	int i;

	configure("failslab:nth=3");
	for (i = 0; i < 5; i++)
		p[i] = kmalloc(16, GFP_KERNEL);
	g_assert_nonnull(p[0]);
	g_assert_nonnull(p[1]);
	g_assert_null(p[2]);
	g_assert_nonnull(p[3]);
	g_assert_nonnull(p[4]);
	g_assert_cmpuint(umd_emu_fault_fired("failslab"), ==, 1);
	g_assert_true(umd_emu_kmsg_contains(seq,
		      "FAULT_INJECTION: forcing a failure: failslab call 3"));
	for (i = 0; i < 5; i++)
		kfree(p[i]);
	/* __GFP_NOFAIL is never failed, as in failslab. */
	configure("failslab:nth=1");
	p[0] = kmalloc(8, GFP_KERNEL | __GFP_NOFAIL);
	g_assert_nonnull(p[0]);
	kfree(p[0]);
	umd_emu_fault_reset();
}

static unsigned long pattern(const char *spec, int calls)
{
	unsigned long bits = 0;
	void *p;
	int i;

	configure(spec);
	for (i = 0; i < calls; i++) {
		p = kmalloc(8, GFP_KERNEL);
		if (!p)
			bits |= 1UL << i;
		kfree(p);
	}
	umd_emu_fault_reset();
	return bits;
}

static void test_probability(void)
{
	unsigned long a, b, c;

	a = pattern("seed=42; failslab:probability=50", 64);
	b = pattern("seed=42; failslab:probability=50", 64);
	c = pattern("seed=43; failslab:probability=50", 64);
	g_assert_cmphex(a, ==, b);		/* replays exactly */
	g_assert_cmphex(a, !=, c);
	g_assert_cmpint(__builtin_popcountl(a), >, 16);
	g_assert_cmpint(__builtin_popcountl(a), <, 48);
	g_assert_cmphex(pattern("failslab:interval=4", 16), ==, 0x8888);
	g_assert_cmphex(pattern("failslab:times=2", 8), ==, 0x3);
	g_assert_cmphex(pattern("failslab:interval=3,times=2", 12), ==, 0x24);
	g_assert_cmphex(pattern("failslab:probability=0", 32), ==, 0);
}

static void test_uaccess_faults(void)
{
	char user[8] = "abcdefg", k[8];

	umd_emu_user_map(user, sizeof(user), true);
	configure("fail_copy_from_user:nth=1");
	g_assert_cmpuint(copy_from_user(k, user, 8), ==, 8);
	g_assert_cmpuint(copy_from_user(k, user, 8), ==, 0);
	configure("reset; fail_copy_from_user:nth=1,short=3");
	g_assert_cmpuint(copy_from_user(k, user, 8), ==, 5);
	g_assert_cmpmem(k, 3, "abc", 3);
	configure("reset; fail_copy_to_user:nth=2");
	g_assert_cmpuint(copy_to_user(user, "xy", 2), ==, 0);
	g_assert_cmpuint(copy_to_user(user, "xy", 2), ==, 2);
	umd_emu_fault_reset();
	umd_emu_user_unmap_all();
}

/* ---- on a real handler ---------------------------------------------- */

static void *handler_blob;
static size_t handler_len;

static void start(struct umd_info *info)
{
	th_handler_start(info, handler_blob, handler_len);
}

static void stop(struct umd_info *info)
{
	th_handler_stop(info);
}

static int echo(struct umd_info *info, u32 op, u32 arg, size_t plen,
		size_t rlen)
{
	struct test_req *req;
	size_t len = sizeof(*req) + plen, i;
	u8 *reply = g_malloc0(rlen), *p;
	int ret;

	req = g_malloc(len);
	*req = (struct test_req) { .magic = TEST_MAGIC, .op = op, .arg = arg,
				   .seed = 5, .req_len = len,
				   .reply_len = rlen };
	p = (u8 *)(req + 1);
	for (i = 0; i < plen; i++)
		p[i] = test_pattern(5, i);
	ret = umd_send_recv(info, req, len, reply, rlen);
	if (!ret && ((struct test_reply_head *)reply)->status)
		ret = -EBADMSG;
	g_free(req);
	g_free(reply);
	return ret;
}

static int count_crash(const struct umd_emu_crash_info *info, void *data)
{
	GString *s = data;

	g_string_append_printf(s, "%s fired=%lu %s;", info->setting,
			       info->fired, info->armed ? "armed" : "spent");
	return 0;
}

static int list_exchange(const struct umd_emu_exchange_info *info,
			 void *data)
{
	GString *s = data;

	g_string_append_printf(s, "%s#%lu %zu/%zu;", info->driver,
			       info->request, info->request_bytes,
			       info->reply_bytes);
	return 0;
}

/*
 * Status a script can ask for: which crash settings fired, and how much
 * each request moved (what a sweep of any UMD learns its offsets from).
 */
static void test_crash_status_exchanges(void)
{
	struct th_state st;
	struct umd_info info;
	GString *s = g_string_new(NULL);
	size_t hdr = sizeof(struct test_req);

	th_state_save(&st);
	umd_emu_exchanges_reset();
	start(&info);
	configure("crash:driver=umd_test,nth=2,at=before;"
		  "crash:driver=other,at=before");
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 100, 300), ==, 0);
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 100, 300), ==, -EPIPE);
	umd_emu_crash_foreach(count_crash, s);
	g_assert_cmpstr(s->str, ==,
			"crash:driver=umd_test,nth=2,at=before fired=1 spent;"
			"crash:driver=other,at=before fired=0 armed;");
	umd_emu_fault_reset();
	g_string_truncate(s, 0);
	umd_emu_crash_foreach(count_crash, s);
	g_assert_cmpstr(s->str, ==, "");
	stop(&info);

	/* Both requests ended: the second moved nothing (crashed first). */
	g_string_truncate(s, 0);
	umd_emu_exchanges_foreach(list_exchange, s);
	g_autofree char *want = g_strdup_printf("umd_test#1 %zu/300;umd_test#2 0/0;",
						hdr + 100);
	g_assert_cmpstr(s->str, ==, want);
	umd_emu_exchanges_reset();
	g_string_truncate(s, 0);
	umd_emu_exchanges_foreach(list_exchange, s);
	g_assert_cmpstr(s->str, ==, "");
	g_string_free(s, TRUE);
	th_state_check(&st, 0);
}

/*
 * When an exchange goes wrong, the log says what crossed: a reply cut by
 * end of file, bytes left unread, a reply that began with text.
 */
static void test_exchange_diagnostics(void)
{
	struct th_state st;
	struct umd_info info;

	th_state_save(&st);
	start(&info);
	/* 5000 of the 100000 reply bytes, then the handler dies. */
	g_assert_cmpint(echo(&info, TEST_OP_DIE_MID_REPLY, 5000, 10, 100000),
			<, 0);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		"request 1: read 5000 of 100000 reply bytes, then end of file"));
	stop(&info);

	/* A debug line on stdout: the reply is shifted, 11 bytes stay. */
	start(&info);
	g_assert_cmpint(echo(&info, TEST_OP_DEBUG_STDOUT, 0, 10, 64), ==,
			-EBADMSG);
	stop(&info);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		"11 bytes left unread after request 1, first: "));
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		"the reply to request 1 began with text: \"debug: x=5\\n"));
	th_state_check(&st, 0);
}

/* ---- the protocol trace ------------------------------------------------ */

/*
 * "kind#request len/want end[detail]" per event, ';'-separated; the
 * handlers' ends (made by their reapers, at any time) after a '|'.
 */
static int trace_line(const struct umd_emu_trace_event *ev, void *data)
{
	GString **two = data, *s = two[ev->kind == UMD_EMU_TRACE_EXIT];

	g_assert_cmpstr(ev->driver, ==, "umd_test");
	g_assert_cmpint(ev->pid, >, 0);
	g_string_append(s, umd_emu_trace_kind_name(ev->kind));
	switch (ev->kind) {
	case UMD_EMU_TRACE_REQUEST:
	case UMD_EMU_TRACE_REPLY:
		g_string_append_printf(s, "#%lu %zu/%zu %s", ev->request,
				       ev->len, ev->want, ev->end);
		if (ev->error)
			g_string_append_printf(s, " %d", ev->error);
		if (*ev->detail)
			g_string_append_printf(s, " [%s]", ev->detail);
		break;
	case UMD_EMU_TRACE_EXTRA:
		g_string_append_printf(s, "#%lu %zu %s", ev->request, ev->len,
				       ev->end);
		break;
	case UMD_EMU_TRACE_EXIT:
		g_string_append_printf(s, " %s %d%s", ev->end, ev->status,
				       ev->injected ? " injected" : "");
		break;
	default:
		break;
	}
	g_string_append_c(s, ';');
	return 0;
}

/* The events since seq *from as trace_line()s; *from moves past them. */
static char *trace_since(uint64_t *from)
{
	GString *two[2] = { g_string_new(NULL), g_string_new(NULL) };

	*from = umd_emu_trace_foreach(*from, trace_line, two);
	g_string_append_printf(two[0], "|%s", two[1]->str);
	g_string_free(two[1], TRUE);
	return g_string_free(two[0], FALSE);
}

static int exchange_end(const struct umd_emu_exchange_info *info,
			void *data)
{
	g_string_append_printf(data, "%lu %s;", info->request, info->end);
	return 0;
}

struct trace_find {
	enum umd_emu_trace_kind kind;
	struct umd_emu_trace_event ev;
	unsigned char bytes[64];
};

/* The last event of a kind (its first 64 bytes copied). */
static int trace_find_cb(const struct umd_emu_trace_event *ev, void *data)
{
	struct trace_find *f = data;

	if (ev->kind != f->kind)
		return 0;
	f->ev = *ev;
	memcpy(f->bytes, ev->bytes, MIN(ev->shown, sizeof(f->bytes)));
	return 0;
}

/*
 * Every exchange as the pipes saw it: lengths, bytes, and what ended
 * each part (complete, end of file, EPIPE, an injected crash or fault,
 * the watchdog), the bytes beyond a reply, the handler's start and end;
 * the record of exchanges says the same ends.
 */
static void test_trace(void)
{
	g_autofree char *want = NULL, *got = NULL;
	size_t hdr = sizeof(struct test_req);
	struct trace_find f = { .kind = UMD_EMU_TRACE_REQUEST };
	struct th_state st;
	struct umd_info info;
	uint64_t from;
	GString *x;
	size_t i;

	th_state_save(&st);
	umd_emu_trace_start(64);
	from = umd_emu_trace_foreach(UINT64_MAX, NULL, NULL);
	umd_emu_exchanges_reset();
	start(&info);
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 100, 300), ==, 0);
	/* A crash cuts the reply after 4 bytes (KILL: ASan handles SEGV). */
	configure("crash:driver=umd_test,at=reply,offset=4,signal=KILL");
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 64), ==, -EFAULT);
	stop(&info);
	th_wait_no_children(2000);
	got = trace_since(&from);
	want = g_strdup_printf("start;request#1 %zu/%zu complete;reply#1 300/300 complete;"
			       "request#2 %zu/%zu complete;reply#2 4/64 crash [Killed after it wrote 4 bytes of the reply];"
			       "|exit killed 9 injected;", hdr + 100, hdr + 100,
			       hdr + 10, hdr + 10);
	g_assert_cmpstr(got, ==, want);
	/* The request's bytes as written, cut at the capture (64). */
	umd_emu_trace_foreach(0, trace_find_cb, &f);
	g_assert_cmpuint(f.ev.shown, ==, hdr + 10);
	g_assert_cmpuint(((struct test_req *)f.bytes)->magic, ==, TEST_MAGIC);
	for (i = 0; i < 10; i++)
		g_assert_cmpuint(f.bytes[hdr + i], ==, test_pattern(5, i));
	f.kind = UMD_EMU_TRACE_REPLY;
	f.ev.shown = 0;
	umd_emu_trace_foreach(0, trace_find_cb, &f);
	g_assert_cmpuint(f.ev.shown, ==, 4);
	g_assert_cmpint(f.ev.usec, >=, 0);

	/* End of file mid-reply; then EPIPE to the handler gone. */
	start(&info);
	g_assert_cmpint(echo(&info, TEST_OP_DIE_MID_REPLY, 5000, 10, 100000),
			==, -EFAULT);
	wait_event(info.tgid->wait_pidfd, thread_group_exited(info.tgid));
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 8), ==, -EPIPE);
	stop(&info);
	th_wait_no_children(2000);
	g_free(got);
	got = trace_since(&from);
	g_free(want);
	want = g_strdup_printf("start;request#1 %zu/%zu complete;reply#1 5000/100000 eof;"
			       "request#2 0/%zu epipe -32;|exit killed 9;", hdr + 10, hdr + 10,
			       hdr + 10);
	g_assert_cmpstr(got, ==, want);

	/* A debug line on stdout: the reply begins with text, 11 bytes left. */
	start(&info);
	g_assert_cmpint(echo(&info, TEST_OP_DEBUG_STDOUT, 0, 10, 64), ==,
			-EBADMSG);
	stop(&info);
	th_wait_no_children(2000);
	g_free(got);
	got = trace_since(&from);
	g_free(want);
	want = g_strdup_printf("start;request#1 %zu/%zu complete;reply#1 64/64 complete;extra#1 11 close;|exit killed 9;",
			       hdr + 10, hdr + 10);
	g_assert_cmpstr(got, ==, want);
	f.ev.shown = 0;
	umd_emu_trace_foreach(0, trace_find_cb, &f);
	g_assert_true(umd_emu_bytes_look_like_text(f.bytes, f.ev.shown));
	g_assert_cmpmem(f.bytes, 11, "debug: x=5\n", 11);

	/* An injected fault; the watchdog. */
	start(&info);
	configure("fail_kernel_write:nth=1");
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 8), ==, -EIO);
	configure("reset; watchdog:driver=umd_test,timeout_ms=100");
	g_assert_cmpint(echo(&info, TEST_OP_SLEEP, 2000, 0, 8), ==,
			-ETIMEDOUT);
	umd_emu_fault_reset();
	stop(&info);
	th_wait_no_children(2000);
	g_free(got);
	got = trace_since(&from);
	g_free(want);
	want = g_strdup_printf("start;request#1 0/%zu fault -5 [fail_kernel_write];"
			       "request#1 %zu/%zu complete;reply#1 0/8 watchdog -110 [no answer within 100 ms: killed];"
			       "|exit killed 9;", hdr + 10, hdr, hdr);
	g_assert_cmpstr(got, ==, want);

	/* The record of exchanges has the same ends. */
	x = g_string_new(NULL);
	umd_emu_exchanges_foreach(exchange_end, x);
	g_assert_cmpstr(x->str, ==, "1 complete;2 crash;1 eof;2 epipe;1 complete;1 watchdog;");
	g_string_free(x, TRUE);

	/* Off: no event, one branch. */
	umd_emu_trace_stop();
	start(&info);
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 8), ==, 0);
	stop(&info);
	g_assert_false(umd_emu_trace_wait(from, 10));
	th_state_check(&st, 0);
}

/*
 * By default a request waiting 5 s gets the hung report, once, and goes
 * on to its reply; a watchdog setting without hung_ms keeps that default.
 * (The handler sleeps past 5 s: the report cannot miss however slow the
 * machine.)
 */
static void test_hung_report_default(void)
{
	struct th_state st;
	struct umd_info info;

	th_state_save(&st);
	start(&info);
	configure("watchdog:timeout_ms=60000");
	g_assert_cmpint(echo(&info, TEST_OP_SLEEP, 5200, 10, 10), ==, 0);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		"blocked for more than 5000 ms in request 1 to umd_test["));
	umd_emu_fault_reset();
	stop(&info);
	th_state_check(&st, 0);
}

static void test_io_faults(void)
{
	struct th_state st;
	struct umd_info info;

	th_state_save(&st);
	start(&info);
	/* Short transfers are absorbed by umd_send_recv's loops. */
	configure("fail_kernel_read:probability=50,short=7;"
		  "fail_kernel_write:probability=50,short=5");
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 20000, 20000), ==, 0);
	g_assert_cmpuint(umd_emu_fault_fired("fail_kernel_read"), >, 0);
	umd_emu_fault_reset();
	/* An error is returned as it is. */
	configure("fail_kernel_write:nth=1,error=EIO");
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 10), ==, -EIO);
	umd_emu_fault_reset();
	stop(&info);
	th_state_check(&st, 0);
}

static void test_crash_places(void)
{
	static const struct {
		const char *spec;
		int ret;
		const char *log;
	} cases[] = {
		{ "crash:driver=umd_test,at=before,signal=KILL", -EPIPE, "before it read the request" },
		{ "crash:driver=umd_test,at=request,offset=10,signal=SEGV", -EPIPE, "after it read 10 bytes of the request" },
		{ "crash:driver=umd_test,at=request-end,signal=ABRT", -EFAULT, "after it read the whole request" },
		{ "crash:driver=umd_test,at=reply,offset=0", -EFAULT, "after it wrote 0 bytes of the reply" },
		{ "crash:driver=umd_test,at=reply,offset=70000,signal=TERM", -EFAULT, "after it wrote 70000 bytes of the reply" },
#if defined(__x86_64__)
		{ "crash:driver=umd_test,at=request-end,signal=EXIT,status=3", -EFAULT, "with exit(3) after it read the whole request" },
		{ NULL, 0, "exited with status 3" },
		{ "crash:driver=umd_test,at=reply,offset=4096,signal=EXIT", -EFAULT, "with exit(0) after it wrote 4096 bytes of the reply" },
#endif
		{ "crash:driver=other,at=before", 0, NULL },
		{ "crash:driver=umd_test,nth=2,at=before", 0, NULL },
	};
	struct th_state st;
	struct umd_info info;
	unsigned long fired;
	size_t i;

	th_state_save(&st);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		if (!cases[i].spec) {	/* about the previous case */
			g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
							    cases[i].log));
			continue;
		}
		g_test_message("%s", cases[i].spec);
		start(&info);
		fired = umd_emu_crashes_fired();
		configure(cases[i].spec);
		g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 100000, 100000),
				==, cases[i].ret);
		if (cases[i].log) {
			g_assert_cmpuint(umd_emu_crashes_fired(), ==, fired + 1);
			g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
							    cases[i].log));
		} else {
			g_assert_cmpuint(umd_emu_crashes_fired(), ==, fired);
		}
		umd_emu_fault_reset();
		stop(&info);
	}
	th_state_check(&st, 0);
}

#if defined(__x86_64__)
/*
 * signal=EXIT while the handler is busy in user space, in no system call:
 * it exits with the status at its next system call (it was killed, with
 * a "cannot make it exit" warning, before).
 */
static void test_crash_exit_busy(void)
{
	struct th_state st;
	struct umd_info info;

	th_state_save(&st);
	start(&info);
	configure("crash:driver=umd_test,at=request-end,signal=EXIT,status=4");
	g_assert_cmpint(echo(&info, TEST_OP_SPIN, 300, 10, 10), ==, -EFAULT);
	umd_emu_fault_reset();
	stop(&info);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
					    "exited with status 4"));
	g_assert_false(umd_emu_kmsg_contains(st.kmsg_seq, "cannot make"));
	th_state_check(&st, 0);
}
#endif

static void test_watchdog(void)
{
	struct th_state st;
	struct umd_info info;

	th_state_save(&st);
	start(&info);
	configure("watchdog:driver=umd_test,timeout_ms=100");
	/* The handler sleeps 2 s: killed after 100 ms, -ETIMEDOUT. */
	g_assert_cmpint(echo(&info, TEST_OP_SLEEP, 2000, 0, 8), ==,
			-ETIMEDOUT);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "watchdog: umd_test["));
	g_assert_true(thread_group_exited(info.tgid));
	stop(&info);

	/* Without a timeout, a long request is reported once, then served. */
	start(&info);
	configure("reset; watchdog:driver=umd_test,hung_ms=50");
	g_assert_cmpint(echo(&info, TEST_OP_SLEEP, 200, 0, 8), ==, 0);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "blocked for more than 50 ms in request 1 to umd_test["));
	/* A hang (SIGSTOP) caught by the watchdog. */
	configure("reset; watchdog:timeout_ms=100; crash:driver=umd_test,at=request-end,signal=STOP");
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 10), ==, -ETIMEDOUT);
	umd_emu_fault_reset();
	stop(&info);
	th_state_check(&st, 0);
}

static bool handler_stopped(pid_t pid)
{
	char path[64], *stat = NULL, *p;
	bool stopped = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (g_file_get_contents(path, &stat, NULL, NULL)) {
		p = strrchr(stat, ')');
		stopped = p && p[2] == 'T';
	}
	g_free(stat);
	return stopped;
}

static void *continue_main(void *data)
{
	pid_t pid = GPOINTER_TO_INT(data);

	while (!handler_stopped(pid))
		g_usleep(1000);
	g_usleep(20000);
	kill(pid, SIGCONT);
	return NULL;
}

/*
 * signal=STOP at a reply offset stops that reply there, even if the
 * handler wrote all of it before the signal landed: a watchdog catches
 * the hang, and a handler continued (SIGCONT) finishes it intact.
 */
static void test_stop_in_reply(void)
{
	struct th_state st;
	struct umd_info info;
	pthread_t thread;

	th_state_save(&st);
	start(&info);
	configure("watchdog:driver=umd_test,timeout_ms=200;"
		  "crash:driver=umd_test,at=reply,offset=4,signal=STOP");
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 16), ==,
			-ETIMEDOUT);
	umd_emu_fault_reset();
	stop(&info);

	start(&info);
	configure("crash:driver=umd_test,at=reply,offset=4,signal=STOP");
	g_assert_cmpint(pthread_create(&thread, NULL, continue_main,
				       GINT_TO_POINTER(pid_nr(info.tgid))),
			==, 0);
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 16), ==, 0);
	pthread_join(thread, NULL);
	g_assert_cmpint(echo(&info, TEST_OP_ECHO, 0, 10, 16), ==, 0);
	umd_emu_fault_reset();
	stop(&info);
	th_state_check(&st, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	handler_blob = th_read_file(TEST_HANDLER_PATH, &handler_len);
	g_test_add_func("/fault/syntax", test_syntax);
	g_test_add_func("/fault/nth", test_nth);
	g_test_add_func("/fault/probability", test_probability);
	g_test_add_func("/fault/uaccess", test_uaccess_faults);
	g_test_add_func("/fault/io", test_io_faults);
	g_test_add_func("/fault/crash-places", test_crash_places);
	g_test_add_func("/fault/hung-report-default",
			test_hung_report_default);
	g_test_add_func("/fault/exchange-diagnostics",
			test_exchange_diagnostics);
	g_test_add_func("/fault/crash-status-exchanges",
			test_crash_status_exchanges);
#if defined(__x86_64__)
	g_test_add_func("/fault/crash-exit-busy", test_crash_exit_busy);
#endif
	g_test_add_func("/fault/watchdog", test_watchdog);
	g_test_add_func("/fault/trace", test_trace);
	g_test_add_func("/fault/stop-in-reply", test_stop_in_reply);
	return g_test_run();
}
