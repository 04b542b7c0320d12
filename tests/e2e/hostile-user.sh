#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bad-input and hostile-user table: what a user, a handler or a broken
# client may do to the emulator, and what must happen. Nothing may kill,
# hang or fool it: clients that vanish, handlers that stop, writers that
# get signals, mounts renamed or swapped for symlinks, the emulator or its
# guard killed, nonsense settings. Each row runs on its own and prints
# case | expected | got; the test fails on any row whose result differs.
# Rows that need root say so and skip where it is missing (a skip fails
# under UMD_EMU_REQUIRE_ALL=1, as in CI).
. "$(dirname "$0")/lib.sh"
need_fuse
UWRITE=${UMD_EMU_UWRITE:?uwrite helper}
TEST_MODULES=${UMD_EMU_TEST_MODULES:?test modules}
CORE=${UMD_EMU_CORE_MODULES:?core modules}
PRELOAD=${UMD_EMU_SOCKOPT_PRELOAD:-}
CLIENT=${UMD_EMU_SOCKOPT_CLIENT:-}

tmp=$(mktemp -d)
chmod 755 "$tmp"
cleanup() {
	local m
	for m in $(grep -o " $tmp[^ ]*" /proc/self/mounts); do
		umount -l "$m" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# Functions for the commands run inside umd-emu run.
cat >"$tmp/inner.sh" <<'INNER'
f=$UMD_SECURITYFS/sample_umd
# the newest sample handler's pid
hpid() { umd-emu dmesg | sed -n 's/.*Loaded sample_umh pid //p' | tail -n 1; }
starts() { umd-emu dmesg | grep -c "Loaded sample_umh"; }
# wait until process $1 sleeps in write(2) (not in the open before it,
# which also waits for FUSE): /proc/PID/syscall says 1
wait_blocked() {
	local i nr rest
	for i in $(seq 200); do
		read -r nr rest < "/proc/$1/syscall" 2>/dev/null
		[ "$nr" = 1 ] && [ "$(cat "/proc/$1/wchan" 2>/dev/null)" = request_wait_answer ] && return 0
		sleep 0.05
	done
	return 1
}
# exit status as a word: "exit N" or "killed by SIG"
how() {
	if [ "$1" -gt 128 ]; then echo "killed by $(kill -l $(($1 - 128)))"; else echo "exit $1"; fi
}
INNER

rows=()
failed=0

# row NAME EXPECT FUNCTION: FUNCTION's last line of output is the result.
row() {
	local name=$1 expect=$2 fn=$3 out got verdict=ok
	echo "--- $name" >&2
	out=$("$fn" 2>&1)
	got=$(tail -n 1 <<<"$out")
	if [ "$got" != "$expect" ]; then
		case "$got" in
		"skipped: "*) verdict=SKIP ;;
		*) verdict=FAIL ;;
		esac
		echo "--- $name: output"
		echo "$out"
	fi
	[ "$verdict" = FAIL ] && failed=$((failed + 1))
	[ "$verdict" = SKIP ] && [ "${UMD_EMU_REQUIRE_ALL:-0}" = 1 ] && failed=$((failed + 1))
	rows+=("$name"$'\t'"$expect"$'\t'"$got"$'\t'"$verdict")
}

emu() { "$UMD_EMU" run "$@"; }
in_emu() {	# in_emu [RUN OPTIONS] -- SCRIPT
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	emu "${opts[@]}" -- bash -c ". $tmp/inner.sh; $1"
}
needs_root() { [ "$(id -u)" = 0 ] || { echo "skipped: needs root"; return 1; }; }
mounted() { grep -q " $1 fuse.umd-emu " /proc/self/mounts; }
# A log of some 400 KB: one setting of 28,000 entries, logged whole (in
# four arguments: one may not exceed 128 KiB).
cat >>"$tmp/inner.sh" <<'INNER'
big_log() {
	umd-emu fault $(for i in 1 2 3 4; do printf 'fail_pipe:off;%.0s' $(seq 7000); echo; done)
}
INNER

# ---- 1. SIGPIPE --------------------------------------------------------

