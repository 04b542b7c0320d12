/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/refcount.h>.
 * Kind: duplicates (semantics): increment from zero and underflow are
 * reported with the kernel's warnings and the counter saturates.
 */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <linux/atomic.h>
#include <linux/bug.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n), }
#define REFCOUNT_SATURATED	(INT_MIN / 2)

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

static inline void refcount_inc(refcount_t *r)
{
	int old = atomic_add_return(1, &r->refs) - 1;

	if (unlikely(old <= 0)) {
		atomic_set(&r->refs, REFCOUNT_SATURATED);
		WARN(1, "refcount_t: %s.\n", old ? "saturated; leaking memory"
		     : "addition on 0; use-after-free");
	}
}

static inline bool __must_check refcount_dec_and_test(refcount_t *r)
{
	int old = atomic_sub_return(1, &r->refs) + 1;

	if (old == 1)
		return true;
	if (unlikely(old <= 0)) {
		atomic_set(&r->refs, REFCOUNT_SATURATED);
		WARN(1, "refcount_t: underflow; use-after-free.\n");
	}
	return false;
}

static inline void refcount_dec(refcount_t *r)
{
	if (refcount_dec_and_test(r))
		WARN(1, "refcount_t: decrement hit 0; leaking memory.\n");
}

#endif /* _LINUX_REFCOUNT_H */
