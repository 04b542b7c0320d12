/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu runtime: crashes and watchdogs on a UMD's pipes, the mechanism
 * (umd_inject.c). Private to the runtime: "crash:..." and "watchdog:..."
 * settings are parsed in fault_config.c.
 */
#ifndef UMD_EMU_UMD_INJECT_H
#define UMD_EMU_UMD_INJECT_H

#include <stddef.h>

/* Where in a request a crash happens (crash:at=...). */
enum crash_place { CRASH_BEFORE, CRASH_REQUEST, CRASH_REQUEST_END,
		   CRASH_REPLY };

/* signal=EXIT: not a signal, an exit_group() made by the handler. */
#define CRASH_EXIT (-1)

/* Longest driver name a setting takes, NUL included. */
#define UMD_EMU_DRIVER_LEN 64

struct crash_cfg {
	char driver[UMD_EMU_DRIVER_LEN];
	int status;		/* exit status for CRASH_EXIT */
	unsigned long nth;	/* which request, counted from arming */
	unsigned long seen;	/* requests seen since arming */
	enum crash_place place;
	size_t offset;
	int sig;
	long times;		/* crashes left, -1 = unlimited */
	char setting[160];	/* as given, for status */
	unsigned long fired;	/* crashes it made */
};

struct watchdog_cfg {
	char driver[UMD_EMU_DRIVER_LEN];	/* "": every driver */
	long timeout_ms;	/* -1: not given, the default stays */
	long hung_ms;		/* -1: not given */
};

/* Arm a crash; set driver's watchdog (replacing its previous one). */
void umd_emu_crash_add(const struct crash_cfg *c);
void umd_emu_watchdog_set(const struct watchdog_cfg *w);
/* Disarm every crash and watchdog; zero the crash count. */
void umd_emu_umd_reset(void);

#endif /* UMD_EMU_UMD_INJECT_H */
