// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: securityfs.
 *
 * securityfs_create_file()/_dir()/_symlink() and securityfs_remove() keep a
 * tree of entries (name, mode, inode with i_private, file_operations), as
 * security/inode.c does on its pseudo filesystem. The FUSE server serves
 * that tree; tests drive it directly through umd_emu_securityfs_*().
 *
 * Opening, reading, writing and releasing follow the VFS: ->open runs at
 * open, a file opened without FMODE_READ gets -EBADF on read, a file whose
 * operations have no ->read gets -EINVAL, and so on. One deliberate
 * difference: securityfs_remove() waits for the operations in flight on the
 * entry to return, and later operations on files still open return -EIO
 * without calling into the (possibly unloaded) module, where a kernel
 * without .owner in the file_operations would call freed code.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/security.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>

#include "emu.h"
#include "internal.h"

struct sfs_entry {
	struct dentry dentry;
	struct inode inode;
	char *name;
	char *target;			/* symlinks */
	struct sfs_entry *parent;
	struct sfs_entry *children;
	struct sfs_entry *sibling;
	struct module *owner;		/* module whose init/exit made it */
	int refs;			/* the tree's + open files' + lookups' */
	int active;			/* operations in flight */
	bool removed;
};

static pthread_mutex_t sfs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sfs_idle = PTHREAD_COND_INITIALIZER;
static struct sfs_entry sfs_root = {
	.inode = { .i_mode = S_IFDIR | 0755, .i_ino = 1 },
	.name = "",
	.refs = 1,
};
static unsigned long sfs_next_ino = 2;
static uint64_t sfs_generation;
static int sfs_count;
static void (*sfs_notify)(void *data);
static void *sfs_notify_data;

static struct sfs_entry *to_entry(const struct dentry *dentry)
{
	return container_of(dentry, struct sfs_entry, dentry);
}

static void entry_free(struct sfs_entry *e)
{
	kfree(e->name);
	kfree(e->target);
	kfree(e);
}

static void entry_put_locked(struct sfs_entry *e)
{
	if (!--e->refs)
		entry_free(e);
}

static void notify(void)
{
	void (*fn)(void *data);
	void *data;

	pthread_mutex_lock(&sfs_lock);
	fn = sfs_notify;
	data = sfs_notify_data;
	pthread_mutex_unlock(&sfs_lock);
	if (fn)
		fn(data);
}

void umd_emu_securityfs_set_notify(void (*fn)(void *data), void *data)
{
	pthread_mutex_lock(&sfs_lock);
	sfs_notify = fn;
	sfs_notify_data = data;
	pthread_mutex_unlock(&sfs_lock);
}

static struct sfs_entry *find_child(struct sfs_entry *dir, const char *name,
				    size_t len)
{
	struct sfs_entry *e;

	for (e = dir->children; e; e = e->sibling)
		if (strlen(e->name) == len && !memcmp(e->name, name, len))
			return e;
	return NULL;
}

