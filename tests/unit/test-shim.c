// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the shim primitives: kstrto*, slab, uaccess, printk,
 * mutex checks, wait queues, refcount, string helpers, securityfs dispatch
 * and seq_file.
 */
#include <glib.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel_read_file.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "emu-test.h"
#include "helpers.h"

/* ---- kstrto* -------------------------------------------------------- */

struct u32_case {
	const char *in;
	unsigned int base;
	int ret;
	u32 val;
};

static void test_kstrtou32(void)
{
	static const struct u32_case cases[] = {
		{ "0", 10, 0, 0 },
		{ "4096", 10, 0, 4096 },
		{ "4096\n", 10, 0, 4096 },
		{ "+7", 10, 0, 7 },
		{ "131071", 10, 0, 131071 },
		{ "4294967295", 10, 0, 4294967295u },
		{ "4294967296", 10, -ERANGE, 0 },
		{ "99999999999999999999999", 10, -ERANGE, 0 },
		{ "", 10, -EINVAL, 0 },
		{ "\n", 10, -EINVAL, 0 },
		{ "4096\n\n", 10, -EINVAL, 0 },
		{ " 1", 10, -EINVAL, 0 },
		{ "1 ", 10, -EINVAL, 0 },
		{ "-1", 10, -EINVAL, 0 },
		{ "abc", 10, -EINVAL, 0 },
		{ "12a", 10, -EINVAL, 0 },
		{ "0x10", 10, -EINVAL, 0 },
		{ "0x10", 16, 0, 16 },
		{ "10", 16, 0, 16 },
		{ "0x10", 0, 0, 16 },
		{ "010", 0, 0, 8 },
		{ "08", 0, -EINVAL, 0 },
		{ "0x", 0, -EINVAL, 0 },
		{ "ff\n", 16, 0, 255 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		u32 val = 0xdeadbeef;
		int ret = kstrtou32(cases[i].in, cases[i].base, &val);

		g_test_message("kstrtou32(\"%s\", %u)", cases[i].in,
			       cases[i].base);
		g_assert_cmpint(ret, ==, cases[i].ret);
		if (!ret)
			g_assert_cmpuint(val, ==, cases[i].val);
		else
			g_assert_cmpuint(val, ==, 0xdeadbeef);
	}
}

static void test_kstrto_signed(void)
{
	long long ll;
	int i;
	s8 s;
	u8 u;

	g_assert_cmpint(kstrtoint("-2147483648", 10, &i), ==, 0);
	g_assert_cmpint(i, ==, INT_MIN);
	g_assert_cmpint(kstrtoint("2147483648", 10, &i), ==, -ERANGE);
	g_assert_cmpint(kstrtoint("-2147483649", 10, &i), ==, -ERANGE);
	g_assert_cmpint(kstrtoint("-0", 10, &i), ==, 0);
	g_assert_cmpint(i, ==, 0);
	g_assert_cmpint(kstrtoint("-+1", 10, &i), ==, -EINVAL);
	g_assert_cmpint(kstrtoll("-9223372036854775808", 10, &ll), ==, 0);
	g_assert_true(ll == LLONG_MIN);
	g_assert_cmpint(kstrtoll("9223372036854775808", 10, &ll), ==, -ERANGE);
	g_assert_cmpint(kstrtos8("-128", 10, &s), ==, 0);
	g_assert_cmpint(s, ==, -128);
	g_assert_cmpint(kstrtos8("128", 10, &s), ==, -ERANGE);
	g_assert_cmpint(kstrtou8("255\n", 10, &u), ==, 0);
	g_assert_cmpint(kstrtou8("256", 10, &u), ==, -ERANGE);
}

static void test_kstrtobool(void)
{
	bool b = false;

	g_assert_cmpint(kstrtobool("Y", &b), ==, 0);
	g_assert_true(b);
	g_assert_cmpint(kstrtobool("off", &b), ==, 0);
	g_assert_false(b);
	g_assert_cmpint(kstrtobool("on", &b), ==, 0);
	g_assert_true(b);
	g_assert_cmpint(kstrtobool("x", &b), ==, -EINVAL);
}

/* ---- slab ------------------------------------------------------------ */

static void test_slab(void)
{
	unsigned long warnings = umd_emu_warnings();
	char *p, *z;
	size_t i;

	g_assert_true(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);

	z = kzalloc(4096, GFP_KERNEL);
	g_assert_nonnull(z);
	for (i = 0; i < 4096; i++)
		g_assert_cmpint(z[i], ==, 0);
	kfree(z);

	z = kcalloc(16, 16, GFP_KERNEL);
	g_assert_nonnull(z);
	g_assert_cmpint(z[255], ==, 0);
	kfree(z);
	g_assert_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	g_assert_null(kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL));

	/* Over KMALLOC_MAX_SIZE: NULL with a warning; kvmalloc copes. */
	g_assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 1);
	g_assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 1);
	p = kvzalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL);
	g_assert_nonnull(p);
	g_assert_cmpint(p[KMALLOC_MAX_SIZE], ==, 0);
	kvfree(p);

	p = kmalloc(8, GFP_KERNEL);
	memcpy(p, "abcdefgh", 8);
	p = krealloc(p, 16, GFP_KERNEL | __GFP_ZERO);
	g_assert_nonnull(p);
	g_assert_cmpmem(p, 8, "abcdefgh", 8);
	g_assert_true(krealloc(p, 0, GFP_KERNEL) == ZERO_SIZE_PTR);

	p = kstrdup("hello", GFP_KERNEL);
	g_assert_cmpstr(p, ==, "hello");
	kfree_sensitive(p);
	p = kasprintf(GFP_KERNEL, "%s-%d", "x", 7);
	g_assert_cmpstr(p, ==, "x-7");
	kfree(p);
}

