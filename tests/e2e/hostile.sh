#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The sample manager against a hostile handler (handlers/hostile_handler.c):
# garbage, half a reply then EOF, more bytes than asked, the right byte
# plus one more, nothing, slow replies and a hang. Each bad reply is
# rejected with an errno, never taken as success, and the next request
# works; the watchdog (set at run time with umd-emu fault) ends slow and
# hung requests with ETIMEDOUT. The watchdog is armed only around the
# requests it must end: a handler that is merely slow to start on a busy
# machine never meets it.
. "$(dirname "$0")/lib.sh"
need_fuse
HOSTILE=${UMD_EMU_HOSTILE_MODULES:?}
CORE=${UMD_EMU_CORE_MODULES:?}

inner=$(cat <<'INNER'
set -u
echo "mount=$UMD_SECURITYFS"
f=$UMD_SECURITYFS/sample_umd
fail() { echo "FAIL: $*"; umd-emu dmesg | tail -n 20; exit 1; }
ok() { echo "$1" > "$f" || fail "offset $1 ($2) failed"; }
bad() {
	local err
	if err=$( (echo "$1" > "$f") 2>&1 ); then fail "offset $1 ($2) succeeded"; fi
	case "$err" in *"$3"*) echo "offset $1 ($2): $3" ;; *) fail "offset $1 ($2): $err, expected $3" ;; esac
}
ok 8 "right reply"
bad 9 "garbage" "Invalid argument"
ok 16 "right reply after garbage"
bad 10 "half a reply then EOF" "Bad address"
ok 24 "right reply after a short one"
ok 11 "right reply plus 4096 bytes"
# The extra bytes come in a second write(2): let them land, so that the
# probe before the next request finds them (bytes written after it are
# caught by the manager's reply check instead: EINVAL, then recovery).
sleep 0.3
ok 32 "the request after the extra bytes"
umd-emu dmesg | grep -q "beyond its reply, restarting it" || fail "the stale bytes were not detected"
bad 12 "nothing at all" "Bad address"
ok 40 "right reply after nothing"
bad 15 "the right byte and one more" "Invalid argument"
ok 64 "right reply after one byte too many"
ok 13 "slow right reply"
# The slow reply takes 64 ms at least (32 chunks, 2 ms apart): a 20 ms
# watchdog ends it however busy the machine is.
umd-emu fault "watchdog:driver=sample_umh,timeout_ms=20" || fail "umd-emu fault"
bad 21 "slow reply, 20 ms watchdog" "Connection timed out"
umd-emu fault "watchdog:driver=sample_umh,timeout_ms=0" || fail "umd-emu fault"
ok 48 "right reply after the watchdog"
umd-emu fault "watchdog:driver=sample_umh,timeout_ms=300"
bad 14 "hang" "Connection timed out"
umd-emu fault "watchdog:driver=sample_umh,timeout_ms=0"
ok 56 "right reply after a hang"
umd-emu dmesg | grep -q "watchdog: sample_umh\[[0-9]*\] did not answer" || fail "no watchdog report"
if umd-emu dmesg | grep -E "Sanitizer|runtime error"; then fail "sanitizer report"; fi
exit 0
INNER
)
out=$("$UMD_EMU" run --modules "$HOSTILE:$CORE" --modprobe sample_mgr -- bash -c "$inner" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the hostile handler flow failed ($status)"
not_mounted "$(mount_of "$out")" || fail "mount left behind"
echo "PASS"
