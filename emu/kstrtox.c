// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: kstrto*() with the kernel's exact acceptance rules
 * (lib/kstrtox.c): optional "+" ("-" too for signed types), base 0 detects
 * "0x" (hex) and "0" (octal), base 16 accepts a "0x" prefix, no spaces, one
 * trailing newline allowed; -EINVAL for anything else, -ERANGE on overflow.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>

static int kstrtox_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return 99;
}

static const char *kstrtox_fixup_radix(const char *s, unsigned int *base)
{
	bool hexprefix = s[0] == '0' && (s[1] | 0x20) == 'x' &&
			 kstrtox_hexval(s[2]) < 16;

	if (*base == 0) {
		if (hexprefix)
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && hexprefix)
		s += 2;
	return s;
}

static int kstrtox_parse(const char *s, unsigned int base,
			 unsigned long long *res)
{
	unsigned long long acc = 0;
	bool overflow = false;
	const char *p;
	int val;

	if (base < 2 || base > 16)
		return -EINVAL;

	for (p = s; (val = kstrtox_hexval(*p)) < (int)base; p++) {
		if (__builtin_mul_overflow(acc, base, &acc) ||
		    __builtin_add_overflow(acc, (unsigned int)val, &acc))
			overflow = true;
	}
	if (p == s)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*res = acc;
	return 0;
}

static int kstrtoull_unsigned(const char *s, unsigned int base,
			      unsigned long long *res)
{
	s = kstrtox_fixup_radix(s, &base);
	return kstrtox_parse(s, base, res);
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return kstrtoull_unsigned(s, base, res);
}
EXPORT_SYMBOL(kstrtoull);

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long tmp;
	int rv;

	if (s[0] == '-') {
		rv = kstrtoull_unsigned(s + 1, base, &tmp);
		if (rv < 0)
			return rv;
		if ((long long)-tmp > 0)
			return -ERANGE;
		*res = -tmp;
	} else {
		rv = kstrtoull(s, base, &tmp);
		if (rv < 0)
			return rv;
		if ((long long)tmp < 0)
			return -ERANGE;
		*res = tmp;
	}
	return 0;
}
EXPORT_SYMBOL(kstrtoll);

#define KSTRTO_UNSIGNED(name, type)					\
int name(const char *s, unsigned int base, type *res)			\
{									\
	unsigned long long tmp;						\
	int rv = kstrtoull(s, base, &tmp);				\
									\
	if (rv < 0)							\
		return rv;						\
	if (tmp != (type)tmp)						\
		return -ERANGE;						\
	*res = tmp;							\
	return 0;							\
}

#define KSTRTO_SIGNED(name, type)					\
int name(const char *s, unsigned int base, type *res)			\
{									\
	long long tmp;							\
	int rv = kstrtoll(s, base, &tmp);				\
									\
	if (rv < 0)							\
		return rv;						\
	if (tmp != (type)tmp)						\
		return -ERANGE;						\
	*res = tmp;							\
	return 0;							\
}

KSTRTO_UNSIGNED(kstrtoul, unsigned long)
EXPORT_SYMBOL(kstrtoul);
KSTRTO_SIGNED(kstrtol, long)
EXPORT_SYMBOL(kstrtol);
KSTRTO_UNSIGNED(kstrtouint, unsigned int)
EXPORT_SYMBOL(kstrtouint);
KSTRTO_SIGNED(kstrtoint, int)
EXPORT_SYMBOL(kstrtoint);
KSTRTO_UNSIGNED(kstrtou16, u16)
EXPORT_SYMBOL(kstrtou16);
KSTRTO_SIGNED(kstrtos16, s16)
EXPORT_SYMBOL(kstrtos16);
KSTRTO_UNSIGNED(kstrtou8, u8)
EXPORT_SYMBOL(kstrtou8);
KSTRTO_SIGNED(kstrtos8, s8)
EXPORT_SYMBOL(kstrtos8);

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;

	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		switch (s[1]) {
		case 'n': case 'N':
			*res = true;
			return 0;
		case 'f': case 'F':
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}
EXPORT_SYMBOL(kstrtobool);
