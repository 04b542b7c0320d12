# SPDX-License-Identifier: GPL-2.0
# Shared by the compile tests: build emulated modules out of tree with the
# flags of the uninstalled pkg-config file, as a user would.

. "$(dirname "${BASH_SOURCE[0]}")/../lib-skip.sh"

# pc_setup BUILD_ROOT: CC, CFLAGS_MOD, LDFLAGS_MOD from pkg-config.
pc_setup() {
	export PKG_CONFIG_PATH="$1/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
	command -v pkg-config >/dev/null || skip "pkg-config is not installed"
	pkg-config --exists umd-emu || fail "pkg-config does not find umd-emu in $1/meson-uninstalled"
	CC=${CC:-cc}
	CFLAGS_MOD="$(pkg-config --cflags umd-emu) $(pkg-config --variable=module_cflags umd-emu) -Wall -Wextra"
	LDFLAGS_MOD=$(pkg-config --variable=module_ldflags umd-emu)
	# The sanitizer build's modules must be instrumented like the kernel.
	if [ -n "${UMD_EMU_SANITIZE:-}" ]; then
		CFLAGS_MOD="$CFLAGS_MOD -fsanitize=$UMD_EMU_SANITIZE"
		LDFLAGS_MOD="$LDFLAGS_MOD -fsanitize=$UMD_EMU_SANITIZE"
	fi
}

# build_module OUT.ko NAME SOURCES... (extra flags in EXTRA_CFLAGS)
build_module() {
	local out=$1 name=$2 objs="" s o
	shift 2
	for s in "$@"; do
		o="$out.$(basename "$s").o"
		# shellcheck disable=SC2086
		$CC $CFLAGS_MOD ${EXTRA_CFLAGS:-} -DKBUILD_MODNAME="\"$name\"" \
			-c "$s" -o "$o" || fail "compiling $s"
		objs="$objs $o"
	done
	# shellcheck disable=SC2086
	$CC $LDFLAGS_MOD $objs -o "$out" || fail "linking $out"
	rm -f $objs
}

# defines_symbol FILE SYMBOL: FILE's dynamic symbol table defines SYMBOL.
defines_symbol() {
	readelf --dyn-syms -W "$1" | awk -v s="$2" '$8 == s && $7 != "UND" { f = 1 } END { exit !f }'
}
