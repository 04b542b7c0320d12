// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: the fault-injection settings, parsed and applied in one
 * place, and the table of fault points (fault_points.h).
 *
 * A setting is a string, from $UMD_EMU_FAULT at start-up or
 * umd_emu_fault_configure() ("umd-emu fault") at run time; entries are
 * separated by ';' or newlines:
 *   seed=N                   the random generator's seed
 *   POINT:nth=N              fail the Nth call from now (fail-nth)
 *   POINT:probability=P,interval=I,times=T[,error=E][,short=S]
 *   POINT:off                disarm one point
 *   crash:driver=NAME,...    crash a handler (umd_inject.c)
 *   watchdog:driver=NAME,... bound its requests in time (umd_inject.c)
 *   reset                    disarm everything, zero the counters
 * A setting is all or nothing: every entry is checked before any applies.
 * fault.c and umd_inject.c hold the mechanism; nothing here runs while a
 * request is served.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <linux/err.h>
#include <linux/kernel.h>

#include "emu.h"
#include "fault.h"
#include "umd_inject.h"

static const struct umd_emu_fault_point point_table[FAULT_NR + 1] = {
#define FAULT_POINT(id, pname, pkind, err, can_short, text)		\
	[id] = { .name = pname, .kind = pkind, .default_error = -(err),	\
		 .takes_short = can_short, .help = text },
#include "fault_points.h"
#undef FAULT_POINT
};

const struct umd_emu_fault_point *umd_emu_fault_point_table(void)
{
	return point_table;
}

static char point_names[512];

static void point_names_fill(void)
{
	size_t len = 0;
	int i;

	for (i = 0; i < FAULT_NR; i++)
		len += snprintf(point_names + len, sizeof(point_names) - len,
				"%s%s", i ? " " : "", point_table[i].name);
}

const char *umd_emu_fault_point_names(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, point_names_fill);
	return point_names;
}

/* ---- values ------------------------------------------------------------ */

static int parse_errno(const char *v, int *error)
{
	static const struct { const char *name; int err; } names[] = {
		{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR },
		{ "EIO", EIO }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
		{ "EFAULT", EFAULT }, { "EBUSY", EBUSY }, { "EINVAL", EINVAL },
		{ "EMFILE", EMFILE }, { "ENOSPC", ENOSPC }, { "EPIPE", EPIPE },
		{ "ENOEXEC", ENOEXEC }, { "ETIMEDOUT", ETIMEDOUT },
		{ "ENODEV", ENODEV }, { "EACCES", EACCES },
	};
	char *end;
	long n;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		if (!strcmp(v, names[i].name)) {
			*error = -names[i].err;
			return 0;
		}
	}
	n = strtol(v, &end, 10);
	if (*end || !*v || n == 0 || n < -MAX_ERRNO || n > MAX_ERRNO)
		return -EINVAL;
	*error = n > 0 ? -n : n;
	return 0;
}

