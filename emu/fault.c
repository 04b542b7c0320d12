// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: fault injection, modelled on the kernel's framework
 * (Documentation/fault-injection, lib/fault-inject.c): the mechanism.
 *
 * Each point (fault_points.h) has the kernel's knobs: probability
 * (percent), interval (only every Nth call is a candidate), times (how
 * many failures at most, -1 unlimited), plus a deterministic nth mode,
 * like fail-nth: fail the Nth call counted from when the point was armed.
 * Randomness comes from a seeded generator, so a run replays exactly with
 * the same seed and the same sequence of calls. I/O points fail with an
 * error or, with short=N, transfer at most N bytes. Every injected fault
 * is logged as
 *   FAULT_INJECTION: forcing a failure: POINT call N (fired M)
 *
 * The settings ("seed=42; failslab:nth=3; ...") are parsed in
 * fault_config.c, which sets the points through the *_locked calls here.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>

#include "emu.h"
#include "fault.h"

static const char *const point_name[FAULT_NR] = {
#define FAULT_POINT(id, name, kind, err, can_short, help) [id] = name,
#include "fault_points.h"
#undef FAULT_POINT
};

struct fault_state {
	struct umd_emu_fault_attr attr;
	unsigned long calls;		/* since armed */
	unsigned long fired;
};

static struct fault_state points[FAULT_NR];
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

bool umd_emu_should_fail(enum umd_emu_fault_id p, size_t size,
			 struct umd_emu_fault *f)
{
	struct fault_state *s = &points[p];
	struct umd_emu_fault_attr *a = &s->attr;
	unsigned long call, fired = 0;
	bool fail = false;

	if (!__atomic_load_n(&fault_any_armed, __ATOMIC_RELAXED))
		return false;

	pthread_mutex_lock(&fault_lock);
	if (!a->armed) {
		pthread_mutex_unlock(&fault_lock);
		return false;
	}
	call = ++s->calls;
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
		fired = ++s->fired;
		f->error = a->short_len ? 0 : a->error;
		f->short_len = a->short_len;
	}
	pthread_mutex_unlock(&fault_lock);

	if (fail) {
		if (f->short_len)
			printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure: %s call %lu (fired %lu): short transfer of %zu of %zu bytes\n",
			       point_name[p], call, fired, f->short_len, size);
		else
			printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure: %s call %lu (fired %lu): error %d\n",
			       point_name[p], call, fired, f->error);
	}
	return fail;
}

void umd_emu_fault_lock(void)
{
	pthread_mutex_lock(&fault_lock);
}

void umd_emu_fault_unlock(void)
{
	bool any = false;
	int i;

	for (i = 0; i < FAULT_NR; i++)
		any |= points[i].attr.armed;
	__atomic_store_n(&fault_any_armed, any, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&fault_lock);
}

void umd_emu_fault_set_locked(enum umd_emu_fault_id p,
			      const struct umd_emu_fault_attr *attr)
{
	if (!attr->armed) {
		/* "off": how it was set and what it did stay visible. */
		points[p].attr.armed = false;
		return;
	}
	points[p].attr = *attr;
	points[p].calls = 0;
}

void umd_emu_fault_reset_locked(void)
{
	int i;

	for (i = 0; i < FAULT_NR; i++) {
		points[i].attr.armed = false;
		points[i].calls = 0;
		points[i].fired = 0;
	}
}

void umd_emu_fault_seed_locked(uint64_t seed)
{
	fault_seed = seed;
	fault_rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

uint64_t umd_emu_fault_seed_locked_get(void)
{
	return fault_seed;
}

int umd_emu_fault_foreach(umd_emu_fault_fn fn, void *data)
{
	struct umd_emu_fault_info info;
	int i, ret = 0;

	pthread_mutex_lock(&fault_lock);
	for (i = 0; i < FAULT_NR && !ret; i++) {
		const struct umd_emu_fault_attr *a = &points[i].attr;

		info.name = point_name[i];
		info.armed = a->armed;
		info.calls = points[i].calls;
		info.fired = points[i].fired;
		info.nth = a->nth;
		info.probability = a->probability_bp / 100.0;
		info.interval = a->interval;
		info.times = a->times;
		info.error = a->error;
		info.short_len = a->short_len;
		ret = fn(&info, data);
	}
	pthread_mutex_unlock(&fault_lock);
	return ret;
}

unsigned long umd_emu_fault_fired(const char *point)
{
	unsigned long n = 0;
	int i;

	pthread_mutex_lock(&fault_lock);
	for (i = 0; i < FAULT_NR; i++)
		if (!strcmp(point_name[i], point))
			n = points[i].fired;
	pthread_mutex_unlock(&fault_lock);
	return n;
}
