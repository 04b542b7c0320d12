/* SPDX-License-Identifier: GPL-2.0 */
/*
 * setsockopt/getsockopt calls for bpfilter delivered to "umd-emu run", as
 * the network stack delivers them: the caller's pid and its own buffer
 * address. Shared by "umd-emu sockopt" and the preload library, which
 * must not depend on GLib or the emulator.
 *
 * Request: "sockopt\tset|get\tOPTNAME\tPID\tADDR\tLEN\n"
 * Reply:   "O result N\n" then "X 0\n" (or "E message\n", "X 1\n")
 */
#ifndef UMD_EMU_SOCKOPT_H
#define UMD_EMU_SOCKOPT_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* The bpfilter option ranges of ip_setsockopt()/ip_getsockopt(). */
#define SOCKOPT_SET_FIRST 64	/* BPFILTER_IPT_SO_SET_REPLACE */
#define SOCKOPT_SET_END 66	/* BPFILTER_IPT_SET_MAX */
#define SOCKOPT_GET_FIRST 64	/* BPFILTER_IPT_SO_GET_INFO */
#define SOCKOPT_GET_END 68	/* BPFILTER_IPT_GET_MAX */

/*
 * Send the call to the emulator at control_path; on success *result is
 * what the kernel side returned. Returns 0, or -errno if the emulator
 * could not be asked (then *why says why).
 */
static inline int sockopt_call(const char *control_path, int is_set,
			       int optname, const void *optval,
			       unsigned int len, long *result,
			       const char **why)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char req[160], buf[512], *line, *save;
	size_t got = 0;
	ssize_t n;
	int fd, found = 0;

	*why = NULL;
	if (strlen(control_path) >= sizeof(addr.sun_path)) {
		*why = "control socket path too long";
		return -ENAMETOOLONG;
	}
	strcpy(addr.sun_path, control_path);
	/* bpfilter_umh reads optval from us: allow it where Yama asks. */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		n = -errno;
		if (fd >= 0)
			close(fd);
		*why = "cannot reach the emulator (has 'umd-emu run' exited?)";
		return n;
	}
	n = snprintf(req, sizeof(req), "sockopt\t%s\t%d\t%d\t%lu\t%u\n",
		     is_set ? "set" : "get", optname, (int)getpid(),
		     (unsigned long)(uintptr_t)optval, len);
	if (write(fd, req, n) != n) {
		n = -errno;
		close(fd);
		*why = "cannot send the request";
		return n;
	}
	shutdown(fd, SHUT_WR);
	while (got < sizeof(buf) - 1 &&
	       (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "O result ", 9)) {
			*result = strtol(line + 9, NULL, 10);
			found = 1;
		} else if (line[0] == 'E' && line[1] == ' ') {
			*why = "the emulator refused the call";
		}
	}
	if (!found) {
		if (!*why)
			*why = "no answer from the emulator";
		return -EPROTO;
	}
	return 0;
}

#endif /* UMD_EMU_SOCKOPT_H */
