#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the sample UMD out of tree with nothing but the pkg-config flags
# (one compile line per source, as the README documents), check what the
# modules export, and run the sample test against the modules built so.
#
# Usage: pkgconfig-module.sh SOURCE_ROOT BUILD_ROOT TEST_SAMPLE HANDLER
set -u
. "$(dirname "$0")/lib.sh"

src=$1 build=$2 test_sample=$3 handler=$4
pc_setup "$build"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-pc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cp "$handler" "$tmp/sample_umh"
build_module "$tmp/sample_mgr.ko" sample_mgr "$src/core/sample_umd/sample_mgr.c"
CFLAGS_MOD="$CFLAGS_MOD -Wa,--noexecstack -I$tmp" \
	build_module "$tmp/sample_loader_kmod.ko" sample_loader_kmod \
	"$src/core/sample_umd/sample_loader.c" \
	"$src/core/sample_umd/sample_binary_blob.S"

defines_symbol "$tmp/sample_mgr.ko" init_module || fail "sample_mgr.ko has no init_module"
defines_symbol "$tmp/sample_mgr.ko" cleanup_module || fail "sample_mgr.ko has no cleanup_module"
defines_symbol "$tmp/sample_mgr.ko" sample_mgmt_ops || fail "sample_mgmt_ops is not exported"
defines_symbol "$tmp/sample_mgr.ko" __ksymtab_sample_mgmt_ops || fail "no export marker"
defines_symbol "$tmp/sample_mgr.ko" sample_request &&
	fail "a static function is visible"
readelf --dyn-syms -W "$tmp/sample_mgr.ko" | grep -q "__kgpl_sample_mgmt_ops" ||
	fail "no GPL-only export marker"
readelf --dyn-syms -W "$tmp/sample_loader_kmod.ko" |
	awk '$8 == "sample_mgmt_ops" && $7 == "UND" { f = 1 } END { exit !f }' ||
	fail "the loader does not import sample_mgmt_ops"

UMD_EMU_SAMPLE_MODULES=$tmp "$test_sample" || fail "the sample test failed on the out-of-tree modules"
echo "PASS: out-of-tree modules built with pkg-config flags load and work"
