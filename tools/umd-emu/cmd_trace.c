// SPDX-License-Identifier: GPL-2.0
/*
 * The protocol trace, as the umd-emu command shows it (docs/TRACE.md):
 *
 *   umd-emu run --trace FILE [--trace-bytes N|all] ...
 *       records every event of the runtime's trace (emu/umd_trace.c) as a
 *       JSON line in FILE, from the start of the run;
 *   umd-emu trace [--driver NAME]... [--bytes N|all] [--json] [--follow]
 *       inside "umd-emu run": the events the emulator keeps (the last
 *       4096), readable (or as JSON lines), then, with --follow, each new
 *       one as it happens (the control server's "trace" verb streams
 *       them); tracing starts at the first such call if the run had none;
 *   umd-emu trace --file FILE [...]
 *       the same view of a FILE written by run --trace, anywhere.
 *
 * One JSON form (trace_json()) and one readable form (trace_text()) for
 * all three; a JSON line read back is parsed into the same event.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "ctl_proto.h"
#include "emu.h"
#include "umd-emu.h"

/* Bytes kept of each event unless --trace-bytes says; bytes shown. */
#define TRACE_DEFAULT_CAPTURE	256
#define TRACE_DEFAULT_SHOW	64
/* The server streams the view in frames of about this size. */
#define TRACE_FRAME		65536

bool trace_parse_bytes(const char *s, size_t *n)
{
	char *end;
	guint64 v;

	if (!strcmp(s, "all")) {
		*n = SIZE_MAX;
		return true;
	}
	if (!g_ascii_isdigit(*s))
		return false;
	errno = 0;
	v = g_ascii_strtoull(s, &end, 10);
	if (*end || errno || v > SIZE_MAX)
		return false;
	*n = v;
	return true;
}

/* ---- the JSON form ---------------------------------------------------- */

/*
 * A JSON string: ASCII as is, '"' and '\' escaped, every other byte
 * (controls, and bytes from 0x80: a driver name need not be UTF-8) as
 * \u00XX, so that any reader takes it and it reads back byte for byte.
 */
