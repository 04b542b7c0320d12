/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu runtime: the table of fault points, the one place a point is
 * named. Each line:
 *   FAULT_POINT(ENUM, "name", "kind", default errno, takes short=, "help")
 * expanded into the enum of fault.h and the table of fault_config.c, from
 * which the settings grammar, "umd-emu fault --list", faultsweep and the
 * docs take their lists. Adding a point: a line here, and a call of
 * umd_emu_should_fail(ENUM, ...) where it fails (see docs/HACKING.md).
 */
FAULT_POINT(FAULT_SLAB, "failslab", "memory", ENOMEM, false,
	    "kmalloc(), kzalloc(), kvmalloc() and friends return NULL")
FAULT_POINT(FAULT_COPY_FROM_USER, "fail_copy_from_user", "user copy", EFAULT,
	    true, "copy_from_user()/get_user() fault or copy short")
FAULT_POINT(FAULT_COPY_TO_USER, "fail_copy_to_user", "user copy", EFAULT,
	    true, "copy_to_user()/put_user()/clear_user() fault or copy short")
FAULT_POINT(FAULT_KERNEL_WRITE, "fail_kernel_write", "pipe I/O", EIO, true,
	    "kernel_write() to a handler fails or writes short")
FAULT_POINT(FAULT_KERNEL_READ, "fail_kernel_read", "pipe I/O", EIO, true,
	    "kernel_read() from a handler fails or reads short")
FAULT_POINT(FAULT_PIPE, "fail_pipe", "process", EMFILE, false,
	    "fork_usermode_driver() cannot create the pipes")
FAULT_POINT(FAULT_FORK, "fail_fork", "process", EAGAIN, false,
	    "fork_usermode_driver() cannot fork")
FAULT_POINT(FAULT_EXEC, "fail_exec", "process", ENOEXEC, false,
	    "the handler's exec fails")
FAULT_POINT(FAULT_MEMFD, "fail_memfd", "process", ENOMEM, false,
	    "umd_load_blob() cannot create the memfd")
FAULT_POINT(FAULT_REQUEST_MODULE, "fail_request_module", "module", ENOENT,
	    false, "request_module(): modprobe fails")
FAULT_POINT(FAULT_MODULE_INIT, "fail_module_init", "module", ENOMEM, false,
	    "a module's init fails before it runs")
