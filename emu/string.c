// SPDX-License-Identifier: GPL-2.0
/* umd-emu runtime: the kernel-only string helpers (lib/string*.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

ssize_t strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (!count)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dest, src, count - 1);
		dest[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return len;
}
EXPORT_SYMBOL(strscpy);

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}
EXPORT_SYMBOL(kmemdup);

char *kstrdup(const char *s, gfp_t gfp)
{
	if (!s)
		return NULL;
	return kmemdup(s, strlen(s) + 1, gfp);
}
EXPORT_SYMBOL(kstrdup);

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	p = kmalloc(len + 1, gfp);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}
EXPORT_SYMBOL(kstrndup);

void *memdup_user(const void __user *src, size_t len)
{
	void *p = kmalloc(len, GFP_KERNEL);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}
EXPORT_SYMBOL(memdup_user);

void *memdup_user_nul(const void __user *src, size_t len)
{
	char *p = kmalloc(len + 1, GFP_KERNEL);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kfree(p);
		return ERR_PTR(-EFAULT);
	}
	p[len] = '\0';
	return p;
}
EXPORT_SYMBOL(memdup_user_nul);

char *skip_spaces(const char *str)
{
	while (isspace((unsigned char)*str))
		++str;
	return (char *)str;
}
EXPORT_SYMBOL(skip_spaces);

char *strim(char *s)
{
	size_t size = strlen(s);
	char *end;

	if (!size)
		return s;
	end = s + size - 1;
	while (end >= s && isspace((unsigned char)*end))
		end--;
	*(end + 1) = '\0';
	return skip_spaces(s);
}
EXPORT_SYMBOL(strim);

bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}
EXPORT_SYMBOL(sysfs_streq);

/**
 * memchr_inv - the first byte of [start, start + bytes) that is not c
 *
 * Return: its address, or NULL if every byte is c (lib/string.c).
 */
void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start, value = c;
	uint64_t pattern = 0x0101010101010101ULL * value, word;

	while (bytes && ((uintptr_t)p & 7)) {
		if (*p != value)
			return (void *)p;
		p++;
		bytes--;
	}
	for (; bytes >= 8; p += 8, bytes -= 8) {
		memcpy(&word, p, 8);
		if (word != pattern)
			break;
	}
	for (; bytes; p++, bytes--)
		if (*p != value)
			return (void *)p;
	return NULL;
}
EXPORT_SYMBOL(memchr_inv);

void memzero_explicit(void *s, size_t count)
{
	explicit_bzero(s, count);
}
EXPORT_SYMBOL(memzero_explicit);

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int i;

	va_start(args, fmt);
	i = vsnprintf(buf, size, fmt, args);
	va_end(args);
	if (i < 0 || !size)
		return 0;
	return (size_t)i < size ? i : (int)size - 1;
}
EXPORT_SYMBOL(scnprintf);

char *kasprintf(unsigned int gfp, const char *fmt, ...)
{
	va_list args;
	char *tmp, *p;
	int len;

	va_start(args, fmt);
	len = vasprintf(&tmp, fmt, args);
	va_end(args);
	if (len < 0)
		return NULL;
	p = kmemdup(tmp, len + 1, gfp);
	free(tmp);
	return p;
}
EXPORT_SYMBOL(kasprintf);

/*
 * Kernel exports the C library provides, with the kernel's semantics for
 * what modules use of them (lib/string.c, lib/vsprintf.c): marked as the
 * kernel marks them, so that modpost and the loader know them as the
 * kernel's. The C library's other functions are not the kernel's: a
 * module that calls them fails modpost ("undefined!"), as on a kernel.
 */
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memmove);
EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memcmp);
EXPORT_SYMBOL(memchr);
EXPORT_SYMBOL(strcpy);
EXPORT_SYMBOL(strncpy);
EXPORT_SYMBOL(strcat);
EXPORT_SYMBOL(strncat);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strncmp);
EXPORT_SYMBOL(strcasecmp);
EXPORT_SYMBOL(strncasecmp);
EXPORT_SYMBOL(strchr);
EXPORT_SYMBOL(strchrnul);
EXPORT_SYMBOL(strrchr);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(strnlen);
EXPORT_SYMBOL(strspn);
EXPORT_SYMBOL(strcspn);
EXPORT_SYMBOL(strpbrk);
EXPORT_SYMBOL(strsep);
EXPORT_SYMBOL(strstr);
EXPORT_SYMBOL(sprintf);
EXPORT_SYMBOL(snprintf);
EXPORT_SYMBOL(vsprintf);
EXPORT_SYMBOL(vsnprintf);
EXPORT_SYMBOL(sscanf);
EXPORT_SYMBOL(vsscanf);
