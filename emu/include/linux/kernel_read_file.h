/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/kernel_read_file.h>: reading a whole file into a
 * kernel buffer by path. Kind: customised, in emu/kernel_read_file.c: the
 * file is opened by the emulator process, with its credentials and its
 * working directory (the kernel uses the calling task's), and there is no
 * deny_write_access() (-ETXTBSY) and no LSM hook.
 */
#ifndef _LINUX_KERNEL_READ_FILE_H
#define _LINUX_KERNEL_READ_FILE_H

#include <linux/file.h>
#include <linux/types.h>

enum kernel_read_file_id {
	READING_UNKNOWN,
	READING_FIRMWARE,
	READING_MODULE,
	READING_KEXEC_IMAGE,
	READING_KEXEC_INITRAMFS,
	READING_POLICY,
	READING_X509_CERTIFICATE,
	READING_MAX_ID,
};

ssize_t kernel_read_file_from_path(const char *path, loff_t offset,
				   void **buf, size_t buf_size,
				   size_t *file_size,
				   enum kernel_read_file_id id);

#endif /* _LINUX_KERNEL_READ_FILE_H */
