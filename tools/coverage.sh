#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/coverage.sh: run tests, a sweep, a fuzz corpus or any command in a
# coverage build of umd-emu (gcc's gcov, -Db_coverage=true) and report
# which lines of core/, handlers/ and one's own out-of-tree UMD ran
# (gcovr: HTML with a page per file, text, JSON summary). See
# docs/COVERAGE.md.
set -u
here=$(pwd)
src=$(cd "$(dirname "$0")/.." && pwd) || exit 1

usage() {
	cat <<USAGE
Usage: tools/coverage.sh [OPTIONS] [-- COMMAND [ARGS...]]

Configure (once) and build umd-emu with coverage (meson
-Db_coverage=true, gcc) in build/coverage, reset its counters, run COMMAND there (or meson test
with --suite), and write reports of the lines of core/ and handlers/ (and
of each --module-dir) that ran: OUT/index.html (a page per file),
OUT/coverage.txt (per file, with the lines never run), OUT/summary.json.
Prints the totals per directory, and "coverage: total L/N lines (P%)".

COMMAND runs in the current directory with build/coverage/tools first on
the PATH (its umd-emu) and UMD_EMU_KILL_GRACE_MS set, so that a handler
the kernel kills (SIGKILL) writes its counters first. Examples:
  tools/coverage.sh --suite unit --suite e2e
  tools/coverage.sh -- umd-emu faultsweep
  tools/coverage.sh -- build/coverage/tests/fuzz/fuzz-sample-write \\
      tests/fuzz/corpus/sample-write          (a fuzz corpus, replayed)
  make -C "\$(build/coverage/tools/umd-emu kdir --coverage)" M=\$PWD/upper
  tools/coverage.sh --module-dir upper -- umd-emu faultsweep \\
      --modules upper --modprobe upper_mgr -- upper/test.sh
Without COMMAND or --suite: the unit, e2e, fault and compile suites.

Options:
  --suite NAME        run meson test --suite NAME in the build (repeatable)
  --module-dir DIR    an out-of-tree UMD built with make -C
                      "\$(umd-emu kdir --coverage)" M=DIR: reset and report
                      its counters too (repeatable)
  --build DIR         the coverage build directory (default build/coverage);
                      with --no-build, any build of umd-emu: one without
                      coverage reports the --module-dir directories only
  --out DIR           where the reports go (default BUILD/coverage-report)
  --grace MS          UMD_EMU_KILL_GRACE_MS for COMMAND (default 2000)
  --no-tree           report the --module-dir directories only, not core/
                      and handlers/
  --keep              do not reset the counters: add this run to earlier ones
  --report-only       run nothing, report the counters as they are
  --no-build          use the build as it is (no meson setup, no ninja)
  -h, --help          show this help
Exit status: COMMAND's (the report is written anyway), 1 if the build or
the report failed, 2 on a usage error.
USAGE
}

