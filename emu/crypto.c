// SPDX-License-Identifier: GPL-2.0
/*
 * umd-emu runtime: the crypto API a manager uses to check signatures.
 *
 * Message digests (<crypto/hash.h>): crypto_alloc_shash() and friends over
 * nettle's hashes. Public keys (<crypto/public_key.h>):
 * public_key_verify_signature() as 6.1 runs it through
 * software_key_determine_akcipher() and the akcipher it allocates,
 * "pkcs1pad(rsa,HASH)" or "ecdsa-nist-pNNN":
 *
 *  - the arithmetic is the libraries': the RSA public operation
 *    (s^e mod n) is GMP's mpz_powm, the one nettle's own RSA uses; a
 *    signature the kernel's checks accept is verified again with nettle's
 *    rsa_pkcs1_verify(); ECDSA is nettle's ecdsa_verify() with nettle's
 *    point validation;
 *  - what surrounds it is 6.1's, transcribed step by step so that every
 *    failure returns the code 6.1 returns at that step: the ASN.1 BER
 *    decoder (lib/asn1_decoder.c) on the grammars rsapubkey.asn1 and
 *    ecdsasignature.asn1 with their actions, rsa_set_pub_key()'s key
 *    length check, pkcs1pad_verify() and its padding checks,
 *    ecdsa_set_pub_key() and ecdsa_verify()'s range checks, and the
 *    crypto manager's -ENOENT for a name it cannot instantiate.
 *
 * docs/DIFFERENCES.md has the table of error codes with their 6.1 sources.
 * No state is shared between calls: everything here is thread-safe.
 */
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/nettle-meta.h>
#include <nettle/rsa.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include <crypto/hash.h>
#include <crypto/public_key.h>
#include <keys/asymmetric-type.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

/* ------------------------------------------------------------------ */
/* Message digests                                                     */

struct emu_shash_alg {
	const char *name;
	const char *driver_name;
	const struct nettle_hash *hash;
};

static const struct emu_shash_alg emu_shash_algs[] = {
	{ "sha1", "sha1-generic", &nettle_sha1 },
	{ "sha224", "sha224-generic", &nettle_sha224 },
	{ "sha256", "sha256-generic", &nettle_sha256 },
	{ "sha384", "sha384-generic", &nettle_sha384 },
	{ "sha512", "sha512-generic", &nettle_sha512 },
};

/* SHASH_DESC_ON_STACK must hold the largest context. */
_Static_assert(sizeof(struct sha512_ctx) <= 360 &&
	       sizeof(struct sha256_ctx) <= 360 &&
	       sizeof(struct sha1_ctx) <= 360,
	       "a nettle context exceeds HASH_MAX_DESCSIZE");

static const struct emu_shash_alg *shash_lookup(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(emu_shash_algs); i++)
		if (!strcmp(name, emu_shash_algs[i].name) ||
		    !strcmp(name, emu_shash_algs[i].driver_name))
			return &emu_shash_algs[i];
	return NULL;
}

/**
 * crypto_alloc_shash() - allocate message digest handle
 * @alg_name: is the cra_name / name or cra_driver_name / driver name of the
 *	      message digest cipher
 * @type: specifies the type of the cipher
 * @mask: specifies the mask for the cipher
 *
 * Allocate a cipher handle for a message digest. The returned &struct
 * crypto_shash is the cipher handle that is required for any subsequent
 * API invocation for that message digest.
 *
 * Return: allocated cipher handle in case of success; IS_ERR() is true in
 *	   case of an error, PTR_ERR() returns the error code: -ENOENT for an
 *	   algorithm the kernel does not have (the crypto manager's answer
 *	   when neither a module nor a template provides the name), -ENOMEM.
 */
struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type,
					u32 mask)
{
	const struct emu_shash_alg *alg = shash_lookup(alg_name);
	struct crypto_shash *tfm;

	if (!alg)
		return ERR_PTR(-ENOENT);
	tfm = kzalloc(sizeof(*tfm), GFP_KERNEL);
	if (!tfm)
		return ERR_PTR(-ENOMEM);
	tfm->descsize = alg->hash->context_size;
	tfm->digestsize = alg->hash->digest_size;
	tfm->blocksize = alg->hash->block_size;
	tfm->alg_name = alg->name;
	tfm->driver_name = alg->driver_name;
	tfm->impl = alg->hash;
	return tfm;
}
EXPORT_SYMBOL_GPL(crypto_alloc_shash);

/**
 * crypto_has_shash() - Search for the availability of a shash.
 * @alg_name: is the cra_name / name or cra_driver_name / driver name of the
 *	      shash
 * @type: specifies the type of the shash
 * @mask: specifies the mask for the shash
 *
 * Return: true when the shash is known to the kernel crypto API; false
 *	   otherwise
 */
int crypto_has_shash(const char *alg_name, u32 type, u32 mask)
{
	return shash_lookup(alg_name) != NULL;
}
EXPORT_SYMBOL_GPL(crypto_has_shash);

/**
 * crypto_free_shash() - zeroize and free the message digest handle
 * @tfm: cipher handle to be freed
 *
 * If @tfm is a NULL or error pointer, this function does nothing.
 */
