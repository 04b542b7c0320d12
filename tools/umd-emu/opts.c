// SPDX-License-Identifier: GPL-2.0
/* The umd-emu command: option parsing and error messages (opts.h). */
#include <stdarg.h>
#include <stdio.h>

#include "opts.h"

void tool_error(const char *fmt, ...)
{
	va_list args;

	fputs("umd-emu: ", stderr);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
}

int tool_usage_error(const char *verb, const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "umd-emu: %s: ", verb);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, " (see 'umd-emu %s --help')\n", verb);
	return 2;
}

int tool_parse_opts(const struct tool_opts *o, int *argc, char ***argv)
{
	GOptionContext *ctx = g_option_context_new(o->params);
	GError *err = NULL;
	int ret = 0;

	g_option_context_set_summary(ctx, o->summary);
	if (o->entries)
		g_option_context_add_main_entries(ctx, o->entries, NULL);
	g_option_context_set_strict_posix(ctx, o->strict_posix);
	if (!g_option_context_parse(ctx, argc, argv, &err)) {
		ret = tool_usage_error(o->verb, "%s", err->message);
		g_error_free(err);
	}
	g_option_context_free(ctx);
	return ret;
}
