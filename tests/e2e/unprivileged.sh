#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# umd-emu run as an unprivileged user. As root, the test drops to nobody
# (setpriv): where /dev/fuse is closed to that user it checks the one-line
# reason; with UMD_EMU_TEST_ALLOW_CHMOD_FUSE=1 it also opens /dev/fuse
# (0666, as most distributions ship it) for the duration of the test and
# runs the whole flow through fusermount3. As a normal user it runs the
# flow as that user. The flow runs twice: with handlers in their user and
# mount namespace (the default: bpfilter_umh cannot read its caller's
# memory from there, and says so; the answer is the same), and with
# UMD_EMU_HANDLER_NS=0 (it reads the caller's bytes by pid).
. "$(dirname "$0")/lib.sh"

flow='
	[ "$(id -u)" != 0 ] || { echo "FAIL: running as root"; exit 1; }
	f=$UMD_SECURITYFS/sample_umd
	[ "$(stat -c %u "$f")" = "$(id -u)" ] || { echo "FAIL: not owned by the user"; exit 1; }
	echo 4096 > "$f" || exit 1
	err=$(cat "$f" 2>&1) && { echo "FAIL: a 0200 file was readable"; exit 1; }
	case "$err" in *"Permission denied"*) ;; *) echo "FAIL: cat: $err"; exit 1 ;; esac
	err=$( (echo 131072 > "$f") 2>&1) && { echo "FAIL: 131072 accepted"; exit 1; }
	case "$err" in *"Invalid argument"*) ;; *) echo "FAIL: $err"; exit 1 ;; esac
	umd-emu dmesg | grep -q "Started sample_umh" || { echo "FAIL: no handler start"; exit 1; }
	out=$(umd-emu sockopt set 64 --len 8)
	case "$out" in *"errno 92"*) ;; *) echo "FAIL: sockopt: $out"; exit 1 ;; esac
	# bpfilter_umh reads the caller'"'"'s bytes by pid: as this user too,
	# unless it runs in a user namespace of its own.
	if [ "${UMD_EMU_HANDLER_NS:-1}" = 0 ]; then
		want="set cmd 64 from pid [0-9]*: 8 bytes"
	else
		want="cannot read 8 bytes of pid [0-9]*: Operation not permitted"
	fi
	for i in $(seq 50); do
		umd-emu dmesg | grep -q "$want" && break
		sleep 0.1
	done
	umd-emu dmesg | grep -q "$want" ||
		{ echo "FAIL: no \"$want\" from bpfilter_umh"; umd-emu dmesg | tail; exit 1; }
	echo "mount=$UMD_SECURITYFS"'

run_flow() {
	local out status mnt ns
	for ns in 1 0; do
		out=$("$@" UMD_EMU_HANDLER_NS=$ns "$UMD_EMU" run --modprobe sample_mgr -- bash -c "$flow" 2>&1)
		status=$?
		echo "$out"
		[ $status -eq 0 ] || fail "the unprivileged flow failed ($status, UMD_EMU_HANDLER_NS=$ns)"
		mnt=$(mount_of "$out")
		not_mounted "$mnt" || fail "mount left behind at $mnt"
	done
}

if [ "$(id -u)" != 0 ]; then
	need_fuse
	run_flow env
	echo "PASS: unprivileged flow as $(id -un)"
	exit 0
fi

command -v setpriv >/dev/null || skip "setpriv (util-linux) is needed to drop privileges"
[ -e /dev/fuse ] || skip "/dev/fuse does not exist"
"${NOBODY_RUN[@]}" test -x "$UMD_EMU" || skip "nobody cannot execute $UMD_EMU (build directory not world-readable)"

# As in as_nobody (tests/lib-skip.sh): the lock keeps the other tests that
# open /dev/fuse from changing its mode meanwhile.
(
	flock 9 || fail "cannot lock $UMD_EMU_FUSE_LOCK"
	if ! "${NOBODY_RUN[@]}" test -r /dev/fuse -a -w /dev/fuse; then
		# The reason must be one clear line.
		expect_fail "closed /dev/fuse" "/dev/fuse is not accessible to uid 65534" \
			"${NOBODY_RUN[@]}" "$UMD_EMU" run -- true
		if [ "${UMD_EMU_TEST_ALLOW_CHMOD_FUSE:-0}" != 1 ]; then
			echo "PASS: the reason is clear; set UMD_EMU_TEST_ALLOW_CHMOD_FUSE=1 to run the flow too"
			exit 42
		fi
		mode=$(stat -c %a /dev/fuse)
		trap 'chmod "$mode" /dev/fuse' EXIT
		chmod 0666 /dev/fuse || fail "cannot open up /dev/fuse"
	fi
	run_flow "${NOBODY_RUN[@]}"
) 9>"$UMD_EMU_FUSE_LOCK"
status=$?
[ $status -eq 42 ] && exit 0
[ $status -eq 0 ] || exit 1
echo "PASS: unprivileged flow as nobody through fusermount3"
