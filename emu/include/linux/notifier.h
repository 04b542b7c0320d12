/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/notifier.h>. Kind: duplicates (the notifier block
 * and its return codes; chains are kept by their subsystem, e.g. the
 * module notifier of <linux/module.h>).
 */
#ifndef _LINUX_NOTIFIER_H
#define _LINUX_NOTIFIER_H

struct notifier_block;

typedef int (*notifier_fn_t)(struct notifier_block *nb,
			     unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;			/* higher runs first */
};

#define NOTIFY_DONE		0x0000	/* don't care */
#define NOTIFY_OK		0x0001	/* suits me */
#define NOTIFY_STOP_MASK	0x8000	/* don't call further */
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)

#endif /* _LINUX_NOTIFIER_H */
