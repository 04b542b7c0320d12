// SPDX-License-Identifier: GPL-2.0
/*
 * The PGP UMD handler's parser (handlers/pgp_parse.c) on keys and detached
 * signatures that gpg makes at test time (tests/unit/pgp-gen.sh, in a
 * temporary directory): every field compared with what gpg itself lists,
 * and the reply's crypto material checked by an independent tool, the
 * openssl command: the key as the DER or point the kernel gets, the
 * signature as the kernel gets it, over the digest of the data followed by
 * sig_data. That is what public_key_verify_signature() would be given.
 * Then refusals (Ed25519, DSA, SHA-1), every truncation of real inputs,
 * armor damage, every packet length form, and the handler process itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "pgp_parse.h"

static char *dir;	/* what pgp-gen.sh made */

/* ---- Helpers ---------------------------------------------------------- */

static GBytes *load(const char *name)
{
	char *path = g_build_filename(dir, name, NULL);
	GError *err = NULL;
	char *data;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, &err))
		g_error("%s", err->message);
	g_free(path);
	return g_bytes_new_take(data, len);
}

static char *load_text(const char *name)
{
	GBytes *b = load(name);
	gsize len;
	char *s = g_strndup(g_bytes_get_data(b, &len), g_bytes_get_size(b));

	g_bytes_unref(b);
	return s;
}

static char *save(const char *name, const void *data, size_t len)
{
	char *path = g_build_filename(dir, name, NULL);
	GError *err = NULL;

	if (!g_file_set_contents(path, data, len, &err))
		g_error("%s", err->message);
	return path;
}

/*
 * Run argv; its exit status (-1: not exited), its stdout in *out; its
 * stderr goes to the test log if it fails and that is not expected.
 */
static int run(char **argv, char **out, int may_fail)
{
	GError *err = NULL;
	int status;
	char *errs = NULL;

	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
			  out, &errs, &status, &err))
		g_error("%s: %s", argv[0], err->message);
	if (!may_fail && (!WIFEXITED(status) || WEXITSTATUS(status)))
		g_test_message("%s: %s", argv[0], errs ? errs : "");
	g_free(errs);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_quiet(char **argv)
{
	char *out = NULL;
	int ret = run(argv, &out, 0);

	g_free(out);
	return ret;
}

static char *hex(const uint8_t *p, size_t n)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < n; i++)
		g_string_append_printf(s, "%02X", p[i]);
	return g_string_free(s, FALSE);
}

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

static int parse_key(const void *data, size_t len,
		     struct pgp_umd_key_reply *r)
{
	int ret = pgp_parse_key(data, len, r);

	if (ret)
		g_assert_true(all_zero(r, sizeof(*r)));
	return ret;
}

static int parse_sig(const void *data, size_t len,
		     struct pgp_umd_sig_reply *r)
{
	int ret = pgp_parse_sig(data, len, r);

	if (ret)
		g_assert_true(all_zero(r, sizeof(*r)));
	return ret;
}

static int parse_key_file(const char *name, struct pgp_umd_key_reply *r)
{
	GBytes *b = load(name);
	int ret = parse_key(g_bytes_get_data(b, NULL), g_bytes_get_size(b), r);

	g_bytes_unref(b);
	return ret;
}

static int parse_sig_file(const char *name, struct pgp_umd_sig_reply *r)
{
	GBytes *b = load(name);
	int ret = parse_sig(g_bytes_get_data(b, NULL), g_bytes_get_size(b), r);

	g_bytes_unref(b);
	return ret;
}

/* The packets of gpg's binary output: offsets of each header and body. */
struct pkt {
	size_t off, hlen, len;
	unsigned int tag;
};

static GArray *packets(const uint8_t *p, size_t n)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct pkt));
	struct pkt k;
	size_t o = 0;

	while (o < n) {
		k.off = o;
		g_assert_true(p[o] & 0x80);
		if (p[o] & 0x40) {
			k.tag = p[o] & 0x3f;
			if (p[o + 1] < 192) {
				k.hlen = 2;
				k.len = p[o + 1];
			} else if (p[o + 1] < 224) {
				k.hlen = 3;
				k.len = ((p[o + 1] - 192) << 8) + p[o + 2] + 192;
			} else {
				g_assert_cmpuint(p[o + 1], ==, 255);
				k.hlen = 6;
				k.len = (size_t)p[o + 2] << 24 | p[o + 3] << 16 |
					p[o + 4] << 8 | p[o + 5];
			}
		} else {
			k.tag = (p[o] >> 2) & 0xf;
			switch (p[o] & 3) {
			case 0:
				k.hlen = 2;
				k.len = p[o + 1];
				break;
			case 1:
				k.hlen = 3;
				k.len = p[o + 1] << 8 | p[o + 2];
				break;
			default:
				g_assert_cmpuint(p[o] & 3, ==, 2);
				k.hlen = 5;
				k.len = (size_t)p[o + 1] << 24 |
					p[o + 2] << 16 | p[o + 3] << 8 |
					p[o + 4];
				break;
			}
		}
		g_array_append_val(a, k);
		o += k.hlen + k.len;
	}
	g_assert_cmpuint(o, ==, n);
	return a;
}

/* Fields of a --with-colons line. */
static char **colon_lines(const char *name)
{
	char *text = load_text(name);
	char **lines = g_strsplit(text, "\n", -1);

	g_free(text);
	return lines;
}

/* ---- SHA-1 ------------------------------------------------------------ */

static void test_sha1(void)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709" },
		{ "abc", "A9993E364706816ABA3E25717850C26C9CD0D89D" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983E441C3BD26EBAAE4AA1F95129E5E54670F1" },
	};
	uint8_t md[PGP_SHA1_SIZE], buf[1000];
	size_t i, n;
	char *h;

	for (i = 0; i < G_N_ELEMENTS(v); i++) {
		pgp_sha1((const uint8_t *)v[i].in, strlen(v[i].in), md);
		h = hex(md, sizeof(md));
		g_assert_cmpstr(h, ==, v[i].out);
		g_free(h);
	}
	/* Every length around the block and padding boundaries. */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	for (n = 0; n < 200; n++) {
		char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA1,
							 buf, n);

		char *up;

		pgp_sha1(buf, n, md);
		up = hex(md, sizeof(md));
		h = g_ascii_strdown(up, -1);
		g_assert_cmpstr(h, ==, want);
		g_free(h);
		g_free(up);
		g_free(want);
	}
}

/* ---- Keys ----------------------------------------------------------- */