die() { echo "tools/coverage.sh: $*" >&2; exit 1; }
usage_error() {
	echo "tools/coverage.sh: $* (see --help)" >&2
	exit 2
}
# An absolute path for a path given relative to where we were started.
abs() { case "$1" in /*) echo "$1" ;; *) echo "$here/$1" ;; esac; }

build=$src/build/coverage out="" grace=2000 keep="" no_tree="" report_only="" no_build=""
suites=() moddirs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--suite) [ $# -ge 2 ] || usage_error "--suite needs a name"
		suites+=(--suite "$2"); shift 2 ;;
	--suite=*) suites+=(--suite "${1#--suite=}"); shift ;;
	--module-dir) [ $# -ge 2 ] || usage_error "--module-dir needs a directory"
		moddirs+=("$(abs "$2")"); shift 2 ;;
	--module-dir=*) moddirs+=("$(abs "${1#--module-dir=}")"); shift ;;
	--build) [ $# -ge 2 ] || usage_error "--build needs a directory"
		build=$(abs "$2"); shift 2 ;;
	--build=*) build=$(abs "${1#--build=}"); shift ;;
	--out) [ $# -ge 2 ] || usage_error "--out needs a directory"
		out=$(abs "$2"); shift 2 ;;
	--out=*) out=$(abs "${1#--out=}"); shift ;;
	--grace) [ $# -ge 2 ] || usage_error "--grace needs milliseconds"
		grace=$2; shift 2 ;;
	--grace=*) grace=${1#--grace=}; shift ;;
	--keep) keep=1; shift ;;
	--no-tree) no_tree=1; shift ;;
	--report-only) report_only=1 keep=1; shift ;;
	--no-build) no_build=1; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage_error "unknown option '$1'" ;;
	esac
done
cmd=("$@")
[ -n "$out" ] || out=$build/coverage-report
[[ "$grace" =~ ^[0-9]+$ ]] && [ "$grace" -le 60000 ] ||
	usage_error "--grace takes milliseconds from 0 to 60000, not '$grace'"
[ ${#cmd[@]} -gt 0 ] && [ ${#suites[@]} -gt 0 ] &&
	usage_error "give a COMMAND or --suite, not both"
for d in "${moddirs[@]}"; do
	[ -d "$d" ] || die "--module-dir $d: no such directory"
done
command -v gcovr >/dev/null ||
	die "gcovr is not installed (Debian: apt-get install gcovr; tools/deps.sh installs it)"

if [ -z "$no_build" ]; then
	if [ ! -f "$build/build.ninja" ]; then
		log=$(mktemp)
		CC=gcc meson setup "$build" "$src" -Db_coverage=true \
			-Dkbuild_check=disabled -Drealkernel=disabled >"$log" 2>&1 ||
			{ cat "$log" >&2; rm -f "$log"; die "meson setup $build failed"; }
		rm -f "$log"
	fi
	ninja -C "$build" >/dev/null || { ninja -C "$build"; die "the build in $build failed"; }
fi
[ -f "$build/build.ninja" ] || die "$build is not a meson build directory"
# A build without coverage (plain, ASan) still runs one's own UMD built
# with the coverage kdir: then only the --module-dir directories count.
own_only=""
meson introspect "$build" --buildoptions 2>/dev/null | python3 -c '
import json, sys
sys.exit(not any(o["name"] == "b_coverage" and o["value"] is True
                 for o in json.load(sys.stdin)))' || own_only=1
[ -n "$no_tree" ] && [ ${#moddirs[@]} -eq 0 ] && usage_error "--no-tree needs a --module-dir"
if [ -n "$own_only" ] && [ -z "$no_tree" ]; then
	no_tree=1
	[ ${#moddirs[@]} -gt 0 ] ||
		die "$build is not a coverage build (-Db_coverage=true); without one, only --module-dir directories can be reported"
	echo "tools/coverage.sh: $build is not a coverage build: reporting the --module-dir directories only" >&2
fi

# Reset: only this run's counters count.
if [ -z "$keep" ]; then
	if [ -n "$no_tree" ]; then
		find "${moddirs[@]}" -name '*.gcda' -delete
	else
		find "$build" "${moddirs[@]}" -name '*.gcda' -delete
	fi
fi

status=0
if [ -z "$report_only" ]; then
	export UMD_EMU_KILL_GRACE_MS=$grace
	export PATH="$build/tools:$PATH"
	if [ ${#cmd[@]} -gt 0 ]; then
		echo "=== coverage: ${cmd[*]}"
		"${cmd[@]}"
		status=$?
	else
		[ ${#suites[@]} -gt 0 ] ||
			suites=(--suite unit --suite e2e --suite fault --suite compile)
		echo "=== coverage: meson test ${suites[*]}"
		meson test -C "$build" --print-errorlogs "${suites[@]}"
		status=$?
	fi
fi

# The report: core/ and handlers/ of this tree, and the module
# directories (paths in gcovr's filters are regular expressions).
re() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'; }
filters=()
[ -z "$no_tree" ] &&
	filters=(--filter "$(re "$src/core/")" --filter "$(re "$src/handlers/")")
for d in "${moddirs[@]}"; do
	filters+=(--filter "$(re "$d/")")
done
search=("${moddirs[@]}")
[ -z "$no_tree" ] && search=("$build" "${moddirs[@]}")
mkdir -p "$out" || die "cannot create $out"
rm -f "$out"/*.html "$out/coverage.txt" "$out/summary.json"
echo "=== coverage: gcovr (report in $out)"
if ! gcovr -r "$src" "${filters[@]}" --gcov-ignore-parse-errors \
	--html-details "$out/index.html" --html-title "umd-emu coverage" \
	--txt "$out/coverage.txt" --json-summary "$out/summary.json" \
	--json-summary-pretty "${search[@]}" >"$out/gcovr.log" 2>&1; then
	cat "$out/gcovr.log" >&2
	die "gcovr failed (its output above)"
fi

# Totals per directory: this tree's first directory, or the module
# directory a file is in.
python3 - "$out/summary.json" "$src" "${moddirs[@]}" <<'PY' || die "cannot read $out/summary.json"
import json, os, sys
summary, src, moddirs = sys.argv[1], sys.argv[2], sys.argv[3:]
files = json.load(open(summary))["files"]
dirs = {}
for f in files:
    path = os.path.normpath(os.path.join(src, f["filename"]))
    key = None
    for d in moddirs:
        if path.startswith(os.path.normpath(d) + "/"):
            key = d + "/"
    if key is None:
        key = os.path.relpath(path, src).split("/")[0] + "/"
    c, t = dirs.get(key, (0, 0))
    dirs[key] = (c + f["line_covered"], t + f["line_total"])
def pct(c, t):
    return "%.1f%%" % (100.0 * c / t) if t else "-"
for key in sorted(dirs):
    c, t = dirs[key]
    print("coverage: %-24s %5d/%-5d lines (%s)" % (key, c, t, pct(c, t)))
c = sum(v[0] for v in dirs.values())
t = sum(v[1] for v in dirs.values())
print("coverage: total %d/%d lines (%s), %d files" % (c, t, pct(c, t), len(files)))
PY
echo "=== coverage: $out/index.html, $out/coverage.txt"
exit "$status"
