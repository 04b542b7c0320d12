/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Move exactly len bytes over a pipe, for the handlers and the fuzz
 * targets: 0, or -1 on end of file or error. The real-kernel oracle builds
 * the sample handler with it too (tools/realkernel/build-modules.sh). The
 * out-of-tree example (tests/oot/upper) keeps its own copy: it is meant
 * to be copied whole as a start for one's own UMD.
 */
#ifndef UMD_EMU_XFER_H
#define UMD_EMU_XFER_H

#include <errno.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

/* At most chunk bytes per call (0: no limit), delay_ns between calls. */
static inline int xfer_paced(int fd, void *buf, size_t len, int writing,
			     size_t chunk, long delay_ns)
{
	struct timespec ts = { 0, delay_ns };
	char *p = buf;
	size_t want;
	ssize_t n;

	while (len) {
		want = chunk && chunk < len ? chunk : len;
		n = writing ? write(fd, p, want) : read(fd, p, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
		if (delay_ns && len)
			nanosleep(&ts, NULL);
	}
	return 0;
}

static inline int xfer_all(int fd, void *buf, size_t len, int writing)
{
	return xfer_paced(fd, buf, len, writing, 0, 0);
}

#endif /* UMD_EMU_XFER_H */
