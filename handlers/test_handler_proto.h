/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol of umd_test_handler, the handler the test suite drives.
 * Shared by the handler and the tests (kernel side, via <linux/types.h>
 * or <stdint.h>).
 *
 * A request is a struct test_req followed by (req_len - sizeof(header))
 * payload bytes, byte i being test_pattern(seed, i). The reply is
 * reply_len bytes: a struct test_reply_head (when reply_len allows) then
 * test_pattern(seed ^ TEST_REPLY_XOR, i) for the remaining bytes i.
 */
#ifndef TEST_HANDLER_PROTO_H
#define TEST_HANDLER_PROTO_H

#define TEST_MAGIC	0x554d4421u	/* "UMD!" */
#define TEST_REPLY_XOR	0x5a5a5a5au

enum test_op {
	TEST_OP_ECHO = 1,	/* verify payload, reply */
	TEST_OP_BYTEWISE,	/* same, one byte per read(2)/write(2) */
	TEST_OP_EXIT,		/* exit(arg) after reading the request */
	TEST_OP_DIE_MID_REPLY,	/* write arg reply bytes, then SIGKILL self */
	TEST_OP_SLEEP,		/* sleep arg ms, then reply */
	TEST_OP_INFO,		/* reply with struct test_info */
	TEST_OP_STDERR,		/* write arg lines to stderr, then reply */
	TEST_OP_OVERFLOW,	/* a planted heap overflow (for ASan) */
	TEST_OP_SPIN,		/* busy in user space for arg ms, then reply */
	TEST_OP_DEBUG_STDOUT,	/* a debug line on stdout, then the reply */
	TEST_OP_STDERR_PARTIAL,	/* "partial:" and arg 'x' on stderr, no newline */
};

struct test_req {
	uint32_t magic;
	uint32_t op;
	uint32_t arg;
	uint32_t seed;
	uint32_t req_len;	/* header + payload */
	uint32_t reply_len;
};

struct test_reply_head {
	uint32_t status;	/* 0, or number of bad payload bytes */
	uint32_t served;	/* requests this process has served */
};

struct test_info {
	struct test_reply_head head;
	uint32_t pid;
	uint32_t ppid;
	uint64_t open_fds;	/* bit n: fd n (0..63) is open */
	uint32_t umask;
	uint32_t nenv;		/* entries in environ, sanitizer ones excluded */
	uint32_t nsigign;	/* signals ignored */
	uint32_t sigblocked;	/* signals blocked */
	char argv0[32];
	char cwd[64];
};

static inline uint8_t test_pattern(uint32_t seed, uint64_t i)
{
	uint64_t x = (seed + i) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)(x >> 56);
}

#endif /* TEST_HANDLER_PROTO_H */
