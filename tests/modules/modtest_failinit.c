// SPDX-License-Identifier: GPL-2.0
/* Test module: init fails, so the module must not stay loaded. */
#include <linux/module.h>

static int __init modtest_failinit_init(void)
{
	pr_err("modtest_failinit: refusing to load\n");
	return -ENODEV;
}

static void __exit modtest_failinit_exit(void)
{
	/* Must never run: a failed init is not followed by exit. */
	BUG();
}

module_init(modtest_failinit_init);
module_exit(modtest_failinit_exit);
MODULE_LICENSE("GPL");
