/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu runtime: fault injection points, the mechanism (see fault.c).
 * Private to the runtime: the settings grammar is fault_config.c, front
 * ends configure it through emu.h.
 */
#ifndef UMD_EMU_FAULT_H
#define UMD_EMU_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum umd_emu_fault_id {
#define FAULT_POINT(id, name, kind, err, can_short, help) id,
#include "fault_points.h"
#undef FAULT_POINT
	FAULT_NR
};

/* What a firing point asks the caller to do. */
struct umd_emu_fault {
	int error;		/* negative errno to fail with, or 0 */
	size_t short_len;	/* transfer at most this many bytes, or 0 */
};

/*
 * Count a call of point p; true if it must fail this time (*f says how).
 * Every firing is logged in the kernel log with the point and call number.
 */
bool umd_emu_should_fail(enum umd_emu_fault_id p, size_t size,
			 struct umd_emu_fault *f);

/* How a point fails, as "POINT:..." sets it (fault_config.c). */
struct umd_emu_fault_attr {
	bool armed;
	unsigned int probability_bp;	/* basis points: 10000 = always */
	unsigned long interval;
	long times;			/* -1: unlimited */
	unsigned long nth;		/* 0: use probability/interval/times */
	int error;
	size_t short_len;
};

/*
 * A setting changes several things at once: between lock and unlock no
 * point fires. Arming a point restarts its call count; "off" keeps the
 * counts; reset disarms every point and zeroes the counts.
 */
void umd_emu_fault_lock(void);
void umd_emu_fault_unlock(void);
void umd_emu_fault_set_locked(enum umd_emu_fault_id p,
			      const struct umd_emu_fault_attr *attr);
void umd_emu_fault_reset_locked(void);
void umd_emu_fault_seed_locked(uint64_t seed);
uint64_t umd_emu_fault_seed_locked_get(void);

#endif /* UMD_EMU_FAULT_H */
