# SPDX-License-Identifier: GPL-2.0
# Shared by the end-to-end tests: they drive the umd-emu command through the
# FUSE mount, as a user does. Exit 0 pass, 1 fail, 77 skip.
set -u

UMD_EMU=${UMD_EMU:?path of the umd-emu binary}
SRC=${UMD_EMU_SOURCE_ROOT:?source root}
export PATH="$(dirname "$UMD_EMU"):$PATH"

. "$(dirname "${BASH_SOURCE[0]}")/../lib-skip.sh"

# Every e2e test bounds itself (UMD_EMU_TEST_BOUND_S seconds, default 200,
# under meson's 240; far above what any takes on a busy machine, so no
# speed check: under ASan, in CI with the oracle kernels building beside
# it, the slowest took 70 s, and a bound of 90 once cut a passing guide
# run): a hang fails it with a line saying so, instead of running into
# meson's timeout.
# Its process group (meson gives each test one) gets SIGTERM, which every
# umd-emu run passes on to its COMMAND before it tears down, naming the
# requests still waiting for their handler.
e2e_bound() {
	local seconds=$1 test=$$ i
	[ "$seconds" -gt 0 ] 2>/dev/null || return 0
	(
		exec >/dev/null 2>&1
		for ((i = 0; i < seconds; i++)); do
			sleep 1
			kill -0 "$test" || exit 0
		done
		echo "FAIL: $(basename "$0") is still running after $seconds s: hung (UMD_EMU_TEST_BOUND_S)" >>"/proc/$test/fd/1"
		kill -TERM -- "-$test" || kill -TERM "$test"
	) &
}
e2e_bound "${UMD_EMU_TEST_BOUND_S:-200}"

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
