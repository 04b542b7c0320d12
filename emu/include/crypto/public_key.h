/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * umd-emu shim of <crypto/public_key.h>: asymmetric public-key data and
 * signature verification.
 * Kind: customised. The kernel's structures and functions; emu/crypto.c
 * verifies with nettle/GMP what 6.1's crypto API would (pkcs1pad(rsa,...)
 * with "rsa" keys, ecdsa-nist-p192/p256/p384 with "x962" signatures) and
 * returns the code 6.1 returns in each case (docs/DIFFERENCES.md lists
 * them with their sources). Not provided: the asymmetric key type and its
 * subtype, X.509 restrictions, encrypt/decrypt/sign (no private keys).
 */
#ifndef _LINUX_PUBLIC_KEY_H
#define _LINUX_PUBLIC_KEY_H

#include <linux/types.h>
#include <linux/oid_registry.h>

/*
 * Cryptographic data for the public-key subtype of the asymmetric key type.
 *
 * Note that this may include private part of the key as well as the public
 * part.
 */
struct public_key {
	void *key;
	u32 keylen;
	enum OID algo;
	void *params;
	u32 paramlen;
	bool key_is_private;
	const char *id_type;
	const char *pkey_algo;
};

extern void public_key_free(struct public_key *key);

/*
 * Public key cryptography signature data
 */
struct public_key_signature {
	struct asymmetric_key_id *auth_ids[3];
	u8 *s;			/* Signature */
	u8 *digest;
	u32 s_size;		/* Number of bytes in signature */
	u32 digest_size;	/* Number of bytes in digest */
	const char *pkey_algo;
	const char *hash_algo;
	const char *encoding;
	const void *data;
	unsigned int data_size;
};

extern void public_key_signature_free(struct public_key_signature *sig);

int public_key_verify_signature(const struct public_key *pkey,
				const struct public_key_signature *sig);

#endif /* _LINUX_PUBLIC_KEY_H */
