#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a user does in a shell inside "umd-emu run": good and bad writes,
# reading a write-only file, rmmod while idle and in use, dmesg showing
# handler restarts, four shells writing at once.
. "$(dirname "$0")/lib.sh"
need_fuse

inner=$(cat <<'INNER'
set -u
echo "mount=$UMD_SECURITYFS"
f=$UMD_SECURITYFS/sample_umd
fail() { echo "FAIL: $*"; exit 1; }
expect_einval() {
	local err
	if err=$( (printf '%s' "$1" > "$f") 2>&1 ); then
		fail "writing '$1' succeeded"
	fi
	case "$err" in *"Invalid argument"*) ;; *) fail "writing '$1': $err" ;; esac
}
umd-emu modprobe sample_mgr || fail "modprobe sample_mgr"
[ "$(stat -c %a "$f")" = 200 ] || fail "mode is $(stat -c %a "$f"), not 200"
echo 4096 > "$f" || fail "echo 4096"
printf 0 > "$f" || fail "0 without a newline"
echo 131071 > "$f" || fail "131071"
for bad in $'131072\n' $'999999\n' $'abc\n' 12345678 $'1234567\n' $'-1\n' $'\n' $'0x10\n' $' 1\n'; do
	expect_einval "$bad"
done
# Reading: there is no ->read (as root: EINVAL; as a user: EACCES).
if err=$(cat "$f" 2>&1); then fail "reading a write-only file succeeded"; fi
case "$err" in *"Invalid argument"*|*"Permission denied"*) ;; *) fail "cat: $err" ;; esac
# rmmod of the manager while the loader uses it.
if err=$(umd-emu rmmod sample_mgr 2>&1); then fail "rmmod sample_mgr in use succeeded"; fi
case "$err" in *"Resource temporarily unavailable"*) ;; *) fail "rmmod: $err" ;; esac
umd-emu lsmod | grep -q "^sample_mgr .* 1 sample_loader_kmod$" || fail "lsmod: $(umd-emu lsmod)"
umd-emu rmmod sample_loader_kmod || fail "rmmod sample_loader_kmod"
echo 5 > "$f" || fail "write after reload"
starts=$(umd-emu dmesg | grep -c "Started sample_umh")
[ "$starts" -eq 2 ] || fail "expected 2 handler starts in dmesg, saw $starts"
# Four shells writing concurrently.
pids=()
for s in 1 2 3 4; do
	( for i in $(seq 100); do echo $(( (i * s * 1031) % 131072 )) > "$f" || exit 1; done ) &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "concurrent writer $p failed"; done
umd-emu rmmod nope 2>/dev/null && fail "rmmod of a module not loaded succeeded"
exit 0
INNER
)
out=$("$UMD_EMU" run -- bash -c "$inner" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the shell flow exited with $status"
mnt=$(mount_of "$out")
[ -n "$mnt" ] || fail "no mount point reported"
not_mounted "$mnt" || fail "the FUSE mount at $mnt was left behind"
echo "PASS"
