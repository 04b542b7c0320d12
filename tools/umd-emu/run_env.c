// SPDX-License-Identifier: GPL-2.0
/*
 * The environment of a command run in the emulated kernel (run_env.h):
 * shared by "umd-emu run" and "umd-emu faultsweep -- SCRIPT".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ctl_proto.h"
#include "emu.h"
#include "missing.h"
#include "run_env.h"
#include "securityfs_fuse.h"
#include "umd-emu.h"

/* ---- the guard ------------------------------------------------------ */

/* A message to the guard: 'p' COMMAND's process group, 'd' done. */
struct guard_msg {
	char kind;
	int32_t value;
};

/*
 * Does process group pgid have a member that is not a zombie? (A zombie
 * whose parent is gone waits for init, which may take its time.) Only
 * async-signal-safe calls: the guard uses it.
 */
bool run_group_alive(pid_t pgid)
{
	char buf[4096], path[64], stat[512], *p;
	struct dirent64 *de;
	long n, off;
	int dir, fd, len;
	bool alive = false;

	if (kill(-pgid, 0))
		return false;
	dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return true;
	while (!alive && (n = syscall(SYS_getdents64, dir, buf,
				      sizeof(buf))) > 0) {
		for (off = 0; off < n && !alive; off += de->d_reclen) {
			de = (struct dirent64 *)(buf + off);
			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			if (strlen(de->d_name) > 20)
				continue;
			strcpy(path, "/proc/");
			strcat(path, de->d_name);
			strcat(path, "/stat");
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			len = read(fd, stat, sizeof(stat) - 1);
			close(fd);
			if (len <= 0)
				continue;
			stat[len] = '\0';
			/* pid (comm) state ppid pgrp ... */
			p = strrchr(stat, ')');
			if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
				continue;
			p = strchr(p + 4, ' ');		/* after ppid */
			alive = p && atoi(p + 1) == pgid;
		}
	}
	close(dir);
	return alive;
}

/* Kill process group pgid: SIGTERM, then SIGKILL after grace_s seconds. */
void run_end_group(pid_t pgid, int grace_s)
{
	struct timespec tick = { 0, 50 * 1000000L };
	int i;

	if (pgid <= 0 || kill(-pgid, SIGTERM))
		return;
	for (i = 0; i < grace_s * 20; i++) {
		if (!run_group_alive(pgid))
			return;
		nanosleep(&tick, NULL);
	}
	kill(-pgid, SIGKILL);
}

/*
 * The guard: a child that reads messages from the emulator. At "done" it
 * just exits; at end of file the emulator died (SIGKILL, a crash), and the
 * guard ends COMMAND's group, detaches the mount through its descriptor
 * (fd 4) and removes the emulator's temporary files. It runs only
 * async-signal-safe calls (the emulator has threads).
 */
static void guard_main(int fd, int mnt_fd, int mnt_id, bool own,
		       const char *mountpoint, bool own_mountpoint,
		       const char *sock_path, const char *tmpdir, int grace_s)
{
	struct guard_msg msg;
	sigset_t all;
	pid_t pgid = 0;
	ssize_t n;
	int null;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	setsid();
	if (dup2(fd, 3) < 0 || dup2(mnt_fd, 4) < 0)
		_exit(1);
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	/* Hold nothing of the emulator's: not its FUSE fd, not its sockets. */
	if (syscall(SYS_close_range, 5U, ~0U, 0))
		for (int i = 5; i < 65536; i++)
			close(i);
	for (;;) {
		n = read(3, &msg, sizeof(msg));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == sizeof(msg) && msg.kind == 'p') {
			pgid = msg.value;
			continue;
		}
		if (n == sizeof(msg) && msg.kind == 'd')
			_exit(0);
		break;		/* end of file: the emulator is gone */
	}
	run_end_group(pgid, grace_s);
	sfs_mount_detach(4, mnt_id, own);
	unlink(sock_path);
	if (own_mountpoint)
		rmdir(mountpoint);
	rmdir(tmpdir);
	_exit(0);
}

void run_guard_start(struct run_ctx *rc)
{
	int p[2], mnt_fd, mnt_id;
	bool own;
	pid_t pid;

	mnt_fd = sfs_fuse_mount_fd(rc->fuse, &mnt_id, &own);
	if (pipe2(p, O_CLOEXEC)) {
		tool_error("%s: no guard (pipe: %s); if umd-emu is killed, unmount %s yourself",
			   rc->verb, g_strerror(errno), rc->mountpoint);
		return;
	}
	pid = fork();
	if (pid == 0)
		guard_main(p[0], mnt_fd, mnt_id, own, rc->mountpoint,
			   rc->own_mountpoint, rc->sock_path, rc->tmpdir,
			   rc->grace_s);
	close(p[0]);
	if (pid < 0) {
		tool_error("%s: no guard (fork: %s); if umd-emu is killed, unmount %s yourself",
			   rc->verb, g_strerror(errno), rc->mountpoint);
		close(p[1]);
		return;
	}
	rc->guard = pid;
	rc->guard_fd = p[1];
}

