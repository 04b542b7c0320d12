/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An attack build of the PGP handler, between pgp_umh_start and
 * pgp_umh_end: PGP_ATTACK_UMH (pgp_umh_attack or
 * pgp_umh_attack_unconfined) is found in the assembler's -I directories.
 */
	.section .init.rodata, "a"
	.global pgp_umh_start
pgp_umh_start:
	.incbin PGP_ATTACK_UMH
	.global pgp_umh_end
pgp_umh_end:
