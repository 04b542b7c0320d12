#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Coverage (docs/COVERAGE.md) of an out-of-tree UMD, tests/oot/upper, and
# of the sample built out of tree from core/'s and handlers/' files, both
# with make -C "$(umd-emu kdir --coverage)" M=DIR: modules write their
# counters when unloaded, handlers when the kernel kills them, but only
# under tools/coverage.sh (UMD_EMU_KILL_GRACE_MS); without it the kernel's
# SIGKILL stays a SIGKILL, and the handler writes nothing. Then
# tools/coverage.sh --module-dir turns a run into the reports. In a
# coverage build (-Db_coverage=true) also the tree's own core/ and
# handlers/, through the built-in sample.
# Three builds and three reports (gcovr): more than lib.sh's 90 s bound
# on a busy machine, never a hang.
export UMD_EMU_TEST_BOUND_S=${UMD_EMU_TEST_BOUND_S:-400}
. "$(dirname "$0")/lib.sh"
need_fuse
command -v make >/dev/null || skip "make is not installed"
command -v gcovr >/dev/null || skip "gcovr is not installed (tools/deps.sh installs it)"
covkdir=$("$UMD_EMU" kdir --coverage 2>&1) ||
	skip "no coverage kdir in this build: $covkdir"
BUILD=$(cd "$(dirname "$UMD_EMU")/.." && pwd)

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# --- the sample, out of tree: the very files of core/ and handlers/ -------
mkdir "$dir/sample" "$dir/upper"
cp "$SRC"/core/sample_umd/{sample_mgr.c,sample_loader.c,sample_binary_blob.S,msgfmt.h} \
	"$SRC"/handlers/{sample_handler.c,xfer.h} "$dir/sample/"
cat >"$dir/sample/Makefile" <<'EOF'
obj-m += sample_mgr.o sample_loader_kmod.o
sample_loader_kmod-objs := sample_loader.o sample_binary_blob.o
userprogs := sample_umh
sample_umh-objs := sample_handler.o
always-y := $(userprogs)
asflags-y += -I$(src)
$(obj)/sample_binary_blob.o: $(obj)/sample_umh
EOF
cp "$SRC"/tests/oot/upper/* "$dir/upper/"

for m in sample upper; do
	(cd "$dir/$m" && make -C "$covkdir" M="$PWD" >"$dir/$m.make" 2>&1) ||
		{ cat "$dir/$m.make"; fail "make -C \$(umd-emu kdir --coverage) M=$m"; }
done
for f in sample/sample_mgr.gcno sample/sample_handler.gcno upper/upper_mgr.gcno \
	upper/loader.gcno upper/handler.gcno; do
	[ -f "$dir/$f" ] || fail "$f: not built with --coverage"
done

# Without the grace (as on a kernel), rmmod of the loader SIGKILLs the
# handler: the modules write their counters at unload, the handler none.
out=$(env -u UMD_EMU_KILL_GRACE_MS "$UMD_EMU" run --modules "$dir/upper" --modprobe upper_mgr -- sh -c '
	printf "hello umd" > "$UMD_SECURITYFS/upper" && cat "$UMD_SECURITYFS/upper" &&
	umd-emu rmmod upper_loader && umd-emu rmmod upper_mgr && umd-emu dmesg' 2>&1)
status=$?
[ $status -eq 0 ] || { echo "$out"; fail "the upper UMD with coverage failed ($status)"; }
grep -q "HELLO UMD" <<<"$out" || { echo "$out"; fail "no HELLO UMD"; }
grep -q "upper_umh\[[0-9]*\] killed by signal 9" <<<"$out" ||
	{ echo "$out"; fail "the handler did not end by SIGKILL"; }
[ -f "$dir/upper/upper_mgr.gcda" ] || fail "upper_mgr wrote no counters at rmmod"
[ -f "$dir/upper/handler.gcda" ] &&
	fail "the handler wrote counters without UMD_EMU_KILL_GRACE_MS: its SIGKILL was not one"
rm -f "$dir"/upper/*.gcda

# Under tools/coverage.sh: each handler writes its counters, then still
# ends by SIGKILL, as the kernel has it; the report names every file.
run_cov() {
	local m=$1 mgr=$2 loader=$3 write=$4
	"$SRC/tools/coverage.sh" --build "$BUILD" --no-build --no-tree \
		--module-dir "$dir/$m" --out "$dir/$m-report" -- \
		"$UMD_EMU" run --modules "$dir/$m" --modprobe "$mgr" -- sh -c "
		$write && umd-emu rmmod $loader && umd-emu rmmod $mgr &&
		umd-emu dmesg | grep 'killed by signal'" >"$dir/$m.out" 2>&1
}
run_cov upper upper_mgr upper_loader 'printf "hello umd" > "$UMD_SECURITYFS/upper"' ||
	{ cat "$dir/upper.out"; fail "tools/coverage.sh with the upper UMD failed"; }
run_cov sample sample_mgr sample_loader_kmod 'echo 7 > "$UMD_SECURITYFS/sample_umd"' ||
	{ cat "$dir/sample.out"; fail "tools/coverage.sh with the sample failed"; }
cat "$dir/upper.out" "$dir/sample.out"
for m in upper sample; do
	grep -q "_umh\[[0-9]*\] killed by signal 9" "$dir/$m.out" ||
		fail "$m: the handler did not end by SIGKILL under the grace"
	[ -f "$dir/$m-report/index.html" ] || fail "$m: no HTML report"
	grep -q "^coverage: $dir/$m/ *[1-9][0-9]*/" "$dir/$m.out" ||
		fail "$m: no lines covered in the totals"
