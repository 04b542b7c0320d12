// SPDX-License-Identifier: GPL-2.0
/*
 * Sample UMD Manager: the securityfs file "sample_umd" (write-only) takes a
 * decimal offset in the 128 KiB reply; the UMD Handler sets that byte to 1
 * and the manager checks it. The handler is started on demand through the
 * UMD Loader module sample_loader_kmod.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/usermode_driver_mgmt.h>

#include "msgfmt.h"

struct umd_mgmt sample_mgmt_ops;
EXPORT_SYMBOL_GPL(sample_mgmt_ops);

static struct dentry *sample_umd_dentry;

/* A good reply has exactly one byte set: @offset's, to 1. */
static bool sample_reply_ok(const struct sample_reply *reply, u32 offset)
{
	return reply->data[offset] == 1 &&
	       !memchr_inv(reply->data, 0, offset) &&
	       !memchr_inv(reply->data + offset + 1, 0,
			    sizeof(reply->data) - offset - 1);
}

/*
 * Ask the handler to mark @offset and check that it did. @locked: called
 * from post_start, with sample_mgmt_ops.lock already held.
 */
static int sample_request(u32 offset, bool locked)
{
	struct sample_request *req;
	struct sample_reply *reply;
	int ret = -ENOMEM;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	if (!req || !reply)
		goto out;

	req->offset = offset;
	if (locked)
		ret = umd_send_recv(&sample_mgmt_ops.info, req, sizeof(*req),
				    reply, sizeof(*reply));
	else
		ret = umd_mgmt_send_recv(&sample_mgmt_ops, req, sizeof(*req),
					 reply, sizeof(*reply));
	if (ret < 0)
		goto out;

	if (!sample_reply_ok(reply, offset)) {
		pr_err("bad reply from the handler for offset %u\n", offset);
		ret = -EINVAL;
	}
out:
	kfree(req);
	kfree(reply);
	return ret;
}

static ssize_t sample_umd_write(struct file *file, const char __user *buf,
				size_t datalen, loff_t *ppos)
{
	char offset_str[8];
	u32 offset;
	int ret;

	if (datalen >= sizeof(offset_str))
		return -EINVAL;

	if (copy_from_user(offset_str, buf, datalen))
		return -EFAULT;
	offset_str[datalen] = '\0';

	ret = kstrtou32(offset_str, 10, &offset);
	if (ret < 0)
		return ret;

	if (offset >= SAMPLE_REPLY_SIZE)
		return -EINVAL;

	ret = sample_request(offset, false);
	if (ret < 0)
		return ret;

	return datalen;
}

static const struct file_operations sample_umd_fops = {
	.write = sample_umd_write,
};

static int sample_post_start(struct umd_mgmt *mgmt)
{
	return sample_request(0, true);
}

static int __init sample_mgr_init(void)
{
	mutex_init(&sample_mgmt_ops.lock);
	sample_mgmt_ops.info.tgid = NULL;
	sample_mgmt_ops.info.driver_name = "sample_umh";
	sample_mgmt_ops.post_start = sample_post_start;
	sample_mgmt_ops.kmod = "sample_loader_kmod";
	sample_mgmt_ops.kmod_loaded = false;

	sample_umd_dentry = securityfs_create_file("sample_umd", 0200, NULL,
						   NULL, &sample_umd_fops);
	if (IS_ERR(sample_umd_dentry))
		return PTR_ERR(sample_umd_dentry);

	return 0;
}

static void __exit sample_mgr_exit(void)
{
	securityfs_remove(sample_umd_dentry);
}

module_init(sample_mgr_init);
module_exit(sample_mgr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sample UMD Manager");
