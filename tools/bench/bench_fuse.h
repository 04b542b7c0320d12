/* SPDX-License-Identifier: GPL-2.0 */
/* umd-emu-bench: the FUSE floor and the client loop. */
#ifndef UMD_EMU_BENCH_FUSE_H
#define UMD_EMU_BENCH_FUSE_H

void *bench_null_fs_start(const char *mountpoint);
void bench_null_fs_stop(void *handle);
int bench_write_file(const char *path, const char *text);

#endif /* UMD_EMU_BENCH_FUSE_H */
