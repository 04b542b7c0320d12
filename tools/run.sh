#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/run.sh: the main job. Install what is missing, build umd-emu, and
# run the sample UMD's selftest (500 writes through the FUSE securityfs, the
# loader unloaded every 50 writes) inside "umd-emu run", with progress and a
# summary: requests, failures, reloads, handler starts, wall time, mean and
# p99 latency of a write.
set -u
cd "$(dirname "$0")/.." || exit 1

usage() {
	cat <<USAGE
Usage: tools/run.sh [OPTIONS]

Build umd-emu in build/plain and run the sample UMD selftest in the
emulated kernel, unprivileged if FUSE is usable by you.

Options:
  --writes N       number of writes (default 500)
  --reload-every N unload the loader every N writes (default 50)
  --no-install     never run apt-get; fail if something is missing
  -h, --help       show this help
USAGE
}

writes=500 reload=50 install=""
while [ $# -gt 0 ]; do
	case "$1" in
	--writes) writes=${2:-}; shift 2 ;;
	--reload-every) reload=${2:-}; shift 2 ;;
	--no-install) install=--no-install; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "tools/run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case "$writes$reload" in
*[!0-9]*|"") echo "tools/run.sh: --writes and --reload-every take positive numbers" >&2; exit 2 ;;
esac
[ "$writes" -gt 0 ] && [ "$reload" -gt 0 ] ||
	{ echo "tools/run.sh: --writes and --reload-every take positive numbers" >&2; exit 2; }

. tools/deps.sh
umd_emu_install_deps $install || exit 1

dir=build/plain
mkdir -p build
if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" >build/plain.setup.log 2>&1 ||
		{ cat build/plain.setup.log; echo "tools/run.sh: meson setup failed" >&2; exit 1; }
fi
ninja -C "$dir" >build/plain.build.log 2>&1 ||
	{ cat build/plain.build.log; echo "tools/run.sh: the build failed" >&2; exit 1; }
echo "built umd-emu in $dir"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=$(date +%s%N)
UMD_SELFTEST_WRITES=$writes UMD_SELFTEST_RELOAD_EVERY=$reload \
UMD_SELFTEST_STATS=$work/latency UMD_SELFTEST_PROGRESS_EVERY=$(( writes < 10 ? 1 : writes / 10 )) \
"$dir/tools/umd-emu" run -- bash -c '
	"$0" | while IFS= read -r line; do
		case "$line" in
		*/*" writes, "*) echo "$line, $(umd-emu dmesg | grep -c "Started sample_umh") handler starts" ;;
		*) echo "$line" ;;
		esac
	done
	status=${PIPESTATUS[0]}
	umd-emu dmesg > "$1/dmesg"
	exit "$status"' tests/selftests/umd_mgmt.sh "$work" | tee "$work/out"
status=${PIPESTATUS[0]}
end=$(date +%s%N)

python3 - "$work" "$status" "$writes" "$(( (end - start) / 1000 ))" <<'PY'
import sys, re
work, status, writes, wall_us = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lat = []
try:
    for line in open(work + "/latency"):
        a, b = line.split()
        lat.append((float(b) - float(a)) * 1e6)
except OSError:
    pass
out = open(work + "/out").read()
m = re.findall(r"(\d+) loader reloads", out)
reloads = int(m[-1]) if m else 0
try:
    starts = open(work + "/dmesg").read().count("Started sample_umh")
except OSError:
    starts = 0
done = len(lat)
failed = 0 if status == 0 else 1
lat.sort()
mean = sum(lat) / done if done else 0
p99 = lat[min(done - 1, int(done * 0.99))] if done else 0
print()
print("summary: requests %d, failures %d, loader reloads %d, handler starts %d (%d restarts)"
      % (done + failed, failed, reloads, starts, max(starts - 1, 0)))
print("summary: wall time %.2f s, write latency mean %.0f us, p99 %.0f us"
      % (wall_us / 1e6, mean, p99))
print("summary: %s" % ("PASS" if status == 0 else "FAIL (selftest exit status %d)" % status))
PY
exit "$status"
