// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: the UMD primitives of kernel/usermode_driver.c.
 *
 * umd_load_blob() copies the handler binary into a sealed memfd named
 * driver_name (the kernel uses a file of that name on a private tmpfs);
 * fork_usermode_driver() forks and fexecve()s it with fd 0 = read end of the
 * request pipe, fd 1 = write end of the reply pipe, fd 2 = a pipe into the
 * kernel log, nothing else, in the handlers' namespace (emu/umh.c: its
 * /dev/kmsg is that pipe too, its cwd a private tmpfs), and waits until
 * the exec has happened (UMH_WAIT_EXEC): an exec error is returned to the
 * caller.
 *
 * For fuzzers, umd_emu_set_handler_fn() runs a function in a forked copy
 * of this process instead of the blob, and umd_emu_set_handler_thread()
 * a function in a thread of this process (no fork: the same pipes and
 * channel, a struct pid standing for the thread, see emu/pid.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/usermode_driver.h>

#include "emu-test.h"
#include "fault.h"
#include "internal.h"
#include "missing.h"

/* The private "tmpfs" of one UMD: the memfd holding the blob. */
struct vfsmount {
	int blob_fd;
	struct dentry mnt_root;
};

static int blob_memfd(const char *name)
{
	struct umd_emu_fault f;
	int fd;

	if (umd_emu_should_fail(FAULT_MEMFD, 0, &f)) {
		errno = -f.error;
		return -1;
	}
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	/* Kernels before 6.3 do not know MFD_EXEC. */
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd;
}

/**
 * umd_load_blob - Remember a blob of bytes for fork_usermode_driver
 * @info: information about usermode driver
 * @data: a blob of bytes that can be executed as a file
 * @len:  The lentgh of the blob
 *
 * Return: 0, -EBUSY if a blob is already loaded, or a negative errno.
 */
int umd_load_blob(struct umd_info *info, const void *data, size_t len)
{
	struct vfsmount *mnt;
	char path[64];
	ssize_t written;
	int fd, ro_fd, err;

	if (WARN_ON_ONCE(info->wd.dentry || info->wd.mnt))
		return -EBUSY;

	mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	if (!mnt)
		return -ENOMEM;

	fd = blob_memfd(info->driver_name);
	if (fd < 0) {
		err = -errno;
		goto free_mnt;
	}
	if (fchmod(fd, 0700)) {
		err = -errno;
		goto close_fd;
	}

	/* One write, as the kernel makes: a short one fails the load. */
	written = write(fd, data, len);
	if (written < 0) {
		err = -errno;
		goto close_fd;
	}
	if ((size_t)written != len) {
		err = -ENOMEM;
		goto close_fd;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
		  F_SEAL_WRITE | F_SEAL_SEAL)) {
		err = -errno;
		goto close_fd;
	}

	/*
	 * Nothing may hold the file open for writing when it is executed
	 * (ETXTBSY): keep a read-only descriptor, drop the writable one.
	 */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ro_fd >= 0) {
		close(fd);
		fd = ro_fd;
	}

	mnt->blob_fd = fd;
	mnt->mnt_root.d_name.name = (const unsigned char *)"/";
	mnt->mnt_root.d_name.len = 1;
	info->wd.mnt = mnt;
	info->wd.dentry = &mnt->mnt_root;
	return 0;

close_fd:
	close(fd);
free_mnt:
	kfree(mnt);
	return err;
}
EXPORT_SYMBOL_GPL(umd_load_blob);

/**
 * umd_unload_blob - Disassociate @info from a previously loaded blob
 * @info: information about usermode driver
 *
 * Return: 0, or -EINVAL (with a warning) if no blob is loaded. A running
 * handler is not touched.
 */
int umd_unload_blob(struct umd_info *info)
{
	struct vfsmount *mnt = info->wd.mnt;

	if (WARN_ON_ONCE(!mnt || !info->wd.dentry ||
			 info->wd.dentry != &mnt->mnt_root))
		return -EINVAL;

	close(mnt->blob_fd);
	kfree(mnt);
	info->wd.mnt = NULL;
	info->wd.dentry = NULL;
	return 0;
}
EXPORT_SYMBOL_GPL(umd_unload_blob);

/* umd_emu_set_handler_fn(): a function instead of the blob, for fuzzers. */
static char handler_fn_driver[64];
static void (*handler_fn)(void *arg);
static void *handler_fn_arg;