void crypto_free_shash(struct crypto_shash *tfm)
{
	if (IS_ERR_OR_NULL(tfm))
		return;
	kfree_sensitive(tfm);
}
EXPORT_SYMBOL_GPL(crypto_free_shash);

static const struct nettle_hash *desc_hash(struct shash_desc *desc)
{
	return desc->tfm->impl;
}

/**
 * crypto_shash_setkey() - set key for message digest
 * @tfm: cipher handle
 * @key: buffer holding the key
 * @keylen: length of the key in bytes
 *
 * Return: -ENOSYS: none of the digests provided takes a key (the
 *	   kernel's shash_no_setkey()).
 */
int crypto_shash_setkey(struct crypto_shash *tfm, const u8 *key,
			unsigned int keylen)
{
	return -ENOSYS;
}
EXPORT_SYMBOL_GPL(crypto_shash_setkey);

/**
 * crypto_shash_init() - (re)initialize message digest
 * @desc: operational state handle that is already filled
 *
 * Return: 0 if the message digest initialization was successful; < 0 if an
 *	   error occurred
 */
int crypto_shash_init(struct shash_desc *desc)
{
	desc_hash(desc)->init(shash_desc_ctx(desc));
	return 0;
}
EXPORT_SYMBOL_GPL(crypto_shash_init);

/**
 * crypto_shash_update() - add data to message digest for processing
 * @desc: operational state handle that is already initialized
 * @data: input data to be added to the message digest
 * @len: length of the input data
 *
 * Return: 0 if the message digest update was successful; < 0 if an error
 *	   occurred
 */
int crypto_shash_update(struct shash_desc *desc, const u8 *data,
			unsigned int len)
{
	desc_hash(desc)->update(shash_desc_ctx(desc), len, data);
	return 0;
}
EXPORT_SYMBOL_GPL(crypto_shash_update);

/**
 * crypto_shash_final() - calculate message digest
 * @desc: operational state handle that is already filled with data
 * @out: output buffer filled with the message digest
 *
 * Return: 0 if the message digest creation was successful; < 0 if an error
 *	   occurred
 */
int crypto_shash_final(struct shash_desc *desc, u8 *out)
{
	const struct nettle_hash *h = desc_hash(desc);

	h->digest(shash_desc_ctx(desc), h->digest_size, out);
	return 0;
}
EXPORT_SYMBOL_GPL(crypto_shash_final);

/**
 * crypto_shash_finup() - calculate message digest of buffer
 * @desc: see crypto_shash_final()
 * @data: see crypto_shash_update()
 * @len: see crypto_shash_update()
 * @out: see crypto_shash_final()
 *
 * Return: 0 if the message digest creation was successful; < 0 if an error
 *	   occurred
 */
int crypto_shash_finup(struct shash_desc *desc, const u8 *data,
		       unsigned int len, u8 *out)
{
	return crypto_shash_update(desc, data, len) ?:
	       crypto_shash_final(desc, out);
}
EXPORT_SYMBOL_GPL(crypto_shash_finup);

/**
 * crypto_shash_digest() - calculate message digest for buffer
 * @desc: see crypto_shash_final()
 * @data: see crypto_shash_update()
 * @len: see crypto_shash_update()
 * @out: see crypto_shash_final()
 *
 * This function is a "short-hand" for the function calls of
 * crypto_shash_init, crypto_shash_update and crypto_shash_final.
 *
 * Return: 0 if the message digest creation was successful; < 0 if an error
 *	   occurred
 */
int crypto_shash_digest(struct shash_desc *desc, const u8 *data,
			unsigned int len, u8 *out)
{
	return crypto_shash_init(desc) ?:
	       crypto_shash_finup(desc, data, len, out);
}
EXPORT_SYMBOL_GPL(crypto_shash_digest);

/**
 * crypto_shash_tfm_digest() - calculate message digest for buffer
 * @tfm: hash transformation object
 * @data: see crypto_shash_update()
 * @len: see crypto_shash_update()
 * @out: see crypto_shash_final()
 *
 * This is a simplified version of crypto_shash_digest() for users who don't
 * want to allocate their own hash descriptor (shash_desc).  Instead,
 * crypto_shash_tfm_digest() takes a hash transformation object (crypto_shash)
 * directly, and it allocates a hash descriptor on the stack internally.
 *
 * Return: 0 on success; < 0 if an error occurred.
 */
int crypto_shash_tfm_digest(struct crypto_shash *tfm, const u8 *data,
			    unsigned int len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	int err;

	desc->tfm = tfm;
	err = crypto_shash_digest(desc, data, len, out);
	shash_desc_zero(desc);
	return err;
}
EXPORT_SYMBOL_GPL(crypto_shash_tfm_digest);

/* ------------------------------------------------------------------ */
/* lib/asn1_decoder.c on a grammar SEQUENCE { INTEGER, INTEGER }       */

typedef int (*asn1_action_t)(void *context, size_t hdrlen, unsigned char tag,
			     const void *value, size_t vlen);

#define ASN1_CONS_BIT	0x20
#define ASN1_LONG_TAG	0x1f
#define ASN1_INDEFINITE_LENGTH	0x80