static void json_str(GString *s, const char *key, const char *v, size_t len)
{
	size_t i;

	g_string_append_printf(s, ",\"%s\":\"", key);
	for (i = 0; i < len; i++) {
		unsigned char c = v[i];

		if (c == '"' || c == '\\')
			g_string_append_printf(s, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			g_string_append_c(s, c);
		else
			g_string_append_printf(s, "\\u%04x", c);
	}
	g_string_append_c(s, '"');
}

/* The bytes of an event, up to show: hex, printable text, is it a line. */
static void json_bytes(GString *s, const struct umd_emu_trace_event *ev,
		       size_t show)
{
	size_t n = MIN(ev->shown, show), i;
	char *ascii = g_malloc(n + 1);

	g_string_append_printf(s, ",\"shown\":%zu,\"hex\":\"", n);
	for (i = 0; i < n; i++) {
		g_string_append_printf(s, "%02x", ev->bytes[i]);
		ascii[i] = g_ascii_isprint(ev->bytes[i]) ? ev->bytes[i] : '.';
	}
	g_string_append_c(s, '"');
	json_str(s, "ascii", ascii, n);
	g_string_append_printf(s, ",\"text\":%s",
			       umd_emu_bytes_look_like_text(ev->bytes, n) ?
			       "true" : "false");
	g_free(ascii);
}

/* One event as a JSON object, then a newline; bytes cut at show. */
static void trace_json(GString *s, const struct umd_emu_trace_event *ev,
		       size_t show)
{
	const char *kind = umd_emu_trace_kind_name(ev->kind);

	g_string_append_printf(s, "{\"seq\":%" PRIu64 ",\"ts_us\":%" PRIu64,
			       ev->seq, ev->ts_usec);
	json_str(s, "event", kind, strlen(kind));
	json_str(s, "driver", ev->driver, strlen(ev->driver));
	g_string_append_printf(s, ",\"pid\":%d", (int)ev->pid);
	switch (ev->kind) {
	case UMD_EMU_TRACE_REQUEST:
	case UMD_EMU_TRACE_REPLY:
		g_string_append_printf(s, ",\"request\":%lu,\"dir\":\"%s\",\"offset\":%zu,\"len\":%zu,\"want\":%zu,\"calls\":%u",
				       ev->request,
				       ev->kind == UMD_EMU_TRACE_REQUEST ?
				       "to_handler" : "from_handler",
				       ev->offset, ev->len, ev->want,
				       ev->calls);
		if (ev->usec >= 0)
			g_string_append_printf(s, ",\"us\":%lld", ev->usec);
		else
			g_string_append(s, ",\"us\":null");
		json_str(s, "end", ev->end, strlen(ev->end));
		g_string_append_printf(s, ",\"error\":%d", ev->error);
		json_str(s, "detail", ev->detail, strlen(ev->detail));
		json_bytes(s, ev, show);
		break;
	case UMD_EMU_TRACE_EXTRA:
		g_string_append_printf(s, ",\"request\":%lu,\"dir\":\"from_handler\",\"len\":%zu",
				       ev->request, ev->len);
		json_str(s, "found", ev->end, strlen(ev->end));
		json_bytes(s, ev, show);
		break;
	case UMD_EMU_TRACE_EXIT:
		json_str(s, "end", ev->end, strlen(ev->end));
		g_string_append_printf(s, ",\"status\":%d", ev->status);
		json_str(s, "detail", ev->detail, strlen(ev->detail));
		g_string_append_printf(s, ",\"injected\":%s",
				       ev->injected ? "true" : "false");
		break;
	default:
		break;
	}
	g_string_append(s, "}\n");
}

/* ---- the readable form ------------------------------------------------ */

static void text_usec(GString *s, long long us)
{
	if (us < 1000)
		g_string_append_printf(s, "%lld us", us);
	else if (us < 1000000)
		g_string_append_printf(s, "%.1f ms", us / 1000.0);
	else
		g_string_append_printf(s, "%.2f s", us / 1000000.0);
}

/* What ended a request or reply, in words. */
static void text_end(GString *s, const struct umd_emu_trace_event *ev)
{
	const char *e = ev->end;
	bool cut = ev->len < ev->want;

	if (!strcmp(e, "complete"))
		g_string_append(s, "complete");
	else if (!strcmp(e, "eof"))
		g_string_append_printf(s, "EOF after %zu bytes", ev->len);
	else if (!strcmp(e, "epipe"))
		g_string_append_printf(s, "EPIPE after %zu bytes (the handler no longer reads)",
				       ev->len);
	else if (!strcmp(e, "crash"))
		g_string_append_printf(s, "crash (injected: %s), %s after %zu bytes",
				       ev->detail, ev->error == -EPIPE ?
				       "EPIPE" : "EOF", ev->len);
	else if (!strcmp(e, "watchdog"))
		g_string_append_printf(s, "watchdog (%s)", ev->detail);
	else if (!strcmp(e, "fault"))
		g_string_append_printf(s, "injected fault %s: error %d (%s)",
				       ev->detail, ev->error,
				       g_strerror(-ev->error));
	else if (!strcmp(e, "interrupted"))
		g_string_append(s, "interrupted (the caller got a signal)");
	else if (!strcmp(e, "error"))
		g_string_append_printf(s, "error %d (%s)", ev->error,
				       g_strerror(-ev->error));
	else if (!strcmp(e, "incomplete"))
		g_string_append_printf(s, "incomplete (the manager moved on%s)",
				       cut ? " before the rest" : "");
	else
		g_string_append(s, e);
}

/* The bytes, as hexdump -C shows them, up to show; then what is left. */
static void text_bytes(GString *s, const struct umd_emu_trace_event *ev,
		       size_t show)
{
	size_t n = MIN(ev->shown, show), i, j;

	for (i = 0; i < n; i += 16) {
		g_string_append_printf(s, "    %04zx  ", i);
		for (j = i; j < i + 16; j++) {
			if (j < n)
				g_string_append_printf(s, "%02x ",
						       ev->bytes[j]);
			else
				g_string_append(s, "   ");
			if (j == i + 7)
				g_string_append_c(s, ' ');
		}
		g_string_append(s, " |");
		for (j = i; j < i + 16 && j < n; j++)
			g_string_append_c(s, g_ascii_isprint(ev->bytes[j]) ?
					  ev->bytes[j] : '.');
		g_string_append(s, "|\n");
	}
	if (n && n < ev->len)
		g_string_append_printf(s, "    ... %zu of %zu bytes shown\n", n,
				       ev->len);
	if (ev->kind != UMD_EMU_TRACE_REQUEST &&
	    umd_emu_bytes_look_like_text(ev->bytes, n))
		g_string_append(s, "    (a line of text: debug output on stdout? stdout is the reply pipe, stderr the kernel log)\n");
}

/* One event, readable: a line, then its bytes (at most show). */
static void trace_text(GString *s, const struct umd_emu_trace_event *ev,
		       size_t show)
{
	bool req = ev->kind == UMD_EMU_TRACE_REQUEST;

	g_string_append_printf(s, "[%5" PRIu64 ".%06" PRIu64 "] %s[%d]",
			       ev->ts_usec / 1000000, ev->ts_usec % 1000000,
			       ev->driver, (int)ev->pid);
	switch (ev->kind) {
	case UMD_EMU_TRACE_START:
		g_string_append(s, ": started\n");
		return;
	case UMD_EMU_TRACE_EXIT:
		if (!strcmp(ev->end, "killed"))
			g_string_append_printf(s, ": killed by signal %d (%s)",
					       ev->status, ev->detail);
		else
			g_string_append_printf(s, ": exited with status %d",
					       ev->status);
		g_string_append(s, ev->injected ? ", injected\n" : "\n");
		return;
	case UMD_EMU_TRACE_EXTRA:
		g_string_append_printf(s, " #%lu extra: %zu bytes beyond the reply, %s\n",
				       ev->request, ev->len,
				       !strcmp(ev->end, "probe") ?
				       "found before the next request" :
				       "left unread when the pipe closed");
		text_bytes(s, ev, show);
		return;
	default:
		break;
	}
	g_string_append_printf(s, " #%lu %s %s ", ev->request,
			       req ? "request" : "reply",
			       req ? "->" : "<-");
	if (ev->len == ev->want)
		g_string_append_printf(s, "%zu bytes", ev->len);
	else
		g_string_append_printf(s, "%zu of %zu bytes", ev->len,
				       ev->want);
	if (ev->offset)
		g_string_append_printf(s, " at offset %zu", ev->offset);
	g_string_append_printf(s, ", %u %s%s", ev->calls,
			       req ? "write" : "read",
			       ev->calls == 1 ? "" : "s");
	if (ev->usec >= 0) {
		g_string_append(s, req ? ", " : ", handler ");
		text_usec(s, ev->usec);
	}
	g_string_append(s, ": ");
	text_end(s, ev);
	g_string_append_c(s, '\n');
	text_bytes(s, ev, show);
}

/* ---- a view: filter and form ------------------------------------------ */

struct view {
	char **drivers;		/* NULL: every driver */
	size_t show;
	bool json;
	GString *out;
	uint64_t expect;	/* seq of the next event, to see gaps */
	uint64_t until;		/* the server: events before this one */
};

static int view_event(const struct umd_emu_trace_event *ev, void *data)
{
	struct view *v = data;

	if (ev->seq > v->expect && !v->json)
		g_string_append_printf(v->out, "... %" PRIu64 " events not kept\n",
				       ev->seq - v->expect);
	v->expect = ev->seq + 1;
	if (v->drivers &&
	    !g_strv_contains((const char *const *)v->drivers, ev->driver))
		return 0;
	if (v->json)
		trace_json(v->out, ev, v->show);
	else
		trace_text(v->out, ev, v->show);
	return 0;
}

/* ---- umd-emu run --trace FILE ----------------------------------------- */

static int trace_fd = -1;
static bool trace_write_failed;

/* The sink: one JSON line per event, as it happens (trace locked). */
static void trace_sink(const struct umd_emu_trace_event *ev, void *data)
{
	static GString *line;
	const char *p;
	size_t left;
	ssize_t n;

	(void)data;
	if (!line)
		line = g_string_new(NULL);
	g_string_truncate(line, 0);
	trace_json(line, ev, SIZE_MAX);
	for (p = line->str, left = line->len; left; p += n, left -= n) {
		n = write(trace_fd, p, left);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			if (!trace_write_failed)
				tool_error("run: cannot write the trace: %s (events from now on are lost)",
					   n < 0 ? g_strerror(errno) :
					   "no space");
			trace_write_failed = true;
			return;
		}
	}
}

