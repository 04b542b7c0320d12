// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace-peek PID: attach to PID with ptrace, read its instruction pointer,
 * detach; what the host's root (or the handler's owner) can still do to a
 * confined handler, measured by tests/e2e/pgp-isolation.sh. Prints
 * "ok rip 0x..." (exit 0) or "fail ERRNO_NAME" (exit 1).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strerrorname_np(), also when built alone */
#endif
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static int fail(void)
{
	printf("fail %s\n", strerrorname_np(errno) ?: "?");
	return 1;
}

int main(int argc, char **argv)
{
	pid_t pid;
	long rip;
	int status;

	if (argc != 2 || (pid = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: ptrace-peek PID\n");
		return 2;
	}
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		return fail();
	if (waitpid(pid, &status, __WALL) != pid)
		return fail();
	errno = 0;
	rip = ptrace(PTRACE_PEEKUSER, pid,
		     (void *)offsetof(struct user_regs_struct, rip), NULL);
	if (errno) {
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
		return fail();
	}
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL))
		return fail();
	printf("ok rip %#lx\n", (unsigned long)rip);
	return 0;
}
