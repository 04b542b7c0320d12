// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the bytes a process writes to the sample manager's
 * securityfs file. Every write must give exactly the answer of a
 * reference model of the manager (the kernel's kstrtou32() rules, written
 * here independently): the whole count for a decimal offset below
 * 131072 of fewer than 8 bytes (an optional '+', one trailing newline,
 * the string ending at a NUL byte), -EINVAL for anything else. Accepted
 * offsets reach the real handler process. The seed corpus, replayed in
 * every build, thus checks known answers (131072 -> EINVAL, ...).
 */
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "fuzz-common.h"

#define SAMPLE_REPLY_BYTES (128 * 1024)

static long sample_write_model(const uint8_t *data, size_t size)
{
	char s[8];
	const char *p = s;
	unsigned long v = 0;
	int digits = 0;

	if (size >= sizeof(s))
		return -EINVAL;
	memcpy(s, data, size);
	s[size] = '\0';		/* a NUL byte inside ends the string */
	if (*p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		v = v * 10 + (*p - '0');
	if (!digits)
		return -EINVAL;
	if (*p == '\n')
		p++;
	if (*p || v >= SAMPLE_REPLY_BYTES)
		return -EINVAL;
	return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long ret, want;

	fuzz_load_sample();
	ret = fuzz_write_sample(data, size);
	fuzz_check(ret, size);
	want = sample_write_model(data, size);
	if (ret != want) {
		fprintf(stderr, "fuzz: write of %zu bytes returned %ld, the manager's rules say %ld\n",
			size, ret, want);
		abort();
	}
	return 0;
}