/* ---- uaccess --------------------------------------------------------- */

static void test_uaccess(void)
{
	char user[16] = "0123456789abcdef";
	char kbuf[16];
	u32 v = 0, *uv = (u32 *)user;
	loff_t pos = 0;
	int ret;

	/* Nothing mapped: every access faults. */
	memset(kbuf, 'x', sizeof(kbuf));
	g_assert_cmpuint(copy_from_user(kbuf, user, 4), ==, 4);
	g_assert_cmpmem(kbuf, 4, "\0\0\0\0", 4);	/* zero-filled */
	g_assert_cmpint(get_user(v, uv), ==, -EFAULT);
	g_assert_cmpuint(v, ==, 0);

	/* The first 10 bytes mapped read-only. */
	g_assert_cmpint(umd_emu_user_map(user, 10, false), ==, 0);
	g_assert_cmpuint(copy_from_user(kbuf, user, 10), ==, 0);
	g_assert_cmpmem(kbuf, 10, "0123456789", 10);
	g_assert_cmpuint(copy_from_user(kbuf, user + 6, 8), ==, 4);
	g_assert_cmpmem(kbuf, 8, "6789\0\0\0\0", 8);
	g_assert_cmpint(get_user(v, uv), ==, 0);
	g_assert_cmpmem(&v, 4, "0123", 4);
	g_assert_cmpuint(copy_to_user(user, "ZZ", 2), ==, 2);
	g_assert_cmpint(put_user(1u, uv), ==, -EFAULT);
	g_assert_cmpmem(user, 4, "0123", 4);
	umd_emu_user_unmap(user);

	/* Writable. */
	umd_emu_user_map(user, sizeof(user), true);
	g_assert_cmpint(put_user(0x41414141u, uv), ==, 0);
	g_assert_cmpmem(user, 4, "AAAA", 4);
	ret = simple_read_from_buffer(user, 8, &pos, "hello world", 11);
	g_assert_cmpint(ret, ==, 8);
	g_assert_cmpint(pos, ==, 8);
	ret = simple_read_from_buffer(user, 8, &pos, "hello world", 11);
	g_assert_cmpint(ret, ==, 3);
	g_assert_cmpmem(user, 3, "rld", 3);
	g_assert_cmpint(simple_read_from_buffer(user, 8, &pos, "hello world",
						11), ==, 0);
	pos = -1;
	g_assert_cmpint(simple_read_from_buffer(user, 8, &pos, "x", 1), ==,
			-EINVAL);
	umd_emu_user_unmap_all();

	/* A fully unmapped destination: -EFAULT, position unchanged. */
	pos = 0;
	g_assert_cmpint(simple_read_from_buffer(user, 8, &pos, "hello", 5), ==,
			-EFAULT);
	g_assert_cmpint(pos, ==, 0);
	g_assert_false(access_ok((void *)-16L, 32));
	g_assert_true(access_ok(user, sizeof(user)));
}

