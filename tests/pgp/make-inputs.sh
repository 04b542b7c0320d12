#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/pgp/make-inputs.sh DIR: make, with gpg, the keys and detached
# signatures the PGP UMD's tests use, in DIR (created; its own GNUPGHOME
# in DIR/gnupg, no passphrase). Every file is made afresh, at test time.
#
# Keys (KEY.pub binary, KEY.asc armored):
#   rsa2048, rsa4096, p256       one signing key each
#   multi      RSA-2048 primary (certify only), three user IDs, a signing
#              subkey and an encryption subkey
#   other      RSA-2048, never added to the UMD: its signatures have no key
#   past       RSA-2048 made on 2020-01-01, no expiry
#   expired    RSA-2048 made on 2020-01-01, expired on 2020-01-02
#   ed25519, dsa  algorithms the UMD does not support
# Data: data.bin (binary), data.txt (text, CR LF and trailing spaces).
# Signatures SIGNER-WHAT.sig (binary) / .asc (armored), WHAT one of bin
# (of data.bin), txt (text signature of data.txt); and:
#   past-expsig.sig     made 2020-01-01 by past, expired a day later
#   expired-bin.sig     made 2020-01-01 by expired (the key expired since)
#   rsa2048-trunc.sig   rsa2048-bin.sig cut in half
# Exit 0, or 1 naming the gpg step that failed.
set -u
dir=${1:?usage: make-inputs.sh DIR}
mkdir -p "$dir/gnupg" && chmod 700 "$dir/gnupg" || exit 1
export GNUPGHOME=$dir/gnupg
cd "$dir" || exit 1

# gpg's chatter (faked time, trustdb) goes to gpg.log, shown on failure.
die() {
	tail -n 20 "$dir/gpg.log" >&2
	echo "make-inputs.sh: $*" >&2
	gpgconf --kill all >/dev/null 2>&1
	exit 1
}
g() {
	gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase '' \
		"$@" 2>>"$dir/gpg.log"
}
# fpr UID: the fingerprint of the primary key of UID
fpr() { gpg --batch --with-colons --list-keys "=$1" 2>>"$dir/gpg.log" | awk -F: '/^fpr/ { print $10; exit }'; }

gen() { # NAME ALGO USAGE EXPIRE [gpg options]
	local name=$1 algo=$2 usage=$3 expire=$4
	shift 4
	g "$@" --quick-gen-key "$name <$name@umd-emu.test>" "$algo" "$usage" "$expire" ||
		die "gpg --quick-gen-key $name $algo failed"
}

gen rsa2048 rsa2048 sign never
gen rsa4096 rsa4096 sign never
gen p256 nistp256 sign never
gen other rsa2048 sign never
gen past rsa2048 sign never --faked-system-time 20200101T000000
gen expired rsa2048 sign 1d --faked-system-time 20200101T000000
gen ed25519 ed25519 sign never
gen dsa dsa2048 sign never
gen multi rsa2048 cert never
multi=$(fpr "multi <multi@umd-emu.test>")
g --quick-add-uid "$multi" "Multi Second <second@umd-emu.test>" || die "add-uid"
g --quick-add-uid "$multi" "Multi Third <third@umd-emu.test>" || die "add-uid"
g --quick-add-key "$multi" rsa2048 sign never || die "add signing subkey"
g --quick-add-key "$multi" rsa2048 encr never || die "add encryption subkey"

for k in rsa2048 rsa4096 p256 other past expired ed25519 dsa multi; do
	g --export "$k@umd-emu.test" >"$k.pub" && [ -s "$k.pub" ] || die "export $k"
	g --armor --export "$k@umd-emu.test" >"$k.asc" || die "export --armor $k"
done

head -c 5000 /dev/urandom >data.bin
printf 'A text file,  \r\nwith CR LF and trailing spaces  \nand a last line' >data.txt

for k in rsa2048 rsa4096 p256 other multi ed25519 dsa; do
	g -u "$k@umd-emu.test" --detach-sign -o "$k-bin.sig" data.bin || die "sign $k"
	g -u "$k@umd-emu.test" --armor --detach-sign -o "$k-bin.asc" data.bin || die "sign --armor $k"
	g -u "$k@umd-emu.test" --textmode --detach-sign -o "$k-txt.sig" data.txt ||
		die "sign --textmode $k"
done
g -u past@umd-emu.test --faked-system-time 20200101T010000 --default-sig-expire 1d \
	--detach-sign -o past-expsig.sig data.bin || die "sign past (expiring)"
g -u expired@umd-emu.test --faked-system-time 20200101T010000 \
	--detach-sign -o expired-bin.sig data.bin || die "sign expired"
head -c $(($(stat -c %s rsa2048-bin.sig) / 2)) rsa2048-bin.sig >rsa2048-trunc.sig
# gpg started an agent for this home: stop it (a later gpg call with this
# home starts another).
gpgconf --kill all >/dev/null 2>&1
exit 0
