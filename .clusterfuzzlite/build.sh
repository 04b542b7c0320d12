#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0
#
# Build umd-emu's fuzz targets (tests/fuzz) the OSS-Fuzz / ClusterFuzzLite
# way: with $CC and $CFLAGS from the environment, the targets linked with
# $LIB_FUZZING_ENGINE, and everything they need at run time put in $OUT:
#
#   $OUT/fuzz-NAME                     the targets (rpath $ORIGIN/lib)
#   $OUT/fuzz-NAME_seed_corpus.zip     tests/fuzz/corpus/NAME
#   $OUT/fuzz-NAME.options             [libfuzzer] max_len (from meson)
#   $OUT/lib/                          libumdemu and the libraries it needs
#                                      that a base-runner image lacks (GLib)
#   $OUT/umd-emu-modules/              the .ko modules the targets load
#                                      (handlers are embedded in them)
#
# The targets look for umd-emu-modules/ next to their binary, so $OUT can
# be moved anywhere. tools/test.sh runs this script with the variables the
# service sets for libFuzzer+ASan (see docs/FUZZING.md).
#
# Coverage flags (-fsanitize=fuzzer-no-link, -fsanitize-coverage=...) are
# taken out of $CFLAGS and handed to meson as -Dfuzz_cov_args: they go
# only to what stays loaded while fuzzing (the runtime, sample_mgr, the
# targets). A module that rmmod dlclose()s must not carry coverage
# counters: libFuzzer keeps pointers to them.
#
# Environment (besides the service's): UMD_EMU_SRC, the source tree
# (default: this script's repository, else $SRC/umd-emu); UMD_EMU_FUZZ_BUILD,
# the meson build directory (default: $WORK/umd-emu-build), reused when
# the compiler and flags are unchanged.

: "${CC:?}" "${CFLAGS:?}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -n "${UMD_EMU_SRC:-}" ]; then
	src=$UMD_EMU_SRC
elif [ -f "$here/../meson.build" ] && [ -d "$here/../tests/fuzz" ]; then
	src=$(cd "$here/.." && pwd)
else
	src=${SRC:?}/umd-emu
fi
src=$(cd "$src" && pwd -P)	# meson records paths: no symlink in them
build=${UMD_EMU_FUZZ_BUILD:-${WORK:-/tmp}/umd-emu-build}
[ "${build#/}" = "$build" ] && build=$PWD/$build

