#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# faultsweep -- SCRIPT on the sample UMD with a one-write script passes,
# and the same fault points fire as in the built-in sample scenario (which
# makes its requests in-process).
. "$(dirname "$0")/lib-script.sh"

builtin=$("$UMD_EMU" faultsweep --modules "$CORE" 2>&1) ||
	fail "the built-in sample sweep failed: $builtin"
out=$("$UMD_EMU" faultsweep --modules "$CORE" --modprobe sample_mgr -- "$dir/one-write.sh" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the script sweep of the sample UMD exited with $status"
want=$(fired_points "$builtin")
got=$(fired_points "$out")
[ -n "$got" ] || fail "no point fired"
if [ "$want" != "$got" ]; then
	diff <(echo "$want") <(echo "$got")
	fail "the points that fire differ from the built-in scenario's"
fi
# The handler of the sample UMD was found and crashed at every place.
grep -q "^crash  *[1-9][0-9]* *[1-9]" <<<"$out" || fail "no crash fired"
echo "PASS"
