/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu: definitions the C library's headers may lack, each with the
 * kernel version that brought it. The system's own definition wins; the
 * emulator probes at run time whatever the running kernel may not have.
 * Used by the runtime (emu/) and the command (tools/).
 */
#ifndef UMD_EMU_MISSING_H
#define UMD_EMU_MISSING_H

#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

/* waitid() on a pidfd: Linux 5.4. */
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* close_range() marking instead of closing: Linux 5.11. */
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* memfd_create() of an executable memfd: Linux 6.3. */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

/* pwritev2() without SIGPIPE: Linux 6.18 (probed: EOPNOTSUPP before). */
#ifndef RWF_NOSIGNAL
#define RWF_NOSIGNAL 0x00000100
#endif

#endif /* UMD_EMU_MISSING_H */