c_clients_vanish() {
	local out
	out=$(in_emu -- '
	big_log || exit 9
	python3 - <<PY
import os, socket, struct
for i in range(5):
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.environ["UMD_EMU_CONTROL"])
    p = b"dmesg\0"
    s.send(struct.pack("=IB", len(p), ord("Q")) + p)
    if i == 4:
        s.recv(1)   # a client killed mid-answer
    s.close()
PY
	umd-emu lsmod >/dev/null && echo alive')
	echo "$out, exit $?"
}

c_dmesg_head() {
	local out
	out=$(in_emu -- '
	big_log || exit 9
	umd-emu dmesg | head -c 100 >/dev/null
	umd-emu dmesg | head -n 2 >/dev/null
	umd-emu lsmod >/dev/null && echo alive')
	echo "$out, exit $?"
}

c_echo_head() {
	emu --echo --modprobe sample_mgr -- bash -c '
		echo 4 > "$UMD_SECURITYFS/sample_umd"; sleep 0.5
		umd-emu rmmod sample_loader_kmod
		echo 5 > "$UMD_SECURITYFS/sample_umd"' 2>&1 | head -c 20 >/dev/null
	echo "exit ${PIPESTATUS[0]}"
}

c_command_sigpipe() {
	in_emu -- '
	ign=$(awk "/^SigIgn:/ { print \$2 }" /proc/self/status)
	[ $(( 0x$ign & 0x1000 )) = 0 ] && echo "SIGPIPE default" || echo "SIGPIPE ignored"'
}

c_guard_killed() {
	local out status
	mkdir -p "$tmp/gmnt"
	out=$(in_emu --mount "$tmp/gmnt" -- '
	for c in $(pgrep -P $PPID); do
		[ "$c" != $$ ] && [ "$(cat /proc/$c/comm)" = umd-emu ] && kill -KILL $c
	done
	sleep 30; echo "COMMAND was not ended"' 2>&1)
	status=$?
	echo "$out"
	case "$out" in *"the guard (pid "*") was killed by signal 9"*) ;; *) echo "no reason given"; return ;; esac
	case "$out" in *"COMMAND was not ended"*) echo "COMMAND kept running"; return ;; esac
	mounted "$tmp/gmnt" && { echo "mount left"; return; }
	echo "exit $status, reason given, mount gone"
}

# ---- 2. A hung handler ------------------------------------------------

# interrupt SIG [--catch N]: a writer blocked on a stopped handler gets SIG
interrupt() {
	local sig=$1 catch=${2:-}
	in_emu --modprobe sample_mgr -- '
	echo 1 > "$f" || exit 9
	h=$(hpid); n=$(starts)
	kill -STOP $h
	'"$UWRITE $catch"' "$f" 2 > '"$tmp"'/w.out & w=$!
	wait_blocked $w || { echo "the writer never blocked"; exit 1; }
	kill -'"$sig"' $w; wait $w; st=$?
	res=$(cat '"$tmp"'/w.out)
	[ -n "$res" ] || res=$(how $st)
	echo 3 > "$f" && next="next write ok" || next="next write FAILED"
	[ "$(starts)" -gt $n ] && new="new handler" || new="no new handler"
	[ -d /proc/$h ] && [ "$(awk "{print \$3}" /proc/$h/stat)" != Z ] && new="$new, old one alive"
	echo "$res, $next, $new"'
}
c_interrupt_term() { interrupt TERM; }
c_interrupt_kill() { interrupt KILL; }
c_interrupt_caught() { interrupt USR1 "--catch 10"; }
c_interrupt_restart() { interrupt USR1 "--catch 10 --restart"; }

c_answers_while_stuck() {
	in_emu --modprobe sample_mgr -- '
	echo 1 > "$f"; kill -STOP $(hpid)
	(echo 2 > "$f") 2>/dev/null & w=$!
	wait_blocked $w || { echo "the writer never blocked"; exit 1; }
	ok=""
	timeout 10 umd-emu lsmod >/dev/null && ok="$ok lsmod"
	timeout 10 umd-emu dmesg >/dev/null && ok="$ok dmesg"
	timeout 10 umd-emu fault >/dev/null && ok="$ok fault"
	timeout 10 umd-emu --help >/dev/null && ok="$ok help"
	kill -KILL $w
	echo "answered:$ok"'
}

