// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the module loader: dependencies, use counts, unload rules,
 * failing init, unknown and GPL-only symbols, state reset on reload, and
 * the checks run at unload.
 */
#include <dlfcn.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/kmod.h>
#include <linux/security.h>

#include "emu.h"
#include "helpers.h"

struct lsmod_line {
	const char *name;
	int refcnt;
	char used_by[128];
	bool found;
};

static int lsmod_find(const struct umd_emu_module_info *mod, void *data)
{
	struct lsmod_line *l = data;

	if (strcmp(mod->name, l->name))
		return 0;
	l->refcnt = mod->refcnt;
	snprintf(l->used_by, sizeof(l->used_by), "%s", mod->used_by);
	l->found = true;
	return 1;
}

static struct lsmod_line lsmod(const char *name)
{
	struct lsmod_line l = { .name = name };

	umd_emu_module_foreach(lsmod_find, &l);
	return l;
}

static void *modsym(const char *module, const char *symbol)
{
	return th_modsym(TEST_MODULES_DIR, module, symbol);
}

static void test_dependencies(void)
{
	struct th_state st;
	struct lsmod_line l;
	int *seen;

	th_state_save(&st);
	g_assert_cmpint(umd_emu_modprobe("modtest_b"), ==, 0);
	g_assert_true(umd_emu_module_loaded("modtest_a"));
	l = lsmod("modtest_a");
	g_assert_true(l.found);
	g_assert_cmpint(l.refcnt, ==, 1);
	g_assert_cmpstr(l.used_by, ==, "modtest_b");
	seen = modsym("modtest_b", "modtest_b_seen");
	g_assert_nonnull(seen);
	g_assert_cmpint(*seen, ==, 1007 + 42);
	g_assert_nonnull(modsym("modtest_a", "modtest_a_value"));

	g_assert_cmpint(umd_emu_modprobe("modtest-b"), ==, 0);	/* '-' == '_' */
	g_assert_cmpint(umd_emu_rmmod("modtest_a"), ==, -EWOULDBLOCK);
	g_assert_cmpint(umd_emu_rmmod("modtest_b"), ==, 0);
	g_assert_cmpint(lsmod("modtest_a").refcnt, ==, 0);
	g_assert_cmpint(umd_emu_rmmod("modtest_a"), ==, 0);
	g_assert_cmpint(umd_emu_rmmod("modtest_a"), ==, -ENOENT);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq, "modtest_a: exit"));
	th_state_check(&st, 0);
}

static void test_reload_resets_state(void)
{
	int (*inits)(void);
	int i;

	for (i = 0; i < 3; i++) {
		g_assert_cmpint(umd_emu_modprobe("modtest_a"), ==, 0);
		inits = (int (*)(void))modsym("modtest_a", "modtest_a_inits");
		g_assert_nonnull(inits);
		g_assert_cmpint(inits(), ==, 1);
		g_assert_cmpint(umd_emu_rmmod("modtest_a"), ==, 0);
	}
	g_assert_null(modsym("modtest_a", "modtest_a_inits"));
}

static void test_unload_rules(void)
{
	struct th_state st;

	th_state_save(&st);
	g_assert_cmpint(umd_emu_modprobe("modtest_noexit"), ==, 0);
	g_assert_cmpint(umd_emu_rmmod("modtest_noexit"), ==, -EBUSY);
	g_assert_true(umd_emu_module_loaded("modtest_noexit"));

	g_assert_cmpint(umd_emu_modprobe("modtest_failinit"), ==, -ENODEV);
	g_assert_false(umd_emu_module_loaded("modtest_failinit"));
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq, "refusing to load"));

	g_assert_cmpint(umd_emu_modprobe("no_such_module"), ==, -ENOENT);
	g_assert_cmpint(request_module("no_such_module"), ==, 256);
	g_assert_cmpint(request_module("modtest_a"), ==, 0);
	g_assert_cmpint(request_module("modtest_a"), ==, 0);
	g_assert_cmpint(umd_emu_rmmod("modtest_a"), ==, 0);
	th_state_check(&st, 0);
}

