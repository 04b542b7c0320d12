/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/wait.h>.
 * Kind: customised. A wait queue is a condition variable with a wake-up
 * sequence number; a queue bound to a file descriptor (struct pid's
 * wait_pidfd is bound to the pidfd) also wakes when that descriptor
 * becomes readable, as the kernel wakes wait_pidfd when the task exits.
 * The condition is re-evaluated on every wake-up, as in the kernel.
 */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <pthread.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/jiffies.h>

struct wait_queue_head {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long seq;
	int pollfd;			/* -1, or a fd that wakes waiters */
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = PTHREAD_MUTEX_INITIALIZER,				\
	.cond = PTHREAD_COND_INITIALIZER,				\
	.pollfd = -1 }

#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(struct wait_queue_head *wq_head);
void __wake_up(struct wait_queue_head *wq_head);
unsigned long __wait_event_prepare(struct wait_queue_head *wq_head);
/* Sleep until woken after @seq or until @timeout (jiffies, <0: none). */
void __wait_event_sleep(struct wait_queue_head *wq_head, unsigned long seq,
			long timeout);

#define wake_up(x)			__wake_up(x)
#define wake_up_all(x)			__wake_up(x)
#define wake_up_interruptible(x)	__wake_up(x)
#define wake_up_interruptible_all(x)	__wake_up(x)

#define wait_event(wq_head, condition)					\
do {									\
	unsigned long __seq;						\
									\
	if (condition)							\
		break;							\
	for (;;) {							\
		__seq = __wait_event_prepare(&(wq_head));		\
		if (condition)						\
			break;						\
		__wait_event_sleep(&(wq_head), __seq, -1);		\
	}								\
} while (0)

/* Kernel threads get no signals: never interrupted in the emulator. */
#define wait_event_interruptible(wq_head, condition)			\
({									\
	wait_event(wq_head, condition);					\
	0;								\
})
#define wait_event_killable(wq_head, condition) \
	wait_event_interruptible(wq_head, condition)

#define wait_event_timeout(wq_head, condition, timeout)			\
({									\
	long __ret = (timeout);						\
	unsigned long __end = jiffies + __ret;				\
	unsigned long __seq;						\
									\
	while (!(condition)) {						\
		__seq = __wait_event_prepare(&(wq_head));		\
		if (condition)						\
			break;						\
		__ret = (long)(__end - jiffies);			\
		if (__ret <= 0) {					\
			__ret = (condition) ? 1 : 0;			\
			break;						\
		}							\
		__wait_event_sleep(&(wq_head), __seq, __ret);		\
	}								\
	if ((condition) && __ret <= 0)					\
		__ret = 1;						\
	__ret;								\
})

#endif /* _LINUX_WAIT_H */
