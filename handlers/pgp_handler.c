// SPDX-License-Identifier: GPL-2.0
/*
 * pgp_umh, the PGP UMD's handler (issue 16): reads a whole struct
 * pgp_umd_request on fd 0, answers with a whole struct pgp_umd_reply on fd
 * 1 (core/pgp/msgfmt.h), until fd 0 ends. The parsing is pgp_parse.c's;
 * this file is only the loop. Log lines go to fd 2 (the emulator's kernel
 * log), or, where a real kernel started the handler with fds 0 and 1 only,
 * to /dev/kmsg opened as fd 2.
 *
 * After its setup the handler confines itself (confine.c: seccomp,
 * no_new_privs, not dumpable): from then on it can only read requests,
 * write replies and log lines, and exit. Test builds only
 * (-DPGP_UMH_ATTACKS, tests/e2e/pgp-isolation.sh): a request beginning
 * with "UMD-EMU-ATTACK:NAME" tries what an exploited parser would;
 * -DPGP_UMH_NO_CONFINE leaves confinement out, for the other column of
 * the isolation table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confine.h"
#include "pgp_parse.h"
#include "xfer.h"
#ifdef PGP_UMH_ATTACKS
#include "pgp_attacks.h"
#endif

/*
 * stderr on fd 2, opened on /dev/kmsg if fd 2 is closed (not close-on-exec:
 * a standard stream, as under the emulator); line-buffered, so that each
 * line is one write(2) (a confined handler may write at most
 * UMD_CONFINE_LOG_MAX bytes at once). NULL if there is no log.
 */
static FILE *open_log(void)
{
	int fd;

	if (fcntl(2, F_GETFD) == -1) {
		fd = open("/dev/kmsg", O_WRONLY);
		if (fd < 0)
			return NULL;
		if (fd != 2) {
			if (dup2(fd, 2) < 0) {
				close(fd);
				return NULL;
			}
			close(fd);
		}
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	return stderr;
}

/* The confinement, unless this is the attack build's unconfined one. */
static int confine(void)
{
#ifdef PGP_UMH_NO_CONFINE
	return 0;
#else
	return umd_confine();
#endif
}

/* Answer @req in @reply: the attack build first looks for its magic. */
static void answer(const struct pgp_umd_request *req,
		   struct pgp_umd_reply *reply)
{
#ifdef PGP_UMH_ATTACKS
	size_t len = req->data_len < sizeof(req->data) ?
		     req->data_len : sizeof(req->data);

	memset(reply, 0, sizeof(*reply));
	reply->cmd = req->cmd;
	if (pgp_attack(req->data, len, reply))
		return;
#endif
	pgp_parse_request(req, reply);
}

int main(void)
{
	struct pgp_umd_request *req;
	struct pgp_umd_reply *reply;
	FILE *log = open_log();
	int ret;

	req = malloc(sizeof(*req));
	reply = malloc(sizeof(*reply));
	if (!req || !reply) {
		if (log)
			fprintf(log, "<3>pgp_umh: out of memory\n");
		return 1;
	}
	/*
	 * Setup ends here: the buffers and the log exist (and the log's
	 * buffer: the first line allocates it). Confined from now on.
	 */
	if (log)
		fprintf(log, "<5>Started pgp_umh\n");
	ret = confine();
	if (ret) {
		if (log)
			fprintf(log, "<3>pgp_umh: cannot confine itself: %s\n",
				strerror(-ret));
		free(req);
		free(reply);
		return 1;
	}

	while (!xfer_all(0, req, sizeof(*req), 0)) {
		answer(req, reply);
		if (xfer_all(1, reply, sizeof(*reply), 1)) {
			if (log)
				fprintf(log, "<3>pgp_umh: reply failed: %s\n",
					strerror(errno));
			break;
		}
	}

	free(req);
	free(reply);
	return 0;
}
