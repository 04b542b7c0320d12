// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: struct mutex with the checks of CONFIG_DEBUG_MUTEXES
 * and lockdep that matter to a UMD: use before mutex_init(), recursive
 * locking, unlocking an unlocked mutex, unlocking by a non-owner, and
 * mutexes still held when their module goes away. Each is logged as a
 * "WARNING:" with the lock's name and where it was taken, and counted.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/sched.h>

#include "emu.h"
#include "internal.h"

static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mutex *held_head;
static int held_count;

static const char *ip_name(const void *ip, char *buf, size_t size)
{
	Dl_info info;

	if (ip && dladdr(ip, &info) && info.dli_sname)
		snprintf(buf, size, "%s+0x%lx", info.dli_sname,
			 (unsigned long)((const char *)ip -
					 (const char *)info.dli_saddr));
	else
		snprintf(buf, size, "%p", ip);
	return buf;
}

static void lockdep_report(const char *what, struct mutex *lock,
			   const void *ip)
{
	char here[128], there[128];

	printk(KERN_WARNING "WARNING: %s\n", what);
	printk(KERN_WARNING "%s/%d is at %s on lock %s (%p)\n",
	       current->comm, current->pid, ip_name(ip, here, sizeof(here)),
	       lock->name ? lock->name : "?", (void *)lock);
	if (lock->locked)
		printk(KERN_WARNING "lock held by thread %d, taken at %s\n",
		       lock->owner,
		       ip_name(lock->owner_ip, there, sizeof(there)));
	umd_emu_count_warning();
}

static void check_magic(struct mutex *lock, const void *ip)
{
	if (likely(lock->magic == lock))
		return;
	lockdep_report("DEBUG_LOCKS_WARN_ON(lock->magic != lock): mutex used before mutex_init()",
		       lock, ip);
	lock->magic = lock;
}

/* Called with lock->wait_lock held. */
static void held_add(struct mutex *lock)
{
	pthread_mutex_lock(&held_lock);
	lock->held_prev = NULL;
	lock->held_next = held_head;
	if (held_head)
		held_head->held_prev = lock;
	held_head = lock;
	held_count++;
	pthread_mutex_unlock(&held_lock);
}

static void held_del(struct mutex *lock)
{
	pthread_mutex_lock(&held_lock);
	if (lock->held_prev)
		lock->held_prev->held_next = lock->held_next;
	else
		held_head = lock->held_next;
	if (lock->held_next)
		lock->held_next->held_prev = lock->held_prev;
	lock->held_next = lock->held_prev = NULL;
	held_count--;
	pthread_mutex_unlock(&held_lock);
}

void __mutex_init(struct mutex *lock, const char *name,
		  struct lock_class_key *key)
{
	(void)key;
	pthread_mutex_init(&lock->wait_lock, NULL);
	pthread_cond_init(&lock->wait, NULL);
	lock->locked = false;
	lock->owner = 0;
	lock->owner_ip = NULL;
	lock->name = name;
	lock->held_next = lock->held_prev = NULL;
	lock->magic = lock;
}
EXPORT_SYMBOL(__mutex_init);

static void mutex_take(struct mutex *lock, const void *ip)
{
	pid_t self = umd_emu_gettid();

	check_magic(lock, ip);
	pthread_mutex_lock(&lock->wait_lock);
	if (lock->locked && lock->owner == self) {
		pthread_mutex_unlock(&lock->wait_lock);
		lockdep_report("possible recursive locking detected", lock, ip);
		pthread_mutex_lock(&lock->wait_lock);
		/* As in the kernel, the task now waits for itself forever. */
	}
	while (lock->locked)
		pthread_cond_wait(&lock->wait, &lock->wait_lock);
	lock->locked = true;
	lock->owner = self;
	lock->owner_ip = ip;
	held_add(lock);
	pthread_mutex_unlock(&lock->wait_lock);
}

void mutex_lock(struct mutex *lock)
{
	mutex_take(lock, __builtin_return_address(0));
}
EXPORT_SYMBOL(mutex_lock);

int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_take(lock, __builtin_return_address(0));
	return 0;
}
EXPORT_SYMBOL(mutex_lock_interruptible);