c_exit_with_stuck_writer() {
	local status
	mkdir -p "$tmp/smnt"
	timeout 60 "$UMD_EMU" run --mount "$tmp/smnt" --modprobe sample_mgr -- bash -c '
		. '"$tmp"'/inner.sh
		echo 1 > "$f"; kill -STOP $(hpid)
		setsid bash -c "echo 2 > $f" & w=$!
		wait_blocked $w
		exit 0'
	status=$?
	mounted "$tmp/smnt" && { echo "mount left"; return; }
	echo "exit $status, mount gone"
}

# A process outside COMMAND's group keeps a securityfs file open past the
# end: its RELEASE never comes; the emulator releases the file itself (else
# the file and its entry leak: LeakSanitizer fails the run in ASan builds).
c_file_open_past_end() {
	local out status
	mkdir -p "$tmp/keep"
	rm -f "$tmp/keep.ready"
	out=$(timeout 60 "$UMD_EMU" run --mount "$tmp/keep" --modprobe sample_mgr -- bash -c '
		. '"$tmp"'/inner.sh
		setsid bash -c "exec 3>$f; touch '"$tmp"'/keep.ready; sleep 3" </dev/null >/dev/null 2>&1 &
		for i in $(seq 100); do [ -e '"$tmp"'/keep.ready ] && break; sleep 0.05; done
		exit 0' 2>&1)
	status=$?
	mounted "$tmp/keep" && { echo "mount left"; return; }
	echo "$out"
	case "$out" in
	*"1 file(s) of $tmp/keep were still open at exit: released"*) echo "exit $status, released" ;;
	*) echo "exit $status, not said" ;;
	esac
}

c_sigterm_grace() {
	local pid status
	mkdir -p "$tmp/term"
	"$UMD_EMU" run --grace 1 -- bash -c 'trap "" TERM INT; touch '"$tmp"'/term/ready; sleep 100' &
	pid=$!
	for i in $(seq 100); do [ -e "$tmp/term/ready" ] && break; sleep 0.1; done
	kill -TERM $pid
	wait $pid
	status=$?
	echo "exit $status"
}

# ---- 3. The control socket ------------------------------------------

c_idle_client() {
	in_emu -- '
	python3 -c "import os, socket, time; s = socket.socket(socket.AF_UNIX); s.connect(os.environ[\"UMD_EMU_CONTROL\"]); time.sleep(30)" &
	sleep 0.3
	timeout 5 umd-emu lsmod >/dev/null && echo "lsmod answers" || echo "lsmod blocked"
	kill $!'
}

c_idle_dropped() {
	UMD_EMU_CTL_IDLE_MS=300 in_emu -- '
	python3 -c "
import os, socket
s = socket.socket(socket.AF_UNIX)
s.connect(os.environ[\"UMD_EMU_CONTROL\"])
s.settimeout(20)
print(\"dropped\" if s.recv(16) == b\"\" else \"answered\")"'
}

c_tab_in_name() {
	in_emu --modprobe sample_mgr -- '
	umd-emu modprobe "$(printf "nonexistent\tsample_loader_kmod")" 2>/dev/null; st=$?
	umd-emu lsmod | grep -q "^sample_loader_kmod" && l="loaded" || l="nothing loaded"
	echo "status $st, $l"'
}

c_empty_modprobe() {
	in_emu -- 'umd-emu modprobe ""; echo "status $?"' 2>&1 | sed 's/directory .*/directory .../' | tr '\n' ' '
	echo
}

c_empty_rmmod() {
	in_emu -- 'umd-emu rmmod ""; echo "status $?"' 2>&1 | tr '\n' ' '
	echo
}

c_socket_of_another_user() {
	needs_root || return
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$UMD_EMU" ||
		{ echo "skipped: nobody cannot run $UMD_EMU"; return; }
	in_emu -- '
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups '"$UMD_EMU"' lsmod 2>&1)
	case "$err" in
	*"(has"*) echo "misleading: $err" ;;
	*"Permission denied"*) echo "Permission denied" ;;
	*) echo "other: $err" ;;
	esac'
}

