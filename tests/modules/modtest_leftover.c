// SPDX-License-Identifier: GPL-2.0
/*
 * Test module with two bugs the emulator must report at unload: its exit
 * leaves a mutex locked and a securityfs file registered.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/security.h>

static DEFINE_MUTEX(leftover_lock);

static ssize_t leftover_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	return count;
}

static const struct file_operations leftover_fops = {
	.write = leftover_write,
};

static int __init modtest_leftover_init(void)
{
	struct dentry *d;

	d = securityfs_create_file("leftover", 0200, NULL, NULL,
				   &leftover_fops);
	return PTR_ERR_OR_ZERO(d);
}

static void __exit modtest_leftover_exit(void)
{
	mutex_lock(&leftover_lock);
}

module_init(modtest_leftover_init);
module_exit(modtest_leftover_exit);
MODULE_LICENSE("GPL");
