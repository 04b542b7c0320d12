// SPDX-License-Identifier: GPL-2.0
/*
 * upper_umh: reads a struct upper_msg on fd 0, answers it in upper case on
 * fd 1. A pipe may deliver a message in pieces (the kernel's side may
 * write it in several calls): read and write whole messages.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "msg.h"

/* Move exactly len bytes; 0, or -1 at end of file or on an error. */
static int whole(int fd, void *buf, size_t len, int writing)
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

int main(void)
{
	struct upper_msg m;
	unsigned int i;

	fprintf(stderr, "upper_umh ready\n");
	while (!whole(0, &m, sizeof(m), 0)) {
		for (i = 0; i < m.len && i < sizeof(m.text); i++)
			m.text[i] = toupper((unsigned char)m.text[i]);
		if (whole(1, &m, sizeof(m), 1))
			return 1;
	}
	return 0;
}