# ---- 4. Mounts, as root ---------------------------------------------

c_mount_symlink_swap() {
	local d=$tmp/swap pid status
	needs_root || return
	mkdir -p "$d/nd/m" "$d/victim/m"
	chmod 1777 "$d"
	mount -t tmpfs umd-emu-test-victim "$d/victim/m" || { echo "cannot mount a victim"; return; }
	chown -R nobody "$d/nd"
	"$UMD_EMU" run --mount "$d/nd/m" -- bash -c 'touch '"$d"'/ready; sleep 2' &
	pid=$!
	for i in $(seq 100); do [ -e "$d/ready" ] && break; sleep 0.1; done
	setpriv --reuid=65534 --regid=65534 --clear-groups bash -c \
		"mv $d/nd $d/nd.old && ln -s $d/victim $d/nd"
	timeout 30 tail --pid=$pid -f /dev/null
	wait $pid
	status=$?
	local victim=kept ours=detached
	grep -q " $d/victim/m tmpfs " /proc/self/mounts || victim=unmounted
	grep -q " $d/nd.old/m fuse.umd-emu " /proc/self/mounts && ours=left
	umount "$d/victim/m" 2>/dev/null
	echo "exit $status, the other mount $victim, ours $ours"
}

c_mount_parent_renamed() {
	local d=$tmp/ren status
	needs_root || return
	mkdir -p "$d/p/m"
	timeout 60 "$UMD_EMU" run --mount "$d/p/m" -- bash -c 'mv '"$d"'/p '"$d"'/q'
	status=$?
	grep -q " $d/q/m " /proc/self/mounts && { echo "exit $status, mount left"; return; }
	echo "exit $status, mount gone"
}

c_mount_twice() {
	local d=$tmp/twice pid out status first
	mkdir -p "$d/m"
	"$UMD_EMU" run --mount "$d/m" -- bash -c 'touch '"$d"'/ready; sleep 3; ls "$UMD_SECURITYFS" >/dev/null && echo first-ok' >"$d/first" 2>&1 &
	pid=$!
	for i in $(seq 100); do [ -e "$d/ready" ] && break; sleep 0.1; done
	out=$("$UMD_EMU" run --mount "$d/m" -- true 2>&1)
	status=$?
	wait $pid
	first=$(cat "$d/first")
	case "$out" in *"already a mount point"*) out="refused: already a mount point" ;; esac
	echo "second: status $status, $out; first: $first"
}

# killed_emulator [-m]: SIGKILL the emulator while COMMAND loops writing
# (-m: with --mount); what is left behind.
killed_emulator() {
	local d=$tmp/killed${1:-} opts=() pid cmd mnt ctl i left=""
	mkdir -p "$d"
	[ -n "${1:-}" ] && { mkdir -p "$d/m"; opts=(--mount "$d/m"); }
	"$UMD_EMU" run "${opts[@]}" --modprobe sample_mgr -- bash -c '
		echo "$$ $UMD_SECURITYFS $UMD_EMU_CONTROL" > '"$d"'/info
		while :; do echo 5 > "$UMD_SECURITYFS/sample_umd"; done 2>/dev/null' &
	pid=$!
	for i in $(seq 100); do [ -s "$d/info" ] && break; sleep 0.1; done
	read -r cmd mnt ctl <"$d/info"
	sleep 0.3
	kill -KILL $pid
	wait $pid 2>/dev/null
	running() { [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]; }
	for i in $(seq 100); do running "$cmd" || break; sleep 0.1; done
	for i in $(seq 50); do [ -e "$(dirname "$ctl")" ] || break; sleep 0.1; done
	running "$cmd" && left="$left COMMAND-running"
	mounted "$mnt" && left="$left mounted"
	[ -e "$mnt/sample_umd" ] && left="$left file-in-mount-point"
	[ -e "$(dirname "$ctl")" ] && left="$left temporary-directory"
	echo "left behind:${left:- nothing}"
}
c_killed_emulator() { killed_emulator; }
c_killed_emulator_mount() { killed_emulator -m; }

