#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# faultsweep -- SCRIPT on the PGP UMD: a script that adds an RSA key and an
# ECDSA key (made by gpg at test time) and verifies a good and a tampered
# signature. Every fault point and N, every short= case and every crash
# place of pgp_umh's requests and replies is swept; after each run the
# emulator holds nothing, and the script run again with no fault passes:
# the UMD recovered. No failure may be reported.
. "$(dirname "$0")/lib-script.sh"
SRC=${UMD_EMU_SOURCE_ROOT:?}
CORE=${UMD_EMU_CORE_MODULES:?}
command -v gpg >/dev/null || skip "gpg is not installed (Debian package gnupg)"

"$SRC/tests/pgp/make-inputs.sh" "$dir/in" >/dev/null || fail "making the keys and signatures with gpg"
cp "$dir/in/data.bin" "$dir/in/tampered.bin"
printf '\xff' | dd of="$dir/in/tampered.bin" bs=1 seek=7 conv=notrunc status=none

# The scenario: its exit status is the UMD's behaviour with no fault. Under
# a fault any step may fail; it must fail cleanly (the sweep checks that).
cat >"$dir/pgp.sh" <<EOS
#!/bin/sh
in='$dir/in'
cat "\$in/rsa2048.pub" > "\$UMD_SECURITYFS/pgp_keys" || exit 1
cat "\$in/p256.asc" > "\$UMD_SECURITYFS/pgp_keys" || exit 1
echo "\$in/data.bin \$in/rsa2048-bin.sig" > "\$UMD_SECURITYFS/pgp_verify" || exit 1
echo "\$in/data.txt \$in/p256-txt.sig" > "\$UMD_SECURITYFS/pgp_verify" || exit 1
echo "\$in/tampered.bin \$in/rsa2048-bin.sig" > "\$UMD_SECURITYFS/pgp_verify" 2>/dev/null && exit 1
exit 0
EOS
chmod +x "$dir/pgp.sh"

out=$("$UMD_EMU" faultsweep --modules "$CORE" --modprobe pgp_mgr --jobs 2 -- "$dir/pgp.sh" 2>&1)
status=$?
echo "$out"
[ $status -eq 0 ] || fail "the sweep of the PGP UMD exited with $status"
grep -q "^crash  .* [1-9][0-9]* " <<<"$out" || fail "no crash row"
grep -q "^FAIL" <<<"$out" && fail "a failure was reported"
runs=$(sed -n 's/^faultsweep: \([0-9]*\) runs in .*/\1/p' <<<"$out")
[ -n "$runs" ] && [ "$runs" -gt 0 ] || fail "no runs line"
echo "PASS: $runs runs"
