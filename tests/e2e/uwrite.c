// SPDX-License-Identifier: GPL-2.0
/*
 * uwrite: exactly one write(2) of TEXT to FILE, and what it returned, as
 * a line a test can compare on any kernel: "ok N" or "fail ERRNO_NAME".
 * Used by the e2e tests and the differential test (linked statically for
 * the real-kernel VM).
 *
 *   uwrite [--catch SIG] [--restart] [--newline] FILE [TEXT]
 *   uwrite --from INPUT FILE
 *
 * --catch SIG   install a handler for signal SIG (a number) first, without
 *               SA_RESTART (or with it: --restart), so that a signal during
 *               the write interrupts it instead of ending the process
 * --newline     append a newline to TEXT (as echo does)
 * --from INPUT  write the whole content of the file INPUT instead of TEXT
 *               (binary data too), still in one write(2)
 * TEXT may be empty: a write(2) of 0 bytes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strerrorname_np(), also when built alone */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

/* The whole content of @path (malloc'ed, length in @len), or NULL. */
static char *read_input(const char *path, size_t *len)
{
	size_t size = 0, cap = 4096;
	char *buf = malloc(cap), *bigger;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		fprintf(stderr, "uwrite: cannot read %s: %s\n", path,
			strerror(errno));
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + size, cap - size)) > 0) {
		size += n;
		if (size == cap) {
			bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				n = -1;
				break;
			}
			buf = bigger;
		}
	}
	close(fd);
	if (n < 0) {
		fprintf(stderr, "uwrite: cannot read %s\n", path);
		free(buf);
		return NULL;
	}
	*len = size;
	return buf;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int i = 1, sig = 0, restart = 0, newline = 0, fd;
	const char *file, *text, *from = NULL;
	char *buf;
	size_t len;
	ssize_t n;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--catch") && i + 1 < argc)
			sig = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--restart"))
			restart = 1;
		else if (!strcmp(argv[i], "--newline"))
			newline = 1;
		else if (!strcmp(argv[i], "--from") && i + 1 < argc)
			from = argv[++i];
		else
			break;
	}
	if (i >= argc || i + 2 < argc || (from && i + 1 < argc)) {
		fprintf(stderr, "usage: uwrite [--catch SIG] [--restart] [--newline] FILE [TEXT]\n"
			"       uwrite --from INPUT FILE\n");
		return 2;
	}
	file = argv[i];
	text = i + 1 < argc ? argv[i + 1] : "";
	if (sig) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigemptyset(&sa.sa_mask);
		if (sigaction(sig, &sa, NULL)) {
			perror("uwrite: sigaction");
			return 2;
		}
	}
	if (from) {
		buf = read_input(from, &len);
		if (!buf)
			return 2;
	} else {
		len = strlen(text) + newline;
		buf = malloc(len + 1);
		if (!buf)
			return 2;
		memcpy(buf, text, strlen(text));
		if (newline)
			buf[len - 1] = '\n';
	}
	fd = open(file, O_WRONLY);
	if (fd < 0) {
		printf("open fail %s\n", strerrorname_np(errno));
		return 1;
	}
	n = write(fd, buf, len);
	if (n < 0)
		printf("fail %s\n", strerrorname_np(errno));
	else
		printf("ok %zd\n", n);
	close(fd);
	free(buf);
	return n < 0;
}
