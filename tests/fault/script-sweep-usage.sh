#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# faultsweep -- SCRIPT: bad usage exits 2 with one line saying what is wrong.
set -u
. "$(dirname "$0")/../lib-skip.sh"
UMD_EMU=${UMD_EMU:?}
CORE=${UMD_EMU_CORE_MODULES:?}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '#!/bin/sh\nexit 0\n' >"$dir/ok.sh"
chmod +x "$dir/ok.sh"

# expect_usage WHAT PATTERN ARGS...: exit 2, one line on stderr matching PATTERN
expect_usage() {
	local what=$1 pattern=$2 err status
	shift 2
	err=$("$UMD_EMU" faultsweep "$@" 2>&1 >/dev/null)
	status=$?
	echo "$what: $status: $err"
	[ $status -eq 2 ] || fail "$what: exit status $status, expected 2"
	[ "$(wc -l <<<"$err")" -eq 1 ] || fail "$what: not one line: $err"
	grep -q -- "$pattern" <<<"$err" || fail "$what: '$err' does not say '$pattern'"
}

expect_usage "no --modprobe" "needs --modprobe" --modules "$CORE" -- "$dir/ok.sh"
expect_usage "missing script" "not an executable file" --modules "$CORE" \
	--modprobe sample_mgr -- "$dir/missing.sh"
expect_usage "--modprobe without a script" "need a SCRIPT" --modules "$CORE" \
	--modprobe sample_mgr
expect_usage "--shard 3/3" "--shard takes I/N" --modules "$CORE" \
	--modprobe sample_mgr --shard 3/3 -- "$dir/ok.sh"
expect_usage "--shard x" "--shard takes I/N" --modules "$CORE" \
	--modprobe sample_mgr --shard x -- "$dir/ok.sh"
expect_usage "--timeout 0" "--timeout must be 1 or more" --modules "$CORE" \
	--modprobe sample_mgr --timeout 0 -- "$dir/ok.sh"
expect_usage "--scenario with a script" "exclude each other" --modules "$CORE" \
	--scenario sample --modprobe sample_mgr -- "$dir/ok.sh"
expect_usage "unknown module" "not found" --modules "$CORE" \
	--modprobe no_such_module -- "$dir/ok.sh"

# Not usage: a script that fails without a fault is 1, saying so.
printf '#!/bin/sh\necho broken; exit 3\n' >"$dir/bad.sh"
chmod +x "$dir/bad.sh"
err=$("$UMD_EMU" faultsweep --modules "$CORE" --modprobe sample_mgr -- "$dir/bad.sh" 2>&1)
status=$?
echo "$err" | head -n 3
[ $status -eq 1 ] || fail "a failing script: exit status $status, expected 1"
grep -q "does not pass without a fault (exit status 3)" <<<"$err" ||
	fail "a failing script: no clear reason"
grep -q "^broken" <<<"$err" || fail "a failing script: its output is not shown"
echo "PASS"