/* Bits of the modulus in an RSA key's DER. */
static const uint8_t *der_next(const uint8_t **p, const uint8_t *end,
			       uint8_t tag, size_t *len)
{
	const uint8_t *q = *p;
	size_t n, i, k;

	g_assert_true(end - q >= 2);
	g_assert_cmpuint(q[0], ==, tag);
	n = q[1];
	q += 2;
	if (n & 0x80) {
		k = n & 0x7f;
		g_assert_true(k >= 1 && k <= 2 && end - q >= (ptrdiff_t)k);
		for (n = 0, i = 0; i < k; i++)
			n = n << 8 | *q++;
	}
	g_assert_true((size_t)(end - q) >= n);
	*p = q + n;
	*len = n;
	return q;
}

static size_t rsa_modulus(const struct pgp_umd_key *k, const uint8_t **n)
{
	const uint8_t *p = k->pub_key, *end = p + k->pub_key_len, *seq, *e;
	size_t len, nl, el;

	seq = der_next(&p, end, 0x30, &len);
	g_assert_true(p == end);
	p = seq;
	*n = der_next(&p, end, 0x02, &nl);
	e = der_next(&p, end, 0x02, &el);
	g_assert_true(p == end);
	g_assert_true(el > 0 && !(e[0] & 0x80));
	g_assert_true(nl > 0 && !((*n)[0] & 0x80));
	if (!(*n)[0]) {			/* minimal: a zero only for the sign */
		(*n)++;
		nl--;
		g_assert_true((*n)[0] & 0x80);
	}
	return nl;
}

static unsigned int bits_of(const uint8_t *p, size_t n)
{
	return (unsigned int)(n * 8) - (unsigned int)__builtin_clz(p[0]) + 24;
}

static void check_key_against(const struct pgp_umd_key *k, char **f,
			      const char *fpr)
{
	char *id = hex(k->key_id, sizeof(k->key_id));
	char *fp = hex(k->fingerprint, sizeof(k->fingerprint));
	unsigned long long created = g_ascii_strtoull(f[5], NULL, 10);
	unsigned long long expiry = *f[6] ? g_ascii_strtoull(f[6], NULL, 10) : 0;
	int algo = atoi(f[3]);
	const uint8_t *n;
	size_t nl;

	g_assert_cmpstr(id, ==, f[4]);
	g_assert_cmpstr(fp, ==, fpr);
	g_assert_cmpuint(k->created, ==, created);
	g_assert_cmpuint(k->expires, ==, expiry ? expiry - created : 0);
	if (algo == 1 || algo == 3) {
		g_assert_cmpuint(k->pkey_algo, ==, PGP_UMD_PKEY_RSA);
		nl = rsa_modulus(k, &n);
		g_assert_cmpuint(bits_of(n, nl), ==, atoi(f[2]));
	} else {
		g_assert_cmpint(algo, ==, 19);
		g_assert_cmpstr(f[16], ==, "nistp256");
		g_assert_cmpuint(k->pkey_algo, ==, PGP_UMD_PKEY_ECDSA_P256);
		g_assert_cmpuint(k->pub_key_len, ==, 65);
		g_assert_cmpuint(k->pub_key[0], ==, 4);
	}
	g_free(id);
	g_free(fp);
}

/* A subkey the UMD returns: signing, of an algorithm it supports. */
static int usable_sub(char **f)
{
	return strchr(f[11], 's') &&
	       (!strcmp(f[3], "1") || !strcmp(f[3], "3") ||
		(!strcmp(f[3], "19") && !strcmp(f[16], "nistp256")));
}

/* Parse NAME.key and NAME.asc, and compare with NAME.colons. */
static void check_key(const char *name, unsigned int want_keys)
{
	struct pgp_umd_key_reply bin, arm;
	char *file = g_strconcat(name, ".key", NULL);
	char *afile = g_strconcat(name, ".asc", NULL);
	char *cfile = g_strconcat(name, ".colons", NULL);
	char **lines = colon_lines(cfile), **f = NULL, **l;
	unsigned int next = 0, skipped = 0;
	int uid_seen = 0, sign;

	g_assert_cmpint(parse_key_file(file, &bin), ==, 0);
	g_assert_cmpint(parse_key_file(afile, &arm), ==, 0);
	g_assert_true(!memcmp(&bin, &arm, sizeof(bin)));
	g_assert_cmpuint(bin.nkeys, ==, want_keys);

	for (l = lines; *l; l++) {
		char **g;

		if (!**l)
			continue;
		g = g_strsplit(*l, ":", -1);
		if (!strcmp(g[0], "pub") || !strcmp(g[0], "sub")) {
			g_strfreev(f);
			f = g;
			continue;
		}
		if (!strcmp(g[0], "uid") && !uid_seen) {
			uid_seen = 1;
			g_assert_cmpstr((char *)bin.uid, ==, g[9]);
			g_assert_cmpuint(bin.uid_len, ==, strlen(g[9]));
		}
		if (!strcmp(g[0], "fpr") && f) {
			if (!strcmp(f[0], "pub")) {
				g_assert_cmpuint(next, ==, 0);
				check_key_against(&bin.keys[0], f, g[9]);
				sign = strchr(f[11], 's') != NULL;
				g_assert_cmpuint(bin.keys[0].flags, ==,
						 PGP_UMD_KEY_PRIMARY |
						 (sign ? PGP_UMD_KEY_CAN_SIGN : 0));
				next = 1;
			} else if (usable_sub(f)) {
				g_assert_cmpuint(next, <, bin.nkeys);
				check_key_against(&bin.keys[next], f, g[9]);
				g_assert_cmpuint(bin.keys[next].flags, ==,
						 PGP_UMD_KEY_CAN_SIGN);
				next++;
			} else {
				skipped++;
			}
			g_strfreev(f);
			f = NULL;
		}
		g_strfreev(g);
	}
	g_strfreev(f);
	g_assert_true(uid_seen);
	g_assert_cmpuint(next, ==, bin.nkeys);
	g_test_message("%s: %u key(s) returned, %u subkey(s) skipped", name,
		       next, skipped);
	g_strfreev(lines);
	g_free(file);
	g_free(afile);
	g_free(cfile);
}

static void test_keys(void)
{
	check_key("rsa2048", 2);	/* + signing subkey; 2 encr skipped */
	check_key("rsa4096", 1);
	check_key("p256", 2);
}

/* ---- Signatures ------------------------------------------------------- */

static const char *hash_name(uint32_t h)
{
	switch (h) {
	case PGP_UMD_HASH_SHA256:
		return "sha256";
	case PGP_UMD_HASH_SHA384:
		return "sha384";
	case PGP_UMD_HASH_SHA512:
		return "sha512";
	case PGP_UMD_HASH_SHA224:
		return "sha224";
	}
	g_assert_not_reached();
}

