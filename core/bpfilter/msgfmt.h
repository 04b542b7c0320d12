/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfilter's messages between the kernel and bpfilter_umh, as in
 * net/bpfilter/msgfmt.h: a request per sockopt call, a status back.
 */
#ifndef _NET_BPFILTER_MSGFMT_H
#define _NET_BPFILTER_MSGFMT_H

struct mbox_request {
	__u64 addr;	/* the caller's optval, in its address space */
	__u32 len;	/* optlen */
	__u32 is_set;	/* setsockopt (1) or getsockopt (0) */
	__u32 cmd;	/* optname; 0 is the health check */
	__u32 pid;	/* the caller */
};

struct mbox_reply {
	__u32 status;	/* 0 or a negative errno */
};

#endif /* _NET_BPFILTER_MSGFMT_H */
