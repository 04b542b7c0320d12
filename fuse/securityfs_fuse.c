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
 * the emulator, as securityfs files belong to root.
 *
 * Signals: a caller interrupted while its request waits (FUSE sends an
 * INTERRUPT) has its task signalled (libfuse's "intr" option
 * pthread_kill()s the serving thread with UMD_EMU_TASK_SIGNAL; see
 * emu/signal.c), so that its kernel_read()/kernel_write() on a handler's
 * pipe returns -ERESTARTSYS as on a kernel. What a request returns is
 * what the system call would: kernel-internal codes (-ERESTARTSYS, ...)
 * become what user space sees (umd_emu_errno_to_user()); a code the FUSE
 * device would refuse would leave the caller hanging.
 *
 * The mount is the emulator's own and is unmounted as such, never by path
 * (a path can be renamed or replaced by a symlink meanwhile): as root it is
 * made with the kernel's mount API and detached through a file descriptor
 * of its root; otherwise fusermount3 makes it, and the path to unmount is
 * looked up from the mount's identity (its mount ID) in
 * /proc/self/mountinfo. A directory that is already a mount point is
 * refused.
 */
#define FUSE_USE_VERSION 312
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "emu.h"
#include "securityfs_fuse.h"

#define SFS_MAX_WRITE (1024 * 1024)
#define FUSE_SUPER_MAGIC 0x65735546

struct sfs_fuse {
	struct fuse *fuse;
	pthread_t thread;
	char *mountpoint;
	int loop_ret;
	int mnt_fd;		/* O_PATH descriptor of the mount's root */
	int mnt_id;		/* its mount ID: its identity */
	bool own_mount;		/* made here (root), not by fusermount3 */
	/* Files opened and not released yet: released at stop if need be. */
	pthread_mutex_t open_lock;
	pthread_cond_t released;	/* signalled when one is released */
	unsigned int releasing;	/* RELEASEs in their ->release now */
	GHashTable *open_files;	/* set of struct file * */
};

/* How long stop waits for RELEASEs queued by processes that ended. */
#define SFS_RELEASE_WAIT_S 10

static struct sfs_fuse *this_fs(void)
{
	return fuse_get_context()->private_data;
}

/*
 * The caller of this request (FUSE gives its thread id) becomes current;
 * an INTERRUPT that came before the request reached us is its signal.
 */