/*
 * One tag-matching step of asn1_ber_decoder(): a tag and a length at
 * data[*dp], within datalen. Every failure is the decoder's -EBADMSG.
 */
static int ber_match(const u8 *data, size_t datalen, size_t *dp, u8 optag,
		     u8 *tagp, size_t *lenp, bool *indefinite, u8 *hdrp)
{
	size_t len;
	u8 tag, tmp, hdr = 2;

	*indefinite = false;
	if (datalen - *dp < 2)
		return -EBADMSG;		/* data overrun */
	tag = data[(*dp)++];
	if ((tag & 0x1f) == ASN1_LONG_TAG)
		return -EBADMSG;		/* long tag not supported */
	tmp = optag ^ tag;
	tmp &= ~(optag & ASN1_CONS_BIT);
	if (tmp != 0)
		return -EBADMSG;		/* unexpected tag */

	len = data[(*dp)++];
	if (len > 0x7f) {
		if (len == ASN1_INDEFINITE_LENGTH) {
			if (!(tag & ASN1_CONS_BIT))
				return -EBADMSG; /* indefinite primitive */
			*indefinite = true;
			if (2 > datalen - *dp)
				return -EBADMSG;
		} else {
			size_t n = len - 0x80;

			if (n > 2)
				return -EBADMSG; /* unsupported length */
			if (n > datalen - *dp)
				return -EBADMSG;
			hdr += n;
			for (len = 0; n > 0; n--) {
				len <<= 8;
				len |= data[(*dp)++];
			}
			if (len > datalen - *dp)
				return -EBADMSG;
		}
	} else if (len > datalen - *dp) {
		return -EBADMSG;
	}
	*tagp = tag;
	*lenp = len;
	*hdrp = hdr;
	return 0;
}

/*
 * asn1_ber_decoder() running the machine the kernel's ASN.1 compiler makes
 * of "X ::= SEQUENCE { a INTEGER ({ act_a }), b INTEGER ({ act_b }) }":
 * MATCH SEQ, MATCH_ACT INT, MATCH_ACT INT, END_SEQ, COMPLETE. Like the
 * kernel's, it accepts bytes after the sequence.
 */
static int asn1_decode_seq_of_two_ints(const u8 *data, size_t datalen,
				       asn1_action_t act_a,
				       asn1_action_t act_b, void *context)
{
	asn1_action_t acts[2] = { act_a, act_b };
	size_t dp = 0, len, saved_datalen;
	bool indefinite;
	u8 tag, hdr;
	int i, ret;

	if (datalen > 65535)
		return -EMSGSIZE;

	ret = ber_match(data, datalen, &dp, 0x30, &tag, &len, &indefinite,
			&hdr);
	if (ret)
		return ret;
	if (!indefinite) {
		saved_datalen = datalen;
		datalen = dp + len;
	} else {
		saved_datalen = 0;
	}

	for (i = 0; i < 2; i++) {
		ret = ber_match(data, datalen, &dp, 0x02, &tag, &len,
				&indefinite, &hdr);
		if (ret)
			return ret;
		ret = acts[i](context, hdr, tag, data + dp, len);
		if (ret < 0)
			return ret;
		dp += len;
	}

	/* END_SEQ */
	len = datalen;
	datalen = saved_datalen;
	if (datalen == 0) {
		datalen = len;
		if (datalen - dp < 2)
			return -EBADMSG;	/* data overrun */
		if (data[dp++] != 0)
			return -EBADMSG;	/* missing EOC */
		if (data[dp++] != 0)
			return -EBADMSG;	/* invalid EOC */
	} else if (dp != len) {
		return -EBADMSG;		/* cons length error */
	}
	return 0;				/* COMPLETE */
}

/* ------------------------------------------------------------------ */
/* RSA: crypto/rsa_helper.c, crypto/rsa.c, crypto/rsa-pkcs1pad.c       */

struct rsa_key {
	const u8 *n;
	const u8 *e;
	size_t n_sz;
	size_t e_sz;
};

static int rsa_get_n(void *context, size_t hdrlen, unsigned char tag,
		     const void *value, size_t vlen)
{
	struct rsa_key *key = context;

	/* invalid key provided */
	if (!value || !vlen)
		return -EINVAL;
	key->n = value;
	key->n_sz = vlen;
	return 0;
}

static int rsa_get_e(void *context, size_t hdrlen, unsigned char tag,
		     const void *value, size_t vlen)
{
	struct rsa_key *key = context;

	/* invalid key provided */
	if (!value || !key->n_sz || !vlen || vlen > key->n_sz)
		return -EINVAL;
	key->e = value;
	key->e_sz = vlen;
	return 0;
}

/* 6.1's rsa_check_key_length(), fips_enabled false */
static int rsa_check_key_length(unsigned int len)
{
	switch (len) {
	case 512:
	case 1024:
	case 1536:
	case 2048:
	case 3072:
	case 4096:
		return 0;
	}
	return -EINVAL;
}