int trace_run_start(const char *file, const char *bytes)
{
	size_t capture = TRACE_DEFAULT_CAPTURE;

	if (bytes)
		trace_parse_bytes(bytes, &capture);	/* checked by run */
	if (file) {
		trace_fd = open(file, O_WRONLY | O_CREAT | O_TRUNC |
				O_APPEND | O_CLOEXEC, 0644);
		if (trace_fd < 0) {
			tool_error("run: cannot open the trace file %s: %s",
				   file, g_strerror(errno));
			return -1;
		}
		umd_emu_trace_set_sink(trace_sink, NULL);
	}
	if (file || bytes)
		umd_emu_trace_start(capture);
	return 0;
}

void trace_run_stop(void)
{
	if (trace_fd < 0)
		return;
	umd_emu_trace_set_sink(NULL, NULL);
	close(trace_fd);
	trace_fd = -1;
}

/* ---- the server's "trace" verb --------------------------------------- */

/* Send what the view holds; false if the client is gone. */
static bool trace_flush(int fd, GString *s, char kind)
{
	bool ok = !s->len || !ctl_send_frame(fd, kind, s->str, s->len);

	g_string_truncate(s, 0);
	return ok;
}

/* The client sends nothing after its request: readable means gone. */
static bool client_gone(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLRDHUP };

	return poll(&pfd, 1, 0) != 0;
}

