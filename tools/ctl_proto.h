/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control protocol between "umd-emu run" (the emulator, server) and
 * the commands run inside it (umd-emu modprobe, ..., and the sockopt
 * preload library): a UNIX stream socket whose path is in
 * $UMD_EMU_CONTROL. GLib-free, header-only: the preload library is linked
 * into unrelated programs.
 *
 * Every message is a frame: a 4-byte length (host byte order: both ends
 * are on one machine), a 1-byte kind, then that many bytes of payload.
 *  - The client sends one CTL_REQUEST frame: the verb and its arguments,
 *    each followed by a NUL byte (so an argument may hold tabs, spaces or
 *    newlines, or be empty, and arrives intact).
 *  - The server answers with CTL_OUT (bytes for stdout) and CTL_ERR
 *    (bytes for stderr) frames, then one CTL_END frame whose payload is
 *    the exit status as decimal text. A request that goes on (dmesg
 *    --follow) sends CTL_OUT frames as it goes; it ends with CTL_END
 *    when the emulator shuts down.
 * The server drops a client that has not sent its request within
 * CTL_IDLE_TIMEOUT_MS ($UMD_EMU_CTL_IDLE_MS in the emulator's environment
 * overrides it, for tests), and refuses requests over CTL_MAX_REQUEST
 * bytes.
 * Every write uses MSG_NOSIGNAL: a peer that went away is an error, never
 * a SIGPIPE.
 */
#ifndef UMD_EMU_CTL_PROTO_H
#define UMD_EMU_CTL_PROTO_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CTL_ENV			"UMD_EMU_CONTROL"

#define CTL_REQUEST		'Q'	/* client: verb and arguments */
#define CTL_OUT			'O'	/* server: bytes for stdout */
#define CTL_ERR			'E'	/* server: bytes for stderr */
#define CTL_END			'X'	/* server: exit status; last frame */

#define CTL_MAX_REQUEST		(1U << 20)
#define CTL_MAX_REPLY		(64U << 20)
#define CTL_IDLE_TIMEOUT_MS	10000

/* Write all of buf; 0, or -errno (-EPIPE when the peer is gone). */
static inline int ctl_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * Read exactly len bytes, waiting at most until deadline_ms (a
 * CLOCK_MONOTONIC time in ms; 0: no limit). 0, -ECONNRESET at end of
 * file, -ETIMEDOUT, or -errno.
 */
static inline int ctl_read_all(int fd, void *buf, size_t len,
			       int64_t deadline_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec now;
	char *p = buf;
	int64_t left;
	ssize_t n;

	while (len) {
		if (deadline_ms) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left = deadline_ms - (now.tv_sec * 1000LL +
					      now.tv_nsec / 1000000);
			if (left <= 0)
				return -ETIMEDOUT;
			n = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
			if (n < 0 && errno != EINTR)
				return -errno;
			if (n <= 0)
				continue;
		}
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= n;
	}
	return 0;
}

/* The CLOCK_MONOTONIC time in ms, ms from now. */
static inline int64_t ctl_deadline(int ms)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000LL + now.tv_nsec / 1000000 + ms;
}

static inline int ctl_send_frame(int fd, char kind, const void *data,
				 uint32_t len)
{
	char head[5];
	int err;

	memcpy(head, &len, 4);
	head[4] = kind;
	err = ctl_write_all(fd, head, sizeof(head));
	return err ? err : ctl_write_all(fd, data, len);
}

/*
 * Receive one frame of at most max bytes into a malloc()ed buffer with a
 * NUL byte after the payload (*data, to free()). 0, -EMSGSIZE if it is
 * larger than max, or an error of ctl_read_all().
 */
static inline int ctl_recv_frame(int fd, char *kind, char **data,
				 uint32_t *len, uint32_t max,
				 int64_t deadline_ms)
{
	char head[5];
	int err;

	*data = NULL;
	err = ctl_read_all(fd, head, sizeof(head), deadline_ms);
	if (err)
		return err;
	memcpy(len, head, 4);
	*kind = head[4];
	if (*len > max)
		return -EMSGSIZE;
	*data = malloc(*len + 1);
	if (!*data)
		return -ENOMEM;
	err = ctl_read_all(fd, *data, *len, deadline_ms);
	if (err) {
		free(*data);
		*data = NULL;
		return err;
	}
	(*data)[*len] = '\0';
	return 0;
}

/*
 * Connect to the emulator at path (from $UMD_EMU_CONTROL): a socket, or
 * -errno (-ENAMETOOLONG for a path that does not fit).
 */
static inline int ctl_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Send the request: argc NUL-terminated strings in one frame. */
static inline int ctl_send_request(int fd, int argc, char *const argv[])
{
	size_t len = 0, n;
	char *buf, *p;
	int i, err;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (len > CTL_MAX_REQUEST)
		return -E2BIG;
	buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	for (p = buf, i = 0; i < argc; i++) {
		n = strlen(argv[i]) + 1;
		memcpy(p, argv[i], n);
		p += n;
	}
	err = ctl_send_frame(fd, CTL_REQUEST, buf, len);
	free(buf);
	return err;
}

#endif /* UMD_EMU_CTL_PROTO_H */