/* DER DigestInfo prefixes, crypto/rsa-pkcs1pad.c */
static const u8 rsa_digest_info_md5[] = {
	0x30, 0x20, 0x30, 0x0c, 0x06, 0x08,
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05, /* OID */
	0x05, 0x00, 0x04, 0x10
};

static const u8 rsa_digest_info_sha1[] = {
	0x30, 0x21, 0x30, 0x09, 0x06, 0x05,
	0x2b, 0x0e, 0x03, 0x02, 0x1a,
	0x05, 0x00, 0x04, 0x14
};

static const u8 rsa_digest_info_rmd160[] = {
	0x30, 0x21, 0x30, 0x09, 0x06, 0x05,
	0x2b, 0x24, 0x03, 0x02, 0x01,
	0x05, 0x00, 0x04, 0x14
};

static const u8 rsa_digest_info_sha224[] = {
	0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04,
	0x05, 0x00, 0x04, 0x1c
};

static const u8 rsa_digest_info_sha256[] = {
	0x30, 0x31, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
	0x05, 0x00, 0x04, 0x20
};

static const u8 rsa_digest_info_sha384[] = {
	0x30, 0x41, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
	0x05, 0x00, 0x04, 0x30
};

static const u8 rsa_digest_info_sha512[] = {
	0x30, 0x51, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
	0x05, 0x00, 0x04, 0x40
};

static const struct rsa_asn1_template {
	const char	*name;
	const u8	*data;
	size_t		size;
} rsa_asn1_templates[] = {
#define _(X) { #X, rsa_digest_info_##X, sizeof(rsa_digest_info_##X) }
	_(md5),
	_(sha1),
	_(rmd160),
	_(sha256),
	_(sha384),
	_(sha512),
	_(sha224),
	{ NULL }
#undef _
};

/* ------------------------------------------------------------------ */
/* ECDSA: crypto/ecdsa.c                                               */

struct emu_ecc_curve {
	const char *alg_name;
	unsigned int ndigits;		/* 64-bit digits of a coordinate */
	const char *order;		/* n, hex (crypto/ecc_curve_defs.h) */
	const struct ecc_curve *(*nettle_curve)(void);
};

static const struct emu_ecc_curve emu_ecc_curves[] = {
	{ "ecdsa-nist-p192", 3,
	  "FFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831",
	  nettle_get_secp_192r1 },
	{ "ecdsa-nist-p256", 4,
	  "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
	  nettle_get_secp_256r1 },
	{ "ecdsa-nist-p384", 6,
	  "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
	  "581A0DB248B0A77AECEC196ACCC52973",
	  nettle_get_secp_384r1 },
};

#define ECC_MAX_BYTES	(6 * sizeof(u64))

struct ecdsa_signature_ctx {
	const struct emu_ecc_curve *curve;
	u8 r[ECC_MAX_BYTES];		/* big-endian, ndigits * 8 bytes */
	u8 s[ECC_MAX_BYTES];
};

/*
 * Get the r and s components of a signature (ecdsa_get_signature_rs()):
 * one leading zero is allowed beyond the curve's size, shorter values are
 * padded.
 */
static int ecdsa_get_signature_rs(u8 *dest, const void *value, size_t vlen,
				  unsigned int ndigits)
{
	size_t keylen = ndigits * sizeof(u64);
	ssize_t diff = vlen - keylen;
	const char *d = value;

	if (!value || !vlen)
		return -EINVAL;

	if (diff > 0) {
		/* skip over leading zeros that make 'value' a positive int */
		if (*d == 0) {
			vlen -= 1;
			diff--;
			d++;
		}
		if (diff)
			return -EINVAL;
	}
	if (-diff >= (ssize_t)keylen)
		return -EINVAL;

	if (diff)
		memset(dest, 0, -diff);
	memcpy(&dest[-diff], d, vlen);
	return 0;
}

static int ecdsa_get_signature_r(void *context, size_t hdrlen,
				 unsigned char tag, const void *value,
				 size_t vlen)
{
	struct ecdsa_signature_ctx *sig = context;

	return ecdsa_get_signature_rs(sig->r, value, vlen,
				      sig->curve->ndigits);
}

static int ecdsa_get_signature_s(void *context, size_t hdrlen,
				 unsigned char tag, const void *value,
				 size_t vlen)
{
	struct ecdsa_signature_ctx *sig = context;

	return ecdsa_get_signature_rs(sig->s, value, vlen,
				      sig->curve->ndigits);
}

/* ------------------------------------------------------------------ */
/* The akcipher public_key_verify_signature() allocates                 */

enum emu_akcipher_kind {
	AKCIPHER_RSA,			/* "rsa": no verify of its own */
	AKCIPHER_PKCS1PAD,		/* "pkcs1pad(rsa[,hash])" */
	AKCIPHER_ECDSA,			/* "ecdsa-nist-pNNN" */
};

struct emu_akcipher {
	enum emu_akcipher_kind kind;
	const struct rsa_asn1_template *digest_info;	/* pkcs1pad */
	const struct emu_ecc_curve *curve;		/* ecdsa */
	/* the key, once set */
	mpz_t n, e;
	unsigned int key_size;		/* bytes: crypto_akcipher_maxsize() */
	struct ecc_point pub;
	bool n_e_init, pub_init;
};

