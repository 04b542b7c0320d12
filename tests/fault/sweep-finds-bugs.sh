#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# faultsweep on a manager with a planted bug (a mutex left held when
# copy_from_user faults): the sweep must fail, name the setting, and the
# printed --replay command must reproduce the same failure.
set -u
. "$(dirname "$0")/../lib-skip.sh"
UMD_EMU=${UMD_EMU:?}
BUGGY=${UMD_EMU_BUGGY_MODULES:?}
CORE=${UMD_EMU_CORE_MODULES:?}

out=$("$UMD_EMU" faultsweep --modules "$BUGGY:$CORE" --point fail_copy_from_user 2>&1)
status=$?
echo "$out"
[ $status -eq 1 ] || fail "the sweep exited with $status, expected 1"
echo "$out" | grep -q "^FAIL: fail_copy_from_user:nth=1: mutex: 1 mutex(es) held" ||
	fail "the sweep did not report the held mutex"
replay=$(echo "$out" | sed -n "s/^reproduce: umd-emu faultsweep .* --replay '\(.*\)'$/\1/p")
[ "$replay" = "fail_copy_from_user:nth=1" ] || fail "no reproduce line (got '$replay')"

out=$("$UMD_EMU" faultsweep --modules "$BUGGY:$CORE" --replay "$replay" 2>&1)
status=$?
echo "$out" | tail -n 5
[ $status -eq 1 ] || fail "the replay exited with $status, expected 1"
echo "$out" | grep -q "^FAIL: fail_copy_from_user:nth=1: mutex: 1 mutex(es) held" ||
	fail "the replay did not reproduce the failure"
echo "$out" | grep -q "FAULT_INJECTION: forcing a failure: fail_copy_from_user call 1" ||
	fail "the replay's kernel log lacks the injected fault"

# The fixed manager passes the same sweep.
"$UMD_EMU" faultsweep --modules "$CORE" --point fail_copy_from_user >/dev/null ||
	fail "the sample manager fails the sweep"
echo "PASS"
