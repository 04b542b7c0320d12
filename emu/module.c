// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: modules, modprobe, rmmod, request_module().
 *
 * A module is a shared object NAME.ko built from unchanged kernel-style
 * sources and linked with -Bsymbolic. It may use another module's symbol
 * only if that module exports it (EXPORT_SYMBOL*() markers). Loading works
 * as modprobe + the kernel do:
 *
 *  - depmod: the module file's undefined dynamic symbols are read from its
 *    ELF symbol table (modscan.c); each is either exported by a loaded
 *    module, exported by another module file in the module path (which is
 *    loaded first), or provided by the kernel (the emulator process);
 *    anything else is an "Unknown symbol" and the load fails with -ENOENT.
 *    A module that is not GPL-compatible cannot use GPL-only exports.
 *  - the module is dlopen()ed and its init_module (module_init()) runs,
 *    without the module lock held (init may request other modules); an init
 *    that fails unloads the module again, without running exit.
 *  - rmmod runs cleanup_module (module_exit()) and dlclose()s it; a module
 *    used by another fails with -EWOULDBLOCK, one with init but no exit
 *    with -EBUSY, as delete_module(2) does. After exit, mutexes still held
 *    and securityfs entries still registered inside the module's memory are
 *    reported as WARNINGs (and the entries removed, so that no one calls
 *    into unmapped code).
 */
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/notifier.h>

#include "emu.h"
#include "fault.h"
#include "internal.h"
#include "modscan.h"

#define MODPROBE_DEPTH_MAX 16

struct module {
	struct module *next;
	char name[MODULE_NAME_LEN];
	char *path;
	void *handle;
	enum module_state state;
	int refcnt;			/* users + held references */
	struct module **deps;		/* modules this one uses */
	size_t ndeps;
	struct modscan scan;
	uintptr_t lo, hi;		/* mapped address range */
	int (*init)(void);
	void (*exit)(void);
};

/* A module file seen by depmod, for finding who exports a symbol. */
struct depmod_entry {
	struct depmod_entry *next;
	char *path;
	char name[MODULE_NAME_LEN];
	struct timespec mtime;
	off_t size;
	struct modscan scan;
};

static pthread_mutex_t module_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t path_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t module_wq = PTHREAD_COND_INITIALIZER;
static struct module *modules;		/* newest first */
static struct depmod_entry *depmod_cache;
static char *module_path;

static __thread struct module *module_running;	/* in init/exit */
/* Modules this thread is loading, outermost first (cycle detection). */
static __thread struct module *loading[MODPROBE_DEPTH_MAX + 2];
static __thread int nloading;

static bool loading_here(const struct module *mod)
{
	int i;

	for (i = 0; i < nloading; i++)
		if (loading[i] == mod)
			return true;
	return false;
}

/* ---- small helpers -------------------------------------------------- */

/* Module names compare with '-' and '_' equal, as modprobe's do. */
static void normalize_name(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i < MODULE_NAME_LEN - 1; i++)
		dst[i] = src[i] == '-' ? '_' : src[i];
	dst[i] = '\0';
}

static bool license_is_gpl_compatible(const char *license)
{
	static const char *const ok[] = {
		"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
		"Dual MIT/GPL", "Dual MPL/GPL",
	};
	size_t i;

	for (i = 0; license && i < ARRAY_SIZE(ok); i++)
		if (!strcmp(license, ok[i]))
			return true;
	return false;
}

/* ---- the module path ------------------------------------------------ */

int umd_emu_module_set_path(const char *path)
{
	char *copy = path ? strdup(path) : NULL;

	if (path && !copy)
		return -ENOMEM;
	pthread_mutex_lock(&path_lock);
	free(module_path);
	module_path = copy;
	pthread_mutex_unlock(&path_lock);
	return 0;
}

