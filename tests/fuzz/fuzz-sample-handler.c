// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the sample handler's request loop, fed the input as its
 * stdin (replies go to /dev/null). It must consume any byte stream and
 * stop at its end without a memory error.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#define main sample_handler_main
#include "sample_handler.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int in[2], saved0, saved1, devnull;

	if (size > 60000)		/* what one pipe holds */
		return 0;
	if (pipe(in))
		abort();
	if (write(in[1], data, size) != (ssize_t)size)
		abort();
	close(in[1]);
	devnull = open("/dev/null", O_WRONLY);
	saved0 = dup(0);
	saved1 = dup(1);
	dup2(in[0], 0);
	dup2(devnull, 1);
	sample_handler_main();
	dup2(saved0, 0);
	dup2(saved1, 1);
	close(saved0);
	close(saved1);
	close(in[0]);
	close(devnull);
	return 0;
}
