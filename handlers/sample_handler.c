// SPDX-License-Identifier: GPL-2.0
/*
 * Sample UMD Handler: reads a struct sample_request on fd 0, answers with a
 * struct sample_reply on fd 1 whose byte at the requested offset is 1 (all
 * others 0), until fd 0 ends. Log lines go to fd 2, which the emulator
 * captures into the kernel log (a "<N>" prefix sets the level, as for
 * /dev/kmsg); a real kernel starts a handler with fds 0 and 1 only, and the
 * lines then go to /dev/kmsg itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msgfmt.h"
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
	struct sample_request req;
	struct sample_reply *reply;
	FILE *log = open_log();

	if (log)
		fprintf(log, "<5>Started sample_umh\n");

	reply = calloc(1, sizeof(*reply));
	if (!reply) {
		if (log)
			fprintf(log, "<3>out of memory\n");
		return 1;
	}

	while (!xfer_all(0, &req, sizeof(req), 0)) {
		if (req.offset < sizeof(reply->data))
			reply->data[req.offset] = 1;
		if (xfer_all(1, reply, sizeof(*reply), 1)) {
			if (log)
				fprintf(log, "<3>reply failed: %s\n",
					strerror(errno));
			break;
		}
		if (req.offset < sizeof(reply->data))
			reply->data[req.offset] = 0;
	}

	free(reply);
	return 0;
}
