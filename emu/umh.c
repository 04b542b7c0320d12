// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: the world a handler starts in (kernel/umh.c gives a
 * usermode helper its credentials, cwd and files).
 *
 * A kernel starts a handler with its working directory the root of the
 * private tmpfs holding its blob, and /dev/kmsg is the kernel's log. Here
 * the handler is a process on the host, so /dev/kmsg would be the host's
 * log (as root) or closed to it (as a normal user, where the seed's own
 * handler crashed on fopen()'s NULL). So handlers start in a mount
 * namespace of the emulator's, inside a user namespace of their user's
 * where unprivileged, in which /dev/kmsg is a symlink to /proc/self/fd/2:
 * what a handler writes there is its stderr, which the emulator logs as
 * the kernel log, line by line, with the "<N>" level prefix of /dev/kmsg.
 * Its working directory is the root of a tmpfs that is mounted nowhere,
 * so its path is "/", as on a kernel.
 *
 * The namespace is made once per emulator by a helper process (a process
 * with threads cannot unshare a user namespace): it is cloned straight
 * into new namespaces (clone(2) with CLONE_NEWNS, and CLONE_NEWUSER where
 * unprivileged, not fork() and unshare(): a sanitizer's runtime may start
 * a thread of its own in a forked child, and unshare() of a user
 * namespace refuses a process with threads), mounts, and hands back
 * descriptors of its namespaces and of the tmpfs; handlers join
 * them with setns() between fork and exec. It holds a copy of every mount
 * of the host at that moment: a front end makes it (umd_emu_handler_ns_ready())
 * before mounting anything of its own, or the copy would keep that mount
 * alive after the front end unmounts it. Mounts the host unmounts later
 * leave the copy too where they are shared (propagation); private ones
 * stay in it until the emulator ends. Where the host refuses (no user
 * namespaces for unprivileged users, a kernel before 5.2's mount API), the
 * kernel log says so once and handlers start as before, in the emulator's
 * namespace with "/" as cwd. UMD_EMU_HANDLER_NS=0 asks for that too.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kernel.h>

#include "emu.h"
#include "internal.h"

static struct umd_emu_handler_ns handler_ns = {
	.user_fd = -1, .mnt_fd = -1, .cwd_fd = -1,
};
static pthread_once_t ns_once = PTHREAD_ONCE_INIT;

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* "ID ID 1": the user's own id, and nothing else, inside. */
static int map_self(const char *path, unsigned long id)
{
	char map[64], *p;

	p = umd_emu_put_ulong(map, id);
	*p++ = ' ';
	p = umd_emu_put_ulong(p, id);
	strcpy(p, " 1");
	return write_file(path, map);
}

/* A tmpfs mounted nowhere: a descriptor of its root, or -errno. */
static int detached_tmpfs(void)
{
	int fs, mnt;

	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	if (fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0755", 0) ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "size", "1m", 0) ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
		mnt = -errno;
		close(fs);
		return mnt;
	}
	mnt = fsmount(fs, FSMOUNT_CLOEXEC,
		      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		mnt = -errno;
	close(fs);
	return mnt;
}

/*
 * In the helper (a fresh process, async-signal-safe calls only): enter the
 * new namespaces and set them up. 0, or the step that failed with errno.
 */
static int helper_setup(const char **step, int *cwd_fd)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int links, tree, err;

	if (uid) {
		*step = "the user namespace's id maps";
		err = write_file("/proc/self/setgroups", "deny");
		if (!err)
			err = map_self("/proc/self/uid_map", uid);
		if (!err)
			err = map_self("/proc/self/gid_map", gid);
		if (err)
			return err;
	}
	/*
	 * Nothing mounted here shows on the host; what the host unmounts
	 * (where its mounts are shared) goes here too, so that this copy
	 * does not keep it alive.
	 */
	*step = "making mounts slaves of the host's";
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL))
		return -errno;
	/* /dev/kmsg: a symlink to the handler's stderr, mounted over it. */
	*step = "a tmpfs (the kernel's mount API)";
	links = detached_tmpfs();
	if (links < 0)
		return links;
	*step = "/dev/kmsg";
	if (symlinkat("/proc/self/fd/2", links, "kmsg"))
		return -errno;
	tree = open_tree(links, "kmsg", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			 AT_SYMLINK_NOFOLLOW);
	if (tree < 0 ||
	    move_mount(tree, "", AT_FDCWD, "/dev/kmsg",
		       MOVE_MOUNT_F_EMPTY_PATH))
		return -errno;
	*step = "the working directory's tmpfs";
	*cwd_fd = detached_tmpfs();
	return *cwd_fd < 0 ? *cwd_fd : 0;
}

