// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu-bench, securityfs part: a shell-free client (open, write, close)
 * on $mount/sample_umd of the emulated securityfs over FUSE, against the
 * floor: the same loop on a FUSE filesystem that does nothing (one file
 * whose writes succeed at once), plus a raw 128 KiB round trip (measured
 * by the caller). The null filesystem is mounted as the securityfs is:
 * timeouts 0, direct I/O and default_permissions (the kernel checks file
 * modes, which costs a GETATTR per open), so that the floor does the same
 * FUSE requests and the difference is umd-emu's own work.
 */
#define FUSE_USE_VERSION 312
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "bench_fuse.h"

static int null_getattr(const char *path, struct stat *st,
			struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (!strcmp(path, "/")) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, "/sink"))
		return -ENOENT;
	st->st_mode = S_IFREG | 0600;
	st->st_nlink = 1;
	return 0;
}

static int null_open(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	fi->direct_io = 1;
	return 0;
}

static int null_write(const char *path, const char *buf, size_t size,
		      off_t off, struct fuse_file_info *fi)
{
	(void)path;
	(void)buf;
	(void)off;
	(void)fi;
	return size;
}

static int null_truncate(const char *path, off_t size,
			 struct fuse_file_info *fi)
{
	(void)path;
	(void)size;
	(void)fi;
	return 0;
}

static void *null_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	return NULL;
}

static const struct fuse_operations null_ops = {
	.init = null_init,
	.getattr = null_getattr,
	.open = null_open,
	.write = null_write,
	.truncate = null_truncate,
};

struct null_fs {
	struct fuse *fuse;
	pthread_t thread;
};

static void *null_loop(void *data)
{
	struct null_fs *fs = data;
	struct fuse_loop_config *cfg = fuse_loop_cfg_create();

	fuse_loop_cfg_set_clone_fd(cfg, 0);
	fuse_loop_mt(fs->fuse, cfg);
	fuse_loop_cfg_destroy(cfg);
	return NULL;
}

void *bench_null_fs_start(const char *mountpoint)
{
	char *argv[] = { "bench-null", "-o", "fsname=benchnull,subtype=benchnull,default_permissions,auto_unmount",
			 NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct null_fs *fs = g_new0(struct null_fs, 1);

	fs->fuse = fuse_new(&args, &null_ops, sizeof(null_ops), NULL);
	fuse_opt_free_args(&args);
	if (fs->fuse && fuse_mount(fs->fuse, mountpoint)) {
		fuse_destroy(fs->fuse);
		fs->fuse = NULL;
	}
	if (!fs->fuse) {
		g_free(fs);
		return NULL;
	}
	if (pthread_create(&fs->thread, NULL, null_loop, fs)) {
		fuse_unmount(fs->fuse);
		fuse_destroy(fs->fuse);
		g_free(fs);
		return NULL;
	}
	return fs;
}

void bench_null_fs_stop(void *handle)
{
	struct null_fs *fs = handle;

	fuse_exit(fs->fuse);
	fuse_unmount(fs->fuse);
	pthread_join(fs->thread, NULL);
	fuse_destroy(fs->fuse);
	g_free(fs);
}

/* One open/write/close of text on path; 0 or -errno. */
int bench_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = -errno;
	close(fd);
	return err;
}
