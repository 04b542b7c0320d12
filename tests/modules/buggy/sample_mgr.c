// SPDX-License-Identifier: GPL-2.0
/*
 * A sample manager with a planted bug, for proving that faultsweep finds
 * it and that the setting it prints replays it: when copy_from_user()
 * faults, sample_umd's write returns without releasing input_lock.
 * Same interface as core/sample_umd/sample_mgr.c (the loader works with
 * either).
 */
#include <linux/module.h>
#include <linux/security.h>
#include <linux/usermode_driver_mgmt.h>

#include "msgfmt.h"

struct umd_mgmt sample_mgmt_ops;
EXPORT_SYMBOL_GPL(sample_mgmt_ops);

static DEFINE_MUTEX(input_lock);
static struct dentry *entry;

static int ask(u32 offset, bool locked)
{
	struct sample_request req = { .offset = offset };
	struct sample_reply *reply = kvzalloc(sizeof(*reply), GFP_KERNEL);
	int ret;

	if (!reply)
		return -ENOMEM;
	ret = locked ? umd_send_recv(&sample_mgmt_ops.info, &req, sizeof(req),
				     reply, sizeof(*reply)) :
		       umd_mgmt_send_recv(&sample_mgmt_ops, &req, sizeof(req),
					  reply, sizeof(*reply));
	if (!ret && reply->data[offset] != 1)
		ret = -EINVAL;
	kvfree(reply);
	return ret;
}

static ssize_t buggy_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	char text[8];
	u32 offset;
	int ret;

	if (len >= sizeof(text))
		return -EINVAL;
	mutex_lock(&input_lock);
	if (copy_from_user(text, buf, len))
		return -EFAULT;		/* the bug: input_lock stays held */
	text[len] = '\0';
	ret = kstrtou32(text, 10, &offset);
	mutex_unlock(&input_lock);
	if (ret)
		return ret;
	if (offset >= SAMPLE_REPLY_SIZE)
		return -EINVAL;
	ret = ask(offset, false);
	return ret ? ret : len;
}

static const struct file_operations buggy_fops = {
	.write = buggy_write,
};

static int post_start(struct umd_mgmt *mgmt)
{
	return ask(0, true);
}

static int __init buggy_init(void)
{
	mutex_init(&sample_mgmt_ops.lock);
	sample_mgmt_ops.info.driver_name = "sample_umh";
	sample_mgmt_ops.post_start = post_start;
	sample_mgmt_ops.kmod = "sample_loader_kmod";
	entry = securityfs_create_file("sample_umd", 0200, NULL, NULL,
				       &buggy_fops);
	return PTR_ERR_OR_ZERO(entry);
}

static void __exit buggy_exit(void)
{
	securityfs_remove(entry);
}

module_init(buggy_init);
module_exit(buggy_exit);
MODULE_LICENSE("GPL");