/*
 * crypto_alloc_akcipher(alg_name, 0, 0) for the names
 * software_key_determine_akcipher() makes: -ENOENT for what 6.1's crypto
 * manager cannot find or instantiate (an unknown name, a pkcs1pad hash
 * outside its table, a curve it lacks).
 */
static int akcipher_lookup(const char *alg_name, struct emu_akcipher *tfm)
{
	char name[CRYPTO_MAX_ALG_NAME];
	const struct rsa_asn1_template *t;
	size_t i;

	memset(tfm, 0, sizeof(*tfm));
	if (!strcmp(alg_name, "rsa")) {
		tfm->kind = AKCIPHER_RSA;
		return 0;
	}
	if (!strcmp(alg_name, "pkcs1pad(rsa)")) {
		tfm->kind = AKCIPHER_PKCS1PAD;
		return 0;
	}
	for (t = rsa_asn1_templates; t->name; t++) {
		snprintf(name, sizeof(name), "pkcs1pad(rsa,%s)", t->name);
		if (!strcmp(alg_name, name)) {
			tfm->kind = AKCIPHER_PKCS1PAD;
			tfm->digest_info = t;
			return 0;
		}
	}
	for (i = 0; i < ARRAY_SIZE(emu_ecc_curves); i++) {
		if (!strcmp(alg_name, emu_ecc_curves[i].alg_name)) {
			tfm->kind = AKCIPHER_ECDSA;
			tfm->curve = &emu_ecc_curves[i];
			return 0;
		}
	}
	return -ENOENT;
}

static void akcipher_free(struct emu_akcipher *tfm)
{
	if (tfm->n_e_init) {
		mpz_clear(tfm->n);
		mpz_clear(tfm->e);
	}
	if (tfm->pub_init)
		ecc_point_clear(&tfm->pub);
}

/* rsa_set_pub_key(), under pkcs1pad_set_pub_key() or alone */
static int rsa_set_pub_key(struct emu_akcipher *tfm, const void *key,
			   unsigned int keylen)
{
	struct rsa_key raw_key = { 0 };
	size_t nbytes;
	int ret;

	ret = asn1_decode_seq_of_two_ints(key, keylen, rsa_get_n, rsa_get_e,
					  &raw_key);
	if (ret)
		return ret;

	mpz_init(tfm->n);
	mpz_init(tfm->e);
	tfm->n_e_init = true;
	mpz_import(tfm->e, raw_key.e_sz, 1, 1, 1, 0, raw_key.e);
	mpz_import(tfm->n, raw_key.n_sz, 1, 1, 1, 0, raw_key.n);

	/* mpi_get_size(n): whole 64-bit limbs, leading zeros not counted */
	nbytes = mpz_sgn(tfm->n) ? (mpz_sizeinbase(tfm->n, 2) + 7) / 8 : 0;
	tfm->key_size = round_up(nbytes, sizeof(u64));
	if (rsa_check_key_length(tfm->key_size << 3))
		return -EINVAL;
	return 0;
}

/* ecdsa_set_pub_key(): an uncompressed point 0x04 || X || Y */
static int ecdsa_set_pub_key(struct emu_akcipher *tfm, const void *key,
			     unsigned int keylen)
{
	const unsigned char *d = key;
	unsigned int ndigits, clen;
	mpz_t x, y;
	int ok;

	if (keylen < 1 || (((keylen - 1) >> 1) % sizeof(u64)) != 0)
		return -EINVAL;
	/* we only accept uncompressed format indicated by '4' */
	if (d[0] != 4)
		return -EINVAL;

	keylen--;
	ndigits = (keylen >> 1) / sizeof(u64);
	if (ndigits != tfm->curve->ndigits)
		return -EINVAL;

	/* ecc_is_pubkey_valid_full(): nettle checks range and curve */
	clen = ndigits * sizeof(u64);
	mpz_init(x);
	mpz_init(y);
	mpz_import(x, clen, 1, 1, 1, 0, d + 1);
	mpz_import(y, clen, 1, 1, 1, 0, d + 1 + clen);
	ecc_point_init(&tfm->pub, tfm->curve->nettle_curve());
	tfm->pub_init = true;
	ok = ecc_point_set(&tfm->pub, x, y);
	mpz_clear(x);
	mpz_clear(y);
	return ok ? 0 : -EINVAL;
}

static int akcipher_set_pub_key(struct emu_akcipher *tfm, const void *key,
				unsigned int keylen)
{
	if (tfm->kind == AKCIPHER_ECDSA)
		return ecdsa_set_pub_key(tfm, key, keylen);
	return rsa_set_pub_key(tfm, key, keylen);
}

