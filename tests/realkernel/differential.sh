#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The differential test: tests/realkernel/cases.sh under "umd-emu run" and
# in the real-kernel VM (tools/realkernel.sh) on three kernels: 6.1 as it
# is (the lifecycle library as a module, the kernel's own bpfilter), 6.1
# with the series applied from this project's files (--series: the library
# built in, core/bpfilter and its handler), and 6.12 (--kernel 6.12: the
# library as a module, no bpfilter); with the same selftest, the same
# out-of-tree UMD built for each (make -C KDIR M=...) and the same bpfilter
# client; then a table of every case's result on the four.
# A case that differs passes only if tests/realkernel/differences lists it
# with the reason (each documented in docs/DIFFERENCES.md), for every
# kernel or for one ("[6.12] ROW").
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
for v in 6.1 6.12; do
	[ -f "${UMD_EMU_LINUX_SOURCES:-/usr/src}/linux-source-$v.tar.xz" ] ||
		skip "no kernel source (apt-get install linux-source-$v)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-differential.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
work=${keep:-$tmp}
mkdir -p "$work"

# The real kernels (built once per machine) and their Kbuild trees.
kdir=$("$src/tools/realkernel.sh" --print-kdir) || fail "building the real kernel failed"
kdir_series=$("$src/tools/realkernel.sh" --series --print-kdir) ||
	fail "building the real kernel with the series failed"
kdir_612=$("$src/tools/realkernel.sh" --kernel 6.12 --print-kdir) ||
	fail "building the 6.12 kernel failed"

