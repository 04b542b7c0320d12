/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu shim of <linux/build_bug.h>. Kind: duplicates. */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG_ON(condition)	_Static_assert(!(condition), \
					       "BUILD_BUG_ON(" #condition ")")
#define static_assert(expr, ...) _Static_assert(expr, #expr)

#endif /* _LINUX_BUILD_BUG_H */
