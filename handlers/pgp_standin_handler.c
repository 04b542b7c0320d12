// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the PGP handler (handlers/pgp_handler.c), for testing its
 * confinement before the parser exists: it speaks the PGP UMD's protocol
 * (core/pgp/msgfmt.h), confines itself as the real one does, and answers
 * every request with -EBADMSG, after trying the attack a magic request
 * names (pgp_attacks.c; built with -DPGP_UMH_ATTACKS).
 * -DPGP_UMH_NO_CONFINE builds it without umd_confine(), for the
 * isolation table's "not confined" column. Test builds only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "confine.h"
#include "msgfmt.h"
#include "xfer.h"
#ifdef PGP_UMH_ATTACKS
#include "pgp_attacks.h"
#endif

/*
 * The log is fd 2: the emulator's pipe into its kernel log, or on a kernel
 * (where a handler has fds 0 and 1 only) /dev/kmsg, opened onto fd 2.
 */
static int open_log(void)
{
	int fd;

	if (fcntl(2, F_GETFD) != -1)
		return 0;
	fd = open("/dev/kmsg", O_WRONLY);
	if (fd < 0)
		return -1;
	if (fd != 2) {
		if (dup2(fd, 2) != 2)
			return -1;
		close(fd);
	}
	return 0;
}

static void log_line(const char *line)
{
	if (write(2, line, strlen(line)) < 0)
		return;
}

int main(void)
{
	static struct pgp_umd_request req;
	static struct pgp_umd_reply reply;
	char line[128];
	int ret;

	if (open_log())
		return 1;
#ifdef PGP_UMH_NO_CONFINE
	(void)ret;
	log_line("<5>Started pgp_umh (stand-in), not confined\n");
#else
	ret = umd_confine();
	if (ret) {
		snprintf(line, sizeof(line),
			 "<3>pgp_umh: cannot confine itself (%s), exiting\n",
			 strerror(-ret));
		log_line(line);
		return 1;
	}
	log_line("<5>Started pgp_umh (stand-in), confined\n");
#endif
	(void)line;

	while (!xfer_all(0, &req, sizeof(req), 0)) {
		memset(&reply, 0, sizeof(reply));
		reply.cmd = req.cmd;
		reply.ret = -EBADMSG;
#ifdef PGP_UMH_ATTACKS
		pgp_attack(req.data, req.data_len < sizeof(req.data) ?
			   req.data_len : sizeof(req.data), &reply);
#endif
		if (xfer_all(1, &reply, sizeof(reply), 1))
			return 1;
	}
	return 0;
}
