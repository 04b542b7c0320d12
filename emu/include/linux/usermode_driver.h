/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/usermode_driver.h>, as in a kernel with the UMD
 * management series applied (which adds umd_send_recv(), implemented by
 * the lifecycle library in core/).
 * Kind: customised (emu/umd.c): the blob lives in a sealed memfd, the
 * handler is a real child process started with fork() + fexecve().
 */
#ifndef __LINUX_USERMODE_DRIVER_H__
#define __LINUX_USERMODE_DRIVER_H__

#include <linux/umh.h>
#include <linux/path.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>

struct umd_info {
	const char *driver_name;
	struct file *pipe_to_umh;
	struct file *pipe_from_umh;
	struct path wd;
	struct pid *tgid;
};

int umd_load_blob(struct umd_info *info, const void *data, size_t len);
int umd_unload_blob(struct umd_info *info);
int fork_usermode_driver(struct umd_info *info);
void umd_cleanup_helper(struct umd_info *info);
int umd_send_recv(struct umd_info *info, void *in, size_t in_len, void *out,
		  size_t out_len);

#endif /* __LINUX_USERMODE_DRIVER_H__ */
