#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a user's test script can assert inside "umd-emu run": "umd-emu check"
# (warnings, bugs, sanitizer reports, held mutexes; with --idle nothing
# loaded, running or open) and "umd-emu fault" (which crash settings fired).
. "$(dirname "$0")/lib.sh"
need_fuse

BUGGY=${UMD_EMU_BUGGY_MODULES:?directory of the buggy sample manager}
CORE=${UMD_EMU_CORE_MODULES:?directory of the core modules}
TESTMODS=${UMD_EMU_TEST_MODULES:?directory of the test modules}

# A clean flow: check passes; --idle only once the modules are gone.
out=$("$UMD_EMU" run --modprobe sample_mgr -- bash -c '
	f=$UMD_SECURITYFS/sample_umd
	echo 5 > "$f" || exit 10
	umd-emu check >/dev/null || exit 11
	umd-emu check --idle >/dev/null 2>&1 && exit 12
	umd-emu check --idle 2>&1 >/dev/null | grep -q "^umd-emu check: handlers is 1, expected 0$" || exit 13
	umd-emu rmmod sample_loader_kmod && umd-emu rmmod sample_mgr || exit 14
	umd-emu check --idle || exit 15
	umd-emu check --bogus 2>/dev/null; [ $? -eq 2 ] || exit 16
	umd-emu check extra 2>/dev/null; [ $? -eq 2 ] || exit 17
	exit 0' 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "clean flow: step $status failed"
for item in warnings bugs sanitizer-reports mutexes-held modules handlers pipes pidfds memfds; do
	grep -q "^$item  *[0-9]*$" <<<"$out" || fail "check does not print $item"
done

# The buggy manager leaves its input lock held when copy_from_user()
# faults: check names it.
out=$(UMD_EMU_MODULES=$BUGGY:$CORE "$UMD_EMU" run --modprobe sample_mgr -- bash -c '
	umd-emu fault fail_copy_from_user:nth=1 || exit 10
	echo 5 > "$UMD_SECURITYFS/sample_umd" 2>/dev/null && exit 11
	umd-emu check; echo "check status $?"
	exit 0' 2>&1)
echo "$out"
grep -q "^umd-emu check: mutexes-held is 1, expected 0$" <<<"$out" ||
	fail "a held mutex was not reported"
grep -q "^check status 1$" <<<"$out" || fail "check did not fail on a held mutex"

# A module that leaves a mutex and a securityfs entry at unload: WARNINGs.
out=$(UMD_EMU_MODULES=$TESTMODS "$UMD_EMU" run --ignore-warnings -- bash -c '
	umd-emu modprobe modtest_leftover && umd-emu rmmod modtest_leftover || exit 10
	umd-emu check --idle; echo "check status $?"
	exit 0' 2>&1)
echo "$out"
grep -q "^umd-emu check: warnings is 2, expected 0$" <<<"$out" ||
	fail "the WARNINGs at unload were not reported"
grep -q "^check status 1$" <<<"$out" || fail "check did not fail on WARNINGs"

# Which crash settings fired, and how often.
out=$("$UMD_EMU" run --modprobe sample_mgr -- bash -c '
	umd-emu fault "crash:driver=sample_umh,at=before,times=2" "crash:driver=nobody,at=before"
	for i in 1 2 3; do echo $i > "$UMD_SECURITYFS/sample_umd"; done 2>/dev/null
	umd-emu fault' 2>&1)
echo "$out"
grep -q "^crash:driver=sample_umh,at=before,times=2 off fired=2$" <<<"$out" ||
	fail "the spent crash setting is not listed with fired=2"
grep -q "^crash:driver=nobody,at=before on  fired=0$" <<<"$out" ||
	fail "the armed crash setting is not listed with fired=0"
grep -q "^handler crashes injected: 2$" <<<"$out" || fail "crash total"
echo "PASS"
