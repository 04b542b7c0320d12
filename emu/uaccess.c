// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: user memory.
 *
 * A kernel reaches user memory only through copy_{from,to}_user() and
 * friends, which fault on addresses the task has not mapped. The emulator
 * has no second address space: the front end serving a request maps the
 * user's buffers for the current thread (the bytes a process wrote to a
 * securityfs file, the buffer it reads into). An access outside those
 * ranges faults: copy_*_user() copy what is mapped and return the number
 * of bytes NOT copied, zero-filling the rest of the kernel buffer as the
 * kernel's copy_from_user() does.
 */
#include <string.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include "emu.h"
#include "fault.h"

#define USER_RANGES 8
#define TASK_SIZE_MAX 0x00007ffffffff000UL

struct user_range {
	uintptr_t start;
	uintptr_t end;
	bool writable;
};

static __thread struct user_range user_ranges[USER_RANGES];
static __thread int user_nranges;

int umd_emu_user_map(const void *addr, size_t len, bool writable)
{
	struct user_range *r;

	if (user_nranges == USER_RANGES)
		return -ENOMEM;
	r = &user_ranges[user_nranges++];
	r->start = (uintptr_t)addr;
	r->end = (uintptr_t)addr + len;
	r->writable = writable;
	return 0;
}

void umd_emu_user_unmap(const void *addr)
{
	int i;

	for (i = 0; i < user_nranges; i++) {
		if (user_ranges[i].start != (uintptr_t)addr)
			continue;
		user_ranges[i] = user_ranges[--user_nranges];
		return;
	}
}

void umd_emu_user_unmap_all(void)
{
	user_nranges = 0;
}

/* Bytes from addr on, up to n, that lie in one mapped range. */
static size_t user_accessible(uintptr_t addr, size_t n, bool write)
{
	const struct user_range *r;
	struct umd_emu_fault f;
	int i;

	if (umd_emu_should_fail(write ? FAULT_COPY_TO_USER :
				FAULT_COPY_FROM_USER, n, &f)) {
		if (!f.short_len)
			return 0;
		n = min(n, f.short_len);	/* then as mapped */
	}

	for (i = 0; i < user_nranges; i++) {
		r = &user_ranges[i];
		if (addr < r->start || addr >= r->end)
			continue;
		if (write && !r->writable)
			return 0;
		return min_t(size_t, n, r->end - addr);
	}
	return 0;
}

bool access_ok(const void __user *addr, unsigned long size)
{
	uintptr_t a = (uintptr_t)addr;

	return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}
EXPORT_SYMBOL(access_ok);

/* How many bytes from addr on a user copy may touch (the rest faults). */
static size_t user_ok(const void __user *addr, unsigned long n, bool write)
{
	return access_ok(addr, n) ?
	       user_accessible((uintptr_t)addr, n, write) : 0;
}

unsigned long copy_from_user(void *to, const void __user *from,
			     unsigned long n)
{
	size_t ok = user_ok(from, n, false);

	if (ok)
		memcpy(to, from, ok);
	if (ok < n)
		memset((char *)to + ok, 0, n - ok);
	return n - ok;
}
EXPORT_SYMBOL(copy_from_user);

unsigned long copy_to_user(void __user *to, const void *from,
			   unsigned long n)
{
	size_t ok = user_ok(to, n, true);

	if (ok)
		memcpy(to, from, ok);
	return n - ok;
}
EXPORT_SYMBOL(copy_to_user);

unsigned long clear_user(void __user *to, unsigned long n)
{
	size_t ok = user_ok(to, n, true);

	if (ok)
		memset(to, 0, ok);
	return n - ok;
}
EXPORT_SYMBOL(clear_user);

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	size_t ok, i;

	if (count <= 0)
		return 0;
	ok = user_accessible((uintptr_t)src, count, false);
	for (i = 0; i < ok; i++) {
		dst[i] = src[i];
		if (!src[i])
			return i;
	}
	if (ok < (size_t)count)
		return -EFAULT;
	return count;
}
EXPORT_SYMBOL(strncpy_from_user);
