// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu sockopt get|set OPTNAME: a setsockopt/getsockopt(SOL_IP) call in
 * bpfilter's range, made by this process with its own buffer, delivered to
 * the enclosing "umd-emu run" as the network stack would deliver it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sockopt.h"
#include "umd-emu.h"

/* The call asked for on the command line. */
struct sockopt_args {
	char *data_file;	/* --data, or NULL */
	gint len;		/* --len, or G_MININT: unset */
	const char *verb;	/* "get" or "set" */
	int is_set, optname;
};

/* Parse and check the command line; 0, or the exit status. */
static int parse_sockopt_args(int argc, char **argv, struct sockopt_args *a)
{
	const GOptionEntry entries[] = {
		{ "data", 'd', 0, G_OPTION_ARG_FILENAME, &a->data_file,
		  "optval: the bytes of FILE (set; get: its size)", "FILE" },
		{ "len", 'l', 0, G_OPTION_ARG_INT, &a->len,
		  "optlen (default: the size of --data, or 0)", "N" },
		G_OPTION_ENTRY_NULL
	};
	const struct tool_opts opts = {
		.verb = "sockopt",
		.params = "get|set OPTNAME",
		.summary =
		"Call getsockopt/setsockopt(SOL_IP, OPTNAME) on an IPv4 socket, as\n"
		"bpfilter's range (set: 64-65, get: 64-67) reaches the emulated kernel:\n"
		"this process's pid and the address of its own optval buffer go to\n"
		"bpfilter's sockopt front end, whose result is printed (a negative\n"
		"errno is also the exit status 1). Loads bpfilter_sockopt (built into a\n"
		"real kernel); the first call loads the module \"bpfilter\".",
		.entries = entries,
	};
	int ret = tool_parse_opts(&opts, &argc, &argv);
	char *end;

	if (ret)
		return ret;
	if (argc != 3 || (strcmp(argv[1], SOCKOPT_GET) &&
			  strcmp(argv[1], SOCKOPT_SET)))
		return tool_usage_error("sockopt", "expected get|set OPTNAME");
	if (a->len != G_MININT && a->len < 0) {
		tool_error("sockopt: --len takes a length of 0 or more, not %d",
			   a->len);
		return 2;
	}
	a->verb = argv[1];
	a->is_set = !strcmp(argv[1], SOCKOPT_SET);
	a->optname = strtol(argv[2], &end, 0);
	if (*end || !*argv[2]) {
		tool_error("sockopt: OPTNAME must be a number, not '%s'", argv[2]);
		return 2;
	}
	if (!sockopt_in_range(a->is_set, a->optname)) {
		tool_error("sockopt: %d is not in bpfilter's %s range (%d-%d)",
			   a->optname, argv[1],
			   a->is_set ? SOCKOPT_SET_FIRST : SOCKOPT_GET_FIRST,
			   (a->is_set ? SOCKOPT_SET_END : SOCKOPT_GET_END) - 1);
		return 2;
	}
	return 0;
}

/* Make the call through the emulator at control; the exit status. */
static int sockopt_run(const char *control, struct sockopt_args *a)
{
	char *data = NULL;
	GError *err = NULL;
	gsize size = 0;
	long result = 0;
	const char *why;
	int ret;

	if (a->data_file &&
	    !g_file_get_contents(a->data_file, &data, &size, &err)) {
		tool_error("sockopt: %s", err->message);
		g_error_free(err);
		return 1;
	}
	if (a->len == G_MININT)
		a->len = size;
	if (!data)
		data = g_malloc0(a->len ? a->len : 1);

	ret = sockopt_call(control, a->is_set, a->optname, data, a->len,
			   &result, &why);
	g_free(data);
	if (ret) {
		tool_error("sockopt: %s: %s", why, g_strerror(-ret));
		return 1;
	}
	if (result < 0) {
		printf("%ssockopt(SOL_IP, %d) = -1, errno %ld (%s)\n", a->verb,
		       a->optname, -result, g_strerror(-result));
		return 1;
	}
	printf("%ssockopt(SOL_IP, %d) = %ld\n", a->verb, a->optname, result);
	return 0;
}

int cmd_sockopt(int argc, char **argv)
{
	struct sockopt_args a = { .len = G_MININT };
	const char *control = g_getenv(CTL_ENV);
	int ret;

	ret = parse_sockopt_args(argc, argv, &a);
	if (!ret && (!control || !*control)) {
		tool_error("sockopt: not inside 'umd-emu run' ($%s is not set)",
			   CTL_ENV);
		ret = 1;
	}
	if (!ret)
		ret = sockopt_run(control, &a);
	g_free(a.data_file);
	return ret;
}
