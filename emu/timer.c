// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: sleeping for a time (the kernel's kernel/time/timer.c
 * and delay functions). A sleep is a nanosleep of the calling thread; a
 * schedule_timeout() with no timeout and no waker would never end, so it
 * warns and returns instead. The wall clock (timekeeping's
 * ktime_get_real_seconds()) is the host's.
 */
#include <errno.h>
#include <time.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

static void sleep_ns(unsigned long long ns)
{
	struct timespec ts = {
		.tv_sec = ns / 1000000000ULL,
		.tv_nsec = ns % 1000000000ULL,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void msleep(unsigned int msecs)
{
	sleep_ns(msecs * 1000000ULL);
}
EXPORT_SYMBOL(msleep);

void usleep_range(unsigned long min, unsigned long max)
{
	(void)max;
	sleep_ns(min * 1000ULL);
}
EXPORT_SYMBOL(usleep_range);

void udelay(unsigned long usecs)
{
	sleep_ns(usecs * 1000ULL);
}
EXPORT_SYMBOL(udelay);

long schedule_timeout(long timeout)
{
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		WARN(1, "schedule_timeout(MAX_SCHEDULE_TIMEOUT) without a waker would sleep forever\n");
		return timeout;
	}
	if (timeout > 0)
		msleep(jiffies_to_msecs(timeout));
	return 0;
}
EXPORT_SYMBOL(schedule_timeout);

long schedule_timeout_uninterruptible(long timeout)
{
	return schedule_timeout(timeout);
}
EXPORT_SYMBOL(schedule_timeout_uninterruptible);

long schedule_timeout_interruptible(long timeout)
{
	return schedule_timeout(timeout);
}
EXPORT_SYMBOL(schedule_timeout_interruptible);

/**
 * ktime_get_real_seconds - Get the seconds portion of CLOCK_REALTIME
 *
 * Return: the wall clock, in seconds since the epoch.
 */
time64_t ktime_get_real_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}
EXPORT_SYMBOL_GPL(ktime_get_real_seconds);