static void set_current_from_context(void)
{
	umd_emu_set_current_pid(fuse_get_context()->pid);
	if (fuse_interrupted())
		umd_emu_task_signal_current();
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
	/*
	 * An INTERRUPT from the kernel makes libfuse send the emulator's
	 * task signal (installed by sfs_fuse_start()) to the thread serving
	 * the request, every second until the request ends.
	 */
	cfg->intr = 1;
	cfg->intr_signal = umd_emu_task_signal();
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
		return umd_emu_errno_to_user(err);
	fi->fh = (uintptr_t)filp;
	pthread_mutex_lock(&this_fs()->open_lock);
	g_hash_table_add(this_fs()->open_files, filp);
	pthread_mutex_unlock(&this_fs()->open_lock);
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

/* A read or write as the calling process made it, at offset. */
static int sfs_io(struct fuse_file_info *fi, char *buf, size_t size,
		  off_t offset, bool write)
{
	struct file *filp = (struct file *)(uintptr_t)fi->fh;
	loff_t pos = offset;
	ssize_t ret;

	set_current_from_context();
	ret = write ? umd_emu_securityfs_write(filp, buf, size, &pos) :
		      umd_emu_securityfs_read(filp, buf, size, &pos);
	umd_emu_reset_current();
	return umd_emu_errno_to_user(ret);
}

static int sfs_read(const char *path, char *buf, size_t size, off_t offset,
		    struct fuse_file_info *fi)
{
	(void)path;
	return sfs_io(fi, buf, size, offset, false);
}

static int sfs_write(const char *path, const char *buf, size_t size,
		     off_t offset, struct fuse_file_info *fi)
{
	(void)path;
	return sfs_io(fi, (char *)buf, size, offset, true);
}

static int sfs_release(const char *path, struct fuse_file_info *fi)
{
	struct file *filp = (struct file *)(uintptr_t)fi->fh;

	struct sfs_fuse *sf = this_fs();

	(void)path;
	/*
	 * Out of the set before filp is freed; counted as releasing until
	 * ->release has returned (sfs_fuse_settle() waits for both).
	 */
	pthread_mutex_lock(&sf->open_lock);
	g_hash_table_remove(sf->open_files, filp);
	sf->releasing++;
	pthread_mutex_unlock(&sf->open_lock);
	set_current_from_context();
	umd_emu_securityfs_release(filp);
	umd_emu_reset_current();
	pthread_mutex_lock(&sf->open_lock);
	sf->releasing--;
	pthread_cond_broadcast(&sf->released);
	pthread_mutex_unlock(&sf->open_lock);
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

/* Read a small /proc file into buf (NUL-terminated); its length, or -1. */
static ssize_t read_proc(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < size - 1 &&
	       (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/*
 * The mount ID of the mount fd is on, from /proc/self/fdinfo: no request
 * to the file system. -1 if unknown. Async-signal-safe.
 */
static int fd_mnt_id(int fd)
{
	char path[48] = "/proc/self/fdinfo/", info[512], *p;

	umd_emu_put_ulong(path + strlen(path), fd);
	if (read_proc(path, info, sizeof(info)) < 0)
		return -1;
	p = strstr(info, "mnt_id:");
	return p ? atoi(p + 7) : -1;
}

/*
 * The mount with ID id in /proc/self/mountinfo: its current mount point
 * (unescaped) and file system type. False if there is none.
 * Async-signal-safe (the guard uses it after fork).
 */
static bool mount_lookup(int id, char *path, size_t path_size, char *type,
			 size_t type_size)
{
	static char info[256 * 1024];
	char want[24], *line, *end, *field;
	size_t i;

	if (read_proc("/proc/self/mountinfo", info, sizeof(info)) < 0)
		return false;
	*umd_emu_put_ulong(want, id) = '\0';
	strcat(want, " ");
	/* "ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS ... - TYPE ..." */
	for (line = info; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		*end = '\0';
		if (strncmp(line, want, strlen(want)))
			continue;
		field = line;
		for (i = 0; i < 4 && field; i++) {
			field = strchr(field, ' ');
			if (field)
				field++;
		}
		if (!field)
			return false;
		for (i = 0; path && *field && *field != ' ' &&
			    i < path_size - 1; i++) {
			if (field[0] == '\\' && field[1] && field[2] &&
			    field[3]) {
				path[i] = (field[1] - '0') * 64 +
					  (field[2] - '0') * 8 +
					  (field[3] - '0');
				field += 4;
			} else {
				path[i] = *field++;
			}
		}
		if (path)
			path[i] = '\0';
		field = strstr(field, " - ");
		if (type && field) {
			field += 3;
			for (i = 0; *field && *field != ' ' &&
				    i < type_size - 1; i++)
				type[i] = *field++;
			type[i] = '\0';
		}
		return true;
	}
	return false;
}

/* Is the directory open at fd the root of a mount? */
static bool is_mount_root(int fd)
{
	struct statx stx;
	struct stat self, parent;
	int pfd;
	bool root;

	if (!statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) &&
	    (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return stx.stx_attributes & STATX_ATTR_MOUNT_ROOT;
	/* Before Linux 5.8: the parent is on another device, or is itself. */
	pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return false;
	root = !fstat(fd, &self) && !fstat(pfd, &parent) &&
	       (self.st_dev != parent.st_dev || self.st_ino == parent.st_ino);
	close(pfd);
	return root;
}

/*
 * As root: mount with the kernel's mount API. The new mount is a file
 * descriptor before it is attached, so what is detached at the end is
 * exactly this mount. Returns the /dev/fuse descriptor for libfuse, -1
 * with *error set, or -2 where the mount API is missing (Linux < 5.2).
 */
static int own_mount(struct sfs_fuse *sf, int target_fd, char **error)
{
	char num[32], uid[16], gid[16];
	int dev, fsfd, mfd = -1;

	snprintf(uid, sizeof(uid), "%u", (unsigned int)geteuid());
	snprintf(gid, sizeof(gid), "%u", (unsigned int)getegid());

	dev = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		*error = g_strdup_printf("cannot open /dev/fuse: %s",
					 g_strerror(errno));
		return -1;
	}
	fsfd = fsopen("fuse", FSOPEN_CLOEXEC);
	if (fsfd < 0) {
		close(dev);
		if (errno == ENOSYS)
			return -2;
		*error = g_strdup_printf("fsopen(fuse): %s", g_strerror(errno));
		return -1;
	}
	snprintf(num, sizeof(num), "%d", dev);
	if (fsconfig(fsfd, FSCONFIG_SET_STRING, "source", "securityfs", 0) ||
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "subtype", "umd-emu", 0) ||
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "fd", num, 0) ||
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "rootmode", "40000", 0) ||
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "user_id", uid, 0) ||
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "group_id", gid, 0) ||
	    fsconfig(fsfd, FSCONFIG_SET_FLAG, "default_permissions", NULL, 0) ||
	    fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
		*error = g_strdup_printf("cannot create the FUSE mount: %s",
					 g_strerror(errno));
		goto fail;
	}
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC,
		      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (mfd < 0 ||
	    move_mount(mfd, "", target_fd, "",
		       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)) {
		*error = g_strdup_printf("cannot mount FUSE at %s: %s",
					 sf->mountpoint, g_strerror(errno));
		goto fail;
	}
	close(fsfd);
	sf->mnt_fd = mfd;
	/* No stat: a request to the mount would wait for our loop. */
	sf->mnt_id = fd_mnt_id(mfd);
	sf->own_mount = true;
	return dev;
