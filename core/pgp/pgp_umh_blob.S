/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PGP handler binary, between pgp_umh_start and pgp_umh_end. The path
 * is searched in the assembler's -I directories: the handlers' build
 * directory in the emulator build, $(obj) in a Kbuild build.
 */
	.section .init.rodata, "a"
	.global pgp_umh_start
pgp_umh_start:
	.incbin "pgp_umh"
	.global pgp_umh_end
pgp_umh_end:
