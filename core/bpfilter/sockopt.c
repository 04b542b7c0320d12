// SPDX-License-Identifier: GPL-2.0
/*
 * bpfilter's sockopt front end on the UMD management library, as after
 * patch 3 of the series: setsockopt/getsockopt on SOL_IP with the bpfilter
 * option numbers become an mbox_request to bpfilter_umh, whose status is
 * the call's result. The loader module "bpfilter" is loaded on demand.
 * (Built into a kernel with CONFIG_BPFILTER=y; a module here.)
 */
#define pr_fmt(fmt) "bpfilter: " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/bpfilter.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "msgfmt.h"

struct umd_mgmt bpfilter_ops;
EXPORT_SYMBOL_GPL(bpfilter_ops);

static int bpfilter_process_sockopt(struct sock *sk, int optname,
				    sockptr_t optval, unsigned int optlen,
				    bool is_set)
{
	struct mbox_request req = {
		.is_set = is_set,
		.pid = current->pid,
		.cmd = optname,
		.addr = (uintptr_t)optval.user,
		.len = optlen,
	};
	struct mbox_reply reply;
	int err;

	if (sockptr_is_kernel(optval)) {
		pr_err("kernel access not supported\n");
		return -EFAULT;
	}

	err = umd_mgmt_send_recv(&bpfilter_ops, &req, sizeof(req), &reply,
				 sizeof(reply));
	if (err)
		return err;

	/* A status is 0 or a negative errno: anything else is garbage. */
	err = (int)reply.status;
	if (err > 0 || err < -MAX_ERRNO) {
		pr_err("bad status %u from bpfilter_umh\n", reply.status);
		return -EBADMSG;
	}
	return err;
}

/* Health check: the handler must answer cmd 0 with status 0. */
static int bpfilter_post_start(struct umd_mgmt *mgmt)
{
	struct mbox_request req = { .pid = current->pid };
	struct mbox_reply reply;

	if (umd_send_recv(&mgmt->info, &req, sizeof(req), &reply,
			  sizeof(reply)) || reply.status)
		return -EFAULT;
	return 0;
}

/**
 * bpfilter_ip_set_sockopt - setsockopt(SOL_IP) for the bpfilter range
 * @sk: the socket
 * @optname: BPFILTER_IPT_SO_SET_*
 * @optval: the caller's buffer
 * @optlen: its length
 *
 * Return: the handler's status, or a negative errno.
 */
int bpfilter_ip_set_sockopt(struct sock *sk, int optname, sockptr_t optval,
			    unsigned int optlen)
{
	return bpfilter_process_sockopt(sk, optname, optval, optlen, true);
}
EXPORT_SYMBOL_GPL(bpfilter_ip_set_sockopt);

/**
 * bpfilter_ip_get_sockopt - getsockopt(SOL_IP) for the bpfilter range
 * @sk: the socket
 * @optname: BPFILTER_IPT_SO_GET_*
 * @optval: the caller's buffer
 * @optlen: the caller's length (user memory)
 *
 * Return: the handler's status, or a negative errno.
 */
int bpfilter_ip_get_sockopt(struct sock *sk, int optname,
			    char __user *optval, int __user *optlen)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;

	return bpfilter_process_sockopt(sk, optname, USER_SOCKPTR(optval), len,
					false);
}
EXPORT_SYMBOL_GPL(bpfilter_ip_get_sockopt);

static int __init bpfilter_sockopt_init(void)
{
	mutex_init(&bpfilter_ops.lock);
	bpfilter_ops.info.tgid = NULL;
	bpfilter_ops.info.driver_name = "bpfilter_umh";
	bpfilter_ops.post_start = bpfilter_post_start;
	bpfilter_ops.kmod = "bpfilter";
	bpfilter_ops.kmod_loaded = false;

	return 0;
}

static void __exit bpfilter_sockopt_exit(void)
{
}

module_init(bpfilter_sockopt_init);
module_exit(bpfilter_sockopt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bpfilter sockopt front end");
