#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run a libFuzzer target for a bounded number of runs from its seed corpus
# (new inputs go to a temporary directory, not the tree), then replay the
# seed corpus once.
# Usage: run-fuzzer.sh TARGET CORPUS RUNS MAX_LEN
set -u
target=$1 corpus=$2 runs=$3 max_len=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$target" -runs="$runs" -max_len="$max_len" -seed=1 -print_final_stats=1 \
	-artifact_prefix="$work/" "$work" "$corpus" >"$work/log" 2>&1
status=$?
grep -E "^(stat::|Done|#[0-9]+ *DONE)" "$work/log"
if [ $status -ne 0 ]; then
	tail -n 60 "$work/log"
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "reproducer: $(od -An -tx1 "$a" | head -n 4)"
	done
	echo "FAIL: $(basename "$target") exited with $status"
	exit 1
fi
echo "PASS: $runs runs"