void umd_emu_set_handler_fn(const char *driver_name, void (*fn)(void *arg),
			    void *arg)
{
	snprintf(handler_fn_driver, sizeof(handler_fn_driver), "%s",
		 driver_name ? driver_name : "");
	handler_fn = driver_name ? fn : NULL;
	handler_fn_arg = arg;
}

/* umd_emu_set_handler_thread(): a thread instead of a process. */
static char handler_thread_driver[64];
static umd_emu_handler_thread_fn handler_thread;
static void *handler_thread_arg;

void umd_emu_set_handler_thread(const char *driver_name,
				umd_emu_handler_thread_fn fn, void *arg)
{
	snprintf(handler_thread_driver, sizeof(handler_thread_driver), "%s",
		 driver_name ? driver_name : "");
	handler_thread = driver_name ? fn : NULL;
	handler_thread_arg = arg;
}

static bool is_thread_handler(const struct umd_info *info)
{
	return handler_thread &&
	       !strcmp(handler_thread_driver, info->driver_name);
}

/* Sanitizer settings are the one thing a handler gets from the environment. */
static char **handler_env(void)
{
	static const char *const keep[] = {
		"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
		"ASAN_SYMBOLIZER_PATH", "LLVM_SYMBOLIZER_PATH",
	};
	char **env = kcalloc(ARRAY_SIZE(keep) + 1, sizeof(*env), GFP_KERNEL);
	const char *val;
	size_t i, n = 0;

	if (!env)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(keep); i++) {
		val = getenv(keep[i]);
		if (val && asprintf(&env[n], "%s=%s", keep[i], val) >= 0)
			n++;
	}
	return env;
}

static void free_env(char **env)
{
	size_t i;

	for (i = 0; env && env[i]; i++)
		free(env[i]);
	kfree(env);
}

/*
 * Without close_range() (Linux 5.9), descriptors below this are closed or
 * marked one by one: the emulator's own stay far below it.
 */
#define FALLBACK_FD_LIMIT 4096

/* What the child needs between fork and exec. */
struct exec_args {
	int blob_fd, in_fd, out_fd, err_fd, status_fd;
	char *const *argv, *const *envp;
	int exec_fault;			/* errno to fail the exec with, or 0 */
	void (*fn)(void *arg);		/* umd_emu_set_handler_fn() */
	void *fn_arg;
	const struct umd_emu_handler_ns *ns;	/* NULL: the emulator's */
	const struct umd_emu_debug *debug;	/* under a debugger, or NULL */
};