/* The other direction, as libfs's: the user's bytes into a buffer. */
static void test_write_to_buffer(void)
{
	char user[8] = "abcdefgh", kbuf[6] = "......";
	loff_t pos = 0;

	umd_emu_user_map(user, sizeof(user), false);
	g_assert_cmpint(simple_write_to_buffer(kbuf, sizeof(kbuf), &pos, user,
					       4), ==, 4);
	g_assert_cmpint(pos, ==, 4);
	g_assert_cmpmem(kbuf, 6, "abcd..", 6);
	/* Cut at the end of the buffer, then nothing past it. */
	g_assert_cmpint(simple_write_to_buffer(kbuf, sizeof(kbuf), &pos, user,
					       8), ==, 2);
	g_assert_cmpmem(kbuf, 6, "abcdab", 6);
	g_assert_cmpint(pos, ==, 6);
	g_assert_cmpint(simple_write_to_buffer(kbuf, sizeof(kbuf), &pos, user,
					       8), ==, 0);
	pos = -1;
	g_assert_cmpint(simple_write_to_buffer(kbuf, sizeof(kbuf), &pos, user,
					       1), ==, -EINVAL);
	umd_emu_user_unmap_all();
	/* Nothing readable: -EFAULT, position unchanged. */
	pos = 0;
	g_assert_cmpint(simple_write_to_buffer(kbuf, sizeof(kbuf), &pos, user,
					       4), ==, -EFAULT);
	g_assert_cmpint(pos, ==, 0);
}

/* ---- printk ---------------------------------------------------------- */

#undef pr_fmt
#define pr_fmt(fmt) "shimtest: " fmt

struct level_seen {
	const char *needle;
	int level;
	uint64_t seq;
};

static int find_level(const struct umd_emu_kmsg_record *rec, void *data)
{
	struct level_seen *ls = data;

	if (!strstr(rec->text, ls->needle))
		return 0;
	ls->level = rec->level;
	ls->seq = rec->seq;
	return 1;
}

static void test_printk(void)
{
	uint64_t seq = umd_emu_kmsg_next_seq();
	struct level_seen ls = { .needle = "shimtest: error 42" };
	unsigned long warnings = umd_emu_warnings();
	int i;

	pr_err("error %d\n", 42);
	umd_emu_kmsg_foreach(seq, find_level, &ls);
	g_assert_cmpint(ls.level, ==, LOGLEVEL_ERR);
	g_assert_cmpuint(ls.seq, ==, seq);

	pr_info("two\nlines\n");
	g_assert_true(umd_emu_kmsg_contains(seq, "shimtest: two"));
	g_assert_true(umd_emu_kmsg_contains(seq, "lines"));
	g_assert_cmpuint(umd_emu_kmsg_next_seq(), ==, seq + 3);

	printk(KERN_INFO "partial ");
	pr_cont("continued\n");
	g_assert_true(umd_emu_kmsg_contains(seq, "partial continued"));

	pr_debug("not compiled in %d\n", 1);
	g_assert_false(umd_emu_kmsg_contains(seq, "not compiled in"));

	g_assert_true(WARN_ON(1 + 1 == 2));
	g_assert_false(WARN_ON(0));
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 1);
	g_assert_true(umd_emu_kmsg_contains(seq, "WARNING: CPU: 0 PID:"));
	g_assert_true(umd_emu_kmsg_contains(seq, "WARN_ON(1 + 1 == 2)"));
	for (i = 0; i < 3; i++)		/* once per call site */
		WARN_ON_ONCE(1);
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 2);
}

/* ---- mutex ----------------------------------------------------------- */

