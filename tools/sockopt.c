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

int cmd_sockopt(int argc, char **argv)
{
	char *data_file = NULL, *data = NULL;
	gint len = G_MININT;	/* unset */
	GOptionEntry entries[] = {
		{ "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_file,
		  "optval: the bytes of FILE (set; get: its size)", "FILE" },
		{ "len", 'l', 0, G_OPTION_ARG_INT, &len,
		  "optlen (default: the size of --data, or 0)", "N" },
		G_OPTION_ENTRY_NULL
	};
	const char *control = g_getenv(CTL_ENV), *why;
	GOptionContext *ctx;
	GError *err = NULL;
	gsize size = 0;
	long result = 0;
	int optname, is_set, ret;
	char *end;

	ctx = g_option_context_new("get|set OPTNAME");
	g_option_context_set_summary(ctx,
		"Call getsockopt/setsockopt(SOL_IP, OPTNAME) on an IPv4 socket, as\n"
		"bpfilter's range (set: 64-65, get: 64-67) reaches the emulated kernel:\n"
		"this process's pid and the address of its own optval buffer go to\n"
		"bpfilter's sockopt front end, whose result is printed (a negative\n"
		"errno is also the exit status 1). Loads bpfilter_sockopt (built into a\n"
		"real kernel); the first call loads the module \"bpfilter\".");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		tool_error("sockopt: %s (see 'umd-emu sockopt --help')",
			   err->message);
		g_error_free(err);
		g_option_context_free(ctx);
		return 2;
	}
	g_option_context_free(ctx);
	if (argc != 3 || (strcmp(argv[1], "get") && strcmp(argv[1], "set"))) {
		tool_error("sockopt: expected get|set OPTNAME (see 'umd-emu sockopt --help')");
		return 2;
	}
	if (len != G_MININT && len < 0) {
		tool_error("sockopt: --len takes a length of 0 or more, not %d",
			   len);
		g_free(data_file);
		return 2;
	}
	is_set = !strcmp(argv[1], "set");
	optname = strtol(argv[2], &end, 0);
	if (*end || !*argv[2]) {
		tool_error("sockopt: OPTNAME must be a number, not '%s'", argv[2]);
		return 2;
	}
	if (is_set ? optname < SOCKOPT_SET_FIRST || optname >= SOCKOPT_SET_END :
		     optname < SOCKOPT_GET_FIRST || optname >= SOCKOPT_GET_END) {
		tool_error("sockopt: %d is not in bpfilter's %s range (%d-%d)",
			   optname, argv[1],
			   is_set ? SOCKOPT_SET_FIRST : SOCKOPT_GET_FIRST,
			   (is_set ? SOCKOPT_SET_END : SOCKOPT_GET_END) - 1);
		return 2;
	}
	if (!control || !*control) {
		tool_error("sockopt: not inside 'umd-emu run' ($%s is not set)",
			   CTL_ENV);
		return 1;
	}
	if (data_file && !g_file_get_contents(data_file, &data, &size, &err)) {
		tool_error("sockopt: %s", err->message);
		g_error_free(err);
		return 1;
	}
	if (len == G_MININT)
		len = size;
	if (!data)
		data = g_malloc0(len ? len : 1);

	ret = sockopt_call(control, is_set, optname, data, len, &result, &why);
	if (ret) {
		tool_error("sockopt: %s: %s", why, g_strerror(-ret));
		g_free(data);
		g_free(data_file);
		return 1;
	}
	if (result < 0) {
		printf("%ssockopt(SOL_IP, %d) = -1, errno %ld (%s)\n", argv[1],
		       optname, -result, g_strerror(-result));
		ret = 1;
	} else {
		printf("%ssockopt(SOL_IP, %d) = %ld\n", argv[1], optname, result);
	}
	g_free(data);
	g_free(data_file);
	return ret;
}
