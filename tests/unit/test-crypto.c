// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the crypto API of the shim: shash digests (FIPS 180
 * vectors) and public_key_verify_signature() with RSA-2048 PKCS#1 v1.5
 * and ECDSA P-256 signatures made by openssl (crypto-vectors.h,
 * gen-crypto-vectors.sh), each success and each error code of 6.1 listed
 * in docs/DIFFERENCES.md.
 */
#include <glib.h>
#include <string.h>

#include <crypto/hash.h>
#include <crypto/public_key.h>
#include <crypto/sha2.h>
#include <keys/asymmetric-type.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "crypto-vectors.h"

/* ---- shash -------------------------------------------------------- */

struct hash_case {
	const char *name;
	const char *abc;	/* digest of "abc", hex */
};

static const struct hash_case hash_cases[] = {
	{ "sha1", "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ "sha224", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7" },
	{ "sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "sha384", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
		    "8086072ba1e7cc2358baeca134c825a7" },
	{ "sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
};

static char *hex(const u8 *p, size_t n)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < n; i++)
		g_string_append_printf(s, "%02x", p[i]);
	return g_string_free(s, false);
}

static void test_shash_vectors(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(hash_cases); i++) {
		struct crypto_shash *tfm;
		struct shash_desc *desc;
		u8 out[HASH_MAX_DIGESTSIZE];
		char *h;

		tfm = crypto_alloc_shash(hash_cases[i].name, 0, 0);
		g_assert_false(IS_ERR(tfm));
		g_assert_cmpuint(crypto_shash_digestsize(tfm) * 2, ==,
				 strlen(hash_cases[i].abc));
		g_assert_cmpstr(crypto_shash_alg_name(tfm), ==,
				hash_cases[i].name);

		/* one shot, on the stack */
		g_assert_cmpint(crypto_shash_tfm_digest(tfm, (const u8 *)"abc",
							3, out), ==, 0);
		h = hex(out, crypto_shash_digestsize(tfm));
		g_assert_cmpstr(h, ==, hash_cases[i].abc);
		g_free(h);

		/* in pieces, a kmalloc'd descriptor as the kernel sizes it */
		desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm),
			       GFP_KERNEL);
		g_assert_nonnull(desc);
		desc->tfm = tfm;
		g_assert_cmpint(crypto_shash_init(desc), ==, 0);
		g_assert_cmpint(crypto_shash_update(desc, (const u8 *)"a", 1), ==, 0);
		g_assert_cmpint(crypto_shash_update(desc, (const u8 *)"", 0), ==, 0);
		g_assert_cmpint(crypto_shash_finup(desc, (const u8 *)"bc", 2,
						   out), ==, 0);
		h = hex(out, crypto_shash_digestsize(tfm));
		g_assert_cmpstr(h, ==, hash_cases[i].abc);
		g_free(h);
		/* final resets: init/update/final again gives the same */
		g_assert_cmpint(crypto_shash_digest(desc, (const u8 *)"abc", 3,
						    out), ==, 0);
		h = hex(out, crypto_shash_digestsize(tfm));
		g_assert_cmpstr(h, ==, hash_cases[i].abc);
		g_free(h);
		kfree(desc);
		crypto_free_shash(tfm);
	}
}

static void test_shash_long(void)
{
	/* FIPS 180-2 SHA-256 of one million 'a' */
	struct crypto_shash *tfm = crypto_alloc_shash("sha256-generic", 0, 0);
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 block[1000], out[SHA256_DIGEST_SIZE];
	char *h;
	int i;

	g_assert_false(IS_ERR(tfm));
	g_assert_cmpstr(crypto_shash_driver_name(tfm), ==, "sha256-generic");
	memset(block, 'a', sizeof(block));
	desc->tfm = tfm;
	crypto_shash_init(desc);
	for (i = 0; i < 1000; i++)
		crypto_shash_update(desc, block, sizeof(block));
	crypto_shash_final(desc, out);
	h = hex(out, sizeof(out));
	g_assert_cmpstr(h, ==, "cdc76e5c9914fb9281a1c7e284d73e67"
			       "f1809a48a497200e046d39ccc7112cd0");
	g_free(h);
	crypto_free_shash(tfm);
}