static DEFINE_MUTEX(static_lock);

struct mutex_race {
	struct mutex lock;
	int in_section;
	int max_in_section;
	long counter;
};

static void *mutex_worker(void *data)
{
	struct mutex_race *r = data;
	int i;

	for (i = 0; i < 20000; i++) {
		mutex_lock(&r->lock);
		if (++r->in_section > r->max_in_section)
			r->max_in_section = r->in_section;
		r->counter++;
		r->in_section--;
		mutex_unlock(&r->lock);
	}
	return NULL;
}

static void test_mutex_basic(void)
{
	struct mutex_race r = { 0 };
	pthread_t t[4];
	int i;

	mutex_init(&r.lock);
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, mutex_worker, &r);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	g_assert_cmpint(r.counter, ==, 80000);
	g_assert_cmpint(r.max_in_section, ==, 1);

	mutex_lock(&static_lock);
	g_assert_true(mutex_is_locked(&static_lock));
	g_assert_cmpint(umd_emu_mutexes_held(), ==, 1);
	g_assert_cmpint(mutex_trylock(&static_lock), ==, 0);
	mutex_unlock(&static_lock);
	g_assert_cmpint(mutex_trylock(&static_lock), ==, 1);
	g_assert_cmpint(mutex_lock_interruptible(&r.lock), ==, 0);
	g_assert_cmpint(umd_emu_mutexes_held(), ==, 2);
	mutex_unlock(&r.lock);
	mutex_unlock(&static_lock);
	g_assert_cmpint(umd_emu_mutexes_held(), ==, 0);
}

static void *unlock_other(void *data)
{
	mutex_unlock(data);
	return NULL;
}

static void test_mutex_checks(void)
{
	uint64_t seq = umd_emu_kmsg_next_seq();
	unsigned long warnings = umd_emu_warnings();
	struct mutex m, uninit;
	pthread_t t;

	mutex_init(&m);
	mutex_unlock(&m);
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 1);
	g_assert_true(umd_emu_kmsg_contains(seq, "bad unlock balance"));

	mutex_lock(&m);
	pthread_create(&t, NULL, unlock_other, &m);
	pthread_join(t, NULL);
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 2);
	g_assert_true(umd_emu_kmsg_contains(seq, "__owner_task(owner) != current"));
	g_assert_false(mutex_is_locked(&m));	/* unlocked, as the kernel does */

	memset(&uninit, 0, sizeof(uninit));
	mutex_lock(&uninit);
	mutex_unlock(&uninit);
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 3);
	g_assert_true(umd_emu_kmsg_contains(seq, "mutex used before mutex_init"));

	mutex_lock(&m);
	mutex_destroy(&m);
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 4);
	m.magic = &m;
	mutex_unlock(&m);
	g_assert_cmpint(umd_emu_mutexes_held(), ==, 0);
}

static void test_mutex_recursive(void)
{
	if (g_test_subprocess()) {
		struct mutex m;

		umd_emu_kmsg_set_echo(true);
		mutex_init(&m);
		mutex_lock(&m);
		mutex_lock(&m);		/* reported, then hangs forever */
		return;
	}
	g_test_trap_subprocess(NULL, 2 * G_USEC_PER_SEC, 0);
	g_test_trap_assert_failed();
	g_assert_true(g_test_trap_reached_timeout());
	g_test_trap_assert_stderr("*WARNING: possible recursive locking detected*");
}

/* ---- wait queues, refcount, strings --------------------------------- */

static DECLARE_WAIT_QUEUE_HEAD(test_wq);
static int wq_flag;

static void *waker(void *data)
{
	(void)data;
	g_usleep(20000);
	__atomic_store_n(&wq_flag, 1, __ATOMIC_SEQ_CST);
	wake_up(&test_wq);
	return NULL;
}

