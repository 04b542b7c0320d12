#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# umd-emu debug, on the sample UMD and on the out-of-tree UMD of
# tests/oot/upper: one request each with the handler under strace, held
# for gdb (gdb -p in batch mode attaches with the printed command, breaks
# in main, continues and detaches; the request then completes) and under
# valgrind (where the handler is built with ASan or TSan, which valgrind
# cannot run, that it is refused and the request still works). A watchdog of 1 s is
# armed throughout: it must wait for the debugged handlers. Then the gdb
# flow again as nobody, whose handlers run in a user namespace of their
# own, where /dev/fuse can be opened to nobody.
# gdb, strace and valgrind each start a handler: more than the usual bound.
UMD_EMU_TEST_BOUND_S=${UMD_EMU_TEST_BOUND_S:-200}
. "$(dirname "$0")/lib.sh"
need_fuse
command -v make >/dev/null || skip "make is not installed"
for tool in gdb strace valgrind; do
	command -v $tool >/dev/null ||
		skip "$tool is not installed (Debian package $tool)"
done
# valgrind cannot run a handler built with ASan or TSan: the sample's
# in an ASan build (a TSan build leaves it uninstrumented), the
# out-of-tree one (built by the emulated kdir) in any sanitizer build.
san=${UMD_EMU_B_SANITIZE:-none}
sample_valgrind=run upper_valgrind=run
case "$san" in *address*) sample_valgrind=refused ;; esac
[ "$san" = none ] || upper_valgrind=refused

tmp=$(mktemp -d)
chmod 0755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

# What runs inside umd-emu run: DRV (driver_name), LOADER (its loader
# module) and REQ (one request, checked) come from the environment.
flow='
set -u
fail() { echo "FAIL: $*"; umd-emu dmesg | tail -n 40; exit 1; }
req() { bash -c "$REQ"; }
# The next request starts a new handler (the loader is loaded again).
restart() { umd-emu rmmod "$LOADER" || fail "rmmod $LOADER"; }
# wait_for FILE PATTERN: until FILE has a line matching PATTERN (bounded).
wait_for() {
	for i in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	fail "nothing matching \"$2\" in $1 after 60 s"
}

umd-emu fault "watchdog:driver=$DRV,timeout_ms=1000" || fail "watchdog"

if [ "${PARTS:-all}" = all ]; then
	# strace: its lines are in the log, named after the handler.
	umd-emu debug "$DRV" --strace="-e trace=read,write" --no-wait || fail "debug --strace"
	req || fail "the request under strace"
	umd-emu dmesg | grep -q "umd-emu debug: $DRV\[[0-9]*\] runs under strace -f -e trace=read,write" ||
		fail "no strace start line"
	umd-emu dmesg | grep -q "$DRV\[[0-9]*\] strace: read(0, " || fail "no strace output in the log"
	restart
fi

# gdb: the waiting command prints the line with the command to paste.
umd-emu debug "$DRV" --gdb > "$W/gdb.line" 2> "$W/gdb.err" &
dbg=$!
wait_for "$W/gdb.err" "armed; waiting"
req > "$W/req.out" 2>&1 &
r=$!
wait $dbg || fail "debug --gdb: $(cat "$W/gdb.line" "$W/gdb.err")"
cat "$W/gdb.line"
cmd=$(sed -n "s/.* for a debugger: \(gdb .*\)$/\1/p" "$W/gdb.line")
pid=$(sed -n "s/.* -p \([0-9]*\) .*/\1/p" <<<"$cmd")
[ -n "$pid" ] || fail "no gdb command in: $(cat "$W/gdb.line")"
umd-emu dmesg | grep -qF "$cmd" || fail "the command is not in the kernel log"
# Held past the watchdog: stopped, the request waiting.
sleep 2
grep -q "^State:.*T (stopped)" "/proc/$pid/status" || fail "$DRV[$pid] is not stopped: $(grep State /proc/$pid/status)"
kill -0 $r 2>/dev/null || fail "the request did not wait for the held handler: $(cat "$W/req.out")"
eval "$cmd -batch -ex \"break main\" -ex continue -ex bt -ex detach" > "$W/gdb.out" 2>&1
cat "$W/gdb.out"
grep -q "Breakpoint 1, .*main" "$W/gdb.out" || fail "gdb did not stop in main"
grep -q "^#0 .*main" "$W/gdb.out" || fail "no backtrace in main"
wait $r || fail "the request held for gdb failed: $(cat "$W/req.out")"
req || fail "the next request to the handler after gdb"
umd-emu dmesg | grep -q "watchdog (timeout_ms=1000) is suspended for it" || fail "no word of the suspended watchdog"
umd-emu dmesg | grep -q "did not answer" && fail "the watchdog fired on a debugged handler"
restart

if [ "${PARTS:-all}" = all ] && [ "$VALGRIND" = run ]; then
	umd-emu debug "$DRV" --valgrind=--num-callers=20 --no-wait || fail "debug --valgrind"
	req || fail "the request under valgrind"
	pid=$(umd-emu dmesg | sed -n "s/.*umd-emu debug: $DRV\[\([0-9]*\)\] runs under valgrind --tool=memcheck --num-callers=20:.*/\1/p" | tail -n 1)
	[ -n "$pid" ] || fail "no valgrind start line"
	umd-emu dmesg | grep -q "$DRV\[$pid\]: ==$pid== Memcheck, a memory error detector" ||
		fail "no valgrind banner in the log"
	restart
