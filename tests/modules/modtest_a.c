// SPDX-License-Identifier: GPL-2.0
/* Test module: exports a GPL-only function and a plain variable. */
#include <linux/module.h>

static int inits;
int modtest_a_counter = 42;
EXPORT_SYMBOL(modtest_a_counter);

/* Global but not exported: other modules must not see it. */
int modtest_a_hidden = 7;

int modtest_a_value(void)
{
	return 1000 + modtest_a_hidden;
}
EXPORT_SYMBOL_GPL(modtest_a_value);

int modtest_a_inits(void)
{
	return inits;
}
EXPORT_SYMBOL_GPL(modtest_a_inits);

static int __init modtest_a_init(void)
{
	inits++;
	pr_info("modtest_a: init %d\n", inits);
	return 0;
}

static void __exit modtest_a_exit(void)
{
	pr_info("modtest_a: exit\n");
}

module_init(modtest_a_init);
module_exit(modtest_a_exit);
MODULE_LICENSE("GPL");

/* A label defined in assembly: visible, but not exported. */
__asm__(".pushsection .data\n"
	".globl modtest_a_asm_label\n"
	"modtest_a_asm_label: .long 5\n"
	".popsection");
