#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench.sh: build umd-emu (build/plain) and measure it against its
# floors in one run: round trips, cold start, reload, concurrency and
# memory (umd-emu-bench), the 500-write selftest's wall time, the speed of
# a script sweep (runs/s) and, with a fuzz build, of "umd-emu fuzz" on the
# out-of-tree example (exec/s, both paths), and the developer loop (touch
# core/usermode_driver_mgmt.c, ninja, the unit tests).
set -u
cd "$(dirname "$0")/.." || exit 1

realkernel=auto fuzz=auto quick=""
args=()
for a in "$@"; do
	case "$a" in
	-h|--help)
		echo "Usage: tools/bench.sh [--quick] [--realkernel|--no-realkernel] [--fuzz|--no-fuzz]"
		echo "Measure umd-emu against its floors; --quick: a tenth of the repetitions."
		echo "The selftest also runs in the real-kernel VM if its kernel is built"
		echo "(--realkernel: build it first, about 4 minutes; --no-realkernel: skip)."
		echo "umd-emu fuzz's speed is measured if build/fuzz exists (--fuzz: set it"
		echo "up first, with clang, ASan and UBSan as tools/test.sh does; --no-fuzz: skip)."
		exit 0 ;;
	--quick) args+=("$a"); quick=1 ;;
	--fuzz) fuzz=yes ;;
	--no-fuzz) fuzz=no ;;
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

# A script sweep of the sample UMD: a script of one write, every fault
# point and crash place; faultsweep prints its runs/s.
sweep_dir=$(mktemp -d)
printf '#!/bin/sh\necho 5 > "$UMD_SECURITYFS/sample_umd"\n' >"$sweep_dir/one-write.sh"
chmod +x "$sweep_dir/one-write.sh"
for jobs in 1 2; do
	out=$("$dir/tools/umd-emu" faultsweep --modprobe sample_mgr --jobs $jobs \
		-- "$sweep_dir/one-write.sh" 2>&1) ||
		{ echo "$out" | tail -n 20; echo "the script sweep failed" >&2; rm -rf "$sweep_dir"; exit 1; }
	echo "script sweep (sample UMD, one write), --jobs $jobs: $(grep -o '[0-9]* runs in .*' <<<"$out")"
done
rm -rf "$sweep_dir"

# umd-emu fuzz on the out-of-tree example, built through the fuzz kdir:
# libFuzzer's exec/s on the write path and the reply path.
if [ "$fuzz" = auto ] && [ -f build/fuzz/build.ninja ]; then
	fuzz=yes
fi
if [ "$fuzz" = yes ]; then
	if [ ! -f build/fuzz/build.ninja ]; then
		CC=clang meson setup build/fuzz -Dkbuild_check=disabled -Dfuzz=true \
			-Db_sanitize=address,undefined >/dev/null ||
			{ echo "tools/bench.sh: meson setup build/fuzz failed" >&2; exit 1; }
	fi
	ninja -C build/fuzz >/dev/null || { echo "tools/bench.sh: the fuzz build failed" >&2; exit 1; }
	fz=$(mktemp -d)
	cp -r tests/oot/upper "$fz/upper"
	make -s -C "$(build/fuzz/tools/umd-emu fuzz --kdir)" M="$fz/upper" >/dev/null ||
		{ echo "tools/bench.sh: building tests/oot/upper for fuzzing failed" >&2; rm -rf "$fz"; exit 1; }
	secs=$([ -n "$quick" ] && echo 5 || echo 20)
	for path in write reply; do
		if [ $path = write ]; then
			what=(--write upper)
		else
			what=(--reply upper_umh --trigger 'upper:hello\n')
		fi
		out=$(cd "$fz" && "$OLDPWD/build/fuzz/tools/umd-emu" fuzz --modules "$fz/upper" \
			--modprobe upper_mgr "${what[@]}" --seconds "$secs" --corpus "$fz/corpus-$path" 2>&1) ||
			{ echo "$out" | tail -n 20; echo "umd-emu fuzz ($path path) failed" >&2; rm -rf "$fz"; exit 1; }
		echo "umd-emu fuzz, $path path (out-of-tree example, ASan+UBSan, $secs s): $(sed -n 's/^umd-emu fuzz: //p' <<<"$out")"
	done
	rm -rf "$fz"
else
	echo "umd-emu fuzz: skipped (no build/fuzz; tools/bench.sh --fuzz sets it up)"
fi

for i in 1 2 3; do
	start=$(date +%s%N)
	touch core/usermode_driver_mgmt.c
	ninja -C "$dir" >/dev/null && meson test -C "$dir" --suite unit >/dev/null ||
		{ echo "the developer loop failed" >&2; exit 1; }
	echo "developer loop (touch core, ninja, unit suite): $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
