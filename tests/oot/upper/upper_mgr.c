// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/security.h>
#include <linux/usermode_driver_mgmt.h>
#include "msg.h"

struct umd_mgmt upper_mgmt;
EXPORT_SYMBOL_GPL(upper_mgmt);
static struct dentry *upper_dentry;
static DEFINE_MUTEX(last_lock);
static struct upper_msg last;

static ssize_t upper_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	struct upper_msg *req, *reply;
	int ret;

	if (len >= sizeof(req->text))
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	ret = -ENOMEM;
	if (!req || !reply)
		goto out;
	ret = -EFAULT;
	if (copy_from_user(req->text, buf, len))
		goto out;
	req->len = len;
	ret = umd_mgmt_send_recv(&upper_mgmt, req, sizeof(*req), reply,
				 sizeof(*reply));
	if (ret)
		goto out;
	ret = -EBADMSG;
	if (reply->len != len)
		goto out;
	mutex_lock(&last_lock);
	last = *reply;
	mutex_unlock(&last_lock);
	ret = len;
out:
	kfree(req);
	kfree(reply);
	return ret;
}

static ssize_t upper_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&last_lock);
	ret = simple_read_from_buffer(buf, len, ppos, last.text, last.len);
	mutex_unlock(&last_lock);
	return ret;
}

static const struct file_operations upper_fops = {
	.owner = THIS_MODULE,
	.read = upper_read,
	.write = upper_write,
};

static int __init upper_init(void)
{
	mutex_init(&upper_mgmt.lock);
	upper_mgmt.info.driver_name = "upper_umh";
	upper_mgmt.kmod = "upper_loader";
	upper_dentry = securityfs_create_file("upper", 0600, NULL, NULL,
					      &upper_fops);
	return PTR_ERR_OR_ZERO(upper_dentry);
}

static void __exit upper_exit(void)
{
	securityfs_remove(upper_dentry);
}

module_init(upper_init);
module_exit(upper_exit);
MODULE_LICENSE("GPL");
