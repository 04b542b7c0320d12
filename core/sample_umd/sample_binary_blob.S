/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sample handler binary, between sample_umh_start and sample_umh_end.
 * The path is searched in the assembler's -I directories: the handlers'
 * build directory in the emulator build, $(obj) in a Kbuild build.
 */
	.section .init.rodata, "a"
	.global sample_umh_start
sample_umh_start:
	.incbin "sample_umh"
	.global sample_umh_end
sample_umh_end:
