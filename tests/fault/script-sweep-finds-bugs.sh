#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# faultsweep -- SCRIPT on the buggy sample manager (a mutex left held when
# copy_from_user faults): the sweep fails naming the setting, and the
# printed reproduce line, run as it is, reproduces the failure.
. "$(dirname "$0")/lib-script.sh"
BUGGY=${UMD_EMU_BUGGY_MODULES:?}
export PATH="$(dirname "$UMD_EMU"):$PATH"

out=$("$UMD_EMU" faultsweep --modules "$BUGGY:$CORE" --modprobe sample_mgr \
	--point fail_copy_from_user -- "$dir/one-write.sh" 2>&1)
status=$?
echo "$out"
[ $status -eq 1 ] || fail "the sweep exited with $status, expected 1"
grep -q "^FAIL: fail_copy_from_user:nth=1: mutex: 1 mutex(es) held" <<<"$out" ||
	fail "the sweep did not report the held mutex"
line=$(sed -n 's/^reproduce: //p' <<<"$out")
case "$line" in
"umd-emu faultsweep "*"--replay 'fail_copy_from_user:nth=1' -- "*) ;;
*) fail "no reproduce line (got '$line')" ;;
esac

out=$(eval "$line" 2>&1)
status=$?
echo "$out" | tail -n 8
[ $status -eq 1 ] || fail "the replay exited with $status, expected 1"
grep -q "^FAIL: fail_copy_from_user:nth=1: mutex: 1 mutex(es) held" <<<"$out" ||
	fail "the replay did not reproduce the failure"
grep -q "FAULT_INJECTION: forcing a failure: fail_copy_from_user call 1" <<<"$out" ||
	fail "the replay's kernel log lacks the injected fault"

# The fixed manager passes the same sweep.
"$UMD_EMU" faultsweep --modules "$CORE" --modprobe sample_mgr \
	--point fail_copy_from_user -- "$dir/one-write.sh" >/dev/null ||
	fail "the sample manager fails the sweep"
echo "PASS"
