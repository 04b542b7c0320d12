// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: fault injection, modelled on the kernel's framework
 * (Documentation/fault-injection, lib/fault-inject.c).
 *
 * Each named point has the kernel's knobs: probability (percent), interval
 * (only every Nth call is a candidate), times (how many failures at most,
 * -1 unlimited), plus a deterministic nth mode, like fail-nth: fail the Nth
 * call counted from when the point was armed. Randomness comes from a
 * seeded generator, so a run replays exactly with the same seed and the
 * same sequence of calls. I/O points fail with an error or, with short=N,
 * transfer at most N bytes. Every injected fault is logged as
 *   FAULT_INJECTION: forcing a failure: POINT call N (fired M)
 *
 * Configuration is a string, from $UMD_EMU_FAULT at start-up or
 * umd_emu_fault_configure() (umd-emu fault) at run time:
 *   seed=42; failslab:nth=3; fail_kernel_read:probability=10,times=5,short=1
 * Entries are separated by ';' or newlines; "POINT:off" disarms a point,
 * "reset" disarms everything and zeroes the counters.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <linux/kernel.h>

#include "emu.h"
#include "fault.h"
#include "internal.h"

struct fault_attr {
	const char *name;
	int default_error;
	bool can_short;
	/* configuration */
	bool armed;
	unsigned int probability_bp;	/* basis points: 10000 = always */
	unsigned long interval;
	long times;
	unsigned long nth;
	int error;
	size_t short_len;
	/* state */
	unsigned long calls;		/* since armed */
	unsigned long fired;
};

static struct fault_attr attrs[FAULT_NR] = {
	[FAULT_SLAB] = { "failslab", -ENOMEM, false },
	[FAULT_COPY_FROM_USER] = { "fail_copy_from_user", -EFAULT, true },
	[FAULT_COPY_TO_USER] = { "fail_copy_to_user", -EFAULT, true },
	[FAULT_KERNEL_WRITE] = { "fail_kernel_write", -EIO, true },
	[FAULT_KERNEL_READ] = { "fail_kernel_read", -EIO, true },
	[FAULT_PIPE] = { "fail_pipe", -EMFILE, false },
	[FAULT_FORK] = { "fail_fork", -EAGAIN, false },
	[FAULT_EXEC] = { "fail_exec", -ENOEXEC, false },
	[FAULT_MEMFD] = { "fail_memfd", -ENOMEM, false },
	[FAULT_REQUEST_MODULE] = { "fail_request_module", -ENOENT, false },
	[FAULT_MODULE_INIT] = { "fail_module_init", -ENOMEM, false },
};

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static bool fault_any_armed;
static uint64_t fault_seed = 1;
static uint64_t fault_rng = 1;

/* xorshift64*: small, seedable, the same everywhere. */
static uint64_t fault_random(void)
{
	fault_rng ^= fault_rng >> 12;
	fault_rng ^= fault_rng << 25;
	fault_rng ^= fault_rng >> 27;
	return fault_rng * 0x2545f4914f6cdd1dULL;
}

static void fault_seed_set(uint64_t seed)
{
	fault_seed = seed;
	fault_rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

bool umd_emu_should_fail(enum umd_emu_fault_point p, size_t size,
			 struct umd_emu_fault *f)
{
	struct fault_attr *a = &attrs[p];
	unsigned long call;
	bool fail = false;

	if (!__atomic_load_n(&fault_any_armed, __ATOMIC_RELAXED))
		return false;

	pthread_mutex_lock(&fault_lock);
	if (!a->armed) {
		pthread_mutex_unlock(&fault_lock);
		return false;
	}
	call = ++a->calls;
	if (a->nth) {
		fail = call == a->nth;
	} else if (a->times != 0) {
		fail = true;
		if (a->interval > 1 && call % a->interval)
			fail = false;
		if (fail && a->probability_bp < 10000 &&
		    fault_random() % 10000 >= a->probability_bp)
			fail = false;
		if (fail && a->times > 0)
			a->times--;
	}
	/* A short transfer of the whole size is no fault. */
	if (fail && a->short_len && size && a->short_len >= size)
		fail = false;
	if (fail) {
		a->fired++;
		f->error = a->short_len ? 0 : a->error;
		f->short_len = a->short_len;
	}
	pthread_mutex_unlock(&fault_lock);

	if (fail) {
		if (f->short_len)
			printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure: %s call %lu (fired %lu): short transfer of %zu of %zu bytes\n",
			       a->name, call, a->fired, f->short_len, size);
		else
			printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure: %s call %lu (fired %lu): error %d\n",
			       a->name, call, a->fired, f->error);
	}
	return fail;
}

