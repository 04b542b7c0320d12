/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/kernel.h>.
 * Kind: duplicates. Includes what the kernel's own header pulls in and
 * kernel code relies on (printk, kstrto*, min/max, BUG/WARN, ...).
 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <stdarg.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/linkage.h>
#include <linux/stringify.h>
#include <linux/container_of.h>
#include <linux/minmax.h>
#include <linux/kstrtox.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/err.h>

#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]))

#define ALIGN(x, a)		(((x) + ((typeof(x))(a) - 1)) & \
				 ~((typeof(x))(a) - 1))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, y)		((((x) - 1) | ((typeof(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((typeof(x))((y) - 1)))
#define abs(x) ({ typeof(x) __x = (x); __x < 0 ? -__x : __x; })

#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))

__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);
__printf(2, 3) int sprintf(char *buf, const char *fmt, ...);
__printf(3, 0) int vsnprintf(char *buf, size_t size, const char *fmt,
			     va_list args);
__printf(2, 3) char *kasprintf(unsigned int gfp, const char *fmt, ...);

void might_sleep(void);
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
#define cond_resched()		((void)0)

#endif /* _LINUX_KERNEL_H */
