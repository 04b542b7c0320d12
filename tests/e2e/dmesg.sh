#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# umd-emu dmesg with util-linux's options: -l with the levels records
# really carry (printk's KERN_* of the library, the emulator's own lines,
# the handler's "<N>" prefix), -c and -C, -T, --since and --until, and
# -w/-W, which see lines logged after they started and end with status 0
# when the run ends. Lines of handler stderr carry the handler's name and
# pid. Errors are one line and a non-zero status.
. "$(dirname "$0")/lib.sh"
need_fuse
command -v setsid >/dev/null || skip "setsid is not installed (util-linux)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one_line_error DESCRIPTION PATTERN ARGS...: umd-emu dmesg ARGS fails
# with one line on stderr matching PATTERN, nothing on stdout.
one_line_error() {
	local what=$1 pattern=$2 out err status
	shift 2
	out=$(env -u UMD_EMU_CONTROL "$UMD_EMU" dmesg "$@" 2>"$tmp/err")
	status=$?
	err=$(cat "$tmp/err")
	[ $status -ne 0 ] || fail "$what: exit status 0"
	[ -z "$out" ] || fail "$what: printed '$out'"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: not one line: '$err'"
	case "$err" in *$pattern*) ;; *) fail "$what: '$err', expected '$pattern'" ;; esac
}
one_line_error "unknown level" "unknown level 'bogus'" -l err,bogus
one_line_error "empty level" "unknown level ''" --level=
one_line_error "bad --since" "invalid --since time 'yesterdayish'" --since yesterdayish
one_line_error "bad --until" "invalid --until time '-3 parsecs'" --until "-3 parsecs"
one_line_error "-C with -w" "--clear prints nothing" -C -w
one_line_error "-w with -W" "exclude each other" -w -W
one_line_error "an argument" "takes no argument" now
one_line_error "outside run" "not inside 'umd-emu run'" -l err
"$UMD_EMU" dmesg --help | grep -q -- "--follow" || fail "dmesg --help lacks --follow"

before=$(date +%s)
T=$tmp "$UMD_EMU" run --modprobe sample_mgr -- bash -c '
	S=$UMD_SECURITYFS/sample_umd
	echo 1 > "$S" || exit 11
	umd-emu fault "crash:driver=sample_umh,signal=KILL" || exit 12
	echo 2 > "$S" 2>/dev/null && exit 13	# the handler is killed first
	echo 3 > "$S" || exit 14		# a new one
	umd-emu dmesg > "$T/all"
	umd-emu dmesg -l err > "$T/err"
	umd-emu dmesg --level notice,6 > "$T/notice-info"
	umd-emu dmesg -l DEBUG > "$T/debug"
	umd-emu dmesg -l 3 > "$T/3"
	umd-emu dmesg -T -l info > "$T/ctime"
	umd-emu dmesg --since -1h > "$T/since-1h"
	umd-emu dmesg --until -1h > "$T/until-1h"
	umd-emu dmesg --since "@$(( $(date +%s) + 3600 ))" > "$T/since-future"
	umd-emu dmesg --since "$(date "+%Y-%m-%d %H:%M:%S" -d "-1 hour")" > "$T/since-date"
	first=$(sed -n "s/^\[ *\([0-9.]*\)\] umd_mgmt: Loaded.*/\1/p" "$T/all" | head -n 1)
	second=$(sed -n "s/^\[ *\([0-9.]*\)\] umd_mgmt: Loaded.*/\1/p" "$T/all" | tail -n 1)
	umd-emu dmesg --since "$second" > "$T/since-second"
	umd-emu dmesg --until "$first" > "$T/until-first"

	# Followers, in sessions of their own: they outlive COMMAND, and end
	# when the run does. -W with levels: only new notice and info lines.
	setsid bash -c "umd-emu dmesg -w > \"$T/follow\" 2>&1; echo \$? > \"$T/follow.status\"" &
	setsid bash -c "umd-emu dmesg -W -l notice,info > \"$T/follow-new\" 2>&1; echo \$? > \"$T/follow-new.status\"" &
	# -w prints the log at once; -W has started once it shows a line
	# logged after it (an info line of "umd-emu fault seed=N").
	for i in $(seq 300); do
		umd-emu fault "seed=$i" || exit 15
		grep -q "seed=$i " "$T/follow-new" && [ -s "$T/follow" ] && break
		sleep 0.2
	done
	umd-emu lsmod > "$T/lsmod" || exit 16	# others are served meanwhile
	umd-emu rmmod sample_loader_kmod || exit 17
	echo 4 > "$S" || exit 18
	pid=$(umd-emu dmesg | sed -n "s/.*Loaded sample_umh pid //p" | tail -n 1)
	echo "$pid" > "$T/new-pid"
	for i in $(seq 600); do
		grep -q "sample_umh\[$pid\]: Started" "$T/follow" &&
			grep -q "sample_umh\[$pid\]: Started" "$T/follow-new" && break
		sleep 0.1
	done

	# -c prints, then clears what it printed; -C clears.
	umd-emu dmesg -c > "$T/c1"
	umd-emu dmesg > "$T/c2"
	umd-emu rmmod sample_loader_kmod || exit 19
	echo 5 > "$S" || exit 20
	umd-emu dmesg > "$T/c3"
	umd-emu dmesg -C > "$T/C" || exit 21
	umd-emu dmesg > "$T/C2"
	umd-emu check > /dev/null || exit 22
