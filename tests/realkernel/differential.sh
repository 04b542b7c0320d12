#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The differential test: tests/realkernel/cases.sh under "umd-emu run" and
# in the real-kernel VM (tools/realkernel.sh), with the same selftest, the
# same out-of-tree UMD built for each (make -C KDIR M=...) and the same
# bpfilter client; then a table of every case's result on both sides.
# A case that differs passes only if tests/realkernel/differences lists it
# with the reason (each documented in docs/DIFFERENCES.md).
# Exit 0 when every case agrees or is a documented difference, 1 otherwise,
# 77 to skip (UMD_EMU_REQUIRE_ALL=1 turns a skip into a failure).
set -u
set -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
. "$here/../lib-skip.sh"

usage() {
	cat <<USAGE
Usage: differential.sh [--tcg|--kvm] [--keep DIR]

Run tests/realkernel/cases.sh under umd-emu run and on the real kernel and
print the table of agreement. Environment: UMD_EMU (the umd-emu binary),
UMD_EMU_MODULES_PATH (its modules: build/core:build/core/bpfilter),
UMD_EMU_SOCKOPT_PRELOAD and UMD_EMU_SOCKOPT_CLIENT (from the meson build).
  --keep DIR   keep both outputs and the kernel logs in DIR
USAGE
}

accel=() keep=""
while [ $# -gt 0 ]; do
	case "$1" in
	--tcg|--kvm) accel=("$1") ;;
	--keep) keep=${2:?--keep needs a directory}; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "differential.sh: unknown option '$1'" >&2; exit 2 ;;
	esac
	shift
done

UMD_EMU=${UMD_EMU:?path of the umd-emu binary}
mods=${UMD_EMU_MODULES_PATH:?umd-emu modules path}
preload=${UMD_EMU_SOCKOPT_PRELOAD:?preload library}
client=${UMD_EMU_SOCKOPT_CLIENT:?sockopt client}

[ -e /dev/fuse ] && [ -r /dev/fuse ] && [ -w /dev/fuse ] ||
	skip "/dev/fuse is not usable by $(id -un): the emulator side needs FUSE"
command -v qemu-system-x86_64 >/dev/null ||
	skip "qemu-system-x86_64 is missing (apt-get install qemu-system-x86)"
[ -f /usr/src/linux-source-6.1.tar.xz ] ||
	skip "no kernel source (apt-get install linux-source-6.1)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-differential.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
work=${keep:-$tmp}
mkdir -p "$work"

# The real kernel (built once per machine) and its Kbuild tree.
kdir=$("$src/tools/realkernel.sh" --print-kdir) || fail "building the real kernel failed"