elif [ "${PARTS:-all}" = all ]; then
	umd-emu debug "$DRV" --valgrind --no-wait || fail "debug --valgrind"
	req || fail "the request after valgrind was refused"
	umd-emu dmesg | grep -q "$DRV is built with AddressSanitizer or ThreadSanitizer, which valgrind cannot run: started without valgrind" ||
		fail "no word of the refusal"
	restart
fi
umd-emu check || fail "umd-emu check"
echo "flow passed: $DRV"
'

# run_flow WHO... -- RUN_ARGS...: the flow under umd-emu run.
run_flow() {
	local who=() out status
	while [ "$1" != -- ]; do who+=("$1"); shift; done
	shift
	out=$("${who[@]}" env W="$tmp" "$@" 2>&1)
	status=$?
	echo "$out"
	[ $status -eq 0 ] || fail "the debug flow failed ($status): $*"
	grep -q "^flow passed" <<<"$out" || fail "the flow did not finish: $*"
}

# The sample UMD.
run_flow env -- VALGRIND=$sample_valgrind DRV=sample_umh LOADER=sample_loader_kmod \
	REQ='echo 7 > "$UMD_SECURITYFS/sample_umd"' \
	"$UMD_EMU" run --modprobe sample_mgr -- bash -c "$flow"

# The out-of-tree UMD, built as a user builds it.
mkdir "$tmp/upper"
cp "$SRC"/tests/oot/upper/* "$tmp/upper/"
(cd "$tmp/upper" && make -C "$("$UMD_EMU" kdir)" M="$PWD") > "$tmp/make.log" 2>&1 ||
	{ cat "$tmp/make.log"; fail "building tests/oot/upper"; }
run_flow env -- VALGRIND=$upper_valgrind DRV=upper_umh LOADER=upper_loader \
	REQ='printf "hello umd" > "$UMD_SECURITYFS/upper" && [ "$(cat "$UMD_SECURITYFS/upper")" = "HELLO UMD" ]' \
	"$UMD_EMU" run --modules "$tmp/upper" --modprobe upper_mgr -- bash -c "$flow"

# Arming errors: one line, non-zero status, nothing armed.
out=$("$UMD_EMU" run -- bash -c '
	umd-emu debug sample_umh --gdb=1; echo "status $?"
	umd-emu debug sample_umh; echo "status $?"
	umd-emu debug sample_umh --strace="-e '"'"'" ; echo "status $?"
	umd-emu debug sample_umh --gdb --valgrind; echo "status $?"
	umd-emu debug; echo "listed $?"' 2>&1)
echo "$out"
[ "$(grep -c "^status [12]$" <<<"$out")" -eq 4 ] || fail "an arming error did not fail"
grep -q "^listed 0$" <<<"$out" || fail "umd-emu debug (the list) failed"
grep -q "umd-emu: debug: --gdb takes no ARGS" <<<"$out" || fail "--gdb=1 accepted"
grep -q "ARGS: Text ended before matching quote" <<<"$out" || fail "bad ARGS accepted"
UMD_EMU_DEBUG='sample_umh:gdb;x' "$UMD_EMU" run -- true 2>"$tmp/err" && fail "a bad \$UMD_EMU_DEBUG accepted"
grep -q "run: \$UMD_EMU_DEBUG: 'x': expected DRIVER:gdb" "$tmp/err" || fail "bad \$UMD_EMU_DEBUG: $(cat "$tmp/err")"
# $UMD_EMU_DEBUG arms the first start.
out=$(UMD_EMU_DEBUG='sample_umh:strace=-e trace=write' "$UMD_EMU" run --modprobe sample_mgr -- bash -c '
	echo 1 > "$UMD_SECURITYFS/sample_umd" && umd-emu dmesg' 2>&1)
grep -q "sample_umh\[[0-9]*\] strace: write(1, " <<<"$out" || { echo "$out"; fail "\$UMD_EMU_DEBUG did not start the first handler under strace"; }

# As nobody: gdb attaches to a handler in the user's own namespace.
if [ "$(id -u)" = 0 ]; then
	"${NOBODY_RUN[@]}" test -x "$UMD_EMU" -a -r "$tmp/upper" ||
		skip "nobody cannot run $UMD_EMU (build directory not world-readable)"
	mkdir -p "$tmp/nobody" && chmod 0777 "$tmp/nobody"
	out=$(as_nobody env W="$tmp/nobody" PARTS=gdb \
		DRV=sample_umh LOADER=sample_loader_kmod \
		REQ='echo 7 > "$UMD_SECURITYFS/sample_umd"' \
		"$UMD_EMU" run --modprobe sample_mgr -- bash -c "$flow" 2>&1)
	status=$?
	echo "$out"
	if [ $status -eq 77 ]; then
		skip "cannot run as nobody here (/dev/fuse closed to nobody; UMD_EMU_TEST_ALLOW_CHMOD_FUSE=1 opens it): the flows as root passed"
	fi
	[ $status -eq 0 ] && grep -q "^flow passed" <<<"$out" || fail "the gdb flow as nobody failed ($status)"
fi
echo "PASS"
