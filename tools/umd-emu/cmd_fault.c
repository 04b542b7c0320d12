// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu fault [SETTING...|reset]: show or set the fault injection of the
 * enclosing "umd-emu run" (sent to its emulator), or, with --list, print
 * the fault points. Every list of the points comes from the emulator's
 * table (emu/fault_points.h), never written out by hand.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "emu.h"
#include "umd-emu.h"

char *tool_fault_point_list(const char *lead, const char *tail, int width)
{
	const struct umd_emu_fault_point *p = umd_emu_fault_point_table();
	GString *s = g_string_new(lead);
	size_t line = 0;		/* where the current line starts */
	size_t word;
	int i;

	for (i = 0; p[i].name; i++) {
		word = strlen(p[i].name) + (p[i + 1].name ? 0 : strlen(tail));
		if (s->len > line &&
		    s->len - line + 1 + word > (size_t)width) {
			g_string_append_c(s, '\n');
			line = s->len;
		} else if (s->len > line) {
			g_string_append_c(s, ' ');
		}
		g_string_append(s, p[i].name);
	}
	g_string_append(s, tail);
	return g_string_free(s, FALSE);
}

/* umd-emu fault --list: one line a point. */
static void print_points(void)
{
	const struct umd_emu_fault_point *p = umd_emu_fault_point_table();
	int i;

	printf("%-22s %-10s %-6s %s\n", "POINT", "KIND", "SHORT=", "FAILS");
	for (i = 0; p[i].name; i++)
		printf("%-22s %-10s %-6s %s\n", p[i].name, p[i].kind,
		       p[i].takes_short ? "yes" : "no", p[i].help);
}

int cmd_fault(int argc, char **argv)
{
	gboolean list = FALSE;
	const GOptionEntry entries[] = {
		{ "list", 0, 0, G_OPTION_ARG_NONE, &list,
		  "list the fault points: name, kind, whether short= applies, what fails",
		  NULL },
		G_OPTION_ENTRY_NULL
	};
	char *points = tool_fault_point_list("POINT:", ".", 58);
	char *summary = g_strdup_printf(
		"Show the fault injection state (no argument), or apply\n"
		"settings, each a word or ';'-separated:\n"
		"  seed=N                  seed of the random decisions\n"
		"  POINT:nth=N             fail the Nth call from now\n"
		"  POINT:probability=P,interval=I,times=T,error=E,short=S\n"
		"  POINT:off               disarm one point\n"
		"  crash:driver=NAME,nth=N,at=before|request|request-end|reply,\n"
		"        offset=K,signal=KILL|SEGV|ABRT|TERM|BUS|STOP|EXIT,\n"
		"        status=S,times=T      (driver= is required)\n"
		"  watchdog:[driver=NAME,]timeout_ms=N,hung_ms=M\n"
		"                          (at least one time; 0 turns it off)\n"
		"  reset                   disarm everything\n"
		"A setting is checked whole: on any error nothing changes.\n"
		"%s\n"
		"The same settings can be given in $UMD_EMU_FAULT.", points);
	const struct tool_opts opts = {
		.verb = "fault",
		.params = "[SETTING...|reset]",
		.summary = summary,
		.entries = entries,
	};
	int ret = tool_parse_opts(&opts, &argc, &argv);

	g_free(summary);
	g_free(points);
	if (ret)
		return ret;
	if (list) {
		if (argc > 1)
			return tool_usage_error("fault",
						"--list takes no SETTING");
		print_points();
		return 0;
	}
	if (argc - 1 > 64)
		return tool_usage_error("fault", "expected %s",
					"[SETTING...|reset]");
	return ctl_client("fault", argc - 1, argv + 1);
}
