/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message format of the PGP UMD, shared by its manager (kernel) and its
 * handler (user space). One fixed-size request, one fixed-size reply, both
 * packed, in host byte order, as the April 2023 RFC proposed them; the
 * departures from it are listed in docs/PGP.md.
 *
 * The handler parses OpenPGP (RFC 4880 / RFC 9580 v4) keys and detached
 * signatures, binary or ASCII-armored; the kernel never parses a packet. It
 * gets back the material in the form its own crypto API takes and checks
 * every length and enum of the reply before it uses any of it.
 */
#ifndef _PGP_UMH_MSGFMT_H
#define _PGP_UMH_MSGFMT_H

#define PGP_UMD_DATA_MAX	8192	/* input bytes in one request */
#define PGP_UMD_PUBKEY_MAX	1024	/* RSA up to 4096 bits as DER */
#define PGP_UMD_SIG_MAX		1024	/* RSA signature, ECDSA DER (r, s) */
#define PGP_UMD_SIG_DATA_MAX	1024	/* the hashed trailer */
#define PGP_UMD_UID_MAX		256	/* first user ID, NUL-terminated */
#define PGP_UMD_KEYS_MAX	4	/* primary key and up to 3 subkeys */
#define PGP_UMD_KEYID_SIZE	8	/* v4 key ID: low 64 bits of the fpr */
#define PGP_UMD_FPR_SIZE	20	/* v4 fingerprint: SHA-1 */

enum pgp_umd_cmd {
	PGP_UMD_PARSE_KEY = 1,		/* a transferable public key */
	PGP_UMD_PARSE_SIG = 2,		/* one detached signature */
};

/*
 * Public-key algorithm of a key or a signature, as the kernel names it:
 * RSA keys are "rsa" with the key as the DER of RSAPublicKey (SEQUENCE {
 * modulus, publicExponent }), signatures "pkcs1" with the raw signature
 * (the kernel pads it to the modulus size); ECDSA P-256 keys are
 * "ecdsa-nist-p256" with the uncompressed point (0x04 || X || Y, 65 bytes),
 * signatures "x962" with the DER of SEQUENCE { r, s }.
 */
enum pgp_umd_pkey_algo {
	PGP_UMD_PKEY_RSA = 1,
	PGP_UMD_PKEY_ECDSA_P256 = 2,
};

/* Digest of a signature, as the kernel's crypto_alloc_shash() names it. */
enum pgp_umd_hash_algo {
	PGP_UMD_HASH_SHA256 = 1,
	PGP_UMD_HASH_SHA384 = 2,
	PGP_UMD_HASH_SHA512 = 3,
	PGP_UMD_HASH_SHA224 = 4,
};

/* Signature types (RFC 4880 5.2.1) the UMD verifies. */
enum pgp_umd_sig_type {
	PGP_UMD_SIG_BINARY = 0x00,	/* the file's bytes as they are */
	PGP_UMD_SIG_TEXT = 0x01,	/* lines as GnuPG hashes them */
};

/* pgp_umd_key.flags */
#define PGP_UMD_KEY_PRIMARY	0x1	/* the primary key, not a subkey */
#define PGP_UMD_KEY_CAN_SIGN	0x2	/* no key flags, or flag 0x02 set */

struct pgp_umd_request {
	uint32_t cmd;			/* enum pgp_umd_cmd */
	uint32_t data_len;		/* 1 .. PGP_UMD_DATA_MAX */
	uint8_t data[PGP_UMD_DATA_MAX];
} __attribute__((packed));

struct pgp_umd_key {
	uint32_t pkey_algo;		/* enum pgp_umd_pkey_algo */
	uint32_t flags;			/* PGP_UMD_KEY_* */
	uint32_t created;		/* seconds since the epoch */
	uint32_t expires;		/* seconds after created; 0: never */
	uint8_t key_id[PGP_UMD_KEYID_SIZE];
	uint8_t fingerprint[PGP_UMD_FPR_SIZE];
	uint32_t pub_key_len;		/* 1 .. PGP_UMD_PUBKEY_MAX */
	uint8_t pub_key[PGP_UMD_PUBKEY_MAX];
} __attribute__((packed));

struct pgp_umd_key_reply {
	uint32_t nkeys;			/* 1 .. PGP_UMD_KEYS_MAX */
	struct pgp_umd_key keys[PGP_UMD_KEYS_MAX];	/* keys[0]: primary */
	uint32_t uid_len;		/* 0 .. PGP_UMD_UID_MAX - 1 */
	uint8_t uid[PGP_UMD_UID_MAX];	/* NUL-terminated */
} __attribute__((packed));

struct pgp_umd_sig_reply {
	uint32_t pkey_algo;		/* enum pgp_umd_pkey_algo */
	uint32_t hash_algo;		/* enum pgp_umd_hash_algo */
	uint32_t sig_type;		/* enum pgp_umd_sig_type */
	uint32_t created;		/* seconds since the epoch */
	uint32_t expires;		/* seconds after created; 0: never */
	uint8_t issuer_id[PGP_UMD_KEYID_SIZE];	/* from the issuer or fpr */
	uint32_t has_issuer_fpr;	/* 0 or 1 */
	uint8_t issuer_fpr[PGP_UMD_FPR_SIZE];
	uint8_t hash_prefix[2];		/* left 16 bits of the digest */
	uint32_t sig_len;		/* 1 .. PGP_UMD_SIG_MAX */
	uint8_t sig[PGP_UMD_SIG_MAX];
	uint32_t sig_data_len;		/* 1 .. PGP_UMD_SIG_DATA_MAX */
	uint8_t sig_data[PGP_UMD_SIG_DATA_MAX];	/* hashed after the data */
} __attribute__((packed));

/*
 * @ret: 0, or a negative errno saying why the input was refused: -EBADMSG
 * (malformed or truncated), -ENOPKG (an algorithm the UMD does not support:
 * Ed25519, DSA, ElGamal, v3 or v5 packets), -E2BIG (a field larger than its
 * room in the reply), -EINVAL (an unknown command or data_len). The kernel
 * presets -EINVAL and accepts only these values.
 */
struct pgp_umd_reply {
	int32_t ret;
	uint32_t cmd;			/* the request's */
	union {
		struct pgp_umd_key_reply key;
		struct pgp_umd_sig_reply sig;
	};
} __attribute__((packed));

#endif /* _PGP_UMH_MSGFMT_H */
