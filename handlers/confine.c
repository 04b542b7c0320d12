// SPDX-License-Identifier: GPL-2.0
/*
 * umd_confine(): what a UMD handler may still do once it has set itself
 * up. A handler parses untrusted input; if a bug in it is exploited, the
 * process must be able to do nothing but what its protocol needs:
 *
 *   read(0, ...)                  the next request
 *   write(1, ...)                 the reply
 *   write(2, buf, n <= 1024)      a log line (fd 2 is the log: the
 *                                 emulator's pipe, or /dev/kmsg on a kernel)
 *   brk, mmap/mprotect without PROT_EXEC, munmap, mremap, madvise
 *                                 malloc()
 *   rt_sigprocmask, getpid, gettid, tgkill(own pid, ...)
 *                                 abort() (an assert fails: SIGABRT)
 *   rt_sigreturn, restart_syscall, exit, exit_group
 *
 * Anything else, or any call on another architecture or ABI (x32, i386),
 * kills the whole process with SIGSYS (SECCOMP_RET_KILL_PROCESS, no core:
 * the process is not dumpable). no_new_privs is set first (an unprivileged
 * process needs it to install a filter; it also keeps an execve, were it
 * allowed, from gaining privileges).
 *
 * Sanitizer builds (a sanitizer runtime is linked: ASan, UBSan, LSan) allow
 * more, so that a report can still be written when a bug is found after
 * confinement: the symbolizer is started and /proc/self/maps cached before
 * the filter (__sanitizer_sandbox_on_notify()); then write(2) to fd 2 of
 * up to 16 KiB (one piece of a report), read and write on the symbolizer's pipes (fds 3 and
 * above), sched_yield, sigaltstack, rt_sigaction and the tgkill of abort
 * (abort_on_error=1). LeakSanitizer's check at exit needs ptrace, clone and
 * /proc, which stay forbidden: a confined sanitizer build ends at exit()
 * with _exit() and its exit status, without a leak check (see
 * docs/YOUR-UMD.md). open, socket, execve, ptrace, fork and executable
 * memory are forbidden in every build.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "confine.h"

#if !defined(__x86_64__)
#error "umd_confine: the filter is written for x86-64 only"
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#define X32_SYSCALL_BIT 0x40000000U

/*
 * Sanitizer builds: the most one write(2) of a report takes (the
 * sanitizers' Printf() formats into a buffer of 16 KiB at most).
 */
#define UMD_CONFINE_REPORT_MAX	(16 * 1024)

/* Set by a sanitizer runtime, if one is linked (weak: NULL otherwise). */
struct __sanitizer_sandbox_arguments {
	int coverage_sandboxed;
	intptr_t coverage_fd;
	unsigned int coverage_max_block_size;
};
void __sanitizer_sandbox_on_notify(struct __sanitizer_sandbox_arguments *args)
	__attribute__((weak));
void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out_buf,
			      size_t out_buf_size) __attribute__((weak));

enum cond_op {
	ARG_EQ,		/* arg == value */
	ARG_LE,		/* arg <= value (value < 2^32) */
	ARG_GE,		/* arg >= value (value < 2^32) */
	ARG_CLEAR,	/* (arg & value) == 0 (value < 2^32) */
};

struct cond {
	unsigned int arg;
	enum cond_op op;
	uint64_t value;
};

/* Allow syscall nr (or fail it with errno) if every condition holds. */
struct rule {
	int nr;
	unsigned int nconds;
	struct cond conds[2];
	int errno_ret;		/* 0: allow */
};

#define ALLOW(n)		{ .nr = (n) }
#define FAIL(n, e)		{ .nr = (n), .errno_ret = (e) }
#define ALLOW_IF(n, ...)	{ .nr = (n), \
	.nconds = sizeof((struct cond[]){ __VA_ARGS__ }) / sizeof(struct cond), \
	.conds = { __VA_ARGS__ } }
