/* SPDX-License-Identifier: GPL-2.0 */
/*
 * setsockopt/getsockopt calls for bpfilter delivered to "umd-emu run", as
 * the network stack delivers them: the caller (the emulator takes its pid
 * from the socket, SO_PEERCRED, as a kernel takes current) and the address
 * of its own buffer. Shared by "umd-emu sockopt" and the preload library,
 * which must not depend on GLib or the emulator.
 *
 * The one definition of the request, for the client here and the
 * emulator's side (control.c):
 * Request (ctl_proto.h): "sockopt" "set|get" "OPTNAME" "ADDR" "LEN"
 * Answer: "result N\n" on stdout and status 0, or a message and status 1.
 */
#ifndef UMD_EMU_SOCKOPT_H
#define UMD_EMU_SOCKOPT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>

#include "ctl_proto.h"

/* The bpfilter option ranges of ip_setsockopt()/ip_getsockopt(). */
#define SOCKOPT_SET_FIRST 64	/* BPFILTER_IPT_SO_SET_REPLACE */
#define SOCKOPT_SET_END 66	/* BPFILTER_IPT_SET_MAX */
#define SOCKOPT_GET_FIRST 64	/* BPFILTER_IPT_SO_GET_INFO */
#define SOCKOPT_GET_END 68	/* BPFILTER_IPT_GET_MAX */

/* The request's words and the answer's. */
#define SOCKOPT_VERB	"sockopt"
#define SOCKOPT_SET	"set"
#define SOCKOPT_GET	"get"
#define SOCKOPT_NARGS	4	/* after the verb: set|get OPTNAME ADDR LEN */
#define SOCKOPT_RESULT	"result "	/* then the return value */

/* Is optname in bpfilter's range for a set (is_set) or a get? */
static inline int sockopt_in_range(int is_set, long optname)
{
	return is_set ? optname >= SOCKOPT_SET_FIRST &&
			optname < SOCKOPT_SET_END :
			optname >= SOCKOPT_GET_FIRST &&
			optname < SOCKOPT_GET_END;
}

/*
 * bpfilter_umh reads optval from this process with process_vm_readv().
 * Where Yama's ptrace_scope is 1, only a process's ancestors may do that,
 * unless it names a ptracer: name the emulator, the handler's parent (a
 * ptracer's descendants are allowed too), and only once per emulator.
 * Without Yama, prctl() says EINVAL and nothing is needed.
 */
static inline void sockopt_allow_emulator(int fd)
{
	static pid_t allowed;
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    cred.pid <= 0 || cred.pid == allowed)
		return;
	prctl(PR_SET_PTRACER, (unsigned long)cred.pid, 0, 0, 0);
	allowed = cred.pid;
}

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
	char name[16], addr[24], size[16], *argv[1 + SOCKOPT_NARGS], *data;
	char kind;
	int fd, err, found = 0, status = -1;
	uint32_t n;

	*why = NULL;
	fd = ctl_connect(control_path);
	if (fd < 0) {
		*why = fd == -ENAMETOOLONG ? "control socket path too long" :
		       "cannot reach the emulator";
		return fd;
	}
	sockopt_allow_emulator(fd);
	snprintf(name, sizeof(name), "%d", optname);
	snprintf(addr, sizeof(addr), "%lu", (unsigned long)(uintptr_t)optval);
	snprintf(size, sizeof(size), "%u", len);
	argv[0] = SOCKOPT_VERB;
	argv[1] = is_set ? SOCKOPT_SET : SOCKOPT_GET;
	argv[2] = name;
	argv[3] = addr;
	argv[4] = size;
	err = ctl_send_request(fd, 1 + SOCKOPT_NARGS, argv);
	if (err) {
		close(fd);
		*why = "cannot send the request";
		return err;
	}
	while (!(err = ctl_recv_frame(fd, &kind, &data, &n, 4096, 0))) {
		if (kind == CTL_OUT && !strncmp(data, SOCKOPT_RESULT,
						 strlen(SOCKOPT_RESULT))) {
			*result = strtol(data + strlen(SOCKOPT_RESULT), NULL,
					 10);
			found = 1;
		} else if (kind == CTL_ERR) {
			*why = "the emulator refused the call";
		} else if (kind == CTL_END) {
			status = atoi(data);
		}
		free(data);
		if (kind == CTL_END)
			break;
	}
	close(fd);
	if (!found || status != 0) {
		if (!*why)
			*why = "no answer from the emulator";
		return -EPROTO;
	}
	return 0;
}

#endif /* UMD_EMU_SOCKOPT_H */
