#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 10,000 writes from 8 writers through the FUSE mount while a chaos
# process unloads the loader and kills the handler (tests/e2e/stress.py).
# Then nothing may be left: umd-emu run exits 0 (in the sanitizer build,
# LeakSanitizer makes it fail on a leak) and no handler survives.
# Its work grows with the machine's slowness (10,000 writes, a sanitizer,
# a kernel build beside it in CI): a wider hang bound than the others'.
UMD_EMU_TEST_BOUND_S=${UMD_EMU_TEST_BOUND_S:-200}
. "$(dirname "$0")/lib.sh"
need_fuse
seed=${UMD_EMU_STRESS_SEED:-1}
requests=${UMD_EMU_STRESS_REQUESTS:-10000}

out=$(timeout 900 "$UMD_EMU" run -- python3 "$SRC/tests/e2e/stress.py" "$seed" "$requests" 8 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the stress run exited with $status"
not_mounted "$(mount_of "$out")" || fail "mount left behind"
echo "PASS"