/* The fields of gpg --list-packets SIG against the reply. */
static void check_sig_against(const struct pgp_umd_sig_reply *s,
			      const char *sig)
{
	char *pfile = g_strconcat(sig, ".packets", NULL);
	char *text = load_text(pfile);
	GMatchInfo *m;
	GRegex *re;
	char *id = hex(s->issuer_id, sizeof(s->issuer_id));
	char *fpr = hex(s->issuer_fpr, sizeof(s->issuer_fpr));
	char *v[8];
	int algo, dalgo, i;

	re = g_regex_new(":signature packet: algo (\\d+), keyid ([0-9A-F]{16})\\n"
			 "\\tversion 4, created (\\d+), md5len 0, sigclass 0x([0-9a-f]{2})\\n"
			 "\\tdigest algo (\\d+), begin of digest ([0-9a-f]{2}) ([0-9a-f]{2})\\n",
			 0, 0, NULL);
	g_assert_true(g_regex_match(re, text, 0, &m));
	for (i = 1; i < 8; i++)
		v[i] = g_match_info_fetch(m, i);
	algo = atoi(v[1]);
	g_assert_cmpuint(s->pkey_algo, ==, algo == 19 ? PGP_UMD_PKEY_ECDSA_P256
						      : PGP_UMD_PKEY_RSA);
	g_assert_cmpstr(id, ==, v[2]);
	g_assert_cmpuint(s->created, ==,
			 g_ascii_strtoull(v[3], NULL, 10));
	g_assert_cmpuint(s->sig_type, ==,
			 g_ascii_strtoull(v[4], NULL, 16));
	dalgo = atoi(v[5]);
	g_assert_cmpuint(s->hash_algo, ==,
			 dalgo == 8 ? PGP_UMD_HASH_SHA256 :
			 dalgo == 9 ? PGP_UMD_HASH_SHA384 :
			 dalgo == 10 ? PGP_UMD_HASH_SHA512 :
			 dalgo == 11 ? PGP_UMD_HASH_SHA224 : 0);
	g_assert_cmpuint(s->hash_prefix[0], ==,
			 g_ascii_strtoull(v[6], NULL, 16));
	g_assert_cmpuint(s->hash_prefix[1], ==,
			 g_ascii_strtoull(v[7], NULL, 16));
	for (i = 1; i < 8; i++)
		g_free(v[i]);
	g_match_info_free(m);
	g_regex_unref(re);

	re = g_regex_new("issuer fpr v4 ([0-9A-F]{40})", 0, 0, NULL);
	if (g_regex_match(re, text, 0, &m)) {
		v[1] = g_match_info_fetch(m, 1);
		g_assert_cmpuint(s->has_issuer_fpr, ==, 1);
		g_assert_cmpstr(fpr, ==, v[1]);
		g_free(v[1]);
	} else {
		g_assert_cmpuint(s->has_issuer_fpr, ==, 0);
	}
	g_match_info_free(m);
	g_regex_unref(re);
	/* gpg sets none by default; p256-exp.sig has 30 days */
	re = g_regex_new("hashed subpkt 3 len 4 \\(sig expires after "
			 "(\\d+)d0h0m\\)", 0, 0, NULL);
	if (g_regex_match(re, text, 0, &m)) {
		v[1] = g_match_info_fetch(m, 1);
		g_assert_cmpuint(s->expires, ==, 86400 * atoi(v[1]));
		g_assert_cmpuint(s->expires, !=, 0);
		g_free(v[1]);
	} else {
		g_assert_cmpuint(s->expires, ==, 0);
	}
	g_match_info_free(m);
	g_regex_unref(re);
	g_free(id);
	g_free(fpr);
	g_free(text);
	g_free(pfile);
}

/* The data as the signature hashes it: LF made CR LF for a text sig. */
static GByteArray *signed_bytes(const char *data, uint32_t type)
{
	GBytes *b = load(data);
	const uint8_t *p = g_bytes_get_data(b, NULL);
	size_t n = g_bytes_get_size(b), i;
	GByteArray *a = g_byte_array_new();

	for (i = 0; i < n; i++) {
		if (type == PGP_UMD_SIG_TEXT && p[i] == '\n' &&
		    (i == 0 || p[i - 1] != '\r'))
			g_byte_array_append(a, (const uint8_t *)"\r", 1);
		g_byte_array_append(a, p + i, 1);
	}
	g_bytes_unref(b);
	return a;
}

/* SubjectPublicKeyInfo of a P-256 key, up to the point. */
static const uint8_t p256_spki[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
	0x07, 0x03, 0x42, 0x00,
};

/*
 * openssl's verdict on sig (as the reply has it) over the digest of
 * data || sig_data, with the key as the reply has it: 1 good, 0 bad.
 * The hash prefix must match the digest when the verdict is good.
 */
static int openssl_verify(const struct pgp_umd_key *k,
			  const struct pgp_umd_sig_reply *s,
			  const GByteArray *data)
{
	GByteArray *m = g_byte_array_new();
	char *mpath, *dpath, *spath, *kder, *kpem, *digest, *opt;
	uint8_t padded[PGP_UMD_SIG_MAX];
	const uint8_t *n;
	size_t nl;
	GBytes *d;
	int ret;

	g_byte_array_append(m, data->data, data->len);
	g_byte_array_append(m, s->sig_data, s->sig_data_len);
	mpath = save("v.msg", m->data, m->len);
	dpath = g_build_filename(dir, "v.digest", NULL);
	digest = g_strconcat("-", hash_name(s->hash_algo), NULL);
	{
		char *argv[] = { "openssl", "dgst", digest, "-binary", "-out",
				 dpath, mpath, NULL };

		g_assert_cmpint(run_quiet(argv), ==, 0);
	}
	if (k->pkey_algo == PGP_UMD_PKEY_RSA) {
		kder = save("v.key.der", k->pub_key, k->pub_key_len);
		kpem = g_build_filename(dir, "v.key.pem", NULL);
		{
			char *argv[] = { "openssl", "rsa", "-RSAPublicKey_in",
					 "-inform", "DER", "-in", kder,
					 "-pubout", "-out", kpem, NULL };

			g_assert_cmpint(run_quiet(argv), ==, 0);
		}
		/* openssl wants the modulus size, as the kernel pads it */
		nl = rsa_modulus(k, &n);
		g_assert_cmpuint(s->sig_len, <=, nl);
		memset(padded, 0, nl - s->sig_len);
		memcpy(padded + nl - s->sig_len, s->sig, s->sig_len);
		spath = save("v.sig", padded, nl);
	} else {
		GByteArray *spki = g_byte_array_new();

		g_assert_cmpuint(k->pub_key_len, ==, 65);
		g_byte_array_append(spki, p256_spki, sizeof(p256_spki));
		g_byte_array_append(spki, k->pub_key, k->pub_key_len);
		kder = save("v.key.der", spki->data, spki->len);
		kpem = g_build_filename(dir, "v.key.pem", NULL);
		{
			char *argv[] = { "openssl", "pkey", "-pubin", "-inform",
					 "DER", "-in", kder, "-out", kpem,
					 NULL };

			g_assert_cmpint(run_quiet(argv), ==, 0);
		}
		g_byte_array_unref(spki);
		spath = save("v.sig", s->sig, s->sig_len);
	}
	opt = g_strconcat("digest:", hash_name(s->hash_algo), NULL);
	{
		char *argv[] = { "openssl", "pkeyutl", "-verify", "-pubin",
				 "-inkey", kpem, "-in", dpath, "-sigfile",
				 spath, "-pkeyopt", opt, NULL };

		char *o = NULL;

		ret = run(argv, &o, 1) == 0;
		g_free(o);
	}
	if (ret) {
		d = load("v.digest");
		g_assert_true(!memcmp(g_bytes_get_data(d, NULL),
				      s->hash_prefix, 2));
		g_bytes_unref(d);
	}
	g_byte_array_unref(m);
	g_free(mpath);
	g_free(dpath);
	g_free(spath);
	g_free(kder);
	g_free(kpem);
	g_free(digest);
	g_free(opt);
	return ret;
}