/* In the child, between fork and exec: async-signal-safe calls only. */
static __attribute__((noreturn)) void handler_exec(const struct exec_args *a)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int sig, fd, e, blob_fd, in_fd, out_fd, err_fd, status_fd;
	sigset_t none;

	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* Move everything above the target fds first. */
	blob_fd = fcntl(a->blob_fd, F_DUPFD_CLOEXEC, 10);
	in_fd = fcntl(a->in_fd, F_DUPFD_CLOEXEC, 10);
	out_fd = fcntl(a->out_fd, F_DUPFD_CLOEXEC, 10);
	err_fd = fcntl(a->err_fd, F_DUPFD_CLOEXEC, 10);
	status_fd = fcntl(a->status_fd, F_DUPFD_CLOEXEC, 10);
	if (blob_fd < 0 || in_fd < 0 || out_fd < 0 || err_fd < 0 ||
	    status_fd < 0)
		goto fail;
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		goto fail;
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC)) {
		for (fd = 3; fd < FALLBACK_FD_LIMIT; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}

	umask(0022);
	setpriority(PRIO_PROCESS, 0, 0);
	/* Its own /dev/kmsg, its cwd a private tmpfs (emu/umh.c). */
	e = umd_emu_handler_ns_enter(a->ns);
	if (e) {
		errno = -e;
		goto fail;
	}
	if (a->exec_fault) {
		errno = a->exec_fault;
		goto fail;
	}
	if (a->fn) {
		/*
		 * No exec to close the inherited descriptors: close them all,
		 * the status pipe too, which tells the parent "exec happened".
		 */
		if (syscall(SYS_close_range, 3U, ~0U, 0))
			for (fd = 3; fd < FALLBACK_FD_LIMIT; fd++)
				close(fd);
		a->fn(a->fn_arg);
		_exit(0);
	}
	if (a->debug) {
		e = umd_emu_debug_child(a->debug, blob_fd, a->envp);
		if (e) {
			errno = -e;
			goto fail;
		}
	}
	fexecve(blob_fd, a->argv, a->envp);
fail:
	e = errno;
	if (write(status_fd, &e, sizeof(e)) != sizeof(e))
		e = 0;
	_exit(127);
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/* What starting a handler holds until it runs (or fails to). */
struct handler_start {
	int to[2], from[2];		/* request and reply pipes */
	int err[2];			/* its stderr, into the kernel log */
	int status[2];			/* the exec's errno, or EOF on exec */
	struct file *to_file, *from_file;	/* own to[1], from[0] */
	struct umd_emu_channel *chan;
	char **envp;
};

static void start_release(struct handler_start *hs)
{
	if (hs->to_file) {
		fput(hs->to_file);
		hs->to[1] = -1;
	}
	if (hs->from_file) {
		fput(hs->from_file);
		hs->from[0] = -1;
	}
	close_pair(hs->to);
	close_pair(hs->from);
	close_pair(hs->err);
	close_pair(hs->status);
	free_env(hs->envp);
}

/*
 * The pipes, their files and the channel that follows the protocol. A
 * thread handler has no stderr and no exec to report.
 */
static int start_pipes(struct handler_start *hs, const char *driver,
		       bool thread)
{
	struct umd_emu_fault f;

	if (umd_emu_should_fail(FAULT_PIPE, 0, &f))
		return f.error;
	if (pipe2(hs->to, O_CLOEXEC) || pipe2(hs->from, O_CLOEXEC))
		return -errno;
	if (!thread && (pipe2(hs->err, O_CLOEXEC) ||
			pipe2(hs->status, O_CLOEXEC)))
		return -errno;
	hs->to_file = umd_emu_file_from_fd(hs->to[1], FMODE_WRITE);
	hs->from_file = umd_emu_file_from_fd(hs->from[0], FMODE_READ);
	/* Both pipes share the channel that injects crashes and timeouts. */
	hs->chan = umd_emu_channel_create(driver, hs->to[1]);
	if (!hs->to_file || !hs->from_file || !hs->chan) {
		umd_emu_channel_put(hs->chan);
		return -ENOMEM;
	}
	umd_emu_channel_get(hs->chan);
	hs->to_file->f_emu_chan = hs->chan;
	hs->from_file->f_emu_chan = hs->chan;
	return 0;
}

/*
 * UMH_WAIT_EXEC: fork, and wait until the child has exec'ed (the status
 * pipe closes) or failed to (it carries errno, and the child exits).
 * Returns the child's pid and its pidfd in *pidfd, or a negative errno
 * with no child left.
 */
static pid_t start_child(struct handler_start *hs, struct umd_info *info,
			 int *pidfd)
{
	char *argv[] = { (char *)info->driver_name, NULL };
	struct umd_emu_debug *debug = NULL;
	struct umd_emu_fault f;
	struct exec_args ea;
	int exec_err, err;
	pid_t child;
	ssize_t n;

	if (umd_emu_should_fail(FAULT_FORK, 0, &f))
		return f.error;
	ea = (struct exec_args){
		.blob_fd = info->wd.mnt->blob_fd, .in_fd = hs->to[0],
		.out_fd = hs->from[1], .err_fd = hs->err[1],
		.status_fd = hs->status[1], .argv = argv, .envp = hs->envp,
		.fn_arg = handler_fn_arg,
	};
	if (umd_emu_should_fail(FAULT_EXEC, 0, &f))
		ea.exec_fault = -f.error;
	if (handler_fn && !strcmp(handler_fn_driver, info->driver_name))
		ea.fn = handler_fn;
	else
		ea.ns = umd_emu_handler_ns();
	/* "umd-emu debug DRIVER": under gdb, strace or valgrind. */
	if (!ea.fn && !ea.exec_fault)
		debug = umd_emu_debug_take(info->driver_name, ea.blob_fd);
	ea.debug = debug;
	child = fork();
	if (child < 0) {
		err = -errno;
		umd_emu_debug_end(debug, err, NULL);
		return err;
	}
	if (child == 0)
		handler_exec(&ea);

	/* The child's ends. */
	close(hs->to[0]);
	close(hs->from[1]);
	close(hs->err[1]);
	close(hs->status[1]);
	hs->to[0] = hs->from[1] = hs->err[1] = hs->status[1] = -1;

	do {
		n = read(hs->status[0], &exec_err, sizeof(exec_err));
	} while (n < 0 && errno == EINTR);
	close_pair(hs->status);

	*pidfd = syscall(SYS_pidfd_open, child, 0);
	if (n == 0 && *pidfd >= 0) {
		if (!debug)
			return child;
		err = umd_emu_debug_started(debug, child, *pidfd, hs->envp);
		if (!err) {
			umd_emu_channel_set_debugged(hs->chan);
			return child;
		}
		kill(child, SIGKILL);
	} else if (n == sizeof(exec_err)) {
		err = -exec_err;	/* the child exits by itself */
		umd_emu_debug_end(debug, err, NULL);
	} else {
		err = n == 0 ? -errno : -ECHILD;
		if (n == 0)
			pr_err("umd-emu: pidfd_open() of %s[%d] failed: %s (%s)\n",
			       info->driver_name, child, strerror(-err),
			       err == -ENOSYS ?
			       "not implemented: is umd-emu running under valgrind? It lacks pidfd_open; run the handler under it instead: umd-emu debug DRIVER --valgrind" :
			       "Linux 5.3 or later is needed");
		umd_emu_debug_end(debug, err, NULL);
		kill(child, SIGKILL);
	}
	if (*pidfd >= 0)
		close(*pidfd);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	return err;
}

/*
 * A thread handler (umd_emu_set_handler_thread()): the fault points of a
 * fork and an exec apply as they would to a process; the thread takes the
 * handler's pipe ends.
 */
static struct pid *start_thread(struct handler_start *hs,
				struct umd_info *info, int *err)
{
	struct umd_emu_fault f;
	struct pid *tgid;

	if (umd_emu_should_fail(FAULT_FORK, 0, &f) ||
	    umd_emu_should_fail(FAULT_EXEC, 0, &f)) {
		*err = f.error;
		return NULL;
	}
	tgid = umd_emu_pid_create_thread(info->driver_name, handler_thread,
					 handler_thread_arg, hs->to[0],
					 hs->from[1]);
	hs->to[0] = hs->from[1] = -1;
	*err = tgid ? 0 : -ENOMEM;
	return tgid;
}

/**
 * fork_usermode_driver - fork a usermode driver
 * @info: information about usermode driver (shouldn't be NULL)
 *
 * Return: 0 on success (info->pipe_to_umh, info->pipe_from_umh and
 * info->tgid set), -EBUSY if a handler is already running, the exec error
 * (e.g. -ENOEXEC for a blob that is not an executable), or another
 * negative errno.
 */
int fork_usermode_driver(struct umd_info *info)
{
	struct handler_start hs = {
		.to = { -1, -1 }, .from = { -1, -1 },
		.err = { -1, -1 }, .status = { -1, -1 },
	};
	struct pid *tgid;
	pid_t child;
	int pidfd = -1, err;

	if (WARN_ON_ONCE(info->tgid))
		return -EBUSY;
	if (!info->wd.mnt)
		return -ENOENT;

	if (is_thread_handler(info)) {
		err = start_pipes(&hs, info->driver_name, true);
		if (err)
			goto out;
		tgid = start_thread(&hs, info, &err);
		if (!tgid)
			goto out;
		goto started;
	}
	hs.envp = handler_env();
	if (!hs.envp)
		return -ENOMEM;
	err = start_pipes(&hs, info->driver_name, false);
	if (err)
		goto out;
	child = start_child(&hs, info, &pidfd);
	if (child < 0) {
		err = child;
		goto out;
	}
	/* From here its stderr pipe belongs to the struct pid. */
	tgid = umd_emu_pid_create(child, pidfd, info->driver_name, hs.err[0]);
	if (!tgid) {
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		close(pidfd);
		err = -ENOMEM;
		goto out;
	}
	hs.err[0] = -1;
	if (umd_emu_kill_grace_ms() &&
	    umd_emu_blob_has(info->wd.mnt->blob_fd, UMD_EMU_COV_FLUSH_MARKER))
		umd_emu_pid_set_flush_on_rtmax(tgid);
started:
	umd_emu_channel_set_pid(hs.chan, tgid);

	info->pipe_to_umh = hs.to_file;
	info->pipe_from_umh = hs.from_file;
	info->tgid = tgid;
	free_env(hs.envp);
	return 0;

out:
	start_release(&hs);
	return err;
}
EXPORT_SYMBOL_GPL(fork_usermode_driver);

/**
 * umd_cleanup_helper - release the resources which were allocated in umd_setup
 * @info: information about usermode driver
 *
 * Drop both pipes and the pid reference. As in the kernel, the two file
 * pointers are left as they are (dangling); tgid is cleared.
 */
void umd_cleanup_helper(struct umd_info *info)
{
	fput(info->pipe_to_umh);
	fput(info->pipe_from_umh);
	put_pid(info->tgid);
	info->tgid = NULL;
}
EXPORT_SYMBOL_GPL(umd_cleanup_helper);