c_renamed_then_killed() {
	local d=$tmp/rk pid i
	needs_root || return
	mkdir -p "$d/p/m"
	"$UMD_EMU" run --mount "$d/p/m" -- bash -c 'mv '"$d"'/p '"$d"'/q; touch '"$d"'/ready; sleep 60' &
	pid=$!
	for i in $(seq 100); do [ -e "$d/ready" ] && break; sleep 0.1; done
	kill -KILL $pid
	wait $pid 2>/dev/null
	for i in $(seq 50); do grep -q " $d/q/m " /proc/self/mounts || break; sleep 0.1; done
	grep -q " $d/q/m " /proc/self/mounts && { echo "a mount is left (dead or not)"; return; }
	echo "nothing mounted"
}

c_helper_killed() {
	[ "$(id -u)" = 0 ] || { echo "skipped: needs root to run as nobody"; return; }
	as_nobody "$UMD_EMU" run -- bash -c '
		h=$(pgrep -P $PPID -x fusermount3)
		[ -n "$h" ] || { echo "no fusermount3 helper"; exit 0; }
		kill -KILL $h
		for i in $(seq 50); do [ -d /proc/$h ] || break; sleep 0.1; done
		[ -d /proc/$h ] && echo "zombie left" || echo "reaped"'
	local st=$?
	[ $st -eq 77 ] && echo "skipped: nobody cannot run umd-emu here"
}

# ---- 5. Settings ----------------------------------------------------

c_all_or_nothing() {
	in_emu -- '
	umd-emu fault "fail_pipe:nth=3;garbage" 2>/dev/null; st=$?
	umd-emu fault | grep -q "^fail_pipe *off" && p=off || p=armed
	echo "status $st, fail_pipe $p"'
}

c_nonsense_refused() {
	in_emu -- '
	n=0 bad=""
	for s in "watchdog:driver=sample_umh,timeout_ms=-1" "failslab:probability=nan" \
		 "crash:" "watchdog:" "failslab" "crash:driver=x,times=0" \
		 "fail_pipe:nth=1;$(printf "x%.0s" $(seq 5000))"; do
		if umd-emu fault "$s" 2>/dev/null; then bad="$bad ${s:0:30}"; else n=$((n + 1)); fi
	done
	umd-emu fault | grep -q "^fail_pipe *off" || bad="$bad (fail_pipe armed)"
	echo "refused $n${bad:+, accepted:$bad}"'
}

c_faultsweep_options() {
	local r="" a
	for a in "--point nope" "--point failslab --point fail_pipee" "--watchdog-ms=-5" \
		 "--random=-1" "--max-n=0"; do
		# shellcheck disable=SC2086
		"$UMD_EMU" faultsweep $a >/dev/null 2>&1
		r="$r $?"
	done
	"$UMD_EMU" faultsweep --no-faults --no-crash >/dev/null 2>&1
	r="$r $?"
	in_emu -- 'umd-emu sockopt set 64 --len -2 2>/dev/null; echo $?' >"$tmp/sockopt.out"
	echo "statuses$r, sockopt --len -2: $(cat "$tmp/sockopt.out")"
}

# ---- 6. What a handler sees --------------------------------------------

c_handler_kmsg_cwd() {
	in_emu --modprobe sample_mgr -- '
	echo 1 > "$f"; h=$(hpid)
	echo "/dev/kmsg -> $(readlink /proc/$h/root/dev/kmsg), cwd $(readlink /proc/$h/cwd) on $(stat -f -c %T /proc/$h/cwd/)"'
}

# ---- 7. Smaller --------------------------------------------------------

