/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Confinement of a UMD handler: after its setup, a handler calls
 * umd_confine() and from then on can only read requests (fd 0), write
 * replies (fd 1), write log lines to fd 2 (at most UMD_CONFINE_LOG_MAX
 * bytes per write(2)), use memory that is not executable, and exit.
 * Any other system call kills the process (SIGSYS): the manager sees end
 * of file and the next request starts a fresh handler.
 *
 * What is allowed, and what differs in sanitizer builds, is in confine.c
 * and docs/YOUR-UMD.md ("Confining your handler").
 */
#ifndef UMD_EMU_CONFINE_H
#define UMD_EMU_CONFINE_H

/* The most a confined handler may write to fd 2 in one write(2). */
#define UMD_CONFINE_LOG_MAX	1024

/*
 * Confine the calling process: no_new_privs, not dumpable, and a seccomp
 * filter. 0, or a negative errno if any of it could not be set up (then
 * nothing or only part of it is in force: the caller must exit, never run
 * on unconfined). Call it once, single-threaded, after the log is open on
 * fd 2 and after anything that opens files or allocates executable memory.
 */
int umd_confine(void);

#endif /* UMD_EMU_CONFINE_H */
