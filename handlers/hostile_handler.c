// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile sample handler: it speaks the sample UMD's protocol but
 * misbehaves depending on the requested offset (offset % 8):
 *   0     the right reply          4  nothing at all: exits
 *   1     garbage (all 0xff)       5  the right reply, very slowly
 *   2     half a reply, then EOF   6  nothing: hangs
 *   3     the right reply and 4096 bytes more
 *   7     the right byte set, and one more byte too
 * Offset 0 (the manager's post-start check) is always answered right.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msgfmt.h"
#include "xfer.h"

/* Write the reply chunk bytes at a time, delay_ns between chunks. */
static int put(const void *buf, size_t len, size_t chunk, long delay_ns)
{
	return xfer_paced(1, (void *)buf, len, 1, chunk, delay_ns);
}

int main(void)
{
	static uint8_t extra[4096];
	struct sample_request req;
	struct sample_reply *reply = calloc(1, sizeof(*reply));
	size_t size = sizeof(*reply);
	int ret = 0;

	if (!reply)
		return 1;
	memset(extra, 1, sizeof(extra));
	setvbuf(stderr, NULL, _IOLBF, 0);
	fprintf(stderr, "<5>Started hostile sample_umh\n");
	while (read(0, &req, sizeof(req)) == sizeof(req)) {
		unsigned int mode = req.offset % 8;

		if (req.offset >= size)
			mode = 0;
		fprintf(stderr, "offset %u: mode %u\n", req.offset, mode);
		memset(reply, 0, size);
		reply->data[req.offset] = 1;
		switch (mode) {
		case 1:
			memset(reply, 0xff, size);
			ret = put(reply, size, size, 0);
			break;
		case 2:
			put(reply, size / 2, size, 0);
			goto out;
		case 3:
			ret = put(reply, size, size, 0) ||
			      put(extra, sizeof(extra), sizeof(extra), 0);
			break;
		case 4:
			goto out;
		case 5:
			ret = put(reply, size, 4096, 2000000);
			break;
		case 6:
			for (;;)
				pause();
		case 7:
			reply->data[(req.offset + 1) % size] = 0x80;
			ret = put(reply, size, size, 0);
			break;
		default:
			ret = put(reply, size, size, 0);
			break;
		}
		if (ret)
			break;
	}
out:
	free(reply);
	return 0;
}