c_preload_ptracer() {
	[ -n "$PRELOAD" ] && [ -n "$CLIENT" ] || { echo "skipped: no preload library"; return; }
	command -v strace >/dev/null || { echo "skipped: strace is not installed"; return; }
	in_emu -- '
	strace -f -e trace=prctl -o '"$tmp"'/strace.out env LD_PRELOAD='"$PRELOAD"' '"$CLIENT"' >/dev/null 2>&1
	calls=$(grep -c "PR_SET_PTRACER" '"$tmp"'/strace.out)
	any=$(grep -c "PR_SET_PTRACER, 0xffffffffffffffff\|PR_SET_PTRACER_ANY" '"$tmp"'/strace.out)
	mine=$(grep -c "PR_SET_PTRACER, $PPID)" '"$tmp"'/strace.out)
	echo "PR_SET_PTRACER calls $calls, to any $any, to the emulator $mine"'
}

c_crafted_sockopt() {
	in_emu -- '
	pid=$(python3 - <<PY
import os, socket, struct
s = socket.socket(socket.AF_UNIX)
s.connect(os.environ["UMD_EMU_CONTROL"])
p = b"sockopt\0set\x0064\x00" + str(4096).encode() + b"\x008\x00"
s.send(struct.pack("=IB", len(p), ord("Q")) + p)
while s.recv(4096):
    pass
print(os.getpid())
PY
)
	for i in $(seq 50); do umd-emu dmesg | grep -q "set cmd 64\|cannot read 8 bytes" && break; sleep 0.1; done
	umd-emu dmesg | grep -q "pid $pid\b" && echo "the caller itself" || { umd-emu dmesg | tail -3; echo "another process"; }'
}

c_error_512() {
	in_emu --modprobe sample_mgr -- '
	echo 1 > "$f"
	# call 1 is the probe of the library for stale bytes, call 2 the reply
	umd-emu fault "fail_kernel_read:nth=2,error=512"
	r=$(timeout 20 '"$UWRITE"' "$f" 2)
	echo 3 > "$f" && n="next write ok" || n="next write FAILED"
	echo "$r, $n"'
}

c_stop_at_reply_offset() {
	in_emu --modprobe sample_mgr -- '
	echo 1 > "$f"
	umd-emu fault "watchdog:driver=sample_umh,timeout_ms=500" \
		"crash:driver=sample_umh,at=reply,offset=4,signal=STOP"
	r=$(timeout 30 '"$UWRITE"' "$f" 2)
	umd-emu fault "watchdog:driver=sample_umh,timeout_ms=0"
	echo 3 > "$f" && n="next write ok" || n="next write FAILED"
	echo "$r, $n"'
}

c_killed_between_requests() {
	in_emu --modprobe sample_mgr -- '
	echo 1 > "$f"; h=$(hpid)
	kill -KILL $h
	for i in $(seq 100); do [ -d /proc/$h ] || break; sleep 0.05; done
	[ -d /proc/$h ] && z="zombie left" || z="reaped"
	echo 2 > "$f" && n="next write ok" || n="next write FAILED"
	echo "$z, $n"'
}

c_empty_write() {
	in_emu --modprobe sample_mgr -- ''"$UWRITE"' "$f" ""'
}

c_warning_fails_run() {
	local a b
	emu --modules "$TEST_MODULES" --modprobe modtest_leftover -- true 2>"$tmp/warn.err"
	a=$?
	emu --modules "$TEST_MODULES" --modprobe modtest_leftover --ignore-warnings -- true 2>/dev/null
	b=$?
	grep -q "the kernel log has 2 WARNING(s)" "$tmp/warn.err" || { cat "$tmp/warn.err"; echo "no summary"; return; }
	echo "exit $a with a summary; --ignore-warnings: exit $b"
}

# ---- the table -------------------------------------------------------

