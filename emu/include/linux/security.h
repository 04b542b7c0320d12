/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/security.h> (the securityfs part).
 * Kind: customised. Entries go to the emulator's securityfs registry,
 * which the FUSE filesystem serves; return values are the kernel's
 * (a dentry, or ERR_PTR(-EEXIST) / ERR_PTR(-ENOENT) / ERR_PTR(-ENOMEM)).
 */
#ifndef __LINUX_SECURITY_H
#define __LINUX_SECURITY_H

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>

struct dentry *securityfs_create_file(const char *name, umode_t mode,
				      struct dentry *parent, void *data,
				      const struct file_operations *fops);
struct dentry *securityfs_create_dir(const char *name, struct dentry *parent);
struct dentry *securityfs_create_symlink(const char *name,
					 struct dentry *parent,
					 const char *target,
					 const void *iops);
void securityfs_remove(struct dentry *dentry);
void securityfs_recursive_remove(struct dentry *dentry);

#endif /* __LINUX_SECURITY_H */
