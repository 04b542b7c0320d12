#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Kbuild agreement test: does "make -C KDIR M=DIR" behave the same with
# umd-emu's emulated kernel build directory ("umd-emu kdir") as with the
# real kernels' (tools/realkernel.sh --kernel 6.1|6.12 --print-kdir:
# Debian's linux-source-6.1 and -6.12, built once and cached)?
#
# Each case takes a fresh copy of the out-of-tree UMD (tests/oot/upper),
# breaks or edits it, and builds it with each kdir; rebuild cases build,
# edit and build again in the same directory. Compared for each kdir: did
# make succeed, which diagnostics it printed (normalized to their kind:
# "warning:-Wformat=", "error:implicit-function-declaration",
# "modpost:undefined SYM", "modpost:missing-license", "modpost:gpl-only
# SYM", "as:file-not-found"; paths and the kernel's own noise dropped), the
# .ko files a failed build left behind (Kbuild links none before modpost),
# and for rebuild cases what the second build rebuilt, whether the change
# reached the modules, and in the mixed case (a directory built with the
# other kdir first) whether the result loads: under "umd-emu run" for the
# emulator, in the real-kernel VM (tools/realkernel.sh --modules) for the
# real kernel when qemu is there.
#
# A row that differs passes only if tests/realkernel/kbuild-differences
# lists it ("ROW<TAB>reason", or "[6.12] ROW<TAB>reason" for one kernel). Exit 0 when every row agrees or is a
# documented difference, 1 otherwise, 77 to skip (no real kdir can be had;
# UMD_EMU_REQUIRE_ALL=1 turns a skip into a failure).
set -u
set -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
. "$here/../lib-skip.sh"

usage() {
	cat <<USAGE
Usage: kbuild-agreement.sh [--keep DIR] [--kernels LIST] [--real-kdir DIR]
                           [--no-vm] [--tcg|--kvm]

Build tests/oot/upper, unchanged and broken in the ways below, with the
emulated kdir (\$UMD_EMU kdir) and the real kernels', and print a table of
where they agree. Environment: UMD_EMU (the umd-emu binary).
  --kernels LIST   the real kernels, comma-separated (default 6.1,6.12)
  --keep DIR       keep the module directories, make's output and the load
                   checks' output in DIR
  --real-kdir DIR  use this Kbuild tree as the real kdir, the only real
                   column (default: for each kernel, the output of
                   tools/realkernel.sh --kernel V --print-kdir -q)
  --no-vm          do not boot the real kernel to load modules (the real
                   side's "loads" rows are then not compared)
  --tcg, --kvm     passed to tools/realkernel.sh for the load checks

Cases (each on a fresh copy of tests/oot/upper):
  clean                unmodified; also loaded on both kernels (a control)
  missing-export       upper_mgr.c without EXPORT_SYMBOL_GPL(upper_mgmt)
  missing-license      loader.c without MODULE_LICENSE
  missing-blob-dep     Makefile without "\$(obj)/blob.o: \$(obj)/upper_umh"
  header-change        build; msg.h's text[60] becomes text[80]; build again
  printf-format        upper_mgr.c gets pr_info("%08x %s\\n", 42)
  undeclared-function  upper_mgr.c calls a function declared nowhere
  handler-edit         build; handler.c's greeting changes; build again
  non-gpl-license      upper_mgr.c says MODULE_LICENSE("Proprietary") and
                       uses GPL-only exports
  mixed                built with the other kdir first, then with this one
                       in the same directory (no clean); does it load?
USAGE
}

keep="" real_kdir="" vm=1 accel=() kernels=6.1,6.12
while [ $# -gt 0 ]; do
	case "$1" in
	--keep) keep=${2:?--keep needs a directory}; shift ;;
	--real-kdir) real_kdir=${2:?--real-kdir needs a directory}; shift ;;
	--kernels) kernels=${2:?--kernels needs a list}; shift ;;
	--no-vm) vm="" ;;
	--tcg|--kvm) accel=("$1") ;;
	-h|--help) usage; exit 0 ;;
	*) echo "kbuild-agreement.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

UMD_EMU=${UMD_EMU:?path of the umd-emu binary}

