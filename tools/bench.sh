#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench.sh: build umd-emu (build/plain) and measure it against its
# floors in one run: round trips, cold start, reload, concurrency and
# memory (umd-emu-bench), the 500-write selftest's wall time, and the
# developer loop (touch core/usermode_driver_mgmt.c, ninja, the unit tests).
set -u
cd "$(dirname "$0")/.." || exit 1

case "${1:-}" in
-h|--help)
	echo "Usage: tools/bench.sh [--quick]"
	echo "Measure umd-emu against its floors; --quick: a tenth of the repetitions."
	exit 0 ;;
""|--quick) ;;
*) echo "tools/bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
esac

. tools/deps.sh
umd_emu_install_deps --no-install || exit 1
dir=build/plain
mkdir -p build
[ -f "$dir/build.ninja" ] || meson setup "$dir" >/dev/null || exit 1
ninja -C "$dir" >/dev/null || { echo "tools/bench.sh: the build failed" >&2; exit 1; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), kernel $(uname -r)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
# Latencies on one CPU: otherwise every wake-up may cross CPUs, which on
# these VMs swings a round trip between ~5 and ~45 us from run to run.
echo "latency: pinned to CPU 0 (taskset -c 0)"
taskset -c 0 "$dir/tools/umd-emu-bench" --latency "$@" || exit 1
"$dir/tools/umd-emu-bench" --concurrency "$@" || exit 1

echo
for i in 1 2 3; do
	start=$(date +%s%N)
	"$dir/tools/umd-emu" run -- tests/selftests/umd_mgmt.sh >/dev/null ||
		{ echo "the selftest failed" >&2; exit 1; }
	echo "selftest (500 writes, 10 reloads) under umd-emu run: $(( ($(date +%s%N) - start) / 1000000 )) ms"
done

for i in 1 2 3; do
	start=$(date +%s%N)
	touch core/usermode_driver_mgmt.c
	ninja -C "$dir" >/dev/null && meson test -C "$dir" --suite unit >/dev/null ||
		{ echo "the developer loop failed" >&2; exit 1; }
	echo "developer loop (touch core, ninja, unit suite): $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
