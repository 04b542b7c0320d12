// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu: run the emulated kernel and talk to it.
 *
 *   umd-emu run [OPTIONS] -- COMMAND [ARGS]   the emulated kernel
 *   umd-emu modprobe|rmmod|lsmod|dmesg ...    inside "umd-emu run"
 *   umd-emu kdir                              the emulated kernel build dir
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "ctl_proto.h"
#include "umd-emu.h"

void tool_error(const char *fmt, ...)
{
	va_list args;

	fputs("umd-emu: ", stderr);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
}

/* Is this executable in the build tree it was built in? */
static gboolean running_from_build_tree(void)
{
	char *exe = g_file_read_link("/proc/self/exe", NULL);
	gboolean in_tree = exe && g_str_has_prefix(exe, UMD_EMU_BUILD_ROOT "/");

	g_free(exe);
	return in_tree;
}

const char *tool_kdir(void)
{
	return running_from_build_tree() ? UMD_EMU_BUILD_KDIR
					 : UMD_EMU_INSTALLED_KDIR;
}

/*
 * umd-emu realkernel: the VM runner is a script (it drives make, cpio and
 * qemu); run the one of the tree umd-emu was built from, or the installed
 * copy, with the same arguments.
 */
static int cmd_realkernel(int argc, char **argv)
{
	const char *script = running_from_build_tree() ?
		UMD_EMU_SOURCE_ROOT "/tools/realkernel.sh" :
		UMD_EMU_INSTALLED_SOURCES "/tools/realkernel.sh";
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

const char *tool_default_modules(void)
{
	return running_from_build_tree() ? UMD_EMU_BUILD_MODULES
					 : UMD_EMU_INSTALLED_MODULES;
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
	"  dmesg                            print the kernel log (handler stderr too)\n"
	"  fault [SETTING...|reset]         show or set fault injection, handler\n"
	"                                   crashes and the request watchdog\n"
	"  faultsweep [OPTIONS]             run the sample UMD under every fault\n"
	"                                   and crash, checking nothing is lost\n"
	"  sockopt get|set OPTNAME          a bpfilter setsockopt/getsockopt call\n"
	"  kdir                             print the emulated kernel build directory\n"
	"                                   (make -C \"$(umd-emu kdir)\" M=$PWD)\n"
	"  realkernel [OPTIONS] -- SCRIPT   run SCRIPT on a real kernel with UMD\n"
	"                                   support in qemu (tools/realkernel.sh)\n"
	"\n"
	"modprobe, rmmod, lsmod, dmesg and fault talk to the emulator of the enclosing\n"
	"\"umd-emu run\" (found through $" CTL_ENV ").\n"
	"\"umd-emu COMMAND --help\" describes each command.\n";

/* Parse the options of a client command; returns remaining args. */
static int client_cmd(const char *verb, const char *params,
		      const char *summary, int min_args, int max_args,
		      int argc, char **argv)
{
	gboolean quiet = FALSE;
	GOptionEntry entries[] = {
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
		  "print nothing when the module is missing (modprobe)", NULL },
		G_OPTION_ENTRY_NULL
	};
	GOptionContext *ctx;
	GError *err = NULL;
	char *name;
	int ret;

	name = g_strdup_printf("%s", params);
	ctx = g_option_context_new(name);
	g_free(name);
	g_option_context_set_summary(ctx, summary);
	if (!strcmp(verb, "modprobe"))
		g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		tool_error("%s: %s (see 'umd-emu %s --help')", verb,
			   err->message, verb);
		g_error_free(err);
		g_option_context_free(ctx);
		return 2;
	}
	g_option_context_free(ctx);
	if (argc - 1 < min_args || argc - 1 > max_args) {
		tool_error("%s: expected %s (see 'umd-emu %s --help')", verb,
			   max_args ? params : "no argument", verb);
		return 2;
	}
	if (quiet) {
		char **args = g_new0(char *, argc + 1);

		args[0] = "-q";
		memcpy(args + 1, argv + 1, (argc - 1) * sizeof(char *));
		ret = ctl_client(verb, argc, args);
		g_free(args);
		return ret;
	}
	return ctl_client(verb, argc - 1, argv + 1);
}

static int cmd_kdir(int argc, char **argv)
{
	GOptionContext *ctx = g_option_context_new("");
	GError *err = NULL;

	g_option_context_set_summary(ctx,
		"Print the path of the emulated kernel build directory. Build\n"
		"an out-of-tree UMD (Kbuild-style Makefile: obj-m, NAME-objs,\n"
		"userprogs, ccflags-y, asflags-y) into emulated modules with:\n"
		"  make -C \"$(umd-emu kdir)\" M=\"$PWD\"");
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		tool_error("kdir: %s", err->message);
		g_error_free(err);
		g_option_context_free(ctx);
		return 2;
	}
	g_option_context_free(ctx);
	if (argc > 1) {
		tool_error("kdir: takes no argument");
		return 2;
	}
	printf("%s\n", tool_kdir());
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "help")) {
		fputs(usage_text, cmd ? stdout : stderr);
		return cmd ? 0 : 2;
	}
	argv[1] = g_strdup_printf("umd-emu %s", cmd);
	argc--;
	argv++;
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv);
	if (!strcmp(cmd, "modprobe"))
		return client_cmd("modprobe", "NAME",
				  "Load module NAME, and the modules it uses first, into the\nemulated kernel of the enclosing 'umd-emu run'.",
				  1, 1, argc, argv);
	if (!strcmp(cmd, "rmmod"))
		return client_cmd("rmmod", "NAME",
				  "Unload module NAME (it runs its exit). Fails if another\nmodule uses it or it has no exit function.",
				  1, 1, argc, argv);
	if (!strcmp(cmd, "lsmod"))
		return client_cmd("lsmod", "",
				  "List the loaded modules: name, size, use count, users.",
				  0, 0, argc, argv);
	if (!strcmp(cmd, "dmesg"))
		return client_cmd("dmesg", "",
				  "Print the kernel log: printk output of the modules and\nthe lifecycle library, and every line handlers write to stderr.",
				  0, 0, argc, argv);
	if (!strcmp(cmd, "kdir"))
		return cmd_kdir(argc, argv);
	if (!strcmp(cmd, "faultsweep"))
		return cmd_faultsweep(argc, argv);
	if (!strcmp(cmd, "realkernel"))
		return cmd_realkernel(argc, argv);
	if (!strcmp(cmd, "sockopt"))
		return cmd_sockopt(argc, argv);
	if (!strcmp(cmd, "fault"))
		return client_cmd("fault", "[SETTING...|reset]",
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
				  "POINT: failslab fail_copy_from_user fail_copy_to_user\n"
				  "fail_kernel_write fail_kernel_read fail_pipe fail_fork\n"
				  "fail_exec fail_memfd fail_request_module fail_module_init.\n"
				  "The same settings can be given in $UMD_EMU_FAULT.",
				  0, 64, argc, argv);
	tool_error("unknown command '%s' (see 'umd-emu --help')", cmd);
	return 2;
}
