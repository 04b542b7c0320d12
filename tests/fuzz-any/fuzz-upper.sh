#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "umd-emu fuzz" on an out-of-tree UMD (tests/oot/upper), built as a user
# builds it for fuzzing: make -C "$(umd-emu fuzz --kdir)" M=$PWD. Bounded
# runs of the write path (its securityfs file) and of the reply path (its
# handler's replies, from a thread): both must end clean and report
# exec/s (printed, never compared: no timing in what is asserted). Then a
# planted bug (a WARN_ON reached by a seed input) must be found, and the
# command printed to reproduce it must reproduce it.
# Usage: fuzz-upper.sh UMD_EMU SRCDIR WRITE_RUNS REPLY_RUNS
set -u
umd_emu=$1 src=$2 write_runs=$3 reply_runs=$4
. "$src/tests/lib-skip.sh"
command -v make >/dev/null || skip "make is not installed"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/upper" "$dir/buggy" "$dir/work"
cp "$src"/tests/oot/upper/* "$dir/upper/"
cp "$src"/tests/oot/upper/* "$dir/buggy/"

kdir=$("$umd_emu" fuzz --kdir) || fail "umd-emu fuzz --kdir"
(cd "$dir/upper" && make -s -C "$kdir" M="$PWD") ||
	fail "make -C \$(umd-emu fuzz --kdir) M=\$PWD"

# Usage errors: exit status 2, one line.
"$umd_emu" fuzz --modules "$dir/upper" --modprobe upper_mgr --reply upper_umh \
	>/dev/null 2>"$dir/err"
[ $? -eq 2 ] || fail "--reply without --trigger: not a usage error"
grep -q -- "--trigger" "$dir/err" || fail "the usage error does not name --trigger"

run() {
	local what=$1
	shift
	echo "== umd-emu fuzz $*"
	(cd "$dir/work" && "$umd_emu" fuzz "$@") >"$dir/out" 2>"$dir/log"
	status=$?
	cat "$dir/out"
	if [ $status -ne 0 ]; then
		tail -n 40 "$dir/log"
		fail "$what: umd-emu fuzz exited with $status"
	fi
	grep -q "^umd-emu fuzz: [0-9]* runs, [0-9]* exec/s" "$dir/out" ||
		fail "$what: no exec/s reported"
}

run "write path" --modules "$dir/upper" --modprobe upper_mgr --write upper \
	--runs "$write_runs" --corpus "$dir/corpus-write" -- -seed=1
run "reply path" --modules "$dir/upper" --modprobe upper_mgr \
	--reply upper_umh --trigger 'upper:hello\n' --runs "$reply_runs" \
	--corpus "$dir/corpus-reply" -- -seed=1
[ -n "$(ls "$dir/corpus-reply")" ] || fail "the reply path kept no input"

# A planted bug: "XY" written makes upper_mgr WARN.
sed -i 's/\treq->len = len;/\treq->len = len;\n\tWARN_ON(len == 2 \&\& req->text[0] == 0x58 \&\& req->text[1] == 0x59);/' \
	"$dir/buggy/upper_mgr.c"
grep -q WARN_ON "$dir/buggy/upper_mgr.c" || fail "could not plant the bug"
(cd "$dir/buggy" && make -s -C "$kdir" M="$PWD") || fail "building the buggy UMD"
mkdir "$dir/corpus-bug"
printf 'XY' >"$dir/corpus-bug/seed"
(cd "$dir/work" && "$umd_emu" fuzz --modules "$dir/buggy" --modprobe upper_mgr \
	--write upper --runs 1000 --corpus "$dir/corpus-bug") >"$dir/out" 2>"$dir/log"
status=$?
cat "$dir/out"
[ $status -eq 1 ] || fail "the planted bug: exit status $status, not 1"
grep -q "umd-emu-fuzz: the write logged a WARNING" "$dir/log" ||
	fail "the planted bug: no WARNING message"
repro=$(grep -A1 "reproduce it with:" "$dir/out" | tail -n 1)
[ -n "$repro" ] || fail "no command to reproduce the crash"
(cd "$dir/work" && eval "$repro") >"$dir/log2" 2>&1 && fail "the reproducer passed"
grep -q "umd-emu-fuzz: the write logged a WARNING" "$dir/log2" ||
	fail "the reproducer did not reproduce the WARNING"
echo "PASS"
