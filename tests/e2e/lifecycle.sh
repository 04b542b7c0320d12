#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# umd-emu run's own lifecycle: exit status, errors as one clear line,
# signals passed on, and no mount or handler left behind, also when the
# emulator is killed.
. "$(dirname "$0")/lib.sh"
need_fuse

# COMMAND's status is umd-emu's.
"$UMD_EMU" run -- sh -c 'exit 7'
[ $? -eq 7 ] || fail "exit status of COMMAND not passed on"
"$UMD_EMU" run --modprobe sample_mgr -- sh -c 'test -f "$UMD_SECURITYFS/sample_umd"' ||
	fail "--modprobe did not load sample_mgr before COMMAND"

# Errors: one line, non-zero status.
expect_fail "missing module" "module nope not found" "$UMD_EMU" run --modprobe nope -- true
expect_fail "bad mount dir" "not an existing directory" "$UMD_EMU" run --mount /nonexistent/dir -- true
expect_fail "bad command" "cannot run /nonexistent/cmd" "$UMD_EMU" run -- /nonexistent/cmd
expect_fail "outside run" "not inside 'umd-emu run'" env -u UMD_EMU_CONTROL "$UMD_EMU" lsmod
expect_fail "unknown command" "unknown command 'bogus'" "$UMD_EMU" bogus
expect_fail "bad option" "Unknown option" "$UMD_EMU" run --bogus -- true
"$UMD_EMU" run -- true 2>&1 | grep . && fail "a clean run printed something"
for c in run modprobe rmmod lsmod dmesg kdir; do
	"$UMD_EMU" $c --help | grep -q "Usage:" || fail "umd-emu $c --help"
done

# --mount, --log.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/mnt"
"$UMD_EMU" run --mount "$tmp/mnt" --log "$tmp/kmsg" --modprobe sample_mgr -- \
	sh -c '[ "$UMD_SECURITYFS" = "'"$tmp/mnt"'" ] && echo 64 > "$UMD_SECURITYFS/sample_umd"' ||
	fail "run with --mount and --log"
grep -q "Started sample_umh" "$tmp/kmsg" || fail "--log file lacks the handler start"
[ -z "$(ls -A "$tmp/mnt")" ] || fail "--mount dir still has entries after exit"

# Start "umd-emu run" in the background ($pid) with a handler running;
# $tmp/ready then holds the mount, the handler's pid and the pid of
# COMMAND ($$: exec keeps it), so that only its sleep is killed later.
start_run() {
	rm -f "$tmp/ready"
	"$UMD_EMU" run --modprobe sample_mgr -- sh -c 'echo 1 > "$UMD_SECURITYFS/sample_umd" &&
		echo "$UMD_SECURITYFS $(umd-emu dmesg | sed -n "s/.*Loaded sample_umh pid //p") $$" > '"$tmp/ready.new"' &&
		mv '"$tmp/ready.new $tmp/ready"'; exec sleep 60' &
	pid=$!
	for i in $(seq 100); do [ -s "$tmp/ready" ] && break; sleep 0.1; done
	[ -s "$tmp/ready" ] || fail "the emulator did not start"
}

# SIGTERM to the emulator: passed on to COMMAND, clean exit 143.
start_run
kill -TERM $pid
wait $pid
status=$?
[ $status -eq 143 ] || fail "SIGTERM: exit status $status, expected 143"
read -r mnt handler _ <"$tmp/ready"
not_mounted "$mnt" || fail "mount left behind after SIGTERM"
kill -0 "$handler" 2>/dev/null && fail "handler $handler survived the emulator"

# SIGKILL to the emulator: its guard (umd-emu run's child in a session of
# its own) ends COMMAND's process group and detaches the mount; the
# handlers exit at end of file on their pipes to the emulator.
start_run
read -r mnt handler sleeper <"$tmp/ready"
[ -n "$handler" ] || fail "no handler pid reported"
kill -KILL $pid
wait $pid 2>/dev/null
[ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
for i in $(seq 50); do not_mounted "$mnt" && break; sleep 0.1; done
not_mounted "$mnt" || fail "mount left behind after SIGKILL"
# The guard also removes the emulator's temporary directory (the mount
# point's parent, with the control socket).
for i in $(seq 50); do [ -e "$(dirname "$mnt")" ] || break; sleep 0.1; done
[ -e "$(dirname "$mnt")" ] && fail "temporary directory $(dirname "$mnt") left behind after SIGKILL"
for i in $(seq 50); do kill -0 "$handler" 2>/dev/null || break; sleep 0.1; done
kill -0 "$handler" 2>/dev/null && fail "handler $handler survived the killed emulator"
echo "PASS"
