/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * umd-emu shim of <linux/assoc_array.h>: the structure a keyring embeds.
 * Kind: customised: only struct assoc_array; a keyring's contents are kept
 * by emu/keys.c in a table of its own behind root (no assoc_array_*()
 * functions are provided).
 */
#ifndef _LINUX_ASSOC_ARRAY_H
#define _LINUX_ASSOC_ARRAY_H

#include <linux/types.h>

struct assoc_array_ptr;

struct assoc_array {
	struct assoc_array_ptr	*root;		/* The node at the root of the tree */
	unsigned long		nr_leaves_on_tree;
};

#endif /* _LINUX_ASSOC_ARRAY_H */
