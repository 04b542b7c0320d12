/* SPDX-License-Identifier: GPL-2.0 */
/* The benchmark handler's loop, shared with the raw-pipe floor. */
#ifndef UMD_EMU_BENCH_LOOP_H
#define UMD_EMU_BENCH_LOOP_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define BENCH_MAX_REPLY (1 << 20)

static inline int bench_xfer(int fd, void *buf, size_t len, int writing)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = writing ? write(fd, p, len) : read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Serve requests from in until it ends; 0 at end of input. */
static inline int bench_serve(int in, int out)
{
	static char reply[BENCH_MAX_REPLY];
	uint32_t want;

	while (!bench_xfer(in, &want, sizeof(want), 0)) {
		if (want > sizeof(reply))
			return 1;
		if (bench_xfer(out, reply, want, 1))
			return 1;
	}
	return 0;
}

#endif /* UMD_EMU_BENCH_LOOP_H */
