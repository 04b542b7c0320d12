// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the reply bytes the sample manager receives from its
 * handler. The handler is a thread of this process (see
 * umd_emu_set_handler_thread()) that answers the post-start check
 * correctly and every other request with the input; no module is
 * reloaded and no process forked per input. The manager must accept the reply only if it
 * is exactly the right one, and never crash.
 */
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "msgfmt.h"

#define OFFSET 5

/*
 * The reply the handler sends: a copy of the input, as a handler of the
 * last input may still be writing its tail when libFuzzer frees it.
 */
static uint8_t reply_data[140000];
static size_t reply_size;
static struct sample_reply good;

/*
 * Answers the post-start check (offset 0) right and any other request
 * with the current input; after a reply too short to be one it ends, so
 * that the manager sees end of file (a longer one leaves bytes the next
 * input's stale-reply check finds).
 */
static void handler(int in_fd, int out_fd, int stop_fd, void *arg)
{
	static struct sample_reply check;	/* zero: for offset 0 */
	struct sample_request req;

	(void)arg;
	check.data[0] = 1;
	while (!fuzz_thread_xfer(in_fd, &req, sizeof(req), 0, stop_fd)) {
		if (req.offset == 0) {
			if (fuzz_thread_xfer(out_fd, &check, sizeof(check), 1,
					     stop_fd))
				return;
			continue;
		}
		if (fuzz_thread_xfer(out_fd, reply_data, reply_size, 1,
				     stop_fd) ||
		    reply_size < sizeof(check))
			return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long ret;
	bool right;

	static bool set;

	if (!set) {
		/* Before the loader starts its first handler. */
		umd_emu_set_handler_thread("sample_umh", handler, NULL);
		set = true;
	}
	fuzz_load_sample();
	good.data[OFFSET] = 1;
	reply_size = size < sizeof(reply_data) ? size : sizeof(reply_data);
	memcpy(reply_data, data, reply_size);
	ret = fuzz_write_sample("5\n", 2);
	fuzz_check(ret, 2);
	right = size >= sizeof(good) && !memcmp(data, &good, sizeof(good));
	if ((ret == 2) != right) {
		fprintf(stderr, "fuzz: a %zu-byte reply was %s\n", size,
			ret == 2 ? "accepted, but it is wrong" :
				   "rejected, but it is right");
		abort();
	}
	return 0;
}
