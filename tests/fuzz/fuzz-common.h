/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the fuzz targets: the emulated kernel with the sample UMD. */
#ifndef UMD_EMU_FUZZ_COMMON_H
#define UMD_EMU_FUZZ_COMMON_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>

#include <linux/err.h>

#include "emu-test.h"

#define FUZZ_MODULES_SUBDIR "umd-emu-modules"

/*
 * Where the target finds its modules: $UMD_EMU_MODULES if set; else
 * umd-emu-modules/ next to the target's binary if it exists (an OSS-Fuzz
 * or ClusterFuzzLite $OUT, laid out by .clusterfuzzlite/build.sh, which may
 * be moved anywhere); else BUILT, the build directory the target was
 * compiled against.
 */
static inline const char *fuzz_modules_dir(const char *built)
{
	static char dir[PATH_MAX];
	const char *env = getenv("UMD_EMU_MODULES");
	size_t max = sizeof(dir) - sizeof("/" FUZZ_MODULES_SUBDIR);
	struct stat st;
	char *slash;
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", dir, max);
	if (n <= 0 || (size_t)n >= max)
		return built;
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		return built;
	strcpy(slash, "/" FUZZ_MODULES_SUBDIR);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return built;
	return dir;
}

/* Load sample_mgr (see fuzz_modules_dir()); once. */
static inline void fuzz_load_sample(void)
{
	static int done;
	int err;

	if (done)
		return;
	umd_emu_kmsg_fill();	/* for libFuzzer's leak check */
	done = 1;
	umd_emu_module_set_path(fuzz_modules_dir(FUZZ_CORE_MODULES));
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

/*
 * For a thread handler (umd_emu_set_handler_thread()): move exactly len
 * bytes over its pipe end fd, waiting in poll() on stop_fd too, as a
 * thread handler must. 0, or -1 on end of file, an error or a stop.
 */
static inline int fuzz_thread_xfer(int fd, void *buf, size_t len,
				   int writing, int stop_fd)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = writing ? POLLOUT : POLLIN },
		{ .fd = stop_fd, .events = POLLIN },
	};
	char *p = buf;
	ssize_t n;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (len) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd[1].revents)
			return -1;
		n = writing ? write(fd, p, len) : read(fd, p, len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

#endif /* UMD_EMU_FUZZ_COMMON_H */
