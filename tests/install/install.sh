#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "meson install" of this build to a temporary DESTDIR; then, with no path
# into the build tree (no UMD_EMU_MODULES, the installed libumdemu), the
# installed umd-emu must find its own modules, kdir and oracle relative to
# where it is: the selftest, a fault sweep, the bpfilter client through
# the installed preload library, an out-of-tree UMD built against the
# installed kdir.
set -u
build=${UMD_EMU_BUILD_ROOT:?}
meson=${UMD_EMU_MESON:-}
bin=${UMD_EMU_INSTALLED_BIN:?}
libdir=${UMD_EMU_INSTALLED_LIBDIR:?}
CLIENT=${UMD_EMU_SOCKOPT_CLIENT:?}

dest=$(mktemp -d "${TMPDIR:-/tmp}/umd-emu-install-XXXXXX") || exit 1
trap 'rm -rf "$dest"' EXIT
export UMD_EMU=$dest$bin
. "$(dirname "$0")/../e2e/lib.sh"
need_fuse
[ -n "$meson" ] || skip "meson is not in PATH: cannot run meson install"
command -v make >/dev/null || skip "make is not installed"

"$meson" install --quiet --no-rebuild --destdir "$dest" -C "$build" >"$dest.log" 2>&1 ||
	{ cat "$dest.log"; rm -f "$dest.log"; fail "meson install --destdir failed"; }
rm -f "$dest.log"
[ -x "$UMD_EMU" ] || fail "no umd-emu installed at $UMD_EMU"

# Nothing of the build tree: the installed library (found through the
# executable's $ORIGIN-relative rpath), no module path.
unset UMD_EMU_MODULES UMD_EMU_CONTROL UMD_SECURITYFS LD_LIBRARY_PATH
case "$(ldd "$UMD_EMU" 2>/dev/null | grep libumdemu)" in
*"$dest"*) ;;
*) fail "umd-emu does not use the installed libumdemu: $(ldd "$UMD_EMU" | grep libumdemu)" ;;
esac

echo "=== umd-emu kdir"
kdir=$("$UMD_EMU" kdir) || fail "umd-emu kdir"
echo "$kdir"
case "$kdir" in "$dest"/*) ;; *) fail "kdir $kdir is not in the installed tree" ;; esac
[ -f "$kdir/Makefile" ] || fail "no Makefile in $kdir"

echo "=== the selftest: run --modprobe sample_mgr"
out=$("$UMD_EMU" run --modprobe sample_mgr -- bash -c '
	printf "4096\n" > "$UMD_SECURITYFS/sample_umd" || exit 1
	"$0" || exit
	umd-emu lsmod' "$SRC/tests/selftests/umd_mgmt.sh" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the selftest under the installed umd-emu exited with $status"
grep -q "500 writes, 10 loader reloads \[PASS\]" <<<"$out" || fail "the selftest did not pass"
grep -q "^sample_mgr " <<<"$out" || fail "sample_mgr not loaded"

echo "=== faultsweep against the installed modules"
out=$("$UMD_EMU" faultsweep 2>&1)
status=$?
echo "$out" | tail -n 3
[ $status -eq 0 ] || { echo "$out"; fail "faultsweep exited with $status"; }
out=$("$UMD_EMU" faultsweep --scenario bpfilter --no-crash 2>&1)
status=$?
echo "$out" | tail -n 1
[ $status -eq 0 ] || { echo "$out"; fail "faultsweep --scenario bpfilter exited with $status"; }

echo "=== the bpfilter client through the installed preload library"
preload=$dest$libdir/umd-emu/libumd-emu-sockopt.so
[ -f "$preload" ] || fail "no preload library at $preload"
out=$("$UMD_EMU" run -- bash -c '
	LD_PRELOAD="$0" "$1" || exit 1
	umd-emu sockopt set 65 --len 10; echo "sockopt status $?"' \
	"$preload" "$CLIENT" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the bpfilter run failed ($status)"
for want in \
	"setsockopt(SOL_IP, 64) = -1 Protocol not available" \
	"getsockopt(SOL_IP, 67) = -1 Protocol not available" \
	"setsockopt(SOL_IP, 65) = -1, errno 92 (Protocol not available)" \
	"sockopt status 1"; do
	grep -qF "$want" <<<"$out" || fail "missing: $want"
done

echo "=== an out-of-tree UMD built against the installed kdir"
oot=$dest/oot
mkdir "$oot" && cp "$SRC"/tests/oot/upper/* "$oot/" || fail "cannot copy tests/oot/upper"
(cd "$oot" && make -C "$kdir" M="$PWD") || fail "make -C \$(umd-emu kdir) M=\$PWD"
out=$("$UMD_EMU" run --modules "$oot" --modprobe upper_mgr -- bash -c '
	printf "hello umd" > "$UMD_SECURITYFS/upper" || exit 1
	cat "$UMD_SECURITYFS/upper"; echo' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "running the out-of-tree UMD failed ($status)"
grep -q "HELLO UMD" <<<"$out" || fail "no HELLO UMD read back"

echo "=== umd-emu realkernel finds its installed script"
out=$("$UMD_EMU" realkernel --help 2>&1) || fail "umd-emu realkernel --help: $out"
grep -q "^Usage: tools/realkernel.sh" <<<"$out" || fail "umd-emu realkernel --help: $out"
echo "PASS"