/* A copy of the module path (to free), or NULL if none is set. */
static char *module_path_dup(void)
{
	const char *env;
	char *copy = NULL;

	pthread_mutex_lock(&path_lock);
	if (!module_path) {
		env = getenv("UMD_EMU_MODULES");
		if (env)
			module_path = strdup(env);
	}
	if (module_path)
		copy = strdup(module_path);
	pthread_mutex_unlock(&path_lock);
	return copy;
}

/* The last copy handed to each thread; freed when the thread ends. */
static pthread_key_t path_copy_key;
static pthread_once_t path_copy_once = PTHREAD_ONCE_INIT;

static void path_copy_key_make(void)
{
	pthread_key_create(&path_copy_key, free);
}

const char *umd_emu_module_get_path(void)
{
	char *last;

	pthread_once(&path_copy_once, path_copy_key_make);
	free(pthread_getspecific(path_copy_key));
	last = module_path_dup();
	pthread_setspecific(path_copy_key, last);
	return last;
}

/* Visit every NAME.ko in the module path; fn returns non-zero to stop. */
static int for_each_module_file(int (*fn)(const char *path,
					  const char *name, void *data),
				void *data)
{
	char *dirs, *dir, *save = NULL, *file, name[MODULE_NAME_LEN];
	struct dirent *de;
	size_t len;
	DIR *d;
	int ret = 0;

	dirs = module_path_dup();
	if (!dirs)
		return 0;
	for (dir = strtok_r(dirs, ":", &save); dir && !ret;
	     dir = strtok_r(NULL, ":", &save)) {
		d = opendir(dir);
		if (!d)
			continue;
		while (!ret && (de = readdir(d))) {
			len = strlen(de->d_name);
			if (len < 4 || len - 3 >= MODULE_NAME_LEN ||
			    strcmp(de->d_name + len - 3, ".ko"))
				continue;
			if (asprintf(&file, "%s/%s", dir, de->d_name) < 0) {
				ret = -ENOMEM;
				break;
			}
			memcpy(name, de->d_name, len - 3);
			name[len - 3] = '\0';
			normalize_name(name, name);
			ret = fn(file, name, data);
			free(file);
		}
		closedir(d);
	}
	free(dirs);
	return ret;
}

struct find_file {
	const char *name;
	char *path;
};

static int find_file_cb(const char *path, const char *name, void *data)
{
	struct find_file *ff = data;

	if (strcmp(name, ff->name))
		return 0;
	ff->path = strdup(path);
	return ff->path ? 1 : -ENOMEM;
}

/* Called with module_mutex held. */
static struct depmod_entry *depmod_lookup(const char *path, const char *name)
{
	struct depmod_entry *e;
	struct stat st;

