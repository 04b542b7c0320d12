// SPDX-License-Identifier: GPL-2.0
/*
 * bench_umh: the handler of the benchmarks. A request is a u32: the number
 * of reply bytes wanted; the reply is that many bytes. The same loop runs
 * in the floor measurement (raw pipes, no emulator).
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench_loop.h"

int main(void)
{
	return bench_serve(0, 1);
}
