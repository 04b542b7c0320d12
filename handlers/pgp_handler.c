// SPDX-License-Identifier: GPL-2.0
/*
 * pgp_umh, the PGP UMD's handler (issue 16): reads a whole struct
 * pgp_umd_request on fd 0, answers with a whole struct pgp_umd_reply on fd
 * 1 (core/pgp/msgfmt.h), until fd 0 ends. The parsing is pgp_parse.c's;
 * this file is only the loop. Log lines go to fd 2 (the emulator's kernel
 * log), or to /dev/kmsg where a real kernel started the handler with fds
 * 0 and 1 only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pgp_parse.h"
#include "xfer.h"

/* stderr if there is one (umd-emu), else the kernel log; NULL if neither. */
static FILE *open_log(void)
{
	FILE *log = stderr;

	if (fcntl(2, F_GETFD) == -1)
		log = fopen("/dev/kmsg", "w");
	if (log)
		setvbuf(log, NULL, _IOLBF, 0);
	return log;
}

int main(void)
{
	struct pgp_umd_request *req;
	struct pgp_umd_reply *reply;
	FILE *log = open_log();

	req = malloc(sizeof(*req));
	reply = malloc(sizeof(*reply));
	if (!req || !reply) {
		if (log)
			fprintf(log, "<3>pgp_umh: out of memory\n");
		return 1;
	}
	if (log)
		fprintf(log, "<5>Started pgp_umh\n");

	/*
	 * Setup ends here: everything the loop needs (the buffers, the log
	 * stream) exists. This is where the handler will confine itself
	 * (issue 16, part 4: seccomp, no_new_privs, not dumpable) with a
	 * confine() call, so that a parser bug can do nothing but read
	 * requests and write replies. Not implemented yet.
	 */

	while (!xfer_all(0, req, sizeof(*req), 0)) {
		pgp_parse_request(req, reply);
		if (xfer_all(1, reply, sizeof(*reply), 1)) {
			if (log)
				fprintf(log, "<3>pgp_umh: reply failed: %s\n",
					strerror(errno));
			break;
		}
	}

	free(req);
	free(reply);
	return 0;
}