static void test_unknown_symbols(void)
{
	struct th_state st;

	th_state_save(&st);
	g_assert_cmpint(umd_emu_modprobe("modtest_unknown"), ==, -ENOENT);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "modtest_unknown: Unknown symbol modtest_a_hidden (err -2)"));
	g_assert_false(umd_emu_module_loaded("modtest_unknown"));
	/* request_module() says what modprobe says: the file is there. */
	g_assert_cmpint(request_module("modtest_unknown"), ==, 1 << 8);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "modprobe: ERROR: could not insert 'modtest_unknown': Unknown symbol in module"));
	g_assert_false(umd_emu_kmsg_contains(st.kmsg_seq,
					     "No such file or directory"));

	/*
	 * Visible but unexported (an assembly label) in a loaded module:
	 * refused, and looking it up must not pin modtest_a (it must still
	 * unload and come back fresh). The same for a C global, loaded.
	 */
	g_assert_cmpint(umd_emu_modprobe("modtest_a"), ==, 0);
	g_assert_cmpint(umd_emu_modprobe("modtest_asmuser"), ==, -ENOENT);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "modtest_asmuser: Unknown symbol modtest_a_asm_label"));
	g_assert_cmpint(umd_emu_modprobe("modtest_unknown"), ==, -ENOENT);
	g_assert_cmpint(umd_emu_rmmod("modtest_a"), ==, 0);
	g_assert_null(modsym("modtest_a", "modtest_a_inits"));
	g_assert_cmpint(umd_emu_modprobe("modtest_a"), ==, 0);

	g_assert_cmpint(umd_emu_modprobe("modtest_gpl"), ==, -ENOENT);
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "module using GPL-only symbols uses symbol modtest_a_value"));
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
					    "modtest_gpl: module license"));
	g_assert_false(umd_emu_module_loaded("modtest_gpl"));
	/* modtest_a was loaded to resolve them; it stays, unused. */
	g_assert_cmpint(lsmod("modtest_a").refcnt, ==, 0);
	g_assert_cmpint(umd_emu_rmmod("modtest_a"), ==, 0);
	th_state_check(&st, 0);
}

static void test_not_a_module(void)
{
	struct th_state st;
	char *dir, *path, *saved;

	th_state_save(&st);
	dir = g_dir_make_tmp("umdemu-XXXXXX", NULL);
	path = g_build_filename(dir, "garbage.ko", NULL);
	g_assert_true(g_file_set_contents(path, "not an ELF file", -1, NULL));
	saved = g_strdup(umd_emu_module_get_path());
	umd_emu_module_set_path(dir);
	g_assert_cmpint(umd_emu_modprobe("garbage"), ==, -ENOEXEC);
	umd_emu_module_set_path(saved);
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
	g_free(saved);
	th_state_check(&st, 0);
}

static void test_leftovers(void)
{
	struct th_state st;
	struct umd_emu_sfs_stat sst;

	th_state_save(&st);
	g_assert_cmpint(umd_emu_modprobe("modtest_leftover"), ==, 0);
	g_assert_cmpint(umd_emu_securityfs_stat("leftover", &sst), ==, 0);
	g_assert_cmpint(umd_emu_rmmod("modtest_leftover"), ==, 0);
	/* Both bugs reported; the entry is gone and the lock forgotten. */
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "module modtest_leftover unloaded with mutex leftover_lock held"));
	g_assert_true(umd_emu_kmsg_contains(st.kmsg_seq,
		      "securityfs entry leftover still registered"));
	g_assert_cmpint(umd_emu_securityfs_stat("leftover", &sst), ==, -ENOENT);
	th_state_check(&st, 2);
}

static void test_unload_all(void)
{
	g_assert_cmpint(umd_emu_modprobe("modtest_b"), ==, 0);
	/* modtest_noexit (from an earlier test) cannot go. */
	g_assert_cmpint(umd_emu_module_unload_all(), ==, 2);
	g_assert_false(umd_emu_module_loaded("modtest_a"));
	g_assert_true(umd_emu_module_loaded("modtest_noexit"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	umd_emu_module_set_path(TEST_MODULES_DIR);
	g_test_add_func("/module/dependencies", test_dependencies);
	g_test_add_func("/module/reload-resets-state", test_reload_resets_state);
	g_test_add_func("/module/unload-rules", test_unload_rules);
	g_test_add_func("/module/unknown-symbols", test_unknown_symbols);
	g_test_add_func("/module/not-a-module", test_not_a_module);
	g_test_add_func("/module/leftovers", test_leftovers);
	g_test_add_func("/module/unload-all", test_unload_all);
	return g_test_run();
}
