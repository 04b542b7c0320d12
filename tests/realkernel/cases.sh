#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The differential cases: one script, run unchanged under "umd-emu run"
# (bash) and in the real-kernel VM (busybox sh). Each case prints one line
#   @case NAME: RESULT
# which tests/realkernel/differential.sh compares between the two; "@time"
# lines are figures, not compared. Needs, next to it: umd_mgmt.sh (the
# selftest); the out-of-tree UMD "upper" loadable by modprobe; and a
# bpfilter socket option client: $SOCKOPT_CLIENT, or ./sockopt-client; and
# uwrite (tests/e2e/uwrite.c: one write(2) and its result): $UWRITE, or
# ./uwrite.

cd "$(dirname "$0")" || exit 1
sfs=${UMD_SECURITYFS:?not under umd-emu run or in the VM}
client=${SOCKOPT_CLIENT:-./sockopt-client}
uw=${UWRITE:-./uwrite}

report() { echo "@case $1: $2"; }

# result CMD...: "ok", or "fail: " and the strerror text ending its
# message. umd-emu rmmod words its errors as kmod's rmmod does, busybox's
# rmmod as "can't unload module 'X': STRERROR": the errno is compared.
result() {
	err=$("$@" 2>&1 >/dev/null)
	if [ $? -eq 0 ]; then
		echo ok
		return
	fi
	case "$err" in
	*"is not currently loaded"*) err="No such file or directory" ;;
	*" (in use by: "*) err=${err%% (in use by: *} ;;
	esac
	echo "fail: ${err##*: }"
}

# write_to FILE TEXT: one write(2) of TEXT and a newline.
write_to() { echo "$2" > "$1"; }

# now_ms: milliseconds of uptime, to 10 ms (busybox date has no %N).
now_ms() {
	read -r up _ < /proc/uptime
	echo $(( ${up%.*} * 1000 + 10 * $(echo "${up#*.}" | sed 's/^0//') ))
}

# procs_of NAME: pids whose comm is NAME, or "memfd:NAME" cut to 15
# characters as the emulator's handlers are named (docs/DIFFERENCES.md).
procs_of() {
	memfd_name=$(printf 'memfd:%s' "$1" | cut -c1-15)
	for c in /proc/[0-9]*/comm; do
		{ read -r comm < "$c"; } 2>/dev/null || continue
		if [ "$comm" = "$1" ] || [ "$comm" = "$memfd_name" ]; then
			p=${c#/proc/}
			echo "${p%/comm}"
		fi
	done
}

kmsg_count() { umd-emu dmesg | grep -c "$1"; }

# 1. The selftest: 500 writes, a loader reload every 50.
t0=$(now_ms)
${BASH:-sh} ./umd_mgmt.sh > selftest.out 2>&1
report selftest "exit $?"
echo "@time selftest: $(( $(now_ms) - t0 )) ms"
tail -n 1 selftest.out
report "selftest handler starts (kernel log)" "$(kmsg_count 'Started sample_umh')"

# 2. Bad input to the manager's securityfs file.
for v in 131072 abc 12345678 -1 "" 4294967296 " 1"; do
	report "write '$v' to sample_umd" "$(result write_to "$sfs/sample_umd" "$v")"
done
report "write '0' to sample_umd" "$(result write_to "$sfs/sample_umd" 0)"
report "write '131071' to sample_umd" "$(result write_to "$sfs/sample_umd" 131071)"

# 3. Module life cycle around a running handler.
report "rmmod sample_mgr while the loader uses it" "$(result umd-emu rmmod sample_mgr)"
report "rmmod sample_loader_kmod" "$(result umd-emu rmmod sample_loader_kmod)"
report "rmmod sample_loader_kmod again" "$(result umd-emu rmmod sample_loader_kmod)"
sleep 1
report "sample handlers after rmmod of the loader" "$(procs_of sample_umh | wc -l)"
report "write after rmmod of the loader (reloads it)" "$(result write_to "$sfs/sample_umd" 1024)"
report "sample handlers after the reload" "$(procs_of sample_umh | wc -l)"
report "modprobe of a module that does not exist" \
	"$(umd-emu modprobe -q no_such_module_x >/dev/null 2>&1 && echo ok || echo fail)"

# 4. bpfilter socket options from an unchanged program.
$client > sockopt.out 2>&1
report "bpfilter client exit status" "$?"
while read -r line; do
	case "$line" in
	*" = "*) report "bpfilter ${line%% = *}" "${line#* = }" ;;
	esac
done < sockopt.out
report "bpfilter handler starts (kernel log)" "$(kmsg_count 'Started bpfilter')"

# 5. The out-of-tree UMD.
report "modprobe upper_mgr" "$(result umd-emu modprobe upper_mgr)"
report "write to upper" "$(result write_to "$sfs/upper" "hello umd")"
report "read back from upper" "$(cat "$sfs/upper" 2>&1)"
pids=$(procs_of upper_umh)
report "upper handlers running" "$(echo "$pids" | grep -c .)"
pid=$(echo "$pids" | head -n 1)
if [ -n "$pid" ]; then
	report "upper handler comm" "$(cat "/proc/$pid/comm")"
	report "upper handler open fds" "$(ls "/proc/$pid/fd" | tr '\n' ' ')"
	report "upper handler uid" "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")"
	report "upper handler threads" "$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")"
	report "upper handler parent" \
		"$([ "$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status")" = 2 ] && echo "kthreadd (pid 2)" || echo "a user process")"
	report "upper handler cwd" "$(readlink "/proc/$pid/cwd")"
