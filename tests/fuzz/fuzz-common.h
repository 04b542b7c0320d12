/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the fuzz targets: the emulated kernel with the sample UMD. */
#ifndef UMD_EMU_FUZZ_COMMON_H
#define UMD_EMU_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include <linux/err.h>

#include "emu-test.h"

/* Load sample_mgr from $UMD_EMU_MODULES or the build's core/; once. */
static inline void fuzz_load_sample(void)
{
	static int done;
	const char *dir = getenv("UMD_EMU_MODULES");
	int err;

	if (done)
		return;
	done = 1;
	umd_emu_module_set_path(dir ? dir : FUZZ_CORE_MODULES);
	err = umd_emu_modprobe("sample_mgr");
	if (err) {
		fprintf(stderr, "fuzz: cannot load sample_mgr from %s: %d\n",
			umd_emu_module_get_path(), err);
		abort();
	}
}

/* One write(2) to sample_umd; the written count or -errno. */
static inline long fuzz_write_sample(const void *data, size_t size)
{
	return umd_emu_securityfs_write_file("sample_umd", data, size);
}

/* What the kernel must never return for a write, nor leave behind. */
static inline void fuzz_check(long ret, size_t size)
{
	if ((ret >= 0 && (size_t)ret != size) || ret < -MAX_ERRNO) {
		fprintf(stderr, "fuzz: write of %zu bytes returned %ld\n",
			size, ret);
		abort();
	}
	if (umd_emu_mutexes_held()) {
		fprintf(stderr, "fuzz: a mutex is left held\n");
		abort();
	}
	if (umd_emu_sanitizer_reports()) {
		umd_emu_kmsg_dump(2, 0);
		fprintf(stderr, "fuzz: a handler reported a sanitizer error\n");
		abort();
	}
}

#endif /* UMD_EMU_FUZZ_COMMON_H */
