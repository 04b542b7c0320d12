// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into handlers built for coverage (umd-emu's own in a
 * -Db_coverage=true build, and users' userprogs built with
 * make -C "$(umd-emu kdir --coverage)"): a handler writes its gcov
 * counters when it exits, but a kernel ends a handler with SIGKILL
 * (umd_mgmt_unload(), a failed exchange), which writes nothing. This
 * catches SIGRTMAX, a signal of the emulator's own (SIGTERM and the rest
 * keep their meaning), writes the counters and kills the process with
 * SIGKILL, so that it ends as the kernel would have ended it. The
 * emulator sends it before the kernel's SIGKILL only to a handler that
 * holds the marker below (UMD_EMU_COV_FLUSH_MARKER in emu/internal.h:
 * the same text), and only while $UMD_EMU_KILL_GRACE_MS is set
 * (tools/coverage.sh sets it); the SIGKILL follows after that grace in
 * any case, so that a handler caught where writing the counters cannot
 * finish (a lock of the C library held) ends all the same.
 */
#include <signal.h>
#include <unistd.h>

void __gcov_dump(void);

__attribute__((used))
const char umd_emu_cov_flush_marker[] =
	"umd-emu: writes its gcov counters on SIGRTMAX";

static void flush_and_die(int sig)
{
	(void)sig;
	__gcov_dump();
	kill(getpid(), SIGKILL);
	_exit(137);
}

__attribute__((constructor))
static void install_flush(void)
{
	struct sigaction sa = { .sa_handler = flush_and_die };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMAX, &sa, NULL);
}
