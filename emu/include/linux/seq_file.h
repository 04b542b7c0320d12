/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/seq_file.h>: the single_open() family.
 * Kind: duplicates (semantics), own implementation in emu/seq_file.c.
 */
#ifndef _LINUX_SEQ_FILE_H
#define _LINUX_SEQ_FILE_H

#include <linux/types.h>
#include <linux/string.h>
#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/fs.h>

struct seq_operations;

struct seq_file {
	char *buf;
	size_t size;
	size_t count;
	loff_t index;
	void *private;
	struct file *file;
	int (*show)(struct seq_file *m, void *v);
	bool filled;
};

__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);
ssize_t seq_read(struct file *file, char __user *buf, size_t size,
		 loff_t *ppos);
loff_t seq_lseek(struct file *file, loff_t offset, int whence);
int single_open(struct file *file, int (*show)(struct seq_file *, void *),
		void *data);
int single_release(struct inode *inode, struct file *file);

#endif /* _LINUX_SEQ_FILE_H */
