# SPDX-License-Identifier: GPL-2.0
# Sourced by the tests of "umd-emu faultsweep -- SCRIPT": FUSE needed,
# a temporary directory ($dir) for the scenario scripts.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib-skip.sh"
UMD_EMU=${UMD_EMU:?path of the umd-emu binary}
CORE=${UMD_EMU_CORE_MODULES:?}

[ -e /dev/fuse ] || skip "/dev/fuse does not exist: FUSE is not available on this machine"
[ -r /dev/fuse ] && [ -w /dev/fuse ] ||
	skip "/dev/fuse is not accessible to $(id -un)"
command -v fusermount3 >/dev/null || skip "fusermount3 is not installed (Debian package fuse3)"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The sample UMD's scenario: one write, as a user's test would make it.
cat >"$dir/one-write.sh" <<'EOS'
#!/bin/sh
echo 5 > "$UMD_SECURITYFS/sample_umd"
EOS
chmod +x "$dir/one-write.sh"

# fired_points OUTPUT: the table's rows whose point fired, sorted.
fired_points() {
	awk '/^point /{t=1; next} /^total /{t=0} t && NF {
		name = $1; i = 2
		while (i <= NF && $i !~ /^[0-9]+$/) name = name " " $(i++)
		if ($(i + 1) > 0) print name }' <<<"$1" | sort
}
