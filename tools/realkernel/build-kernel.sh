#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once per machine) the small real kernel the umd-emu oracle boots:
# Debian's linux-source-6.1 tarball, "make tinyconfig" plus
# tools/realkernel/kernel.config, checked, then bzImage and modules with
# -j$(nproc). The build is cached outside the source tree, keyed by the
# kernel version and the config, and prints its directory on stdout.
#
# Two flavours: "mainline" is the kernel as it is; "series" is the same
# kernel with the UMD management series applied from this project's own
# files (the lifecycle library built in, bpfilter's sockopt front end,
# loader and handler from core/bpfilter and handlers/), so that
# core/bpfilter, which replaces built-in code, runs on a real kernel too.
set -u
set -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

# The series flavour: kernel-tree path, then this project's file (or
# "+LINE" to append LINE to the kernel's own file).
SERIES_FILES=(
	"include/linux/usermode_driver_mgmt.h	core/include/linux/usermode_driver_mgmt.h"
	"kernel/usermode_driver_mgmt.c	core/usermode_driver_mgmt.c"
	"kernel/Makefile	+obj-\$(CONFIG_USERMODE_DRIVER) += usermode_driver_mgmt.o"
	"include/linux/bpfilter.h	emu/include/linux/bpfilter.h"
	"net/ipv4/bpfilter/sockopt.c	core/bpfilter/sockopt.c"
	"net/ipv4/bpfilter/msgfmt.h	core/bpfilter/msgfmt.h"
	"net/bpfilter/bpfilter_kern.c	core/bpfilter/bpfilter_kern.c"
	"net/bpfilter/bpfilter_umh_blob.S	core/bpfilter/bpfilter_umh_blob.S"
	"net/bpfilter/Makefile	+asflags-y += -I\$(obj)"
	"net/bpfilter/main.c	handlers/bpfilter_umh.c"
	"net/bpfilter/msgfmt.h	core/bpfilter/msgfmt.h"
)

usage() {
	cat <<USAGE
Usage: tools/realkernel/build-kernel.sh [--series] [--print] [--force]

Build the oracle kernel from /usr/src/linux-source-6.1.tar.xz (Debian's
linux-source-6.1) and print its build directory (a Kbuild tree: use it as
KDIR for "make -C KDIR M=..."). A cached build is reused.

  --series   the kernel with the UMD management series applied from this
             project's files (core/, handlers/bpfilter_umh.c); rebuilt
             incrementally when those change
  --print    print the directory a build would use, build nothing
  --force    rebuild even if a cached build exists
  -h, --help show this help

Environment: UMD_EMU_CACHE (default \${XDG_CACHE_HOME:-\$HOME/.cache}/umd-emu)
holds the cache; UMD_EMU_LINUX_SOURCE overrides the tarball.
USAGE
}

print_only="" force="" series=""
while [ $# -gt 0 ]; do
	case "$1" in
	--series) series=1 ;;
	--print) print_only=1 ;;
	--force) force=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "build-kernel.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

die() { echo "build-kernel.sh: $*" >&2; exit 1; }

tarball=${UMD_EMU_LINUX_SOURCE:-$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)}
[ -n "$tarball" ] && [ -f "$tarball" ] ||
	die "no kernel source tarball in /usr/src (apt-get install linux-source-6.1)"
for tool in make gcc flex bison bc xz cpio; do
	command -v "$tool" >/dev/null ||
		die "'$tool' is missing (apt-get install build-essential bc flex bison libelf-dev libssl-dev cpio xz-utils)"
done
[ -f /usr/include/libelf.h ] || die "libelf headers are missing (apt-get install libelf-dev)"
[ -f /usr/include/openssl/ssl.h ] || die "OpenSSL headers are missing (apt-get install libssl-dev)"

cache=${UMD_EMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umd-emu}
tar_id=$(stat -c '%s-%Y' "$tarball")
key=$( { basename "$tarball"; echo "$tar_id"; cat "$here/kernel.config"; } |
	sha256sum | cut -c1-12)
name=$(basename "$tarball" .tar.xz)
src=$cache/$name-$tar_id
out=$cache/build-$name-$key
if [ -n "$series" ]; then
	pristine=$src
	src=$cache/$name-$tar_id-series
	out=$cache/build-$name-series-$key
	overlay_id=$(for entry in "${SERIES_FILES[@]}"; do
		echo "$entry"
		file=${entry#*	}
		case "$file" in +*) ;; *) cat "$root/$file" ;; esac
	done | sha256sum | cut -c1-12)
