// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: the single_open() flavour of seq_file: ->show() fills a
 * buffer on the first read (retried with a bigger buffer on overflow, as
 * fs/seq_file.c does), reads are served from it.
 */
#include <stdio.h>
#include <string.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

static bool seq_has_overflowed(struct seq_file *m)
{
	return m->count == m->size;
}

static void seq_set_overflow(struct seq_file *m)
{
	m->count = m->size;
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->count + len < m->size) {
		memcpy(m->buf + m->count, data, len);
		m->count += len;
	} else {
		seq_set_overflow(m);
	}
}
EXPORT_SYMBOL(seq_write);

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list args;
	int len;

	if (m->count < m->size) {
		va_start(args, fmt);
		len = vsnprintf(m->buf + m->count, m->size - m->count, fmt,
				args);
		va_end(args);
		if (len >= 0 && m->count + len < m->size) {
			m->count += len;
			return;
		}
	}
	seq_set_overflow(m);
}
EXPORT_SYMBOL(seq_printf);

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}
EXPORT_SYMBOL(seq_puts);

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}
EXPORT_SYMBOL(seq_putc);

static int seq_fill(struct seq_file *m)
{
	size_t size = 4096;
	int err;

	for (;;) {
		kvfree(m->buf);
		m->buf = kvmalloc(size, GFP_KERNEL);
		if (!m->buf)
			return -ENOMEM;
		m->size = size;
		m->count = 0;
		err = m->show(m, (void *)1);	/* SEQ_START_TOKEN */
		if (err < 0)
			return err;
		if (!seq_has_overflowed(m))
			break;
		size *= 2;
	}
	m->filled = true;
	return 0;
}

ssize_t seq_read(struct file *file, char __user *buf, size_t size,
		 loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	int err;

	if (!m->filled || *ppos == 0) {
		err = seq_fill(m);
		if (err)
			return err;
	}
	return simple_read_from_buffer(buf, size, ppos, m->buf, m->count);
}
EXPORT_SYMBOL(seq_read);

loff_t seq_lseek(struct file *file, loff_t offset, int whence)
{
	return default_llseek(file, offset, whence);
}
EXPORT_SYMBOL(seq_lseek);

int single_open(struct file *file, int (*show)(struct seq_file *, void *),
		void *data)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->show = show;
	m->private = data;
	m->file = file;
	file->private_data = m;
	return 0;
}
EXPORT_SYMBOL(single_open);

int single_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	(void)inode;
	if (m) {
		kvfree(m->buf);
		kfree(m);
	}
	file->private_data = NULL;
	return 0;
}
EXPORT_SYMBOL(single_release);