#define ARG(i, o, v)		{ .arg = (i), .op = (o), .value = (v) }

#define MAX_INSNS	512

struct prog {
	struct sock_filter insns[MAX_INSNS];
	unsigned int len;
	int overflow;
};

static void emit(struct prog *p, struct sock_filter insn)
{
	if (p->len >= MAX_INSNS) {
		p->overflow = 1;
		return;
	}
	p->insns[p->len++] = insn;
}

#define STMT(code, k)		((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, jt, jf)	((struct sock_filter)BPF_JUMP(code, k, jt, jf))
#define ARG_LO(i)	(offsetof(struct seccomp_data, args[i]))
#define ARG_HI(i)	(offsetof(struct seccomp_data, args[i]) + 4)

/* Instructions one condition takes (they all jump to "next" on failure). */
static unsigned int cond_len(const struct cond *c __attribute__((unused)))
{
	return 4;	/* load high, check, load low, check */
}

/*
 * One rule: load nr, compare, check each condition, allow. A failed
 * comparison jumps to the next rule (the instruction after this block).
 */
static void emit_rule(struct prog *p, const struct rule *r)
{
	unsigned int len = 3, i, start = p->len;
	const struct cond *c;

	for (i = 0; i < r->nconds; i++)
		len += cond_len(&r->conds[i]);
#define TO_NEXT	(len - (p->len - start) - 1)
	emit(p, STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
	emit(p, JUMP(BPF_JMP | BPF_JEQ | BPF_K, r->nr, 0, TO_NEXT));
	for (i = 0; i < r->nconds; i++) {
		c = &r->conds[i];
		emit(p, STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(c->arg)));
		emit(p, JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			     c->op == ARG_EQ ? (uint32_t)(c->value >> 32) : 0,
			     0, TO_NEXT));
		emit(p, STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(c->arg)));
		switch (c->op) {
		case ARG_EQ:
			emit(p, JUMP(BPF_JMP | BPF_JEQ | BPF_K,
				     (uint32_t)c->value, 0, TO_NEXT));
			break;
		case ARG_LE:
			emit(p, JUMP(BPF_JMP | BPF_JGT | BPF_K,
				     (uint32_t)c->value, TO_NEXT, 0));
			break;
		case ARG_GE:
			emit(p, JUMP(BPF_JMP | BPF_JGE | BPF_K,
				     (uint32_t)c->value, 0, TO_NEXT));
			break;
		case ARG_CLEAR:
			emit(p, JUMP(BPF_JMP | BPF_JSET | BPF_K,
				     (uint32_t)c->value, TO_NEXT, 0));
			break;
		}
	}
	emit(p, STMT(BPF_RET | BPF_K, r->errno_ret ?
		     SECCOMP_RET_ERRNO | (r->errno_ret & SECCOMP_RET_DATA) :
		     SECCOMP_RET_ALLOW));
#undef TO_NEXT
}

static void emit_rules(struct prog *p, const struct rule *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		emit_rule(p, &r[i]);
}

/* Every build: the protocol, malloc, abort, exit. */
static void emit_base(struct prog *p, pid_t self)
{
	const struct rule rules[] = {
		ALLOW_IF(__NR_read, ARG(0, ARG_EQ, 0)),
		ALLOW_IF(__NR_write, ARG(0, ARG_EQ, 1)),
		ALLOW_IF(__NR_write, ARG(0, ARG_EQ, 2),
			 ARG(2, ARG_LE, UMD_CONFINE_LOG_MAX)),
		ALLOW(__NR_exit_group),
		ALLOW(__NR_exit),
		ALLOW(__NR_rt_sigreturn),
		ALLOW(__NR_restart_syscall),
		ALLOW(__NR_brk),
		ALLOW_IF(__NR_mmap, ARG(2, ARG_CLEAR, PROT_EXEC)),
		ALLOW_IF(__NR_mprotect, ARG(2, ARG_CLEAR, PROT_EXEC)),
		ALLOW(__NR_munmap),
		ALLOW(__NR_mremap),
		ALLOW(__NR_madvise),
		ALLOW(__NR_rt_sigprocmask),
		ALLOW(__NR_getpid),
		ALLOW(__NR_gettid),
		ALLOW_IF(__NR_tgkill, ARG(0, ARG_EQ, (uint64_t)self)),
	};

	emit_rules(p, rules, sizeof(rules) / sizeof(rules[0]));
}