/* nettle's verdict on a signature the kernel's checks accepted */
static bool rsa_nettle_agrees(struct emu_akcipher *tfm, const mpz_t s,
			      const u8 *digest, unsigned int digest_size)
{
	const struct rsa_asn1_template *di = tfm->digest_info;
	struct rsa_public_key pub;
	size_t info_len = (di ? di->size : 0) + digest_size;
	u8 *info;
	bool ok = true;

	rsa_public_key_init(&pub);
	mpz_set(pub.n, tfm->n);
	mpz_set(pub.e, tfm->e);
	/*
	 * nettle pads to the modulus's own length, the kernel to whole
	 * 64-bit limbs: only where both agree can nettle judge.
	 */
	if (rsa_public_key_prepare(&pub) && pub.size == tfm->key_size) {
		info = malloc(info_len ? info_len : 1);
		BUG_ON(!info);
		if (di)
			memcpy(info, di->data, di->size);
		if (digest_size)
			memcpy(info + (di ? di->size : 0), digest, digest_size);
		ok = rsa_pkcs1_verify(&pub, info_len, info, s);
		free(info);
	}
	rsa_public_key_clear(&pub);
	return ok;
}

/*
 * pkcs1pad_verify() and pkcs1pad_verify_complete(), with the RSA public
 * operation of rsa_enc() (_rsa_enc()'s range check, then s^e mod n
 * written to key_size bytes with leading zeros, as mpi_write_to_sgl()).
 */
static int pkcs1pad_verify(struct emu_akcipher *tfm, const u8 *sig,
			   unsigned int sig_size, const u8 *digest,
			   unsigned int digest_size)
{
	const struct rsa_asn1_template *digest_info = tfm->digest_info;
	unsigned int key_size = tfm->key_size;
	unsigned int dst_len, pos;
	size_t count;
	u8 *out_buf, *out;
	mpz_t s, m;
	int err;

	if (!digest_size || !key_size || sig_size != key_size)
		return -EINVAL;

	out_buf = kzalloc(key_size, GFP_KERNEL);
	if (!out_buf)
		return -ENOMEM;

	mpz_init(s);
	mpz_init(m);
	mpz_import(s, sig_size, 1, 1, 1, 0, sig);
	/* _rsa_enc(): (1) Validate 0 <= m < n */
	err = -EINVAL;
	if (mpz_cmp(s, tfm->n) >= 0)
		goto done;
	/* (2) c = m^e mod n */
	mpz_powm(m, s, tfm->e, tfm->n);
	count = (mpz_sizeinbase(m, 2) + 7) / 8;
	if (mpz_sgn(m))
		mpz_export(out_buf + key_size - count, NULL, 1, 1, 1, 0, m);

	/* pkcs1pad_verify_complete() */
	err = -EINVAL;
	dst_len = key_size;
	out = out_buf;
	if (out[0] != 0x00)
		/* Decrypted value had no leading 0 byte */
		goto done;
	dst_len--;
	out++;

	err = -EBADMSG;
	if (out[0] != 0x01)
		goto done;

	for (pos = 1; pos < dst_len; pos++)
		if (out[pos] != 0xff)
			break;

	if (pos < 9 || pos == dst_len || out[pos] != 0x00)
		goto done;
	pos++;

	if (digest_info) {
		if (digest_info->size > dst_len - pos)
			goto done;
		if (memcmp(out + pos, digest_info->data, digest_info->size))
			goto done;
		pos += digest_info->size;
	}

	err = 0;
	if (digest_size != dst_len - pos) {
		err = -EKEYREJECTED;
		goto done;
	}
	/* Do the actual verification step. */
	if (memcmp(digest, out + pos, digest_size) != 0) {
		err = -EKEYREJECTED;
		goto done;
	}
	if (WARN(!rsa_nettle_agrees(tfm, s, digest, digest_size),
		 "umd-emu: nettle rejects an RSA signature the kernel's checks accept\n"))
		err = -EKEYREJECTED;
done:
	mpz_clear(s);
	mpz_clear(m);
	kfree_sensitive(out_buf);
	return err;
}

/* the kernel's ecdsa_verify() and _ecdsa_verify() */
static int emu_ecdsa_verify(struct emu_akcipher *tfm, const u8 *sig,
			unsigned int sig_size, const u8 *digest,
			unsigned int digest_size)
{
	const struct emu_ecc_curve *curve = tfm->curve;
	size_t keylen = curve->ndigits * sizeof(u64);
	struct ecdsa_signature_ctx sig_ctx = { .curve = curve };
	struct dsa_signature signature;
	u8 rawhash[ECC_MAX_BYTES];
	mpz_t order;
	ssize_t diff;
	int ret;

	ret = asn1_decode_seq_of_two_ints(sig, sig_size,
					  ecdsa_get_signature_r,
					  ecdsa_get_signature_s, &sig_ctx);
	if (ret < 0)
		return ret;

	/* if the hash is shorter then we will add leading zeros to fit to ndigits */
	diff = keylen - digest_size;
	if (diff >= 0) {
		if (diff)
			memset(rawhash, 0, diff);
		if (digest_size)
			memcpy(&rawhash[diff], digest, digest_size);
	} else {
		/* given hash is longer, we take the left-most bytes */
		memcpy(rawhash, digest, keylen);
	}

	dsa_signature_init(&signature);
	mpz_init_set_str(order, curve->order, 16);
	mpz_import(signature.r, keylen, 1, 1, 1, 0, sig_ctx.r);
	mpz_import(signature.s, keylen, 1, 1, 1, 0, sig_ctx.s);

	/* 0 < r < n  and 0 < s < n */
	if (!mpz_sgn(signature.r) || mpz_cmp(signature.r, order) >= 0 ||
	    !mpz_sgn(signature.s) || mpz_cmp(signature.s, order) >= 0)
		ret = -EBADMSG;
	else if (ecdsa_verify(&tfm->pub, keylen, rawhash, &signature))
		ret = 0;
	else
		ret = -EKEYREJECTED;

	mpz_clear(order);
	dsa_signature_clear(&signature);
	return ret;
}

