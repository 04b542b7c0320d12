#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fault points README.md lists are the emulator's table
# (emu/fault_points.h, as "umd-emu fault --list" prints it): adding a
# point without naming it in the README fails here.
# Environment: UMD_EMU (the umd-emu binary).
set -u
src=${1:?source root}

table=$("$UMD_EMU" fault --list | awk 'NR > 1 { print $1 }' | sort) ||
	{ echo "FAIL: umd-emu fault --list"; exit 1; }
[ -n "$table" ] || { echo "FAIL: umd-emu fault --list printed no point"; exit 1; }
# The paragraph after "Points (the list, ..." up to its first empty line.
readme=$(awk '/^Points \(the list/ { p = 1 } p && /^$/ { exit } p' "$src/README.md" |
	grep -o '`[a-z_]*`' | tr -d '`' | sort)
[ -n "$readme" ] || { echo "FAIL: no \"Points (the list\" paragraph in README.md"; exit 1; }
if [ "$table" != "$readme" ]; then
	echo "FAIL: README.md's fault points differ from umd-emu fault --list:"
	diff <(echo "$table") <(echo "$readme") | sed 's/^</  only in the table:/; s/^>/  only in README.md:/' | grep only
	exit 1
fi
echo "ok: README.md names the $(wc -l <<<"$table") fault points of the table"