	if (stat(path, &st))
		return NULL;
	for (e = depmod_cache; e; e = e->next) {
		if (strcmp(e->path, path))
			continue;
		if (e->size == st.st_size &&
		    e->mtime.tv_sec == st.st_mtim.tv_sec &&
		    e->mtime.tv_nsec == st.st_mtim.tv_nsec)
			return e;
		umd_emu_modscan_free(&e->scan);
		if (umd_emu_modscan_read(path, &e->scan))
			return NULL;
		e->size = st.st_size;
		e->mtime = st.st_mtim;
		return e;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->path = strdup(path);
	if (!e->path || umd_emu_modscan_read(path, &e->scan)) {
		free(e->path);
		free(e);
		return NULL;
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->size = st.st_size;
	e->mtime = st.st_mtim;
	e->next = depmod_cache;
	depmod_cache = e;
	return e;
}

struct find_exporter {
	const char *symbol;
	const char *self;
	char name[MODULE_NAME_LEN];
};

static int find_exporter_cb(const char *path, const char *name, void *data)
{
	struct find_exporter *fe = data;
	struct depmod_entry *e;

	if (!strcmp(name, fe->self))
		return 0;
	e = depmod_lookup(path, name);
	if (!e || !umd_emu_strv_has(&e->scan.exports, fe->symbol))
		return 0;
	snprintf(fe->name, sizeof(fe->name), "%s", name);
	return 1;
}

/* ---- the loaded-module list (module_mutex held) ---------------------- */

static struct module *find_module(const char *name)
{
	struct module *mod;

	for (mod = modules; mod; mod = mod->next)
		if (!strcmp(mod->name, name))
			return mod;
	return NULL;
}

static struct module *find_exporting_module(const char *symbol)
{
	struct module *mod;

	for (mod = modules; mod; mod = mod->next)
		if (mod->state != MODULE_STATE_GOING &&
		    umd_emu_strv_has(&mod->scan.exports, symbol))
			return mod;
	return NULL;
}

static void unlink_module(struct module *mod)
{
	struct module **pp;

	for (pp = &modules; *pp; pp = &(*pp)->next) {
		if (*pp == mod) {
			*pp = mod->next;
			return;
		}
	}
}

static void free_module(struct module *mod)
{
	size_t i;

	for (i = 0; i < mod->ndeps; i++)
		mod->deps[i]->refcnt--;
	free(mod->deps);
	umd_emu_modscan_free(&mod->scan);
	kfree(mod->path);
	kfree(mod);
}

static bool module_uses(struct module *mod, struct module *dep)
{
	size_t i;

	for (i = 0; i < mod->ndeps; i++)
		if (mod->deps[i] == dep)
			return true;
	return false;
}

static int add_dep(struct module *mod, struct module *dep)
{
	struct module **nd;

	if (module_uses(mod, dep))
		return 0;
	nd = realloc(mod->deps, (mod->ndeps + 1) * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	mod->deps = nd;
	mod->deps[mod->ndeps++] = dep;
	dep->refcnt++;
	return 0;
}

struct range_arg {
	struct link_map *map;
	uintptr_t lo, hi;
};

static int range_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct range_arg *ra = data;
	uintptr_t a, b;
	int i;

	(void)size;
	if (info->dlpi_addr != ra->map->l_addr ||
	    strcmp(info->dlpi_name, ra->map->l_name))
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type != PT_LOAD)
			continue;
		a = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
		b = a + info->dlpi_phdr[i].p_memsz;
		if (!ra->lo || a < ra->lo)
			ra->lo = a;
		if (b > ra->hi)
			ra->hi = b;
	}
	return 1;
}

static void module_range(struct module *mod)
{
	struct range_arg ra = { 0 };

	if (dlinfo(mod->handle, RTLD_DI_LINKMAP, &ra.map) || !ra.map)
		return;
	dl_iterate_phdr(range_cb, &ra);
	mod->lo = ra.lo;
	mod->hi = ra.hi;
}

/* A symbol of this module (not of libc, whose init_module is a syscall). */
static void *module_sym(struct module *mod, const char *name)
{
	void *p = dlsym(mod->handle, name);

	if (!p || (uintptr_t)p < mod->lo || (uintptr_t)p >= mod->hi)
		return NULL;
	return p;
}

/* ---- module notifier -------------------------------------------------- */

/*
 * The kernel's module_notify_list: who wants to know when a module comes
 * and goes (the runtime's securityfs and mutex checks, any module).
 */
static pthread_mutex_t notify_lock = PTHREAD_MUTEX_INITIALIZER;
static struct notifier_block *notify_head;

int register_module_notifier(struct notifier_block *nb)
{
	struct notifier_block **pp;

	pthread_mutex_lock(&notify_lock);
	for (pp = &notify_head; *pp && (*pp)->priority >= nb->priority;
	     pp = &(*pp)->next)
		;
	nb->next = *pp;
	*pp = nb;
	pthread_mutex_unlock(&notify_lock);
	return 0;
}
EXPORT_SYMBOL(register_module_notifier);