# The out-of-tree UMD, built for each side from the same files.
for side in emu vm; do
	mkdir -p "$tmp/oot-$side"
	cp "$src"/tests/oot/upper/* "$tmp/oot-$side/"
done
emu_kdir=$("$UMD_EMU" kdir) || fail "umd-emu kdir failed"
make -C "$emu_kdir" M="$tmp/oot-emu" >"$tmp/oot-emu.log" 2>&1 ||
	{ cat "$tmp/oot-emu.log"; fail "the out-of-tree UMD did not build for the emulator"; }
make -C "$kdir" M="$tmp/oot-vm" >"$tmp/oot-vm.log" 2>&1 ||
	{ cat "$tmp/oot-vm.log"; fail "the out-of-tree UMD did not build for the real kernel"; }

# The bpfilter client, unchanged; linked statically for the VM.
${CC:-gcc} -static -O2 -o "$tmp/sockopt-client" "$src/tests/bpfilter/sockopt-client.c" ||
	fail "cannot link the sockopt client statically"

files=("$here/cases.sh" "$src/tests/selftests/umd_mgmt.sh")

echo "=== emulator: umd-emu run"
mkdir -p "$tmp/emu"
cp "${files[@]}" "$tmp/emu/"
start=$(date +%s%N)
SOCKOPT_CLIENT="env LD_PRELOAD=$preload $client" \
	"$UMD_EMU" run --modules "$tmp/oot-emu:$mods" --log "$work/emu.kmsg" \
	-- bash "$tmp/emu/cases.sh" >"$work/emu.out" 2>&1
emu_status=$?
emu_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$work/emu.out"

echo "=== real kernel: tools/realkernel.sh"
start=$(date +%s%N)
"$src/tools/realkernel.sh" "${accel[@]}" --modules "$tmp/oot-vm" \
	--file "$src/tests/selftests/umd_mgmt.sh" --file "$tmp/sockopt-client" \
	--kernel-log "$work/vm.kmsg" -- "$here/cases.sh" >"$work/vm.out" 2>"$work/vm.err"
vm_status=$?
vm_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$work/vm.out" "$work/vm.err"

python3 - "$work/emu.out" "$work/vm.out" "$here/differences" \
	"$emu_status" "$vm_status" "$emu_ms" "$vm_ms" "$work/emu.kmsg" "$work/vm.kmsg" <<'PY'
import re, sys
emu_f, vm_f, diff_f, emu_st, vm_st, emu_ms, vm_ms, emu_k, vm_k = sys.argv[1:]

def cases(path):
    out, times = {}, {}
    for line in open(path, errors="replace"):
        m = re.match(r"@case (.*?): (.*)$", line.rstrip("\n"))
        if m:
            out[m.group(1)] = m.group(2).rstrip()
        m = re.match(r"@time (.*?): (\d+) ms$", line.rstrip("\n"))
        if m:
            times[m.group(1)] = int(m.group(2))
    return out, times

def runs(names):
    """Run-length: ["a", "a", "b"] -> "a x2, b x1"."""
    out = []
    for n in names:
        if out and out[-1][0] == n:
            out[-1][1] += 1
        else:
            out.append([n, 1])
    return ", ".join(f"{n} x{c}" for n, c in out) or "none"

def kmsg_events(path):
    """Handler starts and stops, in order, from a kernel log."""
    starts, stops = [], []
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return {}
    for line in text.splitlines():
        m = re.search(r"Loaded (\S+) pid \d+", line)
        if m:
            starts.append(m.group(1))
        m = re.search(r"umd-emu: (\S+?)\[\d+\] (killed by signal|exited with)", line)
        if m:
            stops.append(m.group(1))
    return {"kernel log: handler starts, in order": runs(starts),
            "kernel log: handler stops, in order": runs(stops)}

emu, emu_t = cases(emu_f)
vm, vm_t = cases(vm_f)
emu.update(kmsg_events(emu_k))
vm.update(kmsg_events(vm_k))
documented = {}
for line in open(diff_f):
    line = line.rstrip("\n")
    if line and not line.startswith("#"):
        name, _, why = line.partition("\t")
        documented[name] = why.strip()

names = list(vm) + [n for n in emu if n not in vm]
w = max(len(n) for n in names) if names else 10
rows, agree, doc, bad = [], 0, 0, []
for n in names:
    e, v = emu.get(n, "(missing)"), vm.get(n, "(missing)")
    if e == v:
        verdict = "agree"
        agree += 1
    elif n in documented and "(missing)" not in (e, v):
        verdict = "documented: " + documented[n]
        doc += 1
    else:
        verdict = "DIFFERENT"
        bad.append(n)
    rows.append((n, e, v, verdict))

ew = min(max([len(r[1]) for r in rows] + [8]), 40)
vw = min(max([len(r[2]) for r in rows] + [11]), 40)
print()
print(f"{'case':<{w}}  {'emulator':<{ew}}  {'real kernel':<{vw}}  verdict")
print(f"{'-' * w}  {'-' * ew}  {'-' * vw}  -------")
for n, e, v, verdict in rows:
    print(f"{n:<{w}}  {e:<{ew}}  {v:<{vw}}  {verdict}")
print()
for k in sorted(set(emu_t) | set(vm_t)):
    print(f"time of {k}: emulator {emu_t.get(k, '?')} ms, real kernel (guest clock, "
          f"TCG) {vm_t.get(k, '?')} ms")
print(f"wall time: emulator run {emu_ms} ms, VM (boot + run + power off) {vm_ms} ms")
print(f"cases: {len(rows)}, agree {agree}, documented differences {doc}, "
      f"undocumented differences {len(bad)}")
ok = True
if emu_st != "0" or vm_st != "0":
    print(f"FAIL: exit status emulator {emu_st}, real kernel {vm_st}")
    ok = False
if emu.get("selftest") != "exit 0" or vm.get("selftest") != "exit 0":
    print("FAIL: the selftest did not pass on both sides")
    ok = False
if len(rows) < 20:
    print("FAIL: fewer cases than expected ran")
    ok = False
for n in bad:
    print(f"FAIL: '{n}' differs and is not a documented difference")
    ok = False
stale = [n for n in documented if n in emu and n in vm and emu[n] == vm[n]]
for n in stale:
    print(f"note: '{n}' is listed as a difference but now agrees")
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
