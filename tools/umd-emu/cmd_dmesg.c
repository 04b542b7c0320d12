// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu dmesg: the kernel log of the enclosing "umd-emu run", with the
 * options of util-linux's dmesg that apply (-C, -c, -l, -T, -w, -W,
 * --since, --until). The options are checked and times resolved here,
 * then sent in a fixed form to the emulator (control.c), which filters,
 * formats and, for --follow, goes on sending new records until the client
 * or the emulator ends.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <glib.h>

#include "umd-emu.h"

static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

/* "err,warn" or "3,4": a bit per level; 0 (and *bad set) on an error. */
static unsigned int parse_levels(const char *list, char **bad)
{
	char **items = g_strsplit(list, ",", -1);
	unsigned int mask = 0;
	int i, l;

	for (i = 0; items[i]; i++) {
		const char *it = items[i];

		l = -1;
		if (it[0] >= '0' && it[0] <= '7' && !it[1])
			l = it[0] - '0';
		for (size_t n = 0; l < 0 && n < G_N_ELEMENTS(level_names); n++)
			if (!strcasecmp(it, level_names[n]))
				l = n;
		if (l < 0) {
			*bad = g_strdup(it);
			mask = 0;
			break;
		}
		mask |= 1u << l;
	}
	if (!items[0])
		*bad = g_strdup("");
	g_strfreev(items);
	return mask;
}

/* A unit of a relative time, in microseconds; 0 if unknown. */
static int64_t unit_usec(const char *u, size_t len)
{
	static const struct {
		const char *name;
		int64_t usec;
	} units[] = {
		{ "us", 1 }, { "usec", 1 }, { "ms", 1000 }, { "msec", 1000 },
		{ "s", 1000000 }, { "sec", 1000000 }, { "second", 1000000 },
		{ "seconds", 1000000 }, { "m", 60000000 }, { "min", 60000000 },
		{ "minute", 60000000 }, { "minutes", 60000000 },
		{ "h", 3600000000LL }, { "hour", 3600000000LL },
		{ "hours", 3600000000LL }, { "d", 86400000000LL },
		{ "day", 86400000000LL }, { "days", 86400000000LL },
		{ "w", 604800000000LL }, { "week", 604800000000LL },
		{ "weeks", 604800000000LL },
	};
	size_t i;

	if (!len)
		return 1000000;		/* seconds */
	for (i = 0; i < G_N_ELEMENTS(units); i++)
		if (strlen(units[i].name) == len &&
		    !strncmp(units[i].name, u, len))
			return units[i].usec;
	return 0;
}

/* "-10s", "+1h 30min": signed microseconds from now; false if malformed. */
static bool parse_relative(const char *s, int64_t *usec)
{
	int sign = *s++ == '-' ? -1 : 1;
	int64_t total = 0, unit;
	const char *u;
	double v;
	char *end;

	if (!*s)
		return false;
	while (*s) {
		while (*s == ' ')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		v = g_ascii_strtod(s, &end);
		for (u = end; isalpha((unsigned char)*end); end++)
			;
		unit = unit_usec(u, end - u);
		if (!unit || v > 1e9)
			return false;
		total += (int64_t)(v * unit);
		s = end;
		while (*s == ' ')
			s++;
	}
	*usec = sign * total;
	return true;
}

/* Local time tm (date and time of day set) as "E<us since the Epoch>". */
static char *wire_local(struct tm *tm)
{
	time_t t;

	tm->tm_isdst = -1;
	t = mktime(tm);
	return t == (time_t)-1 ? NULL :
	       g_strdup_printf("E%lld", (long long)t * 1000000);
}

/*
 * A --since/--until TIME in the form the emulator takes (U, R or E and a
 * number of microseconds: see control.c), or NULL if it is not one of:
 *   SECONDS[.FRACTION]         since the emulator started (dmesg's [...])
 *   -N[UNIT]..., +N[UNIT]...   from now (us, ms, s, min, h, d, w; s if none)
 *   now, today, yesterday
 *   @SECONDS                   since the Epoch
 *   YYYY-MM-DD [HH:MM[:SS]], HH:MM[:SS] (today)   local time
 */
static char *parse_time(const char *s)
{
	static const char *const formats[] = {
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
		"%H:%M:%S", "%H:%M",
	};
	struct tm tm, now_tm;
	time_t now = time(NULL);
	int64_t rel;
	double v;
	char *end;
	size_t i;

	if (!strcmp(s, "now"))
		return g_strdup("R0");
	if (!strcmp(s, "today") || !strcmp(s, "yesterday")) {
		localtime_r(&now, &tm);
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		if (s[0] == 'y')
			tm.tm_mday--;
		return wire_local(&tm);
	}
	if (*s == '-' || *s == '+')
		return parse_relative(s, &rel) ?
		       g_strdup_printf("R%lld", (long long)rel) : NULL;
	if (isdigit((unsigned char)*s) || (*s == '@' && isdigit((unsigned char)s[1]))) {
		v = g_ascii_strtod(s + (*s == '@'), &end);
		if (!*end && v < 1e12)
			return g_strdup_printf("%c%lld", *s == '@' ? 'E' : 'U',
					       (long long)(v * 1e6));
	}
	for (i = 0; i < G_N_ELEMENTS(formats); i++) {
		localtime_r(&now, &now_tm);
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, formats[i], &tm);
		if (!end || *end)
			continue;
		if (formats[i][1] == 'H') {	/* a time of today */
			tm.tm_year = now_tm.tm_year;
			tm.tm_mon = now_tm.tm_mon;
			tm.tm_mday = now_tm.tm_mday;
		}
		return wire_local(&tm);
	}
	return NULL;
}