static void test_wait(void)
{
	unsigned long start = jiffies;
	pthread_t t;
	long left;

	wq_flag = 0;
	pthread_create(&t, NULL, waker, NULL);
	wait_event(test_wq, __atomic_load_n(&wq_flag, __ATOMIC_SEQ_CST));
	pthread_join(t, NULL);
	g_assert_cmpuint(jiffies - start, >=, 15);

	left = wait_event_timeout(test_wq, 0, msecs_to_jiffies(30));
	g_assert_cmpint(left, ==, 0);
	left = wait_event_timeout(test_wq, 1, msecs_to_jiffies(30));
	g_assert_cmpint(left, >, 0);
}

static void test_refcount_strings(void)
{
	unsigned long warnings = umd_emu_warnings();
	refcount_t r = REFCOUNT_INIT(1);
	char buf[8];

	refcount_inc(&r);
	g_assert_cmpuint(refcount_read(&r), ==, 2);
	g_assert_false(refcount_dec_and_test(&r));
	g_assert_true(refcount_dec_and_test(&r));
	refcount_inc(&r);	/* addition on 0: use-after-free */
	g_assert_cmpuint(umd_emu_warnings(), ==, warnings + 1);

	g_assert_cmpint(strscpy(buf, "short", sizeof(buf)), ==, 5);
	g_assert_cmpint(strscpy(buf, "too long!", sizeof(buf)), ==, -E2BIG);
	g_assert_cmpstr(buf, ==, "too lon");
	g_assert_true(sysfs_streq("on", "on\n"));
	{
		char z[64] = { 0 };

		g_assert_null(memchr_inv(z, 0, sizeof(z)));
		z[37] = 5;
		g_assert_true(memchr_inv(z, 0, sizeof(z)) == z + 37);
		g_assert_true(memchr_inv(z + 1, 0, 40) == z + 37);
		g_assert_null(memchr_inv(z + 38, 0, 26));
		g_assert_true(memchr_inv(z + 37, 5, 3) == z + 38);
		g_assert_null(memchr_inv(z, 0, 0));
	}
	g_assert_false(sysfs_streq("on", "off"));
	g_assert_cmpint(scnprintf(buf, sizeof(buf), "%s", "123456789"), ==, 7);
	g_assert_cmpint(min(3, 5), ==, 3);
	g_assert_cmpint(max_t(long, -1, 2), ==, 2);
	g_assert_cmpint(ARRAY_SIZE(buf), ==, 8);
	g_assert_true(IS_ERR(ERR_PTR(-ENOMEM)));
	g_assert_cmpint(PTR_ERR(ERR_PTR(-ENOMEM)), ==, -ENOMEM);
	g_assert_false(IS_ERR(buf));
	g_assert_true(IS_ERR_OR_NULL(NULL));
}

/* ---- securityfs and seq_file ---------------------------------------- */

static char sfs_store[64] = "initial";
static int sfs_opens, sfs_releases;

static int sfs_open(struct inode *inode, struct file *file)
{
	sfs_opens++;
	file->private_data = inode->i_private;
	return 0;
}

static int sfs_release(struct inode *inode, struct file *file)
{
	sfs_releases++;
	return 0;
}

static ssize_t sfs_read(struct file *file, char __user *buf, size_t count,
			loff_t *ppos)
{
	const char *data = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, data, strlen(data));
}

static ssize_t sfs_write(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	char tmp[sizeof(sfs_store)];
	u32 v;
	int ret;

	if (count >= sizeof(tmp))
		return -EINVAL;
	if (copy_from_user(tmp, buf, count))
		return -EFAULT;
	tmp[count] = '\0';
	ret = kstrtou32(tmp, 0, &v);
	if (ret)
		return ret;
	snprintf(sfs_store, sizeof(sfs_store), "value=%u pid=%d", v,
		 current->pid);
	return count;
}

static const struct file_operations sfs_fops = {
	.open = sfs_open,
	.read = sfs_read,
	.write = sfs_write,
	.release = sfs_release,
};

static const struct file_operations sfs_wo_fops = {
	.write = sfs_write,
};

static int seq_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < 1000; i++)
		seq_printf(m, "line %d of %s\n", i, (char *)m->private);
	return 0;
}

static int seq_open_cb(struct inode *inode, struct file *file)
{
	return single_open(file, seq_show, inode->i_private);
}

