/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * umd-emu shim of <crypto/hash.h>: synchronous message digests (shash).
 * Kind: customised. The kernel's API (names, arguments, return codes,
 * struct shash_desc and SHASH_DESC_ON_STACK), with the digests computed by
 * nettle in emu/crypto.c: sha1, sha224, sha256, sha384 and sha512 (and
 * their "-generic" driver names). Any other name is -ENOENT, as for an
 * algorithm a kernel does not have; no asynchronous hashes (ahash), no
 * keyed hashes (hmac()).
 */
#ifndef _CRYPTO_HASH_H
#define _CRYPTO_HASH_H

#include <linux/types.h>
#include <linux/string.h>
#include <linux/err.h>

#define CRYPTO_MAX_ALG_NAME		128

#define CRYPTO_ALG_TYPE_MASK		0x0000000f
#define CRYPTO_ALG_TYPE_HASH		0x0000000e
#define CRYPTO_ALG_TYPE_SHASH		0x0000000e
#define CRYPTO_ALG_TYPE_AHASH		0x0000000f
#define CRYPTO_ALG_ASYNC		0x00000080
#define CRYPTO_ALG_NEED_FALLBACK	0x00000100
#define CRYPTO_ALG_INTERNAL		0x00002000
#define CRYPTO_ALG_ALLOCATES_MEMORY	0x00010000

/*
 * The handle of a digest algorithm: what the kernel keeps in its
 * struct crypto_shash and the struct shash_alg it points to.
 */
struct crypto_shash {
	unsigned int descsize;		/* size of shash_desc's context */
	unsigned int digestsize;
	unsigned int blocksize;
	const char *alg_name;		/* cra_name, e.g. "sha256" */
	const char *driver_name;	/* cra_driver_name, "sha256-generic" */
	const void *impl;		/* the emulator's: nettle's algorithm */
};

struct shash_desc {
	struct crypto_shash *tfm;
	void *__ctx[] __aligned(8);
};

#define HASH_MAX_DIGESTSIZE	 64

/*
 * Worst case is hmac(sha3-224-generic).  Its context is a nested 'shash_desc'
 * containing a 'struct sha3_state'.
 */
#define HASH_MAX_DESCSIZE	(sizeof(struct shash_desc) + 360)

#define HASH_MAX_STATESIZE	512

#define SHASH_DESC_ON_STACK(shash, ctx)					     \
	char __##shash##_desc[sizeof(struct shash_desc) + HASH_MAX_DESCSIZE] \
		__aligned(__alignof__(struct shash_desc));		     \
	struct shash_desc *shash = (struct shash_desc *)__##shash##_desc

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type,
					u32 mask);

int crypto_has_shash(const char *alg_name, u32 type, u32 mask);

void crypto_free_shash(struct crypto_shash *tfm);

static inline const char *crypto_shash_alg_name(struct crypto_shash *tfm)
{
	return tfm->alg_name;
}

static inline const char *crypto_shash_driver_name(struct crypto_shash *tfm)
{
	return tfm->driver_name;
}

static inline unsigned int crypto_shash_alignmask(struct crypto_shash *tfm)
{
	return 0;
}

static inline unsigned int crypto_shash_blocksize(struct crypto_shash *tfm)
{
	return tfm->blocksize;
}

static inline unsigned int crypto_shash_digestsize(struct crypto_shash *tfm)
{
	return tfm->digestsize;
}

static inline unsigned int crypto_shash_descsize(struct crypto_shash *tfm)
{
	return tfm->descsize;
}

static inline void *shash_desc_ctx(struct shash_desc *desc)
{
	return desc->__ctx;
}

int crypto_shash_setkey(struct crypto_shash *tfm, const u8 *key,
			unsigned int keylen);

int crypto_shash_digest(struct shash_desc *desc, const u8 *data,
			unsigned int len, u8 *out);

int crypto_shash_tfm_digest(struct crypto_shash *tfm, const u8 *data,
			    unsigned int len, u8 *out);

int crypto_shash_init(struct shash_desc *desc);

int crypto_shash_update(struct shash_desc *desc, const u8 *data,
			unsigned int len);

int crypto_shash_final(struct shash_desc *desc, u8 *out);

int crypto_shash_finup(struct shash_desc *desc, const u8 *data,
		       unsigned int len, u8 *out);

static inline void shash_desc_zero(struct shash_desc *desc)
{
	memzero_explicit(desc,
			 sizeof(*desc) + crypto_shash_descsize(desc->tfm));
}

#endif	/* _CRYPTO_HASH_H */