static void test_sigs(void)
{
	char **lines = colon_lines("sigs"), **l;
	int count = 0;

	for (l = lines; *l && **l; l++) {
		char **f = g_strsplit(*l, " ", -1);
		char *kfile = g_strconcat(f[2], ".key", NULL);
		struct pgp_umd_key_reply key;
		struct pgp_umd_sig_reply sig;
		const struct pgp_umd_key *k = NULL;
		GByteArray *data;
		unsigned int i;

		g_test_message("%s over %s by %s", f[0], f[1], f[2]);
		g_assert_cmpint(parse_sig_file(f[0], &sig), ==, 0);
		check_sig_against(&sig, f[0]);
		g_assert_cmpint(parse_key_file(kfile, &key), ==, 0);
		for (i = 0; i < key.nkeys; i++)
			if (!memcmp(key.keys[i].key_id, sig.issuer_id, 8))
				k = &key.keys[i];
		g_assert_nonnull(k);
		g_assert_true(k->flags & PGP_UMD_KEY_CAN_SIGN);
		g_assert_cmpuint(k->pkey_algo, ==, sig.pkey_algo);
		if (sig.has_issuer_fpr)
			g_assert_true(!memcmp(k->fingerprint, sig.issuer_fpr,
					      PGP_UMD_FPR_SIZE));

		data = signed_bytes(f[1], sig.sig_type);
		g_assert_true(openssl_verify(k, &sig, data));
		/* and openssl does say no: one bit of the data changed */
		data->data[data->len / 2] ^= 0x10;
		g_assert_false(openssl_verify(k, &sig, data));
		g_byte_array_unref(data);
		count++;
		g_strfreev(f);
		g_free(kfile);
	}
	g_assert_cmpint(count, ==, 11);
	g_strfreev(lines);
}

/* ---- Refusals --------------------------------------------------------- */

static void test_unsupported(void)
{
	struct pgp_umd_key_reply key;
	struct pgp_umd_sig_reply sig;

	g_assert_cmpint(parse_key_file("ed25519.key", &key), ==, -ENOPKG);
	g_assert_cmpint(parse_key_file("ed25519.asc", &key), ==, -ENOPKG);
	g_assert_cmpint(parse_key_file("dsa2048.key", &key), ==, -ENOPKG);
	g_assert_cmpint(parse_key_file("dsa2048.asc", &key), ==, -ENOPKG);
	g_assert_cmpint(parse_sig_file("ed25519.sig", &sig), ==, -ENOPKG);
	g_assert_cmpint(parse_sig_file("dsa2048.sig", &sig), ==, -ENOPKG);
	g_assert_cmpint(parse_sig_file("sha1.sig", &sig), ==, -ENOPKG);
	/* a signature by the P-384 subkey parses, but no key in p256.key's
	 * reply has its issuer: the kernel would find no key */
	g_assert_cmpint(parse_sig_file("p384-sub.sig", &sig), ==, 0);
	g_assert_cmpint(parse_key_file("p256.key", &key), ==, 0);
	g_assert_cmpuint(key.nkeys, ==, 2);
	g_assert_true(memcmp(key.keys[0].key_id, sig.issuer_id, 8));
	g_assert_true(memcmp(key.keys[1].key_id, sig.issuer_id, 8));
	/* a key is not a signature, nor the other way round */
	g_assert_cmpint(parse_sig_file("rsa2048.key", &sig), ==, -EBADMSG);
	g_assert_cmpint(parse_sig_file("rsa2048.asc", &sig), ==, -EBADMSG);
	g_assert_cmpint(parse_key_file("rsa2048-bin.sig", &key), ==, -EBADMSG);
	g_assert_cmpint(parse_key_file("p256-txt.asc", &key), ==, -EBADMSG);
}

/* Every prefix of a binary key: -EBADMSG, or 0 at a packet boundary. */
static void truncate_key(const char *name)
{
	GBytes *b = load(name);
	const uint8_t *p = g_bytes_get_data(b, NULL);
	size_t n = g_bytes_get_size(b), i, j;
	GArray *pk = packets(p, n);
	struct pgp_umd_key_reply full, r;
	int ret, boundary, ok = 0;

	g_assert_cmpint(parse_key(p, n, &full), ==, 0);
	for (i = 1; i < n; i++) {
		uint8_t *copy = g_memdup2(p, i);	/* ASan sees overreads */

		ret = parse_key(copy, i, &r);
		g_free(copy);
		for (boundary = 0, j = 0; j < pk->len; j++)
			if (g_array_index(pk, struct pkt, j).off == i)
				boundary = 1;
		if (!boundary || ret)
			g_assert_cmpint(ret, ==, -EBADMSG);
		if (!ret) {
			g_assert_cmpuint(r.nkeys, <=, full.nkeys);
			g_assert_true(!memcmp(&r.keys[0].key_id,
					      &full.keys[0].key_id, 8));
			ok++;
		}
	}
	g_test_message("%s: %zu prefixes, %d of them whole keys", name,
		       n - 1, ok);
	g_array_unref(pk);
	g_bytes_unref(b);
}

/* Every prefix of a signature: never a reply. */
static void truncate_sig(const char *name, int armored)
{
	GBytes *b = load(name);
	const uint8_t *p = g_bytes_get_data(b, NULL);
	size_t n = g_bytes_get_size(b), i;
	struct pgp_umd_sig_reply r;
	const char *end;
	int ret;

	end = g_strstr_len((const char *)p, n, "-----END PGP SIGNATURE-----");
	for (i = 1; i < n; i++) {
		uint8_t *copy = g_memdup2(p, i);

		ret = parse_sig(copy, i, &r);
		g_free(copy);
		if (armored && end &&
		    i >= (size_t)(end - (const char *)p) + 27)
			g_assert_cmpint(ret, ==, 0);	/* only the LF cut */
		else
			g_assert_cmpint(ret, ==, -EBADMSG);
	}
	g_bytes_unref(b);
}