static int print_some(const struct umd_emu_trace_event *ev, void *data)
{
	struct view *v = data;

	if (ev->seq >= v->until)
		return 1;
	view_event(ev, v);
	return v->out->len >= TRACE_FRAME;	/* stop: send a frame first */
}

int trace_serve(int fd, char **args, int nargs, GString *out, GString *err)
{
	struct view v = { .show = TRACE_DEFAULT_SHOW, .out = out };
	GPtrArray *drivers = g_ptr_array_new();
	bool follow = false;
	uint64_t from = 0;
	int i, ret = 0;

	for (i = 0; i < nargs; i++) {
		if (!strcmp(args[i], "--follow"))
			follow = true;
		else if (!strcmp(args[i], "--json"))
			v.json = true;
		else if (g_str_has_prefix(args[i], "--driver="))
			g_ptr_array_add(drivers, args[i] + 9);
		else if (!g_str_has_prefix(args[i], "--bytes=") ||
			 !trace_parse_bytes(args[i] + 8, &v.show)) {
			g_string_append_printf(err, "umd-emu trace: unknown argument '%s'\n",
					       args[i]);
			ret = 2;
			goto out;
		}
	}
	if (drivers->len) {
		g_ptr_array_add(drivers, NULL);
		v.drivers = (char **)drivers->pdata;
	}
	if (!umd_emu_trace_enabled()) {
		umd_emu_trace_start(TRACE_DEFAULT_CAPTURE);
		g_string_append(err, "umd-emu trace: tracing was off: it records from now on ('umd-emu run --trace FILE' records from the start)\n");
	}
	if (!trace_flush(fd, err, CTL_ERR))
		goto out;
	/* Without --follow: the events there are now, and no more. */
	v.until = follow ? UINT64_MAX :
		  umd_emu_trace_foreach(UINT64_MAX, NULL, NULL);
	for (;;) {
		from = umd_emu_trace_foreach(from, print_some, &v);
		if (out->len && !trace_flush(fd, out, CTL_OUT))
			break;
		if (from >= v.until)
			break;
		if (from < umd_emu_trace_foreach(UINT64_MAX, NULL, NULL))
			continue;	/* more kept than one frame held */
		if (client_gone(fd))
			break;
		umd_emu_trace_wait(from, 200);
	}
out:
	g_ptr_array_free(drivers, TRUE);
	return ret;
}