int unregister_module_notifier(struct notifier_block *nb)
{
	struct notifier_block **pp;
	int ret = -ENOENT;

	pthread_mutex_lock(&notify_lock);
	for (pp = &notify_head; *pp; pp = &(*pp)->next) {
		if (*pp == nb) {
			*pp = nb->next;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&notify_lock);
	return ret;
}
EXPORT_SYMBOL(unregister_module_notifier);

/* The module's own init/exit do not run meanwhile: it is unlocked. */
static void module_notify(struct module *mod, unsigned long state)
{
	struct notifier_block *nb;

	pthread_mutex_lock(&notify_lock);
	for (nb = notify_head; nb; nb = nb->next)
		if (nb->notifier_call(nb, state, mod) & NOTIFY_STOP_MASK)
			break;
	pthread_mutex_unlock(&notify_lock);
}

/* ---- modprobe ------------------------------------------------------- */

static int modprobe_locked(const char *name, int depth);

/* The program's global symbol scope (main program + RTLD_GLOBAL objects). */
static void *global_scope(void)
{
	static void *handle;

	if (!handle)
		handle = dlopen(NULL, RTLD_NOW);
	return handle;
}

/* Resolve every undefined symbol of mod, loading exporters first. */
static int resolve_symbols(struct module *mod, int depth)
{
	bool gpl_ok = license_is_gpl_compatible(mod->scan.license);
	struct find_exporter fe;
	struct module *dep;
	const char *sym;
	char marker[256];
	Dl_info dli;
	void *addr;
	size_t i;
	int err;

	for (i = 0; i < mod->scan.undefined.n; i++) {
		sym = mod->scan.undefined.v[i];
		dep = find_exporting_module(sym);
		if (dep && dep->state == MODULE_STATE_COMING) {
			if (loading_here(dep)) {
				pr_err("%s: circular dependency on %s\n",
				       mod->name, dep->name);
				return -ELOOP;
			}
			/* Another thread is loading it: wait, then retry. */
			pthread_cond_wait(&module_wq, &module_mutex);
			i--;
			continue;
		}
		if (!dep) {
			memset(&fe, 0, sizeof(fe));
			fe.symbol = sym;
			fe.self = mod->name;
			for_each_module_file(find_exporter_cb, &fe);
			if (fe.name[0]) {
				err = modprobe_locked(fe.name, depth + 1);
				if (err)
					return err;
				dep = find_module(fe.name);
			}
		}
		if (dep) {
			if (!gpl_ok &&
			    umd_emu_strv_has(&dep->scan.gpl_exports, sym))
				goto gpl_only;
			err = add_dep(mod, dep);
			if (err)
				return err;
			continue;
		}
		/*
		 * Provided by the kernel (the emulator process)? Looked up
		 * through a handle of the global scope: dlsym(RTLD_DEFAULT)
		 * would make glibc pin any module it finds the symbol in.
		 */
		addr = dlsym(global_scope(), sym);
		if (!addr)
			goto unknown;
		if (dladdr(addr, &dli)) {
			for (dep = modules; dep; dep = dep->next)
				if ((uintptr_t)addr >= dep->lo &&
				    (uintptr_t)addr < dep->hi)
					goto unknown;	/* not exported */
		}
		snprintf(marker, sizeof(marker), "__kgpl_%s", sym);
		if (!gpl_ok && dlsym(global_scope(), marker))
			goto gpl_only;
	}
	return 0;

gpl_only:
	pr_err("%s: module using GPL-only symbols uses symbol %s (license \"%s\")\n",
	       mod->name, sym, mod->scan.license ? mod->scan.license
						  : "unspecified");
	return -ENOENT;
unknown:
	pr_warn("%s: Unknown symbol %s (err %d)\n", mod->name, sym, -ENOENT);
	return -ENOENT;
}

/* Run a loaded module's init, unlocked; 0 or its negative error. */
static int do_init_module(struct module *mod)
{
	struct umd_emu_fault fault;
	int ret = 0;

	module_notify(mod, MODULE_STATE_COMING);
	if (umd_emu_should_fail(FAULT_MODULE_INIT, 0, &fault)) {
		ret = fault.error;
	} else if (mod->init) {
		module_running = mod;
		ret = mod->init();
		module_running = NULL;
	}
	if (ret > 0) {
		pr_warn("%s: 'init' returned %d, it should be zero or negative\n",
			mod->name, ret);
		ret = 0;
	}
	/* As the kernel does, a failed init is not followed by exit. */
	module_notify(mod, ret ? MODULE_STATE_GOING : MODULE_STATE_LIVE);
	return ret;
}

static int load_module_locked(const char *name, const char *path, int depth)
{
	struct module *mod;
	int ret;

	/* load_module()'s allocations can fail: failslab. */
	mod = kzalloc(sizeof(*mod), GFP_KERNEL);
	if (!mod)
		return -ENOMEM;
	snprintf(mod->name, sizeof(mod->name), "%s", name);
	mod->path = kstrdup(path, GFP_KERNEL);
	mod->state = MODULE_STATE_COMING;
	if (!mod->path) {
		kfree(mod);
		return -ENOMEM;
	}
	ret = umd_emu_modscan_read(path, &mod->scan);
	if (ret) {
		pr_err("%s: not a valid module file: %s\n", name, path);
		goto fail_free;
	}
	if (!license_is_gpl_compatible(mod->scan.license))
		pr_warn("%s: module license '%s' taints kernel.\n", name,
			mod->scan.license ? mod->scan.license : "unspecified");

	/* Visible to other loaders as COMING while we work unlocked. */
	mod->next = modules;
	modules = mod;

	loading[nloading++] = mod;
	ret = resolve_symbols(mod, depth);
	nloading--;
	if (ret)
		goto fail_unlink;

	pthread_mutex_unlock(&module_mutex);
	mod->handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!mod->handle) {
		pr_err("%s: cannot load %s: %s\n", name, path, dlerror());
		pthread_mutex_lock(&module_mutex);
		ret = -ENOEXEC;
		goto fail_unlink;
	}
	module_range(mod);
	mod->init = (int (*)(void))module_sym(mod, "init_module");
	mod->exit = (void (*)(void))module_sym(mod, "cleanup_module");

	ret = do_init_module(mod);
	if (ret < 0) {
		dlclose(mod->handle);
		pthread_mutex_lock(&module_mutex);
		goto fail_unlink;
	}
	pthread_mutex_lock(&module_mutex);
	mod->state = MODULE_STATE_LIVE;
	pthread_cond_broadcast(&module_wq);
	return 0;

fail_unlink:
	unlink_module(mod);
	pthread_cond_broadcast(&module_wq);
fail_free:
	free_module(mod);
	return ret;
}

