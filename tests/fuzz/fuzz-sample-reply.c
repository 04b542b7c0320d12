// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the reply bytes the sample manager receives from its
 * handler. The handler is a forked copy of this process (see
 * umd_emu_set_handler_fn()) that answers the post-start check correctly
 * and then sends the input as its reply to one request. The manager must
 * accept it only if it is exactly the right reply, and never crash.
 */
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "msgfmt.h"
#include "xfer.h"

#define OFFSET 5

static const uint8_t *reply_data;
static size_t reply_size;
static struct sample_reply good;

/* In the forked handler: async-signal-safe calls only. */
static void handler(void *arg)
{
	static struct sample_reply check;	/* zero: for offset 0 */
	struct sample_request req;

	(void)arg;
	if (xfer_all(0, &req, sizeof(req), 0) || req.offset != 0)
		return;
	check.data[0] = 1;
	if (xfer_all(1, &check, sizeof(check), 1))
		return;
	if (xfer_all(0, &req, sizeof(req), 0))
		return;
	xfer_all(1, (void *)reply_data, reply_size, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long ret;
	bool right;

	fuzz_load_sample();
	good.data[OFFSET] = 1;
	reply_data = data;
	reply_size = size;
	umd_emu_set_handler_fn("sample_umh", handler, NULL);
	/* A fresh handler (forked now, with this input) for each input. */
	if (umd_emu_module_loaded("sample_loader_kmod"))
		umd_emu_rmmod("sample_loader_kmod");
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
