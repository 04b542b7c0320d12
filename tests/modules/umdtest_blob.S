/* SPDX-License-Identifier: GPL-2.0 */
	.section .init.rodata, "a"
	.global umdtest_handler_start
umdtest_handler_start:
	.incbin "umd_test_handler"
	.global umdtest_handler_end
umdtest_handler_end:
