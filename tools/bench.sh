#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench.sh: build umd-emu (build/plain) and measure it against its
# floors in one run: round trips, cold start, reload, concurrency and
# memory (umd-emu-bench), the 500-write selftest's wall time, and the
# developer loop (touch core/usermode_driver_mgmt.c, ninja, the unit tests).
set -u
cd "$(dirname "$0")/.." || exit 1

realkernel=auto
args=()
for a in "$@"; do
	case "$a" in
	-h|--help)
		echo "Usage: tools/bench.sh [--quick] [--realkernel|--no-realkernel]"
		echo "Measure umd-emu against its floors; --quick: a tenth of the repetitions."
		echo "The selftest also runs in the real-kernel VM if its kernel is built"
		echo "(--realkernel: build it first, about 4 minutes; --no-realkernel: skip)."
		exit 0 ;;
	--quick) args+=("$a") ;;
	--realkernel) realkernel=yes ;;
	--no-realkernel) realkernel=no ;;
	*) echo "tools/bench.sh: unknown option '$a' (see --help)" >&2; exit 2 ;;
	esac
done
set -- "${args[@]}"

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
taskset -c 0 "$dir/tools/bench/umd-emu-bench" --latency "$@" || exit 1
"$dir/tools/bench/umd-emu-bench" --concurrency "$@" || exit 1

echo
for i in 1 2 3; do
	start=$(date +%s%N)
	"$dir/tools/umd-emu" run -- tests/selftests/umd_mgmt.sh >/dev/null ||
		{ echo "the selftest failed" >&2; exit 1; }
	echo "selftest (500 writes, 10 reloads) under umd-emu run: $(( ($(date +%s%N) - start) / 1000000 )) ms"
done

# The same selftest on the real kernel in qemu (TCG on these hosts).
if [ "$realkernel" = auto ] &&
   [ -f "$(tools/realkernel/build-kernel.sh --print)/.umd-emu-built" ]; then
	realkernel=yes
fi
if [ "$realkernel" = yes ]; then
	timed=$(mktemp)
	cat >"$timed" <<'SH'
read -r a _ < /proc/uptime
sh ./umd_mgmt.sh > /dev/null
status=$?
read -r b _ < /proc/uptime
echo "guest-seconds $a $b"
exit $status
SH
	for i in 1 2 3; do
		start=$(date +%s%N)
		out=$(tools/realkernel.sh -q --kernel-log /dev/null \
			--file tests/selftests/umd_mgmt.sh -- "$timed") ||
			{ echo "the selftest failed in the VM" >&2; rm -f "$timed"; exit 1; }
		wall=$(( ($(date +%s%N) - start) / 1000000 ))
		guest=$(awk '/^guest-seconds/ { printf "%d", ($3 - $2) * 1000 }' <<<"$out")
		echo "selftest (500 writes, 10 reloads) in the real-kernel VM (TCG): ${wall} ms wall (boot, run, power off), ${guest} ms of it the selftest (guest clock)"
	done
	rm -f "$timed"
else
	echo "selftest in the real-kernel VM: skipped (no kernel built; tools/bench.sh --realkernel builds it)"
fi

for i in 1 2 3; do
	start=$(date +%s%N)
	touch core/usermode_driver_mgmt.c
	ninja -C "$dir" >/dev/null && meson test -C "$dir" --suite unit >/dev/null ||
		{ echo "the developer loop failed" >&2; exit 1; }
	echo "developer loop (touch core, ninja, unit suite): $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
