#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# How tests/unit/crypto-vectors.h was made (once; the keys are random, so
# a new run makes other bytes and the same tests pass): an RSA-2048 key
# (its public half as a DER RSAPublicKey), a PKCS#1 v1.5 signature of the
# SHA-256 digest of MSG, the same digest signed by a second RSA key, an
# ECDSA P-256 key (its uncompressed point) and its DER signature of MSG.
# Usage: gen-crypto-vectors.sh > tests/unit/crypto-vectors.h
set -euo pipefail
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
printf 'umd-emu test message\n' > msg.txt
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null
openssl rsa -in rsa.pem -pubout -outform DER -RSAPublicKey_out -out rsa_pub.der 2>/dev/null
openssl dgst -sha256 -binary msg.txt > msg_sha256.bin
openssl pkeyutl -sign -inkey rsa.pem -in msg_sha256.bin -pkeyopt digest:sha256 -out rsa_sig.bin
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2.pem 2>/dev/null
openssl pkeyutl -sign -inkey rsa2.pem -in msg_sha256.bin -pkeyopt digest:sha256 -out rsa_sig_otherkey.bin
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
openssl ec -in ec.pem -pubout -outform DER -out ec_pub.der 2>/dev/null
tail -c 65 ec_pub.der > ec_point.bin	# SubjectPublicKeyInfo ends with 04||X||Y
openssl dgst -sha256 -sign ec.pem -out ec_sig.der msg.txt
echo "/* SPDX-License-Identifier: GPL-2.0 */"
echo "/* Made by tests/unit/gen-crypto-vectors.sh with $(openssl version | cut -d' ' -f1-2). */"
for f in msg.txt msg_sha256.bin rsa_pub.der rsa_sig.bin rsa_sig_otherkey.bin ec_point.bin ec_sig.der; do
	xxd -i "$f" | sed 's/^unsigned char/static const unsigned char/; s/^unsigned int/static const unsigned int/'
done