/*
 * software_key_determine_akcipher(), crypto/asymmetric_keys/public_key.c:
 * the akcipher's name, and whether the encoding and hash fit the key.
 */
static int software_key_determine_akcipher(const struct public_key *pkey,
					   const char *encoding,
					   const char *hash_algo,
					   char alg_name[CRYPTO_MAX_ALG_NAME])
{
	int n;

	if (!encoding)
		return -EINVAL;

	if (strcmp(pkey->pkey_algo, "rsa") == 0) {
		/*
		 * RSA signatures usually use EMSA-PKCS1-1_5 [RFC3447 sec 8.2].
		 */
		if (strcmp(encoding, "pkcs1") == 0) {
			if (!hash_algo)
				n = snprintf(alg_name, CRYPTO_MAX_ALG_NAME,
					     "pkcs1pad(%s)",
					     pkey->pkey_algo);
			else
				n = snprintf(alg_name, CRYPTO_MAX_ALG_NAME,
					     "pkcs1pad(%s,%s)",
					     pkey->pkey_algo, hash_algo);
			return n >= CRYPTO_MAX_ALG_NAME ? -EINVAL : 0;
		}
		if (strcmp(encoding, "raw") != 0)
			return -EINVAL;
		/*
		 * Raw RSA cannot differentiate between different hash
		 * algorithms.
		 */
		if (hash_algo)
			return -EINVAL;
	} else if (strncmp(pkey->pkey_algo, "ecdsa", 5) == 0) {
		if (strcmp(encoding, "x962") != 0)
			return -EINVAL;
		/*
		 * ECDSA signatures are taken over a raw hash, so they don't
		 * differentiate between different hash algorithms.  That means
		 * that the verifier should hard-code a specific hash algorithm.
		 * Unfortunately, in practice ECDSA is used with multiple SHAs,
		 * so we have to allow all of them and not just one.
		 */
		if (!hash_algo)
			return -EINVAL;
		if (strcmp(hash_algo, "sha1") != 0 &&
		    strcmp(hash_algo, "sha224") != 0 &&
		    strcmp(hash_algo, "sha256") != 0 &&
		    strcmp(hash_algo, "sha384") != 0 &&
		    strcmp(hash_algo, "sha512") != 0)
			return -EINVAL;
	} else if (strcmp(pkey->pkey_algo, "sm2") == 0) {
		if (strcmp(encoding, "raw") != 0)
			return -EINVAL;
		if (!hash_algo)
			return -EINVAL;
		if (strcmp(hash_algo, "sm3") != 0)
			return -EINVAL;
	} else if (strcmp(pkey->pkey_algo, "ecrdsa") == 0) {
		if (strcmp(encoding, "raw") != 0)
			return -EINVAL;
		if (!hash_algo)
			return -EINVAL;
		if (strcmp(hash_algo, "streebog256") != 0 &&
		    strcmp(hash_algo, "streebog512") != 0)
			return -EINVAL;
	} else {
		/* Unknown public key algorithm */
		return -ENOPKG;
	}
	if (strscpy(alg_name, pkey->pkey_algo, CRYPTO_MAX_ALG_NAME) < 0)
		return -EINVAL;
	return 0;
}

/**
 * public_key_verify_signature - Verify a signature using a public key.
 * @pkey: The public key: for "rsa" a DER RSAPublicKey, for
 *	  "ecdsa-nist-p192/p256/p384" an uncompressed point.
 * @sig: The signature: s, the digest it covers, its pkey_algo (optional),
 *	 hash_algo and encoding ("pkcs1" or "raw" for RSA, "x962" for ECDSA).
 *
 * Return: 0 if the signature is good; -EKEYREJECTED if it does not match
 * (or names another key algorithm); -ENOPKG for an unknown key algorithm;
 * -EINVAL, -EBADMSG, -ENOENT, -ENOSYS, -EMSGSIZE or -ENOMEM for the cases
 * 6.1 answers so (docs/DIFFERENCES.md has the table).
 */
