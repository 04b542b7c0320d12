/* SPDX-License-Identifier: GPL-2.0 */
/* Move exactly len bytes over a pipe: 0, or -1 on end of file or error. */
#ifndef UMD_EMU_XFER_H
#define UMD_EMU_XFER_H

#include <errno.h>
#include <stddef.h>
#include <unistd.h>

static inline int xfer_all(int fd, void *buf, size_t len, int writing)
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

#endif /* UMD_EMU_XFER_H */