static void test_shash_errors(void)
{
	struct crypto_shash *tfm;

	g_assert_cmpint(PTR_ERR(crypto_alloc_shash("md4", 0, 0)), ==, -ENOENT);
	g_assert_cmpint(PTR_ERR(crypto_alloc_shash("hmac(sha256)", 0, 0)), ==,
			-ENOENT);
	g_assert_cmpint(PTR_ERR(crypto_alloc_shash("", 0, 0)), ==, -ENOENT);
	g_assert_true(crypto_has_shash("sha512", 0, 0));
	g_assert_false(crypto_has_shash("sha3-256", 0, 0));
	tfm = crypto_alloc_shash("sha1", 0, 0);
	g_assert_cmpint(crypto_shash_setkey(tfm, (const u8 *)"k", 1), ==,
			-ENOSYS);
	crypto_free_shash(tfm);
	crypto_free_shash(NULL);
	crypto_free_shash(ERR_PTR(-ENOENT));
}

/* ---- public_key_verify_signature ---------------------------------- */

struct pk {
	struct public_key key;
	struct public_key_signature sig;
	u8 s[600];
	u8 digest[64];
	u8 keybuf[600];
};

static void pk_rsa(struct pk *p)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->keybuf, rsa_pub_der, rsa_pub_der_len);
	p->key.key = p->keybuf;
	p->key.keylen = rsa_pub_der_len;
	p->key.pkey_algo = "rsa";
	p->key.id_type = "PGP";
	memcpy(p->s, rsa_sig_bin, rsa_sig_bin_len);
	p->sig.s = p->s;
	p->sig.s_size = rsa_sig_bin_len;
	memcpy(p->digest, msg_sha256_bin, msg_sha256_bin_len);
	p->sig.digest = p->digest;
	p->sig.digest_size = msg_sha256_bin_len;
	p->sig.pkey_algo = "rsa";
	p->sig.hash_algo = "sha256";
	p->sig.encoding = "pkcs1";
}

static void pk_ecdsa(struct pk *p)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->keybuf, ec_point_bin, ec_point_bin_len);
	p->key.key = p->keybuf;
	p->key.keylen = ec_point_bin_len;
	p->key.pkey_algo = "ecdsa-nist-p256";
	p->key.id_type = "PGP";
	memcpy(p->s, ec_sig_der, ec_sig_der_len);
	p->sig.s = p->s;
	p->sig.s_size = ec_sig_der_len;
	memcpy(p->digest, msg_sha256_bin, msg_sha256_bin_len);
	p->sig.digest = p->digest;
	p->sig.digest_size = msg_sha256_bin_len;
	p->sig.pkey_algo = "ecdsa";
	p->sig.hash_algo = "sha256";
	p->sig.encoding = "x962";
}

static int verify(struct pk *p)
{
	return public_key_verify_signature(&p->key, &p->sig);
}

/* The digest the vectors sign is the one the shash computes. */
static void test_vectors_digest(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);
	u8 out[SHA256_DIGEST_SIZE];

	crypto_shash_tfm_digest(tfm, msg_txt, msg_txt_len, out);
	g_assert_cmpmem(out, sizeof(out), msg_sha256_bin, msg_sha256_bin_len);
	crypto_free_shash(tfm);
}