static void test_truncated(void)
{
	truncate_key("rsa2048.key");
	truncate_key("p256.key");
	truncate_sig("rsa2048-bin.sig", 0);
	truncate_sig("p256-sub.sig", 0);
	truncate_sig("rsa2048-txt.asc", 1);
}

/* ---- Armor ------------------------------------------------------------ */

static int parse_sig_str(const char *s, struct pgp_umd_sig_reply *r)
{
	return parse_sig(s, strlen(s), r);
}

static void test_armor(void)
{
	struct pgp_umd_sig_reply want, r;
	char *text = load_text("rsa2048-txt.asc"), *s, *crc, **parts;
	GString *g;

	g_assert_cmpint(parse_sig_str(text, &want), ==, 0);

	/* a flipped CRC */
	s = g_strdup(text);
	crc = strstr(s, "\n=");
	g_assert_nonnull(crc);
	crc[3] = crc[3] == 'A' ? 'B' : 'A';
	g_assert_cmpint(parse_sig_str(s, &r), ==, -EBADMSG);
	g_free(s);

	/* a flipped bit in the base64 (the CRC catches what parses) */
	s = g_strdup(text);
	crc = strstr(s, "\n\n");
	crc[10] = crc[10] == 'A' ? 'B' : 'A';
	g_assert_cmpint(parse_sig_str(s, &r), ==, -EBADMSG);
	g_free(s);

	/* no CRC line: accepted (RFC 9580), same reply */
	s = g_strdup(text);
	crc = strstr(s, "\n=");
	memmove(crc + 1, crc + 7, strlen(crc + 7) + 1);
	g_assert_cmpint(parse_sig_str(s, &r), ==, 0);
	g_assert_true(!memcmp(&r, &want, sizeof(r)));
	g_free(s);

	/* armor headers, CR LF line ends, blank lines around */
	parts = g_strsplit(text, "\n", -1);
	g = g_string_new("\n\r\n");
	g_string_append_printf(g, "%s\r\nComment: made by a test\r\n"
			       "Version: 1\r\n", parts[0]);
	for (char **q = parts + 1; *q && **q != '-'; q++)
		g_string_append_printf(g, "%s \r\n", *q);
	g_string_append(g, "-----END PGP SIGNATURE-----\r\n\r\n\n");
	g_assert_cmpint(parse_sig_str(g->str, &r), ==, 0);
	g_assert_true(!memcmp(&r, &want, sizeof(r)));
	g_string_free(g, TRUE);

	/* a header line without ": ", no blank line, junk after END */
	s = g_strjoinv("\n", parts);
	g = g_string_new(s);
	g_string_insert(g, strlen(parts[0]) + 1, "Comment\n");
	g_assert_cmpint(parse_sig_str(g->str, &r), ==, -EBADMSG);
	g_string_free(g, TRUE);
	g = g_string_new(s);
	g_string_erase(g, strlen(parts[0]) + 1, 1);
	g_assert_cmpint(parse_sig_str(g->str, &r), ==, -EBADMSG);
	g_string_free(g, TRUE);
	g = g_string_new(s);
	g_string_append(g, "junk\n");
	g_assert_cmpint(parse_sig_str(g->str, &r), ==, -EBADMSG);
	g_string_free(g, TRUE);
	/* wrong END label, bad base64 character */
	g = g_string_new(s);
	g_string_replace(g, "END PGP SIGNATURE", "END PGP MESSAGE", 1);
	g_assert_cmpint(parse_sig_str(g->str, &r), ==, -EBADMSG);
	g_string_free(g, TRUE);
	g = g_string_new(s);
	g->str[strlen(parts[0]) + 5] = '*';
	g_assert_cmpint(parse_sig_str(g->str, &r), ==, -EBADMSG);
	g_string_free(g, TRUE);
	g_free(s);
	g_strfreev(parts);
	g_free(text);
}

/* ---- Packet headers --------------------------------------------------- */

static int sig_with_header(const uint8_t *hdr, size_t hl, const uint8_t *body,
			   size_t bl, struct pgp_umd_sig_reply *r)
{
	uint8_t *buf = g_malloc(hl + bl);
	int ret;

	memcpy(buf, hdr, hl);
	memcpy(buf + hl, body, bl);
	ret = parse_sig(buf, hl + bl, r);
	g_free(buf);
	return ret;
}

/* Every length form around one signature packet's body. */
static void check_forms(const char *name)
{
	GBytes *b = load(name);
	const uint8_t *p = g_bytes_get_data(b, NULL);
	GArray *pk = packets(p, g_bytes_get_size(b));
	struct pkt k = g_array_index(pk, struct pkt, 0);
	const uint8_t *body = p + k.hlen;
	size_t n = k.len;
	uint8_t hi = (uint8_t)(n >> 8), lo = (uint8_t)n;
	struct pgp_umd_sig_reply want, r;

	g_assert_cmpuint(pk->len, ==, 1);
	g_assert_cmpuint(n, <, 8383);
	g_assert_cmpint(parse_sig(p, g_bytes_get_size(b), &want), ==, 0);

#define SAME(...) do {							\
		const uint8_t hh[] = { __VA_ARGS__ };			\
		g_assert_cmpint(sig_with_header(hh, sizeof(hh), body, n, &r), \
				==, 0);					\
		g_assert_true(!memcmp(&r, &want, sizeof(r)));		\
	} while (0)
#define BAD(...) do {							\
		const uint8_t hh[] = { __VA_ARGS__ };			\
		g_assert_cmpint(sig_with_header(hh, sizeof(hh), body, n, &r), \
				==, -EBADMSG);				\
	} while (0)

	if (n < 256)
		SAME(0x88, lo);				/* old, 1 octet */
	SAME(0x89, hi, lo);				/* old, 2 octets */
	SAME(0x8a, 0, 0, hi, lo);			/* old, 4 octets */
	SAME(0x8b);					/* old, to the end */
	if (n < 192)
		SAME(0xc2, lo);				/* new, 1 octet */
	else						/* new, 2 octets */
		SAME(0xc2, (uint8_t)(((n - 192) >> 8) + 192),
		     (uint8_t)(n - 192));
	SAME(0xc2, 0xff, 0, 0, hi, lo);			/* new, 5 octets */
	BAD(0xc2, 0xe0);				/* partial, 1 */
	BAD(0xc2, 0xe9);				/* partial, 512 */
	BAD(0xc2, 0xfe);				/* partial, 2^30 */
	BAD(0x09, hi, lo);				/* bit 7 clear */
	BAD(0x89, hi, (uint8_t)(lo + 1));		/* longer than data */
	BAD(0xc2, 0xff, 0xff, 0xff, 0xff, 0xff);
	BAD(0xc2, 0xff, 0x80, 0, hi, lo);
	BAD(0xc1, 0xff, 0, 0, hi, lo);			/* PKESK, not a sig */
	BAD(0xc0, 0xff, 0, 0, hi, lo);			/* tag 0 */
	BAD(0x80, 0xff, 0, 0, hi, lo);			/* old tag 0 */
	BAD(0x89, hi, (uint8_t)(lo - 1));		/* trailing octet */