static void send_fds(int sock, const char *text, const int *fds, int nfds)
{
	char control[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { .iov_base = (void *)text,
			     .iov_len = strlen(text) + 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;

	if (nfds) {
		memset(control, 0, sizeof(control));
		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cmsg), fds, nfds * sizeof(int));
	}
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		_exit(1);
}

static __attribute__((noreturn)) void helper_main(int sock)
{
	const char *step = "";
	char text[256], *p;
	int fds[3], err, cwd_fd = -1;

	err = helper_setup(&step, &cwd_fd);
	if (err) {
		/* "E<errno> <step>" */
		text[0] = 'E';
		p = umd_emu_put_ulong(text + 1, -err);
		*p++ = ' ';
		strncpy(p, step, sizeof(text) - (p - text) - 1);
		text[sizeof(text) - 1] = '\0';
		send_fds(sock, text, NULL, 0);
		_exit(0);
	}
	fds[0] = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	fds[1] = cwd_fd;
	fds[2] = geteuid() ? open("/proc/self/ns/user",
				  O_RDONLY | O_CLOEXEC) : -1;
	if (fds[0] < 0 || (geteuid() && fds[2] < 0)) {
		send_fds(sock, "E2 opening the namespaces", NULL, 0);
		_exit(0);
	}
	send_fds(sock, "ok", fds, geteuid() ? 3 : 2);
	_exit(0);
}

/* Receive the helper's answer: 0 with the descriptors, or -errno. */
static int receive(int sock, char *text, size_t size)
{
	char control[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { .iov_base = text, .iov_len = size - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;
	int fds[3] = { -1, -1, -1 };
	ssize_t n;

	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? -errno : -EPIPE;
	text[n] = '\0';
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg && cmsg->cmsg_level == SOL_SOCKET &&
	    cmsg->cmsg_type == SCM_RIGHTS)
		memcpy(fds, CMSG_DATA(cmsg),
		       cmsg->cmsg_len - CMSG_LEN(0));
	if (strcmp(text, "ok"))
		return -EINVAL;
	handler_ns.mnt_fd = fds[0];
	handler_ns.cwd_fd = fds[1];
	handler_ns.user_fd = fds[2];
	return 0;
}

static void ns_setup(void)
{
	const char *env = getenv("UMD_EMU_HANDLER_NS");
	char text[256] = "";
	int sp[2], err;
	pid_t pid;

	if (env && !strcmp(env, "0")) {
		pr_notice("umd-emu: UMD_EMU_HANDLER_NS=0: handlers start in the emulator's mount namespace (their /dev/kmsg is the host's, their cwd /)\n");
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp)) {
		err = -errno;
		goto fail;
	}
	/* fork() into new namespaces: the child returns 0, as from fork(). */
	pid = syscall(SYS_clone, (geteuid() ? CLONE_NEWUSER : 0) |
		      CLONE_NEWNS | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0) {
		close(sp[0]);
		helper_main(sp[1]);
	}
	err = -errno;
	close(sp[1]);
	if (pid < 0) {
		close(sp[0]);
		strcpy(text, "E0 clone() into new namespaces");
		goto fail;
	}
	err = receive(sp[0], text, sizeof(text));
	close(sp[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (!err)
		return;
	if (text[0] == 'E')
		err = -atoi(text + 1);
fail:
	pr_notice("umd-emu: handlers start without a namespace of their own (%s%s%s): their /dev/kmsg is the host's, their cwd /\n",
		  text[0] == 'E' && strchr(text, ' ') ? strchr(text, ' ') + 1 :
		  "", text[0] == 'E' ? ": " : "", strerror(-err));
}

const struct umd_emu_handler_ns *umd_emu_handler_ns(void)
{
	pthread_once(&ns_once, ns_setup);
	return handler_ns.mnt_fd >= 0 ? &handler_ns : NULL;
}

int umd_emu_handler_ns_enter(const struct umd_emu_handler_ns *ns)
{
	if (!ns)
		return chdir("/") ? -errno : 0;
	if (ns->user_fd >= 0 && setns(ns->user_fd, CLONE_NEWUSER))
		return -errno;
	if (setns(ns->mnt_fd, CLONE_NEWNS) || fchdir(ns->cwd_fd))
		return -errno;
	return 0;
}

bool umd_emu_handler_ns_ready(void)
{
	return umd_emu_handler_ns() != NULL;
}
