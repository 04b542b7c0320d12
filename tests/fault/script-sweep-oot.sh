#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# faultsweep -- SCRIPT on a UMD kept out of tree (tests/oot/upper, built
# with make -C "$(umd-emu kdir)" M=$PWD), with a one-write script: every
# fault point is swept, every crash place of its handler, no failure.
. "$(dirname "$0")/lib-script.sh"
SRC=${UMD_EMU_SOURCE_ROOT:?}
command -v make >/dev/null || skip "make is not installed"

mkdir "$dir/upper"
cp "$SRC"/tests/oot/upper/* "$dir/upper/"
kdir=$("$UMD_EMU" kdir) || fail "umd-emu kdir"
(cd "$dir/upper" && make -s -C "$kdir" M="$PWD" >/dev/null) || fail "make -C \$(umd-emu kdir) M=\$PWD"

cat >"$dir/upper.sh" <<'EOS'
#!/bin/sh
printf "hello umd" > "$UMD_SECURITYFS/upper"
EOS
chmod +x "$dir/upper.sh"

out=$("$UMD_EMU" faultsweep --modules "$dir/upper" --modprobe upper_mgr -- "$dir/upper.sh" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the sweep of the out-of-tree UMD exited with $status"
for p in $("$UMD_EMU" fault --list | awk 'NR > 1 {print $1}'); do
	grep -q "^$p  " <<<"$out" || fail "no row for fault point $p"
done
grep -q "^crash  .* [1-9][0-9]* " <<<"$out" || fail "no crash row"
grep -Eq "^crash \(hang, watchdog\) +[1-9]" <<<"$out" || fail "no hang row"
grep -q "^FAIL" <<<"$out" && fail "a failure was reported"
grep -Eq "^faultsweep: [0-9]+ runs in [0-9.]+ s \([0-9.]+ runs/s\)$" <<<"$out" ||
	fail "no runs/s line"
echo "PASS"