static int modprobe_locked(const char *raw, int depth)
{
	char name[MODULE_NAME_LEN];
	struct find_file ff = { 0 };
	struct module *mod;
	int ret;

	normalize_name(name, raw);
	if (!name[0])
		return -EINVAL;
	if (depth > MODPROBE_DEPTH_MAX) {
		pr_err("%s: module dependencies nest too deep (a cycle?)\n",
		       name);
		return -ELOOP;
	}

	while ((mod = find_module(name)) && mod->state == MODULE_STATE_COMING) {
		if (loading_here(mod)) {
			pr_err("%s: circular module dependency\n", name);
			return -ELOOP;
		}
		pthread_cond_wait(&module_wq, &module_mutex);
	}
	if (mod)	/* LIVE; or GOING, where the kernel says -EEXIST */
		return 0;

	ff.name = name;
	pthread_mutex_unlock(&module_mutex);
	ret = for_each_module_file(find_file_cb, &ff);
	pthread_mutex_lock(&module_mutex);
	if (ret < 0)
		return ret;
	if (!ff.path)
		return -ENOENT;
	/* Someone else may have loaded it meanwhile. */
	if (find_module(name)) {
		free(ff.path);
		return modprobe_locked(name, depth);
	}
	ret = load_module_locked(name, ff.path, depth);
	free(ff.path);
	return ret;
}