/* ---- umd-emu trace --file FILE ---------------------------------------- */

/* A value of a flat JSON object: a string (unescaped), or a literal. */
struct jv {
	bool is_str;
	GString *v;
};

static void jv_free(gpointer p)
{
	struct jv *j = p;

	g_string_free(j->v, TRUE);
	g_free(j);
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* A JSON string at p into s; the position after it, or NULL. */
static const char *parse_str(const char *p, GString *s)
{
	unsigned int u;
	int k;

	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if (*p != '\\') {
			g_string_append_c(s, *p++);
			continue;
		}
		switch (*++p) {
		case '"': case '\\': case '/':
			g_string_append_c(s, *p++);
			break;
		case 'b': g_string_append_c(s, '\b'); p++; break;
		case 'f': g_string_append_c(s, '\f'); p++; break;
		case 'n': g_string_append_c(s, '\n'); p++; break;
		case 'r': g_string_append_c(s, '\r'); p++; break;
		case 't': g_string_append_c(s, '\t'); p++; break;
		case 'u':
			for (u = 0, k = 1; k <= 4; k++) {
				if (!g_ascii_isxdigit(p[k]))
					return NULL;
				u = u * 16 + g_ascii_xdigit_value(p[k]);
			}
			if (u < 0x100)
				g_string_append_c(s, (char)u);
			else
				g_string_append_unichar(s, u);
			p += 5;
			break;
		default:
			return NULL;
		}
	}
	return *p == '"' ? p + 1 : NULL;
}

/* One line: a flat JSON object into key -> struct jv; NULL if not one. */
static GHashTable *parse_object(const char *p)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      jv_free);
	GString *key = g_string_new(NULL);
	struct jv *j;
	const char *q;

	p = skip_ws(p);
	if (*p++ != '{')
		goto bad;
	p = skip_ws(p);
	if (*p == '}')
		goto done;
	for (;;) {
		g_string_truncate(key, 0);
		p = parse_str(skip_ws(p), key);
		if (!p)
			goto bad;
		p = skip_ws(p);
		if (*p++ != ':')
			goto bad;
		p = skip_ws(p);
		j = g_new0(struct jv, 1);
		j->v = g_string_new(NULL);
		g_hash_table_replace(h, g_strdup(key->str), j);
		if (*p == '"') {
			j->is_str = true;
			p = parse_str(p, j->v);
			if (!p)
				goto bad;
		} else {
			for (q = p; *q && !strchr(",} \t\r\n", *q); q++)
				;
			if (q == p)
				goto bad;
			g_string_append_len(j->v, p, q - p);
			p = q;
		}
		p = skip_ws(p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			goto bad;
	}
done:
	if (*skip_ws(p + 1))
		goto bad;
	g_string_free(key, TRUE);
	return h;
bad:
	g_string_free(key, TRUE);
	g_hash_table_destroy(h);
	return NULL;
}

static const char *json_text(GHashTable *h, const char *key)
{
	struct jv *j = g_hash_table_lookup(h, key);

	return j && j->is_str ? j->v->str : "";
}

static long long json_num(GHashTable *h, const char *key, long long dflt)
{
	struct jv *j = g_hash_table_lookup(h, key);

	if (!j || j->is_str || !strcmp(j->v->str, "null"))
		return dflt;
	if (!strcmp(j->v->str, "true"))
		return 1;
	return g_ascii_strtoll(j->v->str, NULL, 10);
}