done
for f in upper/handler.gcda upper/loader.gcda sample/sample_handler.gcda \
	sample/sample_loader.gcda sample/sample_mgr.gcda; do
	[ -f "$dir/$f" ] || fail "$f: not written"
done

# Lines that ran, by file, from the text report: the handler's loop and
# the managers' request paths.
covered() {	# covered REPORT_DIR FILE: lines run in .../FILE (summary.json)
	python3 - "$1/summary.json" "$2" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))["files"]:
    if ("/" + f["filename"]).endswith("/" + sys.argv[2]):
        print(f["line_covered"])
        break
PY
}
for pair in upper:handler.c upper:upper_mgr.c upper:loader.c \
	sample:sample_handler.c sample:sample_mgr.c sample:sample_loader.c; do
	m=${pair%%:*} f=${pair#*:}
	n=$(covered "$dir/$m-report" "$f")
	[ "${n:-0}" -gt 0 ] 2>/dev/null ||
		{ cat "$dir/$m-report/coverage.txt"; fail "$m: $f has no line run"; }
done
# The write path in the handler ran: the line that upper-cases.
grep -q "toupper" "$dir/upper-report/index.handler.c."*.html ||
	fail "upper: no HTML page for handler.c"

# A coverage build: the tree's own core/ and handlers/ as well.
if [ "${UMD_EMU_B_COVERAGE:-false}" = true ]; then
	"$SRC/tools/coverage.sh" --build "$BUILD" --no-build --keep \
		--out "$dir/tree-report" -- "$UMD_EMU" run --modprobe sample_mgr -- \
		sh -c 'echo 9 > "$UMD_SECURITYFS/sample_umd" && umd-emu rmmod sample_loader_kmod' \
		>"$dir/tree.out" 2>&1 || { cat "$dir/tree.out"; fail "tools/coverage.sh on the tree failed"; }
	cat "$dir/tree.out"
	grep -q "^coverage: core/ *[1-9][0-9]*/" "$dir/tree.out" || fail "no core/ lines covered"
	grep -q "^coverage: handlers/ *[1-9][0-9]*/" "$dir/tree.out" || fail "no handlers/ lines covered"
	n=$(covered "$dir/tree-report" "handlers/sample_handler.c")
	[ "${n:-0}" -gt 0 ] 2>/dev/null || fail "handlers/sample_handler.c has no line run"
fi
echo "PASS"