#undef SAME
#undef BAD
	g_array_unref(pk);
	g_bytes_unref(b);
}

static void test_headers(void)
{
	GBytes *b = load("rsa2048-bin.sig");
	const uint8_t *p = g_bytes_get_data(b, NULL);
	size_t n = g_bytes_get_size(b);
	struct pgp_umd_sig_reply r;
	uint8_t h[2] = { 0xc8, 3 }, *two;

	check_forms("rsa2048-bin.sig");		/* 2-octet new length */
	check_forms("p256-sub.sig");		/* 1-octet new length */
	/* compressed data is not taken */
	g_assert_cmpint(sig_with_header(h, 2, (const uint8_t *)"\1\2\3", 3,
					&r), ==, -ENOPKG);
	/* two signatures */
	two = g_malloc(2 * n);
	memcpy(two, p, n);
	memcpy(two + n, p, n);
	g_assert_cmpint(parse_sig(two, 2 * n, &r), ==, -EBADMSG);
	g_free(two);
	g_bytes_unref(b);
}

/* Change a copy of the signature's body; its parse result. */
static int sig_edit(const uint8_t *body, size_t n, size_t off, uint8_t val)
{
	struct pgp_umd_sig_reply r;
	uint8_t *c = g_memdup2(body, n);
	uint8_t h[] = { 0x89, (uint8_t)(n >> 8), (uint8_t)n };
	int ret;

	c[off] = val;
	ret = sig_with_header(h, 3, c, n, &r);
	g_free(c);
	return ret;
}

/*
 * The signature with a subpacket of type 100 and `size` octets in all
 * (5-octet length, type, data) put first in its hashed area.
 */
static int sig_with_big_subpacket(const uint8_t *body, size_t n, size_t size)
{
	struct pgp_umd_sig_reply r;
	size_t hashed = (size_t)body[4] << 8 | body[5], len = n + size;
	size_t data = size - 5;		/* the length counts the type */
	uint8_t *c = g_malloc0(6 + len);
	int ret;

	c[0] = 0xc2;			/* new header, 5-octet length */
	c[1] = 0xff;
	c[2] = (uint8_t)(len >> 24);
	c[3] = (uint8_t)(len >> 16);
	c[4] = (uint8_t)(len >> 8);
	c[5] = (uint8_t)len;
	memcpy(c + 6, body, 4);
	c[6 + 4] = (uint8_t)((hashed + size) >> 8);
	c[6 + 5] = (uint8_t)(hashed + size);
	c[6 + 6] = 0xff;
	c[6 + 7] = (uint8_t)(data >> 24);
	c[6 + 8] = (uint8_t)(data >> 16);
	c[6 + 9] = (uint8_t)(data >> 8);
	c[6 + 10] = (uint8_t)data;
	c[6 + 11] = 100;
	memcpy(c + 6 + 6 + size, body + 6, n - 6);
	ret = parse_sig(c, len + 6, &r);
	if (!ret)
		g_assert_cmpuint(r.sig_data_len, ==, 6 + hashed + size + 6);
	g_free(c);
	return ret;
}

static void test_sig_fields(void)
{
	GBytes *b = load("rsa2048-bin.sig");
	const uint8_t *p = g_bytes_get_data(b, NULL);
	GArray *pk = packets(p, g_bytes_get_size(b));
	struct pkt k = g_array_index(pk, struct pkt, 0);
	const uint8_t *body = p + k.hlen;
	size_t n = k.len;
	size_t hashed = (size_t)body[4] << 8 | body[5];

	g_assert_cmpint(sig_edit(body, n, 0, 4), ==, 0);
	g_assert_cmpint(sig_edit(body, n, 0, 3), ==, -ENOPKG);	/* v3 */
	g_assert_cmpint(sig_edit(body, n, 0, 5), ==, -ENOPKG);
	g_assert_cmpint(sig_edit(body, n, 0, 6), ==, -ENOPKG);
	g_assert_cmpint(sig_edit(body, n, 0, 7), ==, -EBADMSG);
	g_assert_cmpint(sig_edit(body, n, 1, 0x01), ==, 0);	/* text */
	g_assert_cmpint(sig_edit(body, n, 1, 0x13), ==, -EBADMSG);
	g_assert_cmpint(sig_edit(body, n, 2, 17), ==, -ENOPKG);	/* DSA */
	g_assert_cmpint(sig_edit(body, n, 2, 22), ==, -ENOPKG);
	g_assert_cmpint(sig_edit(body, n, 3, 1), ==, -ENOPKG);	/* MD5 */
	g_assert_cmpint(sig_edit(body, n, 3, 3), ==, -ENOPKG);	/* RIPEMD */
	g_assert_cmpint(sig_edit(body, n, 3, 11), ==, 0);	/* SHA-224 */
	/* hashed area length off by one either way */
	g_assert_cmpint(sig_edit(body, n, 5, (uint8_t)(hashed + 1)), ==,
			-EBADMSG);
	g_assert_cmpint(sig_edit(body, n, 5, (uint8_t)(hashed - 1)), ==,
			-EBADMSG);
	/* first hashed subpacket made critical-unknown (type 100) */
	g_assert_cmpint(sig_edit(body, n, 7, 0x80 | 100), ==, -ENOPKG);
	/* made non-critical unknown: the issuer fpr goes, the issuer stays */
	g_assert_cmpint(sig_edit(body, n, 7, 100), ==, 0);
	/* a subpacket length of 0 */
	g_assert_cmpint(sig_edit(body, n, 6, 0), ==, -EBADMSG);
	/*
	 * A non-critical unknown subpacket with a 5-octet length in front of
	 * the hashed area: fine while sig_data fits its room, -E2BIG after.
	 */
	g_assert_cmpint(sig_with_big_subpacket(body, n, 100), ==, 0);
	g_assert_cmpint(sig_with_big_subpacket(body, n,
					       PGP_UMD_SIG_DATA_MAX - 12 -
					       hashed), ==, 0);
	g_assert_cmpint(sig_with_big_subpacket(body, n,
					       PGP_UMD_SIG_DATA_MAX - 12 -
					       hashed + 1), ==, -E2BIG);
	g_array_unref(pk);
	g_bytes_unref(b);
}

/* ---- Keys, edited ----------------------------------------------------- */