/*
 * A JSON line back into an event (*bytes: its bytes, to g_free); false
 * if it is not one of a known kind.
 */
static bool event_from_json(GHashTable *h, struct umd_emu_trace_event *ev,
			    unsigned char **bytes)
{
	static const enum umd_emu_trace_kind kinds[] = {
		UMD_EMU_TRACE_START, UMD_EMU_TRACE_REQUEST, UMD_EMU_TRACE_REPLY,
		UMD_EMU_TRACE_EXTRA, UMD_EMU_TRACE_EXIT,
	};
	const char *event = json_text(h, "event"), *hex = json_text(h, "hex");
	size_t i, n = strlen(hex) / 2;

	memset(ev, 0, sizeof(*ev));
	for (i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (!strcmp(event, umd_emu_trace_kind_name(kinds[i])))
			break;
	if (i == G_N_ELEMENTS(kinds) || !g_hash_table_lookup(h, "seq"))
		return false;
	ev->kind = kinds[i];
	ev->seq = json_num(h, "seq", 0);
	ev->ts_usec = json_num(h, "ts_us", 0);
	ev->driver = json_text(h, "driver");
	ev->pid = json_num(h, "pid", 0);
	ev->request = json_num(h, "request", 0);
	ev->offset = json_num(h, "offset", 0);
	ev->len = json_num(h, "len", 0);
	ev->want = json_num(h, "want", 0);
	ev->calls = json_num(h, "calls", 0);
	ev->usec = json_num(h, "us", -1);
	ev->end = ev->kind == UMD_EMU_TRACE_EXTRA ? json_text(h, "found") :
						   json_text(h, "end");
	ev->error = json_num(h, "error", 0);
	ev->status = json_num(h, "status", 0);
	ev->injected = json_num(h, "injected", 0);
	ev->detail = json_text(h, "detail");
	*bytes = g_malloc(n + 1);
	for (i = 0; i < n; i++) {
		if (!g_ascii_isxdigit(hex[2 * i]) ||
		    !g_ascii_isxdigit(hex[2 * i + 1]))
			break;
		(*bytes)[i] = g_ascii_xdigit_value(hex[2 * i]) * 16 +
			      g_ascii_xdigit_value(hex[2 * i + 1]);
	}
	ev->bytes = *bytes;
	ev->shown = i;
	return true;
}

/* Print the events of a file; with follow, wait for more (until killed). */
static int view_file(const char *file, struct view *v, bool follow)
{
	GString *pending = g_string_new(NULL);
	char buf[65536], *nl;
	unsigned long lineno = 0, bad = 0;
	ssize_t n;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		tool_error("trace: cannot open %s: %s", file, g_strerror(errno));
		g_string_free(pending, TRUE);
		return 1;
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tool_error("trace: cannot read %s: %s", file,
				   g_strerror(errno));
			bad++;
			break;
		}
		if (n == 0) {
			if (!follow)
				break;
			fflush(stdout);
			g_usleep(200000);
			continue;
		}
		g_string_append_len(pending, buf, n);
		while ((nl = memchr(pending->str, '\n', pending->len))) {
			struct umd_emu_trace_event ev;
			unsigned char *bytes = NULL;
			GHashTable *h;

			*nl = '\0';
			lineno++;
			h = parse_object(pending->str);
			if (!h || !event_from_json(h, &ev, &bytes)) {
				/* A JSON line of a kind not known here: skip. */
				if (!h) {
					tool_error("trace: %s:%lu: not a JSON object",
						   file, lineno);
					bad++;
				}
			} else {
				v->expect = ev.seq;
				view_event(&ev, v);
				fwrite(v->out->str, 1, v->out->len, stdout);
				g_string_truncate(v->out, 0);
			}
			g_free(bytes);
			if (h)
				g_hash_table_destroy(h);
			g_string_erase(pending, 0, nl + 1 - pending->str);
		}
	}
	if (pending->len) {
		tool_error("trace: %s:%lu: the last line is cut (no newline)",
			   file, lineno + 1);
		bad++;
	}
	close(fd);
	g_string_free(pending, TRUE);
	return bad ? 1 : 0;
}