int mutex_lock_killable(struct mutex *lock)
{
	mutex_take(lock, __builtin_return_address(0));
	return 0;
}
EXPORT_SYMBOL(mutex_lock_killable);

int mutex_trylock(struct mutex *lock)
{
	int taken = 0;

	check_magic(lock, __builtin_return_address(0));
	pthread_mutex_lock(&lock->wait_lock);
	if (!lock->locked) {
		lock->locked = true;
		lock->owner = umd_emu_gettid();
		lock->owner_ip = __builtin_return_address(0);
		held_add(lock);
		taken = 1;
	}
	pthread_mutex_unlock(&lock->wait_lock);
	return taken;
}
EXPORT_SYMBOL(mutex_trylock);

void mutex_unlock(struct mutex *lock)
{
	const void *ip = __builtin_return_address(0);

	check_magic(lock, ip);
	pthread_mutex_lock(&lock->wait_lock);
	if (!lock->locked) {
		pthread_mutex_unlock(&lock->wait_lock);
		lockdep_report("bad unlock balance detected! (unlock of a mutex that is not locked)",
			       lock, ip);
		return;
	}
	if (lock->owner != umd_emu_gettid()) {
		pthread_mutex_unlock(&lock->wait_lock);
		lockdep_report("DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current): unlock by a task that does not hold the mutex",
			       lock, ip);
		pthread_mutex_lock(&lock->wait_lock);
		if (!lock->locked) {
			pthread_mutex_unlock(&lock->wait_lock);
			return;
		}
	}
	held_del(lock);
	lock->locked = false;
	lock->owner = 0;
	lock->owner_ip = NULL;
	pthread_cond_signal(&lock->wait);
	pthread_mutex_unlock(&lock->wait_lock);
}
EXPORT_SYMBOL(mutex_unlock);

bool mutex_is_locked(struct mutex *lock)
{
	bool locked;

	pthread_mutex_lock(&lock->wait_lock);
	locked = lock->locked;
	pthread_mutex_unlock(&lock->wait_lock);
	return locked;
}
EXPORT_SYMBOL(mutex_is_locked);

void mutex_destroy(struct mutex *lock)
{
	if (mutex_is_locked(lock))
		lockdep_report("DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock)): mutex_destroy() of a held mutex",
			       lock, __builtin_return_address(0));
	lock->magic = NULL;
}
EXPORT_SYMBOL(mutex_destroy);

int umd_emu_mutexes_held(void)
{
	int n;

	pthread_mutex_lock(&held_lock);
	n = held_count;
	pthread_mutex_unlock(&held_lock);
	return n;
}

/* After a module's exit (or failed init): mutexes it left held. */
static int mutex_module_notify(struct notifier_block *nb, unsigned long state,
			       void *data)
{
	struct module *mod = data;
	char where[128];
	struct mutex *m, *next;
	int found = 0;

	if (state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	pthread_mutex_lock(&held_lock);
	for (m = held_head; m; m = next) {
		next = m->held_next;
		if (!umd_emu_module_contains(mod, m))
			continue;
		printk(KERN_WARNING "WARNING: module %s unloaded with mutex %s held (taken by thread %d at %s)\n",
		       umd_emu_module_name(mod), m->name ? m->name : "?",
		       m->owner, ip_name(m->owner_ip, where, sizeof(where)));
		umd_emu_count_warning();
		found++;
		/* The memory goes away with the module: forget the lock. */
		if (m->held_prev)
			m->held_prev->held_next = m->held_next;
		else
			held_head = m->held_next;
		if (m->held_next)
			m->held_next->held_prev = m->held_prev;
		held_count--;
	}
	pthread_mutex_unlock(&held_lock);
	return found ? NOTIFY_OK : NOTIFY_DONE;
}

/* Reported before the module's securityfs leftovers (priority 0). */
static struct notifier_block mutex_module_nb = {
	.notifier_call = mutex_module_notify,
	.priority = 1,
};

static void __attribute__((constructor)) mutex_setup(void)
{
	register_module_notifier(&mutex_module_nb);
}
