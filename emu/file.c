// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: struct file over a file descriptor, kernel_read() and
 * kernel_write(), and the simple_*_buffer()/llseek helpers of fs/libfs.c.
 *
 * kernel_write() on a pipe whose reader is gone returns -EPIPE; the
 * SIGPIPE that the write raises is consumed on the calling thread (a kernel
 * thread ignores it), so the emulator process is not killed and its signal
 * dispositions, inherited by the commands it runs, stay untouched.
 *
 * A blocking read or write of a pipe sleeps as the kernel's pipe_read()
 * and pipe_write() do, interruptibly: a thread serving a user process
 * whose process got a signal (emu/signal.c) returns -ERESTARTSYS, unless
 * the pipe is ready (a pipe_write() interrupted after some bytes returns
 * their count).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "emu-test.h"
#include "fault.h"
#include "internal.h"
#include "missing.h"

static size_t io_chunk;

void umd_emu_set_io_chunk(size_t max)
{
	__atomic_store_n(&io_chunk, max, __ATOMIC_SEQ_CST);
}

static size_t clamp_count(size_t count)
{
	size_t chunk = __atomic_load_n(&io_chunk, __ATOMIC_SEQ_CST);

	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	if (chunk && count > chunk)
		count = chunk;
	return count;
}

struct file *umd_emu_file_from_fd(int fd, unsigned int fmode)
{
	struct file *file = kzalloc(sizeof(*file), GFP_KERNEL);

	if (!file)
		return NULL;
	file->f_emu_fd = fd;
	file->f_mode = fmode;
	atomic_set(&file->f_count, 1);
	return file;
}

/*
 * What kernel_read() and kernel_write() check first, then the fault
 * points and the UMD channel; returns the count to move or an error.
 */
static ssize_t io_prepare(struct file *file, size_t count, bool write)
{
	/* A non-blocking probe is no part of a request. */
	struct umd_emu_channel *chan = file->f_flags & O_NONBLOCK ? NULL :
				       file->f_emu_chan;
	size_t asked = count;
	struct umd_emu_fault f;
	ssize_t n;

	if (!(file->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (file->f_emu_fd < 0)
		return -EINVAL;
	count = clamp_count(count);
	if (umd_emu_should_fail(write ? FAULT_KERNEL_WRITE : FAULT_KERNEL_READ,
				count, &f)) {
		if (f.error) {
			if (chan)
				umd_emu_channel_fault(chan, write, asked,
						      f.error);
			return f.error;
		}
		count = min(count, f.short_len);
	}
	if (chan) {
		n = umd_emu_channel_before(chan, file->f_emu_fd, write, asked,
					   count);
		if (n < 0 || (size_t)n < count)
			return n;
	}
	return count;
}

/* The other half of io_prepare(): the channel sees what was moved. */
static void io_finish(struct file *file, bool write, const void *buf,
		      ssize_t n)
{
	if (!file->f_emu_chan)
		return;
	/* A non-blocking probe is no part of a request. */
	if (!(file->f_flags & O_NONBLOCK))
		umd_emu_channel_after(file->f_emu_chan, file->f_emu_fd, write,
				      buf, n);
	else if (!write && n > 0)
		umd_emu_channel_stray(file->f_emu_chan, file->f_emu_fd, buf,
				      n);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	ssize_t n;

	n = io_prepare(file, count, false);
	if (n <= 0)
		return n;
	count = n;
	if (file->f_flags & O_NONBLOCK) {
		struct pollfd pfd = { .fd = file->f_emu_fd, .events = POLLIN };

		if (poll(&pfd, 1, 0) == 0)
			return -EAGAIN;
	} else if (!file->f_emu_chan &&
		   umd_emu_task_poll(file->f_emu_fd, POLLIN, -1) < 0) {
		return -ERESTARTSYS;
	}
	do {
		if (pos && (file->f_mode & FMODE_PREAD))
			n = pread(file->f_emu_fd, buf, count, *pos);
		else
			n = read(file->f_emu_fd, buf, count);
	} while (n < 0 && errno == EINTR && !umd_emu_task_signal_pending());
	if (n < 0)
		n = errno == EINTR ? -ERESTARTSYS : -errno;
	io_finish(file, false, buf, n);
	if (n < 0)
		return n;
	if (pos && (file->f_mode & FMODE_PREAD))
		*pos += n;
	return n;
}
EXPORT_SYMBOL(kernel_read);

/* pwritev2(RWF_NOSIGNAL): 1 works here, -1 refused (older kernel), 0 untried */
static int nosignal_works;

void umd_emu_file_use_rwf_nosignal(bool use)
{
	__atomic_store_n(&nosignal_works, use ? 0 : -1, __ATOMIC_RELAXED);
}

/*
 * write(2) that cannot raise SIGPIPE in the caller (the "kernel" does not
 * get signals from a pipe whose handler died): the count, or -errno.
 * Where the kernel knows RWF_NOSIGNAL, that is one system call; elsewhere
 * SIGPIPE is blocked around the write and a pending one consumed.
 */
static ssize_t write_no_sigpipe(int fd, const void *buf, size_t count)
{
	static const struct timespec no_wait;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = count };
	sigset_t pipe_set, old_set;
	ssize_t n;
	int err;

	if (__atomic_load_n(&nosignal_works, __ATOMIC_RELAXED) >= 0) {
		do {
			n = pwritev2(fd, &iov, 1, -1, RWF_NOSIGNAL);
		} while (n < 0 && errno == EINTR &&
			 !umd_emu_task_signal_pending());
		if (n >= 0 || errno != EOPNOTSUPP) {
			__atomic_store_n(&nosignal_works, 1, __ATOMIC_RELAXED);
			return n >= 0 ? n : errno == EINTR ? -ERESTARTSYS :
							    -errno;
		}
		__atomic_store_n(&nosignal_works, -1, __ATOMIC_RELAXED);
	}

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	do {
		n = write(fd, buf, count);
	} while (n < 0 && errno == EINTR && !umd_emu_task_signal_pending());
	err = errno == EINTR ? ERESTARTSYS : errno;
	if (n < 0 && err == EPIPE && !sigismember(&old_set, SIGPIPE))
		sigtimedwait(&pipe_set, NULL, &no_wait);
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	return n < 0 ? -err : n;
}

ssize_t kernel_write(struct file *file, const void *buf, size_t count,
		     loff_t *pos)
{
	ssize_t n;

	n = io_prepare(file, count, true);
	if (n <= 0)
		return n;
	count = n;

	if (pos && (file->f_mode & FMODE_PWRITE)) {
		/* A regular file: no SIGPIPE. */
		do {
			n = pwrite(file->f_emu_fd, buf, count, *pos);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			n = -errno;
	} else if (!file->f_emu_chan &&
		   umd_emu_task_poll(file->f_emu_fd, POLLOUT, -1) < 0) {
		n = -ERESTARTSYS;
	} else {
		n = write_no_sigpipe(file->f_emu_fd, buf, count);
	}
	io_finish(file, true, buf, n);
	if (n < 0)
		return n;
	if (pos && (file->f_mode & FMODE_PWRITE))
		*pos += n;
	return n;
}
EXPORT_SYMBOL(kernel_write);

void fput(struct file *file)
{
	if (!file)
		return;
	if (!atomic_dec_and_test(&file->f_count))
		return;
	/* A handler's reply pipe: say what nobody read (diagnostics). */
	if (file->f_emu_chan && (file->f_mode & FMODE_READ) &&
	    file->f_emu_fd >= 0)
		umd_emu_channel_closing(file->f_emu_chan, file->f_emu_fd);
	if (file->f_emu_fd >= 0)
		close(file->f_emu_fd);
	umd_emu_channel_put(file->f_emu_chan);
	kfree(file);
}
EXPORT_SYMBOL(fput);

/*
 * The part of [pos, available) a simple_*_buffer() call moves: 1 and
 * *count cut to fit, 0 (nothing: at or past the end, or no count) or
 * -EINVAL (negative position).
 */
static int buffer_span(loff_t pos, size_t available, size_t *count)
{
	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !*count)
		return 0;
	if (*count > available - pos)
		*count = available - pos;
	return 1;
}

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				const void *from, size_t available)
{
	int span = buffer_span(*ppos, available, &count);
	size_t left;

	if (span <= 0)
		return span;
	left = copy_to_user(to, (const char *)from + *ppos, count);
	if (left == count)
		return -EFAULT;
	*ppos += count - left;
	return count - left;
}
EXPORT_SYMBOL(simple_read_from_buffer);

ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos,
			       const void __user *from, size_t count)
{
	int span = buffer_span(*ppos, available, &count);
	size_t left;

	if (span <= 0)
		return span;
	left = copy_from_user((char *)to + *ppos, from, count);
	if (left == count)
		return -EFAULT;
	*ppos += count - left;
	return count - left;
}
EXPORT_SYMBOL(simple_write_to_buffer);

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	(void)offset;
	(void)whence;
	return file->f_pos;
}
EXPORT_SYMBOL(noop_llseek);

loff_t no_llseek(struct file *file, loff_t offset, int whence)
{
	(void)file;
	(void)offset;
	(void)whence;
	return -ESPIPE;
}
EXPORT_SYMBOL(no_llseek);

loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		if (!offset)
			return file->f_pos;
		offset += file->f_pos;
		break;
	case SEEK_END:
		offset += file->f_inode ? file->f_inode->i_size : 0;
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}
EXPORT_SYMBOL(default_llseek);

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	return default_llseek(file, offset, whence);
}
EXPORT_SYMBOL(generic_file_llseek);

int nonseekable_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	filp->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return 0;
}
EXPORT_SYMBOL(nonseekable_open);

int stream_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	filp->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE |
			  FMODE_ATOMIC_POS);
	filp->f_mode |= FMODE_STREAM;
	return 0;
}
EXPORT_SYMBOL(stream_open);

int simple_open(struct inode *inode, struct file *file)
{
	if (inode->i_private)
		file->private_data = inode->i_private;
	return 0;
}
EXPORT_SYMBOL(simple_open);
