/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the unit tests (user-space side of the test process). */
#ifndef UMD_EMU_TEST_HELPERS_H
#define UMD_EMU_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Open file descriptors of this process. */
int th_count_fds(void);
/* Children of this process, zombies included (from /proc). */
int th_count_children(void);
/* Whole file into a g_malloc'd buffer. */
void *th_read_file(const char *path, size_t *len);
/* Wait up to ms for live handler children to drop to zero. */
bool th_wait_no_children(int ms);

struct umd_info;

/* umd_load_blob() + fork_usermode_driver() of blob as driver "umd_test". */
void th_handler_start(struct umd_info *info, const void *blob, size_t len);
/* What umd_mgmt's shutdown does (kill, wait, cleanup), then unload. */
void th_handler_stop(struct umd_info *info);

/*
 * A symbol of a module loaded from dir, looked up through its own handle
 * (dlsym(RTLD_DEFAULT) would make glibc pin the module forever).
 */
void *th_modsym(const char *dir, const char *module, const char *symbol);

/* State of the emulated kernel, to compare before and after a test. */
struct th_state {
	int fds;
	unsigned long warnings;
	uint64_t kmsg_seq;
};

void th_state_save(struct th_state *st);
/*
 * Assert nothing leaked since st: fds, children (live or zombie), held
 * mutexes, sanitizer reports; and no new WARNING unless expected_warnings.
 */
void th_state_check(const struct th_state *st, unsigned long expected_warnings);
/*
 * Wait up to ms for a kernel log record since seq containing needle: lines
 * of handlers' stderr are logged by a collector thread, a little later.
 */
bool th_wait_kmsg(uint64_t seq, const char *needle, int ms);
/* Print the kernel log since seq (on failure, to see why). */
void th_dump_kmsg(uint64_t seq);

#endif /* UMD_EMU_TEST_HELPERS_H */