int cmd_dmesg(int argc, char **argv)
{
	gboolean clear = FALSE, read_clear = FALSE, ctime = FALSE;
	gboolean follow = FALSE, follow_new = FALSE;
	char *level = NULL, *since = NULL, *until = NULL;
	const GOptionEntry entries[] = {
		{ "clear", 'C', 0, G_OPTION_ARG_NONE, &clear,
		  "clear the log (what umd-emu dmesg shows from now on); print nothing",
		  NULL },
		{ "read-clear", 'c', 0, G_OPTION_ARG_NONE, &read_clear,
		  "print the log, then clear what was printed", NULL },
		{ "level", 'l', 0, G_OPTION_ARG_STRING, &level,
		  "print only records of these levels (comma-separated: emerg, alert, crit, err, warn, notice, info, debug, or 0-7)",
		  "LIST" },
		{ "ctime", 'T', 0, G_OPTION_ARG_NONE, &ctime,
		  "print wall-clock times ([Wed Dec  2 03:10:18 2026]) instead of seconds since the emulator started",
		  NULL },
		{ "follow", 'w', 0, G_OPTION_ARG_NONE, &follow,
		  "print the log, then wait for new records and print them, until interrupted or the emulator ends",
		  NULL },
		{ "follow-new", 'W', 0, G_OPTION_ARG_NONE, &follow_new,
		  "as --follow, printing only records logged from now", NULL },
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since,
		  "print only records logged at TIME or later", "TIME" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &until,
		  "print only records logged at TIME or earlier", "TIME" },
		G_OPTION_ENTRY_NULL
	};
	const struct tool_opts opts = {
		.verb = "dmesg",
		.params = "",
		.summary =
		"Print the kernel log of the enclosing 'umd-emu run': the printk\n"
		"output of modules and of the lifecycle library, the emulator's own\n"
		"lines ('umd-emu: ...', 'FAULT_INJECTION: ...') and every line a\n"
		"handler writes to its stderr or /dev/kmsg, as 'NAME[PID]: text'\n"
		"(NAME its driver_name, PID the handler process: the line's level is\n"
		"info, or N for a line starting with '<N>', as for /dev/kmsg; a line\n"
		"still without its newline is logged when the handler ends, a line\n"
		"over 1024 bytes in pieces, each named). Each record is printed as\n"
		"'[SECONDS.MICROSECONDS] text', the time since the emulator started.\n"
		"\n"
		"Levels are the records' own: KERN_* prefixes of printk (pr_err() is\n"
		"err, a printk without one warn), 'umd-emu: ... exited' lines debug.\n"
		"\n"
		"TIME is one of:\n"
		"  SECONDS[.FRACTION]        since the emulator started, as printed\n"
		"  -N[UNIT]..., +N[UNIT]...  from now: -10s, -2min, '-1h 30min'\n"
		"                            (UNIT us, ms, s, min, h, d, w; s if none)\n"
		"  now, today, yesterday\n"
		"  @SECONDS                  since the Epoch (date +%s)\n"
		"  'YYYY-MM-DD[ HH:MM[:SS]]', HH:MM[:SS] (today)   local time\n"
		"\n"
		"--clear and --read-clear, as on a kernel, only move where dmesg\n"
		"starts reading: the records stay for 'umd-emu check' and the report\n"
		"'umd-emu run' prints at its end.",
		.entries = entries,
	};
	GPtrArray *wire;
	unsigned int mask = 0;
	char *bad = NULL, *t;
	int ret = tool_parse_opts(&opts, &argc, &argv);

	if (ret)
		return ret;
	if (argc > 1) {
		ret = tool_usage_error("dmesg", "takes no argument, got '%s'",
				       argv[1]);
		goto out;
	}
	if (clear && (read_clear || follow || follow_new)) {
		ret = tool_usage_error("dmesg", "--clear prints nothing: not with --read-clear, --follow or --follow-new");
		goto out;
	}
	if (follow && follow_new) {
		ret = tool_usage_error("dmesg", "--follow and --follow-new exclude each other");
		goto out;
	}
	wire = g_ptr_array_new_with_free_func(g_free);
	if (level) {
		mask = parse_levels(level, &bad);
		if (!mask) {
			ret = tool_usage_error("dmesg", "unknown level '%s' in --level (emerg, alert, crit, err, warn, notice, info, debug or 0-7)",
					       bad);
			goto out_wire;
		}
		g_ptr_array_add(wire, g_strdup_printf("--level=%u", mask));
	}
	if (since) {
		t = parse_time(since);
		if (!t) {
			ret = tool_usage_error("dmesg", "invalid --since time '%s'",
					       since);
			goto out_wire;
		}
		g_ptr_array_add(wire, g_strdup_printf("--since=%s", t));
		g_free(t);
	}
	if (until) {
		t = parse_time(until);
		if (!t) {
			ret = tool_usage_error("dmesg", "invalid --until time '%s'",
					       until);
			goto out_wire;
		}
		g_ptr_array_add(wire, g_strdup_printf("--until=%s", t));
		g_free(t);
	}
	if (ctime)
		g_ptr_array_add(wire, g_strdup("--ctime"));
	if (clear)
		g_ptr_array_add(wire, g_strdup("--clear"));
	if (read_clear)
		g_ptr_array_add(wire, g_strdup("--read-clear"));
	if (follow)
		g_ptr_array_add(wire, g_strdup("--follow"));
	if (follow_new)
		g_ptr_array_add(wire, g_strdup("--follow-new"));
	ret = ctl_client("dmesg", wire->len, (char **)wire->pdata);
out_wire:
	g_ptr_array_free(wire, TRUE);
out:
	g_free(bad);
	g_free(level);
	g_free(since);
	g_free(until);
	return ret;
}
