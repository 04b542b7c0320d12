// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char upper_umh_start, upper_umh_end;
extern struct umd_mgmt upper_mgmt;

static int __init upper_loader_init(void)
{
	return umd_mgmt_load(&upper_mgmt, &upper_umh_start, &upper_umh_end);
}

static void __exit upper_loader_exit(void)
{
	umd_mgmt_unload(&upper_mgmt);
}

module_init(upper_loader_init);
module_exit(upper_loader_exit);
MODULE_LICENSE("GPL");