/* Sanitizer builds: what writing a report (and dying of it) needs. */
static void emit_sanitizer(struct prog *p)
{
	const struct rule rules[] = {
		ALLOW_IF(__NR_write, ARG(0, ARG_EQ, 2),
			 ARG(2, ARG_LE, UMD_CONFINE_REPORT_MAX)),
		ALLOW(__NR_sched_yield),
		ALLOW(__NR_futex),
		ALLOW(__NR_sigaltstack),
		ALLOW(__NR_rt_sigaction),
		/*
		 * The report's header: the binary's name and command line.
		 * Refused, not allowed: the report goes on without them.
		 * The sanitizers use the old open(2); the C library's open()
		 * and fopen() use openat(2), which still kills.
		 */
		FAIL(__NR_readlink, EACCES),
		FAIL(__NR_open, EACCES),
		FAIL(__NR_ioctl, ENOTTY),	/* isatty(2): colours */
		/*
		 * An external symbolizer (llvm-symbolizer) would be started
		 * now, for frames the built-in one cannot name: refused, so
		 * those frames are printed as module+offset.
		 */
		FAIL(__NR_pipe2, EMFILE),
		FAIL(__NR_pipe, EMFILE),
	};

	emit_rules(p, rules, sizeof(rules) / sizeof(rules[0]));
}

/* LeakSanitizer's check at exit cannot run confined: end without it. */
static void exit_without_leak_check(int status,
				    void *arg __attribute__((unused)))
{
	_exit(status);
}

static int sanitized(void)
{
	return __sanitizer_sandbox_on_notify != NULL;
}

int umd_confine(void)
{
	static struct prog p;
	struct sock_fprog fprog;
	pid_t self = getpid();

	p.len = 0;
	p.overflow = 0;
	/* The architecture (x86-64 only), then no x32 system calls. */
	emit(&p, STMT(BPF_LD | BPF_W | BPF_ABS,
		      offsetof(struct seccomp_data, arch)));
	emit(&p, JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
	emit(&p, STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
	emit(&p, STMT(BPF_LD | BPF_W | BPF_ABS,
		      offsetof(struct seccomp_data, nr)));
	emit(&p, JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1));
	emit(&p, STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
	emit_base(&p, self);
	if (sanitized())
		emit_sanitizer(&p);
	emit(&p, STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
	if (p.overflow)
		return -E2BIG;

	if (sanitized()) {
		struct __sanitizer_sandbox_arguments args = { 0 };

		char sym[128];

		/* Cache the mappings, start the symbolizer (a first use). */
		__sanitizer_sandbox_on_notify(&args);
		if (__sanitizer_symbolize_pc)
			__sanitizer_symbolize_pc(__builtin_return_address(0),
						 "%p %F %L", sym, sizeof(sym));
		if (on_exit(exit_without_leak_check, NULL))
			return -ENOMEM;
	}
#ifdef UMD_CONFINE_COVERAGE
	/*
	 * A gcov build (-Db_coverage, meson defines this) would write its
	 * counters at exit, opening files: killed. It ends without them
	 * instead (what the handler's code reaches is measured where it is
	 * linked in process: the parser's unit test).
	 */
	else if (on_exit(exit_without_leak_check, NULL)) {
		return -ENOMEM;
	}
#endif

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		return -errno;
	fprog.len = p.len;
	fprog.filter = p.insns;
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0))
		return -errno;
	return 0;
}
