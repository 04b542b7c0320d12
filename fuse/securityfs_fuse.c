// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated securityfs over FUSE (libfuse3, high-level API).
 *
 * Every request is dispatched to the securityfs registry of the emulated
 * kernel (emu/securityfs.c) with "current" set to the calling process, and
 * the caller's buffer mapped as its user memory. Nothing is cached (entry
 * and attribute timeouts are 0, I/O is direct), so entries appear and
 * vanish as modules create and remove them, and one write(2) reaches the
 * entry's ->write as one call (up to 1 MiB). The kernel checks permissions
 * against the modes (default_permissions); files belong to the user running
 * the emulator, as securityfs files belong to root. auto_unmount removes the
 * mount if the emulator dies, most of the time: umd-emu run also has a
 * guard of its own (tools/run.c).
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

#include "emu.h"
#include "securityfs_fuse.h"

#define SFS_MAX_WRITE (1024 * 1024)

struct sfs_fuse {
	struct fuse *fuse;
	pthread_t thread;
	char *mountpoint;
	int loop_ret;
};

/* The caller of this request (FUSE gives its thread id) becomes current. */
static void set_current_from_context(void)
{
	umd_emu_set_current_pid(fuse_get_context()->pid);
}

static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

static uid_t sfs_uid;
static gid_t sfs_gid;

static void fill_attr(const struct umd_emu_sfs_stat *st, struct stat *stbuf)
{
	memset(stbuf, 0, sizeof(*stbuf));
	stbuf->st_mode = st->mode;
	stbuf->st_ino = st->ino;
	stbuf->st_nlink = S_ISDIR(st->mode) ? 2 : 1;
	/* The files are the emulator's: its ids, taken once (they are fixed). */
	stbuf->st_uid = sfs_uid;
	stbuf->st_gid = sfs_gid;
	stbuf->st_blksize = 4096;
}

static void *sfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	sfs_uid = getuid();
	sfs_gid = getgid();
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	cfg->use_ino = 1;
	if (conn->max_write < SFS_MAX_WRITE)
		conn->max_write = SFS_MAX_WRITE;
	return fuse_get_context()->private_data;
}

static int sfs_getattr(const char *path, struct stat *stbuf,
		       struct fuse_file_info *fi)
{
	struct umd_emu_sfs_stat st;
	int err;

	(void)fi;
	err = umd_emu_securityfs_stat(rel(path), &st);
	if (err)
		return err;
	fill_attr(&st, stbuf);
	return 0;
}

struct dir_fill {
	void *buf;
	fuse_fill_dir_t filler;
};

static int dir_entry(const char *name, const struct umd_emu_sfs_stat *st,
		     void *data)
{
	struct dir_fill *df = data;
	struct stat stbuf;

	fill_attr(st, &stbuf);
	return df->filler(df->buf, name, &stbuf, 0, 0) ? 1 : 0;
}

static int sfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
		       off_t offset, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags)
{
	struct dir_fill df = { .buf = buf, .filler = filler };

	(void)offset;
	(void)fi;
	(void)flags;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	return umd_emu_securityfs_readdir(rel(path), dir_entry, &df);
}

static int sfs_readlink(const char *path, char *buf, size_t size)
{
	return umd_emu_securityfs_readlink(rel(path), buf, size);
}

static int sfs_open(const char *path, struct fuse_file_info *fi)
{
	struct file *filp;
	int err;

	set_current_from_context();
	err = umd_emu_securityfs_open(rel(path), fi->flags, &filp);
	umd_emu_reset_current();
	if (err)
		return err;
	fi->fh = (uintptr_t)filp;
	/*
	 * No page cache: reads and writes reach the entry as the caller made
	 * them. FUSE sends one write(2) as one request when the caller's
	 * buffer spans at most 256 pages (max_pages): up to 1 MiB from a
	 * page-aligned buffer, up to 1 MiB - 4 KiB from any buffer.
	 */
	fi->direct_io = 1;
	fi->nonseekable = 0;
	return 0;
}

static int sfs_read(const char *path, char *buf, size_t size, off_t offset,
		    struct fuse_file_info *fi)
{
	loff_t pos = offset;
	ssize_t ret;

	(void)path;
	set_current_from_context();
	ret = umd_emu_securityfs_read((struct file *)(uintptr_t)fi->fh, buf,
				      size, &pos);
	umd_emu_reset_current();
	return ret;
}

