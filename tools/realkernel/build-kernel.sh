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
Usage: tools/realkernel/build-kernel.sh [--kernel 6.1|6.12] [--series]
                                        [--print] [--force]

Build an oracle kernel from Debian's linux-source-VERSION tarball
(/usr/src/linux-source-VERSION.tar.xz) and print its build directory (a
Kbuild tree: use it as KDIR for "make -C KDIR M=..."). A cached build is
reused. The configuration is "make tinyconfig" plus
tools/realkernel/kernel.config and kernel-VERSION.config, checked.

  --kernel V the kernel: 6.1 (default) or 6.12. On 6.12 nothing selects
             CONFIG_USERMODE_DRIVER any more (bpfilter left in 6.8): the
             copy of the tree this script unpacks gives the symbol a prompt
             and the config turns it on
  --series   6.1 with the UMD management series applied from this
             project's files (core/, handlers/bpfilter_umh.c); built from
             the 6.1 build's objects (which it builds first if needed) and
             rebuilt incrementally when those files change
  --print    print the directory a build would use, build nothing
  --force    rebuild even if a cached build exists
  -h, --help show this help

Environment: UMD_EMU_CACHE (default \${XDG_CACHE_HOME:-\$HOME/.cache}/umd-emu)
holds the cache; UMD_EMU_LINUX_SOURCES (default /usr/src) the tarballs.
USAGE
}

print_only="" force="" series="" kernel=6.1
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=${2:-}; shift ;;
	--kernel=*) kernel=${1#--kernel=} ;;
	--series) series=1 ;;
	--print) print_only=1 ;;
	--force) force=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "build-kernel.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case "$kernel" in
6.1|6.12) ;;
*) echo "build-kernel.sh: --kernel takes 6.1 or 6.12, not '$kernel'" >&2; exit 2 ;;
esac
if [ -n "$series" ] && [ "$kernel" != 6.1 ]; then
	echo "build-kernel.sh: --series is 6.1 with the series (which was written against 6.1), not $kernel" >&2
	exit 2
fi

die() { echo "build-kernel.sh: $*" >&2; exit 1; }

tarball=${UMD_EMU_LINUX_SOURCES:-/usr/src}/linux-source-$kernel.tar.xz
[ -f "$tarball" ] ||
	die "no kernel source $tarball (apt-get install linux-source-$kernel)"
for tool in make gcc flex bison bc xz cpio; do
	command -v "$tool" >/dev/null ||
		die "'$tool' is missing (apt-get install build-essential bc flex bison libelf-dev libssl-dev cpio xz-utils)"
done
[ -f /usr/include/libelf.h ] || die "libelf headers are missing (apt-get install libelf-dev)"
[ -f /usr/include/openssl/ssl.h ] || die "OpenSSL headers are missing (apt-get install libssl-dev)"

# 6.12: CONFIG_USERMODE_DRIVER is a symbol without a prompt that nothing
# selects since bpfilter left (6.8); in the unpacked copy it gets one.
UMD_KCONFIG=kernel/bpf/preload/Kconfig
UMD_PROMPT='bool "User mode driver support (umd-emu oracle: made selectable)"'

configs=("$here/kernel.config" "$here/kernel-$kernel.config")
cache=${UMD_EMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umd-emu}
tar_id=$(stat -c '%s-%Y' "$tarball")
key=$( { basename "$tarball"; echo "$tar_id"; cat "${configs[@]}"
	[ "$kernel" = 6.1 ] || echo "$UMD_PROMPT"; } | sha256sum | cut -c1-12)
name=$(basename "$tarball" .tar.xz)
# The tree every flavour builds from: its path is in every command Kbuild
# records, so the series tree takes its place while the series builds
# (then the mainline objects are the series' too, but for what it changes).
src=$cache/$name-$tar_id
out=$cache/build-$name-$key
# The series builds at the mainline paths too (objtool, built with absolute
# paths, would otherwise be rebuilt and every object with it): its tree and
# its objects take the pristine tree's and the mainline build's places for
# the build, and give them back after.
mainline_out=$out
series_out=$cache/build-$name-series-$key
build_out=$out
if [ -n "$series" ]; then
	out=$series_out
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

# The series is built from the mainline objects: those first.
if [ -n "$series" ] && [ ! -f "$mainline_out/.umd-emu-built" ]; then
	"$0" --kernel "$kernel" >/dev/null || exit 1
fi

built_id=ok
[ -n "$series" ] && built_id=$overlay_id
# built: the build in $out is complete and current (while a series build
# runs, the mainline path holds the series objects: not current).
built() {
	[ -z "$force" ] || return 1
	[ "$(cat "$out/.umd-emu-built" 2>/dev/null)" = "$built_id" ] || return 1
	[ -n "$series" ] || [ ! -f "$out/.umd-emu-series-out" ]
}
# A built kernel is printed without waiting for another kernel's build.
if built; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache" || die "cannot create the cache directory $cache"
exec 9>"$cache/.lock"
flock 9 || die "cannot lock $cache/.lock"

# A series build that was stopped with the series tree and objects in the
# mainline ones' places: put them back.
restore_swap() {
	if [ -f "$src/.umd-emu-series" ] && [ -d "$src-pristine" ]; then
		mv "$src" "$src-series" && mv "$src-pristine" "$src" ||
			die "cannot put back the pristine tree $src (from $src-pristine)"
	fi
	if [ -f "$mainline_out/.umd-emu-series-out" ] && [ -d "$mainline_out.mainline" ]; then
		mv "$mainline_out" "$series_out" &&
			mv "$mainline_out.mainline" "$mainline_out" ||
			die "cannot put back the mainline build $mainline_out (from $mainline_out.mainline)"
	fi
}
restore_swap

