#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Without a fuzz build, "umd-emu fuzz" says in one line how to make one,
# and exits 1.
# Usage: not-built.sh UMD_EMU
umd_emu=$1
out=$("$umd_emu" fuzz --modules / --modprobe x --write y 2>&1)
status=$?
echo "$out"
[ $status -eq 1 ] || { echo "FAIL: exit status $status, not 1"; exit 1; }
[ "$(wc -l <<<"$out")" -eq 1 ] || { echo "FAIL: not one line"; exit 1; }
case "$out" in
*"CC=clang meson setup build/fuzz -Dfuzz=true -Db_sanitize=address,undefined"*) ;;
*) echo "FAIL: no build command"; exit 1 ;;
esac
"$umd_emu" fuzz --kdir >/dev/null 2>&1 && { echo "FAIL: --kdir without a fuzz build"; exit 1; }
echo PASS
