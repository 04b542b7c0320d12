// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the reply bytes bpfilter's sockopt front end receives from
 * bpfilter_umh. A thread of this process plays the handler (see
 * umd_emu_set_handler_thread()): it answers the health check with 0 and
 * every setsockopt with the input; no module is reloaded and no process
 * forked per input. The result must be the
 * status when the reply is a valid one (0 or a negative errno), -EBADMSG
 * for any other 4 bytes, and an error for a short reply.
 */
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>
#include <linux/sockptr.h>

#include "fuzz-common.h"
#include "../../core/bpfilter/msgfmt.h"

/*
 * The reply the handler sends: a copy of the input, as a handler of the
 * last input may still be writing its tail when libFuzzer frees it.
 */
static uint8_t reply_data[64];
static size_t reply_size;

/*
 * Answers the health check (cmd 0) with 0 and any other request with the
 * current input; after a reply too short to be one it ends, so that the
 * front end sees end of file.
 */
static void handler(int in_fd, int out_fd, int stop_fd, void *arg)
{
	struct mbox_request req;
	uint32_t zero = 0;

	(void)arg;
	while (!fuzz_thread_xfer(in_fd, &req, sizeof(req), 0, stop_fd)) {
		if (req.cmd == 0) {
			if (fuzz_thread_xfer(out_fd, &zero, sizeof(zero), 1,
					     stop_fd))
				return;
			continue;
		}
		if (fuzz_thread_xfer(out_fd, reply_data, reply_size, 1,
				     stop_fd) ||
		    reply_size < sizeof(struct mbox_reply))
			return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int (*set)(void *sk, int optname, sockptr_t optval, unsigned int len);
	static int loaded;
	char buf[8] = "fuzz";
	int32_t status = 0;
	long ret, want;

	if (!loaded) {
		/* Before the loader starts its first handler. */
		umd_emu_set_handler_thread("bpfilter_umh", handler, NULL);
		umd_emu_kmsg_fill();	/* for libFuzzer's leak check */
		umd_emu_module_set_path(fuzz_modules_dir(FUZZ_BPFILTER_MODULES));
		if (umd_emu_modprobe("bpfilter_sockopt")) {
			fprintf(stderr, "fuzz: cannot load bpfilter_sockopt from %s\n",
				umd_emu_module_get_path());
			abort();
		}
		loaded = 1;
	}
	set = umd_emu_module_symbol("bpfilter_sockopt", "bpfilter_ip_set_sockopt");
	if (!set)
		abort();
	reply_size = size < sizeof(reply_data) ? size : sizeof(reply_data);
	memcpy(reply_data, data, reply_size);
	ret = set(NULL, 64, USER_SOCKPTR(buf), sizeof(buf));

	if (size >= 4) {
		memcpy(&status, data, 4);
		want = (status > 0 || status < -MAX_ERRNO) ? -EBADMSG : status;
		if (ret != want) {
			fprintf(stderr, "fuzz: status %d gave %ld, want %ld\n",
				status, ret, want);
			abort();
		}
	} else if (ret >= 0 || ret < -MAX_ERRNO) {
		fprintf(stderr, "fuzz: a %zu-byte reply gave %ld\n", size, ret);
		abort();
	}
	if (umd_emu_mutexes_held())
		abort();
	return 0;
}
