#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# faultsweep -- SCRIPT --shard I/N: the shards 0/3, 1/3 and 2/3 together
# make exactly the runs of the unsharded sweep, each once; --jobs 2 gives
# the same table totals.
. "$(dirname "$0")/lib-script.sh"

sweep() {
	"$UMD_EMU" faultsweep --modules "$CORE" --modprobe sample_mgr \
		--random 1 "$@" -- "$dir/one-write.sh"
}
runs() {	# the settings of the runs a verbose sweep printed
	sed -n 's/^  \([^ ]*\) .* status=.*/\1/p' "$1"
}

sweep -v >"$dir/all" 2>&1 || { cat "$dir/all"; fail "the unsharded sweep failed"; }
for i in 0 1 2; do
	sweep -v --shard $i/3 >"$dir/shard$i" 2>&1 ||
		{ cat "$dir/shard$i"; fail "shard $i/3 failed"; }
	[ "$(runs "$dir/shard$i" | wc -l)" -gt 0 ] || fail "shard $i/3 ran nothing"
done
runs "$dir/all" | sort >"$dir/all.runs"
cat "$dir/shard0" "$dir/shard1" "$dir/shard2" >"$dir/shards"
runs "$dir/shards" | sort >"$dir/shards.runs"
n=$(wc -l <"$dir/all.runs")
echo "unsharded: $n runs; shards: $(wc -l <"$dir/shards.runs") runs"
[ "$n" -gt 50 ] || fail "the unsharded sweep made only $n runs"
[ -z "$(uniq -d "$dir/shards.runs")" ] || fail "a run was made by two shards"
diff "$dir/all.runs" "$dir/shards.runs" || fail "the shards do not make the unsharded runs"

total() { grep '^total ' "$1" | tr -s ' '; }
sweep --jobs 2 >"$dir/jobs" 2>&1 || { cat "$dir/jobs"; fail "--jobs 2 failed"; }
cat "$dir/jobs"
[ "$(total "$dir/jobs")" = "$(total "$dir/all")" ] ||
	fail "--jobs 2 totals '$(total "$dir/jobs")', unsharded '$(total "$dir/all")'"
echo "PASS"
