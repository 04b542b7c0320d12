// SPDX-License-Identifier: GPL-2.0
/*
 * libumd-emu-sockopt.so: LD_PRELOAD it into an unchanged program run
 * inside "umd-emu run", and its setsockopt/getsockopt calls on IPv4
 * sockets at level SOL_IP in bpfilter's option range (set 64-65, get
 * 64-67) go to the emulated kernel's bpfilter, with this process's pid and
 * its own optval address, as the network stack passes them. Every other
 * call goes to the real kernel.
 *
 * Built without sanitizers: a preloaded library must not carry its own
 * ASan runtime (an ASan-built program loads its runtime first).
 */
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "../sockopt.h"

typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);
typedef int (*getsockopt_fn)(int, int, int, void *, socklen_t *);

static int is_inet(int fd)
{
	static getsockopt_fn real_get;
	int domain = 0;
	socklen_t len = sizeof(domain);

	if (!real_get)
		real_get = (getsockopt_fn)dlsym(RTLD_NEXT, "getsockopt");
	return !real_get(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) &&
	       domain == AF_INET;
}

/*
 * -2 if the call is not bpfilter's (the caller passes it to the real
 * kernel); else what setsockopt/getsockopt return: the result, or -1 with
 * errno set.
 */
static int to_emulator(int fd, int level, int optname, int is_set,
		       const void *optval, unsigned int len)
{
	const char *control = getenv(CTL_ENV), *why;
	long result = 0;
	int err;

	if (!control || !*control || level != SOL_IP || !is_inet(fd))
		return -2;
	if (!sockopt_in_range(is_set, optname))
		return -2;
	err = sockopt_call(control, is_set, optname, optval, len, &result,
			   &why);
	if (err) {
		errno = ENOPROTOOPT;	/* as a kernel without bpfilter */
		return -1;
	}
	if (result < 0) {
		errno = -result;
		return -1;
	}
	return result;
}

int setsockopt(int fd, int level, int optname, const void *optval,
	       socklen_t optlen)
{
	static setsockopt_fn real;
	int ret = to_emulator(fd, level, optname, 1, optval, optlen);

	if (ret != -2)
		return ret;
	if (!real)
		real = (setsockopt_fn)dlsym(RTLD_NEXT, "setsockopt");
	return real(fd, level, optname, optval, optlen);
}

int getsockopt(int fd, int level, int optname, void *optval,
	       socklen_t *optlen)
{
	static getsockopt_fn real;
	int ret = -2;

	if (optlen)
		ret = to_emulator(fd, level, optname, 0, optval, *optlen);
	if (ret != -2)
		return ret;
	if (!real)
		real = (getsockopt_fn)dlsym(RTLD_NEXT, "getsockopt");
	return real(fd, level, optname, optval, optlen);
}
