#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check the ClusterFuzzLite / OSS-Fuzz build on this machine (tools/test.sh
# runs it after its fuzz configuration): lay out a $SRC as the Dockerfile
# does ($SRC/umd-emu, $SRC/build.sh), run .clusterfuzzlite/build.sh with
# the variables the service sets for libFuzzer + ASan, move $OUT
# elsewhere, then from yet another directory run every fuzz target found
# in it (found as ClusterFuzz finds them) for RUNS runs on its unzipped
# seed corpus, with the options of its .options file. A target must find
# its libraries and modules in the moved $OUT only.
#
# Usage: tests/fuzz/clusterfuzzlite.sh BUILD_DIR [RUNS]
# BUILD_DIR: the meson build directory (reused while the flags are the
# same). Prints "PASS: ..." and "FAIL: ..." lines; exit status 1 on any
# failure.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
build=$1 runs=${2:-200}
[ "${build#/}" = "$build" ] && build=$PWD/$build
tmp=$(mktemp -d "${TMPDIR:-/tmp}/umd-emu-cfl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

mkdir -p "$tmp/src" "$tmp/out" "$tmp/work" "$tmp/cwd"
ln -s "$repo" "$tmp/src/umd-emu"
cp "$repo/.clusterfuzzlite/build.sh" "$tmp/src/build.sh"

flags="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
start=$(date +%s)
if ! (cd "$tmp/src/umd-emu" &&
      env -u LDFLAGS -u UMD_EMU_SRC CC=clang CXX=clang++ CFLAGS="$flags" \
	CXXFLAGS="$flags" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
	SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64 \
	SRC="$tmp/src" OUT="$tmp/out" WORK="$tmp/work" \
	UMD_EMU_FUZZ_BUILD="$build" bash -eu "$tmp/src/build.sh") \
	>"$tmp/build.log" 2>&1; then
	tail -n 40 "$tmp/build.log"
	echo "FAIL: .clusterfuzzlite/build.sh (log above)"
	exit 1
fi
echo "PASS: .clusterfuzzlite/build.sh ($(( $(date +%s) - start )) s)"

# Moved: nothing may still point at where it was built.
out=$tmp/moved-out
mv "$tmp/out" "$out"
cd "$tmp/cwd" || exit 1

# As ClusterFuzz finds targets: executable, no extension, a plain name,
# LLVMFuzzerTestOneInput inside.
targets=()
for f in "$out"/*; do
	name=$(basename "$f")
	[ -f "$f" ] && [ -x "$f" ] && [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] &&
		grep -q LLVMFuzzerTestOneInput "$f" && targets+=("$f")
done
for c in "$repo"/tests/fuzz/corpus/*/; do
	name=fuzz-$(basename "$c")
	if [ ! -x "$out/$name" ]; then
		echo "FAIL: $name: tests/fuzz/corpus/$(basename "$c") has no target in \$OUT"
		fail=1
	fi
done

for t in "${targets[@]}"; do
	name=$(basename "$t")
	w=$tmp/run-$name
	mkdir -p "$w/seed" "$w/new"
	# Libraries: from $OUT/lib or the C library, nothing else.
	bad=$(ldd "$t" | awk -v lib="$out/lib/" '
		/not found/ { print; next }
		$2 == "=>" && $3 ~ /^\// && index($3, lib) != 1 &&
		$1 !~ /^(libc|libm|libdl|libpthread|librt|libutil|libresolv|libgcc_s|libstdc\+\+)\.so/ { print }')
	if [ -n "$bad" ]; then
		echo "$bad"
		echo "FAIL: $name: a library from outside \$OUT/lib"
		fail=1
		continue
	fi
	if [ -f "$out/${name}_seed_corpus.zip" ]; then
		python3 -m zipfile -e "$out/${name}_seed_corpus.zip" "$w/seed"
	fi
	# [libfuzzer] key = value lines become -key=value, as ClusterFuzz does.
	opts=()
	if [ -f "$out/$name.options" ]; then
		mapfile -t opts < <(sed -n 's/^ *\([a-z_]*\) *= *\([^ ]*\) *$/-\1=\2/p' "$out/$name.options")
	fi
	start=$(date +%s%N)
	env -u LD_LIBRARY_PATH -u UMD_EMU_MODULES LD_DEBUG=files LD_DEBUG_OUTPUT="$w/ld" \
		timeout 300 "$t" -runs="$runs" -seed=1 -print_final_stats=1 "${opts[@]}" \
		-artifact_prefix="$w/" "$w/new" "$w/seed" >"$w/log" 2>&1
	status=$?
	if [ $status -ne 0 ]; then
		tail -n 40 "$w/log"
		echo "FAIL: $name exited with $status (from $out, $runs runs)"
		fail=1
		continue
	fi
	# Modules: dlopen()ed from $OUT/umd-emu-modules only.
	outside=$(cat "$w"/ld.* 2>/dev/null | grep -o 'file=[^ ]*\.ko' | sort -u |
		grep -v "^file=$out/umd-emu-modules/")
	if [ -n "$outside" ]; then
		echo "$outside"
		echo "FAIL: $name loaded a module from outside \$OUT/umd-emu-modules"
		fail=1
		continue
	fi
	mods=$(cat "$w"/ld.* 2>/dev/null | grep -o 'file=[^ ]*\.ko' | sort -u | wc -l)
	# Wall time of the whole run (start-up, seeds, LD_DEBUG included):
	# libFuzzer's own exec/s is 0 for a run shorter than a second.
	ms=$(( ($(date +%s%N) - start) / 1000000 + 1 ))
	echo "PASS: $name ($runs runs in $ms ms, $(( runs * 1000 / ms )) runs/s, ${opts[*]:-no options}, $(ls "$w/seed" | wc -l) seeds, $mods module(s) from \$OUT)"
done
[ ${#targets[@]} -gt 0 ] || { echo "FAIL: no fuzz target in \$OUT"; fail=1; }
exit $fail