static struct dentry *sfs_create(const char *name, umode_t mode,
				 struct dentry *parent, void *data,
				 const struct file_operations *fops,
				 const char *target)
{
	struct sfs_entry *dir = parent ? to_entry(parent) : &sfs_root;
	size_t len = name ? strlen(name) : 0;
	struct sfs_entry *e;

	/* What lookup_one_len() refuses. */
	if (!len || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return ERR_PTR(-EACCES);
	if (!(mode & S_IFMT))
		mode = (mode & 07777) | S_IFREG;

	/* The kernel's allocations here (inode, dentry) can fail: failslab. */
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->name = kstrdup(name, GFP_KERNEL);
	e->target = target ? kstrdup(target, GFP_KERNEL) : NULL;
	if (!e->name || (target && !e->target)) {
		entry_free(e);
		return ERR_PTR(-ENOMEM);
	}

	pthread_mutex_lock(&sfs_lock);
	if (!S_ISDIR(dir->inode.i_mode) || dir->removed) {
		pthread_mutex_unlock(&sfs_lock);
		entry_free(e);
		return ERR_PTR(dir->removed ? -ENOENT : -ENOTDIR);
	}
	if (find_child(dir, name, len)) {
		pthread_mutex_unlock(&sfs_lock);
		entry_free(e);
		return ERR_PTR(-EEXIST);
	}
	e->inode.i_mode = mode;
	e->inode.i_ino = sfs_next_ino++;
	e->inode.i_private = data;
	e->inode.i_fop = fops;
	e->dentry.d_parent = &dir->dentry;
	e->dentry.d_name.name = (const unsigned char *)e->name;
	e->dentry.d_name.len = len;
	e->dentry.d_inode = &e->inode;
	e->parent = dir;
	e->owner = umd_emu_module_current();
	e->refs = 1;
	e->sibling = dir->children;
	dir->children = e;
	dir->refs++;
	sfs_generation++;
	sfs_count++;
	pthread_mutex_unlock(&sfs_lock);
	notify();
	return &e->dentry;
}

struct dentry *securityfs_create_file(const char *name, umode_t mode,
				      struct dentry *parent, void *data,
				      const struct file_operations *fops)
{
	return sfs_create(name, mode, parent, data, fops, NULL);
}
EXPORT_SYMBOL_GPL(securityfs_create_file);

struct dentry *securityfs_create_dir(const char *name, struct dentry *parent)
{
	return sfs_create(name, S_IFDIR | 0755, parent, NULL, NULL, NULL);
}
EXPORT_SYMBOL_GPL(securityfs_create_dir);

struct dentry *securityfs_create_symlink(const char *name,
					 struct dentry *parent,
					 const char *target, const void *iops)
{
	(void)iops;
	if (!target)
		return ERR_PTR(-EINVAL);
	return sfs_create(name, S_IFLNK | 0444, parent, NULL, NULL, target);
}
EXPORT_SYMBOL_GPL(securityfs_create_symlink);

/* Unlink e from the tree and wait until nothing runs in it. */
static void sfs_unlink_locked(struct sfs_entry *e)
{
	struct sfs_entry **pp;

	e->removed = true;
	for (pp = &e->parent->children; *pp; pp = &(*pp)->sibling) {
		if (*pp == e) {
			*pp = e->sibling;
			break;
		}
	}
	while (e->active)
		pthread_cond_wait(&sfs_idle, &sfs_lock);
	sfs_generation++;
	sfs_count--;
	entry_put_locked(e->parent);
	entry_put_locked(e);
}

void securityfs_remove(struct dentry *dentry)
{
	struct sfs_entry *e;

	if (IS_ERR_OR_NULL(dentry))
		return;
	e = to_entry(dentry);
	pthread_mutex_lock(&sfs_lock);
	/* As simple_rmdir(): a directory that is not empty stays. */
	if (e->removed || (S_ISDIR(e->inode.i_mode) && e->children)) {
		pthread_mutex_unlock(&sfs_lock);
		return;
	}
	sfs_unlink_locked(e);
	pthread_mutex_unlock(&sfs_lock);
	notify();
}
EXPORT_SYMBOL_GPL(securityfs_remove);

static void sfs_remove_tree_locked(struct sfs_entry *e)
{
	while (e->children)
		sfs_remove_tree_locked(e->children);
	sfs_unlink_locked(e);
}

void securityfs_recursive_remove(struct dentry *dentry)
{
	struct sfs_entry *e;

	if (IS_ERR_OR_NULL(dentry))
		return;
	e = to_entry(dentry);
	pthread_mutex_lock(&sfs_lock);
	if (!e->removed)
		sfs_remove_tree_locked(e);
	pthread_mutex_unlock(&sfs_lock);
	notify();
}
EXPORT_SYMBOL_GPL(securityfs_recursive_remove);

static int sfs_check_tree_locked(struct sfs_entry *dir, struct module *mod)
{
	struct sfs_entry *e, *next;
	int found = 0;

	for (e = dir->children; e; e = next) {
		next = e->sibling;
		found += sfs_check_tree_locked(e, mod);
		if (e->owner != mod &&
		    !umd_emu_module_contains(mod, e->inode.i_fop) &&
		    !umd_emu_module_contains(mod, e->inode.i_private))
			continue;
		printk(KERN_WARNING "WARNING: module %s unloaded with securityfs entry %s still registered (removed now)\n",
		       umd_emu_module_name(mod), e->name);
		umd_emu_count_warning();
		while (e->children)
			sfs_remove_tree_locked(e->children);
		sfs_unlink_locked(e);
		found++;
	}
	return found;
}

/* After a module's exit (or failed init): what it left registered. */
static int sfs_module_notify(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	int found;

	if (state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	pthread_mutex_lock(&sfs_lock);
	found = sfs_check_tree_locked(&sfs_root, data);
	pthread_mutex_unlock(&sfs_lock);
	if (found)
		notify();
	return NOTIFY_OK;
}

static struct notifier_block sfs_module_nb = {
	.notifier_call = sfs_module_notify,
};

static void __attribute__((constructor)) sfs_setup(void)
{
	register_module_notifier(&sfs_module_nb);
}

int umd_emu_securityfs_count(void)
{
	int n;

	pthread_mutex_lock(&sfs_lock);
	n = sfs_count;
	pthread_mutex_unlock(&sfs_lock);
	return n;
}

/* ---- the front ends' side -------------------------------------------- */

static struct sfs_entry *lookup_locked(const char *path)
{
	struct sfs_entry *e = &sfs_root;
	const char *p = path, *slash;
	size_t len;

	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (!S_ISDIR(e->inode.i_mode))
			return ERR_PTR(-ENOTDIR);
		e = find_child(e, p, len);
		if (!e)
			return ERR_PTR(-ENOENT);
		p += len;
	}
	return e;
}

static void fill_stat(const struct sfs_entry *e, struct umd_emu_sfs_stat *st)
{
	st->mode = e->inode.i_mode;
	st->ino = e->inode.i_ino;
	st->generation = sfs_generation;
}

int umd_emu_securityfs_stat(const char *path, struct umd_emu_sfs_stat *st)
{
	struct sfs_entry *e;
	int err = 0;

	pthread_mutex_lock(&sfs_lock);
	e = lookup_locked(path);
	if (IS_ERR(e))
		err = PTR_ERR(e);
	else
		fill_stat(e, st);
	pthread_mutex_unlock(&sfs_lock);
	return err;
}

int umd_emu_securityfs_readdir(const char *path, umd_emu_sfs_dir_fn fn,
			       void *data)
{
	struct umd_emu_sfs_stat st;
	struct sfs_entry *dir, *e;
	int err = 0;

	pthread_mutex_lock(&sfs_lock);
	dir = lookup_locked(path);
	if (IS_ERR(dir)) {
		err = PTR_ERR(dir);
	} else if (!S_ISDIR(dir->inode.i_mode)) {
		err = -ENOTDIR;
	} else {
		for (e = dir->children; e && !err; e = e->sibling) {
			fill_stat(e, &st);
			err = fn(e->name, &st, data);
		}
		if (err > 0)
			err = 0;
	}
	pthread_mutex_unlock(&sfs_lock);
	return err;
}

int umd_emu_securityfs_readlink(const char *path, char *buf, size_t size)
{
	struct sfs_entry *e;
	int err = 0;

	if (!size)
		return -EINVAL;
	pthread_mutex_lock(&sfs_lock);
	e = lookup_locked(path);
	if (IS_ERR(e))
		err = PTR_ERR(e);
	else if (!S_ISLNK(e->inode.i_mode))
		err = -EINVAL;
	else
		snprintf(buf, size, "%s", e->target);
	pthread_mutex_unlock(&sfs_lock);
	return err;
}

/* Mark an operation in flight on the file's entry; false if it is gone. */
static bool sfs_enter(struct sfs_entry *e)
{
	bool ok;

	pthread_mutex_lock(&sfs_lock);
	ok = !e->removed;
	if (ok)
		e->active++;
	pthread_mutex_unlock(&sfs_lock);
	return ok;
}

static void sfs_leave(struct sfs_entry *e)
{
	pthread_mutex_lock(&sfs_lock);
	if (!--e->active)
		pthread_cond_broadcast(&sfs_idle);
	pthread_mutex_unlock(&sfs_lock);
}

int umd_emu_securityfs_open(const char *path, int flags, struct file **filp)
{
	struct sfs_entry *e;
	struct file *file;
	int err = 0;

	pthread_mutex_lock(&sfs_lock);
	e = lookup_locked(path);
	if (IS_ERR(e)) {
		pthread_mutex_unlock(&sfs_lock);
		return PTR_ERR(e);
	}
	if (S_ISDIR(e->inode.i_mode) && (flags & O_ACCMODE) != O_RDONLY) {
		pthread_mutex_unlock(&sfs_lock);
		return -EISDIR;
	}
	if (S_ISLNK(e->inode.i_mode)) {
		pthread_mutex_unlock(&sfs_lock);
		return -ELOOP;
	}
	e->refs++;
	pthread_mutex_unlock(&sfs_lock);

	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file) {
		err = -ENOMEM;
		goto put;
	}
	file->f_emu_fd = -1;
	atomic_set(&file->f_count, 1);
	file->f_path.dentry = &e->dentry;
	file->f_inode = &e->inode;
	file->f_op = e->inode.i_fop;
	file->f_flags = flags;
	file->f_mode = FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	if ((flags & O_ACCMODE) != O_WRONLY)
		file->f_mode |= FMODE_READ;
	if ((flags & O_ACCMODE) != O_RDONLY)
		file->f_mode |= FMODE_WRITE;

	if (!sfs_enter(e)) {
		err = -ENOENT;
		goto free_file;
	}
	if (file->f_op && file->f_op->open)
		err = file->f_op->open(file->f_inode, file);
	sfs_leave(e);
	if (err)
		goto free_file;
	*filp = file;
	return 0;

free_file:
	kfree(file);
put:
	pthread_mutex_lock(&sfs_lock);
	entry_put_locked(e);
	pthread_mutex_unlock(&sfs_lock);
	return err;
}