static struct fault_attr *find_attr(const char *name)
{
	int i;

	for (i = 0; i < FAULT_NR; i++)
		if (!strcmp(attrs[i].name, name))
			return &attrs[i];
	return NULL;
}

/* "failslab fail_copy_from_user ...": for messages (set up at start). */
static char point_names[512];

static const char *point_list(void)
{
	return point_names;
}

static void arm(struct fault_attr *a)
{
	a->armed = true;
	a->probability_bp = 10000;
	a->interval = 1;
	a->times = -1;
	a->nth = 0;
	a->error = a->default_error;
	a->short_len = 0;
	a->calls = 0;
}

static void update_any_armed(void)
{
	bool any = false;
	int i;

	for (i = 0; i < FAULT_NR; i++)
		any |= attrs[i].armed;
	__atomic_store_n(&fault_any_armed, any, __ATOMIC_RELAXED);
}

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
	if (*end || !*v || n == 0 || n < -4095 || n > 4095)
		return -EINVAL;
	*error = n > 0 ? -n : n;
	return 0;
}

static int parse_ulong(const char *v, unsigned long *out)
{
	char *end;

	if (!*v || *v == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoul(v, &end, 0);
	return *end || errno ? -EINVAL : 0;
}

/*
 * "POINT:key=v,key=v" into *new (a copy of the point, armed); nothing
 * changes until the whole setting has been checked.
 */
static int parse_point(const struct fault_attr *a, const char *params,
		       struct fault_attr *new, char **error)
{
	char **kvs, *key, *val, *end;
	unsigned long n;
	double pct;
	int i, err = 0;

	*new = *a;
	if (!strcmp(params, "off")) {
		new->armed = false;
		return 0;
	}
	arm(new);
	kvs = g_strsplit(params, ",", -1);
	for (i = 0; kvs[i] && !err; i++) {
		key = g_strstrip(kvs[i]);
		if (!*key)
			continue;
		val = strchr(key, '=');
		if (!val) {
			*error = g_strdup_printf("%s: '%s' is not key=value",
						 a->name, key);
			err = -EINVAL;
			break;
		}
		*val++ = '\0';
		if (!strcmp(key, "probability")) {
			pct = strtod(val, &end);
			if (*end || !*val || !isfinite(pct) || pct < 0 ||
			    pct > 100)
				err = -EINVAL;
			else
				new->probability_bp = pct * 100 + 0.5;
		} else if (!strcmp(key, "interval")) {
			err = parse_ulong(val, &n);
			new->interval = n;
		} else if (!strcmp(key, "times")) {
			if (!strcmp(val, "-1")) {
				new->times = -1;
			} else {
				err = parse_ulong(val, &n);
				if (!err && n > LONG_MAX)
					err = -EINVAL;
				new->times = n;
			}
		} else if (!strcmp(key, "nth")) {
			err = parse_ulong(val, &n);
			if (!err && !n)
				err = -EINVAL;
			new->nth = n;
		} else if (!strcmp(key, "error")) {
			err = parse_errno(val, &new->error);
		} else if (!strcmp(key, "short") && a->can_short) {
			err = parse_ulong(val, &n);	/* 0: no, error= */
			new->short_len = n;
		} else {
			*error = g_strdup_printf("%s: unknown setting '%s'%s",
						 a->name, key,
						 !strcmp(key, "short") ?
						 " (not an I/O point)" : "");
			err = -EINVAL;
			break;
		}
		if (err && !*error)
			*error = g_strdup_printf("%s: bad value '%s' for %s",
						 a->name, val, key);
	}
	g_strfreev(kvs);
	return err;
}

static void reset_locked(void)
{
	int i;

	for (i = 0; i < FAULT_NR; i++) {
		attrs[i].armed = false;
		attrs[i].calls = 0;
		attrs[i].fired = 0;
	}
}

/* One entry of a setting, checked and ready to apply. */
struct fault_op {
	enum { OP_RESET, OP_SEED, OP_POINT, OP_UMD } kind;
	uint64_t seed;
	struct fault_attr *point;
	struct fault_attr attr;
	struct umd_emu_umd_setting *umd;
};

static int parse_entry(char *entry, struct fault_op *op, char **error)
{
	unsigned long seed;
	char *colon;
	int err;

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
	if (!strncmp(entry, "crash:", 6) || !strncmp(entry, "watchdog:", 9)) {
		op->kind = OP_UMD;
		return umd_emu_umd_parse(entry, &op->umd, error);
	}
	op->kind = OP_POINT;
	colon = strchr(entry, ':');
	if (colon)
		*colon = '\0';
	op->point = find_attr(entry);
	if (!op->point) {
		*error = g_strdup_printf("unknown fault point '%.64s%s' (points: %s)",
					 entry, strlen(entry) > 64 ? "..." : "",
					 point_list());
		return -EINVAL;
	}
	if (!colon || !colon[1]) {
		*error = g_strdup_printf("%s: say how it fails: nth=N, probability=P,interval=I,times=T, or off",
					 entry);
		return -EINVAL;
	}
	return parse_point(op->point, colon + 1, &op->attr, error);
}

int umd_emu_fault_configure(const char *spec, char **error)
{
	struct fault_op *ops;
	char **entries, *entry;
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
	if (err) {
		for (i = 0; i < n; i++)
			umd_emu_umd_setting_free(ops[i].umd);
		goto out;
	}
	pthread_mutex_lock(&fault_lock);
	for (i = 0; i < n; i++) {
		switch (ops[i].kind) {
		case OP_RESET:
			reset_locked();
			umd_emu_umd_reset();
			break;
		case OP_SEED:
			fault_seed_set(ops[i].seed);
			break;
		case OP_POINT:
			*ops[i].point = ops[i].attr;
			break;
		case OP_UMD:
			umd_emu_umd_apply(ops[i].umd);
			break;
		}
	}
	update_any_armed();
	pthread_mutex_unlock(&fault_lock);
	printk(KERN_INFO "FAULT_INJECTION: configured: %s (seed %llu)\n",
	       spec, (unsigned long long)fault_seed);
out:
	g_free(ops);
	g_strfreev(entries);
	return err;
}

void umd_emu_fault_reset(void)
{
	pthread_mutex_lock(&fault_lock);
	reset_locked();
	update_any_armed();
	pthread_mutex_unlock(&fault_lock);
	umd_emu_umd_reset();
}

int umd_emu_fault_foreach(umd_emu_fault_fn fn, void *data)
{
	struct umd_emu_fault_info info;
	int i, ret = 0;

	pthread_mutex_lock(&fault_lock);
	for (i = 0; i < FAULT_NR && !ret; i++) {
		info.name = attrs[i].name;
		info.armed = attrs[i].armed;
		info.calls = attrs[i].calls;
		info.fired = attrs[i].fired;
		info.nth = attrs[i].nth;
		info.probability = attrs[i].probability_bp / 100.0;
		info.interval = attrs[i].interval;
		info.times = attrs[i].times;
		info.error = attrs[i].error;
		info.short_len = attrs[i].short_len;
		ret = fn(&info, data);
	}
	pthread_mutex_unlock(&fault_lock);
	return ret;
}

unsigned long umd_emu_fault_fired(const char *point)
{
	struct fault_attr *a;
	unsigned long n = 0;

	pthread_mutex_lock(&fault_lock);
	a = find_attr(point);
	if (a)
		n = a->fired;
	pthread_mutex_unlock(&fault_lock);
	return n;
}

const char *const *umd_emu_fault_points(void)
{
	static const char *names[FAULT_NR + 1];
	int i;

	for (i = 0; i < FAULT_NR; i++)
		names[i] = attrs[i].name;
	return names;
}

__attribute__((constructor(102))) static void fault_setup(void)
{
	const char *spec = getenv("UMD_EMU_FAULT");
	size_t len = 0;
	char *error;
	int i;

	for (i = 0; i < FAULT_NR; i++)
		len += snprintf(point_names + len, sizeof(point_names) - len,
				"%s%s", i ? " " : "", attrs[i].name);

	if (!spec || !*spec)
		return;
	if (umd_emu_fault_configure(spec, &error)) {
		fprintf(stderr, "umd-emu: UMD_EMU_FAULT: %s\n",
			error ? error : "invalid");
		g_free(error);
		exit(2);
	}
}