/* rsa2048.key with its first User ID replaced by uid (uid_len octets). */
static int key_with_uid(const char *uid, size_t uid_len)
{
	GBytes *b = load("rsa2048.key");
	const uint8_t *p = g_bytes_get_data(b, NULL);
	GArray *pk = packets(p, g_bytes_get_size(b));
	struct pgp_umd_key_reply r;
	GByteArray *a = g_byte_array_new();
	unsigned int i;
	int done = 0, ret;

	for (i = 0; i < pk->len; i++) {
		struct pkt k = g_array_index(pk, struct pkt, i);
		uint8_t h[3] = { 0xcd, (uint8_t)(((uid_len - 192) >> 8) + 192),
				 (uint8_t)(uid_len - 192) };

		if (k.tag == 13 && !done) {
			done = 1;
			if (uid_len < 192) {
				h[1] = (uint8_t)uid_len;
				g_byte_array_append(a, h, 2);
			} else {
				g_byte_array_append(a, h, 3);
			}
			g_byte_array_append(a, (const uint8_t *)uid, uid_len);
			continue;
		}
		g_byte_array_append(a, p + k.off, k.hlen + k.len);
	}
	ret = parse_key(a->data, a->len, &r);
	if (!ret) {
		g_assert_cmpuint(r.uid_len, ==, uid_len);
		g_assert_true(!memcmp(r.uid, uid, uid_len));
		g_assert_cmpuint(r.uid[uid_len], ==, 0);
	}
	g_byte_array_unref(a);
	g_array_unref(pk);
	g_bytes_unref(b);
	return ret;
}

static void test_key_fields(void)
{
	char uid[400];

	memset(uid, 'u', sizeof(uid));
	g_assert_cmpint(key_with_uid(uid, 255), ==, 0);
	g_assert_cmpint(key_with_uid(uid, 256), ==, -E2BIG);
	g_assert_cmpint(key_with_uid(uid, 400), ==, -E2BIG);
	g_assert_cmpint(key_with_uid(uid, 0), ==, 0);
	uid[3] = 0;
	g_assert_cmpint(key_with_uid(uid, 10), ==, -EBADMSG);
}

/*
 * rsa2048.key edited: the packet at index i (a signature) changed by edit,
 * and, if dup, a changed copy inserted after the original instead.
 */
typedef void (*sig_editor)(uint8_t *body, size_t len);

static int key_edited(int (*pick)(const GArray *pk, const uint8_t *p),
		      sig_editor edit, int dup, struct pgp_umd_key_reply *r)
{
	GBytes *b = load("rsa2048.key");
	const uint8_t *p = g_bytes_get_data(b, NULL);
	GArray *pk = packets(p, g_bytes_get_size(b));
	GByteArray *a = g_byte_array_new();
	int i, target = pick(pk, p), ret;

	g_assert_cmpint(target, >=, 0);
	for (i = 0; i < (int)pk->len; i++) {
		struct pkt k = g_array_index(pk, struct pkt, i);
		size_t at = a->len;

		g_byte_array_append(a, p + k.off, k.hlen + k.len);
		if (i != target)
			continue;
		g_assert_cmpuint(k.tag, ==, 2);
		if (dup) {
			at = a->len;
			g_byte_array_append(a, p + k.off, k.hlen + k.len);
		}
		edit(a->data + at + k.hlen, k.len);
	}
	ret = parse_key(a->data, a->len, r);
	g_byte_array_unref(a);
	g_array_unref(pk);
	g_bytes_unref(b);
	return ret;
}

/* The signature right after the first subkey: its binding. */
static int pick_binding(const GArray *pk, const uint8_t *p G_GNUC_UNUSED)
{
	unsigned int i;

	for (i = 0; i + 1 < pk->len; i++)
		if (g_array_index(pk, struct pkt, i).tag == 14)
			return (int)i + 1;
	return -1;
}

/* The first signature after the first User ID: a self-certification. */
static int pick_uid_sig(const GArray *pk, const uint8_t *p G_GNUC_UNUSED)
{
	unsigned int i;

	for (i = 0; i + 1 < pk->len; i++)
		if (g_array_index(pk, struct pkt, i).tag == 13)
			return (int)i + 1;
	return -1;
}

static void make_revocation(uint8_t *body, size_t len G_GNUC_UNUSED)
{
	body[1] = 0x28;			/* subkey revocation */
}

/* The first subpacket of a type, in the hashed or unhashed area, retyped. */
static void retype(uint8_t *body, size_t len, int hashed, uint8_t from,
		   uint8_t to)
{
	size_t o = 6 + ((size_t)body[4] << 8 | body[5]), end, n;

	g_assert_cmpuint(o + 2, <=, len);
	if (hashed) {
		end = o;
		o = 6;
	} else {
		end = o + 2 + ((size_t)body[o] << 8 | body[o + 1]);
		o += 2;
	}
	g_assert_cmpuint(end, <=, len);
	while (o < end) {
		if (body[o] < 192) {
			n = body[o];
			o += 1;
		} else {
			g_assert_cmpuint(body[o], <, 255);
			n = ((size_t)(body[o] - 192) << 8) + body[o + 1] + 192;
			o += 2;
		}
		if ((body[o] & 0x7f) == from) {
			body[o] = to;
			return;
		}
		o += n;
	}
	g_assert_not_reached();
}

static void drop_backsig(uint8_t *body, size_t len)
{
	retype(body, len, 0, 32, 100);	/* gpg has it in the unhashed area */
}

static void critical_unknown(uint8_t *body, size_t len)
{
	retype(body, len, 1, 27, 0x80 | 100);
}

static void test_key_sigs(void)
{
	struct pgp_umd_key_reply full, r;

	g_assert_cmpint(parse_key_file("rsa2048.key", &full), ==, 0);
	g_assert_cmpuint(full.nkeys, ==, 2);
	/* the signing subkey twice (with its binding) */
	{
		GBytes *b = load("p256.key");
		const uint8_t *p = g_bytes_get_data(b, NULL);
		size_t n = g_bytes_get_size(b);
		GArray *pk = packets(p, n);
		int i = pick_binding(pk, p);
		struct pkt k = g_array_index(pk, struct pkt, i - 1);
		struct pkt sig = g_array_index(pk, struct pkt, i);
		size_t extra = sig.off + sig.hlen + sig.len - k.off;
		uint8_t *two = g_malloc(n + extra);

		memcpy(two, p, n);
		memcpy(two + n, p + k.off, extra);
		g_assert_cmpint(parse_key(two, n, &r), ==, 0);
		g_assert_cmpuint(r.nkeys, ==, 2);
		g_assert_cmpint(parse_key(two, n + extra, &r), ==, -EBADMSG);
		g_free(two);
		g_array_unref(pk);
		g_bytes_unref(b);
	}
	/* a revoked signing subkey is not returned */
	g_assert_cmpint(key_edited(pick_binding, make_revocation, 1, &r), ==, 0);
	g_assert_cmpuint(r.nkeys, ==, 1);
	g_assert_true(!memcmp(&r.keys[0], &full.keys[0], sizeof(r.keys[0])));
	/* nor one without its back signature (not cross-certified) */
	g_assert_cmpint(key_edited(pick_binding, drop_backsig, 0, &r), ==, 0);
	g_assert_cmpuint(r.nkeys, ==, 1);
	/* a critical subpacket the parser does not know, in a self-sig */
	g_assert_cmpint(key_edited(pick_uid_sig, critical_unknown, 0, &r), ==,
			-ENOPKG);
	/* a key gpg revoked (its own revocation certificate imported) */
	g_assert_cmpint(parse_key_file("revoked.key", &r), ==, 0);
	g_assert_cmpuint(r.nkeys, ==, 1);
	g_assert_cmpuint(r.keys[0].flags, ==, PGP_UMD_KEY_PRIMARY);
	/* three signing subkeys fill the reply, a fourth is too many */
	g_assert_cmpint(parse_key_file("many3.key", &r), ==, 0);
	g_assert_cmpuint(r.nkeys, ==, PGP_UMD_KEYS_MAX);
	g_assert_cmpint(parse_key_file("many4.key", &r), ==, -E2BIG);
	/* and a certify-only primary with a signing subkey */
	g_assert_cmpint(parse_key_file("certonly.key", &r), ==, 0);
	g_assert_cmpuint(r.nkeys, ==, 2);
	g_assert_cmpuint(r.keys[0].flags, ==, PGP_UMD_KEY_PRIMARY);
	g_assert_cmpuint(r.keys[1].flags, ==, PGP_UMD_KEY_CAN_SIGN);
}

