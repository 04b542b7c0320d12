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
