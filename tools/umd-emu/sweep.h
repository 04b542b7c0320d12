/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu faultsweep: what the built-in scenarios (cmd_faultsweep.c) and
 * the sweep of a user's script (sweep_script.c) share: the table of runs
 * and failures, the run watchdog, the options.
 */
#ifndef UMD_EMU_SWEEP_H
#define UMD_EMU_SWEEP_H

#include <stdbool.h>
#include <string.h>
#include <glib.h>

/*
 * A hang run (a crash with SIGSTOP): the only runs with a request
 * timeout (--watchdog-ms), which ends the hang. Every other run is bounded
 * by the script's --timeout alone: a timeout per request would fail a
 * correct UMD on a slow or busy machine.
 */
static inline bool sweep_is_hang(const char *setting)
{
	return strstr(setting, "signal=STOP") != NULL;
}

/* What a run can break; the table has a column per kind. */
enum inv {
	INV_RESULT,	/* a write returned something else than len or -errno */
	INV_RECOVER,	/* the next request (or script run) with faults off failed */
	INV_FDS,
	INV_CHILDREN,
	INV_MUTEX,
	INV_WARN,
	INV_SANITIZER,
	/* script mode only */
	INV_BUG,	/* a BUG: line in the kernel log */
	INV_MEMFD,	/* a memfd left open after the unload */
	INV_ALIVE,	/* the mount or the control socket did not answer */
	INV_TIMEOUT,	/* the script ran past --timeout and was killed */
	INV_NR
};

extern const char *const sweep_inv_names[INV_NR];

struct row {
	char *name;
	unsigned long runs, fired;
	unsigned long fail[INV_NR];
};

struct sweep {
	GPtrArray *rows;
	GPtrArray *failures;	/* "SETTING: what" */
	int base_fds;
	unsigned long base_sanitizer;
	gboolean verbose;
	int watchdog_ms;
	/* The table's failure columns (NULL: the built-in scenarios'). */
	const enum inv *cols;
	int ncols;
};

struct sweep_opts {
	char *modules, *replay, **points, *scenario;
	gint max_n, nrandom, watchdog_ms;
	gboolean verbose;
	gint64 seed;
	gboolean no_crash, no_faults;
	/* script mode */
	char **modprobe, **drivers, *shard, *table_out;
	gint jobs, timeout_s, max_requests;
	int shard_i, shard_n;
	char **script;		/* SCRIPT [ARGS], or NULL */
};

/* The row called name, made (at the end of the table) if new. */
struct row *sweep_row(struct sweep *sw, const char *name);
/* Record a failure of kind inv of the run under setting. */
void sweep_failed(struct sweep *sw, struct row *r, enum inv inv,
		  const char *setting, const char *fmt, ...) G_GNUC_PRINTF(5, 6);
void sweep_print_table(struct sweep *sw);
/*
 * The failures (the first ten), then "reproduce: LINE" for the first,
 * LINE made by replay_line from the options and its setting (to g_free).
 */
void sweep_print_failures(const struct sweep *sw, const struct sweep_opts *o,
			  char *(*replay_line)(const struct sweep_opts *o,
					       const char *setting));
void sweep_free(struct sweep *sw);
/*
 * The watchdog of the whole sweep: a run (setting) that is still going
 * limit_s seconds after this ends the sweep, naming it; NULL disarms.
 */
void sweep_guard_arm(const char *setting);
void sweep_guard_set_limit(int limit_s);
/* Start the watchdog thread; false if it cannot. */
bool sweep_guard_start(void);

/* The sweep of a user's SCRIPT (sweep_script.c); returns the exit status. */
int sweep_script(struct sweep_opts *o);

#endif /* UMD_EMU_SWEEP_H */
