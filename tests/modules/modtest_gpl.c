// SPDX-License-Identifier: GPL-2.0
/* Test module: not GPL-compatible, uses a GPL-only export. */
#include <linux/module.h>

extern int modtest_a_value(void);

static int __init modtest_gpl_init(void)
{
	return modtest_a_value() > 0 ? 0 : -EINVAL;
}

module_init(modtest_gpl_init);
MODULE_LICENSE("Proprietary");
