/* SPDX-License-Identifier: GPL-2.0 */
/* The benchmark handler's loop, shared with the raw-pipe floor. */
#ifndef UMD_EMU_BENCH_LOOP_H
#define UMD_EMU_BENCH_LOOP_H

#include <stdint.h>

#include "xfer.h"

#define BENCH_MAX_REPLY (1 << 20)

/* Serve requests from in until it ends; 0 at end of input. */
static inline int bench_serve(int in, int out)
{
	static char reply[BENCH_MAX_REPLY];
	uint32_t want;

	while (!xfer_all(in, &want, sizeof(want), 0)) {
		if (want > sizeof(reply))
			return 1;
		if (xfer_all(out, reply, want, 1))
			return 1;
	}
	return 0;
}

#endif /* UMD_EMU_BENCH_LOOP_H */
