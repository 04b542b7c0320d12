/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/mutex.h>.
 * Kind: customised. A sleeping lock over a pthread mutex and condition
 * variable, with the checks of CONFIG_DEBUG_MUTEXES/lockdep: use of an
 * uninitialised mutex, recursive locking (reported, then the caller blocks
 * forever as it would in the kernel), unlock of an unlocked mutex, unlock
 * by a task that is not the owner (reported, then unlocked as the kernel
 * does), and a mutex still held when its module is unloaded. Each report is
 * a "WARNING:" in the kernel log and counts as a warning.
 */
#ifndef __LINUX_MUTEX_H
#define __LINUX_MUTEX_H

#include <pthread.h>
#include <linux/compiler.h>
#include <linux/types.h>

struct lock_class_key {
	char dummy;
};

struct mutex {
	pthread_mutex_t wait_lock;	/* protects the fields below */
	pthread_cond_t wait;
	bool locked;
	pid_t owner;			/* thread id of the owner */
	const void *owner_ip;		/* where it was locked */
	const struct mutex *magic;	/* self once initialised */
	const char *name;
	struct mutex *held_next;	/* list of held mutexes */
	struct mutex *held_prev;
};

#define __MUTEX_INITIALIZER(lockname)					\
	{ .wait_lock = PTHREAD_MUTEX_INITIALIZER,			\
	  .wait = PTHREAD_COND_INITIALIZER,				\
	  .magic = &(lockname), .name = #lockname }

#define DEFINE_MUTEX(mutexname) \
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

void __mutex_init(struct mutex *lock, const char *name,
		  struct lock_class_key *key);

#define mutex_init(mutex)						\
do {									\
	static struct lock_class_key __key;				\
									\
	__mutex_init((mutex), #mutex, &__key);				\
} while (0)

void mutex_lock(struct mutex *lock);
int __must_check mutex_lock_interruptible(struct mutex *lock);
int __must_check mutex_lock_killable(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
void mutex_destroy(struct mutex *lock);

#define mutex_lock_nested(lock, subclass) mutex_lock(lock)
#define lockdep_assert_held(l) WARN_ON(!mutex_is_locked(l))

#endif /* __LINUX_MUTEX_H */