fi

if [ -n "$print_only" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache" || die "cannot create the cache directory $cache"
exec 9>"$cache/.lock"
flock 9 || die "cannot lock $cache/.lock"

built_id=ok
[ -n "$series" ] && built_id=$overlay_id
if [ -z "$force" ] && [ -f "$out/.umd-emu-built" ] &&
   { [ -z "$series" ] || [ "$(cat "$out/.umd-emu-built")" = "$built_id" ]; }; then
	echo "$out"
	exit 0
fi

log=$out.log
: >"$log"
echo "build-kernel.sh: building $name into $out (log: $log)" >&2
start=$(date +%s)

tree=${pristine:-$src}
if [ ! -f "$tree/.umd-emu-extracted" ]; then
	echo "build-kernel.sh: extracting $tarball" >&2
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xJf "$tarball" -C "$tree.tmp" --strip-components=1 ||
		die "cannot extract $tarball"
	mv "$tree.tmp" "$tree"
	touch "$tree/.umd-emu-extracted"
fi

kmake() { make -C "$src" O="$out" "$@" >>"$log" 2>&1; }

if [ -n "$series" ]; then
	# A copy of the pristine tree made of hard links; every file the
	# series changes is replaced (never written through a link), and
	# only when it differs, so that make rebuilds what changed.
	if [ ! -f "$src/.umd-emu-extracted" ]; then
		rm -rf "$src" "$src.tmp"
		cp -al "$pristine" "$src.tmp" || die "cannot copy the kernel tree"
		mv "$src.tmp" "$src"
	fi
	for entry in "${SERIES_FILES[@]}"; do
		dest=$src/${entry%%	*}
		file=${entry#*	}
		new=$(mktemp) || die "mktemp failed"
		case "$file" in
		+*) { cat "$pristine/${entry%%	*}"; echo "${file#+}"; } >"$new" ;;
		*) cat "$root/$file" >"$new" || die "cannot read $root/$file" ;;
		esac
		if ! cmp -s "$new" "$dest"; then
			rm -f "$dest"
			cp "$new" "$dest" || die "cannot write $dest"
		fi
		rm -f "$new"
	done
fi

# The series flavour, built before and changed since: make rebuilds what
# the replaced files touch. Otherwise configure from scratch.
if [ -n "$series" ] && [ -z "$force" ] && [ -f "$out/.config" ] &&
   [ -f "$out/vmlinux" ]; then
	echo "build-kernel.sh: the series changed: rebuilding $out" >&2
	what=rebuilt
else
	what=built
	rm -rf "$out"
	mkdir -p "$out"
	kmake tinyconfig || die "make tinyconfig failed (see $log)"
	# Twice: some options only become visible once their dependencies
	# are on.
	for pass in 1 2; do
		"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
			"$here/kernel.config" >>"$log" 2>&1 ||
			die "merging kernel.config failed (see $log)"
		kmake olddefconfig || die "make olddefconfig failed (see $log)"
	done

	# Every option asked for must have survived, and USERMODE_DRIVER
	# with them.
	missing=()
	while read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" "$out/.config" || missing+=("$line")
	done <"$here/kernel.config"
	grep -qx CONFIG_USERMODE_DRIVER=y "$out/.config" ||
		missing+=(CONFIG_USERMODE_DRIVER=y)
	[ ${#missing[@]} -eq 0 ] ||
		die "the kernel config lacks ${missing[*]} (is the compiler able to link static programs? CC_CAN_LINK)"
fi

kmake -j"$(nproc)" bzImage modules || die "the kernel build failed (see $log)"
[ -f "$out/arch/x86/boot/bzImage" ] || die "no bzImage after the build (see $log)"
# The kernel's own modules (bpfilter.ko), ready to copy into an initramfs.
rm -rf "$out/modroot"
kmake INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 modules_install ||
	die "make modules_install failed (see $log)"
echo "$built_id" >"$out/.umd-emu-built"
echo "build-kernel.sh: $what $(cat "$out/include/config/kernel.release") in $(( $(date +%s) - start )) s" >&2
echo "$out"
