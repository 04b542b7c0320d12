// SPDX-License-Identifier: GPL-2.0
/*
 * umd_test_handler: the UMD Handler the test suite drives (see
 * test_handler_proto.h). It checks the request payload, answers with a
 * known pattern, and on request misbehaves: exits, dies in the middle of a
 * reply, sleeps, moves bytes one at a time, writes to stderr, or reports
 * what it was started with (fds, umask, environment, signals).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "test_handler_proto.h"
#include "xfer.h"

extern char **environ;

static uint32_t served;

static void fill_info(struct test_info *info, const char *argv0)
{
	struct sigaction sa;
	sigset_t blocked;
	mode_t mask;
	char **e;
	int fd, sig;

	memset(info, 0, sizeof(*info));
	info->pid = getpid();
	info->ppid = getppid();
	for (fd = 0; fd < 64; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			info->open_fds |= 1ull << fd;
	mask = umask(0);
	umask(mask);
	info->umask = mask;
	for (e = environ; e && *e; e++)
		if (!strstr(*e, "SAN_OPTIONS=") && !strstr(*e, "SYMBOLIZER"))
			info->nenv++;
	for (sig = 1; sig < 32; sig++)
		if (!sigaction(sig, NULL, &sa) && sa.sa_handler == SIG_IGN)
			info->nsigign++;
	sigprocmask(SIG_SETMASK, NULL, &blocked);
	for (sig = 1; sig < 32; sig++)
		if (sigismember(&blocked, sig))
			info->sigblocked++;
	snprintf(info->argv0, sizeof(info->argv0), "%s", argv0);
	if (!getcwd(info->cwd, sizeof(info->cwd)))
		snprintf(info->cwd, sizeof(info->cwd), "?");
}

static int serve(const struct test_req *req, const char *argv0)
{
	size_t plen = req->req_len - sizeof(*req);
	size_t step = req->op == TEST_OP_BYTEWISE ? 1 : 0;
	struct test_reply_head head = { 0 };
	uint8_t *payload = NULL, *reply = NULL;
	struct timespec ts;
	size_t i, hlen;
	int ret = -1;

	payload = malloc(plen ? plen : 1);
	reply = malloc(req->reply_len ? req->reply_len : 1);
	if (!payload || !reply)
		goto out;
	if (xfer_paced(0, payload, plen, 0, step, 0))
		goto out;
	for (i = 0; i < plen; i++)
		if (payload[i] != test_pattern(req->seed, i))
			head.status++;
	served++;
	head.served = served;

	switch (req->op) {
	case TEST_OP_EXIT:
		fprintf(stderr, "exiting with %u as asked\n", req->arg);
		free(payload);
		free(reply);
		exit(req->arg);
	case TEST_OP_SLEEP:
		ts.tv_sec = req->arg / 1000;
		ts.tv_nsec = (req->arg % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		break;
	case TEST_OP_SPIN: {
		/* No system call meanwhile (the clock is read in the vDSO). */
		struct timespec end, now;

		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += req->arg / 1000;
		end.tv_nsec += (req->arg % 1000) * 1000000L;
		if (end.tv_nsec >= 1000000000L) {
			end.tv_sec++;
			end.tv_nsec -= 1000000000L;
		}
		do {
			clock_gettime(CLOCK_MONOTONIC, &now);
		} while (now.tv_sec < end.tv_sec ||
			 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
		break;
	}
	case TEST_OP_DEBUG_STDOUT: {
		/* The classic mistake: stdout is the reply pipe. */
		static const char line[] = "debug: x=5\n";

		xfer_all(1, (void *)line, sizeof(line) - 1, 1);
		break;
	}
	case TEST_OP_STDERR:
		for (i = 0; i < req->arg; i++)
			fprintf(stderr, "stderr line %zu\n", i);
		break;
	case TEST_OP_STDERR_PARTIAL:
		/* A line still without its newline when the handler ends. */
		fputs("partial:", stderr);
		for (i = 0; i < req->arg; i++)
			fputc('x', stderr);
		fflush(stderr);
		break;
	case TEST_OP_OVERFLOW: {
		/*
		 * The bug AddressSanitizer must report, with file:line (a size
		 * known only at run time, so that UBSan's object-size check
		 * does not see it first).
		 */
		size_t n = 16 + req->arg;
		volatile char *small = malloc(n);

		small[n] = 1;
		free((void *)small);
		break;
	}
	default:
		break;
	}

	if (req->op == TEST_OP_INFO && req->reply_len >= sizeof(struct test_info)) {
		fill_info((struct test_info *)reply, argv0);
		((struct test_info *)reply)->head = head;
		hlen = sizeof(struct test_info);
	} else {
		hlen = req->reply_len >= sizeof(head) ? sizeof(head) : 0;
		memcpy(reply, &head, hlen);
	}
	for (i = hlen; i < req->reply_len; i++)
		reply[i] = test_pattern(req->seed ^ TEST_REPLY_XOR, i);

	if (req->op == TEST_OP_DIE_MID_REPLY) {
		xfer_paced(1, reply, req->arg < req->reply_len ? req->arg : 0,
			   1, 0, 0);
		raise(SIGKILL);
	}
	if (xfer_paced(1, reply, req->reply_len, 1, step, 0))
		goto out;
	ret = 0;
out:
	free(payload);
	free(reply);
	return ret;
}

int main(int argc, char **argv)
{
	struct test_req req;

	(void)argc;
	setvbuf(stderr, NULL, _IOLBF, 0);
	fprintf(stderr, "<5>Started %s\n", argv[0]);

	while (!xfer_paced(0, &req, sizeof(req), 0, 0, 0)) {
		if (req.magic != TEST_MAGIC || req.req_len < sizeof(req)) {
			fprintf(stderr, "<3>bad request\n");
			return 2;
		}
		if (serve(&req, argv[0]))
			return 3;
	}
	return 0;
}
