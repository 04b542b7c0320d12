// SPDX-License-Identifier: GPL-2.0-only
/*
 * User mode driver management library.
 *
 * A UMD Manager talks to its UMD Handler through umd_mgmt_send_recv(). The
 * handler is started lazily: the first request loads the UMD Loader module
 * (mgmt->kmod), whose init calls umd_mgmt_load(); a handler that has exited
 * since the last request is restarted; a handler that broke the protocol
 * (short read or write) is killed, so that the next request gets a fresh
 * one. Requests to one UMD are serialized by mgmt->lock.
 */
#define pr_fmt(fmt) "umd_mgmt: " fmt

#include <linux/module.h>
#include <linux/kmod.h>
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/version.h>
#include <linux/usermode_driver_mgmt.h>

/**
 * umd_send_recv - send a request to a UMD Handler and read its reply
 * @info: user mode driver info of a started handler
 * @in: request message
 * @in_len: size of @in
 * @out: reply message
 * @out_len: size of @out
 *
 * Write all of @in to the handler's request pipe, then read exactly
 * @out_len bytes of reply. Pipe transfers may be partial; the function
 * loops until the whole message has crossed, so messages may be larger than
 * a pipe's capacity.
 *
 * Return: 0 on success; -EFAULT if no handler is running or a read met end
 * of file (the handler is gone); otherwise the error of the kernel_write()
 * or kernel_read() that failed (e.g. -EPIPE for a handler that stopped
 * reading, -ETIMEDOUT where a watchdog bounds the exchange).
 */
int umd_send_recv(struct umd_info *info, void *in, size_t in_len, void *out,
		  size_t out_len)
{
	size_t done;
	loff_t pos;
	ssize_t n;

	if (!info->tgid)
		return -EFAULT;

	for (done = 0; done < in_len; done += n) {
		pos = 0;
		n = kernel_write(info->pipe_to_umh, (char *)in + done,
				 in_len - done, &pos);
		if (n <= 0) {
			pr_err("%s: write fail %zd\n", info->driver_name, n);
			return n < 0 ? n : -EFAULT;
		}
	}

	for (done = 0; done < out_len; done += n) {
		pos = 0;
		n = kernel_read(info->pipe_from_umh, (char *)out + done,
				out_len - done, &pos);
		if (n <= 0) {
			pr_err("%s: read fail %zd\n", info->driver_name, n);
			return n < 0 ? n : -EFAULT;
		}
	}

	return 0;
}
EXPORT_SYMBOL_GPL(umd_send_recv);

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
/* True once the handler's thread group has exited (woken on wait_pidfd). */
static bool umd_mgmt_exited(struct pid *tgid)
{
	return thread_group_exited(tgid);
}
#else
/*
 * thread_group_exited() left in 6.9 (pidfd_poll() tests the task itself
 * since); the same test, as pidfd_poll() makes it.
 */
static bool umd_mgmt_exited(struct pid *tgid)
{
	struct task_struct *task;
	bool exited;

	rcu_read_lock();
	task = pid_task(tgid, PIDTYPE_PID);
	exited = !task ||
		 (READ_ONCE(task->exit_state) && thread_group_empty(task));
	rcu_read_unlock();
	return exited;
}
#endif

/* Kill the handler, wait until it is gone and drop pipes and pid. */
static void umd_mgmt_shutdown(struct umd_mgmt *mgmt)
{
	struct pid *tgid = mgmt->info.tgid;

	if (!tgid)
		return;

	kill_pid(tgid, SIGKILL, 1);
	wait_event(tgid->wait_pidfd, umd_mgmt_exited(tgid));
	umd_cleanup_helper(&mgmt->info);
}

/*
 * True if the handler wrote more than its last reply: those bytes would be
 * read as the start of the next reply. Checked with a non-blocking read of
 * the reply pipe (only ever read under mgmt->lock).
 */
static bool umd_mgmt_stale_reply(struct umd_mgmt *mgmt)
{
	struct file *from = mgmt->info.pipe_from_umh;
	loff_t pos = 0;
	char junk[64];
	ssize_t n;

	from->f_flags |= O_NONBLOCK;
	n = kernel_read(from, junk, sizeof(junk), &pos);
	from->f_flags &= ~O_NONBLOCK;
	if (n <= 0)
		return false;
	pr_warn("%s: handler wrote %zd+ bytes beyond its reply, restarting it\n",
		mgmt->info.driver_name, n);
	return true;
}

