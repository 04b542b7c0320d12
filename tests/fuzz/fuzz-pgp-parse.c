// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the PGP UMD handler's parser (handlers/pgp_parse.c), each
 * input parsed both as a key and as a detached signature, straight from
 * libFuzzer's buffer (so ASan sees a read one byte past the input). The
 * oracle is the reply contract of core/pgp/msgfmt.h, which the kernel
 * checks too: ret one of the errnos it accepts, an all-zero union on an
 * error, and on success every length and enum in range, the user ID
 * NUL-terminated at uid_len, the v4 trailer consistent.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgp_parse.h"

static struct pgp_umd_key_reply key;
static struct pgp_umd_sig_reply sig;

static void fail(const char *what, int ret)
{
	fprintf(stderr, "fuzz-pgp-parse: %s (ret %d)\n", what, ret);
	abort();
}

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

static void check_ret(int ret, size_t size, const void *out, size_t n)
{
	if (ret == -EINVAL && size && size <= PGP_UMD_DATA_MAX)
		fail("-EINVAL for a size in range", ret);
	if (ret && ret != -EBADMSG && ret != -ENOPKG && ret != -E2BIG &&
	    ret != -EINVAL)
		fail("an errno the kernel does not accept", ret);
	if (ret && !all_zero(out, n))
		fail("an error reply with data", ret);
}

static void check_key(void)
{
	uint32_t i;

	if (key.nkeys < 1 || key.nkeys > PGP_UMD_KEYS_MAX)
		fail("nkeys", 0);
	if (key.uid_len >= PGP_UMD_UID_MAX || key.uid[key.uid_len] ||
	    strlen((const char *)key.uid) != key.uid_len)
		fail("uid", 0);
	for (i = 0; i < key.nkeys; i++) {
		const struct pgp_umd_key *k = &key.keys[i];

		if (!!(k->flags & PGP_UMD_KEY_PRIMARY) != !i ||
		    (k->flags & ~(PGP_UMD_KEY_PRIMARY | PGP_UMD_KEY_CAN_SIGN)) ||
		    (i && !(k->flags & PGP_UMD_KEY_CAN_SIGN)))
			fail("key flags", 0);
		if (k->pub_key_len < 1 || k->pub_key_len > PGP_UMD_PUBKEY_MAX)
			fail("pub_key_len", 0);
		if (k->pkey_algo == PGP_UMD_PKEY_ECDSA_P256) {
			if (k->pub_key_len != 65 || k->pub_key[0] != 4)
				fail("ECDSA point", 0);
		} else if (k->pkey_algo != PGP_UMD_PKEY_RSA ||
			   k->pub_key[0] != 0x30) {
			fail("key algorithm", 0);
		}
		if (memcmp(k->key_id, k->fingerprint + 12, 8))
			fail("key ID is not the fingerprint's low 64 bits", 0);
	}
	if (!all_zero(&key.keys[key.nkeys],
		      (PGP_UMD_KEYS_MAX - key.nkeys) * sizeof(key.keys[0])))
		fail("data past nkeys", 0);
}

static void check_sig(void)
{
	uint32_t n = sig.sig_data_len, counted;

	if (sig.pkey_algo != PGP_UMD_PKEY_RSA &&
	    sig.pkey_algo != PGP_UMD_PKEY_ECDSA_P256)
		fail("sig pkey_algo", 0);
	if (sig.hash_algo < PGP_UMD_HASH_SHA256 ||
	    sig.hash_algo > PGP_UMD_HASH_SHA224)
		fail("hash_algo", 0);
	if (sig.sig_type != PGP_UMD_SIG_BINARY &&
	    sig.sig_type != PGP_UMD_SIG_TEXT)
		fail("sig_type", 0);
	if (sig.sig_len < 1 || sig.sig_len > PGP_UMD_SIG_MAX)
		fail("sig_len", 0);
	if (sig.pkey_algo == PGP_UMD_PKEY_ECDSA_P256 && sig.sig[0] != 0x30)
		fail("ECDSA signature is not a SEQUENCE", 0);
	if (n < 12 || n > PGP_UMD_SIG_DATA_MAX)
		fail("sig_data_len", 0);
	counted = (uint32_t)sig.sig_data[n - 4] << 24 |
		  (uint32_t)sig.sig_data[n - 3] << 16 |
		  (uint32_t)sig.sig_data[n - 2] << 8 | sig.sig_data[n - 1];
	if (sig.sig_data[0] != 4 || sig.sig_data[1] != sig.sig_type ||
	    sig.sig_data[n - 6] != 4 || sig.sig_data[n - 5] != 0xff ||
	    counted != n - 6)
		fail("sig_data trailer", 0);
	if (sig.has_issuer_fpr > 1 ||
	    (sig.has_issuer_fpr && memcmp(sig.issuer_id, sig.issuer_fpr + 12, 8)))
		fail("issuer fingerprint", 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int ret;

	ret = pgp_parse_key(data, size, &key);
	check_ret(ret, size, &key, sizeof(key));
	if (!ret)
		check_key();
	ret = pgp_parse_sig(data, size, &sig);
	check_ret(ret, size, &sig, sizeof(sig));
	if (!ret)
		check_sig();
	return 0;
}