# make as a user types it: no jobserver or flags inherited from a make or
# ninja above us, and untranslated messages with plain quotes.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
export LC_ALL=C

# The real kdirs. Building them needs the kernel sources and their tools; a
# failing build of an available source is a failure, not a skip.
declare -A kdirs
if [ -n "$real_kdir" ]; then
	[ -f "$real_kdir/Makefile" ] || skip "no Kbuild tree in '$real_kdir'"
	kernels=$(sed -n 's/^VERSION = \([0-9]*\)$/\1/p; s/^PATCHLEVEL = \([0-9]*\)$/.\1/p' \
		"$real_kdir/source/Makefile" 2>/dev/null | tr -d '\n')
	[ -n "$kernels" ] || kernels=6.1
	kdirs[$kernels]=$real_kdir
else
	for tool in make gcc flex bison bc; do
		command -v "$tool" >/dev/null ||
			skip "$tool is missing: cannot build the real kernel (tools/deps.sh lists the packages)"
	done
	for v in ${kernels//,/ }; do
		[ -f "${UMD_EMU_LINUX_SOURCES:-/usr/src}/linux-source-$v.tar.xz" ] ||
			skip "no kernel source for the real $v kdir (apt-get install linux-source-$v)"
		kdirs[$v]=$("$src/tools/realkernel.sh" --kernel "$v" --print-kdir -q) ||
			fail "building the real $v kernel failed (tools/realkernel.sh --kernel $v --print-kdir)"
	done
fi
sides=(emu ${kernels//,/ })
emu_kdir=$("$UMD_EMU" kdir) || fail "umd-emu kdir failed"
start_all=$(date +%s%N)	# the builds, not the real kernel's build
[ -f "$emu_kdir/Makefile" ] || fail "umd-emu kdir printed '$emu_kdir', which has no Makefile"

# Loading on the real kernel needs the VM; under the emulator, FUSE.
if [ -n "$vm" ] && ! command -v qemu-system-x86_64 >/dev/null; then
	echo "note: qemu-system-x86_64 is missing: the real kernel's load checks are not run"
	vm=""
fi
emu_load=1
if ! [ -e /dev/fuse ] || ! [ -r /dev/fuse ] || ! [ -w /dev/fuse ]; then
	echo "note: /dev/fuse is not usable by $(id -un): the emulator's load checks are not run"
	emu_load=""
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-kbuild-agreement.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
work=${keep:-$tmp}
mkdir -p "$work"
work=$(cd "$work" && pwd)
results=$work/results
: >"$results"

# The artifacts whose rebuilding is compared: both kdirs make these.
artifacts=(upper_mgr.o loader.o handler.o upper_umh blob.o upper_mgr.ko upper_loader.ko)

kdir_of() { # emu|KERNEL
	if [ "$1" = emu ]; then echo "$emu_kdir"; else echo "${kdirs[$1]}"; fi
}

# record ROW SIDE KIND DATA: one result for the table (KIND "build": DATA is
# "STATUS LOG", normalized by the table; KIND "value": DATA is the value).
record() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$results"
}

# build SIDE DIR LOG: make -C KDIR M=DIR, its output in LOG, followed by its
# exit status and the .ko files then in DIR (a failed build should leave
# none: Kbuild links modules only after modpost); returns its status.
build() {
	local st ko kos=()
	echo "  make -C $(kdir_of "$1") M=$2" >"$3"
	make -C "$(kdir_of "$1")" M="$2" >>"$3" 2>&1
	st=$?
	for ko in "$2"/*.ko; do
		[ -e "$ko" ] && kos+=("${ko##*/}")
	done
	echo "  (exit status $st)" >>"$3"
	echo "  (.ko files: ${kos[*]:-none})" >>"$3"
	return $st
}

# fresh CASE SIDE: a new copy of the UMD in $work/CASE-SIDE, its path in $d.
fresh() {
	d=$work/$1-$2
	rm -rf "$d" "$d.first"
	mkdir -p "$d"
	cp "$src"/tests/oot/upper/{Makefile,upper_mgr.c,loader.c,blob.S,handler.c,msg.h} "$d/" ||
		fail "cannot copy tests/oot/upper"
}

# edit FILE SED-SCRIPT: apply it; fail if it changed nothing (the UMD moved on).
edit() {
	local before
	before=$(cat "$1")
	sed -i "$2" "$1" || fail "sed '$2' $1 failed"
	[ "$before" != "$(cat "$1")" ] ||
		fail "the edit '$2' changed nothing in $1: tests/oot/upper changed?"
}

# snapshot DIR: remember the artifacts' contents and the time after a build.
snapshot() {
	local a
	mkdir -p "$1.first"
	for a in "${artifacts[@]}"; do
		[ -e "$1/$a" ] && cp -p "$1/$a" "$1.first/$a"
	done
	touch "$1.first/.stamp"
	sleep 0.05 # a coarse clock must still see the edit as newer
}

# rebuilt DIR / changed DIR: the artifacts newer than the snapshot / whose
# content differs from it, in a fixed order, or "none".
rebuilt() {
	local a out=()
	for a in "${artifacts[@]}"; do
		[ -e "$1/$a" ] && [ "$1/$a" -nt "$1.first/.stamp" ] && out+=("$a")
	done
	echo "${out[*]:-none}"
}
changed() {
	local a out=()
	for a in "${artifacts[@]}"; do
		if [ -e "$1/$a" ] && ! cmp -s "$1/$a" "$1.first/$a"; then
			out+=("$a")
		fi
	done
	echo "${out[*]:-none}"
}

# The load check, one script for both: busybox sh in the VM, sh under
# "umd-emu run" (where "umd-emu modprobe" is the emulator's).
cat >"$work/load.sh" <<'EOF'
if ! umd-emu modprobe upper_mgr; then
	echo "@load no: modprobe upper_mgr failed"
	exit 0
fi
if ! printf hi >"$UMD_SECURITYFS/upper"; then
	echo "@load no: the write to upper failed"
	exit 0
fi
r=$(cat "$UMD_SECURITYFS/upper")
if [ "$r" = HI ]; then
	echo "@load yes"
else
	echo "@load no: read back '$r'"
fi
EOF

# load SIDE DIR LOG: load DIR's modules on SIDE's kernel; prints the value.
load() {
	local r
	if [ "$1" = emu ]; then
		[ -n "$emu_load" ] || { echo "not checked"; return; }
		"$UMD_EMU" run --modules "$2" -- sh "$work/load.sh" >"$3" 2>&1
	else
		[ -n "$vm" ] || { echo "not checked"; return; }
		"$src/tools/realkernel.sh" -q "${accel[@]}" --kernel "$1" --timeout 120 \
			--modules "$2" -- "$work/load.sh" >"$3" 2>&1
	fi
	r=$(sed -n 's/^@load //p' "$3" | tail -n 1)
	echo "${r:-no: the check did not run (see $(basename "$3"))}"
}

# One build of an edited copy: CASE SIDE EDIT-FUNCTION.
one_build() {
	local st
	fresh "$1" "$2"
	"$3" "$d"
	build "$2" "$d" "$work/$1-$2.log"
	st=$?
	record "$1" "$2" build "$st $work/$1-$2.log"
}

# Build, edit, build again: CASE SIDE EDIT-FUNCTION CHECK-FUNCTION.
two_builds() {
	local st1 st2
	fresh "$1" "$2"
	build "$2" "$d" "$work/$1-$2.1.log"
	st1=$?
	snapshot "$d"
	"$3" "$d"
	build "$2" "$d" "$work/$1-$2.2.log"
	st2=$?
	if [ "$st1" = 0 ]; then
		record "$1: 2nd build" "$2" build "$st2 $work/$1-$2.2.log"
	else
		record "$1: 2nd build" "$2" value "the 1st build failed"
	fi
	record "$1: rebuilt" "$2" value "$(rebuilt "$d")"
	record "$1: changed" "$2" value "$(changed "$d")"
	[ -z "$4" ] || record "$1: ${4#* }" "$2" value "$("${4%% *}" "$d")"
}

no_edit() { :; }
edit_missing_export() { edit "$1/upper_mgr.c" '/EXPORT_SYMBOL_GPL(upper_mgmt)/d'; }
edit_missing_license() { edit "$1/loader.c" '/MODULE_LICENSE/d'; }
# shellcheck disable=SC2016 # $(obj) is make's, in a sed address
edit_missing_blob_dep() { edit "$1/Makefile" '/^\$(obj)\/blob\.o: \$(obj)\/upper_umh/d'; }
edit_header() { edit "$1/msg.h" 's/text\[60\]/text[80]/'; }
edit_printf() {
	edit "$1/upper_mgr.c" 's/^\(\tmutex_init(&upper_mgmt.lock);\)$/\1\n\tpr_info("%08x %s\\n", 42);/'
}
edit_undeclared() {
	edit "$1/upper_mgr.c" 's/^\(\tmutex_init(&upper_mgmt.lock);\)$/\1\n\tupper_undeclared_helper(42);/'
}
edit_handler() { edit "$1/handler.c" 's/"upper_umh ready\\n"/"upper_umh ready (edited)\\n"/'; }
edit_proprietary() { edit "$1/upper_mgr.c" 's/MODULE_LICENSE("GPL")/MODULE_LICENSE("Proprietary")/'; }
has_new_handler() {
	if grep -q -a "upper_umh ready (edited)" "$1/upper_loader.ko" 2>/dev/null; then
		echo yes
	else
		echo no
	fi
}

for side in "${sides[@]}"; do
	label=emulated
	[ $side = emu ] || label="real $side"
	echo "=== $label kdir: $(kdir_of $side)"
	s=$(date +%s%N)

	one_build clean $side no_edit
	record "clean: loads" $side value "$(load $side "$work/clean-$side" "$work/clean-$side.load")"
	one_build missing-export $side edit_missing_export
	one_build missing-license $side edit_missing_license
	one_build missing-blob-dep $side edit_missing_blob_dep
	two_builds header-change $side edit_header ""
	one_build printf-format $side edit_printf
	one_build undeclared-function $side edit_undeclared
	two_builds handler-edit $side edit_handler "has_new_handler new handler in upper_loader.ko"
	one_build non-gpl-license $side edit_proprietary

	# mixed: the column is the kdir of the second build; the first is
	# the emulator's, or for the emulator the first real kernel's.
	other=emu
	[ $side = emu ] && other=${sides[1]}
	fresh mixed $side
	build $other "$d" "$work/mixed-$side.1.log" ||
		echo "note: the first build of mixed-$side (with the $other kdir) failed"
	snapshot "$d"
	build $side "$d" "$work/mixed-$side.2.log"
	record "mixed: 2nd build" $side build "$? $work/mixed-$side.2.log"
	record "mixed: rebuilt" $side value "$(rebuilt "$d")"
	record "mixed: loads" $side value "$(load $side "$d" "$work/mixed-$side.load")"

	echo "    $(( ($(date +%s%N) - s) / 1000000 )) ms"
done

python3 - "$results" "$here/kbuild-differences" "$work" "$start_all" "$here" "${sides[@]:1}" <<'PY'
import os, re, sys, time
results, diff_f, work, start_all, here = sys.argv[1:6]
KERNELS = sys.argv[6:]
sys.path.insert(0, here)
from table import read_documented, print_table, judge, stale_entries
SIDES = [("emu", "emulator")] + [(k, k) for k in KERNELS]

NOISE = [
    r"^Skipping BTF generation",
    r"^\s*BTF \[M\]",
    r"warning: the compiler differs from the one used to build the kernel",
    r"^\s*The kernel was built by:",
    r"^\s*You are using:",
    r"^cc1: (all|some) warnings being treated as errors",
    r"^compilation terminated\.",
    r"In function ",
    r"^In file included from",
    r"^\s+from ",
    r": note: ",
    r"^make(\[\d+\])?: (Entering|Leaving) directory",
    r"^make(\[\d+\])?: \*\*\* \[.*\] Error \d+$",
]

def strip_paths(s):
    """Drop directories from anything that looks like a path, and gcc's
    typographic quotes (the kernel's Makefile unexports LC_ALL)."""
    s = s.replace(work + "/", "").replace("\u2018", "'").replace("\u2019", "'")
    return re.sub(r"(?<![\w.-])/(?:[^\s/'\"]+/)+", "", s)

def diag(line):
    """The kind of one diagnostic line, or None."""
    if any(re.search(p, line) for p in NOISE):
        return None
    m = re.search(r'(ERROR|WARNING): modpost: "([^"]+)" \[.*\] undefined!', line)
    if m:
        return ("modpost" if m.group(1) == "ERROR" else "modpost-warning") + \
            ":undefined " + m.group(2)
    m = re.search(r"(ERROR|WARNING): modpost: (.*)$", line)
    if m:
        kind = "modpost" if m.group(1) == "ERROR" else "modpost-warning"
        msg = m.group(2)
        if "missing MODULE_LICENSE" in msg:
            return kind + ":missing-license"
        g = re.search(r"GPL-incompatible module \S+ uses GPL-only symbol '([^']+)'", msg)
        if g:
            return kind + ":gpl-only " + g.group(1)
        return kind + ":" + strip_paths(msg)
    m = re.search(r"Error: file not found: (\S+)", line)
    if m:
        return "as:file-not-found"
    m = re.search(r"\.S:\d+: Error: (.*)$", line)
    if m:
        return "as:" + strip_paths(m.group(1))
    m = re.search(r"undefined reference to [`']([^']+)'", line)
    if m:
        return "ld:undefined " + m.group(1)
    m = re.search(r"No rule to make target '([^']+)'", line)
    if m:
        return "make:no-rule " + os.path.basename(m.group(1))
    m = re.search(r"(?:^|: )(warning|error|fatal error): (.*)$", line)
    if m:
        level, msg = m.group(1), m.group(2)
        f = re.search(r"\[-W(error=)?([^\]]+)\]$", msg)
        if level == "warning":
            return "warning:-W" + f.group(2) if f else "warning:" + strip_paths(msg)
        if f and f.group(1):
            return "error:" + f.group(2)
        if msg.startswith("implicit declaration of function"):
            return "error:implicit-function-declaration"
        return "error:" + strip_paths(re.sub(r"\s*\[-W[^\]]+\]$", "", msg))
    m = re.search(r"^(?:\S*/)?Makefile[^:]*:\d+: \*\*\* (.*?)\.?\s+Stop\.$", line)
    if m:
        return "make:" + strip_paths(m.group(1))
    return None

def build_value(status, log):
    """"built" or "failed", the kinds of diagnostics, and the .ko files a
    failed build left behind."""
    try:
        lines = open(log, errors="replace").read().splitlines()
    except OSError:
        lines = []
    kinds = sorted({k for k in map(diag, lines[1:-2]) if k})
    kos = lines[-1].strip()[len("(.ko files: "):-1].strip() if lines else ""
    if status != "0" and kos not in ("", "none"):
        kinds.append("left " + kos)
    v = "built" if status == "0" else "failed"
    return v + (" (" + ", ".join(kinds) + ")" if kinds else "")

rows, res = [], {}
for line in open(results):
    row, side, kind, data = line.rstrip("\n").split("\t", 3)
    if row not in rows:
        rows.append(row)
    if kind == "build":
        status, log = data.split(" ", 1)
        data = build_value(status, log)
    res[(row, side)] = data

documented = read_documented(diff_f)

values = {n: [res.get((n, key), "(missing)") for key, _ in SIDES] for n in rows}
table, counts, bad = judge(rows, values, KERNELS, documented, unchecked="not checked")

print_table(table, [label for _, label in SIDES])
print("mixed: each column is the kdir of the second build, over the other kdir's build")
print(f"wall time: {(time.time_ns() - int(start_all)) // 1000000} ms")
print(f"rows: {len(table)}, agree {counts['agree']}, documented differences {counts['documented']}, "
      f"undocumented differences {len(bad)}, not compared {counts['not compared']}")
ok = True
for key, label in SIDES:
    if not res.get(("clean", key), "").startswith("built"):
        print(f"FAIL: {label}: the unmodified UMD did not build")
        ok = False
    if res.get(("clean: loads", key)) not in ("yes", "not checked"):
        print(f"FAIL: {label}: the unmodified UMD did not load")
        ok = False
for n in bad:
    print(f"FAIL: '{n}' differs and is not a documented difference")
    ok = False
for note in stale_entries(documented, rows, values):
    print("note: " + note)
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