bool umd_emu_module_available(const char *raw)
{
	char name[MODULE_NAME_LEN];
	struct find_file ff = { .name = name };

	normalize_name(name, raw);
	bool found;

	for_each_module_file(find_file_cb, &ff);
	found = ff.path != NULL;
	free(ff.path);
	return found;
}

int umd_emu_modprobe(const char *name)
{
	int ret;

	pthread_mutex_lock(&module_mutex);
	ret = modprobe_locked(name, 0);
	pthread_mutex_unlock(&module_mutex);
	return ret;
}

int umd_emu_rmmod(const char *raw)
{
	char name[MODULE_NAME_LEN];
	struct module *mod;

	normalize_name(name, raw);
	pthread_mutex_lock(&module_mutex);
	mod = find_module(name);
	if (!mod) {
		pthread_mutex_unlock(&module_mutex);
		return -ENOENT;
	}
	if (mod->state != MODULE_STATE_LIVE) {
		pthread_mutex_unlock(&module_mutex);
		return -EBUSY;
	}
	if (mod->refcnt) {
		pthread_mutex_unlock(&module_mutex);
		return -EWOULDBLOCK;
	}
	if (mod->init && !mod->exit) {
		pthread_mutex_unlock(&module_mutex);
		return -EBUSY;
	}
	mod->state = MODULE_STATE_GOING;
	pthread_mutex_unlock(&module_mutex);

	if (mod->exit) {
		module_running = mod;
		mod->exit();
		module_running = NULL;
	}
	module_notify(mod, MODULE_STATE_GOING);
	dlclose(mod->handle);

	pthread_mutex_lock(&module_mutex);
	unlink_module(mod);
	free_module(mod);
	pthread_cond_broadcast(&module_wq);
	pthread_mutex_unlock(&module_mutex);
	return 0;
}

int umd_emu_module_unload_all(void)
{
	char name[MODULE_NAME_LEN];
	struct module *mod;
	int count = 0;

	for (;;) {
		pthread_mutex_lock(&module_mutex);
		for (mod = modules; mod; mod = mod->next)
			if (mod->state == MODULE_STATE_LIVE && !mod->refcnt &&
			    !(mod->init && !mod->exit))
				break;
		if (mod)
			snprintf(name, sizeof(name), "%s", mod->name);
		pthread_mutex_unlock(&module_mutex);
		if (!mod || umd_emu_rmmod(name))
			break;
		count++;
	}
	return count;
}

bool umd_emu_module_loaded(const char *raw)
{
	char name[MODULE_NAME_LEN];
	struct module *mod;
	bool live;

	normalize_name(name, raw);
	pthread_mutex_lock(&module_mutex);
	mod = find_module(name);
	live = mod && mod->state == MODULE_STATE_LIVE;
	pthread_mutex_unlock(&module_mutex);
	return live;
}

void *umd_emu_module_symbol(const char *raw, const char *symbol)
{
	char name[MODULE_NAME_LEN];
	struct module *mod;
	void *addr = NULL;

	normalize_name(name, raw);
	pthread_mutex_lock(&module_mutex);
	mod = find_module(name);
	if (mod && mod->state == MODULE_STATE_LIVE &&
	    umd_emu_strv_has(&mod->scan.exports, symbol))
		addr = dlsym(mod->handle, symbol);
	pthread_mutex_unlock(&module_mutex);
	return addr;
}