# Split the coverage flags out of $CFLAGS (also out of a list such as
# -fsanitize=address,fuzzer-no-link).
cov=() rest=()
read -ra flags <<<"$CFLAGS"
for f in "${flags[@]}"; do
	case "$f" in
	-fsanitize-coverage=*|-fsanitize-coverage-*|-fsanitize=fuzzer-no-link)
		cov+=("$f") ;;
	-fsanitize=*fuzzer-no-link*)
		list=,${f#-fsanitize=},
		list=${list//,fuzzer-no-link,/,}
		list=${list#,} list=${list%,}
		cov+=(-fsanitize=fuzzer-no-link)
		if [ -n "$list" ]; then rest+=("-fsanitize=$list"); fi ;;
	*) rest+=("$f") ;;
	esac
done

# The targets find lib/ through DT_RPATH (not RUNPATH: it also serves
# libumdemu's own dependencies).
ldflags="${LDFLAGS:-} -Wl,-rpath,\$ORIGIN/lib -Wl,--disable-new-dtags"
stamp="$CC|${rest[*]}|${cov[*]}|$LIB_FUZZING_ENGINE|$ldflags|$src"
if [ -f "$build/build.ninja" ] && [ "$(cat "$build/.cfl-flags" 2>/dev/null)" = "$stamp" ]; then
	echo "build.sh: reusing $build"
else
	# Only ever wipe a directory this script made (marked .cfl-flags).
	if [ -e "$build" ] && [ ! -f "$build/.cfl-flags" ]; then
		echo "build.sh: $build exists and is not a build.sh build directory" >&2
		exit 1
	fi
	rm -rf "$build"
	mkdir -p "$build"
	: >"$build/.cfl-flags"
	CFLAGS="${rest[*]}" LDFLAGS="$ldflags" meson setup "$build" "$src" \
		-Dbuildtype=plain -Db_lundef=false -Db_sanitize=none \
		-Dkbuild_check=disabled -Drealkernel=disabled \
		-Dfuzz=true -Dfuzz_engine="$LIB_FUZZING_ENGINE" \
		-Dfuzz_cov_args="${cov[*]}"
	echo "$stamp" >"$build/.cfl-flags"
fi

# What to build and ship, from meson's own description of the fuzz suite:
# each test that runs run-fuzzer.sh TARGET CORPUS RUNS MAX_LEN, and the
# modules its target loads.
plan=$(python3 - "$build" <<'PY'
import json, os, sys
build = sys.argv[1]
info = os.path.join(build, "meson-info")
targets = json.load(open(os.path.join(info, "intro-targets.json")))
tests = json.load(open(os.path.join(info, "intro-tests.json")))
by_id = {t["id"]: t for t in targets}
deps = set()
for t in tests:
    if "fuzz" not in (s.split(":")[-1] for s in t["suite"]):
        continue
    args = t["cmd"][1:]
    # Not a libFuzzer target run (e.g. a unit test or an end-to-end run
    # of "umd-emu fuzz" in the same suite): nothing to ship.
    if len(args) != 5 or not args[0].endswith("run-fuzzer.sh"):
        continue
    exe, corpus, max_len = args[1], args[2], args[4]
    exe = os.path.relpath(os.path.join(build, exe), build)
    print("target", exe, corpus, max_len)
    for d in t.get("depends", []):
        if d in by_id and by_id[d]["type"] == "shared module":
            for f in by_id[d]["filename"]:
                deps.add(os.path.relpath(f, build))
for f in sorted(deps):
    print("module", f)
PY
)
[ -n "$plan" ] || { echo "build.sh: meson lists no fuzz targets" >&2; exit 1; }
mapfile -t files < <(awk '{print $2}' <<<"$plan")
ninja -C "$build" "${files[@]}"

mkdir -p "$OUT/lib" "$OUT/umd-emu-modules"
# copy_libs FILE: the shared libraries FILE needs that are not part of
# the C library (which every runner image has), into $OUT/lib.
copy_libs() {
	local name arrow path rest
	while read -r name arrow path rest; do
		[ "$arrow" = "=>" ] && [ -f "$path" ] || continue
		case "$name" in
		libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|libutil.so*|\
		libresolv.so*|ld-linux*|libgcc_s.so*|libstdc++.so*) continue ;;
		esac
		[ -f "$OUT/lib/$name" ] || cp -L "$path" "$OUT/lib/$name"
	done < <(ldd "$1")
}
while read -r kind file corpus max_len; do
	case "$kind" in
	module)
		cp "$build/$file" "$OUT/umd-emu-modules/"
		copy_libs "$build/$file" ;;
	target)
		name=$(basename "$file")
		cp "$build/$file" "$OUT/$name"
		copy_libs "$build/$file"
		printf '[libfuzzer]\nmax_len = %s\n' "$max_len" >"$OUT/$name.options"
		# A dictionary next to the corpora (tests/fuzz/NAME.dict)
		# goes to $OUT/NAME.dict, where ClusterFuzz looks for it.
		rm -f "$OUT/$name.dict"
		dict=$(dirname "$corpus")/../$name.dict
		if [ -f "$dict" ]; then
			cp "$dict" "$OUT/$name.dict"
		fi
		rm -f "$OUT/${name}_seed_corpus.zip"
		if compgen -G "$corpus/*" >/dev/null; then
			(cd "$corpus" && python3 -m zipfile -c "$OUT/${name}_seed_corpus.zip" ./*)
		fi
		echo "build.sh: $OUT/$name" ;;
	esac
done <<<"$plan"
