#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The product's rule, on genuine kernel code: the seed series' own sources
# (the management library of seed 004; the sample manager, loader, message
# format and blob wrapper of seed 002) are extracted at test time from
# ../shared/seeds, never copied into the tree, and compiled against the
# shim without a single edit. The seed's sample modules are then run
# through the sample test (with this project's handler binary as the blob:
# the seed's handler logs to the host's /dev/kmsg).
#
# Usage: seed-sources.sh SOURCE_ROOT BUILD_ROOT TEST_SAMPLE HANDLER
# Seeds: $UMD_EMU_SEEDS, else SOURCE_ROOT/../shared/seeds.
set -u
. "$(dirname "$0")/lib.sh"

src=$1 build=$2 test_sample=$3 handler=$4
seeds=${UMD_EMU_SEEDS:-$src/../shared/seeds}
[ -f "$seeds/002_8d2ec67af05fb38c.txt" ] && [ -f "$seeds/004_0567eec63b9a6910.txt" ] ||
	skip "seed documents not found in $seeds (set UMD_EMU_SEEDS)"
command -v python3 >/dev/null || skip "python3 is needed to extract the seed sources"
pc_setup "$build"

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
