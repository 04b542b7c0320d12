// SPDX-License-Identifier: GPL-2.0
/* Test module: has init but no exit, so it cannot be unloaded. */
#include <linux/module.h>

static int __init modtest_noexit_init(void)
{
	return 0;
}

module_init(modtest_noexit_init);
MODULE_LICENSE("GPL");