static int sfs_write(const char *path, const char *buf, size_t size,
		     off_t offset, struct fuse_file_info *fi)
{
	loff_t pos = offset;
	ssize_t ret;

	(void)path;
	set_current_from_context();
	ret = umd_emu_securityfs_write((struct file *)(uintptr_t)fi->fh, buf,
				       size, &pos);
	umd_emu_reset_current();
	return ret;
}

static int sfs_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	set_current_from_context();
	umd_emu_securityfs_release((struct file *)(uintptr_t)fi->fh);
	umd_emu_reset_current();
	return 0;
}

/* O_TRUNC of a pseudo file (a shell's ">"): accepted, as securityfs does. */
static int sfs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct umd_emu_sfs_stat st;
	int err;

	(void)size;
	(void)fi;
	err = umd_emu_securityfs_stat(rel(path), &st);
	if (err)
		return err;
	return S_ISDIR(st.mode) ? -EISDIR : 0;
}

static const struct fuse_operations sfs_ops = {
	.init = sfs_init,
	.getattr = sfs_getattr,
	.readdir = sfs_readdir,
	.readlink = sfs_readlink,
	.open = sfs_open,
	.read = sfs_read,
	.write = sfs_write,
	.release = sfs_release,
	.truncate = sfs_truncate,
};

static void *sfs_loop(void *data)
{
	struct sfs_fuse *sf = data;
	struct fuse_loop_config *cfg = fuse_loop_cfg_create();

	fuse_loop_cfg_set_clone_fd(cfg, 0);
	fuse_loop_cfg_set_max_threads(cfg, 16);
	sf->loop_ret = fuse_loop_mt(sf->fuse, cfg);
	fuse_loop_cfg_destroy(cfg);
	return NULL;
}

char *sfs_fuse_unusable_reason(void)
{
	struct stat st;

	if (stat("/dev/fuse", &st))
		return g_strdup_printf("/dev/fuse does not exist (%s): load the fuse module or run where FUSE is available",
				       g_strerror(errno));
	if (access("/dev/fuse", R_OK | W_OK))
		return g_strdup_printf("/dev/fuse is not accessible to uid %d (mode %04o, owner uid %d): an administrator can run 'chmod 0666 /dev/fuse'",
				       (int)getuid(), st.st_mode & 07777,
				       (int)st.st_uid);
	if (getuid() != 0 && access("/usr/bin/fusermount3", X_OK) &&
	    access("/bin/fusermount3", X_OK))
		return g_strdup("fusermount3 is not installed (Debian package fuse3): unprivileged mounts need it");
	return NULL;
}

struct sfs_fuse *sfs_fuse_start(const char *mountpoint, char **error)
{
	char *argv[] = { "umd-emu-securityfs", "-o", NULL, NULL };
	struct fuse_args args;
	struct sfs_fuse *sf;
	char *reason;

	reason = sfs_fuse_unusable_reason();
	if (reason) {
		*error = reason;
		return NULL;
	}
	sf = g_new0(struct sfs_fuse, 1);
	sf->mountpoint = g_strdup(mountpoint);
	argv[2] = g_strdup("fsname=securityfs,subtype=umd-emu,default_permissions,auto_unmount");
	args = (struct fuse_args)FUSE_ARGS_INIT(3, argv);
	sf->fuse = fuse_new(&args, &sfs_ops, sizeof(sfs_ops), sf);
	fuse_opt_free_args(&args);
	g_free(argv[2]);
	if (!sf->fuse) {
		*error = g_strdup("cannot create the FUSE filesystem (libfuse refused the options)");
		goto fail;
	}
	if (fuse_mount(sf->fuse, mountpoint)) {
		*error = g_strdup_printf("cannot mount FUSE at %s (see the message above from libfuse/fusermount3)",
					 mountpoint);
		fuse_destroy(sf->fuse);
		goto fail;
	}
	if (pthread_create(&sf->thread, NULL, sfs_loop, sf)) {
		*error = g_strdup("cannot start the FUSE server thread");
		fuse_unmount(sf->fuse);
		fuse_destroy(sf->fuse);
		goto fail;
	}
	return sf;
fail:
	g_free(sf->mountpoint);
	g_free(sf);
	return NULL;
}

void sfs_fuse_stop(struct sfs_fuse *sf)
{
	if (!sf)
		return;
	fuse_exit(sf->fuse);
	fuse_unmount(sf->fuse);
	pthread_join(sf->thread, NULL);
	fuse_destroy(sf->fuse);
	g_free(sf->mountpoint);
	g_free(sf);
}
