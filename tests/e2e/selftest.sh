#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kselftest-style selftest under "umd-emu run": 500 writes, a reload
# every 50, and 11 handler starts in the kernel log.
. "$(dirname "$0")/lib.sh"
need_fuse

out=$("$UMD_EMU" run -- bash -c '
	echo "mount=$UMD_SECURITYFS"
	"$0" || exit
	starts=$(umd-emu dmesg | grep -c "sample_umh\[[0-9]*\]: Started sample_umh")
	echo "handler starts: $starts"
	[ "$starts" -eq 11 ]' "$SRC/tests/selftests/umd_mgmt.sh" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "selftest exited with $status"
case "$out" in
*"500 writes, 10 loader reloads [PASS]"*) ;;
*) fail "the selftest did not report a pass" ;;
esac
mnt=$(mount_of "$out")
[ -n "$mnt" ] || fail "no mount point reported"
not_mounted "$mnt" || fail "the FUSE mount at $mnt was left behind"
echo "PASS"