'
status=$?
after=$(date +%s)
[ $status -eq 0 ] || { cat "$tmp"/all 2>/dev/null; fail "the session failed ($status)"; }
cat "$tmp/all"

# Levels as the records carry them.
grep -q "umd_mgmt: Loaded sample_umh pid" "$tmp/all" || fail "no Loaded line"
grep -q "umd_mgmt: sample_umh: \(write\|read\) fail" "$tmp/err" || fail "-l err lacks the library's pr_err"
grep -v "umd_mgmt: sample_umh: \(write\|read\) fail" "$tmp/err" && fail "-l err printed other lines"
cmp -s "$tmp/err" "$tmp/3" || fail "-l 3 differs from -l err"
grep -q "sample_umh\[[0-9]*\]: Started sample_umh" "$tmp/notice-info" || fail "-l notice,6 lacks the handler's <5> line"
grep -q "umd_mgmt: Loaded" "$tmp/notice-info" || fail "-l notice,6 lacks pr_info"
grep -q "FAULT_INJECTION: crashing" "$tmp/notice-info" || fail "-l notice,6 lacks FAULT_INJECTION"
grep -q "killed by signal\|fail -" "$tmp/notice-info" && fail "-l notice,6 has debug or err lines"
grep -q "umd-emu: sample_umh\[[0-9]*\] killed by signal 9" "$tmp/debug" || fail "-l DEBUG lacks the emulator's debug line"
grep -qv "umd-emu: " "$tmp/debug" && fail "-l debug has other lines"

# Handler stderr: named by its driver and pid, the pid of a handler.
grep "Started sample_umh" "$tmp/all" | grep -v "^\[ *[0-9.]*\] sample_umh\[[0-9]*\]: Started sample_umh$" &&
	fail "a handler line without its name and pid"
for pid in $(sed -n "s/.*Loaded sample_umh pid //p" "$tmp/all"); do
	grep -q "sample_umh\[$pid\]: Started sample_umh" "$tmp/all" || fail "no line of handler $pid"
done

