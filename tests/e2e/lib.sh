# SPDX-License-Identifier: GPL-2.0
# Shared by the end-to-end tests: they drive the umd-emu command through the
# FUSE mount, as a user does. Exit 0 pass, 1 fail, 77 skip.
set -u

UMD_EMU=${UMD_EMU:?path of the umd-emu binary}
SRC=${UMD_EMU_SOURCE_ROOT:?source root}
export PATH="$(dirname "$UMD_EMU"):$PATH"

. "$(dirname "${BASH_SOURCE[0]}")/../lib-skip.sh"

# FUSE must work here; otherwise say exactly why and skip.
need_fuse() {
	if [ ! -e /dev/fuse ]; then
		skip "/dev/fuse does not exist: FUSE is not available on this machine"
	fi
	if [ ! -r /dev/fuse ] || [ ! -w /dev/fuse ]; then
		skip "/dev/fuse is not accessible to $(id -un) (mode $(stat -c %a /dev/fuse)): an administrator can 'chmod 0666 /dev/fuse'"
	fi
	command -v fusermount3 >/dev/null ||
		skip "fusermount3 is not installed (Debian package fuse3)"
}

# expect_fail DESCRIPTION PATTERN COMMAND...: COMMAND fails, stderr matches.
expect_fail() {
	local what=$1 pattern=$2 err
	shift 2
	if err=$("$@" 2>&1 >/dev/null); then
		fail "$what: succeeded, expected a failure matching '$pattern'"
	fi
	case "$err" in
	*$pattern*) ;;
	*) fail "$what: error was '$err', expected '$pattern'" ;;
	esac
}

# not_mounted DIR: no umd-emu FUSE mount is left at DIR.
not_mounted() {
	if grep -q " $1 fuse.umd-emu " /proc/self/mounts 2>/dev/null; then
		grep " $1 fuse.umd-emu " /proc/self/mounts
		return 1
	fi
	return 0
}

# mount_of OUTPUT: the path after "mount=" in a test's output.
mount_of() {
	sed -n 's/^mount=//p' <<<"$1" | head -n 1
}
