// SPDX-License-Identifier: GPL-2.0
/*
 * UMD Loader of the test suite: embeds umd_test_handler and starts it for
 * umdtest_mgmt, which the test program (the "kernel") defines.
 */
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char umdtest_handler_start;
extern char umdtest_handler_end;
extern struct umd_mgmt umdtest_mgmt;

static int __init umdtest_loader_init(void)
{
	return umd_mgmt_load(&umdtest_mgmt, &umdtest_handler_start,
			     &umdtest_handler_end);
}

static void __exit umdtest_loader_exit(void)
{
	umd_mgmt_unload(&umdtest_mgmt);
}

module_init(umdtest_loader_init);
module_exit(umdtest_loader_exit);
MODULE_LICENSE("GPL");
