/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu shim of <linux/file.h>. Kind: customised (see <linux/fs.h>). */
#ifndef __LINUX_FILE_H
#define __LINUX_FILE_H

#include <linux/compiler.h>
#include <linux/types.h>

struct file;

void fput(struct file *file);

#endif /* __LINUX_FILE_H */
