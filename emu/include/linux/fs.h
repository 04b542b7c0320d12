/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/fs.h>.
 * Kind: customised. struct file wraps a file descriptor of the emulator
 * (a pipe end, the blob memfd) or, for securityfs, an open entry of the
 * emulated securityfs. kernel_read()/kernel_write() make one read(2)/
 * write(2) and return bytes or a negative errno; like the kernel's they may
 * transfer less than asked.
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <fcntl.h>
#include <sys/stat.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/wait.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/init.h>

#define FMODE_READ		((fmode_t)0x1)
#define FMODE_WRITE		((fmode_t)0x2)
#define FMODE_LSEEK		((fmode_t)0x4)
#define FMODE_PREAD		((fmode_t)0x8)
#define FMODE_PWRITE		((fmode_t)0x10)
#define FMODE_EXEC		((fmode_t)0x20)
#define FMODE_ATOMIC_POS	((fmode_t)0x8000)
#define FMODE_STREAM		((fmode_t)0x200000)

#define MAX_RW_COUNT		(INT_MAX & ~4095UL)

typedef void *fl_owner_t;
typedef unsigned int __poll_t;

struct module;
struct file;
struct poll_table_struct;
struct kiocb;
struct iov_iter;
struct vm_area_struct;
struct vfsmount;
struct umd_emu_channel;

struct inode {
	umode_t i_mode;
	unsigned long i_ino;
	loff_t i_size;
	void *i_private;
	const struct file_operations *i_fop;
};

struct qstr {
	u32 len;
	const unsigned char *name;
};

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	void *d_fsdata;
};

struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t count,
			loff_t *ppos);
	ssize_t (*write)(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos);
	ssize_t (*read_iter)(struct kiocb *iocb, struct iov_iter *iter);
	ssize_t (*write_iter)(struct kiocb *iocb, struct iov_iter *iter);
	__poll_t (*poll)(struct file *file, struct poll_table_struct *pt);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd,
			       unsigned long arg);
	long (*compat_ioctl)(struct file *file, unsigned int cmd,
			     unsigned long arg);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *file);
	int (*flush)(struct file *file, fl_owner_t id);
	int (*release)(struct inode *inode, struct file *file);
};

struct file {
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	fmode_t f_mode;
	unsigned int f_flags;
	loff_t f_pos;
	void *private_data;
	atomic_t f_count;
	int f_emu_fd;			/* emulator: backing fd, or -1 */
	struct umd_emu_channel *f_emu_chan;	/* emulator: UMD pipe */
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

static inline struct inode *d_inode(const struct dentry *dentry)
{
	return dentry->d_inode;
}

static inline struct file *get_file(struct file *f)
{
	atomic_inc(&f->f_count);
	return f;
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *file, const void *buf, size_t count,
		     loff_t *pos);

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				const void *from, size_t available);
ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos,
			       const void __user *from, size_t count);

loff_t noop_llseek(struct file *file, loff_t offset, int whence);
loff_t no_llseek(struct file *file, loff_t offset, int whence);
loff_t default_llseek(struct file *file, loff_t offset, int whence);
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
int nonseekable_open(struct inode *inode, struct file *filp);
int stream_open(struct inode *inode, struct file *filp);
int simple_open(struct inode *inode, struct file *file);

#endif /* _LINUX_FS_H */
