/* SPDX-License-Identifier: GPL-2.0 */
/* The umd-emu command: shared between its subcommands. */
#ifndef UMD_EMU_TOOL_H
#define UMD_EMU_TOOL_H

#include <glib.h>

#include "opts.h"

/* Environment of a command run by "umd-emu run" (and CTL_ENV). */
#define ENV_SECURITYFS	"UMD_SECURITYFS"

/* The subcommands with their own options (main.c dispatches). */
int cmd_run(int argc, char **argv);
int cmd_fault(int argc, char **argv);
int cmd_faultsweep(int argc, char **argv);
int cmd_sockopt(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_debug(int argc, char **argv);
int cmd_trace(int argc, char **argv);

/* The protocol trace (cmd_trace.c): "N" or "all" (SIZE_MAX) bytes? */
bool trace_parse_bytes(const char *s, size_t *n);
/* run --trace FILE --trace-bytes N (checked). 0, or -1 (said why). */
int trace_run_start(const char *file, const char *bytes);
void trace_run_stop(void);
/* The control server's "trace" verb: streams the view to client fd. */
int trace_serve(int fd, char **args, int nargs, GString *out, GString *err);

/* Send VERB and its arguments to the running emulator, print, return its status. */
int ctl_client(const char *verb, int argc, char **argv);
/* The emulator's control socket at path: serves every client on a thread. */
struct ctl_server;
struct ctl_server *ctl_server_start(const char *path, char **error);
/* Take now as "umd-emu check --idle"'s baseline of open descriptors. */
void ctl_server_baseline(void);
/*
 * Stop accepting, cut the clients still being served and wait up to
 * wait_ms for their requests to end; returns how many still run.
 */
int ctl_server_stop(struct ctl_server *srv, int wait_ms);

/*
 * Where umd-emu's own files are (paths.c): in the build tree it runs
 * from, or where it is installed, found from the executable's own path.
 */
const char *tool_kdir(void);
const char *tool_default_modules(void);
const char *tool_realkernel_script(void);
/* umd-emu fuzz's driver, and the kdir that builds modules for it. */
const char *tool_fuzz_driver(void);
const char *tool_fuzz_kdir(void);
/* The kdir that builds modules and handlers with gcov's --coverage. */
const char *tool_coverage_kdir(void);

/*
 * "LEAD failslab fail_copy_from_user ...TAIL": the fault points' names
 * from the emulator's table, wrapped at width columns (to g_free()).
 */
char *tool_fault_point_list(const char *lead, const char *tail, int width);

#endif /* UMD_EMU_TOOL_H */
