// SPDX-License-Identifier: GPL-2.0
/* Test module: uses modtest_a's exports, so modprobe loads modtest_a first. */
#include <linux/module.h>

extern int modtest_a_value(void);
extern int modtest_a_counter;

int modtest_b_seen;
EXPORT_SYMBOL_GPL(modtest_b_seen);

static int __init modtest_b_init(void)
{
	modtest_b_seen = modtest_a_value() + modtest_a_counter;
	return 0;
}

static void __exit modtest_b_exit(void)
{
}

module_init(modtest_b_init);
module_exit(modtest_b_exit);
MODULE_LICENSE("GPL v2");