if built; then
	echo "$out"
	exit 0
fi

log=$out.log
: >"$log"
echo "build-kernel.sh: building $name${series:+ with the series} into $out (log: $log)" >&2
start=$(date +%s)

if [ ! -f "$src/.umd-emu-extracted" ]; then
	echo "build-kernel.sh: extracting $tarball" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1 ||
		die "cannot extract $tarball"
	if [ "$kernel" != 6.1 ]; then
		k=$src.tmp/$UMD_KCONFIG
		grep -q '^config USERMODE_DRIVER$' "$k" ||
			die "$kernel has no USERMODE_DRIVER in $UMD_KCONFIG"
		awk -v prompt="$UMD_PROMPT" '
			/^config / { in_umd = ($2 == "USERMODE_DRIVER") }
			in_umd && /^\tbool$/ { print "\t" prompt; next }
			{ print }' "$k" >"$k.new" && mv "$k.new" "$k" ||
			die "cannot give USERMODE_DRIVER a prompt in $UMD_KCONFIG"
		grep -qF "$UMD_PROMPT" "$k" ||
			die "USERMODE_DRIVER in $UMD_KCONFIG is not a plain bool: not patched"
	fi
	mv "$src.tmp" "$src"
	touch "$src/.umd-emu-extracted"
fi

kmake() { make -C "$src" O="$build_out" "$@" >>"$log" 2>&1; }

if [ -n "$series" ]; then
	# The series tree: a copy of the pristine tree made of hard links;
	# every file the series changes is replaced (never written through a
	# link), and only when it differs, so that make rebuilds what changed.
	series_tree=$src-series
	if [ ! -f "$series_tree/.umd-emu-series" ]; then
		rm -rf "$series_tree" "$series_tree.tmp"
		cp -al "$src" "$series_tree.tmp" || die "cannot copy the kernel tree"
		touch "$series_tree.tmp/.umd-emu-series"
		mv "$series_tree.tmp" "$series_tree"
	fi
	for entry in "${SERIES_FILES[@]}"; do
		dest=$series_tree/${entry%%	*}
		file=${entry#*	}
		new=$(mktemp) || die "mktemp failed"
		case "$file" in
		+*) { cat "$src/${entry%%	*}"; echo "${file#+}"; } >"$new" ;;
		*) cat "$root/$file" >"$new" || die "cannot read $root/$file" ;;
		esac
		if ! cmp -s "$new" "$dest"; then
			rm -f "$dest"
			cp "$new" "$dest" || die "cannot write $dest"
		fi
		rm -f "$new"
	done
	# Its objects start as a copy of the mainline build's: same config,
	# same commands, so make rebuilds only what the series touches.
	if [ -n "$force" ] || [ ! -f "$out/vmlinux" ]; then
		rm -rf "$out" "$out.tmp"
		cp -a "$mainline_out" "$out.tmp" || die "cannot copy $mainline_out"
		rm -rf "$out.tmp/.umd-emu-built" "$out.tmp/modroot"
		touch "$out.tmp/.umd-emu-series-out"
		mv "$out.tmp" "$out"
		what=built
	else
		echo "build-kernel.sh: the series changed: rebuilding $out" >&2
		what=rebuilt
	fi
	trap 'restore_swap' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mv "$src" "$src-pristine" && mv "$series_tree" "$src" &&
		mv "$mainline_out" "$mainline_out.mainline" && mv "$out" "$mainline_out" ||
		{ restore_swap; die "cannot put the series tree and objects in place"; }
else
	what=built
	rm -rf "$out"
	mkdir -p "$out"
	kmake tinyconfig || die "make tinyconfig failed (see $log)"
	# Twice: some options only become visible once their dependencies
	# are on.
	for pass in 1 2; do
		"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
			"${configs[@]}" >>"$log" 2>&1 ||
			die "merging ${configs[*]##*/} failed (see $log)"
		kmake olddefconfig || die "make olddefconfig failed (see $log)"
	done

	# Every option asked for must have survived, and USERMODE_DRIVER
	# with them.
	missing=()
	while read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" "$out/.config" || missing+=("$line")
	done < <(cat "${configs[@]}")
	grep -qx CONFIG_USERMODE_DRIVER=y "$out/.config" ||
		missing+=(CONFIG_USERMODE_DRIVER=y)
	[ ${#missing[@]} -eq 0 ] ||
		die "the kernel config lacks ${missing[*]} (is the compiler able to link static programs? CC_CAN_LINK)"
fi

kmake -j"$(nproc)" bzImage modules || die "the kernel build failed (see $log)"
[ -f "$build_out/arch/x86/boot/bzImage" ] || die "no bzImage after the build (see $log)"
# The kernel's own modules (bpfilter.ko), ready to copy into an initramfs.
rm -rf "$build_out/modroot"
kmake INSTALL_MOD_PATH="$build_out/modroot" INSTALL_MOD_STRIP=1 modules_install ||
	die "make modules_install failed (see $log)"
echo "$built_id" >"$build_out/.umd-emu-built"
release=$(cat "$build_out/include/config/kernel.release")
[ -n "$series" ] && restore_swap
echo "build-kernel.sh: $what $release${series:+ with the series} in $(( $(date +%s) - start )) s" >&2
echo "$out"
