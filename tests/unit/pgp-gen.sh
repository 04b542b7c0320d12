#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the PGP UMD's test inputs with gpg, in OUTDIR (which must exist and
# be empty): keys and detached signatures generated now, in a temporary
# GNUPGHOME under OUTDIR, binary and armored, with what gpg itself says of
# them (--with-colons listings, --list-packets dumps) for the test to
# compare against. Used by tests/unit/test-pgp-parse.c and to make the
# fuzz seed corpus (tests/fuzz/corpus/pgp-parse/).
#
# OUTDIR/KEY.key, KEY.asc, KEY.colons for KEY in rsa2048 (three user IDs,
#   a signing RSA subkey, an encryption RSA subkey, an ECDH subkey),
#   rsa4096, p256 (with signing P-256, P-384 and Ed25519 subkeys: only the
#   first is for the UMD), ed25519, dsa2048
# OUTDIR/data.bin, data.txt: the signed files
# OUTDIR/sigs: "SIG DATA KEY" per line; SIG.packets: gpg --list-packets SIG
# OUTDIR/ed25519.sig, dsa2048.sig, sha1.sig: signatures the UMD refuses;
#   p384-sub.sig: one whose key (a P-384 subkey) is not in p256.key's reply
# OUTDIR/revoked.key (revoked by gpg), certonly.key (certify-only primary,
#   signing subkey), many3.key, many4.key (3 and 4 signing subkeys)
set -eu
out=$1
export GNUPGHOME=$out/gnupg
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true' EXIT

g() {
	gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase '' \
		"$@" 2>>"$out/gpg.log"
}
fpr_of() {
	g --with-colons --list-keys "$1" | awk -F: '$1 == "fpr" { print $10; exit }'
}
sub_fprs() {	# the subkeys' fingerprints, in order
	g --with-colons --with-subkey-fingerprint --list-keys "$1" |
		awk -F: '$1 == "sub" { s = 1; next } s && $1 == "fpr" { print $10; s = 0 }'
}
newkey() {	# NAME ALGO EXPIRY
	g --quick-gen-key "$1 <$1@example.org>" "$2" sign "$3"
	fpr_of "$1@example.org"
}
export_key() {	# NAME FPR
	g --export "$2" >"$out/$1.key"
	g --armor --export "$2" >"$out/$1.asc"
	g --with-colons --fixed-list-mode --with-fingerprint \
		--with-subkey-fingerprint --list-keys "$2" >"$out/$1.colons"
}
sign() {	# SIG SIGNER DIGEST DATA [gpg options]
	local sig=$1 signer=$2 digest=$3 data=$4
	shift 4
	g -u "$signer!" --digest-algo "$digest" "$@" --detach-sign \
		-o "$out/$sig" "$out/$data"
	gpg --list-packets "$out/$sig" >"$out/$sig.packets" 2>/dev/null
}

head -c 3000 /dev/urandom >"$out/data.bin"
printf 'first line\nsecond line\n\nlast line\n' >"$out/data.txt"
: >"$out/sigs"

rsa=$(newkey rsa2048 rsa2048 1y)
g --quick-add-uid "$rsa" "Second <second@example.org>"
g --quick-add-uid "$rsa" "Third <third@example.org>"
g --quick-add-key "$rsa" rsa2048 sign 2y
g --quick-add-key "$rsa" rsa2048 encr
g --quick-add-key "$rsa" nistp256 encr
export_key rsa2048 "$rsa"
rsa_sub=$(sub_fprs "$rsa" | head -n 1)
sign rsa2048-bin.sig "$rsa" SHA256 data.bin
sign rsa2048-txt.asc "$rsa" SHA512 data.txt --textmode --armor
sign rsa2048-sub.asc "$rsa_sub" SHA384 data.bin --armor
sign rsa2048-sub-txt.sig "$rsa_sub" SHA224 data.txt --textmode
sign sha1.sig "$rsa" SHA1 data.bin
printf '%s\n' "rsa2048-bin.sig data.bin rsa2048" "rsa2048-txt.asc data.txt rsa2048" \
	"rsa2048-sub.asc data.bin rsa2048" "rsa2048-sub-txt.sig data.txt rsa2048" >>"$out/sigs"

rsa4=$(newkey rsa4096 rsa4096 never)
export_key rsa4096 "$rsa4"
sign rsa4096-bin.asc "$rsa4" SHA512 data.bin --armor
sign rsa4096-txt.sig "$rsa4" SHA224 data.txt --textmode
printf '%s\n' "rsa4096-bin.asc data.bin rsa4096" "rsa4096-txt.sig data.txt rsa4096" >>"$out/sigs"

p256=$(newkey p256 nistp256/ecdsa 2y)
g --quick-add-key "$p256" nistp256/ecdsa sign never
g --quick-add-key "$p256" nistp384/ecdsa sign never
g --quick-add-key "$p256" ed25519 sign never
export_key p256 "$p256"
p256_sub=$(sub_fprs "$p256" | head -n 1)
p384_sub=$(sub_fprs "$p256" | sed -n 2p)
sign p256-exp.sig "$p256" SHA256 data.bin --default-sig-expire 30d
sign p384-sub.sig "$p384_sub" SHA384 data.bin
sign p256-bin.sig "$p256" SHA256 data.bin
sign p256-txt.asc "$p256" SHA256 data.txt --textmode --armor
sign p256-sub.sig "$p256_sub" SHA384 data.bin
sign p256-sub-txt.asc "$p256_sub" SHA512 data.txt --textmode --armor
printf '%s\n' "p256-bin.sig data.bin p256" "p256-txt.asc data.txt p256" \
	"p256-sub.sig data.bin p256" "p256-sub-txt.asc data.txt p256" \
	"p256-exp.sig data.bin p256" >>"$out/sigs"

ed=$(newkey ed25519 ed25519 never)
export_key ed25519 "$ed"
sign ed25519.sig "$ed" SHA256 data.bin
dsa=$(newkey dsa2048 dsa2048 never)
export_key dsa2048 "$dsa"
sign dsa2048.sig "$dsa" SHA256 data.bin

# A revoked key: gpg's own revocation certificate (made with the key, its
# BEGIN line guarded by a ':'), imported.
rev=$(newkey revoked nistp256/ecdsa never)
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$rev.rev" >"$out/revoked.rev"
g --import "$out/revoked.rev"
export_key revoked "$rev"
# Three signing subkeys fill the reply; a fourth does not fit (-E2BIG).
many=$(newkey many nistp256/ecdsa never)
for i in 1 2 3; do
	g --quick-add-key "$many" nistp256/ecdsa sign never
done
g --export "$many" >"$out/many3.key"
g --quick-add-key "$many" nistp256/ecdsa sign never
g --export "$many" >"$out/many4.key"
# A certify-only primary with a signing subkey.
g --quick-gen-key "certonly <certonly@example.org>" rsa2048 cert never
cert=$(fpr_of certonly@example.org)
g --quick-add-key "$cert" rsa2048 sign never
export_key certonly "$cert"