fail:
	if (mfd >= 0)
		close(mfd);
	close(fsfd);
	close(dev);
	return -1;
}

/* The directory to mount on: it must exist and not be a mount point. */
static int open_target(const char *mountpoint, char **error)
{
	int target = open(mountpoint, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (target < 0) {
		*error = g_strdup_printf("cannot open %s: %s", mountpoint,
					 g_strerror(errno));
		return -1;
	}
	if (is_mount_root(target)) {
		*error = g_strdup_printf("%s is already a mount point (another 'umd-emu run' may be using it)",
					 mountpoint);
		close(target);
		return -1;
	}
	return target;
}

static void sfs_free(struct sfs_fuse *sf)
{
	if (sf->mnt_fd >= 0)
		close(sf->mnt_fd);
	g_hash_table_destroy(sf->open_files);
	pthread_cond_destroy(&sf->released);
	pthread_mutex_destroy(&sf->open_lock);
	g_free(sf->mountpoint);
	g_free(sf);
}

/*
 * libfuse's side: the filesystem, and its mount: the /dev/fuse
 * descriptor dev already mounted (as root, taken by libfuse as
 * /dev/fd/N), or a mount through fusermount3 (dev < 0). 0 or -1.
 */
static int fuse_attach(struct sfs_fuse *sf, int dev, char **error)
{
	char *argv[] = { "umd-emu-securityfs", "-o", NULL, NULL };
	struct fuse_args args;
	char fdpath[32];

	if (dev >= 0)
		argv[1] = NULL;		/* mounted already: no mount options */
	else
		argv[2] = g_strdup("fsname=securityfs,subtype=umd-emu,default_permissions,auto_unmount");
	args = (struct fuse_args)FUSE_ARGS_INIT(argv[1] ? 3 : 1, argv);
	sf->fuse = fuse_new(&args, &sfs_ops, sizeof(sfs_ops), sf);
	fuse_opt_free_args(&args);
	g_free(argv[2]);
	if (!sf->fuse) {
		*error = g_strdup("cannot create the FUSE filesystem (libfuse refused the options)");
		return -1;
	}
	snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", dev);
	if (fuse_mount(sf->fuse, dev >= 0 ? fdpath : sf->mountpoint)) {
		*error = g_strdup_printf("cannot mount FUSE at %s (see the message above from libfuse/fusermount3)",
					 sf->mountpoint);
		fuse_destroy(sf->fuse);
		return -1;
	}
	return 0;
}

/*
 * fusermount3 mounted it: take its identity now, without a request to it
 * (our loop does not run yet). 0 or -1.
 */
static int take_identity(struct sfs_fuse *sf, char **error)
{
	char type[64];

	sf->mnt_fd = open(sf->mountpoint, O_PATH | O_DIRECTORY | O_CLOEXEC);
	sf->mnt_id = sf->mnt_fd >= 0 ? fd_mnt_id(sf->mnt_fd) : -1;
	if (sf->mnt_id < 0 ||
	    !mount_lookup(sf->mnt_id, NULL, 0, type, sizeof(type)) ||
	    strcmp(type, "fuse.umd-emu")) {
		*error = g_strdup_printf("the FUSE mount at %s vanished right after mounting",
					 sf->mountpoint);
		return -1;
	}
	return 0;
}

struct sfs_fuse *sfs_fuse_start(const char *mountpoint, char **error)
{
	struct sfs_fuse *sf;
	int target, dev = -2;

	*error = sfs_fuse_unusable_reason();
	if (*error)
		return NULL;
	target = open_target(mountpoint, error);
	if (target < 0)
		return NULL;
	sf = g_new0(struct sfs_fuse, 1);
	sf->mountpoint = g_strdup(mountpoint);
	sf->mnt_fd = -1;
	pthread_mutex_init(&sf->open_lock, NULL);
	pthread_cond_init(&sf->released, NULL);
	sf->open_files = g_hash_table_new(NULL, NULL);
	if (geteuid() == 0)
		dev = own_mount(sf, target, error);
	close(target);
	if (dev == -1)
		goto fail;

	umd_emu_task_signal();
	if (fuse_attach(sf, dev, error)) {
		if (sf->own_mount)
			sfs_mount_detach(sf->mnt_fd, sf->mnt_id, true);
		if (dev >= 0)
			close(dev);
		goto fail;
	}
	/* dev is libfuse's now. */
	if (!sf->own_mount && take_identity(sf, error))
		goto fail_fuse;
	if (pthread_create(&sf->thread, NULL, sfs_loop, sf)) {
		*error = g_strdup("cannot start the FUSE server thread");
		sfs_mount_detach(sf->mnt_fd, sf->mnt_id, sf->own_mount);
		goto fail_fuse;
	}
	return sf;

fail_fuse:
	fuse_unmount(sf->fuse);
	fuse_destroy(sf->fuse);
fail:
	sfs_free(sf);
	return NULL;
}

int sfs_mount_detach(int mnt_fd, int mnt_id, bool own)
{
	char path[4096], self[48] = "/proc/self/fd/", type[64];
	int status;
	pid_t pid;

	if (own) {
		/* The descriptor's magic link is this very mount. */
		umd_emu_put_ulong(self + strlen(self), mnt_fd);
		return umount2(self, MNT_DETACH) ? -errno : 0;
	}
	if (!mount_lookup(mnt_id, path, sizeof(path), type, sizeof(type)) ||
	    strcmp(type, "fuse.umd-emu"))
		return -ENOENT;		/* gone already */
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		execlp("fusermount3", "fusermount3", "-u", "-z", "-q", "--",
		       path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

int sfs_fuse_mount_fd(struct sfs_fuse *sf, int *mnt_id, bool *own)
{
	*mnt_id = sf->mnt_id;
	*own = sf->own_mount;
	return sf->mnt_fd;
}

static void release_one(gpointer key, gpointer value, gpointer data)
{
	(void)value;
	(void)data;
	umd_emu_securityfs_release(key);
}

/*
 * Whether some process has a file of our mount open: a descriptor whose
 * fdinfo names our mount ID (reading it sends no request to us). The
 * processes of other users are not readable, and cannot open our files
 * anyway (the mount is not allow_other).
 */
static bool files_held(const struct sfs_fuse *sf)
{
	char path[sizeof("/proc//fdinfo/") + 12 + 256], info[512], *p;
	struct dirent *proc, *fd;
	DIR *procdir, *fddir;
	bool held = false;

	procdir = opendir("/proc");
	if (!procdir)
		return true;	/* cannot tell: do not wait */
	while (!held && (proc = readdir(procdir))) {
		pid_t pid = atoi(proc->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
		fddir = opendir(path);
		if (!fddir)
			continue;	/* gone, or not ours */
		while (!held && (fd = readdir(fddir))) {
			if (fd->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s",
				 pid, fd->d_name);
			if (read_proc(path, info, sizeof(info)) <= 0)
				continue;
			/* O_PATH descriptors (ours, the guard's) open nothing. */
			p = strstr(info, "flags:");
			if (p && strtoul(p + 6, NULL, 8) & O_PATH)
				continue;
			p = strstr(info, "mnt_id:");
			held = p && atoi(p + 7) == sf->mnt_id;
		}
		closedir(fddir);
	}
	closedir(procdir);
	return held;
}

/*
 * A process that closes a file as it ends has queued its RELEASE by the
 * time it is reaped, but the RELEASE reaches us a moment later. When no
 * process holds a file of ours any more, the files still open here are
 * such RELEASEs on their way: wait for them (bounded). When a process
 * still holds one, there is nothing to wait for but the ->release calls
 * under way.
 */
void sfs_fuse_settle(struct sfs_fuse *sf)
{
	struct timespec until;
	bool open;

	if (!sf)
		return;
	pthread_mutex_lock(&sf->open_lock);
	open = g_hash_table_size(sf->open_files);
	pthread_mutex_unlock(&sf->open_lock);
	if (open && (sf->mnt_id < 0 || files_held(sf)))
		open = false;	/* held: wait only for releases under way */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SFS_RELEASE_WAIT_S;
	pthread_mutex_lock(&sf->open_lock);
	while (((open && g_hash_table_size(sf->open_files)) || sf->releasing) &&
	       pthread_cond_timedwait(&sf->released, &sf->open_lock,
				      &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&sf->open_lock);
}

int sfs_fuse_stop(struct sfs_fuse *sf, unsigned int *released)
{
	struct timespec ts;
	int err;

	if (!sf)
		return 0;
	sfs_fuse_settle(sf);
	/* Detach our mount (callers see it go); requests in flight finish. */
	err = sfs_mount_detach(sf->mnt_fd, sf->mnt_id, sf->own_mount);
	/*
	 * End the loop. libfuse's threads wait for a request (or for the
	 * unmount) that may never come: the task signal wakes them. Repeat
	 * it until the loop has ended, in case it lands before they sleep.
	 */
	fuse_exit(sf->fuse);
	do {
		pthread_kill(sf->thread, umd_emu_task_signal());
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
	} while (pthread_timedjoin_np(sf->thread, NULL, &ts) == ETIMEDOUT);
	/* fusermount3's mounts: libfuse's own unmount closes its side too. */
	if (!sf->own_mount)
		fuse_unmount(sf->fuse);
	fuse_destroy(sf->fuse);
	/*
	 * A process that still has a file open (its RELEASE in flight, or
	 * the file kept past the end) will not be heard from again: release
	 * it here, as the end of that process would.
	 */
	if (released)
		*released = g_hash_table_size(sf->open_files);
	g_hash_table_foreach(sf->open_files, release_one, NULL);
	sfs_free(sf);
	return err;
}
