/* SPDX-License-Identifier: GPL-2.0 */
/* The emulated securityfs served over FUSE. */
#ifndef UMD_EMU_SECURITYFS_FUSE_H
#define UMD_EMU_SECURITYFS_FUSE_H

#include <stdbool.h>
#include <sys/types.h>

struct sfs_fuse;

/*
 * Mount the emulated securityfs at mountpoint (an existing directory that
 * is not a mount point) and serve it from background threads. On failure
 * returns NULL and sets *error to a one-line reason (to free).
 */
struct sfs_fuse *sfs_fuse_start(const char *mountpoint, char **error);
/*
 * Detach the mount (by its identity, never by path), stop serving and
 * free. Requests in flight must be able to end (umd_emu_interrupt_all()).
 * Files still open (their RELEASE never came) are released; *released
 * (if not NULL) says how many. Returns 0, or -errno if the mount could
 * not be detached.
 */
int sfs_fuse_stop(struct sfs_fuse *sf, unsigned int *released);
/*
 * Wait (up to 10 s) for the RELEASEs of files that ended processes
 * closed, which FUSE delivers a moment after the process is reaped: call
 * it after COMMAND ends, before modules unload, so that each file is
 * released by its module as a kernel would have done before its closer
 * ended. Files some process still holds are not waited for. sf may be
 * NULL. sfs_fuse_stop() does it too.
 */
void sfs_fuse_settle(struct sfs_fuse *sf);
/*
 * The mount's identity, for a process that must detach it if the
 * emulator dies: an O_PATH descriptor of its root (inherited by a child),
 * its mount ID, and whether it was made without fusermount3.
 */
int sfs_fuse_mount_fd(struct sfs_fuse *sf, int *mnt_id, bool *own);
/*
 * Detach the mount with that identity: own: umount2() of the descriptor's
 * /proc/self/fd link; else "fusermount3 -u -z" of the path it has now in
 * /proc/self/mountinfo. Only async-signal-safe calls (usable after fork).
 * 0, -ENOENT if no such mount is left, or another -errno.
 */
int sfs_mount_detach(int mnt_fd, int mnt_id, bool own);
/* Why FUSE cannot be used here, or NULL if it looks usable (to free). */
char *sfs_fuse_unusable_reason(void);

#endif /* UMD_EMU_SECURITYFS_FUSE_H */
