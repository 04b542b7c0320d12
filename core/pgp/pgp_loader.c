// SPDX-License-Identifier: GPL-2.0
/*
 * PGP UMD Loader: carries the handler binary (pgp_umh_blob.S) and starts
 * it when loaded; stops it when unloaded.
 */
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern char pgp_umh_start;
extern char pgp_umh_end;
extern struct umd_mgmt pgp_mgmt_ops;

static int __init pgp_loader_init(void)
{
	return umd_mgmt_load(&pgp_mgmt_ops, &pgp_umh_start, &pgp_umh_end);
}

static void __exit pgp_loader_exit(void)
{
	umd_mgmt_unload(&pgp_mgmt_ops);
}

module_init(pgp_loader_init);
module_exit(pgp_loader_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PGP UMD Loader");