/* Start the handler and run the manager's post-start check. */
static int umd_mgmt_start(struct umd_mgmt *mgmt)
{
	int err;

	err = fork_usermode_driver(&mgmt->info);
	if (err)
		return err;

	pr_info("Loaded %s pid %d\n", mgmt->info.driver_name,
		pid_nr(mgmt->info.tgid));

	if (!mgmt->post_start)
		return 0;

	err = mgmt->post_start(mgmt);
	if (err) {
		pr_err("%s: post-start check failed: %d\n",
		       mgmt->info.driver_name, err);
		umd_mgmt_shutdown(mgmt);
	}

	return err;
}

/**
 * umd_mgmt_send_recv - send a request to the UMD Handler, starting it first
 * @mgmt: user mode driver management structure
 * @in: request message
 * @in_len: size of @in
 * @out: reply message
 * @out_len: size of @out
 *
 * If the UMD Loader is not loaded, request it (its init is expected to call
 * umd_mgmt_load()). If the handler has exited since the last request, or
 * wrote more than its last reply (bytes that would pass for the start of
 * this reply), release it and start a new one. Then exchange the messages with
 * umd_send_recv(); if that fails the handler is killed, so that the next
 * request starts a fresh one. Requests are serialized by @mgmt->lock.
 *
 * Return: 0 on success; -ENOPROTOOPT if the UMD Loader could not be loaded;
 * the error of starting the handler; the error of umd_send_recv() if the
 * exchange failed.
 */
int umd_mgmt_send_recv(struct umd_mgmt *mgmt, void *in, size_t in_len,
		       void *out, size_t out_len)
{
	int err;

	mutex_lock(&mgmt->lock);

	if (!mgmt->kmod_loaded) {
		/* The loader's init takes the lock: drop it meanwhile. */
		mutex_unlock(&mgmt->lock);
		request_module("%s", mgmt->kmod);
		mutex_lock(&mgmt->lock);

		if (!mgmt->kmod_loaded) {
			err = -ENOPROTOOPT;
			goto unlock;
		}
	}

	if (mgmt->info.tgid && umd_mgmt_exited(mgmt->info.tgid))
		umd_cleanup_helper(&mgmt->info);
	else if (mgmt->info.tgid && umd_mgmt_stale_reply(mgmt))
		umd_mgmt_shutdown(mgmt);

	if (!mgmt->info.tgid) {
		err = umd_mgmt_start(mgmt);
		if (err)
			goto unlock;
	}

	err = umd_send_recv(&mgmt->info, in, in_len, out, out_len);
	if (err)
		umd_mgmt_shutdown(mgmt);
unlock:
	mutex_unlock(&mgmt->lock);
	return err;
}
EXPORT_SYMBOL_GPL(umd_mgmt_send_recv);

/**
 * umd_mgmt_load - copy the UMD Handler binary and start the handler
 * @mgmt: user mode driver management structure
 * @start: start address of the handler binary blob
 * @end: end address of the handler binary blob
 *
 * Called by the UMD Loader's module init. Copy the blob to the private
 * filesystem of @mgmt->info, start the handler and run the post-start
 * check; on success, mark the loader as loaded. On failure nothing stays
 * loaded or running.
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int umd_mgmt_load(struct umd_mgmt *mgmt, char *start, char *end)
{
	int err;

	err = umd_load_blob(&mgmt->info, start, end - start);
	if (err)
		return err;

	mutex_lock(&mgmt->lock);
	err = umd_mgmt_start(mgmt);
	if (!err)
		mgmt->kmod_loaded = true;
	mutex_unlock(&mgmt->lock);

	if (err)
		umd_unload_blob(&mgmt->info);

	return err;
}
EXPORT_SYMBOL_GPL(umd_mgmt_load);

/**
 * umd_mgmt_unload - stop the UMD Handler and drop its binary
 * @mgmt: user mode driver management structure
 *
 * Called by the UMD Loader's module exit. Kill the handler if it runs,
 * mark the loader as unloaded (the next request loads it again) and release
 * the private filesystem holding the blob.
 */
void umd_mgmt_unload(struct umd_mgmt *mgmt)
{
	mutex_lock(&mgmt->lock);
	umd_mgmt_shutdown(mgmt);
	mgmt->kmod_loaded = false;
	mutex_unlock(&mgmt->lock);

	umd_unload_blob(&mgmt->info);
}
EXPORT_SYMBOL_GPL(umd_mgmt_unload);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("User mode driver management library");