# The out-of-tree UMD, built for each side from the same files.
emu_kdir=$("$UMD_EMU" kdir) || fail "umd-emu kdir failed"
kdir_of() { # SIDE: its Kbuild tree
	case $1 in
	emu) echo "$emu_kdir" ;;
	vm) echo "$kdir" ;;
	series) echo "$kdir_series" ;;
	v612) echo "$kdir_612" ;;
	esac
}
for side in emu vm series v612; do
	k=$(kdir_of $side)
	mkdir -p "$tmp/oot-$side"
	cp "$src"/tests/oot/upper/* "$tmp/oot-$side/"
	make -C "$k" M="$tmp/oot-$side" >"$tmp/oot-$side.log" 2>&1 ||
		{ cat "$tmp/oot-$side.log"; fail "the out-of-tree UMD did not build against $k"; }
done

# The bpfilter client, unchanged, and uwrite; linked statically for the VM.
${CC:-gcc} -static -O2 -o "$tmp/sockopt-client" "$src/tests/bpfilter/sockopt-client.c" ||
	fail "cannot link the sockopt client statically"
${CC:-gcc} -static -O2 -o "$tmp/uwrite" "$src/tests/e2e/uwrite.c" ||
	fail "cannot link uwrite statically"

# The PGP UMD's keys and signatures, made by gpg (without its home).
if command -v gpg >/dev/null; then
	"$src/tests/pgp/make-inputs.sh" "$tmp/pgp" >/dev/null ||
		fail "making the PGP keys and signatures with gpg"
	gpgconf --homedir "$tmp/pgp/gnupg" --kill all 2>/dev/null
	rm -rf "$tmp/pgp/gnupg" "$tmp/pgp/gpg.log"
	cp "$tmp/pgp/data.bin" "$tmp/pgp/tampered.bin"
	printf '\xff' | dd of="$tmp/pgp/tampered.bin" bs=1 seek=100 conv=notrunc status=none
	cp "$tmp/pgp/data.txt" "$tmp/pgp/tampered.txt"
	printf 'a' | dd of="$tmp/pgp/tampered.txt" bs=1 seek=3 conv=notrunc status=none
else
	fail "gpg is missing (apt-get install gnupg): the PGP rows need it"
fi

files=("$here/cases.sh" "$src/tests/selftests/umd_mgmt.sh" "$tmp/uwrite" "$tmp/pgp")

echo "=== emulator: umd-emu run"
mkdir -p "$tmp/emu"
cp -r "${files[@]}" "$tmp/emu/"
start=$(date +%s%N)
SOCKOPT_CLIENT="env LD_PRELOAD=$preload $client" \
	"$UMD_EMU" run --modules "$tmp/oot-emu:$mods" --log "$work/emu.kmsg" \
	-- bash "$tmp/emu/cases.sh" >"$work/emu.out" 2>&1
emu_status=$?
emu_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$work/emu.out"

vm_run() { # NAME [realkernel.sh options]
	local name=$1
	shift
	echo "=== real kernel: tools/realkernel.sh $*"
	start=$(date +%s%N)
	"$src/tools/realkernel.sh" "$@" "${accel[@]}" --modules "$tmp/oot-$name" \
		--file "$src/tests/selftests/umd_mgmt.sh" --file "$tmp/sockopt-client" \
		--file "$tmp/uwrite" --file "$tmp/pgp" \
		--kernel-log "$work/$name.kmsg" -- "$here/cases.sh" \
		>"$work/$name.out" 2>"$work/$name.err"
	echo $? >"$work/$name.status"
	echo $(( ($(date +%s%N) - start) / 1000000 )) >"$work/$name.ms"
	cat "$work/$name.out" "$work/$name.err"
}
vm_run vm
vm_run series --series
vm_run v612 --kernel 6.12

# The PGP handler's isolation (tests/e2e/pgp-isolation-cases.sh): its attack
# builds, confined and not, each as pgp_loader_kmod on every side (in the VM
# from "updates/", which modprobe prefers to the normal loader in "extra/").
# Rows "isolation BUILD: ATTEMPT", the values with pids and addresses made
# neutral (differential's table, below).
echo "=== the PGP handler's isolation: attack builds on every side"
iso=$tmp/isolation
mkdir -p "$iso"
cat >"$iso/isolation.sh" <<'EOF'
cd "$(dirname "$0")" || exit 1
umd-emu modprobe pgp_mgr || { echo "@case isolation: modprobe pgp_mgr: failed"; exit 0; }
sh ./pgp-isolation-cases.sh | awk -F'|' -v b="$ISOLATION_BUILD" '/^@row / {
	name = substr($1, 6); gsub(/: /, " - ", name)
	print "@case isolation " b " " name ": " $2 "; " $3 "; " $4 }'
EOF
cp "$src/tests/e2e/pgp-isolation-cases.sh" "$iso/"
${CC:-gcc} -static -O2 -o "$iso/ptrace-peek" "$src/tests/e2e/ptrace_peek.c" ||
	fail "cannot link ptrace-peek statically"
for b in confined unconfined; do
	defs=(-DPGP_UMH_ATTACKS)
	[ $b = unconfined ] && defs+=(-DPGP_UMH_NO_CONFINE)
	${CC:-gcc} -static -O2 "${defs[@]}" -I"$src/core/pgp" -I"$src/handlers" \
		-o "$iso/pgp_umh_attack_$b" "$src"/handlers/{pgp_handler,pgp_parse,pgp_attacks,confine}.c ||
		fail "cannot link the $b attack build of the PGP handler statically"
done
iso_emu() { # BUILD MODULES-DIR
	ISOLATION_BUILD=$1 UWRITE=$tmp/uwrite PTRACE_PEEK=$iso/ptrace-peek \
		"$UMD_EMU" run --modules "$2:$tmp/oot-emu:$mods" -- sh "$iso/isolation.sh" \
		>>"$work/emu.out" 2>>"$work/emu-isolation.err" ||
		{ cat "$work/emu-isolation.err"; fail "the isolation cases failed under umd-emu run ($1)"; }
}
iso_emu confined "${UMD_EMU_PGP_ATTACK_CONFINED:?directory of the confined attack loader}"
iso_emu unconfined "${UMD_EMU_PGP_ATTACK_UNCONFINED:?directory of the unconfined attack loader}"
iso_vm() { # SIDE BUILD realkernel.sh options: SIDE's isolation rows
	local side=$1 b=$2 d=$iso/$1-$2 no_library=""
	shift 2
	[ "$side" = series ] && no_library=--no-library	# the library is built in
	"$src/tools/realkernel/build-modules.sh" --kdir "$(kdir_of "$side")" --out "$d" \
		--pgp-loader-only --pgp-handler "$iso/pgp_umh_attack_$b" $no_library >/dev/null ||
		{ echo "@case isolation $b: modules: build failed" >>"$work/$side.iso.$b"; return; }
	"$src/tools/realkernel.sh" -q "$@" "${accel[@]}" --modules "$d" \
		--file "$tmp/uwrite" --file "$iso/ptrace-peek" --file "$iso/isolation.sh" \
		--file "$iso/pgp-isolation-cases.sh" --kernel-log "$work/$side.iso.$b.kmsg" \
		-- "$iso/run-$b.sh" >"$work/$side.iso.$b" 2>&1
}
# Two VMs at a time (each uses one CPU under TCG).
for b in confined unconfined; do
	echo "ISOLATION_BUILD=$b; export ISOLATION_BUILD; exec sh ./isolation.sh" >"$iso/run-$b.sh"
	iso_vm vm $b &
	iso_vm series $b --series &
	wait
	iso_vm v612 $b --kernel 6.12
done
for side in vm series v612; do
	cat "$work/$side.iso.confined" "$work/$side.iso.unconfined" >>"$work/$side.out"
done

python3 - "$work" "$here/differences" "$emu_status" "$emu_ms" "$here" <<'PY'
import re, sys
work, diff_f, emu_st, emu_ms, here = sys.argv[1:]
sys.path.insert(0, here)
from table import read_documented, print_table, judge, stale_entries
SIDES = [("emu", "emulator"), ("vm", "6.1"),
         ("series", "6.1 + series"), ("v612", "6.12")]
KERNELS = ["6.1", "6.1+series", "6.12"]  # as "[KERNEL] ROW" in differences

def neutral(name, value):
    """The isolation rows' values without what differs from run to run:
    pids, addresses; their row names without the user's uid."""
    if not name.startswith("isolation "):
        return name, value
    name = re.sub(r"uid \d+ - ", "the test's user - ", name)
    value = re.sub(r"\b(pid|child) \d+", r"\1 N", value)
    value = re.sub(r"0x[0-9a-f]+", "0x...", value)
    return name, value

def cases(path):
    out, times = {}, {}
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        m = re.match(r"@case (.*?): (.*)$", line)
        if m:
            name, value = neutral(m.group(1), m.group(2).rstrip())
            out[name] = value
        m = re.match(r"@time (.*?): (\d+) ms$", line)
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

def read(path, default):
    try:
        return open(path).read().strip()
    except OSError:
        return default

res, times, status, wall = {}, {}, {}, {}
for key, _ in SIDES:
    res[key], times[key] = cases(f"{work}/{key}.out")
    res[key].update(kmsg_events(f"{work}/{key}.kmsg"))
    status[key] = emu_st if key == "emu" else read(f"{work}/{key}.status", "?")
    wall[key] = emu_ms if key == "emu" else read(f"{work}/{key}.ms", "?")

documented = read_documented(diff_f)

names = []
for key, _ in SIDES[::-1]:
    names += [n for n in res[key] if n not in names]
values = {n: [res[key].get(n, "(missing)") for key, _ in SIDES] for n in names}
rows, counts, bad = judge(names, values, KERNELS, documented)

print_table(rows, [label for _, label in SIDES], cap=30)
for k in sorted(set().union(*[times[key] for key, _ in SIDES])):
    print(f"time of {k}: " + ", ".join(
        f"{label} {times[key].get(k, '?')} ms" for key, label in SIDES) +
        " (the kernels' by the guest clock, under TCG)")
print("wall time: " + ", ".join(f"{label} {wall[key]} ms" for key, label in SIDES) +
      " (the VMs' with boot and power-off)")
print(f"cases: {len(rows)}, agree {counts['agree']}, documented differences {counts['documented']}, "
      f"undocumented differences {len(bad)}")
ok = True
for key, label in SIDES:
    if status[key] != "0":
        print(f"FAIL: {label}: exit status {status[key]}")
        ok = False
    if res[key].get("selftest") != "exit 0":
        print(f"FAIL: {label}: the selftest did not pass")
        ok = False
if len(rows) < 20:
    print("FAIL: fewer cases than expected ran")
    ok = False
for n in bad:
    print(f"FAIL: '{n}' differs and is not a documented difference")
    ok = False
for note in stale_entries(documented, names, values):
    print("note: " + note)
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
