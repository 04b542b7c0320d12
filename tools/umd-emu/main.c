// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu: run the emulated kernel and talk to it.
 *
 *   umd-emu run [OPTIONS] -- COMMAND [ARGS]   the emulated kernel
 *   umd-emu modprobe|rmmod|lsmod|dmesg ...    inside "umd-emu run"
 *   umd-emu kdir                              the emulated kernel build dir
 *
 * main() looks the subcommand up in commands[]: either one with its own
 * options (cmd_*.c), or a client command, sent as it is to the emulator
 * of the enclosing "umd-emu run" (control.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "ctl_proto.h"
#include "umd-emu.h"

/*
 * umd-emu realkernel: the VM runner is a script (it drives make, cpio and
 * qemu); run the one of the tree umd-emu was built from, or the installed
 * copy, with the same arguments.
 */
static int cmd_realkernel(int argc, char **argv)
{
	const char *script = tool_realkernel_script();
	char **args = g_new0(char *, argc + 2);
	int i;

	args[0] = "bash";
	args[1] = (char *)script;
	for (i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	execvp("bash", args);
	tool_error("realkernel: cannot run %s: %s", script, g_strerror(errno));
	g_free(args);
	return 125;
}

static int cmd_kdir(int argc, char **argv)
{
	static gboolean coverage;
	static const GOptionEntry entries[] = {
		{ "coverage", 0, 0, G_OPTION_ARG_NONE, &coverage,
		  "print the build directory that adds gcov's --coverage to the modules and handlers (reports: tools/coverage.sh --module-dir DIR)",
		  NULL },
		{ NULL },
	};
	static const struct tool_opts opts = {
		.verb = "kdir",
		.params = "",
		.summary =
		"Print the path of the emulated kernel build directory. Build\n"
		"an out-of-tree UMD (Kbuild-style Makefile: obj-m, NAME-objs,\n"
		"userprogs, ccflags-y, asflags-y) into emulated modules with:\n"
		"  make -C \"$(umd-emu kdir)\" M=\"$PWD\" [W=1] [V=1]\n"
		"As Kbuild 6.1: the kernel's warning flags, rebuilds when a header\n"
		"or the build command changed, and modpost (undefined or GPL-only\n"
		"symbols, a missing MODULE_LICENSE() stop the build).\n"
		"With --coverage, the same with gcc's --coverage: the counters are\n"
		"written next to the objects (see docs/COVERAGE.md).",
		.entries = entries,
	};
	const char *dir;
	int ret = tool_parse_opts(&opts, &argc, &argv);

	if (ret)
		return ret;
	if (argc > 1) {
		tool_error("kdir: takes no argument");
		return 2;
	}
	dir = coverage ? tool_coverage_kdir() : tool_kdir();
	if (coverage && !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		tool_error("kdir: this umd-emu has no coverage kdir (%s): it is built with gcc only",
			   dir);
		return 1;
	}
	printf("%s\n", dir);
	return 0;
}

static const char usage_text[] =
	"Usage: umd-emu COMMAND [ARGS]\n"
	"\n"
	"Run Linux User Mode Drivers (kernel modules with an embedded user-space\n"
	"handler) unprivileged, in an emulated kernel.\n"
	"\n"
	"Commands:\n"
	"  run [OPTIONS] -- COMMAND [ARGS]  start the emulated kernel, mount its\n"
	"                                   securityfs, run COMMAND, clean up\n"
	"  modprobe [-q] NAME               load a module and its dependencies\n"
	"  rmmod NAME                       unload a module\n"
	"  lsmod                            list loaded modules\n"
	"  dmesg [-w] [-l LIST] [-T] ...    print the kernel log (handler stderr too)\n"
	"  debug DRIVER --gdb|--strace|...  start DRIVER's next handler stopped\n"
	"                                   for gdb, or under strace or valgrind\n"
	"  check [--idle]                   no warning, leak or held lock now?\n"
	"  fault [SETTING...|reset]         show or set fault injection, handler\n"
	"                                   crashes and the request watchdog\n"
	"  trace [--driver NAME] [--follow] every exchange of every UMD: bytes,\n"
	"                                   lengths, times, what ended it\n"
	"  faultsweep [OPTIONS] [-- SCRIPT] run a UMD (the sample's, or SCRIPT with\n"
	"                                   --modprobe) under every fault and crash,\n"
	"                                   checking nothing is lost\n"
	"  sockopt get|set OPTNAME          a bpfilter setsockopt/getsockopt call\n"
	"  fuzz [OPTIONS] [-- LIBFUZZER]    fuzz a UMD's writes or replies (libFuzzer)\n"
	"  kdir [--coverage]                print the emulated kernel build directory\n"
	"                                   (make -C \"$(umd-emu kdir)\" M=$PWD)\n"
	"  realkernel [OPTIONS] -- SCRIPT   run SCRIPT on a real kernel with UMD\n"
	"                                   support in qemu (tools/realkernel.sh)\n"
	"\n"
	"modprobe, rmmod, lsmod, dmesg, debug, check, fault and trace talk to the\n"
	"emulator of the enclosing \"umd-emu run\" (found through $" CTL_ENV ").\n"
	"\"umd-emu COMMAND --help\" describes each command.\n";

/* A command the emulator runs: its arguments are checked, then sent. */
struct client_cmd {
	const char *params;
	const char *summary;
	int min_args, max_args;
	/* One boolean option, sent as its first argument (e.g. -q). */
	const char *flag;	/* its long name */
	char flag_short;
	const char *flag_help;
	const char *flag_sent;
};

static const struct command {
	const char *name;
	int (*main)(int argc, char **argv);	/* its own options, or */
	struct client_cmd client;		/* sent to the emulator */
} commands[] = {
	{ .name = "run", .main = cmd_run },
	{ .name = "modprobe", .client = { .params = "NAME", .summary =
	  "Load module NAME, and the modules it uses first, into the\n"
	  "emulated kernel of the enclosing 'umd-emu run'.",
	  .min_args = 1, .max_args = 1, .flag = "quiet", .flag_short = 'q',
	  .flag_help = "print nothing when the module is missing",
	  .flag_sent = "-q" } },
	{ .name = "rmmod", .client = { .params = "NAME", .summary =
	  "Unload module NAME (it runs its exit). Fails if another\n"
	  "module uses it or it has no exit function.",
	  .min_args = 1, .max_args = 1 } },
	{ .name = "lsmod", .client = { .params = "", .summary =
	  "List the loaded modules: name, size, use count, users." } },
	{ .name = "dmesg", .main = cmd_dmesg },
	{ .name = "debug", .main = cmd_debug },
	{ .name = "check", .client = { .params = "", .summary =
	  "Check the emulated kernel now, for a test script: no WARNING,\n"
	  "BUG or sanitizer report in the kernel log, no mutex held. With\n"
	  "--idle (after unloading one's modules), also no module loaded,\n"
	  "no handler process, and no pipe, pidfd or memfd beyond those\n"
	  "open when the emulator started. Prints\n"
	  "one line per item; exits 1 naming what is wrong. Call it when no\n"
	  "request is running.",
	  .flag = "idle", .flag_help =
	  "also check that nothing is left loaded, running or open",
	  .flag_sent = "--idle" } },
	{ .name = "kdir", .main = cmd_kdir },
	{ .name = "faultsweep", .main = cmd_faultsweep },
	{ .name = "realkernel", .main = cmd_realkernel },
	{ .name = "sockopt", .main = cmd_sockopt },
	{ .name = "fuzz", .main = cmd_fuzz },
	{ .name = "fault", .main = cmd_fault },
	{ .name = "trace", .main = cmd_trace },
};

/* Check a client command's options and arguments, then send it. */
static int run_client(const char *verb, const struct client_cmd *c,
		      int argc, char **argv)
{
	gboolean flag = FALSE;
	const GOptionEntry entries[] = {
		{ c->flag, c->flag_short, 0, G_OPTION_ARG_NONE, &flag,
		  c->flag_help, NULL },
		G_OPTION_ENTRY_NULL
	};
	const struct tool_opts opts = {
		.verb = verb,
		.params = c->params,
		.summary = c->summary,
		.entries = c->flag ? entries : NULL,
	};
	int ret = tool_parse_opts(&opts, &argc, &argv);

	if (ret)
		return ret;
	if (argc - 1 < c->min_args || argc - 1 > c->max_args)
		return tool_usage_error(verb, "expected %s",
					c->max_args ? c->params : "no argument");
	if (flag) {
		char **args = g_new0(char *, argc + 1);

		args[0] = (char *)c->flag_sent;
		memcpy(args + 1, argv + 1, (argc - 1) * sizeof(char *));
		ret = ctl_client(verb, argc, args);
		g_free(args);
		return ret;
	}
	return ctl_client(verb, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	size_t i;

	if (!cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "help")) {
		fputs(usage_text, cmd ? stdout : stderr);
		return cmd ? 0 : 2;
	}
	/* The subcommand's argv[0] is "umd-emu CMD", for its --help. */
	argv[1] = g_strdup_printf("umd-emu %s", cmd);
	argc--;
	argv++;
	for (i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (strcmp(cmd, commands[i].name))
			continue;
		if (commands[i].main)
			return commands[i].main(argc, argv);
		return run_client(cmd, &commands[i].client, argc, argv);
	}
	tool_error("unknown command '%s' (see 'umd-emu --help')", cmd);
	return 2;
}
