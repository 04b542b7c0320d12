#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build core/ as real kernel modules with Kbuild, from the very files the
# emulator compiles: the lifecycle library as a module of its own
# (umd_mgmt.ko), the sample manager (sample_mgr.ko) and the sample loader
# with its embedded handler (sample_loader_kmod.ko), the PGP UMD's manager
# (pgp_mgr.ko) and loader with its handler (pgp_loader_kmod.ko).
set -u
set -o pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# The PGP handler's sources, as handlers/meson.build builds pgp_umh.
PGP_HANDLER_SOURCES=(handlers/pgp_handler.c handlers/pgp_parse.c handlers/confine.c)

usage() {
	cat <<USAGE
Usage: tools/realkernel/build-modules.sh --kdir KDIR --out DIR [--handler FILE]
       [--pgp-handler FILE] [--pgp-loader-only] [--allow-missing-symbols]
       [--no-library]

Compile core/ with "make -C KDIR M=..." and copy umd_mgmt.ko, sample_mgr.ko,
sample_loader_kmod.ko, pgp_mgr.ko, pgp_loader_kmod.ko and their
Module.symvers to DIR (the build log goes to DIR/build.log).
The handler embedded in the sample loader is FILE, or
handlers/sample_handler.c linked statically (a UMD handler runs with nothing
but fds 0 and 1, and the real-kernel initramfs has no shared libc); the PGP
handler is handlers/pgp_handler.c and its parser, linked statically.

  --kdir KDIR               a kernel build tree (or Debian's linux-headers)
  --out DIR                 where the .ko files go
  --handler FILE            the sample handler binary to embed
  --pgp-handler FILE        the PGP handler binary to embed (e.g. an attack
                            build, for the isolation table)
  --pgp-loader-only         build pgp_loader_kmod.ko alone (with
                            --pgp-handler: a loader to put beside the others)
  --allow-missing-symbols   KBUILD_MODPOST_WARN=1: a kernel without
                            CONFIG_USERMODE_DRIVER lacks umd_load_blob & co
  --no-library              no umd_mgmt.ko: the kernel has the library
                            built in (the series flavour)
  -h, --help                show this help
Compiler warnings fail the build.
USAGE
}

die() { echo "build-modules.sh: $*" >&2; exit 1; }

kdir="" out="" handler="" pgp_handler="" modpost_warn="" library=umd_mgmt
loader_only=""
while [ $# -gt 0 ]; do
	case "$1" in
	--kdir) kdir=${2:-}; shift ;;
	--out) out=${2:-}; shift ;;
	--handler) handler=${2:-}; shift ;;
	--pgp-handler) pgp_handler=${2:-}; shift ;;
	--allow-missing-symbols) modpost_warn=KBUILD_MODPOST_WARN=1 ;;
	--no-library) library="" ;;
	--pgp-loader-only) loader_only=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "build-modules.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$kdir" ] && [ -n "$out" ] || { usage >&2; exit 2; }
[ -f "$kdir/Makefile" ] || die "$kdir is not a kernel build tree (no Makefile)"
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-modules.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# The sources exactly as they are in core/ (the meson file aside).
cp -r "$root/core/." "$tmp/"
find "$tmp" -name meson.build -delete
rm -rf "$tmp/bpfilter"
if [ -n "$loader_only" ]; then
	:	# no sample handler
elif [ -n "$handler" ]; then
	cp "$handler" "$tmp/sample_umd/sample_umh" || die "cannot read handler $handler"
else
	${CC:-gcc} -static -O2 -Wall -Werror -I"$root/core/sample_umd" -I"$root/handlers" \
		-o "$tmp/sample_umd/sample_umh" "$root/handlers/sample_handler.c" ||
		die "cannot link the sample handler statically (is libc6-dev installed?)"
fi
if [ -n "$pgp_handler" ]; then
	cp "$pgp_handler" "$tmp/pgp/pgp_umh" || die "cannot read handler $pgp_handler"
else
	${CC:-gcc} -static -O2 -Wall -Werror -I"$root/core/pgp" -I"$root/handlers" \
		-o "$tmp/pgp/pgp_umh" "${PGP_HANDLER_SOURCES[@]/#/$root/}" ||
		die "cannot link the PGP handler statically"
fi
kos=($library sample_mgr sample_loader_kmod pgp_mgr pgp_loader_kmod)
if [ -n "$loader_only" ]; then
	# Built with what it links against (modpost checks its symbols),
	# copied alone.
	kos=(pgp_loader_kmod)
	{
		[ -n "$library" ] && echo "obj-m += umd_mgmt.o"
		cat <<'KBUILD'
umd_mgmt-y := usermode_driver_mgmt.o
obj-m += pgp_mgr.o pgp_loader_kmod.o
pgp_mgr-y := pgp/pgp_mgr.o
pgp_loader_kmod-y := pgp/pgp_loader.o pgp/pgp_umh_blob.o
ccflags-y := -I$(src)/include
asflags-y := -I$(src)/pgp
KBUILD
	} >"$tmp/Kbuild"
else {
	[ -n "$library" ] && echo "obj-m += umd_mgmt.o"
	cat <<'KBUILD'
obj-m += sample_mgr.o sample_loader_kmod.o
umd_mgmt-y := usermode_driver_mgmt.o
sample_mgr-y := sample_umd/sample_mgr.o
sample_loader_kmod-y := sample_umd/sample_loader.o sample_umd/sample_binary_blob.o
obj-m += pgp_mgr.o pgp_loader_kmod.o
pgp_mgr-y := pgp/pgp_mgr.o
pgp_loader_kmod-y := pgp/pgp_loader.o pgp/pgp_umh_blob.o
ccflags-y := -I$(src)/include
asflags-y := -I$(src)/sample_umd -I$(src)/pgp
KBUILD
} >"$tmp/Kbuild"
fi

make -C "$kdir" M="$tmp" $modpost_warn -j"$(nproc)" modules \
	>"$out/build.log" 2>&1
status=$?
if [ $status -ne 0 ]; then
	cat "$out/build.log" >&2
	die "Kbuild exited with $status (log above)"
fi
if grep -E '(error|warning):' "$out/build.log" | grep -v '^WARNING: modpost' | grep -q .; then
	cat "$out/build.log" >&2
	die "the compiler warned (log above)"
fi
for ko in "${kos[@]}"; do
	[ -f "$tmp/$ko.ko" ] || die "$ko.ko was not built"
	cp "$tmp/$ko.ko" "$out/" || die "cannot copy $ko.ko to $out"
done
# What the modules export, for out-of-tree modules built against them.
cp "$tmp/Module.symvers" "$out/" || die "no Module.symvers was written"
echo "build-modules.sh: ${kos[*]/%/.ko} in $out" >&2
