/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu runtime: fault injection points (see fault.c). Private to the
 * runtime; front ends configure it through emu.h.
 */
#ifndef UMD_EMU_FAULT_H
#define UMD_EMU_FAULT_H

#include <stdbool.h>
#include <stddef.h>

enum umd_emu_fault_point {
	FAULT_SLAB,		/* failslab: kmalloc/kvmalloc return NULL */
	FAULT_COPY_FROM_USER,	/* copy_from_user/get_user fault */
	FAULT_COPY_TO_USER,	/* copy_to_user/put_user/clear_user fault */
	FAULT_KERNEL_WRITE,	/* kernel_write: error or short */
	FAULT_KERNEL_READ,	/* kernel_read: error or short */
	FAULT_PIPE,		/* pipe creation in fork_usermode_driver */
	FAULT_FORK,		/* fork in fork_usermode_driver */
	FAULT_EXEC,		/* the handler's exec fails */
	FAULT_MEMFD,		/* memfd creation in umd_load_blob */
	FAULT_REQUEST_MODULE,	/* request_module: modprobe fails */
	FAULT_MODULE_INIT,	/* a module's init fails before it runs */
	FAULT_NR
};

/* What a firing point asks the caller to do. */
struct umd_emu_fault {
	int error;		/* negative errno to fail with, or 0 */
	size_t short_len;	/* transfer at most this many bytes, or 0 */
};

/*
 * Count a call of point p; true if it must fail this time (*f says how).
 * Every firing is logged in the kernel log with the point and call number.
 */
bool umd_emu_should_fail(enum umd_emu_fault_point p, size_t size,
			 struct umd_emu_fault *f);

#endif /* UMD_EMU_FAULT_H */
