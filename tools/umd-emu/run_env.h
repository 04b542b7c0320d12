/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of a command run in the emulated kernel, shared by
 * "umd-emu run" (cmd_run.c) and "umd-emu faultsweep -- SCRIPT"
 * (sweep_script.c): the temporary directory, the securityfs mount over
 * FUSE, the control socket, the command's environment variables and the
 * guard that cleans up if the emulator dies.
 */
#ifndef UMD_EMU_RUN_ENV_H
#define UMD_EMU_RUN_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ctl_server;
struct sfs_fuse;

struct run_ctx {
	char *tmpdir;
	char *mountpoint;
	bool own_mountpoint;
	char *sock_path;
	struct ctl_server *ctl;
	struct sfs_fuse *fuse;
	int log_fd;
	int grace_s;
	const char *verb;	/* "run": the prefix of its messages */
	/* the guard */
	pid_t guard;
	int guard_fd;		/* write end of its pipe, or -1 */
	/* COMMAND */
	pid_t child;		/* COMMAND, until reaped; -1 */
	pid_t pgid;		/* its process group (its pid) */
	int tty;		/* terminal handed to COMMAND, or -1 */
};

/*
 * Does process group pgid have a member that is not a zombie? Only
 * async-signal-safe calls.
 */
bool run_group_alive(pid_t pgid);
/* Kill process group pgid: SIGTERM, then SIGKILL after grace_s seconds. */
void run_end_group(pid_t pgid, int grace_s);

/*
 * The guard: a child that cleans up (ends the process group it was told
 * of, detaches the mount, removes the files) if the emulator dies.
 */
void run_guard_start(struct run_ctx *rc);
/* 'p': the process group of the command now; 'd': done. */
void run_guard_send(struct run_ctx *rc, char kind, int32_t value);
/* Normal end: tell the guard there is nothing to clean up, and reap it. */
void run_guard_stop(struct run_ctx *rc);

/*
 * The emulated kernel's environment up: the directories (mount: the mount
 * point given, or NULL for a new temporary one), the command's
 * environment, the handlers' namespace, the securityfs mount, the control
 * socket and the guard. rc->verb, rc->grace_s and the -1 fields must be
 * set. 0, or -1 with the reason printed.
 */
int run_env_start(struct run_ctx *rc, const char *mount);
/* Remove our files; the guard then has nothing left to do. */
void run_remove_files(struct run_ctx *rc);

#endif /* UMD_EMU_RUN_ENV_H */