row "5 clients send a request and vanish, one mid-answer" "alive, exit 0" c_clients_vanish
row "umd-emu dmesg | head with a 400 KB log" "alive, exit 0" c_dmesg_head
row "umd-emu run --echo ... 2>&1 | head -c 20" "exit 0" c_echo_head
row "COMMAND's SIGPIPE disposition" "SIGPIPE default" c_command_sigpipe
row "the guard killed" "exit 1, reason given, mount gone" c_guard_killed
row "writer on a stopped handler gets SIGTERM" "killed by TERM, next write ok, new handler" c_interrupt_term
row "writer on a stopped handler gets SIGKILL" "killed by KILL, next write ok, new handler" c_interrupt_kill
row "writer on a stopped handler catches a signal" "fail EINTR, next write ok, new handler" c_interrupt_caught
row "... catches it with SA_RESTART (kernel: restarts)" "fail EINTR, next write ok, new handler" c_interrupt_restart
row "lsmod, dmesg, fault, --help while a request is stuck" "answered: lsmod dmesg fault help" c_answers_while_stuck
row "COMMAND exits, a writer stuck on a stopped handler" "exit 0, mount gone" c_exit_with_stuck_writer
row "a securityfs file kept open past the end" "exit 0, released" c_file_open_past_end
row "SIGTERM to run, COMMAND ignores it (--grace 1)" "exit 137" c_sigterm_grace
row "a control client that sends nothing" "lsmod answers" c_idle_client
row "a silent control client after UMD_EMU_CTL_IDLE_MS" "dropped" c_idle_dropped
row "modprobe 'nonexistent<TAB>sample_loader_kmod'" "status 1, nothing loaded" c_tab_in_name
row "modprobe ''" "modprobe: FATAL: Module  not found in directory ... status 1 " c_empty_modprobe
row "rmmod ''" "rmmod: ERROR: Module  is not currently loaded status 1 " c_empty_rmmod
row "another user's control socket" "Permission denied" c_socket_of_another_user
row "--mount's parent swapped for a symlink to another mount" "exit 0, the other mount kept, ours detached" c_mount_symlink_swap
row "--mount's parent renamed" "exit 0, mount gone" c_mount_parent_renamed
row "two runs on one --mount DIR" "second: status 1, refused: already a mount point; first: first-ok" c_mount_twice
row "emulator SIGKILLed, COMMAND writing in a loop" "left behind: nothing" c_killed_emulator
row "the same with --mount" "left behind: nothing" c_killed_emulator_mount
row "--mount's parent renamed, then the emulator SIGKILLed" "nothing mounted" c_renamed_then_killed
row "fusermount3's helper killed (as nobody)" "reaped" c_helper_killed
row "fault 'fail_pipe:nth=3;garbage'" "status 1, fail_pipe off" c_all_or_nothing
row "nonsense settings (-1 ms, nan, bare crash:, ...)" "refused 7" c_nonsense_refused
row "faultsweep/sockopt options out of range" "statuses 2 2 2 2 2 1, sockopt --len -2: 2" c_faultsweep_options
row "a handler's /dev/kmsg and cwd" "/dev/kmsg -> /proc/self/fd/2, cwd / on tmpfs" c_handler_kmsg_cwd
row "the preload library's ptracer" "PR_SET_PTRACER calls 1, to any 0, to the emulator 1" c_preload_ptracer
row "a crafted sockopt request" "the caller itself" c_crafted_sockopt
row "fail_kernel_read error=512 (-ERESTARTSYS)" "fail EINTR, next write ok" c_error_512
row "crash STOP at reply offset 4 (500 ms watchdog)" "fail ETIMEDOUT, next write ok" c_stop_at_reply_offset
row "handler killed between two requests" "reaped, next write ok" c_killed_between_requests
row "write(fd, \"\", 0) (kernel: EINVAL)" "ok 0" c_empty_write
row "a WARNING in the kernel log" "exit 1 with a summary; --ignore-warnings: exit 0" c_warning_fails_run

echo
printf '%-56s  %-48s  %-48s  %s\n' "case" "expected" "got" "verdict"
for r in "${rows[@]}"; do
	IFS=$'\t' read -r name expect got verdict <<<"$r"
	printf '%-56s  %-48s  %-48s  %s\n' "$name" "${expect//$'\n'/ / }" "$got" "$verdict"
done
echo
echo "cases: ${#rows[@]}, failed: $failed"
[ "$failed" -eq 0 ] || fail "$failed case(s) of the hostile-user table failed"
echo "PASS"
