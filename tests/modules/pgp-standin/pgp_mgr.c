// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the PGP UMD's manager (core/pgp/pgp_mgr.c), for the
 * confinement tests until meson builds the real one (it needs the crypto
 * and keys shim wired in): the securityfs file
 * pgp_keys takes a key in one write and sends it to the handler
 * (PGP_UMD_PARSE_KEY); the handler's ret, checked like the real manager
 * checks it, is the write's result. It adds no key. Same names as the real
 * one (module pgp_mgr, pgp_mgmt_ops, loader pgp_loader_kmod, handler
 * pgp_umh), so tests/e2e/pgp-isolation.sh runs unchanged on either.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/usermode_driver_mgmt.h>

#include "msgfmt.h"

struct umd_mgmt pgp_mgmt_ops;
EXPORT_SYMBOL_GPL(pgp_mgmt_ops);

static struct dentry *pgp_keys_dentry;

static bool pgp_ret_ok(s32 ret)
{
	return ret == 0 || ret == -EBADMSG || ret == -ENOPKG ||
	       ret == -E2BIG || ret == -EINVAL;
}

static ssize_t pgp_keys_write(struct file *file, const char __user *buf,
			      size_t datalen, loff_t *ppos)
{
	struct pgp_umd_request *req;
	struct pgp_umd_reply *reply;
	int ret = -ENOMEM;

	if (!datalen || datalen > PGP_UMD_DATA_MAX)
		return -EINVAL;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	if (!req || !reply)
		goto out;

	ret = -EFAULT;
	if (copy_from_user(req->data, buf, datalen))
		goto out;
	req->cmd = PGP_UMD_PARSE_KEY;
	req->data_len = datalen;
	reply->ret = -EINVAL;

	ret = umd_mgmt_send_recv(&pgp_mgmt_ops, req, sizeof(*req), reply,
				 sizeof(*reply));
	if (ret < 0)
		goto out;

	if (reply->cmd != PGP_UMD_PARSE_KEY || !pgp_ret_ok(reply->ret)) {
		pr_err("bad reply from the handler\n");
		ret = -EBADMSG;
		goto out;
	}
	ret = reply->ret;
out:
	kfree(req);
	kfree(reply);
	return ret < 0 ? ret : datalen;
}

static const struct file_operations pgp_keys_fops = {
	.write = pgp_keys_write,
};

static int __init pgp_mgr_init(void)
{
	mutex_init(&pgp_mgmt_ops.lock);
	pgp_mgmt_ops.info.tgid = NULL;
	pgp_mgmt_ops.info.driver_name = "pgp_umh";
	pgp_mgmt_ops.kmod = "pgp_loader_kmod";
	pgp_mgmt_ops.kmod_loaded = false;

	pgp_keys_dentry = securityfs_create_file("pgp_keys", 0200, NULL, NULL,
						 &pgp_keys_fops);
	if (IS_ERR(pgp_keys_dentry))
		return PTR_ERR(pgp_keys_dentry);
	return 0;
}

static void __exit pgp_mgr_exit(void)
{
	securityfs_remove(pgp_keys_dentry);
}

module_init(pgp_mgr_init);
module_exit(pgp_mgr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PGP UMD Manager (stand-in for the confinement tests)");
