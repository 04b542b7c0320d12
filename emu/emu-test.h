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

/*
 * Handlers of driver_name (NULL: none) are a thread of this process, not
 * a process: fork_usermode_driver() makes the same pipes and channel and
 * starts a thread running fn(in_fd, out_fd, stop_fd, arg) (no fork, no
 * exec, no fd 2). in_fd is the read end of the request pipe, out_fd the
 * write end of the reply pipe; both belong to the runtime, which closes
 * them when fn returns (the manager then reads end of file), so fn must
 * not close them. stop_fd (an eventfd) becomes readable when the handler
 * is killed (kill_pid() with any signal but 0 and the stop/continue
 * ones): fn must wait with poll() on stop_fd too, and return when it is
 * readable. The struct pid stands for the thread: pid_nr() is its thread
 * id, thread_group_exited() is true once fn has returned, the reaper
 * joins it. Crash injection (crash:...) cannot crash a thread: kill_pid()
 * stops it instead, and crash:...,signal=STOP fails. Set before the
 * handler starts (before its loader module is loaded).
 */
typedef void (*umd_emu_handler_thread_fn)(int in_fd, int out_fd, int stop_fd,
					  void *arg);
void umd_emu_set_handler_thread(const char *driver_name,
				umd_emu_handler_thread_fn fn, void *arg);

/*
 * Fill the kernel log's ring (16384 lines): from then on each line logged
 * frees the oldest. For fuzzers: libFuzzer scans the heap for leaks after
 * every input that allocated more than it freed, and a log filling up
 * looks like that on every input that logs.
 */
void umd_emu_kmsg_fill(void);

#endif /* UMD_EMU_EMU_TEST_H */
