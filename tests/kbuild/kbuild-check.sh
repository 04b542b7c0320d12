#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile every source of core/ with Kbuild against a real kernel's headers,
# as out-of-tree modules: the lifecycle library (as a module of its own,
# umd_mgmt.ko), the sample manager and the sample loader with its embedded
# handler. Compile errors fail; modpost warnings about UMD symbols the
# kernel does not export (Debian's kernels have no CONFIG_USERMODE_DRIVER)
# are expected.
#
# Usage: kbuild-check.sh SOURCE_ROOT HANDLER_BINARY
# Kernel build directory: $KERNEL_BUILD_DIR, else /lib/modules/$(uname -r)/build,
# else the newest /usr/src/linux-headers-*-amd64 (Debian's linux-headers-amd64).
# Exit 0 pass, 1 fail, 77 skip (no headers; fails instead if
# UMD_EMU_REQUIRE_ALL=1).
set -u

src=${1:?source root}
handler=${2:?handler binary}

. "$(dirname "$0")/../lib-skip.sh"

kdir=${KERNEL_BUILD_DIR:-}
if [ -z "$kdir" ] && [ -f "/lib/modules/$(uname -r)/build/Makefile" ]; then
	kdir=/lib/modules/$(uname -r)/build
fi
if [ -z "$kdir" ]; then
	kdir=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
fi
[ -n "$kdir" ] && [ -f "$kdir/Makefile" ] ||
	skip "no kernel headers found (apt-get install linux-headers-amd64, or set KERNEL_BUILD_DIR)"
command -v make >/dev/null || skip "make is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-kbuild.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "Kbuild against $kdir"
"$src/tools/realkernel/build-modules.sh" --kdir "$kdir" --out "$tmp" \
	--handler "$handler" --allow-missing-symbols
status=$?
cat "$tmp/build.log" 2>/dev/null
[ $status -eq 0 ] || fail "core/ did not build with Kbuild (exit $status)"
for ko in umd_mgmt sample_mgr sample_loader_kmod pgp_mgr pgp_loader_kmod; do
	[ -f "$tmp/$ko.ko" ] || fail "$ko.ko was not built"
done
echo "PASS: core/ builds as real modules (umd_mgmt.ko sample_mgr.ko sample_loader_kmod.ko pgp_mgr.ko pgp_loader_kmod.ko)"
