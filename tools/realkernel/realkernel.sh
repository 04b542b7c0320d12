#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/realkernel.sh: run a script on a real Linux kernel with UMD support,
# in qemu, with this project's modules built from core/ unchanged.
# This is the script; tools/realkernel.sh, the documented entry, execs it,
# and "umd-emu realkernel" runs it.
set -u
set -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rk=$here

usage() {
	cat <<USAGE
Usage: tools/realkernel.sh [OPTIONS] -- SCRIPT [ARGS...]
       tools/realkernel.sh --print-kdir

Boot an oracle kernel (Debian's linux-source-6.1 or -6.12, tinyconfig plus
tools/realkernel/kernel.config and kernel-VERSION.config,
CONFIG_USERMODE_DRIVER=y; built once and cached) in qemu-system-x86_64 with a busybox initramfs, and run SCRIPT in it
with busybox sh as root. The initramfs holds the kernel's own modules
(bpfilter.ko), core/ built as real modules (umd_mgmt.ko, sample_mgr.ko,
sample_loader_kmod.ko) and the .ko files of --modules DIR, with a
modules.dep, so modprobe and request_module() find them.

In the VM, as under "umd-emu run": UMD_SECURITYFS=/sys/kernel/security
(securityfs is mounted), "umd-emu modprobe|rmmod|lsmod|dmesg" map to the
real commands, MODPROBE=/sbin/modprobe, RMMOD=rmmod, UMD_EMU_REALKERNEL=1.
SCRIPT runs in /test, next to the files given with --file.

SCRIPT's output goes to stdout; then the kernel log (dmesg) to stderr, or
to --kernel-log FILE. The exit status is SCRIPT's, or 125 when the VM could
not run it (build failure, qemu error, time limit, kernel panic).

Options:
  --kernel 6.1|6.12  the kernel (default 6.1): the two long-term kernels
                     Debian 12 packages that still have the UMD API
  --series           boot the kernel with the UMD management series applied
                     from this project's files: the lifecycle library built
                     in (no umd_mgmt.ko), bpfilter's sockopt front end,
                     loader and handler from core/bpfilter and handlers/
                     (default: the kernel as it is, the library a module;
                     6.1 only: the series was written against it)
  --kvm              use KVM (-enable-kvm -cpu host); fails if it cannot
  --tcg              use software emulation (TCG)
                     (default: KVM if a probe boot with it works on this
                     machine, remembered in the cache; TCG otherwise)
  --modules DIR      also put DIR/*.ko in the VM (an out-of-tree UMD)
  --file PATH        copy PATH into /test (repeatable)
  --kernel-log FILE  write the kernel log to FILE instead of stderr
  --console FILE     keep the raw serial console output in FILE
  --timeout SECONDS  time limit for the VM (default 300)
  --memory MIB       guest memory (default 512)
  --print-kdir       build the kernel if needed and print its build tree,
                     the KDIR for "make -C KDIR M=\$PWD" of an out-of-tree UMD
  -q, --quiet        no progress lines on stderr
  -h, --help         show this help
Environment: UMD_EMU_CACHE (default \${XDG_CACHE_HOME:-\$HOME/.cache}/umd-emu).
Needs: linux-source-6.1 (or -6.12) build-essential bc flex bison libelf-dev libssl-dev
cpio kmod xz-utils qemu-system-x86 busybox-static (tools/test.sh installs
them as root).
USAGE
}

die() { echo "realkernel: $*" >&2; exit 125; }
say() { [ -n "$quiet" ] || echo "realkernel: $*" >&2; }

accel=auto modules_dir="" files=() kernel_log="" console_keep=""
timeout_s=300 memory=512 print_kdir="" quiet="" series="" kernel=6.1
while [ $# -gt 0 ]; do
	case "$1" in
	--series) series=--series ;;
	--kernel) kernel=${2:?--kernel needs 6.1 or 6.12}; shift ;;
	--kernel=*) kernel=${1#--kernel=} ;;
	--kvm) accel=kvm ;;
	--tcg) accel=tcg ;;
	--modules) modules_dir=${2:?--modules needs a directory}; shift ;;
	--file) files+=("${2:?--file needs a path}"); shift ;;
	--kernel-log) kernel_log=${2:?--kernel-log needs a file}; shift ;;
	--console) console_keep=${2:?--console needs a file}; shift ;;
	--timeout) timeout_s=${2:?--timeout needs seconds}; shift ;;
	--memory) memory=${2:?--memory needs MiB}; shift ;;
	--print-kdir) print_kdir=1 ;;
	-q|--quiet) quiet=1 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) echo "realkernel: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
case "$timeout_s" in ''|*[!0-9]*) echo "realkernel: --timeout takes whole seconds, not '$timeout_s'" >&2; exit 2 ;; esac
case "$kernel" in
6.1|6.12) ;;
*) echo "realkernel: --kernel takes 6.1 or 6.12, not '$kernel'" >&2; exit 2 ;;
esac
[ -n "$series" ] && [ "$kernel" != 6.1 ] &&
	{ echo "realkernel: --series is 6.1 with the series, not $kernel" >&2; exit 2; }
case "$memory" in ''|*[!0-9]*) echo "realkernel: --memory takes MiB, not '$memory'" >&2; exit 2 ;; esac

kdir=$("$rk/build-kernel.sh" --kernel "$kernel" $series) || die "the kernel build failed (see the message above)"
release=$(cat "$kdir/include/config/kernel.release")
cache=$(dirname "$kdir")

# core/ as real modules, rebuilt when core/ or the handler changes. The
# lifecycle library then becomes part of the kernel tree, as the series
# would make it: its header in KDIR/include/linux and its exports in
# KDIR/Module.symvers, so that an out-of-tree UMD builds with
# "make -C KDIR M=..." and depends on umd_mgmt.ko.
exec 8>"$cache/.lock-modules"
flock 8 || die "cannot lock $cache/.lock-modules"
src_key=$( { echo "$kdir"; cat "$kdir/include/config/kernel.release";
	find "$root/core" "$root/handlers/sample_handler.c" "$root/handlers/xfer.h" \
		"$root"/handlers/pgp_*.[ch] "$root"/handlers/confine.[ch] \
		"$rk/build-modules.sh" \
		-type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-12)
mods=$cache/modules-$release${series:+-series}-$src_key
if [ ! -f "$mods/Module.symvers" ]; then
	say "building core/ as modules for $release${series:+ (series)}"
	rm -rf "$mods.tmp"
	"$rk/build-modules.sh" --kdir "$kdir" --out "$mods.tmp" \
		${series:+--no-library} || die "building core/ as modules failed"
	rm -rf "$mods"
	mv "$mods.tmp" "$mods"
fi
# The series kernel has the header in its tree, which is the pristine one
# but while the series builds (build-kernel.sh): a copy in KDIR too.
mkdir -p "$kdir/include/linux"
cmp -s "$root/core/include/linux/usermode_driver_mgmt.h" \
	"$kdir/include/linux/usermode_driver_mgmt.h" ||
	cp "$root/core/include/linux/usermode_driver_mgmt.h" "$kdir/include/linux/" ||
	die "cannot install the library's header into $kdir"
if [ -z "$series" ]; then
	{
		awk -F '\t' '$3 !~ /(^|\/)umd_mgmt$/' "$kdir/Module.symvers"
		awk -F '\t' 'BEGIN { OFS = "\t" } $3 ~ /(^|\/)umd_mgmt$/ { $3 = "extra/umd_mgmt"; print }' \
			"$mods/Module.symvers"
	} >"$kdir/Module.symvers.new" ||
		die "cannot add the library's exports to $kdir/Module.symvers"
	if cmp -s "$kdir/Module.symvers.new" "$kdir/Module.symvers"; then
		rm -f "$kdir/Module.symvers.new"
	else
		mv "$kdir/Module.symvers.new" "$kdir/Module.symvers" ||
			die "cannot add the library's exports to $kdir/Module.symvers"
	fi
fi
flock -u 8
exec 8>&-

if [ -n "$print_kdir" ]; then
	echo "$kdir"
	exit 0
fi

[ $# -ge 1 ] || { echo "realkernel: no SCRIPT given (see --help)" >&2; exit 2; }
script=$1
shift
[ -f "$script" ] || die "script '$script' not found"
if [ -n "$modules_dir" ]; then
	[ -d "$modules_dir" ] || die "--modules: '$modules_dir' is not a directory"
	compgen -G "$modules_dir/*.ko" >/dev/null || die "--modules: no .ko file in '$modules_dir'"
fi
for f in "${files[@]}"; do
	[ -e "$f" ] || die "--file: '$f' not found"
done
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 is missing (apt-get install qemu-system-x86)"
busybox=/bin/busybox
[ -x "$busybox" ] || die "busybox is missing (apt-get install busybox-static)"
readelf -l "$busybox" 2>/dev/null | grep -q INTERP &&
	die "$busybox is linked dynamically (apt-get install busybox-static)"
command -v depmod >/dev/null || [ -x /sbin/depmod ] || die "depmod is missing (apt-get install kmod)"
command -v cpio >/dev/null || die "cpio is missing (apt-get install cpio)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-realkernel.XXXXXX") || die "mktemp failed"
qemu_pid=""
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The initramfs.
ird=$tmp/root
mkdir -p "$ird/bin" "$ird/usr/bin" "$ird/test" "$ird/lib/modules/$release/extra"
cp "$busybox" "$ird/bin/busybox"
# glibc, for handlers linked dynamically (Kbuild's userprogs are, unless
# -static): the loader and libc.so.6, at the paths they are looked up at.
for lib in /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libc.so.6; do
	[ -e "$lib" ] || continue
	mkdir -p "$ird$(dirname "$lib")"
	cp -L "$lib" "$ird$lib"
done
install -m 755 "$rk/init" "$ird/init"
# The users every system has (id, ls -l, a handler reading /etc/passwd).
mkdir -p "$ird/etc"
echo "root:x:0:0:root:/root:/bin/sh" >"$ird/etc/passwd"
echo "root:x:0:" >"$ird/etc/group"
install -m 755 "$rk/umd-emu-guest" "$ird/usr/bin/umd-emu"
if [ -d "$kdir/modroot/lib/modules/$release" ]; then
	cp -r "$kdir/modroot/lib/modules/$release/." "$ird/lib/modules/$release/"
	rm -f "$ird/lib/modules/$release/build" "$ird/lib/modules/$release/source"
fi
cp "$mods"/*.ko "$ird/lib/modules/$release/extra/"
if [ -n "$modules_dir" ]; then
	mkdir -p "$ird/lib/modules/$release/updates"
	cp "$modules_dir"/*.ko "$ird/lib/modules/$release/updates/"
fi
depmod=$(command -v depmod || echo /sbin/depmod)
"$depmod" -b "$ird" "$release" 2>"$tmp/depmod.log" ||
	die "depmod failed: $(head -n 1 "$tmp/depmod.log")"
cp "$script" "$ird/test/$(basename "$script")"
for f in "${files[@]}"; do
	cp -r "$f" "$ird/test/"
done
{
	printf 'exec sh ./%q' "$(basename "$script")"
	for a in "$@"; do printf ' %q' "$a"; done
	printf '\n'
} >"$ird/test/run"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$tmp/initramfs.cpio.gz" ||
	die "cannot pack the initramfs"

# qemu. The console carries the script's output; the kernel log is printed
# by /init at the end (loglevel=1 keeps all but emergencies off the console).
run_qemu() { # $1: kvm|tcg, $2: time limit, $3: console file, [$4: more kernel args]
	local accel_args=(-accel tcg)
	[ "$1" = kvm ] && accel_args=(-enable-kvm -cpu host)
	timeout --foreground -k 5 "$2" qemu-system-x86_64 "${accel_args[@]}" \
		-m "$memory" -smp 1 -no-reboot -display none -monitor none \
		-nodefaults -serial "file:$3" \
		-kernel "$kdir/arch/x86/boot/bzImage" -initrd "$tmp/initramfs.cpio.gz" \
		-append "console=ttyS0 loglevel=1 panic=-1 rdinit=/init${4:+ $4}" \
		>"$tmp/qemu.out" 2>&1 &
	qemu_pid=$!
	wait "$qemu_pid"
	local status=$?
	qemu_pid=""
	return $status
}

if [ "$accel" = auto ]; then
	accel=tcg
	probe=$cache/kvm-probe-qemu-$(qemu-system-x86_64 --version | head -n 1 | awk '{ print $4 }')
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		if [ ! -f "$probe" ]; then
			say "probing KVM (once per machine)"
			# umd_emu_probe: /init boots and ends without the script.
			if run_qemu kvm 20 "$tmp/probe.log" umd_emu_probe 2>/dev/null &&
			   tr -d '\r' <"$tmp/probe.log" | grep -q '^@@umd-emu: end'; then
				echo ok >"$probe"
			else
				echo "broken: $(head -n 1 "$tmp/qemu.out")" >"$probe"
			fi
		fi
		if [ "$(cat "$probe")" = ok ]; then
			accel=kvm
		else
			say "KVM does not work here ($(cut -c1-100 "$probe")); using TCG"
		fi
	fi
elif [ "$accel" = kvm ]; then
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || die "--kvm: /dev/kvm is missing or not accessible"
fi

say "booting $release ($accel) with $(basename "$script")"
console=$tmp/console.log
started=$(date +%s.%N)
run_qemu "$accel" "$timeout_s" "$console"
qstatus=$?
elapsed=$(printf '%.2f' "$(echo "$(date +%s.%N) - $started" | bc)")
[ -n "$console_keep" ] && cp "$console" "$console_keep"

# The console has CR line ends and terminal escapes: strip them.
clean=$tmp/console.txt
sed -e 's/\r$//' -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' \
	"$console" >"$clean"
if ! grep -q '^@@umd-emu: end' "$clean"; then
	tail -n 40 "$clean" >&2
	[ $qstatus -eq 124 ] && die "the VM did not finish within ${timeout_s} s (console tail above)"
	grep -q '^@@umd-emu: start' "$clean" ||
		die "the VM did not reach /init: qemu status $qstatus, $(head -n 1 "$tmp/qemu.out")"
	die "the VM stopped before the script ended (qemu status $qstatus; console tail above)"
fi
sed -n '/^@@umd-emu: start/,/^@@umd-emu: exit/p' "$clean" | sed '1d;$d'
status=$(sed -n 's/^@@umd-emu: exit \([0-9]*\)$/\1/p' "$clean" | tail -n 1)
kmsg=$(sed -n '/^@@umd-emu: kmsg/,/^@@umd-emu: end/p' "$clean" | sed '1d;$d')
if [ -n "$kernel_log" ]; then
	printf '%s\n' "$kmsg" >"$kernel_log" || die "cannot write $kernel_log"
else
	printf -- '--- kernel log ---\n%s\n' "$kmsg" >&2
fi
say "exit status $status, VM wall time $elapsed s"
exit "${status:-125}"
