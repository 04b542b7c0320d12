# SPDX-License-Identifier: GPL-2.0
# Sourced by tools/test.sh and tools/run.sh: make sure the packages the
# project needs are installed. As root, missing ones are installed with
# apt-get; otherwise the command to install them is printed and the
# caller stops.

# Debian packages and a file or command each one provides.
UMD_EMU_DEPS=(
	"meson:/usr/bin/meson"
	"ninja-build:/usr/bin/ninja"
	"pkg-config:/usr/bin/pkg-config"
	"gcc:/usr/bin/gcc"
	"make:/usr/bin/make"
	"binutils:/usr/bin/readelf"
	"python3:/usr/bin/python3"
	"libglib2.0-dev:/usr/include/glib-2.0/glib.h"
	"nettle-dev:/usr/include/nettle/rsa.h"
	"libfuse3-dev:/usr/include/fuse3/fuse.h"
	"fuse3:/usr/bin/fusermount3"
	"clang:/usr/bin/clang"
	"libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a"
	# The PGP UMD's tests make keys and signatures with gpg and check
	# the handler's replies with openssl (issue 16).
	"gnupg:/usr/bin/gpg"
	"openssl:/usr/bin/openssl"
	"gcovr:/usr/bin/gcovr"
)

# For the real-kernel oracle (tools/realkernel.sh): building a kernel from
# Debian's source package, and booting it in qemu with a busybox initramfs.
UMD_EMU_REALKERNEL_DEPS=(
	"linux-source-6.1:/usr/src/linux-source-6.1.tar.xz"
	"linux-source-6.12:/usr/src/linux-source-6.12.tar.xz"
	"build-essential:/usr/share/build-essential/list"
	"libc6-dev:/usr/lib/x86_64-linux-gnu/libc.a"
	"bc:/usr/bin/bc"
	"flex:/usr/bin/flex"
	"bison:/usr/bin/bison"
	"libelf-dev:/usr/include/libelf.h"
	"libssl-dev:/usr/include/openssl/ssl.h"
	"cpio:/usr/bin/cpio"
	"kmod:/usr/bin/kmod"
	"xz-utils:/usr/bin/xz"
	"qemu-system-x86:/usr/bin/qemu-system-x86_64"
	"busybox-static:/bin/busybox"
)

# Kernel headers for the Kbuild check: any installed 6.x headers will do.
umd_emu_have_kernel_headers() {
	ls -d /usr/src/linux-headers-*-amd64 >/dev/null 2>&1 ||
		[ -f "/lib/modules/$(uname -r)/build/Makefile" ]
}

# umd_emu_install_deps [--no-install] [--realkernel]: 0 when everything is
# there (with --realkernel, also what the real-kernel oracle needs).
umd_emu_install_deps() {
	local missing=() entry pkg path no_install="" deps=("${UMD_EMU_DEPS[@]}")
	while [ $# -gt 0 ]; do
		case "$1" in
		--no-install) no_install=1 ;;
		--realkernel) deps+=("${UMD_EMU_REALKERNEL_DEPS[@]}") ;;
		esac
		shift
	done
	for entry in "${deps[@]}"; do
		pkg=${entry%%:*}
		path=${entry#*:}
		compgen -G "$path" >/dev/null || missing+=("$pkg")
	done
	umd_emu_have_kernel_headers || missing+=("linux-headers-amd64")
	[ ${#missing[@]} -eq 0 ] && return 0

	if [ -n "$no_install" ] || [ "$(id -u)" != 0 ]; then
		echo "umd-emu: missing packages: ${missing[*]}" >&2
		echo "umd-emu: install them with: sudo apt-get install ${missing[*]}" >&2
		return 1
	fi
	echo "umd-emu: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get update -q >&2 ||
	   ! apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
		echo "umd-emu: apt-get could not install: ${missing[*]}" >&2
		return 1
	fi
}
