/* SPDX-License-Identifier: GPL-2.0 */
/* The emulated securityfs served over FUSE. */
#ifndef UMD_EMU_SECURITYFS_FUSE_H
#define UMD_EMU_SECURITYFS_FUSE_H

struct sfs_fuse;

/*
 * Mount the emulated securityfs at mountpoint (an existing empty
 * directory) and serve it from background threads. On failure returns NULL
 * and sets *error to a one-line reason (to free).
 */
struct sfs_fuse *sfs_fuse_start(const char *mountpoint, char **error);
/* Unmount and stop serving; waits for requests in flight. */
void sfs_fuse_stop(struct sfs_fuse *sf);
/* Why FUSE cannot be used here, or NULL if it looks usable (to free). */
char *sfs_fuse_unusable_reason(void);

#endif /* UMD_EMU_SECURITYFS_FUSE_H */
