// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the reply bytes bpfilter's sockopt front end receives from
 * bpfilter_umh. A forked copy of this process plays the handler (see
 * umd_emu_set_handler_fn()): it answers the health check with 0, then
 * sends the input as its reply to one setsockopt. The result must be the
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

static const uint8_t *reply_data;
static size_t reply_size;

static void handler(void *arg)
{
	unsigned char req[24];
	uint32_t zero = 0;

	(void)arg;
	if (read(0, req, sizeof(req)) != sizeof(req) ||
	    write(1, &zero, sizeof(zero)) != sizeof(zero))
		return;
	if (read(0, req, sizeof(req)) != sizeof(req))
		return;
	if (reply_size && write(1, reply_data, reply_size) < 0)
		return;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int (*set)(void *sk, int optname, sockptr_t optval, unsigned int len);
	static int loaded;
	char buf[8] = "fuzz";
	int32_t status = 0;
	long ret, want;

	if (!loaded) {
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
	reply_data = data;
	reply_size = size;
	umd_emu_set_handler_fn("bpfilter_umh", handler, NULL);
	if (umd_emu_module_loaded("bpfilter"))
		umd_emu_rmmod("bpfilter");
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
