// SPDX-License-Identifier: GPL-2.0
/*
 * bpfilter_umh: the request loop of net/bpfilter/main.c. One read(0) per
 * request (anything but a whole struct mbox_request ends the handler), one
 * write(1) per reply. The health check (get, cmd 0) gets 0; every other
 * request gets -ENOPROTOOPT, as the kernel's handler answered.
 *
 * A set request's bytes live in the caller's address space: the handler
 * reads them from that process by its pid with process_vm_readv(). That
 * needs ptrace-read access to the caller: same user, and where Yama's
 * ptrace_scope is 1 the caller must allow it (prctl(PR_SET_PTRACER, ...),
 * which umd-emu's sockopt front ends do). The bytes are only logged here.
 *
 * Log lines go to fd 2 (the emulator's kernel log); a real kernel starts
 * the handler with fds 0 and 1 only, and they go to /dev/kmsg then.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* process_vm_readv(), also when built by Kbuild */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

typedef uint32_t __u32;
typedef uint64_t __u64;
#include "msgfmt.h"

static FILE *log_f;

static void open_log(void)
{
	log_f = fcntl(2, F_GETFD) == -1 ? fopen("/dev/kmsg", "w") : stderr;
	if (log_f)
		setvbuf(log_f, NULL, _IOLBF, 0);
}

static void peek_caller(const struct mbox_request *req)
{
	unsigned char buf[256];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { (void *)(uintptr_t)req->addr, req->len };
	uint32_t sum = 0;
	ssize_t n, i;

	if (!req->len || !req->addr)
		return;
	if (remote.iov_len > sizeof(buf))
		remote.iov_len = sizeof(buf);
	n = process_vm_readv(req->pid, &local, 1, &remote, 1, 0);
	if (n < 0) {
		if (log_f)
			fprintf(log_f, "cannot read %u bytes of pid %u: %s\n",
				req->len, req->pid, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++)
		sum = sum * 31 + buf[i];
	if (log_f)
		fprintf(log_f, "set cmd %u from pid %u: %u bytes, first %zd sum %08x\n",
			req->cmd, req->pid, req->len, n, sum);
}

int main(void)
{
	struct mbox_request req;
	struct mbox_reply reply;
	ssize_t n;

	open_log();
	if (log_f)
		fprintf(log_f, "<5>Started bpfilter\n");
	for (;;) {
		n = read(0, &req, sizeof(req));
		if (n != sizeof(req))
			break;
		if (req.is_set) {
			peek_caller(&req);
			reply.status = -ENOPROTOOPT;
		} else {
			reply.status = req.cmd == 0 ? 0 : -ENOPROTOOPT;
		}
		n = write(1, &reply, sizeof(reply));
		if (n != sizeof(reply))
			break;
	}
	return 0;
}
