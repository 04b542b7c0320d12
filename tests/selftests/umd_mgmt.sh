#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of the UMD management library with the sample UMD, as the seed
# series' tools/testing/selftests/umd_mgmt/umd_mgmt.sh: load sample_mgr,
# write 500 random offsets to the sample_umd securityfs file, and unload the
# loader every 50 writes so that the next write loads it again and restarts
# the handler. Exit status as kselftest: 0 pass, 1 fail, 4 skip.
#
# Runs inside "umd-emu run" (the defaults below) and on a real kernel:
#   MODPROBE="/sbin/modprobe" RMMOD="rmmod" UMD_SECURITYFS=/sys/kernel/security
# Only POSIX sh and $RANDOM (bash, busybox ash) are used; $EPOCHREALTIME
# (bash 5) adds per-write latencies to $UMD_SELFTEST_STATS if set.

ksft_pass=0
ksft_fail=1
ksft_skip=4

MODPROBE=${MODPROBE:-umd-emu modprobe}
RMMOD=${RMMOD:-umd-emu rmmod}
SECURITYFS=${UMD_SECURITYFS:-/sys/kernel/security}
WRITES=${UMD_SELFTEST_WRITES:-500}
RELOAD_EVERY=${UMD_SELFTEST_RELOAD_EVERY:-50}
PROGRESS_EVERY=${UMD_SELFTEST_PROGRESS_EVERY:-100}
STATS=${UMD_SELFTEST_STATS:-}

if [ -z "$RANDOM" ]; then
	echo "umd_mgmt: this shell has no \$RANDOM (run it with bash or busybox sh) [SKIP]"
	exit $ksft_skip
fi

if ! $MODPROBE -q sample_mgr; then
	echo "umd_mgmt: module sample_mgr is not found [SKIP]"
	exit $ksft_skip
fi

if [ ! -f "$SECURITYFS/sample_umd" ]; then
	echo "umd_mgmt: kernel interface is not found [SKIP]"
	exit $ksft_skip
fi

i=0
reloads=0
while [ $i -lt "$WRITES" ]; do
	offset=$(( RANDOM % 128 * 1024 ))
	t0=${EPOCHREALTIME:-}
	if ! echo $offset > "$SECURITYFS/sample_umd"; then
		echo "umd_mgmt: test failed (write $i, offset $offset)"
		exit $ksft_fail
	fi
	if [ -n "$STATS" ] && [ -n "$t0" ]; then
		echo "$t0 $EPOCHREALTIME" >> "$STATS"
	fi

	if [ $(( i % RELOAD_EVERY )) -eq 0 ]; then
		if $RMMOD sample_loader_kmod; then
			reloads=$(( reloads + 1 ))
		fi
	fi

	i=$(( i + 1 ))
	if [ $(( i % PROGRESS_EVERY )) -eq 0 ]; then
		echo "umd_mgmt: $i/$WRITES writes, $reloads loader reloads"
	fi
done

echo "umd_mgmt: $WRITES writes, $reloads loader reloads [PASS]"
exit $ksft_pass
