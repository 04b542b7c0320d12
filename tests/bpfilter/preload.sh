#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An unchanged program's bpfilter socket options, through the preload
# library inside umd-emu run, answer as a kernel with bpfilter does (-1,
# ENOPROTOOPT); the first call loads "bpfilter" and starts bpfilter_umh;
# other options still reach the real kernel. Also "umd-emu sockopt".
. "$(dirname "$0")/../e2e/lib.sh"
need_fuse
PRELOAD=${UMD_EMU_SOCKOPT_PRELOAD:?}
CLIENT=${UMD_EMU_SOCKOPT_CLIENT:?}

out=$("$UMD_EMU" run -- bash -c '
	echo "mount=$UMD_SECURITYFS"
	LD_PRELOAD="$0" "$1" || exit 1
	# The handler logs through its stderr, a moment after it answers.
	for i in $(seq 100); do
		umd-emu dmesg | grep -q "set cmd 64 from pid" && break
		sleep 0.05
	done
	umd-emu dmesg
	umd-emu sockopt set 65 --len 10; echo "sockopt status $?"
	umd-emu lsmod' "$PRELOAD" "$CLIENT" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the run failed ($status)"
for want in \
	"setsockopt(SOL_IP, 64) = -1 Protocol not available" \
	"setsockopt(SOL_IP, 65) = -1 Protocol not available" \
	"getsockopt(SOL_IP, 64) = -1 Protocol not available" \
	"getsockopt(SOL_IP, 67) = -1 Protocol not available" \
	"setsockopt(SOL_IP, IP_TTL) = 0" \
	"ttl = 33" \
	"bpfilter_umh[" \
	"]: Started bpfilter" \
	"setsockopt(SOL_IP, 65) = -1, errno 92 (Protocol not available)" \
	"sockopt status 1"; do
	grep -qF "$want" <<<"$out" || fail "missing: $want"
done
# The handler read the set's 64 bytes from the client, by its pid.
grep -q "set cmd 64 from pid [0-9]*: 64 bytes" <<<"$out" || fail "the handler did not read the caller's bytes"
[ "$(grep -c 'Started bpfilter' <<<"$out")" -eq 1 ] || fail "one handler expected"
not_mounted "$(mount_of "$out")" || fail "mount left behind"

# Outside umd-emu run the library steps aside: the real kernel answers.
LD_PRELOAD="$PRELOAD" env -u UMD_EMU_CONTROL "$CLIENT" | grep -q "setsockopt(SOL_IP, IP_TTL) = 0" ||
	fail "the preloaded program does not work outside umd-emu run"
echo "PASS"