ssize_t umd_emu_securityfs_read(struct file *filp, void *buf, size_t count,
				loff_t *pos)
{
	struct sfs_entry *e = to_entry(filp->f_path.dentry);
	ssize_t ret;

	if (!(filp->f_mode & FMODE_READ))
		return -EBADF;
	if (!pos)
		pos = &filp->f_pos;
	if (!sfs_enter(e))
		return -EIO;
	if (!filp->f_op || !filp->f_op->read) {
		ret = S_ISDIR(e->inode.i_mode) ? -EISDIR : -EINVAL;
	} else {
		count = min_t(size_t, count, MAX_RW_COUNT);
		umd_emu_user_map(buf, count, true);
		ret = filp->f_op->read(filp, buf, count, pos);
		umd_emu_user_unmap(buf);
	}
	sfs_leave(e);
	return ret;
}

ssize_t umd_emu_securityfs_write(struct file *filp, const void *buf,
				 size_t count, loff_t *pos)
{
	struct sfs_entry *e = to_entry(filp->f_path.dentry);
	ssize_t ret;

	if (!(filp->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!pos)
		pos = &filp->f_pos;
	if (!sfs_enter(e))
		return -EIO;
	if (!filp->f_op || !filp->f_op->write) {
		ret = -EINVAL;
	} else {
		count = min_t(size_t, count, MAX_RW_COUNT);
		umd_emu_user_map(buf, count, false);
		ret = filp->f_op->write(filp, buf, count, pos);
		umd_emu_user_unmap(buf);
	}
	sfs_leave(e);
	return ret;
}

int umd_emu_securityfs_release(struct file *filp)
{
	struct sfs_entry *e = to_entry(filp->f_path.dentry);
	int ret = 0;

	if (sfs_enter(e)) {
		if (filp->f_op && filp->f_op->release)
			ret = filp->f_op->release(filp->f_inode, filp);
		sfs_leave(e);
	} else {
		/* The operations may be gone with their module. */
		pr_debug("securityfs: %s closed after removal\n", e->name);
	}
	kfree(filp);
	pthread_mutex_lock(&sfs_lock);
	entry_put_locked(e);
	pthread_mutex_unlock(&sfs_lock);
	return ret;
}

ssize_t umd_emu_securityfs_write_file(const char *path, const void *buf,
				      size_t count)
{
	struct file *filp;
	ssize_t ret;
	int err;

	err = umd_emu_securityfs_open(path, O_WRONLY, &filp);
	if (err)
		return err;
	ret = umd_emu_securityfs_write(filp, buf, count, NULL);
	umd_emu_securityfs_release(filp);
	return ret;
}
