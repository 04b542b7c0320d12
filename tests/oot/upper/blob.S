/* SPDX-License-Identifier: GPL-2.0 */
	.section .init.rodata, "a"
	.global upper_umh_start
upper_umh_start:
	.incbin "upper_umh"
	.global upper_umh_end
upper_umh_end:
