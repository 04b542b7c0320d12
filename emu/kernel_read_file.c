// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: kernel_read_file_from_path() of fs/kernel_read_file.c,
 * over open(2), fstat(2) and pread(2) of the emulator process. The checks
 * and their errors are 6.1's, in its order: an empty path -EINVAL,
 * open(2)'s own errno, a non-zero offset without a buffer and @file_size
 * -EINVAL, not a regular file -EINVAL, an empty file -EINVAL, a file
 * larger than @buf_size when the whole of it is wanted -EFBIG, no memory
 * -ENOMEM, a file that shrank while it was read -EIO. What differs is
 * said in the header.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/kernel_read_file.h>
#include <linux/vmalloc.h>

static ssize_t read_at(int fd, void *buf, size_t count, loff_t pos)
{
	ssize_t n;

	do {
		n = pread(fd, buf, count, pos);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

static ssize_t read_fd(int fd, loff_t offset, void **buf, size_t buf_size,
		       size_t *file_size)
{
	void *allocated = NULL;
	bool whole_file;
	size_t copied = 0;
	loff_t pos = offset;
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size <= 0)
		return -EINVAL;
	if (!file_size && offset == 0 && (size_t)st.st_size > buf_size)
		return -EFBIG;
	whole_file = offset == 0 && (size_t)st.st_size <= buf_size;
	if (file_size)
		*file_size = st.st_size;
	if (!*buf)
		*buf = allocated = vmalloc(st.st_size);
	if (!*buf)
		return -ENOMEM;

	while (copied < buf_size) {
		size_t wanted = min_t(size_t, buf_size - copied,
				      st.st_size > pos ? st.st_size - pos : 0);

		n = read_at(fd, (char *)*buf + copied, wanted, pos);
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		copied += n;
		pos += n;
	}
	if (whole_file && pos != st.st_size) {
		n = -EIO;
		goto fail;
	}
	return copied;
fail:
	if (allocated) {
		vfree(allocated);
		*buf = NULL;
	}
	return n;
}

/**
 * kernel_read_file_from_path() - read a file into a kernel buffer
 * @path: the file's path
 * @offset: where to start reading (0 unless @buf and @file_size are given)
 * @buf: the buffer; if *@buf is NULL one is vmalloc()ed (free it with
 *	vfree()) and @buf_size is the largest file taken
 * @buf_size: the buffer's size
 * @file_size: if not NULL, set to the size of the whole file
 * @id: what is read (the kernel's LSMs look at it; the emulator does not)
 *
 * Return: the number of bytes read, or a negative errno.
 */
ssize_t kernel_read_file_from_path(const char *path, loff_t offset,
				   void **buf, size_t buf_size,
				   size_t *file_size,
				   enum kernel_read_file_id id)
{
	ssize_t ret;
	int fd;

	(void)id;
	if (!path || !*path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (offset != 0 && (!*buf || !file_size))
		ret = -EINVAL;
	else
		ret = read_fd(fd, offset, buf, buf_size, file_size);
	close(fd);
	return ret;
}
EXPORT_SYMBOL_GPL(kernel_read_file_from_path);
