/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu shim of <linux/umh.h>. Kind: duplicates (constants only). */
#ifndef __LINUX_UMH_H__
#define __LINUX_UMH_H__

#include <linux/gfp.h>
#include <linux/stddef.h>
#include <linux/errno.h>
#include <linux/compiler.h>

#define UMH_NO_WAIT	0x00
#define UMH_WAIT_EXEC	0x01
#define UMH_WAIT_PROC	0x02
#define UMH_KILLABLE	0x04
#define UMH_FREEZABLE	0x08

#endif /* __LINUX_UMH_H__ */
