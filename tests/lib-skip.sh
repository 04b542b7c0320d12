# SPDX-License-Identifier: GPL-2.0
# Sourced by the test scripts: skip (exit 77), or fail where skipping is
# forbidden (UMD_EMU_REQUIRE_ALL=1, as tools/test.sh sets), and fail.

skip() {
	echo "SKIP: $*"
	if [ "${UMD_EMU_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FAIL: UMD_EMU_REQUIRE_ALL=1 forbids skipping"
		exit 1
	fi
	exit 77
}

fail() {
	echo "FAIL: $*"
	exit 1
}

# The command prefix that runs what follows as nobody.
NOBODY_RUN=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp TMPDIR=/tmp)

# as_nobody CMD...: run CMD as nobody (NOBODY_RUN). Where /dev/fuse is closed
# to nobody and UMD_EMU_TEST_ALLOW_CHMOD_FUSE=1 (tools/test.sh sets it as
# root), /dev/fuse is opened (0666, as most distributions ship it) for the
# duration of CMD, under a lock shared by the tests that do so, then its
# mode is restored. Returns CMD's status; 77 if it cannot run as nobody.
UMD_EMU_FUSE_LOCK=/tmp/umd-emu-test-fuse.lock
as_nobody() {
	local mode
	command -v setpriv >/dev/null || return 77
	(
		flock 9 || exit 77
		mode=$(stat -c %a /dev/fuse) || exit 77
		if ! "${NOBODY_RUN[@]}" test -r /dev/fuse -a -w /dev/fuse; then
			[ "${UMD_EMU_TEST_ALLOW_CHMOD_FUSE:-0}" = 1 ] || exit 77
			chmod 0666 /dev/fuse || exit 77
			trap 'chmod "$mode" /dev/fuse' EXIT
		fi
		"${NOBODY_RUN[@]}" "$@"
	) 9>"$UMD_EMU_FUSE_LOCK"
}
