// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the bytes a process writes to the sample manager's
 * securityfs file. Every write must succeed whole or fail with -errno;
 * accepted offsets reach the real handler process.
 */
#include <stdint.h>
#include <stddef.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_load_sample();
	fuzz_check(fuzz_write_sample(data, size), size);
	return 0;
}