int umd_emu_module_foreach(umd_emu_module_fn fn, void *data)
{
	struct umd_emu_module_info info;
	char used_by[512];
	struct module *mod, *user;
	size_t len;
	int ret = 0;

	pthread_mutex_lock(&module_mutex);
	for (mod = modules; mod && !ret; mod = mod->next) {
		if (mod->state != MODULE_STATE_LIVE)
			continue;
		used_by[0] = '\0';
		len = 0;
		for (user = modules; user; user = user->next) {
			if (!module_uses(user, mod))
				continue;
			len += snprintf(used_by + len, sizeof(used_by) - len,
					"%s%s", len ? "," : "", user->name);
			if (len >= sizeof(used_by))
				break;
		}
		info.name = mod->name;
		info.path = mod->path;
		info.size = mod->hi - mod->lo;
		info.refcnt = mod->refcnt;
		info.used_by = used_by;
		info.license = mod->scan.license;
		ret = fn(&info, data);
	}
	pthread_mutex_unlock(&module_mutex);
	return ret;
}

struct module *umd_emu_module_current(void)
{
	return module_running;
}

const char *umd_emu_module_name(const struct module *mod)
{
	return mod ? mod->name : "kernel";
}

bool umd_emu_module_contains(const struct module *mod, const void *addr)
{
	return mod && (uintptr_t)addr >= mod->lo && (uintptr_t)addr < mod->hi;
}

bool try_module_get(struct module *module)
{
	if (!module)
		return true;
	pthread_mutex_lock(&module_mutex);
	if (module->state == MODULE_STATE_GOING) {
		pthread_mutex_unlock(&module_mutex);
		return false;
	}
	module->refcnt++;
	pthread_mutex_unlock(&module_mutex);
	return true;
}
EXPORT_SYMBOL(try_module_get);

void module_put(struct module *module)
{
	if (!module)
		return;
	pthread_mutex_lock(&module_mutex);
	module->refcnt--;
	pthread_mutex_unlock(&module_mutex);
}
EXPORT_SYMBOL(module_put);

/* ---- request_module() ----------------------------------------------- */

struct nowait_arg {
	char name[MODULE_NAME_LEN];
};

static void *request_nowait_main(void *data)
{
	struct nowait_arg *arg = data;

	umd_emu_modprobe(arg->name);
	free(arg);
	return NULL;
}

int __request_module(bool wait, const char *fmt, ...)
{
	char name[MODULE_NAME_LEN];
	struct umd_emu_fault fault;
	struct nowait_arg *arg;
	pthread_attr_t attr;
	pthread_t thread;
	va_list args;
	int ret;

	va_start(args, fmt);
	ret = vsnprintf(name, sizeof(name), fmt, args);
	va_end(args);
	if (ret >= (int)sizeof(name))
		return -ENAMETOOLONG;
	if (umd_emu_should_fail(FAULT_REQUEST_MODULE, 0, &fault))
		return 1 << 8;		/* modprobe failed */

	if (!wait) {
		arg = malloc(sizeof(*arg));
		if (!arg)
			return -ENOMEM;
		memcpy(arg->name, name, sizeof(name));
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		ret = pthread_create(&thread, &attr, request_nowait_main, arg);
		pthread_attr_destroy(&attr);
		if (ret) {
			free(arg);
			return -ret;
		}
		return 0;
	}

	/* modprobe is a process of its own: signals to this task wait. */
	umd_emu_task_kthread_begin();
	ret = umd_emu_modprobe(name);
	umd_emu_task_kthread_end();
	if (!ret)
		return 0;
	/*
	 * modprobe's own message (on a real system it goes to modprobe's
	 * stderr, which is nowhere): what failed, as modprobe says it.
	 */
	if (ret == -ENOENT && !umd_emu_module_available(name))
		pr_info("request_module: modprobe: FATAL: Module %s not found in directory %s\n",
			name, umd_emu_module_get_path() ?: "(no module path)");
	else if (ret == -ENOENT)
		pr_info("request_module: modprobe: ERROR: could not insert '%s': Unknown symbol in module, or unknown parameter (see dmesg)\n",
			name);
	else
		pr_info("request_module: modprobe: ERROR: could not insert '%s': %s\n",
			name, strerror(-ret));
	/* What the kernel returns: modprobe's wait status, exit code 1. */
	return 1 << 8;
}
EXPORT_SYMBOL(__request_module);
