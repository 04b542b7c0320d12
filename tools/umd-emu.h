/* SPDX-License-Identifier: GPL-2.0 */
/* The umd-emu command: shared between its subcommands. */
#ifndef UMD_EMU_TOOL_H
#define UMD_EMU_TOOL_H

#include <glib.h>

/* Environment of a command run by "umd-emu run". */
#define ENV_CONTROL	"UMD_EMU_CONTROL"
#define ENV_SECURITYFS	"UMD_SECURITYFS"

/* Protocol lines on the control socket (server to client). */
#define CTL_OUT	'O'	/* a line for stdout */
#define CTL_ERR	'E'	/* a line for stderr */
#define CTL_END	'X'	/* the exit status; last line */

int cmd_run(int argc, char **argv);
int cmd_faultsweep(int argc, char **argv);
int cmd_sockopt(int argc, char **argv);
/* Send "VERB\targ..." to the running emulator, print, return its status. */
int ctl_client(const char *verb, int argc, char **argv);
/* Serve one control connection (in the emulator). */
void ctl_serve(int fd);

/* Where "umd-emu kdir" and the default module directory are. */
const char *tool_kdir(void);
const char *tool_default_modules(void);

void tool_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif /* UMD_EMU_TOOL_H */