static const struct file_operations seq_fops = {
	.open = seq_open_cb,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int count_entry(const char *name, const struct umd_emu_sfs_stat *st,
		       void *data)
{
	(void)name;
	(void)st;
	(*(int *)data)++;
	return 0;
}

static void test_securityfs(void)
{
	struct dentry *dir, *rw, *wo, *seq, *dup, *link;
	struct umd_emu_sfs_stat st;
	struct file *f;
	char buf[128], target[64], *big;
	int n = 0, base = umd_emu_securityfs_count();
	ssize_t ret;
	loff_t pos;

	dir = securityfs_create_dir("shimtest", NULL);
	g_assert_false(IS_ERR(dir));
	rw = securityfs_create_file("rw", 0600, dir, sfs_store, &sfs_fops);
	wo = securityfs_create_file("wo", 0200, dir, NULL, &sfs_wo_fops);
	seq = securityfs_create_file("seq", 0444, dir, "seqdata", &seq_fops);
	link = securityfs_create_symlink("link", dir, "rw", NULL);
	g_assert_false(IS_ERR(rw) || IS_ERR(wo) || IS_ERR(seq) || IS_ERR(link));
	dup = securityfs_create_file("rw", 0600, dir, NULL, &sfs_fops);
	g_assert_cmpint(PTR_ERR(dup), ==, -EEXIST);
	g_assert_cmpint(PTR_ERR(securityfs_create_file("a/b", 0600, dir, NULL,
						       &sfs_fops)), ==, -EACCES);
	g_assert_cmpint(PTR_ERR(securityfs_create_file("x", 0600, rw, NULL,
						       &sfs_fops)), ==, -ENOTDIR);
	/* Its allocations can fail, as a kernel's can: failslab. */
	for (n = 1; n <= 2; n++) {
		char *error = NULL, *spec = g_strdup_printf("failslab:nth=%d", n);

		g_assert_cmpint(umd_emu_fault_configure(spec, &error), ==, 0);
		g_assert_cmpint(PTR_ERR(securityfs_create_file("nomem", 0600,
							       dir, NULL,
							       &sfs_fops)),
				==, -ENOMEM);
		umd_emu_fault_reset();
		g_free(spec);
	}
	n = 0;
	g_assert_cmpint(umd_emu_securityfs_count(), ==, base + 5);

	g_assert_cmpint(umd_emu_securityfs_stat("shimtest/wo", &st), ==, 0);
	g_assert_cmpuint(st.mode, ==, S_IFREG | 0200);
	g_assert_cmpint(umd_emu_securityfs_stat("shimtest", &st), ==, 0);
	g_assert_true(S_ISDIR(st.mode));
	g_assert_cmpint(umd_emu_securityfs_stat("shimtest/none", &st), ==,
			-ENOENT);
	g_assert_cmpint(umd_emu_securityfs_readdir("shimtest", count_entry,
						   &n), ==, 0);
	g_assert_cmpint(n, ==, 4);
	g_assert_cmpint(umd_emu_securityfs_readlink("shimtest/link", target,
						    sizeof(target)), ==, 0);
	g_assert_cmpstr(target, ==, "rw");

	/* open/read/write/release reach the file_operations. */
	g_assert_cmpint(umd_emu_securityfs_open("shimtest/rw", O_RDWR, &f), ==,
			0);
	g_assert_cmpint(sfs_opens, ==, 1);
	ret = umd_emu_securityfs_read(f, buf, sizeof(buf), NULL);
	g_assert_cmpint(ret, ==, 7);
	g_assert_cmpmem(buf, 7, "initial", 7);
	g_assert_cmpint(umd_emu_securityfs_read(f, buf, sizeof(buf), NULL), ==,
			0);
	umd_emu_set_current(4242, 4242, "writer");
	ret = umd_emu_securityfs_write(f, "0x10\n", 5, NULL);
	umd_emu_reset_current();
	g_assert_cmpint(ret, ==, 5);
	g_assert_cmpstr(sfs_store, ==, "value=16 pid=4242");
	g_assert_cmpint(umd_emu_securityfs_write(f, "junk", 4, NULL), ==,
			-EINVAL);
	g_assert_cmpint(umd_emu_securityfs_release(f), ==, 0);
	g_assert_cmpint(sfs_releases, ==, 1);

	/* VFS rules: no ->read is -EINVAL; not opened for it is -EBADF. */
	g_assert_cmpint(umd_emu_securityfs_open("shimtest/wo", O_RDONLY, &f),
			==, 0);
	g_assert_cmpint(umd_emu_securityfs_read(f, buf, 4, NULL), ==, -EINVAL);
	g_assert_cmpint(umd_emu_securityfs_write(f, "1", 1, NULL), ==, -EBADF);
	umd_emu_securityfs_release(f);
	g_assert_cmpint(umd_emu_securityfs_open("shimtest", O_WRONLY, &f), ==,
			-EISDIR);

	/* seq_file larger than one page, read in pieces. */
	g_assert_cmpint(umd_emu_securityfs_open("shimtest/seq", O_RDONLY, &f),
			==, 0);
	big = g_malloc(65536);
	pos = 0;
	n = 0;
	while ((ret = umd_emu_securityfs_read(f, big + n, 1000, &pos)) > 0)
		n += ret;
	g_assert_cmpint(ret, ==, 0);
	g_assert_true(g_str_has_prefix(big, "line 0 of seqdata\n"));
	g_assert_nonnull(g_strstr_len(big, n, "line 999 of seqdata\n"));
	g_assert_cmpint(n, ==, pos);
	umd_emu_securityfs_release(f);
	g_free(big);

	/* A file open across removal: -EIO, release still frees it. */
	g_assert_cmpint(umd_emu_securityfs_open("shimtest/rw", O_RDWR, &f), ==,
			0);
	securityfs_remove(dir);		/* not empty: stays, as in the kernel */
	g_assert_cmpint(umd_emu_securityfs_stat("shimtest", &st), ==, 0);
	securityfs_remove(rw);
	g_assert_cmpint(umd_emu_securityfs_read(f, buf, 4, NULL), ==, -EIO);
	umd_emu_securityfs_release(f);
	g_assert_cmpint(sfs_releases, ==, 1);
	securityfs_remove(wo);
	securityfs_remove(seq);
	securityfs_remove(link);
	securityfs_remove(dir);
	securityfs_remove(NULL);
	securityfs_remove(ERR_PTR(-ENOENT));
	g_assert_cmpint(umd_emu_securityfs_count(), ==, base);
	g_assert_cmpint(umd_emu_securityfs_stat("shimtest", &st), ==, -ENOENT);
}

/*
 * kernel_write() to a pipe nobody reads: -EPIPE, and no SIGPIPE for the
 * caller (its default action would kill this test), both with
 * pwritev2(RWF_NOSIGNAL) and with SIGPIPE blocked around write(2); a
 * SIGPIPE blocked by the caller beforehand stays blocked.
 */
static void test_broken_pipe(void)
{
	sigset_t pending, mask, pipe_set;
	struct file *f;
	int p[2], i;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	for (i = 0; i < 2; i++) {
		umd_emu_file_use_rwf_nosignal(i == 0);
		g_assert_cmpint(pipe(p), ==, 0);
		close(p[0]);
		f = umd_emu_file_from_fd(p[1], FMODE_WRITE);
		g_assert_cmpint(kernel_write(f, "x", 1, NULL), ==, -EPIPE);
		g_assert_cmpint(kernel_write(f, "y", 1, NULL), ==, -EPIPE);
		fput(f);
		sigpending(&pending);
		g_assert_false(sigismember(&pending, SIGPIPE));
		pthread_sigmask(SIG_SETMASK, NULL, &mask);
		g_assert_false(sigismember(&mask, SIGPIPE));
	}
	/* Blocked by the caller: still blocked afterwards. */
	pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
	g_assert_cmpint(pipe(p), ==, 0);
	close(p[0]);
	f = umd_emu_file_from_fd(p[1], FMODE_WRITE);
	g_assert_cmpint(kernel_write(f, "x", 1, NULL), ==, -EPIPE);
	fput(f);
	pthread_sigmask(SIG_SETMASK, NULL, &mask);
	g_assert_true(sigismember(&mask, SIGPIPE));
	sigpending(&pending);
	if (sigismember(&pending, SIGPIPE)) {
		int sig;

		sigwait(&pipe_set, &sig);
	}
	pthread_sigmask(SIG_UNBLOCK, &pipe_set, NULL);
	umd_emu_file_use_rwf_nosignal(true);
}

/*
 * kernel_read_file_from_path(): the whole file in a vmalloc()ed buffer,
 * and 6.1's errors: a missing file, a directory, an empty file, a file
 * larger than the buffer, a non-zero offset without a buffer.
 */
static void test_kernel_read_file(void)
{
	char dir[] = "/tmp/umd-krf.XXXXXX", path[64], empty[64], none[64];
	char part[4] = { 0 };
	void *buf = NULL;
	size_t size = 0;
	ssize_t n;
	FILE *f;

	g_assert_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/data", dir);
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	f = fopen(path, "w");
	g_assert_nonnull(f);
	fputs("0123456789", f);
	fclose(f);
	fclose(fopen(empty, "w"));

	n = kernel_read_file_from_path(path, 0, &buf, 64, NULL,
				       READING_UNKNOWN);
	g_assert_cmpint(n, ==, 10);
	g_assert_cmpmem(buf, 10, "0123456789", 10);
	vfree(buf);
	buf = NULL;

	g_assert_cmpint(kernel_read_file_from_path(path, 0, &buf, 9, NULL,
						   READING_UNKNOWN), ==, -EFBIG);
	g_assert_null(buf);
	g_assert_cmpint(kernel_read_file_from_path(empty, 0, &buf, 64, NULL,
						   READING_UNKNOWN), ==, -EINVAL);
	g_assert_cmpint(kernel_read_file_from_path(dir, 0, &buf, 64, NULL,
						   READING_UNKNOWN), ==, -EINVAL);
	g_assert_cmpint(kernel_read_file_from_path("", 0, &buf, 64, NULL,
						   READING_UNKNOWN), ==, -EINVAL);
	snprintf(none, sizeof(none), "%s/none", dir);
	g_assert_cmpint(kernel_read_file_from_path(none, 0, &buf, 64, NULL,
						   READING_UNKNOWN), ==, -ENOENT);
	g_assert_cmpint(kernel_read_file_from_path(path, 4, &buf, 64, NULL,
						   READING_UNKNOWN), ==, -EINVAL);
	g_assert_null(buf);

	/* A piece at an offset into a caller's buffer. */
	buf = part;
	n = kernel_read_file_from_path(path, 4, &buf, sizeof(part), &size,
				       READING_UNKNOWN);
	g_assert_cmpint(n, ==, 4);
	g_assert_cmpuint(size, ==, 10);
	g_assert_cmpmem(part, 4, "4567", 4);

	g_assert_cmpint(unlink(path), ==, 0);
	g_assert_cmpint(unlink(empty), ==, 0);
	g_assert_cmpint(rmdir(dir), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/shim/kstrtou32", test_kstrtou32);
	g_test_add_func("/shim/kstrto-signed", test_kstrto_signed);
	g_test_add_func("/shim/kstrtobool", test_kstrtobool);
	g_test_add_func("/shim/slab", test_slab);
	g_test_add_func("/shim/uaccess", test_uaccess);
	g_test_add_func("/shim/write-to-buffer", test_write_to_buffer);
	g_test_add_func("/shim/printk", test_printk);
	g_test_add_func("/shim/mutex/basic", test_mutex_basic);
	g_test_add_func("/shim/mutex/checks", test_mutex_checks);
	g_test_add_func("/shim/mutex/recursive", test_mutex_recursive);
	g_test_add_func("/shim/wait", test_wait);
	g_test_add_func("/shim/refcount-strings", test_refcount_strings);
	g_test_add_func("/shim/securityfs", test_securityfs);
	g_test_add_func("/shim/file/broken-pipe", test_broken_pipe);
	g_test_add_func("/shim/kernel-read-file", test_kernel_read_file);
	return g_test_run();
}
