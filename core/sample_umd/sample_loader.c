// SPDX-License-Identifier: GPL-2.0
/*
 * Sample UMD Loader: carries the handler binary (sample_binary_blob.S) and
 * starts it when loaded; stops it when unloaded.
 */
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char sample_umh_start;
extern char sample_umh_end;
extern struct umd_mgmt sample_mgmt_ops;

static int __init sample_loader_init(void)
{
	return umd_mgmt_load(&sample_mgmt_ops, &sample_umh_start,
			     &sample_umh_end);
}

static void __exit sample_loader_exit(void)
{
	umd_mgmt_unload(&sample_mgmt_ops);
}

module_init(sample_loader_init);
module_exit(sample_loader_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sample UMD Loader");
