/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu: hooks for the emulator's own tests and fuzz targets. Not
 * installed: a program embedding the emulator uses emu.h only.
 */
#ifndef UMD_EMU_EMU_TEST_H
#define UMD_EMU_EMU_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "emu.h"

/* ---- pipe I/O (emu/file.c) -------------------------------------------- */

/* Cap every kernel_read()/kernel_write() to max bytes (0: no cap). */
void umd_emu_set_io_chunk(size_t max);
/* Wrap an fd in a struct file (takes ownership of fd). */
struct file *umd_emu_file_from_fd(int fd, unsigned int fmode);
/*
 * kernel_write() keeps SIGPIPE from the caller with pwritev2(RWF_NOSIGNAL)
 * where the kernel has it, else by blocking SIGPIPE around write(2).
 * false forces the second way (for tests); true probes again.
 */
void umd_emu_file_use_rwf_nosignal(bool use);

/* ---- handlers (emu/umd.c) --------------------------------------------- */

/*
 * Handlers of driver_name (NULL: none) are not exec'ed from their blob but
 * run fn(arg) in a forked copy of this process, with fd 0/1/2 set up as
 * for a real handler; the child exits when fn returns. fn may only use
 * async-signal-safe calls (read, write, _exit).
 */
void umd_emu_set_handler_fn(const char *driver_name, void (*fn)(void *arg),
			    void *arg);

#endif /* UMD_EMU_EMU_TEST_H */
