// SPDX-License-Identifier: GPL-2.0
/*
 * Test module for the securityfs front end: sfstest/sink records every
 * write (size, *ppos, checksum of the bytes, the writer's pid/tgid);
 * sfstest/stats (seq_file) reports it. sfstest/slow takes 300 ms to
 * release; the module's exit logs how many releases it saw.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/sched.h>

static struct dentry *dir, *sink, *stats, *slow;
static atomic_t slow_releases = ATOMIC_INIT(0);
static DEFINE_MUTEX(stats_lock);
static unsigned int nwrites;
static size_t last_len;
static loff_t last_pos;
static u32 last_sum;
static pid_t last_pid, last_tgid;

static ssize_t sink_write(struct file *file, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	u8 *data = kvmalloc(count ? count : 1, GFP_KERNEL);
	size_t i;
	u32 sum = 0;

	if (!data)
		return -ENOMEM;
	if (copy_from_user(data, buf, count)) {
		kvfree(data);
		return -EFAULT;
	}
	for (i = 0; i < count; i++)
		sum = sum * 31 + data[i];
	kvfree(data);

	mutex_lock(&stats_lock);
	nwrites++;
	last_len = count;
	last_pos = *ppos;
	last_sum = sum;
	last_pid = current->pid;
	last_tgid = current->tgid;
	mutex_unlock(&stats_lock);
	*ppos += count;
	return count;
}

static int stats_show(struct seq_file *m, void *v)
{
	mutex_lock(&stats_lock);
	seq_printf(m, "writes=%u len=%zu pos=%lld sum=%u pid=%d tgid=%d\n",
		   nwrites, last_len, (long long)last_pos, last_sum, last_pid,
		   last_tgid);
	mutex_unlock(&stats_lock);
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, stats_show, NULL);
}

static int slow_release(struct inode *inode, struct file *file)
{
	msleep(300);
	atomic_inc(&slow_releases);
	return 0;
}

static const struct file_operations slow_fops = {
	.owner = THIS_MODULE,
	.release = slow_release,
};

static const struct file_operations sink_fops = {
	.owner = THIS_MODULE,
	.write = sink_write,
};

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init sfstest_init(void)
{
	dir = securityfs_create_dir("sfstest", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	sink = securityfs_create_file("sink", 0600, dir, NULL, &sink_fops);
	stats = securityfs_create_file("stats", 0400, dir, NULL, &stats_fops);
	slow = securityfs_create_file("slow", 0600, dir, NULL, &slow_fops);
	if (IS_ERR(sink) || IS_ERR(stats) || IS_ERR(slow)) {
		securityfs_remove(sink);
		securityfs_remove(stats);
		securityfs_remove(slow);
		securityfs_remove(dir);
		return -ENOMEM;
	}
	return 0;
}

static void __exit sfstest_exit(void)
{
	securityfs_remove(sink);
	securityfs_remove(stats);
	securityfs_remove(slow);
	securityfs_remove(dir);
	pr_info("sfstest: %d slow release(s)\n", atomic_read(&slow_releases));
}

module_init(sfstest_init);
module_exit(sfstest_exit);
MODULE_LICENSE("GPL");