int public_key_verify_signature(const struct public_key *pkey,
				const struct public_key_signature *sig)
{
	char alg_name[CRYPTO_MAX_ALG_NAME];
	struct emu_akcipher tfm;
	size_t buf_len;
	char *buf;
	int ret;

	BUG_ON(!pkey);
	BUG_ON(!sig);
	BUG_ON(!sig->s);

	/*
	 * If the signature specifies a public key algorithm, it *must* match
	 * the key's actual public key algorithm.
	 *
	 * Small exception: ECDSA signatures don't specify the curve, but ECDSA
	 * keys do.  So the strings can mismatch slightly in that case:
	 * "ecdsa-nist-*" for the key, but "ecdsa" for the signature.
	 */
	if (sig->pkey_algo) {
		if (strcmp(pkey->pkey_algo, sig->pkey_algo) != 0 &&
		    (strncmp(pkey->pkey_algo, "ecdsa-", 6) != 0 ||
		     strcmp(sig->pkey_algo, "ecdsa") != 0))
			return -EKEYREJECTED;
	}

	ret = software_key_determine_akcipher(pkey, sig->encoding,
					      sig->hash_algo, alg_name);
	if (ret < 0)
		return ret;

	ret = akcipher_lookup(alg_name, &tfm);
	if (ret < 0)
		return ret;

	/* the kernel's copy of key, algo and params (and of s and digest) */
	ret = -ENOMEM;
	buf_len = max_t(size_t, pkey->keylen + sizeof(u32) * 2 + pkey->paramlen,
			sig->s_size + sig->digest_size);
	buf = kmalloc(buf_len, GFP_KERNEL);
	if (!buf)
		goto error_free_tfm;

	if (pkey->key_is_private)
		/* no private keys: ecdsa has no set_priv_key (-ENOSYS) */
		ret = tfm.kind == AKCIPHER_ECDSA ? -ENOSYS : -EBADMSG;
	else
		ret = akcipher_set_pub_key(&tfm, pkey->key, pkey->keylen);
	if (ret)
		goto error_free_buf;

	switch (tfm.kind) {
	case AKCIPHER_RSA:
		/* rsa-generic has no verify: akcipher_default_op() */
		ret = -ENOSYS;
		break;
	case AKCIPHER_PKCS1PAD:
		ret = pkcs1pad_verify(&tfm, sig->s, sig->s_size, sig->digest,
				      sig->digest_size);
		break;
	case AKCIPHER_ECDSA:
		ret = emu_ecdsa_verify(&tfm, sig->s, sig->s_size, sig->digest,
				   sig->digest_size);
		break;
	}

error_free_buf:
	kfree(buf);
error_free_tfm:
	akcipher_free(&tfm);
	if (WARN_ON_ONCE(ret > 0))
		ret = -EINVAL;
	return ret;
}
EXPORT_SYMBOL_GPL(public_key_verify_signature);

/**
 * public_key_free - Destroy a public key algorithm key.
 * @key: The key, or NULL: its key, its params and itself are kfree()d.
 */
void public_key_free(struct public_key *key)
{
	if (key) {
		kfree(key->key);
		kfree(key->params);
		kfree(key);
	}
}
EXPORT_SYMBOL_GPL(public_key_free);

/**
 * public_key_signature_free - Destroy a public key signature.
 * @sig: The signature, or NULL: its three auth_ids, s, digest and itself
 *	 are kfree()d (not data, which the caller owns).
 */
void public_key_signature_free(struct public_key_signature *sig)
{
	size_t i;

	if (sig) {
		for (i = 0; i < ARRAY_SIZE(sig->auth_ids); i++)
			kfree(sig->auth_ids[i]);
		kfree(sig->s);
		kfree(sig->digest);
		kfree(sig);
	}
}
EXPORT_SYMBOL_GPL(public_key_signature_free);

/**
 * asymmetric_key_generate_id: Construct an asymmetric key ID
 * @val_1: First binary blob
 * @len_1: Length of first binary blob
 * @val_2: Second binary blob
 * @len_2: Length of second binary blob
 *
 * Construct an asymmetric key ID from a pair of binary blobs.
 *
 * Return: the ID (kfree() it), ERR_PTR(-EOVERFLOW) or ERR_PTR(-ENOMEM).
 */
struct asymmetric_key_id *asymmetric_key_generate_id(const void *val_1,
						     size_t len_1,
						     const void *val_2,
						     size_t len_2)
{
	struct asymmetric_key_id *kid;
	size_t kid_sz;
	size_t len;

	if (check_add_overflow(len_1, len_2, &len))
		return ERR_PTR(-EOVERFLOW);
	if (check_add_overflow(sizeof(struct asymmetric_key_id), len, &kid_sz))
		return ERR_PTR(-EOVERFLOW);
	kid = kmalloc(kid_sz, GFP_KERNEL);
	if (!kid)
		return ERR_PTR(-ENOMEM);
	kid->len = len;
	if (len_1)
		memcpy(kid->data, val_1, len_1);
	if (len_2)
		memcpy(kid->data + len_1, val_2, len_2);
	return kid;
}
EXPORT_SYMBOL_GPL(asymmetric_key_generate_id);

/**
 * asymmetric_key_id_same - Return true if two asymmetric keys IDs are the same.
 * @kid1: The key ID to compare
 * @kid2: The key ID to compare
 *
 * Return: true if both are non-NULL and hold the same bytes.
 */
bool asymmetric_key_id_same(const struct asymmetric_key_id *kid1,
			    const struct asymmetric_key_id *kid2)
{
	if (!kid1 || !kid2)
		return false;
	if (kid1->len != kid2->len)
		return false;
	return memcmp(kid1->data, kid2->data, kid1->len) == 0;
}
EXPORT_SYMBOL_GPL(asymmetric_key_id_same);
