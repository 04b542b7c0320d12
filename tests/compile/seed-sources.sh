#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The product's rule, on genuine kernel code: the seed series' own sources
# (the management library of seed 004; the sample manager, loader, message
# format and blob wrapper of seed 002) are extracted at test time from
# ../shared/seeds, never copied into the tree, and compiled against the
# shim without a single edit. The seed's sample modules are then run
# through the sample test with this project's handler binary as the blob,
# and under "umd-emu run" with the seed's own handler, unchanged, which
# logs through fopen("/dev/kmsg"): as root and as nobody its lines must be
# in the emulated kernel's log (umd-emu dmesg), none in the host's.
# Any compiler warning on the kernel side fails (as W=1 -Werror would).
#
# Usage: seed-sources.sh SOURCE_ROOT BUILD_ROOT TEST_SAMPLE HANDLER
# Seeds: $UMD_EMU_SEEDS, else SOURCE_ROOT/../shared/seeds. $UMD_EMU: the
# umd-emu command.
set -u
. "$(dirname "$0")/lib.sh"

src=$1 build=$2 test_sample=$3 handler=$4
seeds=${UMD_EMU_SEEDS:-$src/../shared/seeds}
[ -f "$seeds/002_8d2ec67af05fb38c.txt" ] && [ -f "$seeds/004_0567eec63b9a6910.txt" ] ||
	skip "seed documents not found in $seeds (set UMD_EMU_SEEDS)"
command -v python3 >/dev/null || skip "python3 is needed to extract the seed sources"
pc_setup "$build"
CFLAGS_MOD="$CFLAGS_MOD -Werror"
UMD_EMU=${UMD_EMU:?path of the umd-emu command}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-seed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 "$(dirname "$0")/extract-seed.py" "$seeds" "$tmp" || fail "cannot extract the seed sources"

# The seed's own <linux/usermode_driver_mgmt.h> comes first on the path.
EXTRA_CFLAGS="-I$tmp/include" build_module "$tmp/umd_mgmt.ko" umd_mgmt \
	"$tmp/kernel/usermode_driver_mgmt.c"

mkdir -p "$tmp/modules"
sample=tools/testing/selftests/umd_mgmt/sample_umd
cp "$handler" "$tmp/$sample/sample_umh"
EXTRA_CFLAGS="-I$tmp/include" build_module "$tmp/modules/sample_mgr.ko" \
	sample_mgr "$tmp/$sample/sample_mgr.c"
# Kbuild assembles from the kernel tree: the .incbin path is relative to it.
EXTRA_CFLAGS="-I$tmp/include -I$tmp -Wa,--noexecstack" \
	build_module "$tmp/modules/sample_loader_kmod.ko" sample_loader_kmod \
	"$tmp/$sample/sample_loader.c" "$tmp/$sample/sample_binary_blob.S"

UMD_EMU_SAMPLE_MODULES=$tmp/modules "$test_sample" ||
	fail "the seed's sample modules failed the sample test"
echo "PASS: the seed's sources compile unchanged against the shim and work"

# The seed's own handler, unchanged, as the blob of its loader.
kmsg=$tmp/kmsg
mkdir -p "$kmsg/$sample" "$kmsg/modules"
${CC:-cc} -O2 -w -I"$tmp/$sample" -o "$kmsg/$sample/sample_umh" \
	"$tmp/$sample/sample_handler.c" || fail "cannot build the seed's handler"
cp "$tmp/modules/sample_mgr.ko" "$kmsg/modules/"
EXTRA_CFLAGS="-I$tmp/include -I$kmsg -Wa,--noexecstack" \
	build_module "$kmsg/modules/sample_loader_kmod.ko" sample_loader_kmod \
	"$tmp/$sample/sample_loader.c" "$tmp/$sample/sample_binary_blob.S"
chmod -R a+rX "$tmp"

# Lines of the seed's handler in the host's kernel log ("" if unreadable).
host_lines() {
	local log
	log=$(dmesg 2>/dev/null) || return 0
	grep -c "Started sample_umh" <<<"$log"
}
flow='echo 4096 > "$UMD_SECURITYFS/sample_umd" && echo 8 > "$UMD_SECURITYFS/sample_umd" && umd-emu dmesg'

# seed_run WHO RUNNER...: the flow under umd-emu run; check both logs.
seed_run() {
	local who=$1 out before after
	shift
	before=$(host_lines)
	out=$("$@" "$UMD_EMU" run --modules "$kmsg/modules" --modprobe sample_mgr \
		-- sh -c "$flow" 2>&1)
	status=$?
	[ $status -eq 77 ] && return 77
	[ $status -eq 0 ] || { echo "$out"; fail "$who: the seed's handler did not serve the requests ($status)"; }
	grep -q "sample_umh\[[0-9]*\]: Started sample_umh" <<<"$out" ||
		{ echo "$out"; fail "$who: the handler's /dev/kmsg line is not in umd-emu dmesg"; }
	after=$(host_lines)
	if [ -n "$before" ] && [ "$before" != "$after" ]; then
		fail "$who: the handler wrote to the host's kernel log ($before lines before, $after after)"
	fi
	echo "PASS: $who: the seed's handler logs through /dev/kmsg into umd-emu dmesg${before:+, none into the host log}"
}

[ -e /dev/fuse ] && [ -r /dev/fuse ] && [ -w /dev/fuse ] ||
	skip "/dev/fuse is not usable by $(id -un): the /dev/kmsg check runs under umd-emu run"
seed_run "$(id -un)" env
if [ "$(id -u)" = 0 ]; then
	as_nobody test -x "$UMD_EMU"
	[ $? -eq 0 ] || skip "nobody cannot run umd-emu here (setpriv, a closed /dev/fuse or build directory)"
	seed_run nobody as_nobody
	[ $? -eq 77 ] && skip "nobody cannot run umd-emu here"
fi
exit 0
