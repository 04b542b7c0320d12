#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The emulated kernel build directory behaves as Kbuild 6.1 does on the
# mistakes a UMD author makes (tests/realkernel/kbuild-agreement.sh puts
# the same cases side by side with a real kernel's build directory):
# warnings, header changes, handler edits, modpost's errors, a blob without
# its dependency, a directory built for another kernel, W=1,
# KBUILD_EXTRA_SYMBOLS. Each case starts from a fresh copy of
# tests/oot/upper. Environment: UMD_EMU (the umd-emu binary).
set -u
src=${1:?source root}
. "$src/tests/lib-skip.sh"
command -v make >/dev/null || skip "make is not installed"

kdir=$("$UMD_EMU" kdir) || { echo "FAIL: umd-emu kdir"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 n=0

fresh() {	# fresh NAME: a new copy of the example in $d
	d=$tmp/$1
	rm -rf "$d"
	cp -r "$src/tests/oot/upper" "$d"
}
build() {	# build [MAKE ARGS]: output in $out, status in $status
	out=$(make -C "$kdir" M="$d" "$@" 2>&1)
	status=$?
}
check() {	# check NAME CONDITION...
	local name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok   $name"
	else
		echo "FAIL $name"
		echo "$out" | sed 's/^/     | /'
		failed=$((failed + 1))
	fi
}
has() { grep -qF -- "$1" <<<"$out"; }
rebuilt() { has "CC [M]  $d/$1" || has "CC [U]  $d/$1" || has "AS [M]  $d/$1" || has "LD [M]  $d/$1"; }

fresh clean
build
check "clean build: status 0" test "$status" = 0
check "clean build: no warning" eval '! grep -q "warning:" <<<"$out"'
check "clean build: modpost ran, Module.symvers has upper_mgmt" \
	grep -q "upper_mgmt	$d/upper_mgr	EXPORT_SYMBOL_GPL" "$d/Module.symvers"
check "clean build: the command is kept (.upper_mgr.o.cmd)" \
	grep -q "^cmd_$d/upper_mgr.o := " "$d/.upper_mgr.o.cmd"
build
check "second make: nothing rebuilt" eval '[ "$status" = 0 ] && ! grep -qE "^ +(CC|AS|LD)( |$)" <<<"$out"'

touch "$d/msg.h"
build
check "header touched: manager and handler rebuilt" eval 'rebuilt upper_mgr.o && rebuilt handler.o'
check "header touched: loader.o not rebuilt (does not include it)" eval '! rebuilt loader.o'

echo '/* edited */' >>"$d/handler.c"
build
check "handler edited: blob.o and upper_loader.ko rebuilt" eval 'rebuilt blob.o && rebuilt upper_loader.ko'

build W=1
check "W=1: the command changed, everything rebuilt" eval 'rebuilt upper_mgr.o && rebuilt loader.o'
build
check "back from W=1: rebuilt again" rebuilt upper_mgr.o

fresh format
sed -i 's/^\tret = len;$/\tpr_info("%08x %s\\n", 1);\n\tret = len;/' "$d/upper_mgr.c"
build
check "printf format bug: a -Wformat= warning, still builds" \
	eval '[ "$status" = 0 ] && has "[-Wformat=]"'

fresh undeclared
sed -i 's/^\tret = len;$/\tundeclared_helper();\n\tret = len;/' "$d/upper_mgr.c"
build
check "undeclared function: error, no module" \
	eval '[ "$status" != 0 ] && has "[-Werror=implicit-function-declaration]" && [ ! -e "$d/upper_mgr.ko" ]'

fresh noexport
sed -i '/EXPORT_SYMBOL_GPL(upper_mgmt)/d' "$d/upper_mgr.c"
build
check "missing export: modpost's undefined!, no .ko left" \
	eval '[ "$status" != 0 ] && has "ERROR: modpost: \"upper_mgmt\" [$d/upper_loader.ko] undefined!" && ! ls "$d"/*.ko 2>/dev/null'

fresh nolicense
sed -i '/MODULE_LICENSE/d' "$d/loader.c"
build
check "missing MODULE_LICENSE: modpost's error" \
	eval '[ "$status" != 0 ] && has "ERROR: modpost: missing MODULE_LICENSE() in $d/upper_loader.o"'
# modpost takes a module without a license as GPL-compatible: the missing
# license is the only error, not the GPL-only symbols it uses.
check "missing MODULE_LICENSE: no GPL-only error besides" \
	eval '! has "GPL-incompatible"'

fresh proprietary
sed -i 's/MODULE_LICENSE("GPL")/MODULE_LICENSE("Proprietary")/' "$d/upper_mgr.c"
build
check "non-GPL module using GPL-only symbols: modpost's error" \
	eval '[ "$status" != 0 ] && has "ERROR: modpost: GPL-incompatible module upper_mgr.ko uses GPL-only symbol '"'"'umd_mgmt_send_recv'"'"'"'

fresh libc
sed -i 's/^\tret = len;$/\tif (!strdup("x"))\n\t\treturn -ENOMEM;\n\tret = len;/' "$d/upper_mgr.c"
sed -i 's/^#include <linux\/module.h>$/#include <linux\/module.h>\n#include <linux\/string.h>/' "$d/upper_mgr.c"
build
check "a C library function the kernel lacks (strdup): undefined!" \
	eval '[ "$status" != 0 ] && has "ERROR: modpost: \"strdup\" [$d/upper_mgr.ko] undefined!"'

fresh nodep
sed -i '/^\$(obj)\/blob.o: \$(obj)\/upper_umh$/d' "$d/Makefile"
build
check "blob without its dependency: a clean build fails (file not found)" \
	eval '[ "$status" != 0 ] && grep -qi "file not found: upper_umh" <<<"$out"'
check "blob without its dependency: no module linked (Kbuild links after all objects)" \
	eval '! ls "$d"/*.ko 2>/dev/null'

fresh mixed
build
# What a real kernel's build leaves: its own command in the .cmd files
# and a relocatable object as the .ko.
for f in "$d"/.*.cmd; do sed -i '1s/ := .*/ := gcc -nostdinc -D__KERNEL__ (a real kernel)/' "$f"; done
cp "$d/upper_mgr.o" "$d/upper_mgr.ko"
build
check "built for another kernel: everything rebuilt, loadable" \
	eval '[ "$status" = 0 ] && rebuilt upper_mgr.o && rebuilt handler.o && rebuilt blob.o && rebuilt upper_mgr.ko && "$UMD_EMU" run --modules "$d" --modprobe upper_mgr -- true'

fresh w1
printf 'int upper_extra(void);\nint upper_extra2(void) { return 0; }\n' >>"$d/upper_mgr.c"
build
check "a global without prototype: no warning by default" eval '! has "[-Wmissing-prototypes]"'
build W=1
check "... W=1: -Wmissing-prototypes" has "[-Wmissing-prototypes]"

# A second UMD directory using the first's export (upper_mgmt).
fresh extra
build
mkdir -p "$tmp/user"
cat >"$tmp/user/user.c" <<'EOF'
#include <linux/module.h>
#include <linux/usermode_driver_mgmt.h>

extern struct umd_mgmt upper_mgmt;

static int __init user_init(void)
{
	return upper_mgmt.kmod ? 0 : -EINVAL;
}
module_init(user_init);
MODULE_LICENSE("GPL");
EOF
echo 'obj-m += user.o' >"$tmp/user/Makefile"
out=$(make -C "$kdir" M="$tmp/user" 2>&1); status=$?
check "another directory's export without KBUILD_EXTRA_SYMBOLS: undefined!" \
	eval '[ "$status" != 0 ] && has "\"upper_mgmt\" [$tmp/user/user.ko] undefined!"'
out=$(make -C "$kdir" M="$tmp/user" KBUILD_EXTRA_SYMBOLS="$d/Module.symvers" 2>&1); status=$?
check "... with KBUILD_EXTRA_SYMBOLS=its Module.symvers: builds" test "$status" = 0

d=$tmp/extra
build clean
check "make clean: nothing of the build left" \
	eval '[ "$status" = 0 ] && [ -z "$(cd "$d" && ls -A | grep -vE "^(Makefile|.*\.[chS])$")" ]'

echo
echo "cases: $n, failed: $failed"
[ "$failed" = 0 ] || { echo "FAIL"; exit 1; }
echo "PASS"
