#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/test.sh: install what is missing, build umd-emu twice (plain, and
# with AddressSanitizer + UBSan, handlers and modules included), run the
# whole suite in both, and end with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1

usage() {
	cat <<USAGE
Usage: tools/test.sh [OPTIONS] [-- MESON_TEST_ARGS...]

Build umd-emu in build/plain and build/asan (-Db_sanitize=address,undefined)
and run the test suite in each; build/tsan (-Db_sanitize=thread: the
emulator's threads, handlers left uninstrumented) and run the unit, e2e
and fault suites there; then build the libFuzzer targets with clang in
build/fuzz (ASan+UBSan) and run each for a bounded number of runs, and
check the ClusterFuzzLite build (.clusterfuzzlite/build.sh, build/fuzz-cfl);
last, build/coverage (gcc, -Db_coverage=true) and run the unit and
coverage suites there through tools/coverage.sh, printing the line
coverage of core/ and handlers/ (docs/COVERAGE.md has the whole suite's).
Missing Debian packages are installed with apt-get when run as root;
otherwise the command to install them is printed.

The real-kernel suite (tests/realkernel: the same cases under umd-emu run
and on real kernels in qemu, compared, and the Kbuild agreement test) runs
in the plain configuration in CI (CI=true) and where /dev/kvm exists (qemu
falls back to software emulation if KVM does not work; a user who cannot
install its packages is told and the rest runs), or when asked. It builds
the kernels first, once per machine, in the background while the
emulator's suites run: 6.1, 6.1 with the UMD series applied from this
project's files (from 6.1's objects) and 6.12; cached in ~/.cache/umd-emu.

Options:
  --only plain|asan|tsan|fuzz|coverage
                      build and test one configuration only
  --realkernel        run the real-kernel suite (plain)
  --no-realkernel     do not run it, even where /dev/kvm exists
  --no-install        never run apt-get; fail if something is missing
  -h, --help          show this help

Environment: UMD_EMU_REQUIRE_ALL=1 turns every skipped test into a failure;
it is set automatically as root and in CI (CI=true), where everything a
test needs can be installed or opened. As a normal user, a test that
cannot run here (e.g. /dev/fuse closed to you) skips and says why.
As root, UMD_EMU_TEST_ALLOW_CHMOD_FUSE=1 is set (unless given): the
unprivileged test may open /dev/fuse to 0666 while it runs, then restores
its mode, to run the flow as 'nobody' through fusermount3.
Exit status: 0 if every test passed, 1 otherwise.
USAGE
}

only="" install="" realkernel=${UMD_EMU_REALKERNEL_TEST:-} realkernel_auto=""
[ -z "$realkernel" ] && { [ -e /dev/kvm ] || [ -n "${CI:-}" ]; } &&
	realkernel=1 realkernel_auto=1
while [ $# -gt 0 ]; do
	case "$1" in
	--realkernel) realkernel=1 realkernel_auto=""; shift ;;
	--no-realkernel) realkernel=0; shift ;;
	--only) only=${2:-}; shift 2 ;;
	--only=*) only=${1#--only=}; shift ;;
	--no-install) install=--no-install; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	*) echo "tools/test.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case "$only" in
""|plain|asan|tsan|fuzz|coverage) ;;
*) echo "tools/test.sh: --only takes 'plain', 'asan', 'tsan', 'fuzz' or 'coverage', not '$only'" >&2; exit 2 ;;
esac

[ "$realkernel" = 1 ] && case "$only" in ""|plain) ;; *) realkernel=0 ;; esac
. tools/deps.sh
umd_emu_install_deps $install || exit 1
if [ "$realkernel" = 1 ] && ! umd_emu_install_deps $install --realkernel; then
	# Turned on only because /dev/kvm exists, by a user who cannot install
	# the kernel-build packages: run the rest, say so.
	if [ -n "$realkernel_auto" ] && [ "$(id -u)" != 0 ] && [ -z "${CI:-}" ]; then
		echo "tools/test.sh: the real-kernel differential test is skipped: its packages are missing (see above; --no-realkernel silences this)" >&2
		realkernel=0
	else
		exit 1
	fi
fi
# As root or in CI nothing may be missing: no test has a reason to skip.
if [ "$(id -u)" = 0 ] || [ -n "${CI:-}" ]; then
	export UMD_EMU_REQUIRE_ALL=${UMD_EMU_REQUIRE_ALL:-1}
fi
if [ "$(id -u)" = 0 ]; then
	export UMD_EMU_TEST_ALLOW_CHMOD_FUSE=${UMD_EMU_TEST_ALLOW_CHMOD_FUSE:-1}
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:halt_on_error=1:print_summary=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:second_deadlock_stack=1}
# GLib's slice allocator hands memory between threads in ways TSan cannot
# see (GLib is not built with it): plain malloc, in every configuration.
export G_SLICE=always-malloc

configs=(plain asan tsan fuzz coverage)
[ -n "$only" ] && configs=("$only")

total_pass=0 total_fail=0 total_skip=0 t0=$(date +%s)
mkdir -p build

# count_results DIR LABEL: add DIR's meson test results to the totals.
count_results() {
	local counts p f s
	counts=$(python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = s = 0
try:
    for line in open(sys.argv[1]):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            p += 1
        elif r == "SKIP":
            s += 1
        else:
            f += 1
except OSError:
    f += 1
print(p, f, s)
PY
)
	read -r p f s <<<"$counts"
	echo "=== $2: $p passed, $f failed, $s skipped ($(( $(date +%s) - t0 )) s into the run)"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
}