# -T: the wall clock of the records, between the run's start and end.
line=$(grep "Loaded sample_umh" "$tmp/ctime" | head -n 1)
stamp=$(sed -n 's/^\[\([A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [0-9]*\)\] umd_mgmt: Loaded.*/\1/p' <<<"$line")
[ -n "$stamp" ] || fail "-T line '$line' is not '[Www Mmm dd hh:mm:ss yyyy] text'"
t=$(date -d "$stamp" +%s) || fail "-T time '$stamp' does not parse"
[ "$t" -ge $((before - 1)) ] && [ "$t" -le $((after + 1)) ] ||
	fail "-T time $stamp ($t) outside the run ($before..$after)"

# --since/--until: relative, absolute, the Epoch, seconds since the start.
[ "$(grep -c "Loaded sample_umh" "$tmp/since-1h")" -ge 2 ] || fail "--since -1h lacks lines"
[ -s "$tmp/until-1h" ] && fail "--until -1h printed lines from before the emulator started"
[ -s "$tmp/since-future" ] && fail "--since @(an hour from now) printed lines"
[ "$(grep -c "Loaded sample_umh" "$tmp/since-date")" -ge 2 ] || fail "--since 'YYYY-MM-DD HH:MM:SS' lacks lines"
[ "$(grep -c "Loaded sample_umh" "$tmp/since-second")" -eq 1 ] || fail "--since SECONDS: not only the second handler's Loaded"
[ "$(grep -c "Loaded sample_umh" "$tmp/until-first")" -eq 1 ] || fail "--until SECONDS: not only the first handler's Loaded"
head -n 1 "$tmp/since-second" | grep -q "Loaded sample_umh" || fail "--since SECONDS does not start at that record"

# -w saw the backlog and the new handler; -W -l notice,info only what
# came after it started, and no debug line.
pid=$(cat "$tmp/new-pid")
first=$(sed -n 's/.*Loaded sample_umh pid //p' "$tmp/all" | head -n 1)
grep -q "Loaded sample_umh pid $first" "$tmp/follow" || fail "-w lacks the backlog"
grep -q "sample_umh\[$pid\]: Started sample_umh" "$tmp/follow" || fail "-w did not see the new handler's line"
grep -q "killed by signal" "$tmp/follow" || fail "-w did not see the rmmod's debug line"
grep -q "sample_umh\[$pid\]: Started sample_umh" "$tmp/follow-new" || fail "-W did not see the new handler's notice line"
grep -q "Loaded sample_umh pid $pid" "$tmp/follow-new" || fail "-W did not see the new handler's info line"
grep -q "killed by signal" "$tmp/follow-new" && fail "-W -l notice,info printed a debug line"
grep -q "sample_umh\[$first\]\|pid $first\$" "$tmp/follow-new" && fail "-W printed a line from before it started"
grep -q "Module" "$tmp/lsmod" || fail "lsmod was not answered while followers ran"
# They end when the run does, with status 0 (bounded generously).
for i in $(seq 600); do
	[ -s "$tmp/follow.status" ] && [ -s "$tmp/follow-new.status" ] && break
	sleep 0.1
done
[ "$(cat "$tmp/follow.status" 2>/dev/null)" = 0 ] || fail "-w did not end with 0 when the run ended: '$(cat "$tmp/follow.status" 2>/dev/null)'"
[ "$(cat "$tmp/follow-new.status" 2>/dev/null)" = 0 ] || fail "-W did not end with 0 when the run ended"

# -c: printed, then cleared; what comes later is shown; -C clears.
grep -q "Loaded sample_umh" "$tmp/c1" || fail "-c printed nothing"
if [ -s "$tmp/c2" ] && grep -qxFf "$tmp/c2" "$tmp/c1"; then
	fail "-c did not clear what it printed"
fi
grep -q "Loaded sample_umh" "$tmp/c2" && fail "a Loaded line after -c"
[ "$(grep -c "Loaded sample_umh" "$tmp/c3")" -eq 1 ] || fail "after -c, the next handler's line is not there alone"
[ -s "$tmp/C" ] && fail "-C printed something"
grep -q "Loaded sample_umh" "$tmp/C2" && fail "-C did not clear"
echo "PASS"
