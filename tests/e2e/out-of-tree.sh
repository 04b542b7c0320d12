#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A UMD kept outside the tree, with a Kbuild-style Makefile and no file of
# umd-emu's in it, builds with make -C "$(umd-emu kdir)" M="$PWD" and runs
# under umd-emu run --modules. Its manager reads back the handler's answer,
# so ->read, copy_to_user and simple_read_from_buffer cross FUSE too.
. "$(dirname "$0")/lib.sh"
need_fuse
command -v make >/dev/null || skip "make is not installed"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The UMD's sources: tests/oot/upper (also built for the real kernel by
# tests/realkernel).
cp "$SRC"/tests/oot/upper/* "$dir/"

kdir=$("$UMD_EMU" kdir) || fail "umd-emu kdir"
[ -f "$kdir/Makefile" ] || fail "umd-emu kdir printed $kdir, which has no Makefile"
(cd "$dir" && make -C "$kdir" M="$PWD") || fail "make -C \$(umd-emu kdir) M=\$PWD"
for f in upper_mgr.ko upper_loader.ko upper_umh; do
	[ -f "$dir/$f" ] || fail "$f was not built"
done
# The user's own 'make' works too (KDIR pointing at umd-emu's kdir).
(cd "$dir" && make clean KDIR="$kdir" >/dev/null && make KDIR="$kdir" >/dev/null) ||
	fail "make KDIR=\$(umd-emu kdir) through the Makefile's own rule"

out=$("$UMD_EMU" run --modules "$dir" --modprobe upper_mgr -- bash -c '
	printf "hello umd" > "$UMD_SECURITYFS/upper" || exit 1
	cat "$UMD_SECURITYFS/upper"; echo
	umd-emu lsmod
	umd-emu dmesg' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "running the out-of-tree UMD failed ($status)"
case "$out" in *"HELLO UMD"*) ;; *) fail "no HELLO UMD read back" ;; esac
case "$out" in *"upper_umh["*"]: upper_umh ready"*) ;; *) fail "handler stderr not in dmesg" ;; esac

# Every pipe transfer cut short (3 bytes written, 1 byte read at a time):
# the library's loops still carry the exact message. A 10 s watchdog
# bounds the requests: a library that stopped looping would hang, and
# fail here in seconds, naming the request.
out=$("$UMD_EMU" run --modules "$dir" --modprobe upper_mgr -- bash -c '
	umd-emu fault "fail_kernel_write:probability=100,short=3" \
		"fail_kernel_read:probability=100,short=1" \
		"watchdog:driver=upper_umh,timeout_ms=10000" || exit 1
	printf "hello umd, in pieces" > "$UMD_SECURITYFS/upper" || exit 1
	echo "read: $(cat "$UMD_SECURITYFS/upper")"
	umd-emu fault | grep -E "fail_kernel_(read|write) "' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the out-of-tree UMD with short transfers failed ($status)"
grep -qx "read: HELLO UMD, IN PIECES" <<<"$out" || fail "short transfers changed the message"
grep -q "fail_kernel_write .*fired=[1-9]" <<<"$out" || fail "no short write was injected"
grep -q "fail_kernel_read .*fired=[1-9]" <<<"$out" || fail "no short read was injected"
echo "PASS"
