/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu shim of <linux/delay.h>. Kind: customised (real sleeps). */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

void msleep(unsigned int msecs);
void usleep_range(unsigned long min, unsigned long max);
void udelay(unsigned long usecs);
#define mdelay(n) udelay((n) * 1000)
#define ssleep(s) msleep((s) * 1000)

#endif /* _LINUX_DELAY_H */