/* ---- Requests and the handler process --------------------------------- */

static void test_request(void)
{
	static struct pgp_umd_request req;
	static struct pgp_umd_reply reply;
	GBytes *b = load("p256.key");

	memcpy(req.data, g_bytes_get_data(b, NULL), g_bytes_get_size(b));
	req.cmd = PGP_UMD_PARSE_KEY;
	req.data_len = (uint32_t)g_bytes_get_size(b);
	pgp_parse_request(&req, &reply);
	g_assert_cmpint(reply.ret, ==, 0);
	g_assert_cmpuint(reply.cmd, ==, PGP_UMD_PARSE_KEY);
	g_assert_cmpuint(reply.key.nkeys, ==, 2);

	req.cmd = PGP_UMD_PARSE_SIG;
	pgp_parse_request(&req, &reply);
	g_assert_cmpint(reply.ret, ==, -EBADMSG);
	g_assert_cmpuint(reply.cmd, ==, PGP_UMD_PARSE_SIG);
	g_assert_true(all_zero(&reply.sig, sizeof(reply.sig)));

	req.cmd = 3;
	pgp_parse_request(&req, &reply);
	g_assert_cmpint(reply.ret, ==, -EINVAL);
	g_assert_cmpuint(reply.cmd, ==, 3);
	req.cmd = PGP_UMD_PARSE_KEY;
	req.data_len = 0;
	pgp_parse_request(&req, &reply);
	g_assert_cmpint(reply.ret, ==, -EINVAL);
	req.data_len = PGP_UMD_DATA_MAX + 1;
	pgp_parse_request(&req, &reply);
	g_assert_cmpint(reply.ret, ==, -EINVAL);
	req.data_len = UINT32_MAX;
	pgp_parse_request(&req, &reply);
	g_assert_cmpint(reply.ret, ==, -EINVAL);
	g_assert_true(all_zero(&reply.key, sizeof(reply.key)));
	g_bytes_unref(b);
}

static int xfer(int fd, void *buf, size_t len, int writing)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = writing ? write(fd, p, len) : read(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* pgp_umh as a process: the same replies as the parser's, then EOF ends it. */
static void test_handler(void)
{
	static struct pgp_umd_request req;
	static struct pgp_umd_reply reply, want;
	const char *files[] = { "rsa2048.asc", "p256-sub.sig", "ed25519.key" };
	const uint32_t cmds[] = { PGP_UMD_PARSE_KEY, PGP_UMD_PARSE_SIG,
				  PGP_UMD_PARSE_KEY };
	char *argv[] = { PGP_UMH_PATH, NULL };
	GError *err = NULL;
	int in, out, status;
	GPid pid;
	char c;
	unsigned int i;

	if (!g_spawn_async_with_pipes(NULL, argv, NULL,
				      G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
				      &pid, &in, &out, NULL, &err))
		g_error("%s", err->message);
	for (i = 0; i < G_N_ELEMENTS(files); i++) {
		GBytes *b = load(files[i]);

		memset(&req, 0, sizeof(req));
		req.cmd = cmds[i];
		req.data_len = (uint32_t)g_bytes_get_size(b);
		memcpy(req.data, g_bytes_get_data(b, NULL), req.data_len);
		pgp_parse_request(&req, &want);
		g_assert_cmpint(xfer(in, &req, sizeof(req), 1), ==, 0);
		g_assert_cmpint(xfer(out, &reply, sizeof(reply), 0), ==, 0);
		g_assert_true(!memcmp(&reply, &want, sizeof(reply)));
		g_bytes_unref(b);
	}
	g_assert_cmpint(want.ret, ==, -ENOPKG);
	close(in);
	g_assert_cmpint(read(out, &c, 1), ==, 0);
	close(out);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	g_spawn_close_pid(pid);
}

int main(int argc, char **argv)
{
	GError *err = NULL;
	int ret;

	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("pgp-parse-XXXXXX", &err);
	if (!dir)
		g_error("%s", err->message);
	{
		char *gen[] = { "bash", PGP_GEN_SCRIPT, dir, NULL };

		if (run_quiet(gen)) {
			char *log = g_build_filename(dir, "gpg.log", NULL);
			char *text = NULL;

			g_file_get_contents(log, &text, NULL, NULL);
			g_error("pgp-gen.sh failed: %s", text ? text : "");
		}
	}
	g_test_add_func("/pgp/sha1", test_sha1);
	g_test_add_func("/pgp/keys", test_keys);
	g_test_add_func("/pgp/sigs", test_sigs);
	g_test_add_func("/pgp/unsupported", test_unsupported);
	g_test_add_func("/pgp/truncated", test_truncated);
	g_test_add_func("/pgp/armor", test_armor);
	g_test_add_func("/pgp/headers", test_headers);
	g_test_add_func("/pgp/sig-fields", test_sig_fields);
	g_test_add_func("/pgp/key-fields", test_key_fields);
	g_test_add_func("/pgp/key-sigs", test_key_sigs);
	g_test_add_func("/pgp/request", test_request);
	g_test_add_func("/pgp/handler", test_handler);
	ret = g_test_run();
	{
		char *rm[] = { "rm", "-rf", dir, NULL };

		if (!getenv("PGP_TEST_KEEP"))
			run_quiet(rm);
		else
			g_printerr("kept %s\n", dir);
	}
	g_free(dir);
	return ret;
}