# The oracle kernel builds in the background, niced, while the emulator's
# suites run (they leave a core idle much of the time).
kernel_pid=""
if [ "$realkernel" = 1 ]; then
	echo "=== realkernel: building the oracle kernels in the background (log: build/realkernel-kernel.log)"
	kstart=$(date +%s)
	{ nice -n 19 tools/realkernel/build-kernel.sh --kernel 6.1 &&
	  nice -n 19 tools/realkernel/build-kernel.sh --series &&
	  nice -n 19 tools/realkernel/build-kernel.sh --kernel 6.12; } >build/realkernel-kernel.log 2>&1 &
	kernel_pid=$!
	trap '[ -n "$kernel_pid" ] && kill -- "$kernel_pid" 2>/dev/null; exit 130' INT TERM
fi

for cfg in "${configs[@]}"; do
	[ "$cfg" = coverage ] && continue	# below, through tools/coverage.sh
	dir=build/$cfg
	opts=(-Dkbuild_check=enabled -Drealkernel=disabled)
	suite=()
	[ "$cfg" = asan ] && opts+=(-Db_sanitize=address,undefined)
	if [ "$cfg" = tsan ]; then
		# The multithreaded parts: the FUSE server, the control socket,
		# the stderr collectors, the watchdog, signals to tasks.
		opts=(-Dkbuild_check=disabled -Db_sanitize=thread)
		suite=(--suite unit --suite e2e --suite fault)
	fi
	if [ "$cfg" = plain ] && [ "$realkernel" = 1 ]; then
		# Defined here, run at the end once the kernels are built.
		opts=(-Dkbuild_check=enabled -Drealkernel=enabled)
		suite=(--no-suite realkernel)
	fi
	if [ "$cfg" = fuzz ]; then
		opts=(-Dkbuild_check=disabled -Dfuzz=true -Db_sanitize=address,undefined)
		suite=(--suite fuzz)
	fi
	echo "=== $cfg: configure and build in $dir"
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "${opts[@]}" >/dev/null || { total_fail=$((total_fail + 1)); continue; }
	else
		CC=$([ "$cfg" = fuzz ] && echo clang || echo "${CC:-cc}") \
		meson setup "$dir" "${opts[@]}" >"$dir.setup.log" 2>&1 ||
			{ cat "$dir.setup.log"; echo "$cfg: meson setup failed"; total_fail=$((total_fail + 1)); continue; }
		rm -f "$dir.setup.log"
	fi
	if ! ninja -C "$dir"; then
		echo "=== $cfg: build failed"
		total_fail=$((total_fail + 1))
		continue
	fi
	echo "=== $cfg: meson test"
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" --print-errorlogs "${suite[@]}" "$@"
	count_results "$dir" "$cfg"
done

# With the fuzz configuration: the ClusterFuzzLite / OSS-Fuzz build
# (.clusterfuzzlite/build.sh under the service's libFuzzer+ASan variables,
# in build/fuzz-cfl), its $OUT moved and each target run from it (see
# tests/fuzz/clusterfuzzlite.sh). One result per PASS/FAIL line.
if [[ " ${configs[*]} " == *" fuzz "* ]]; then
	echo "=== clusterfuzzlite: .clusterfuzzlite/build.sh, then each target from a moved \$OUT"
	cfl_log=$(mktemp)
	tests/fuzz/clusterfuzzlite.sh build/fuzz-cfl | tee "$cfl_log"
	cfl_status=${PIPESTATUS[0]}
	p=$(grep -c '^PASS: ' "$cfl_log") f=$(grep -c '^FAIL: ' "$cfl_log")
	[ "$cfl_status" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	rm -f "$cfl_log"
	echo "=== clusterfuzzlite: $p passed, $f failed, 0 skipped ($(( $(date +%s) - t0 )) s into the run)"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
fi

# Coverage: the unit suite and the coverage test in build/coverage, with
# the totals of core/ and handlers/ printed (the whole suite's figures,
# per file, are in docs/COVERAGE.md: tools/coverage.sh without --suite).
if [[ " ${configs[*]} " == *" coverage "* ]]; then
	echo "=== coverage: configure, build and test in build/coverage (tools/coverage.sh)"
	rm -f build/coverage/meson-logs/testlog.json
	tools/coverage.sh --suite unit --suite coverage 2>&1 | sed -u '/^coverage: /s/^/=== /'
	cov_status=${PIPESTATUS[0]} fails_before=$total_fail
	count_results build/coverage coverage
	if [ "$cov_status" -ne 0 ] && [ "$total_fail" -eq "$fails_before" ]; then
		echo "=== coverage: tools/coverage.sh failed (status $cov_status)"
		total_fail=$((total_fail + 1))
	fi
fi

if [ "$realkernel" = 1 ]; then
	echo "=== realkernel: waiting for the kernel builds"
	if wait "$kernel_pid"; then
		echo "=== realkernel: kernels ready, $(( $(date +%s) - kstart )) s after the start:"
		grep -E '^build-kernel.sh: (re)?built' build/realkernel-kernel.log
	else
		tail -n 20 build/realkernel-kernel.log
		echo "=== realkernel: the kernel build failed"
	fi
	kernel_pid=""
	if [ -f build/plain/build.ninja ]; then
		echo "=== realkernel: meson test --suite realkernel"
		rm -f build/plain/meson-logs/testlog.json
		meson test -C build/plain --verbose --suite realkernel
		count_results build/plain realkernel
	else
		echo "=== realkernel: no plain build to compare with"
		total_fail=$((total_fail + 1))
	fi
fi

echo "=== wall time: $(( $(date +%s) - t0 )) s"
echo "umd-emu: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