/* ---- umd-emu trace ---------------------------------------------------- */

/* umd-emu trace --help. */
static const char trace_summary[] =
	"Print the protocol trace: every exchange of every UMD as its\n"
	"pipes saw it. One event per handler start, request, reply, bytes\n"
	"beyond a reply and handler end: the time (the kernel log's clock),\n"
	"the handler, the request's number, the length (of how many asked),\n"
	"the calls, how long the handler took, what ended it (complete, EOF\n"
	"after K bytes, EPIPE, the watchdog, an injected fault or crash) and\n"
	"the first bytes, hex and printable.\n"
	"Inside 'umd-emu run' the events the emulator kept (the last 4096);\n"
	"if the run was not started with --trace FILE, tracing starts now.\n"
	"With --file, those of a file written by 'umd-emu run --trace FILE'.";

/* Inside 'umd-emu run': ask the emulator, with the same options. */
static int trace_in_run(char **drivers, const char *bytes, gboolean json,
			gboolean follow)
{
	GPtrArray *args;
	int ret, i;

	if (!g_getenv(CTL_ENV) || !*g_getenv(CTL_ENV)) {
		tool_error("trace: not inside 'umd-emu run' ($%s is not set): run it there, or read a file written by 'umd-emu run --trace FILE' with --file FILE",
			   CTL_ENV);
		return 1;
	}
	args = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; drivers && drivers[i]; i++)
		g_ptr_array_add(args, g_strdup_printf("--driver=%s",
						      drivers[i]));
	if (bytes)
		g_ptr_array_add(args, g_strdup_printf("--bytes=%s", bytes));
	if (json)
		g_ptr_array_add(args, g_strdup("--json"));
	if (follow)
		g_ptr_array_add(args, g_strdup("--follow"));
	ret = ctl_client("trace", args->len, (char **)args->pdata);
	g_ptr_array_free(args, TRUE);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	gboolean follow = FALSE, json = FALSE;
	char **drivers = NULL, *bytes = NULL, *file = NULL;
	const GOptionEntry entries[] = {
		{ "driver", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &drivers,
		  "only the UMD whose handler is NAME (its driver_name; repeatable)",
		  "NAME" },
		{ "bytes", 'b', 0, G_OPTION_ARG_STRING, &bytes,
		  "show the first N bytes of each request and reply (default 64), or all that were kept",
		  "N|all" },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json,
		  "JSON lines, as 'umd-emu run --trace' writes them (docs/TRACE.md)",
		  NULL },
		{ "follow", 'f', 0, G_OPTION_ARG_NONE, &follow,
		  "then print each new event as it happens, until interrupted",
		  NULL },
		{ "file", 0, 0, G_OPTION_ARG_FILENAME, &file,
		  "read the events from FILE, written by 'umd-emu run --trace FILE' (anywhere, not only inside the run)",
		  "FILE" },
		G_OPTION_ENTRY_NULL
	};
	const struct tool_opts opts = {
		.verb = "trace",
		.params = "",
		.summary = trace_summary,
		.entries = entries,
	};
	struct view v = { .show = TRACE_DEFAULT_SHOW };
	int ret = tool_parse_opts(&opts, &argc, &argv);

	if (ret)
		goto out;
	ret = 2;
	if (argc > 1) {
		tool_usage_error("trace", "takes no argument");
		goto out;
	}
	if (bytes && !trace_parse_bytes(bytes, &v.show)) {
		tool_usage_error("trace", "--bytes takes a number or 'all', not '%s'",
				 bytes);
		goto out;
	}
	if (file) {
		v.drivers = drivers;
		v.json = json;
		v.out = g_string_new(NULL);
		ret = view_file(file, &v, follow);
		g_string_free(v.out, TRUE);
		goto out;
	}
	ret = trace_in_run(drivers, bytes, json, follow);
out:
	g_strfreev(drivers);
	g_free(bytes);
	g_free(file);
	return ret;
}