static void test_rsa(void)
{
	struct pk p;

	pk_rsa(&p);
	g_assert_cmpint(verify(&p), ==, 0);
	p.sig.pkey_algo = NULL;		/* optional */
	g_assert_cmpint(verify(&p), ==, 0);

	/* a digest that differs (tampered data): padding fine, digest not */
	pk_rsa(&p);
	p.digest[5] ^= 1;
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);
	/* wrong digest size for the hash: pkcs1pad's digest_size check */
	pk_rsa(&p);
	p.sig.digest_size = 31;
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);
	p.sig.digest_size = 0;
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	/* another hash's DigestInfo: padding decodes, DigestInfo differs */
	pk_rsa(&p);
	p.sig.hash_algo = "sha512";
	g_assert_cmpint(verify(&p), ==, -EBADMSG);
	/* no hash: pkcs1pad(rsa) takes DigestInfo||digest as the digest */
	pk_rsa(&p);
	p.sig.hash_algo = NULL;
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);
	/* a signature by another key: the decrypted block has no leading 0 */
	pk_rsa(&p);
	memcpy(p.s, rsa_sig_otherkey_bin, rsa_sig_otherkey_bin_len);
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	/* a flipped bit in s: likewise */
	pk_rsa(&p);
	p.s[100] ^= 0x10;
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	/* s >= n: _rsa_enc()'s range check */
	pk_rsa(&p);
	memset(p.s, 0xff, rsa_sig_bin_len);
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	/* s_size != modulus size: pkcs1pad_verify() */
	pk_rsa(&p);
	p.sig.s_size = rsa_sig_bin_len - 1;
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	memmove(p.s + 1, p.s, rsa_sig_bin_len);
	p.s[0] = 0;
	p.sig.s_size = rsa_sig_bin_len + 1;
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	/* signature names another algorithm */
	pk_rsa(&p);
	p.sig.pkey_algo = "ecdsa";
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);
}

static void test_rsa_algorithms(void)
{
	struct pk p;

	/* a hash pkcs1pad has no DigestInfo for: the template fails */
	pk_rsa(&p);
	p.sig.hash_algo = "sha3-256";
	g_assert_cmpint(verify(&p), ==, -ENOENT);
	p.sig.hash_algo = "md4";
	g_assert_cmpint(verify(&p), ==, -ENOENT);
	/* unknown encodings, and raw with a hash */
	pk_rsa(&p);
	p.sig.encoding = "pss";
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	p.sig.encoding = NULL;
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	p.sig.encoding = "raw";
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	/* raw RSA: rsa-generic has no verify */
	p.sig.hash_algo = NULL;
	g_assert_cmpint(verify(&p), ==, -ENOSYS);
	/* unknown key algorithm */
	pk_rsa(&p);
	p.key.pkey_algo = "dsa";
	p.sig.pkey_algo = NULL;
	g_assert_cmpint(verify(&p), ==, -ENOPKG);
	p.key.pkey_algo = "ed25519";
	g_assert_cmpint(verify(&p), ==, -ENOPKG);
	/* sm2/ecrdsa pass the checks but this kernel has no such akcipher */
	p.key.pkey_algo = "sm2";
	p.sig.encoding = "raw";
	p.sig.hash_algo = "sm3";
	g_assert_cmpint(verify(&p), ==, -ENOENT);
	p.sig.hash_algo = "sha256";
	g_assert_cmpint(verify(&p), ==, -EINVAL);
}

static void test_rsa_bad_keys(void)
{
	struct pk p;
	u8 *k;

	/* empty, truncated, trailing bytes */
	pk_rsa(&p);
	p.key.keylen = 0;
	g_assert_cmpint(verify(&p), ==, -EBADMSG);
	p.key.keylen = 1;
	g_assert_cmpint(verify(&p), ==, -EBADMSG);
	p.key.keylen = rsa_pub_der_len - 1;
	g_assert_cmpint(verify(&p), ==, -EBADMSG);
	p.key.keylen = rsa_pub_der_len + 3;	/* the decoder ignores them */
	g_assert_cmpint(verify(&p), ==, 0);
	p.key.keylen = 70000;
	g_assert_cmpint(verify(&p), ==, -EMSGSIZE);
	/* not a SEQUENCE */
	pk_rsa(&p);
	p.keybuf[0] = 0x31;
	g_assert_cmpint(verify(&p), ==, -EBADMSG);
	/* a primitive 0x10 matches: the decoder ignores the CONS bit */
	p.keybuf[0] = 0x10;
	g_assert_cmpint(verify(&p), ==, 0);
	/* n is not an INTEGER */
	pk_rsa(&p);
	k = p.keybuf;
	g_assert_cmpint(k[4], ==, 0x02);	/* 30 82 01 0a 02 82 01 01 00 ... */
	k[4] = 0x04;
	g_assert_cmpint(verify(&p), ==, -EBADMSG);
	/* e longer than n: rsa_get_e() */
	{
		static const u8 key[] = { 0x30, 0x07, 0x02, 0x01, 0x05,
					  0x02, 0x02, 0x01, 0x00 };
		memcpy(p.keybuf, key, sizeof(key));
		p.key.keylen = sizeof(key);
		g_assert_cmpint(verify(&p), ==, -EINVAL);
	}
	/* empty n: rsa_get_n() */
	{
		static const u8 key[] = { 0x30, 0x05, 0x02, 0x00,
					  0x02, 0x01, 0x03 };
		memcpy(p.keybuf, key, sizeof(key));
		p.key.keylen = sizeof(key);
		g_assert_cmpint(verify(&p), ==, -EINVAL);
	}
	/* an unsupported modulus size: rsa_check_key_length() */
	{
		static const u8 key[] = { 0x30, 0x08, 0x02, 0x03, 0x00, 0xc5,
					  0x03, 0x02, 0x01, 0x03 };
		memcpy(p.keybuf, key, sizeof(key));
		p.key.keylen = sizeof(key);
		g_assert_cmpint(verify(&p), ==, -EINVAL);
	}
	/* a length of more than two bytes */
	{
		static const u8 key[] = { 0x30, 0x83, 0x00, 0x00, 0x06,
					  0x02, 0x01, 0x05, 0x02, 0x01, 0x03 };
		memcpy(p.keybuf, key, sizeof(key));
		p.key.keylen = sizeof(key);
		g_assert_cmpint(verify(&p), ==, -EBADMSG);
	}
}