void run_guard_send(struct run_ctx *rc, char kind, int32_t value)
{
	struct guard_msg msg = { .kind = kind, .value = value };

	if (rc->guard_fd >= 0 &&
	    write(rc->guard_fd, &msg, sizeof(msg)) != sizeof(msg))
		tool_error("%s: cannot reach the guard: %s", rc->verb,
			   g_strerror(errno));
}

/* Normal end: tell the guard there is nothing to clean up, and reap it. */
void run_guard_stop(struct run_ctx *rc)
{
	if (rc->guard_fd < 0)
		return;
	run_guard_send(rc, 'd', 0);
	close(rc->guard_fd);
	rc->guard_fd = -1;
	if (rc->guard > 0)
		waitpid(rc->guard, NULL, 0);
	rc->guard = -1;
}

/*
 * COMMAND's environment, set before any thread starts (setenv() beside a
 * thread that reads the environment is a data race).
 */
static void set_environment(struct run_ctx *rc)
{
	char *self, *exe_dir, *path_env;

	g_setenv(ENV_SECURITYFS, rc->mountpoint, TRUE);
	g_setenv(CTL_ENV, rc->sock_path, TRUE);
	self = g_file_read_link("/proc/self/exe", NULL);
	if (self) {
		exe_dir = g_path_get_dirname(self);
		path_env = g_strdup_printf("%s:%s", exe_dir,
					   g_getenv("PATH") ?: "/usr/bin:/bin");
		g_setenv("PATH", path_env, TRUE);
		g_free(path_env);
		g_free(exe_dir);
		g_free(self);
	}
}

/* The directories: our temporary one, and the mount point. 0 or -1. */
static int make_dirs(struct run_ctx *rc, const char *mount)
{
	GError *err = NULL;
	struct stat st;

	rc->tmpdir = g_dir_make_tmp("umd-emu-XXXXXX", &err);
	if (!rc->tmpdir) {
		tool_error("%s: cannot create a temporary directory: %s",
			   rc->verb, err->message);
		g_clear_error(&err);
		return -1;
	}
	rc->sock_path = g_build_filename(rc->tmpdir, "control.sock", NULL);
	if (mount) {
		if (stat(mount, &st) || !S_ISDIR(st.st_mode)) {
			tool_error("%s: --mount %s: not an existing directory",
				   rc->verb, mount);
			return -1;
		}
		rc->mountpoint = g_canonicalize_filename(mount, NULL);
		return 0;
	}
	rc->mountpoint = g_build_filename(rc->tmpdir, "securityfs", NULL);
	if (g_mkdir(rc->mountpoint, 0755)) {
		tool_error("%s: cannot create %s: %s", rc->verb,
			   rc->mountpoint, g_strerror(errno));
		return -1;
	}
	rc->own_mountpoint = true;
	return 0;
}

int run_env_start(struct run_ctx *rc, const char *mount)
{
	char *reason;

	if (make_dirs(rc, mount))
		return -1;
	set_environment(rc);
	/*
	 * The handlers' namespace, before our mount: a copy of it there
	 * would outlive our unmount (emu/umh.c).
	 */
	umd_emu_handler_ns_ready();

	rc->fuse = sfs_fuse_start(rc->mountpoint, &reason);
	if (!rc->fuse) {
		tool_error("%s: cannot mount the emulated securityfs at %s: %s",
			   rc->verb, rc->mountpoint, reason);
		g_free(reason);
		return -1;
	}
	rc->ctl = ctl_server_start(rc->sock_path, &reason);
	if (!rc->ctl) {
		tool_error("%s: %s", rc->verb, reason);
		g_free(reason);
		return -1;
	}
	run_guard_start(rc);
	/* What "umd-emu check --idle" compares with: no module yet. */
	ctl_server_baseline();
	return 0;
}

void run_remove_files(struct run_ctx *rc)
{
	if (rc->own_mountpoint && rc->mountpoint)
		g_rmdir(rc->mountpoint);
	if (rc->sock_path)
		g_unlink(rc->sock_path);
	if (rc->tmpdir)
		g_rmdir(rc->tmpdir);
}
