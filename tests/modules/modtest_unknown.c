// SPDX-License-Identifier: GPL-2.0
/* Test module: uses a symbol modtest_a defines but does not export. */
#include <linux/module.h>

extern int modtest_a_hidden;

static int __init modtest_unknown_init(void)
{
	return modtest_a_hidden;
}

module_init(modtest_unknown_init);
MODULE_LICENSE("GPL");