fi
report "rmmod upper_mgr while the loader uses it" "$(result umd-emu rmmod upper_mgr)"
report "rmmod upper_loader" "$(result umd-emu rmmod upper_loader)"
gone=no
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -z "$(procs_of upper_umh)" ] && { gone=yes; break; }
	sleep 0.1
done
report "upper handler gone after rmmod of its loader" "$gone"
report "write to upper after rmmod (reloads)" "$(result write_to "$sfs/upper" "again")"
report "read back after the reload" "$(cat "$sfs/upper" 2>&1)"
report "write 60 bytes to upper (too long)" \
	"$(result write_to "$sfs/upper" "012345678901234567890123456789012345678901234567890123456789")"
report "rmmod upper_loader, then upper_mgr" \
	"$(result umd-emu rmmod upper_loader), $(result umd-emu rmmod upper_mgr)"
report "upper file after rmmod upper_mgr" "$([ -e "$sfs/upper" ] && echo present || echo gone)"

# 6. A writer interrupted while the handler hangs (stopped): on a kernel
# it sleeps interruptibly in pipe_read(), the exchange fails, the handler
# is killed and the next write starts a new one.
# blocked_in_write PID: PID sleeps in write(2) (/proc/PID/syscall: 1).
blocked_in_write() {
	for i in $(seq 100); do
		read -r nr rest < "/proc/$1/syscall" 2>/dev/null
		state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
		[ "$nr" = 1 ] && [ "$state" = S ] && return 0
		sleep 0.05
	done
	return 1
}
interrupt_case() { # NAME SIGNAL [uwrite options]
	name=$1 sig=$2
	shift 2
	write_to "$sfs/sample_umd" 1
	h=$(procs_of sample_umh | head -n 1)
	starts=$(kmsg_count 'Started sample_umh')
	kill -STOP "$h"
	$uw "$@" "$sfs/sample_umd" 2 > uwrite.out 2>&1 &
	w=$!
	blocked_in_write $w || echo "note: the writer was not seen blocked"
	kill -"$sig" $w
	wait $w
	st=$?
	res=$(cat uwrite.out)
	[ -n "$res" ] || res="exit $st"
	next=$(result write_to "$sfs/sample_umd" 3)
	sleep 0.2
	new=no
	[ "$(kmsg_count 'Started sample_umh')" -gt "$starts" ] && new=yes
	old=gone
	[ -d "/proc/$h" ] && [ "$(sed 's/.*) //' "/proc/$h/stat" | cut -c1)" != Z ] && old=running
	report "writer interrupted by $name while the handler hangs" \
		"$res; next write $next; new handler $new; old handler $old"
}
interrupt_case SIGTERM TERM
interrupt_case SIGKILL KILL
interrupt_case "a caught SIGUSR1" USR1 --catch 10
interrupt_case "a caught SIGUSR1 (SA_RESTART)" USR1 --catch 10 --restart

# 7. An empty write(2): a kernel calls ->write with 0 bytes.
report "write(2) of 0 bytes to sample_umd" "$($uw "$sfs/sample_umd" "")"

# 8. The PGP UMD (core/pgp): keys and detached signatures made by gpg
# (tests/pgp/make-inputs.sh, in ./pgp), added and verified by the
# kernel's own keyring and public-key API on a real kernel.
if [ -d pgp ]; then
	in=$PWD/pgp
	report "modprobe pgp_mgr" "$(result umd-emu modprobe pgp_mgr)"
	for k in rsa2048.pub rsa4096.asc p256.asc multi.pub past.pub expired.asc \
		ed25519.asc dsa.pub data.bin; do
		report "pgp add key $k" "$($uw --from "$in/$k" "$sfs/pgp_keys")"
	done
	report "pgp keys listed" "$(cut -d' ' -f2- "$sfs/pgp_keys" | tr '\n' ';')"
	while read -r name data sig; do
		# ok's count is the line's length, which the paths set: not
		# compared.
		report "pgp verify $name" \
			"$($uw "$sfs/pgp_verify" "$in/$data $in/$sig" | sed 's/^ok .*/ok/')"
	done <<EOF_CASES
rsa2048 data.bin rsa2048-bin.sig
rsa2048-armored data.bin rsa2048-bin.asc
rsa2048-text data.txt rsa2048-txt.sig
rsa2048-tampered tampered.bin rsa2048-bin.sig
rsa4096 data.bin rsa4096-bin.sig
rsa4096-text-tampered tampered.txt rsa4096-txt.sig
p256 data.bin p256-bin.sig
p256-text data.txt p256-txt.sig
p256-tampered tampered.bin p256-bin.sig
multi-subkey data.bin multi-bin.sig
other-key data.bin other-bin.sig
expired-signature data.bin past-expsig.sig
expired-key data.bin expired-bin.sig
truncated data.bin rsa2048-trunc.sig
not-a-signature data.bin data.txt
ed25519 data.bin ed25519-bin.sig
missing-file none rsa2048-bin.sig
EOF_CASES
	report "pgp verify with a relative path" \
		"$($uw "$sfs/pgp_verify" "data.bin rsa2048-bin.sig")"
	report "pgp handlers running" "$(procs_of pgp_umh | wc -l)"
	report "rmmod pgp_loader_kmod, then pgp_mgr" \
		"$(result umd-emu rmmod pgp_loader_kmod), $(result umd-emu rmmod pgp_mgr)"
fi
exit 0