/* An unsigned number (decimal, 0x hex, 0 octal); no sign. */
static int parse_ulong(const char *v, unsigned long *out)
{
	char *end;

	if (!*v || *v == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoul(v, &end, 0);
	return *end || errno ? -EINVAL : 0;
}

/* A signed number (decimal, 0x hex, 0 octal). */
static int parse_long(const char *v, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(v, &end, 0);
	return (*end || !*v || errno) ? -EINVAL : 0;
}

static int parse_signal(const char *v, int *sig)
{
	static const struct { const char *name; int sig; } sigs[] = {
		{ "KILL", SIGKILL }, { "SEGV", SIGSEGV }, { "ABRT", SIGABRT },
		{ "TERM", SIGTERM }, { "STOP", SIGSTOP }, { "BUS", SIGBUS },
	};
	size_t i;

	if (!strcmp(v, "EXIT")) {
#if defined(__x86_64__)
		*sig = CRASH_EXIT;
		return 0;
#else
		return -EOPNOTSUPP;
#endif
	}
	if (!strncmp(v, "SIG", 3))
		v += 3;
	for (i = 0; i < G_N_ELEMENTS(sigs); i++) {
		if (!strcmp(v, sigs[i].name)) {
			*sig = sigs[i].sig;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * The one key=value loop: "k=v,k=v" of the entry named what, each pair
 * given to fn. fn returns 0, -EINVAL (bad value) or -ENOENT (unknown key).
 * On error *error says which pair and why.
 */
typedef int (*kv_fn)(const char *key, const char *val, void *data);

static int kv_foreach(const char *what, const char *params, kv_fn fn,
		      void *data, char **error)
{
	char **kvs, *key, *val;
	int i, err = 0;

	kvs = g_strsplit(params, ",", -1);
	for (i = 0; kvs[i] && !err; i++) {
		key = g_strstrip(kvs[i]);
		if (!*key)
			continue;
		val = strchr(key, '=');
		if (!val) {
			*error = g_strdup_printf("%s: '%s' is not key=value",
						 what, key);
			err = -EINVAL;
			break;
		}
		*val++ = '\0';
		err = fn(key, val, data);
		if (err == -ENOENT)
			*error = g_strdup_printf("%s: unknown setting '%s'%s",
						 what, key,
						 !strcmp(key, "short") &&
						 strcmp(what, "crash") &&
						 strcmp(what, "watchdog") ?
						 " (not an I/O point)" : "");
		else if (err)
			*error = g_strdup_printf("%s: bad value '%s' for %s",
						 what, val, key);
		if (err)
			err = -EINVAL;
	}
	g_strfreev(kvs);
	return err;
}

/* ---- POINT:... --------------------------------------------------------- */

struct point_parse {
	const struct umd_emu_fault_point *point;
	struct umd_emu_fault_attr attr;
};

static int point_key(const char *key, const char *val, void *data)
{
	struct point_parse *pp = data;
	struct umd_emu_fault_attr *a = &pp->attr;
	unsigned long n;
	double pct;
	char *end;
	int err = 0;

	if (!strcmp(key, "probability")) {
		pct = strtod(val, &end);
		if (*end || !*val || !isfinite(pct) || pct < 0 || pct > 100)
			return -EINVAL;
		a->probability_bp = pct * 100 + 0.5;
	} else if (!strcmp(key, "interval")) {
		err = parse_ulong(val, &n);
		a->interval = n;
	} else if (!strcmp(key, "times")) {
		if (!strcmp(val, "-1")) {
			a->times = -1;
		} else {
			err = parse_ulong(val, &n);
			if (!err && n > LONG_MAX)
				err = -EINVAL;
			a->times = n;
		}
	} else if (!strcmp(key, "nth")) {
		err = parse_ulong(val, &n);
		if (!err && !n)
			err = -EINVAL;
		a->nth = n;
	} else if (!strcmp(key, "error")) {
		err = parse_errno(val, &a->error);
	} else if (!strcmp(key, "short") && pp->point->takes_short) {
		err = parse_ulong(val, &n);	/* 0: no, error= */
		a->short_len = n;
	} else {
		return -ENOENT;
	}
	return err;
}

static int parse_point(const struct umd_emu_fault_point *p,
		       const char *params, struct umd_emu_fault_attr *attr,
		       char **error)
{
	struct point_parse pp = {
		.point = p,
		.attr = { .armed = true, .probability_bp = 10000,
			  .interval = 1, .times = -1,
			  .error = p->default_error },
	};
	int err;

	if (!strcmp(params, "off")) {
		*attr = (struct umd_emu_fault_attr){ .armed = false };
		return 0;
	}
	err = kv_foreach(p->name, params, point_key, &pp, error);
	*attr = pp.attr;
	return err;
}

/* ---- crash:... and watchdog:... -------------------------------------- */

/* The longest time limit a watchdog takes: a day. */
#define WATCHDOG_MAX_MS (24L * 3600 * 1000)

static int driver_key(char *driver, const char *val)
{
	if (!*val || strlen(val) >= UMD_EMU_DRIVER_LEN)
		return -EINVAL;
	g_strlcpy(driver, val, UMD_EMU_DRIVER_LEN);
	return 0;
}

static int crash_key(const char *key, const char *val, void *data)
{
	static const char *const places[] = {
		[CRASH_BEFORE] = "before", [CRASH_REQUEST] = "request",
		[CRASH_REQUEST_END] = "request-end", [CRASH_REPLY] = "reply",
	};
	struct crash_cfg *c = data;
	size_t i;
	long n;
	int err;

	if (!strcmp(key, "driver"))
		return driver_key(c->driver, val);
	if (!strcmp(key, "at")) {
		for (i = 0; i < G_N_ELEMENTS(places); i++) {
			if (!strcmp(val, places[i])) {
				c->place = i;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (!strcmp(key, "signal"))
		return parse_signal(val, &c->sig);
	if (strcmp(key, "nth") && strcmp(key, "offset") &&
	    strcmp(key, "times") && strcmp(key, "status"))
		return -ENOENT;
	err = parse_long(val, &n);
	if (err)
		return err;
	if (!strcmp(key, "nth")) {
		if (n < 1)
			return -EINVAL;
		c->nth = n;
	} else if (!strcmp(key, "offset")) {
		if (n < 0)
			return -EINVAL;
		c->offset = n;
	} else if (!strcmp(key, "times")) {
		if (n < 1 && n != -1)
			return -EINVAL;
		c->times = n;
	} else {
		if (n < 0 || n > 255)
			return -EINVAL;
		c->status = n;
	}
	return 0;
}

struct watchdog_parse {
	struct watchdog_cfg wd;
	bool timed;		/* a time limit was given */
};

static int watchdog_key(const char *key, const char *val, void *data)
{
	struct watchdog_parse *wp = data;
	long *field;
	int err;

	if (!strcmp(key, "driver"))
		return driver_key(wp->wd.driver, val);
	if (!strcmp(key, "timeout_ms"))
		field = &wp->wd.timeout_ms;
	else if (!strcmp(key, "hung_ms"))
		field = &wp->wd.hung_ms;
	else
		return -ENOENT;
	err = parse_long(val, field);
	if (!err && (*field < 0 || *field > WATCHDOG_MAX_MS))
		err = -EINVAL;
	wp->timed = true;
	return err;
}

static int parse_crash(const char *params, struct crash_cfg *c, char **error)
{
	int err;

	*c = (struct crash_cfg){ .nth = 1, .place = CRASH_BEFORE,
				 .sig = SIGKILL, .times = 1 };
	snprintf(c->setting, sizeof(c->setting), "crash:%s", params);
	err = kv_foreach("crash", params, crash_key, c, error);
	if (!err && !c->driver[0]) {
		*error = g_strdup("crash: say which handler to crash (driver=NAME)");
		err = -EINVAL;
	}
	return err;
}

static int parse_watchdog(const char *params, struct watchdog_cfg *w,
			  char **error)
{
	struct watchdog_parse wp = {
		.wd = { .timeout_ms = -1, .hung_ms = -1 },
	};
	int err;

	err = kv_foreach("watchdog", params, watchdog_key, &wp, error);
	if (!err && !wp.timed) {
		*error = g_strdup("watchdog: give timeout_ms=N and/or hung_ms=M (0 turns one off)");
		err = -EINVAL;
	}
	*w = wp.wd;
	return err;
}

/* ---- a whole setting ---------------------------------------------------- */

/* One entry of a setting, checked and ready to apply. */
struct fault_op {
	enum { OP_RESET, OP_SEED, OP_POINT, OP_CRASH, OP_WATCHDOG } kind;
	uint64_t seed;
	enum umd_emu_fault_id point;
	struct umd_emu_fault_attr attr;
	struct crash_cfg crash;
	struct watchdog_cfg wd;
};

static int find_point(const char *name)
{
	int i;

	for (i = 0; i < FAULT_NR; i++)
		if (!strcmp(point_table[i].name, name))
			return i;
	return -1;
}

static int parse_entry(char *entry, struct fault_op *op, char **error)
{
	unsigned long seed;
	char *colon;
	int err, p;

	if (!strcmp(entry, "reset")) {
		op->kind = OP_RESET;
		return 0;
	}
	if (!strncmp(entry, "seed=", 5)) {
		op->kind = OP_SEED;
		err = parse_ulong(entry + 5, &seed);
		if (err)
			*error = g_strdup_printf("bad seed '%s'", entry + 5);
		op->seed = seed;
		return err;
	}
	if (!strncmp(entry, "crash:", 6)) {
		op->kind = OP_CRASH;
		return parse_crash(entry + 6, &op->crash, error);
	}
	if (!strncmp(entry, "watchdog:", 9)) {
		op->kind = OP_WATCHDOG;
		return parse_watchdog(entry + 9, &op->wd, error);
	}
	op->kind = OP_POINT;
	colon = strchr(entry, ':');
	if (colon)
		*colon = '\0';
	p = find_point(entry);
	if (p < 0) {
		*error = g_strdup_printf("unknown fault point '%.64s%s' (points: %s)",
					 entry, strlen(entry) > 64 ? "..." : "",
					 umd_emu_fault_point_names());
		return -EINVAL;
	}
	if (!colon || !colon[1]) {
		*error = g_strdup_printf("%s: say how it fails: nth=N, probability=P,interval=I,times=T, or off",
					 entry);
		return -EINVAL;
	}
	op->point = p;
	return parse_point(&point_table[p], colon + 1, &op->attr, error);
}

static void apply(const struct fault_op *ops, int n)
{
	int i;

	umd_emu_fault_lock();
	for (i = 0; i < n; i++) {
		switch (ops[i].kind) {
		case OP_RESET:
			umd_emu_fault_reset_locked();
			umd_emu_umd_reset();
			break;
		case OP_SEED:
			umd_emu_fault_seed_locked(ops[i].seed);
			break;
		case OP_POINT:
			umd_emu_fault_set_locked(ops[i].point, &ops[i].attr);
			break;
		case OP_CRASH:
			umd_emu_crash_add(&ops[i].crash);
			break;
		case OP_WATCHDOG:
			umd_emu_watchdog_set(&ops[i].wd);
			break;
		}
	}
	umd_emu_fault_unlock();
}

int umd_emu_fault_configure(const char *spec, char **error)
{
	struct fault_op *ops;
	char **entries, *entry;
	uint64_t seed;
	int i, n = 0, err = 0;

	*error = NULL;
	entries = g_strsplit_set(spec, ";\n", -1);
	ops = g_new0(struct fault_op, g_strv_length(entries) + 1);
	/* All or nothing: check every entry before applying any. */
	for (i = 0; entries[i] && !err; i++) {
		entry = g_strstrip(entries[i]);
		if (!*entry)
			continue;
		err = parse_entry(entry, &ops[n], error);
		if (!err)
			n++;
	}
	if (!err && !n) {
		*error = g_strdup("empty setting");
		err = -EINVAL;
	}
	if (!err) {
		apply(ops, n);
		umd_emu_fault_lock();
		seed = umd_emu_fault_seed_locked_get();
		umd_emu_fault_unlock();
		printk(KERN_INFO "FAULT_INJECTION: configured: %s (seed %llu)\n",
		       spec, (unsigned long long)seed);
	}
	g_free(ops);
	g_strfreev(entries);
	return err;
}

void umd_emu_fault_reset(void)
{
	umd_emu_fault_lock();
	umd_emu_fault_reset_locked();
	umd_emu_fault_unlock();
	umd_emu_umd_reset();
}

/*
 * $UMD_EMU_FAULT applies when the emulator is loaded: after the runtime's
 * own set-up (priority 101, printk.c), before main().
 */
__attribute__((constructor(102))) static void fault_setup(void)
{
	const char *spec = getenv("UMD_EMU_FAULT");
	char *error;

	if (!spec || !*spec)
		return;
	if (umd_emu_fault_configure(spec, &error)) {
		fprintf(stderr, "umd-emu: UMD_EMU_FAULT: %s\n",
			error ? error : "invalid");
		g_free(error);
		exit(2);
	}
}
