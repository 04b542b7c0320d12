/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/string.h>.
 * Kind: duplicates. The C library's mem*()/str*() have the kernel's
 * semantics for the functions both define; the kernel-only ones are in
 * emu/string.c.
 */
#ifndef _LINUX_STRING_H_
#define _LINUX_STRING_H_

#include <string.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/gfp.h>

ssize_t strscpy(char *dest, const char *src, size_t count);
char *kstrdup(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
void *memdup_user(const void __user *src, size_t len);
void *memdup_user_nul(const void __user *src, size_t len);
char *skip_spaces(const char *str);
char *strim(char *s);
bool sysfs_streq(const char *s1, const char *s2);
void memzero_explicit(void *s, size_t count);
void *memchr_inv(const void *start, int c, size_t bytes);

#endif /* _LINUX_STRING_H_ */
