// SPDX-License-Identifier: GPL-2.0
/*
 * What an exploited PGP parser would try, done for real on a magic request
 * ("UMD-EMU-ATTACK:NAME" at the start of the data), in the attack builds of
 * the handler only (pgp_umh_attack, confined; pgp_umh_attack_unconfined).
 * Each attempt is logged on fd 2 before it is made ("trying") and after it
 * if the process is still there ("succeeded: ..." or "failed: ERRNO");
 * tests/e2e/pgp-isolation.sh reads these lines and the handler's end.
 *
 *   open          open("/etc/passwd") and read from it
 *   socket        socket(AF_INET, SOCK_STREAM)
 *   execve        execve("/bin/sh"), which logs that it ran, then exits
 *   ptrace:PID    ptrace(PTRACE_ATTACH) to process PID (the test starts a
 *                 sleep for it), read one word of its memory, detach
 *   stderr-flood  64 KiB to fd 2 in one write(2)
 *   stderr-lines  64 KiB to fd 2 in 64 writes of 1 KiB (not covered:
 *                 the confined handler may write log lines, see confine.c)
 *   fork          fork() a child that exits at once
 *   mmap-exec     map memory writable and executable
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "pgp_attacks.h"

#define LOG_LEN	512

/* One log line on fd 2, in one write(2) (a confined handler's rule). */
static void attack_log(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void attack_log(const char *name, const char *fmt, ...)
{
	char line[LOG_LEN];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "<5>UMD-EMU-ATTACK %s: ", name);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(2, line, n) < 0)
		return;
}

/* "failed: EPERM (Operation not permitted)" into out. */
static void failed(char *out, size_t size, int err)
{
	snprintf(out, size, "failed: %s (%s)", strerrorname_np(err) ?: "?",
		 strerror(err));
}

static void try_open(char *out, size_t size)
{
	char buf[17];
	ssize_t n, i;
	int fd = open("/etc/passwd", O_RDONLY);

	if (fd < 0)
		return failed(out, size, errno);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		n = 0;
	for (i = 0; i < n; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			buf[i] = '.';
	buf[n] = '\0';
	snprintf(out, size, "succeeded: read /etc/passwd: \"%s\"", buf);
}

static void try_socket(char *out, size_t size)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return failed(out, size, errno);
	close(fd);
	snprintf(out, size, "succeeded: an AF_INET socket (fd %d)", fd);
}

static void try_execve(char *out, size_t size)
{
	char *argv[] = { "sh", "-c",
		"echo \"<5>UMD-EMU-ATTACK execve: succeeded: /bin/sh ran as uid $(id -u)\" >&2",
		NULL };
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };

	execve("/bin/sh", argv, envp);
	failed(out, size, errno);
}

/*
 * Attach to a process of the test's (not to the parent: an attach to the
 * emulator would stop it, and PTRACE_TRACEME leaves the handler stopped at
 * its next signal with nobody to continue it).
 */
static void try_ptrace(char *out, size_t size, const char *arg)
{
	long pid = 0, word;
	int status;

	while (*arg >= '0' && *arg <= '9' && pid < 10000000)
		pid = pid * 10 + *arg++ - '0';
	if (pid <= 1) {
		snprintf(out, size, "no target: give it as ptrace:PID");
		return;
	}
	if (ptrace(PTRACE_ATTACH, (pid_t)pid, NULL, NULL))
		return failed(out, size, errno);
	if (waitpid((pid_t)pid, &status, __WALL) != pid) {
		failed(out, size, errno);
		ptrace(PTRACE_DETACH, (pid_t)pid, NULL, NULL);
		return;
	}
	errno = 0;
	word = ptrace(PTRACE_PEEKUSER, (pid_t)pid,
		      (void *)offsetof(struct user_regs_struct, rip), NULL);
	ptrace(PTRACE_DETACH, (pid_t)pid, NULL, NULL);
	if (errno)
		return failed(out, size, errno);
	snprintf(out, size, "succeeded: attached to pid %ld, read its rip %#lx, detached",
		 pid, (unsigned long)word);
}

static void try_stderr(char *out, size_t size, size_t total, size_t chunk)
{
	static char buf[64 * 1024];
	size_t i, done = 0;
	ssize_t n;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i % 128 == 127 ? '\n' : 'A' + i / 128 % 26;
	while (done < total) {
		n = write(2, buf + done, chunk);
		if (n < 0)
			return failed(out, size, errno);
		done += n;
	}
	snprintf(out, size, "succeeded: %zu bytes to fd 2 in writes of %zu",
		 done, chunk);
}

static void try_fork(char *out, size_t size)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return failed(out, size, errno);
	if (!pid)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid)
		return failed(out, size, errno);
	snprintf(out, size, "succeeded: child %d ran and exited with %d",
		 (int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void try_mmap_exec(char *out, size_t size)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return failed(out, size, errno);
	munmap(p, 4096);
	snprintf(out, size, "succeeded: 4 KiB writable and executable");
}

bool pgp_attack(const uint8_t *data, size_t len, struct pgp_umd_reply *reply)
{
	size_t magic = strlen(PGP_ATTACK_MAGIC), n;
	char name[32], arg[16] = "", out[256];

	if (len < magic || memcmp(data, PGP_ATTACK_MAGIC, magic))
		return false;
	for (n = 0; n < sizeof(name) - 1 && magic + n < len; n++) {
		char c = data[magic + n];

		if (!((c >= 'a' && c <= 'z') || c == '-'))
			break;
		name[n] = c;
	}
	name[n] = '\0';
	/* ":ARG" after the name (ptrace's target pid) */
	n = magic + n;
	if (n < len && data[n] == ':') {
		size_t i;

		for (i = 0; i < sizeof(arg) - 1 && n + 1 + i < len &&
		     data[n + 1 + i] >= '0' && data[n + 1 + i] <= '9'; i++)
			arg[i] = data[n + 1 + i];
		arg[i] = '\0';
	}

	attack_log(name, "trying");
	snprintf(out, sizeof(out), "unknown attack");
	if (!strcmp(name, "open"))
		try_open(out, sizeof(out));
	else if (!strcmp(name, "socket"))
		try_socket(out, sizeof(out));
	else if (!strcmp(name, "execve"))
		try_execve(out, sizeof(out));
	else if (!strcmp(name, "ptrace"))
		try_ptrace(out, sizeof(out), arg);
	else if (!strcmp(name, "stderr-flood"))
		try_stderr(out, sizeof(out), 64 * 1024, 64 * 1024);
	else if (!strcmp(name, "stderr-lines"))
		try_stderr(out, sizeof(out), 64 * 1024, 1024);
	else if (!strcmp(name, "fork"))
		try_fork(out, sizeof(out));
	else if (!strcmp(name, "mmap-exec"))
		try_mmap_exec(out, sizeof(out));
	attack_log(name, "%s", out);

	reply->ret = -EBADMSG;
	memset(&reply->key, 0, sizeof(reply->key));
	n = strlen(out);
	if (n > sizeof(reply->key.uid) - 1)
		n = sizeof(reply->key.uid) - 1;
	memcpy(reply->key.uid, out, n);
	reply->key.uid_len = n;
	return true;
}