static void test_ecdsa(void)
{
	struct pk p;

	pk_ecdsa(&p);
	g_assert_cmpint(verify(&p), ==, 0);
	p.sig.pkey_algo = "ecdsa-nist-p256";	/* the exact name matches too */
	g_assert_cmpint(verify(&p), ==, 0);
	p.sig.pkey_algo = NULL;
	g_assert_cmpint(verify(&p), ==, 0);
	p.sig.pkey_algo = "rsa";
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);
	p.sig.pkey_algo = "ecdsa-nist-p384";
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);

	/* tampered digest */
	pk_ecdsa(&p);
	p.digest[0] ^= 0x80;
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);
	/* a longer digest: ECDSA takes its leftmost 32 bytes */
	pk_ecdsa(&p);
	p.sig.digest_size = 48;
	p.sig.hash_algo = "sha384";
	g_assert_cmpint(verify(&p), ==, 0);
	/* a shorter one is padded with zeros: another number */
	p.sig.digest_size = 20;
	p.sig.hash_algo = "sha1";
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);
	/* r changed (still in range) */
	pk_ecdsa(&p);
	p.s[ec_sig_der_len - 1] ^= 1;
	g_assert_cmpint(verify(&p), ==, -EKEYREJECTED);
}

static void test_ecdsa_errors(void)
{
	struct pk p;
	static const u8 zero_r[] = { 0x30, 0x06, 0x02, 0x01, 0x00,
				     0x02, 0x01, 0x01 };
	static const u8 big_r[] = { 0x30, 0x26,
		0x02, 0x21, 0x00,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x01, 0x01 };
	static const u8 long_r[] = { 0x30, 0x27,
		0x02, 0x22, 0x00, 0x00,
		0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x02, 0x01, 0x01 };
	static const u8 empty_s[] = { 0x30, 0x05, 0x02, 0x01, 0x01,
				      0x02, 0x00 };
	static const u8 indefinite[] = { 0x30, 0x80, 0x02, 0x01, 0x01,
					 0x02, 0x01, 0x01, 0x00, 0x00 };
	static const u8 bad_eoc[] = { 0x30, 0x80, 0x02, 0x01, 0x01,
				      0x02, 0x01, 0x01, 0x00, 0x01 };
	static const u8 short_seq[] = { 0x30, 0x07, 0x02, 0x01, 0x01,
					0x02, 0x01, 0x01, 0x00 };

	/* encoding and hash checks of software_key_determine_akcipher() */
	pk_ecdsa(&p);
	p.sig.encoding = "pkcs1";
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	pk_ecdsa(&p);
	p.sig.hash_algo = NULL;
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	p.sig.hash_algo = "md5";
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	/* a curve 6.1 lacks; "ecdsa" as a key algorithm */
	pk_ecdsa(&p);
	p.key.pkey_algo = "ecdsa-nist-p521";
	g_assert_cmpint(verify(&p), ==, -ENOENT);
	p.key.pkey_algo = "ecdsa";
	g_assert_cmpint(verify(&p), ==, -ENOENT);

	/* keys: ecdsa_set_pub_key() and the point's validity */
	pk_ecdsa(&p);
	p.keybuf[0] = 0x02;			/* compressed */
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	pk_ecdsa(&p);
	p.key.keylen = 64;
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	p.key.keylen = 0;
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	p.key.keylen = 49;			/* a P-192 point's size */
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	pk_ecdsa(&p);
	p.keybuf[64] ^= 1;			/* not on the curve */
	g_assert_cmpint(verify(&p), ==, -EINVAL);
	pk_ecdsa(&p);
	p.key.key_is_private = true;		/* no set_priv_key */
	g_assert_cmpint(verify(&p), ==, -ENOSYS);

	/* signatures: the BER decoder, ecdsa_get_signature_rs(), range */
#define SIG(arr, ret) do {						\
		pk_ecdsa(&p);						\
		memcpy(p.s, arr, sizeof(arr));				\
		p.sig.s_size = sizeof(arr);				\
		g_assert_cmpint(verify(&p), ==, ret);			\
	} while (0)
	SIG(zero_r, -EBADMSG);
	SIG(big_r, -EBADMSG);
	SIG(long_r, -EINVAL);
	SIG(empty_s, -EINVAL);
	SIG(indefinite, -EKEYREJECTED);	/* decodes; r = s = 1 is wrong */
	SIG(bad_eoc, -EBADMSG);
	SIG(short_seq, -EBADMSG);
