// SPDX-License-Identifier: GPL-2.0
/*
 * The sample UMD end to end through the emulated securityfs, as the seed's
 * umd_mgmt.sh selftest drives it on a real kernel: 500 writes of random
 * offsets, the loader unloaded every 50 writes, bad input rejected with
 * the kernel's errors, and a load whose allocations fail one by one. The
 * module directory defaults to the build's core/;
 * UMD_EMU_SAMPLE_MODULES points it elsewhere (tests/compile builds the
 * seed's own sample sources there).
 */
#include <glib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/fs.h>

#include "emu.h"
#include "helpers.h"

/* One write(2) to sample_umd: 0 if all of it was taken, else -errno. */
static int write_str(const char *s, size_t len)
{
	ssize_t ret = umd_emu_securityfs_write_file("sample_umd", s, len);

	if (ret < 0)
		return ret;
	return ret == (ssize_t)len ? 0 : -EIO;
}

static int write_offset(unsigned int offset)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u\n", offset);
	return write_str(buf, strlen(buf));
}

static void test_selftest(void)
{
	struct umd_emu_sfs_stat sst;
	struct th_state st;
	unsigned long started;
	GRand *rand = g_rand_new_with_seed(g_test_rand_int());
	int i, failures = 0;

	th_state_save(&st);
	started = umd_emu_children_started();
	g_assert_cmpint(umd_emu_modprobe("sample_mgr"), ==, 0);
	g_assert_cmpint(umd_emu_securityfs_stat("sample_umd", &sst), ==, 0);
	g_assert_cmpuint(sst.mode, ==, S_IFREG | 0200);

	for (i = 0; i < 500; i++) {
		if (write_offset(g_rand_int_range(rand, 0, 128) * 1024))
			failures++;
		if (i % 50 == 0)
			g_assert_cmpint(umd_emu_rmmod("sample_loader_kmod"),
					==, 0);
	}
	g_assert_cmpint(failures, ==, 0);
	/* The first load plus one per reload. */
	g_assert_cmpuint(umd_emu_children_started() - started, ==, 11);
	g_assert_true(th_wait_kmsg(st.kmsg_seq, "Started sample_umh", 5000));

	/* Edges of the accepted range. */
	g_assert_cmpint(write_offset(0), ==, 0);
	g_assert_cmpint(write_offset(131071), ==, 0);
	g_assert_cmpint(write_str("4096", 4), ==, 0);

	/* The loader uses the manager's export: the manager must stay. */
	g_assert_cmpint(umd_emu_rmmod("sample_mgr"), ==, -EWOULDBLOCK);
	g_assert_cmpint(umd_emu_rmmod("sample_loader_kmod"), ==, 0);
	g_assert_cmpint(umd_emu_rmmod("sample_mgr"), ==, 0);
	g_assert_cmpint(umd_emu_securityfs_stat("sample_umd", &sst), ==,
			-ENOENT);
	g_rand_free(rand);
	th_state_check(&st, 0);
}

static void test_bad_input(void)
{
	static const char *const bad[] = {
		"131072", "131072\n", "abc\n", "12345678", "1234567\n",
		"-1\n", "\n", "", "0x10\n", " 1\n", "1\n\n",
	};
	struct th_state st;
	struct file *f;
	char buf[4];
	size_t i;

	th_state_save(&st);
	g_assert_cmpint(umd_emu_modprobe("sample_mgr"), ==, 0);
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("writing \"%s\"", bad[i]);
		g_assert_cmpint(write_str(bad[i], strlen(bad[i])), ==, -EINVAL);
	}
	/* Only the valid requests reached the handler. */
	g_assert_false(umd_emu_module_loaded("sample_loader_kmod"));
	g_assert_cmpint(write_str("1234567", 7), ==, -EINVAL);
	g_assert_cmpint(write_str("123456", 6), ==, 0);

	/* A write-only file: reading it fails (no ->read: -EINVAL). */
	g_assert_cmpint(umd_emu_securityfs_open("sample_umd", O_RDONLY, &f),
			==, 0);
	g_assert_cmpint(umd_emu_securityfs_read(f, buf, sizeof(buf), NULL),
			==, -EINVAL);
	umd_emu_securityfs_release(f);

	g_assert_cmpint(umd_emu_module_unload_all(), ==, 2);
	th_state_check(&st, 0);
}

/*
 * modprobe sample_mgr with its Nth allocation failing, for N = 1, 2, ...
 * until the load goes through: the loader's own (struct module), then
 * the manager's init (its securityfs file). Each failed load leaves
 * nothing behind: no module, no file, no warning.
 */
static void test_init_fails(void)
{
	struct umd_emu_sfs_stat sst;
	struct th_state st;
	char *error = NULL, spec[32];
	int n, ret = -ENOMEM;

	th_state_save(&st);
	for (n = 1; n <= 20 && ret; n++) {
		snprintf(spec, sizeof(spec), "failslab:nth=%d", n);
		if (umd_emu_fault_configure(spec, &error))
			g_error("configure '%s': %s", spec, error);
		ret = umd_emu_modprobe("sample_mgr");
		umd_emu_fault_reset();
		g_test_message("%s: modprobe sample_mgr %d", spec, ret);
		if (ret) {
			g_assert_cmpint(ret, ==, -ENOMEM);
			g_assert_false(umd_emu_module_loaded("sample_mgr"));
			g_assert_cmpint(umd_emu_securityfs_stat("sample_umd",
								&sst),
					==, -ENOENT);
		}
	}
	/* At least the loader's and the init's allocation failed. */
	g_assert_cmpint(ret, ==, 0);
	g_assert_cmpint(n - 1, >=, 3);
	g_assert_cmpint(umd_emu_securityfs_stat("sample_umd", &sst), ==, 0);
	g_assert_cmpint(write_str("5", 1), ==, 0);
	g_assert_cmpint(umd_emu_module_unload_all(), ==, 2);
	th_state_check(&st, 0);
}

int main(int argc, char **argv)
{
	const char *dir = g_getenv("UMD_EMU_SAMPLE_MODULES");

	g_test_init(&argc, &argv, NULL);
	umd_emu_module_set_path(dir ? dir : SAMPLE_MODULES_DIR);
	g_test_add_func("/sample/selftest", test_selftest);
	g_test_add_func("/sample/bad-input", test_bad_input);
	g_test_add_func("/sample/init-fails", test_init_fails);
	return g_test_run();
}
