// SPDX-License-Identifier: GPL-2.0
/* Test module: uses an assembly label of modtest_a that is not exported. */
#include <linux/module.h>

extern int modtest_a_asm_label;

static int __init modtest_asmuser_init(void)
{
	return modtest_a_asm_label == 5 ? 0 : -EINVAL;
}

module_init(modtest_asmuser_init);
MODULE_LICENSE("GPL");
