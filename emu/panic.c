// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: what WARN() and BUG() do (the kernel's kernel/panic.c,
 * lib/bug.c and lib/dump_stack.c). A WARNING is logged with a call trace
 * and counted (umd_emu_warnings(): a run with one fails); a BUG dumps the
 * log and aborts, as an oops would end the task.
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sched.h>

#include "emu.h"
#include "internal.h"

void dump_stack(void)
{
	void *frames[32];
	char **names;
	int i, n;

	n = backtrace(frames, 32);
	names = backtrace_symbols(frames, n);
	printk(KERN_WARNING "Call Trace:\n");
	for (i = 1; i < n; i++)
		printk(KERN_WARNING " %s\n", names ? names[i] : "?");
	free(names);
}
EXPORT_SYMBOL(dump_stack);

void __warn_printk(const char *file, int line, const char *func,
		   const char *fmt, ...)
{
	va_list args;

	printk(KERN_WARNING "WARNING: CPU: 0 PID: %d at %s:%d %s\n",
	       current->pid, file, line, func);
	va_start(args, fmt);
	vprintk(fmt, args);
	va_end(args);
	umd_emu_count_warning();
}
EXPORT_SYMBOL(__warn_printk);

void __bug(const char *file, int line, const char *func)
{
	printk(KERN_EMERG "kernel BUG at %s:%d! (%s)\n", file, line, func);
	dump_stack();
	umd_emu_kmsg_dump(STDERR_FILENO, 0);
	abort();
}
EXPORT_SYMBOL(__bug);