#undef SIG
	pk_ecdsa(&p);
	p.sig.s_size = ec_sig_der_len - 1;
	g_assert_cmpint(verify(&p), ==, -EBADMSG);
	p.sig.s_size = 1;
	g_assert_cmpint(verify(&p), ==, -EBADMSG);
}

static void test_frees(void)
{
	struct public_key *key = kzalloc(sizeof(*key), GFP_KERNEL);
	struct public_key_signature *sig = kzalloc(sizeof(*sig), GFP_KERNEL);
	struct asymmetric_key_id *a, *b;

	key->key = kmemdup(rsa_pub_der, rsa_pub_der_len, GFP_KERNEL);
	key->params = kmalloc(4, GFP_KERNEL);
	public_key_free(key);
	public_key_free(NULL);

	sig->s = kmalloc(16, GFP_KERNEL);
	sig->digest = kmalloc(32, GFP_KERNEL);
	a = asymmetric_key_generate_id("\x01\x02", 2, "\x03", 1);
	b = asymmetric_key_generate_id("\x01", 1, "\x02\x03", 2);
	g_assert_false(IS_ERR(a));
	g_assert_cmpuint(a->len, ==, 3);
	g_assert_true(asymmetric_key_id_same(a, b));
	g_assert_false(asymmetric_key_id_same(a, NULL));
	sig->auth_ids[0] = a;
	sig->auth_ids[2] = b;
	/* frees s, digest and each auth_id (LeakSanitizer checks) */
	public_key_signature_free(sig);
	public_key_signature_free(NULL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/crypto/shash/vectors", test_shash_vectors);
	g_test_add_func("/crypto/shash/long", test_shash_long);
	g_test_add_func("/crypto/shash/errors", test_shash_errors);
	g_test_add_func("/crypto/pkey/vectors-digest", test_vectors_digest);
	g_test_add_func("/crypto/pkey/rsa", test_rsa);
	g_test_add_func("/crypto/pkey/rsa-algorithms", test_rsa_algorithms);
	g_test_add_func("/crypto/pkey/rsa-bad-keys", test_rsa_bad_keys);
	g_test_add_func("/crypto/pkey/ecdsa", test_ecdsa);
	g_test_add_func("/crypto/pkey/ecdsa-errors", test_ecdsa_errors);
	g_test_add_func("/crypto/pkey/frees", test_frees);
	return g_test_run();
}
