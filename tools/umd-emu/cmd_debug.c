// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu debug DRIVER --gdb|--strace[=ARGS]|--valgrind[=ARGS]|--off: the
 * next handler of DRIVER in the enclosing "umd-emu run" starts stopped for
 * gdb, or under strace or valgrind (emu/umd_debug.c). Sent to the emulator
 * as the setting "DRIVER:TOOL[=ARGS]" (control.c), which waits for the
 * start unless --no-wait.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "umd-emu.h"

static char *tool, *tool_args;

static gboolean take_tool(const char *name, const char *value, gpointer data,
			  GError **error)
{
	(void)data;
	if (value && (!strcmp(name, "--gdb") || !strcmp(name, "--off"))) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "%s takes no ARGS", name);
		return FALSE;
	}
	if (tool) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "one of --gdb, --strace, --valgrind or --off");
		return FALSE;
	}
	tool = g_strdup(name + 2);	/* "--strace" */
	tool_args = g_strdup(value);
	return TRUE;
}

int cmd_debug(int argc, char **argv)
{
	gboolean no_wait = FALSE;
	const GOptionEntry entries[] = {
		/* Optional ARG only to refuse --gdb=X (NO_ARG drops it). */
		{ "gdb", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK,
		  take_tool,
		  "start it stopped before its first instruction, for gdb -p (prints the command)",
		  NULL },
		{ "strace", 0, G_OPTION_FLAG_OPTIONAL_ARG,
		  G_OPTION_ARG_CALLBACK, take_tool,
		  "run it under strace -f ARGS (its output in the kernel log)",
		  "ARGS" },
		{ "valgrind", 0, G_OPTION_FLAG_OPTIONAL_ARG,
		  G_OPTION_ARG_CALLBACK, take_tool,
		  "run it under valgrind --tool=memcheck ARGS (its report in the kernel log)",
		  "ARGS" },
		{ "off", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK,
		  take_tool, "disarm what was set for DRIVER", NULL },
		{ "no-wait", 'n', 0, G_OPTION_ARG_NONE, &no_wait,
		  "return at once instead of waiting for the handler to start (the command to attach is in the kernel log then)",
		  NULL },
		G_OPTION_ENTRY_NULL
	};
	const struct tool_opts opts = {
		.verb = "debug",
		.params = "[DRIVER --gdb|--strace[=ARGS]|--valgrind[=ARGS]|--off]",
		.summary =
		"Start the next handler of DRIVER (its driver_name, e.g. sample_umh)\n"
		"in the enclosing 'umd-emu run' under a debugger, then wait until it\n"
		"has started (a write to the UMD's file starts it) and print the line\n"
		"the kernel log gets. Without an argument, list what is armed.\n"
		"\n"
		"  --gdb       the handler stops before its first instruction (after\n"
		"              its exec, pipes in place); the line ends with the\n"
		"              command to paste:\n"
		"                gdb -iex 'set sysroot /' -p PID /proc/PID/exe \\\n"
		"                    -ex 'handle SIGSTOP nostop noprint nopass'\n"
		"              (add -ex 'break main' -ex continue, or type them). If the\n"
		"              debugger detaches and leaves it stopped, the emulator\n"
		"              continues it; 'kill -CONT PID' runs it without one.\n"
		"  --strace    strace -f ARGS -p PID attaches before it runs\n"
		"  --valgrind  it runs as valgrind --tool=memcheck ARGS /proc/self/fd/3\n"
		"              (its memfd as fd 3; a handler built with ASan or TSan\n"
		"              is started without it: valgrind cannot run those)\n"
		"ARGS are split as a shell would: --strace='-e trace=read,write'.\n"
		"strace's and valgrind's output is the handler's stderr: in the kernel\n"
		"log, as 'NAME[PID]: ...' lines (umd-emu dmesg). The watchdog\n"
		"(umd-emu fault watchdog:...) waits for a debugged handler: its\n"
		"requests have no time limit and no hung report.\n"
		"\n"
		"One setting per driver, for its next start only (a new one replaces\n"
		"it; interrupting the waiting command disarms it). gdb and strace need\n"
		"ptrace: refused where Yama's ptrace_scope is 3, and as a normal user\n"
		"with ptrace_scope 2 unless handlers run in their user namespace.\n"
		"$UMD_EMU_DEBUG='DRIVER:gdb;DRIVER:strace=ARGS;...' arms the same\n"
		"settings when 'umd-emu run' starts, before its --modprobe modules.",
		.entries = entries,
	};
	char *setting, *args[2];
	int ret = tool_parse_opts(&opts, &argc, &argv);

	if (ret)
		goto out;
	if (argc == 1 && !tool) {
		ret = no_wait ? tool_usage_error("debug", "--no-wait needs DRIVER and a tool") :
				ctl_client("debug", 0, NULL);
		goto out;
	}
	if (argc != 2) {
		ret = tool_usage_error("debug", "expected one DRIVER, got %d",
				       argc - 1);
		goto out;
	}
	if (!tool) {
		ret = tool_usage_error("debug", "expected --gdb, --strace, --valgrind or --off after %s",
				       argv[1]);
		goto out;
	}
	if (!*argv[1] || strchr(argv[1], ':') || strchr(argv[1], ';')) {
		ret = tool_usage_error("debug", "'%s' is not a driver name",
				       argv[1]);
		goto out;
	}
	setting = g_strdup_printf("%s:%s%s%s", argv[1], tool,
				  tool_args ? "=" : "",
				  tool_args ? tool_args : "");
	args[0] = setting;
	args[1] = "--no-wait";
	ret = ctl_client("debug", no_wait || !strcmp(tool, "off") ? 2 : 1,
			 args);
	g_free(setting);
out:
	g_free(tool);
	g_free(tool_args);
	return ret;
}
