/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <linux/module.h>.
 * Kind: customised. A module is a shared object loaded with dlopen() by the
 * emulator's module loader (emu/module.c); module_init()/module_exit()
 * define init_module/cleanup_module exactly as the kernel's module build
 * does, and MODULE_*() tags go to the .modinfo section.
 */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/compiler.h>
#include <linux/stringify.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/export.h>
#include <linux/kmod.h>
#include <linux/moduleparam.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define MODULE_NAME_LEN 56

struct module;

enum module_state {
	MODULE_STATE_LIVE,	/* normal state */
	MODULE_STATE_COMING,	/* full formed, running module_init */
	MODULE_STATE_GOING,	/* going away */
	MODULE_STATE_UNFORMED,	/* still setting it up */
};

/*
 * As for code built into the kernel: modules get no struct module of their
 * own (the emulator keeps one per loaded module, see lsmod).
 */
#define THIS_MODULE ((struct module *)0)

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "kernel"
#endif

#define module_init(initfn)						\
	static inline initcall_t __maybe_unused __inittest(void)	\
	{ return initfn; }						\
	int init_module(void) __copy(initfn)				\
		__attribute__((__alias__(#initfn),			\
			       __visibility__("default")))

#define module_exit(exitfn)						\
	static inline exitcall_t __maybe_unused __exittest(void)	\
	{ return exitfn; }						\
	void cleanup_module(void) __copy(exitfn)			\
		__attribute__((__alias__(#exitfn),			\
			       __visibility__("default")))

#define MODULE_INFO(tag, info)						\
	static const char __UNIQUE_ID(tag)[] __used			\
		__section(".modinfo") __aligned(1) =			\
		__stringify(tag) "=" info

#define MODULE_LICENSE(_license)	MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author)		MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_desc)	MODULE_INFO(description, _desc)
#define MODULE_VERSION(_version)	MODULE_INFO(version, _version)
#define MODULE_ALIAS(_alias)		MODULE_INFO(alias, _alias)
#define MODULE_SOFTDEP(_softdep)	MODULE_INFO(softdep, _softdep)
#define MODULE_IMPORT_NS(ns)		MODULE_INFO(import_ns, #ns)
#define MODULE_FIRMWARE(_fw)		MODULE_INFO(firmware, _fw)

bool try_module_get(struct module *module);
void module_put(struct module *module);
#define __module_get(m) ((void)try_module_get(m))

/*
 * Called with MODULE_STATE_COMING before a module's init, _LIVE after it
 * succeeded, _GOING after its exit or a failed init (data: the module).
 */
struct notifier_block;
int register_module_notifier(struct notifier_block *nb);
int unregister_module_notifier(struct notifier_block *nb);

#endif /* _LINUX_MODULE_H */
