// SPDX-License-Identifier: GPL-2.0
/*
 * OpenPGP parser of the PGP UMD handler (issue 16): turns the bytes of a
 * request into the reply of core/pgp/msgfmt.h. Plain C, no I/O, no
 * allocation, no crypto library; the one digest it computes is SHA-1, for
 * v4 fingerprints (a hash, not asymmetric crypto: the kernel does every
 * signature check itself).
 *
 * Every length is checked against what holds it: packet against input,
 * subpacket against its area, MPI against its packet, output against its
 * room in the reply. What is not supported is refused, never guessed at.
 * The decisions, in the order a parse meets them:
 *
 * Input
 *   - 1 .. PGP_UMD_DATA_MAX bytes and a known command, else -EINVAL.
 *   - Binary if the first byte has bit 7 set (every packet header does);
 *     otherwise ASCII armor, with nothing but blank lines before it.
 *
 * ASCII armor (RFC 4880 6, RFC 9580 6)
 *   - "-----BEGIN PGP PUBLIC KEY BLOCK-----" for a key, "-----BEGIN PGP
 *     SIGNATURE-----" for a signature; any other label -EBADMSG. Lines end
 *     in LF or CR LF; trailing spaces and tabs are ignored.
 *   - Armor headers "Key: value" are skipped (none changes the meaning of
 *     a key or a detached signature); a line without ": " before the blank
 *     line that ends them is -EBADMSG, as is a missing blank line.
 *   - Base64 lines: the alphabet only, no blank line inside, the whole a
 *     multiple of 4 characters, '=' padding only at its end, padding bits
 *     zero (canonical, as every encoder writes it).
 *   - The CRC24 line ("=" and 4 characters, right before the END line) is
 *     checked when present (mismatch: -EBADMSG); RFC 9580 made it optional,
 *     so a missing one is accepted.
 *   - The END line must name the BEGIN line's label; after it only blank
 *     lines.
 *
 * Packets (RFC 4880 4.2)
 *   - Old and new headers; new lengths of 1, 2 and 5 octets, old lengths
 *     of 1, 2 and 4 octets and the old indeterminate length (to the end of
 *     the input). Partial body lengths are refused with -EBADMSG: RFC 4880
 *     4.2.2.4 allows them for data packets only, never for keys or
 *     signatures, which are all this UMD takes. Tag 0: -EBADMSG.
 *   - A packet longer than what is left of the input: -EBADMSG.
 *
 * MPIs (RFC 4880 3.2)
 *   - A bit count that leaves bits set above it in the first octet is
 *     -EBADMSG; leading zero octets (a count larger than needed) are
 *     stripped, the value being unambiguous. A zero value, where a key or
 *     signature needs a positive one, is -EBADMSG.
 *
 * Keys (command PGP_UMD_PARSE_KEY, RFC 4880 11.1)
 *   - Exactly one transferable public key: a Public-Key packet first (a
 *     Secret-Key packet or a second Public-Key packet: -EBADMSG), then its
 *     signatures, User ID and User Attribute packets with theirs, then
 *     Subkey packets each with theirs, in that order. Trust (12), Marker
 *     (10), Padding (21) and the non-critical tags 40..63 of RFC 9580 are
 *     skipped; any other tag is -EBADMSG. At least one User ID is needed.
 *   - Key packets: version 4 only (2, 3, 5, 6: -ENOPKG; others: -EBADMSG).
 *     RSA (1, and 3 sign-only) as DER RSAPublicKey SEQUENCE { n, e };
 *     ECDSA (19) on NIST P-256 only (OID 1.2.840.10045.3.1.7) as its
 *     uncompressed point 0x04 || X || Y, 65 bytes (other prefix or size:
 *     -EBADMSG). Whether the point is on the curve is for the kernel's
 *     ECDSA to check. Nothing may follow the key material in the packet.
 *   - A primary key of any other algorithm (RSA encrypt-only 2, ElGamal
 *     16, DSA 17, ECDH 18, EdDSA 22, Ed25519 27, ..., or ECDSA on another
 *     curve) is -ENOPKG. A subkey of such an algorithm is skipped, its
 *     material not parsed past the algorithm octet: it is not returned.
 *   - Fingerprint: SHA-1 of 0x99, the 2-octet body length and the body;
 *     key ID: its last 8 octets (RFC 4880 12.2), for subkeys too.
 *   - Signatures inside a key are not verified here (no asymmetric crypto
 *     in the handler): a key is trusted as a whole by whoever adds it. A
 *     signature counts as a self-signature when its issuer (subpacket 16,
 *     or the low 64 bits of a v4 issuer fingerprint 33) is the primary's
 *     key ID; all others (third-party certifications) are ignored, as are
 *     v2 and v3 signatures, which carry no subpackets. A v5 or v6
 *     signature is -ENOPKG. Every v4 signature is still parsed, so a
 *     malformed one is -EBADMSG wherever it is.
 *   - The primary's flags and expiry come from its newest self-signature
 *     of type 0x10..0x13 (over a User ID) or 0x1F (direct key); without
 *     any: -EBADMSG. Key flags (27) and key expiration (9) are read from
 *     the hashed area only (the unhashed one is not signed); issuer and
 *     issuer fingerprint from both, and when both are present they must
 *     agree (-EBADMSG). A self-revocation (0x20) leaves the primary
 *     without PGP_UMD_KEY_CAN_SIGN; it is still keys[0].
 *   - keys[0] is the primary (PGP_UMD_KEY_PRIMARY, and CAN_SIGN when its
 *     self-signature has no key flags or flag 0x02). keys[1..] are the
 *     subkeys, in input order, that are: of a supported algorithm, bound
 *     by a subkey binding signature (0x18) of the primary (the newest
 *     one counts), not revoked by a subkey revocation (0x28) of the
 *     primary, able to sign by that binding's key flags (none, or 0x02),
 *     and cross-certified, i.e. the binding carries an embedded primary
 *     key binding signature (32, in either area: gpg puts it in the
 *     unhashed one, it is signed by the subkey itself), as gpg requires
 *     of signing subkeys: it keeps anyone from claiming somebody else's
 *     signing key as theirs. All other subkeys (encryption-only RSA,
 *     ECDH, ElGamal, ...) are skipped. More than PGP_UMD_KEYS_MAX - 1
 *     kept subkeys: -E2BIG. A kept subkey with the key ID of a key
 *     already in the reply: -EBADMSG (the kernel names keys by key ID).
 *   - expires is the key expiration time subpacket as it is: seconds
 *     after the key's creation, 0 for none.
 *   - The first User ID is returned, NUL-terminated; one of 256 octets or
 *     more is -E2BIG, one with a NUL inside -EBADMSG.
 *
 * Signatures (command PGP_UMD_PARSE_SIG, RFC 4880 5.2.3)
 *   - Exactly one Signature packet (tag 2), nothing after it; compressed
 *     data (8) is -ENOPKG, any other packet -EBADMSG.
 *   - Version 4 only (2, 3, 5, 6: -ENOPKG; others -EBADMSG). Types 0x00
 *     (binary) and 0x01 (text); any other type is not a signature of a
 *     document: -EBADMSG.
 *   - Public-key algorithm RSA (1, 3) or ECDSA (19), else -ENOPKG; hash
 *     SHA-256 (8), SHA-384 (9), SHA-512 (10), SHA-224 (11), else -ENOPKG
 *     (MD5, SHA-1, RIPEMD-160, SHA-3, unknown ones). Which curve an ECDSA
 *     signature is on is the key's: the kernel checks that the key it
 *     finds by issuer has the reply's algorithm.
 *   - Subpackets (RFC 4880 5.2.3.1): 1, 2 and 5 octet lengths, each
 *     within its area; a length 0 (no type) is -EBADMSG. Creation time
 *     (2) must be in the hashed area (-EBADMSG otherwise); creation time,
 *     signature expiration (3), key expiration (9) and key flags (27) are
 *     taken from the hashed area only and may appear there once (twice:
 *     -EBADMSG); their sizes are checked. Issuer (16, 8 octets) and issuer
 *     fingerprint (33, version 4 and 20 octets; another version: -ENOPKG)
 *     come from either area. A signature without either is -EBADMSG: the
 *     kernel could not find its key.
 *   - A critical subpacket this parser does not know is -ENOPKG (RFC 4880
 *     5.2.3.1: the signature must then be considered in error). Known:
 *     2, 3, 4, 9, 11, 16, 21, 22, 23, 24, 25, 27, 28, 29, 30, 32, 33, 34;
 *     the others only state preferences or comments that do not change
 *     what the signature covers or who made it.
 *   - sig_data is the v4 trailer exactly as hashed after the data: the
 *     packet's version, type, algorithms, hashed area length and hashed
 *     area, then 0x04 0xFF and that count as 4 octets big-endian
 *     (RFC 4880 5.2.4); too long for its room: -E2BIG.
 *   - RSA: exactly one MPI, returned as its octets (no leading zeros; the
 *     kernel pads it to the modulus size). ECDSA: exactly two MPIs r and
 *     s, returned as DER SEQUENCE { INTEGER r, INTEGER s }. Anything
 *     after them in the packet: -EBADMSG. expires is the signature
 *     expiration subpacket (seconds after creation, 0: none).
 *
 * Output larger than its room anywhere: -E2BIG.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "pgp_parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- SHA-1 --------------------------------------------------------- */

static uint32_t rol32(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol32(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

struct sha1_ctx {
	uint32_t h[5];
	uint64_t len;
	uint8_t buf[64];
	size_t fill;
};

static void sha1_init(struct sha1_ctx *c)
{
	static const uint32_t iv[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->fill = 0;
}

static void sha1_update(struct sha1_ctx *c, const uint8_t *p, size_t n)
{
	size_t take;

	c->len += n;
	while (n) {
		take = sizeof(c->buf) - c->fill;
		if (take > n)
			take = n;
		memcpy(c->buf + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill == sizeof(c->buf)) {
			sha1_block(c->h, c->buf);
			c->fill = 0;
		}
	}
}

static void sha1_final(struct sha1_ctx *c, uint8_t out[PGP_SHA1_SIZE])
{
	uint64_t bits = c->len * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (c->fill < 56 ? 56 : 120) - c->fill;
	int i;

	for (i = 0; i < 8; i++)
		pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(c, pad, padlen + 8);
	for (i = 0; i < 20; i++)
		out[i] = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

void pgp_sha1(const uint8_t *data, size_t len, uint8_t out[PGP_SHA1_SIZE])
{
	struct sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, data, len);
	sha1_final(&c, out);
}

/* ---- Reading ------------------------------------------------------- */

struct cur {
	const uint8_t *p;
	size_t len;
};

static int get_bytes(struct cur *c, size_t n, const uint8_t **p)
{
	if (n > c->len)
		return -EBADMSG;
	*p = c->p;
	c->p += n;
	c->len -= n;
	return 0;
}

static int get_u8(struct cur *c, uint8_t *v)
{
	const uint8_t *p;

	if (get_bytes(c, 1, &p))
		return -EBADMSG;
	*v = p[0];
	return 0;
}

static int get_be16(struct cur *c, uint32_t *v)
{
	const uint8_t *p;

	if (get_bytes(c, 2, &p))
		return -EBADMSG;
	*v = (uint32_t)p[0] << 8 | p[1];
	return 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int get_be32(struct cur *c, uint32_t *v)
{
	const uint8_t *p;

	if (get_bytes(c, 4, &p))
		return -EBADMSG;
	*v = be32(p);
	return 0;
}

/* An MPI's magnitude, leading zero octets stripped (n == 0: zero). */
static int get_mpi(struct cur *c, const uint8_t **p, size_t *n)
{
	uint32_t bits;
	size_t len;
	unsigned int top;

	if (get_be16(c, &bits) || get_bytes(c, (bits + 7) / 8, p))
		return -EBADMSG;
	len = (bits + 7) / 8;
	top = bits % 8;
	if (len && top && ((*p)[0] >> top))
		return -EBADMSG;	/* bits above the count */
	while (len && !(*p)[0]) {
		(*p)++;
		len--;
	}
	*n = len;
	return 0;
}

/* ---- Packets ------------------------------------------------------- */

struct packet {
	unsigned int tag;
	const uint8_t *body;
	size_t len;
};

static int next_packet(struct cur *c, struct packet *pkt)
{
	uint8_t h, a;
	uint32_t len;
	const uint8_t *p;

	if (get_u8(c, &h) || !(h & 0x80))
		return -EBADMSG;
	if (h & 0x40) {			/* new format */
		pkt->tag = h & 0x3f;
		if (get_u8(c, &a))
			return -EBADMSG;
		if (a < 192) {
			len = a;
		} else if (a < 224) {
			if (get_bytes(c, 1, &p))
				return -EBADMSG;
			len = ((uint32_t)(a - 192) << 8) + p[0] + 192;
		} else if (a == 255) {
			if (get_be32(c, &len))
				return -EBADMSG;
		} else {
			return -EBADMSG;	/* partial body length */
		}
	} else {
		pkt->tag = (h >> 2) & 0xf;
		switch (h & 3) {
		case 0:
			if (get_u8(c, &a))
				return -EBADMSG;
			len = a;
			break;
		case 1:
			if (get_be16(c, &len))
				return -EBADMSG;
			break;
		case 2:
			if (get_be32(c, &len))
				return -EBADMSG;
			break;
		default:		/* indeterminate: to the end */
			len = c->len;
			break;
		}
	}
	if (!pkt->tag)
		return -EBADMSG;
	if (get_bytes(c, len, &pkt->body))
		return -EBADMSG;
	pkt->len = len;
	return 0;
}

/* ---- Writing ------------------------------------------------------- */

struct out {
	uint8_t *p;
	size_t room;
	size_t len;
	int err;
};

static void put(struct out *o, const void *d, size_t n)
{
	if (o->err || n > o->room - o->len) {
		o->err = -E2BIG;
		return;
	}
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

static void put_u8(struct out *o, uint8_t v)
{
	put(o, &v, 1);
}

static size_t der_len_size(size_t n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
}

static void put_der_hdr(struct out *o, uint8_t tag, size_t n)
{
	put_u8(o, tag);
	if (n < 0x80) {
		put_u8(o, (uint8_t)n);
	} else if (n < 0x100) {
		put_u8(o, 0x81);
		put_u8(o, (uint8_t)n);
	} else if (n < 0x10000) {
		put_u8(o, 0x82);
		put_u8(o, (uint8_t)(n >> 8));
		put_u8(o, (uint8_t)n);
	} else {
		o->err = -E2BIG;
	}
}

/* Content size of a DER INTEGER of a positive magnitude without zeros. */
static size_t der_int_content(const uint8_t *m, size_t n)
{
	return n + (m[0] & 0x80 ? 1 : 0);
}

static size_t der_int_size(const uint8_t *m, size_t n)
{
	size_t c = der_int_content(m, n);

	return 1 + der_len_size(c) + c;
}

static void put_der_int(struct out *o, const uint8_t *m, size_t n)
{
	put_der_hdr(o, 0x02, der_int_content(m, n));
	if (m[0] & 0x80)
		put_u8(o, 0);
	put(o, m, n);
}

/* DER SEQUENCE { INTEGER a, INTEGER b }, both positive. */
static int put_der_pair(uint8_t *dst, size_t room, uint32_t *dst_len,
			const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	struct out o = { dst, room, 0, 0 };
	size_t content = der_int_size(a, an) + der_int_size(b, bn);

	put_der_hdr(&o, 0x30, content);
	put_der_int(&o, a, an);
	put_der_int(&o, b, bn);
	if (o.err)
		return o.err;
	*dst_len = (uint32_t)o.len;
	return 0;
}

/* ---- ASCII armor ---------------------------------------------------- */

#define CRC24_INIT	0xb704ceu
#define CRC24_POLY	0x1864cfbu

static uint32_t crc24(const uint8_t *p, size_t n)
{
	uint32_t crc = CRC24_INIT;
	int i;

	while (n--) {
		crc ^= (uint32_t)*p++ << 16;
		for (i = 0; i < 8; i++) {
			crc <<= 1;
			if (crc & 0x1000000)
				crc ^= CRC24_POLY;
		}
	}
	return crc & 0xffffff;
}

static int b64_value(uint8_t ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/*
 * Decode n base64 characters at src into dst (which may be src: output
 * never overtakes input). Strict: a multiple of 4, padding at the end
 * only, zero padding bits.
 */
static int b64_decode(const uint8_t *src, size_t n, uint8_t *dst,
		      size_t *dst_len)
{
	size_t i, o = 0;
	int v[4], j, pad;
	uint32_t acc;

	if (!n || n % 4)
		return -EBADMSG;
	for (i = 0; i < n; i += 4) {
		pad = 0;
		for (j = 0; j < 4; j++) {
			if (src[i + j] == '=' && i + 4 == n && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			v[j] = b64_value(src[i + j]);
			if (v[j] < 0 || pad)
				return -EBADMSG;
		}
		acc = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		      (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if ((pad == 1 && (acc & 0xff)) || (pad == 2 && (acc & 0xffff)))
			return -EBADMSG;	/* non-zero padding bits */
		dst[o++] = (uint8_t)(acc >> 16);
		if (pad < 2)
			dst[o++] = (uint8_t)(acc >> 8);
		if (pad < 1)
			dst[o++] = (uint8_t)acc;
	}
	*dst_len = o;
	return 0;
}

/* The next line without its end (LF, CR LF) and trailing blanks. */
static int next_line(struct cur *c, const uint8_t **line, size_t *n)
{
	const uint8_t *nl;
	size_t len;

	if (!c->len)
		return -1;
	nl = memchr(c->p, '\n', c->len);
	len = nl ? (size_t)(nl - c->p) : c->len;
	*line = c->p;
	c->p += len + (nl ? 1 : 0);
	c->len -= len + (nl ? 1 : 0);
	while (len && ((*line)[len - 1] == '\r' ||
		       (*line)[len - 1] == ' ' || (*line)[len - 1] == '\t'))
		len--;
	*n = len;
	return 0;
}

static int line_is(const uint8_t *line, size_t n, const char *a,
		   const char *label)
{
	size_t al = strlen(a), ll = strlen(label);

	return n == al + ll + 5 && !memcmp(line, a, al) &&
	       !memcmp(line + al, label, ll) &&
	       !memcmp(line + al + ll, "-----", 5);
}

/*
 * Dearmor in into out (room PGP_UMD_DATA_MAX, at least in_len): the
 * decoded bytes and their count. The base64 characters are gathered in
 * out first, then decoded in place.
 */
static int dearmor(const uint8_t *in, size_t in_len, const char *label,
		   uint8_t *out, size_t *out_len)
{
	struct cur c = { in, in_len };
	const uint8_t *line, *colon;
	uint8_t crc_bytes[4];
	size_t n, i, chars = 0, crc_len;
	int have_crc = 0, ret;
	uint32_t want;

	do {				/* blank lines, then BEGIN */
		if (next_line(&c, &line, &n))
			return -EBADMSG;
	} while (!n);
	if (!line_is(line, n, "-----BEGIN PGP ", label))
		return -EBADMSG;
	for (;;) {			/* armor headers up to a blank line */
		if (next_line(&c, &line, &n))
			return -EBADMSG;
		if (!n)
			break;
		colon = memchr(line, ':', n);
		if (!colon || colon == line || colon + 1 == line + n ||
		    colon[1] != ' ')
			return -EBADMSG;
	}
	for (;;) {			/* base64, CRC, END */
		if (next_line(&c, &line, &n) || !n)
			return -EBADMSG;
		if (line[0] == '-')
			break;
		if (have_crc)
			return -EBADMSG;	/* data after the CRC */
		if (line[0] == '=') {
			if (n != 5)
				return -EBADMSG;
			memcpy(crc_bytes, line + 1, 4);
			have_crc = 1;
			continue;
		}
		for (i = 0; i < n; i++) {
			if (b64_value(line[i]) < 0 && line[i] != '=')
				return -EBADMSG;
			out[chars++] = line[i];
		}
	}
	if (!line_is(line, n, "-----END PGP ", label))
		return -EBADMSG;
	while (!next_line(&c, &line, &n))	/* blank lines only after */
		if (n)
			return -EBADMSG;
	ret = b64_decode(out, chars, out, out_len);
	if (ret)
		return ret;
	if (have_crc) {
		uint8_t crc[3];

		if (b64_decode(crc_bytes, 4, crc, &crc_len) || crc_len != 3)
			return -EBADMSG;
		want = (uint32_t)crc[0] << 16 | (uint32_t)crc[1] << 8 | crc[2];
		if (want != crc24(out, *out_len))
			return -EBADMSG;
	}
	return 0;
}

/*
 * The packets of data: data itself if binary, else decoded into buf
 * (PGP_UMD_DATA_MAX bytes).
 */
static int get_packets(const uint8_t *data, size_t len, const char *label,
		       uint8_t *buf, struct cur *c)
{
	size_t n;
	int ret;

	if (!len || len > PGP_UMD_DATA_MAX)
		return -EINVAL;
	if (data[0] & 0x80) {
		c->p = data;
		c->len = len;
		return 0;
	}
	ret = dearmor(data, len, label, buf, &n);
	if (ret)
		return ret;
	c->p = buf;
	c->len = n;
	return 0;
}

/* ---- Signatures ----------------------------------------------------- */

#define PGP_SIG_V4_HDR	6	/* version, type, algos, hashed length */

struct sig_info {
	uint8_t version, type, pk_algo, hash_algo;
	const uint8_t *hashed;		/* version .. end of hashed area */
	size_t hashed_len;
	uint8_t prefix[2];
	struct cur mpis;		/* the rest of the packet */
	uint32_t created, sig_expires, key_expires;
	uint8_t key_flags;
	unsigned int has_created : 1, has_sig_expires : 1,
		     has_key_expires : 1, has_key_flags : 1, has_issuer : 1,
		     has_fpr : 1, fpr_unsupported : 1, crit_unknown : 1,
		     has_backsig : 1;
	uint8_t issuer[PGP_UMD_KEYID_SIZE];
	uint8_t fpr[PGP_UMD_FPR_SIZE];
};

/* Subpackets whose meaning we know, or know not to matter here. */
static int subpkt_known(unsigned int type)
{
	static const uint8_t known[] = {
		2, 3, 4, 9, 11, 16, 21, 22, 23, 24, 25, 27, 28, 29, 30, 32,
		33, 34,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (known[i] == type)
			return 1;
	return 0;
}

static int get_u32_once(const uint8_t *d, size_t n, int hashed,
			uint32_t *v, int *seen)
{
	if (n != 4)
		return -EBADMSG;
	if (!hashed)
		return 0;
	if (*seen)
		return -EBADMSG;
	*seen = 1;
	*v = be32(d);
	return 0;
}

static int parse_subpackets(const uint8_t *area, size_t len, int hashed,
			    struct sig_info *si)
{
	struct cur c = { area, len };
	const uint8_t *d, *p;
	uint32_t n;
	uint8_t a, type;
	int seen, ret;

	while (c.len) {
		if (get_u8(&c, &a))
			return -EBADMSG;
		if (a < 192) {
			n = a;
		} else if (a < 255) {
			if (get_bytes(&c, 1, &p))
				return -EBADMSG;
			n = ((uint32_t)(a - 192) << 8) + p[0] + 192;
		} else if (get_be32(&c, &n)) {
			return -EBADMSG;
		}
		if (!n || get_bytes(&c, n, &d))
			return -EBADMSG;
		type = d[0] & 0x7f;
		d++;
		n--;
		ret = 0;
		switch (type) {
		case 2:
			seen = si->has_created;
			ret = get_u32_once(d, n, hashed, &si->created, &seen);
			si->has_created = seen;
			break;
		case 3:
			seen = si->has_sig_expires;
			ret = get_u32_once(d, n, hashed, &si->sig_expires,
					   &seen);
			si->has_sig_expires = seen;
			break;
		case 9:
			seen = si->has_key_expires;
			ret = get_u32_once(d, n, hashed, &si->key_expires,
					   &seen);
			si->has_key_expires = seen;
			break;
		case 27:
			if (!hashed)
				break;
			if (si->has_key_flags)
				return -EBADMSG;
			si->has_key_flags = 1;
			si->key_flags = n ? d[0] : 0;
			break;
		case 16:
			if (n != PGP_UMD_KEYID_SIZE)
				return -EBADMSG;
			if (si->has_issuer && memcmp(si->issuer, d, n))
				return -EBADMSG;
			memcpy(si->issuer, d, n);
			si->has_issuer = 1;
			break;
		case 33:
			if (!n)
				return -EBADMSG;
			if (d[0] != 4) {
				si->fpr_unsupported = 1;
				break;
			}
			if (n != 1 + PGP_UMD_FPR_SIZE)
				return -EBADMSG;
			if (si->has_fpr && memcmp(si->fpr, d + 1, n - 1))
				return -EBADMSG;
			memcpy(si->fpr, d + 1, n - 1);
			si->has_fpr = 1;
			break;
		case 32:
			si->has_backsig = 1;
			break;
		default:
			if ((d[-1] & 0x80) && !subpkt_known(type))
				si->crit_unknown = 1;
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A signature packet's fields. v2/v3 give -ENOPKG with si->version set
 * (a key skips them); everything else but v4 is refused.
 */
static int parse_sig_packet(const uint8_t *body, size_t len,
			    struct sig_info *si)
{
	struct cur c = { body, len };
	const uint8_t *area, *p;
	uint32_t n;
	int ret;

	memset(si, 0, sizeof(*si));
	if (get_u8(&c, &si->version))
		return -EBADMSG;
	if (si->version >= 2 && si->version <= 6 && si->version != 4)
		return -ENOPKG;
	if (si->version != 4)
		return -EBADMSG;
	if (get_u8(&c, &si->type) || get_u8(&c, &si->pk_algo) ||
	    get_u8(&c, &si->hash_algo) || get_be16(&c, &n) ||
	    get_bytes(&c, n, &area))
		return -EBADMSG;
	si->hashed = body;
	si->hashed_len = PGP_SIG_V4_HDR + n;
	ret = parse_subpackets(area, n, 1, si);
	if (ret)
		return ret;
	if (get_be16(&c, &n) || get_bytes(&c, n, &area))
		return -EBADMSG;
	ret = parse_subpackets(area, n, 0, si);
	if (ret)
		return ret;
	if (get_bytes(&c, 2, &p))
		return -EBADMSG;
	memcpy(si->prefix, p, 2);
	si->mpis = c;
	if (!si->has_created)
		return -EBADMSG;
	if (si->has_issuer && si->has_fpr &&
	    memcmp(si->issuer, si->fpr + PGP_UMD_FPR_SIZE - PGP_UMD_KEYID_SIZE,
		   PGP_UMD_KEYID_SIZE))
		return -EBADMSG;
	if (!si->has_issuer && si->has_fpr) {
		memcpy(si->issuer,
		       si->fpr + PGP_UMD_FPR_SIZE - PGP_UMD_KEYID_SIZE,
		       PGP_UMD_KEYID_SIZE);
		si->has_issuer = 1;
	}
	return 0;
}

/* The reply's hash algorithm, 0 if unsupported. */
static uint32_t map_hash(uint8_t algo)
{
	switch (algo) {
	case 8:
		return PGP_UMD_HASH_SHA256;
	case 9:
		return PGP_UMD_HASH_SHA384;
	case 10:
		return PGP_UMD_HASH_SHA512;
	case 11:
		return PGP_UMD_HASH_SHA224;
	default:
		return 0;
	}
}

static int sig_from_packet(const struct packet *pkt,
			   struct pgp_umd_sig_reply *out)
{
	struct sig_info si;
	struct out o;
	const uint8_t *r, *s;
	size_t rn, sn;
	uint32_t sig_len;
	int ret;

	ret = parse_sig_packet(pkt->body, pkt->len, &si);
	if (ret)
		return ret;
	if (si.type != PGP_UMD_SIG_BINARY && si.type != PGP_UMD_SIG_TEXT)
		return -EBADMSG;
	if (si.pk_algo == 1 || si.pk_algo == 3)
		out->pkey_algo = PGP_UMD_PKEY_RSA;
	else if (si.pk_algo == 19)
		out->pkey_algo = PGP_UMD_PKEY_ECDSA_P256;
	else
		return -ENOPKG;
	out->hash_algo = map_hash(si.hash_algo);
	if (!out->hash_algo)
		return -ENOPKG;
	if (si.crit_unknown || si.fpr_unsupported)
		return -ENOPKG;
	if (!si.has_issuer)
		return -EBADMSG;
	out->sig_type = si.type;
	out->created = si.created;
	out->expires = si.has_sig_expires ? si.sig_expires : 0;
	memcpy(out->issuer_id, si.issuer, PGP_UMD_KEYID_SIZE);
	out->has_issuer_fpr = si.has_fpr;
	if (si.has_fpr)
		memcpy(out->issuer_fpr, si.fpr, PGP_UMD_FPR_SIZE);
	memcpy(out->hash_prefix, si.prefix, 2);

	if (get_mpi(&si.mpis, &r, &rn) || !rn)
		return -EBADMSG;
	if (out->pkey_algo == PGP_UMD_PKEY_RSA) {
		if (si.mpis.len)
			return -EBADMSG;
		if (rn > sizeof(out->sig))
			return -E2BIG;
		memcpy(out->sig, r, rn);
		out->sig_len = (uint32_t)rn;
	} else {
		if (get_mpi(&si.mpis, &s, &sn) || !sn || si.mpis.len)
			return -EBADMSG;
		ret = put_der_pair(out->sig, sizeof(out->sig), &sig_len,
				   r, rn, s, sn);
		if (ret)
			return ret;
		out->sig_len = sig_len;
	}

	o = (struct out){ out->sig_data, sizeof(out->sig_data), 0, 0 };
	put(&o, si.hashed, si.hashed_len);
	put_u8(&o, 4);
	put_u8(&o, 0xff);
	put_u8(&o, (uint8_t)(si.hashed_len >> 24));
	put_u8(&o, (uint8_t)(si.hashed_len >> 16));
	put_u8(&o, (uint8_t)(si.hashed_len >> 8));
	put_u8(&o, (uint8_t)si.hashed_len);
	if (o.err)
		return o.err;
	out->sig_data_len = (uint32_t)o.len;
	return 0;
}

int pgp_parse_sig(const uint8_t *data, size_t len,
		  struct pgp_umd_sig_reply *out)
{
	uint8_t buf[PGP_UMD_DATA_MAX];
	struct packet pkt;
	struct cur c;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = get_packets(data, len, "SIGNATURE", buf, &c);
	if (!ret)
		ret = next_packet(&c, &pkt);
	if (!ret && pkt.tag != 2)
		ret = pkt.tag == 8 ? -ENOPKG : -EBADMSG;
	if (!ret && c.len)
		ret = -EBADMSG;		/* one signature only */
	if (!ret)
		ret = sig_from_packet(&pkt, out);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

/* ---- Keys ----------------------------------------------------------- */

static const uint8_t oid_p256[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
};

/*
 * A v4 key packet (primary or subkey) into *k: -ENOPKG for an algorithm
 * or curve the UMD does not support (the caller decides whether that
 * refuses the key or skips a subkey).
 */
static int parse_key_packet(const struct packet *pkt, struct pgp_umd_key *k)
{
	struct cur c = { pkt->body, pkt->len };
	const uint8_t *n, *e, *oid, *pt;
	size_t nn, en, ptn;
	uint8_t version, algo, oid_len, hdr[3];
	uint32_t created, der_len;
	struct sha1_ctx sha;
	int ret;

	if (get_u8(&c, &version))
		return -EBADMSG;
	if (version >= 2 && version <= 6 && version != 4)
		return -ENOPKG;
	if (version != 4)
		return -EBADMSG;
	if (get_be32(&c, &created) || get_u8(&c, &algo))
		return -EBADMSG;
	k->created = created;

	/* The fingerprint, whatever the algorithm (pkt->len <= 8192). */
	hdr[0] = 0x99;
	hdr[1] = (uint8_t)(pkt->len >> 8);
	hdr[2] = (uint8_t)pkt->len;
	sha1_init(&sha);
	sha1_update(&sha, hdr, sizeof(hdr));
	sha1_update(&sha, pkt->body, pkt->len);
	sha1_final(&sha, k->fingerprint);
	memcpy(k->key_id, k->fingerprint + PGP_UMD_FPR_SIZE - PGP_UMD_KEYID_SIZE,
	       PGP_UMD_KEYID_SIZE);

	switch (algo) {
	case 1:
	case 3:
		if (get_mpi(&c, &n, &nn) || get_mpi(&c, &e, &en) || !nn ||
		    !en || c.len)
			return -EBADMSG;
		k->pkey_algo = PGP_UMD_PKEY_RSA;
		ret = put_der_pair(k->pub_key, sizeof(k->pub_key), &der_len,
				   n, nn, e, en);
		if (ret)
			return ret;
		k->pub_key_len = der_len;
		return 0;
	case 19:
		if (get_u8(&c, &oid_len) || !oid_len || oid_len == 0xff ||
		    get_bytes(&c, oid_len, &oid))
			return -EBADMSG;
		if (oid_len != sizeof(oid_p256) ||
		    memcmp(oid, oid_p256, sizeof(oid_p256)))
			return -ENOPKG;
		if (get_mpi(&c, &pt, &ptn) || c.len || ptn != 65 ||
		    pt[0] != 0x04)
			return -EBADMSG;
		k->pkey_algo = PGP_UMD_PKEY_ECDSA_P256;
		memcpy(k->pub_key, pt, ptn);
		k->pub_key_len = (uint32_t)ptn;
		return 0;
	default:
		return -ENOPKG;
	}
}

/* What the newest self-signature of a kind says. */
struct selfsig {
	int have;
	uint32_t created, expires;
	uint8_t flags;
	int has_flags, has_backsig;
};

static void selfsig_take(struct selfsig *s, const struct sig_info *si)
{
	if (s->have && si->created < s->created)
		return;
	s->have = 1;
	s->created = si->created;
	s->expires = si->has_key_expires ? si->key_expires : 0;
	s->flags = si->key_flags;
	s->has_flags = si->has_key_flags;
	s->has_backsig = si->has_backsig;
}

static int selfsig_can_sign(const struct selfsig *s)
{
	return !s->has_flags || (s->flags & 0x02);
}

struct subkey {
	int present, usable, revoked, err;
	struct selfsig bind;
	struct pgp_umd_key key;
};

/* Add the pending subkey to the reply if it may sign for the primary. */
static int subkey_done(struct subkey *sk, struct pgp_umd_key_reply *out)
{
	uint32_t i;

	if (!sk->present || sk->revoked || !sk->bind.have ||
	    !sk->bind.has_backsig || !selfsig_can_sign(&sk->bind))
		return 0;
	if (!sk->usable)
		return sk->err;		/* -E2BIG, or 0: unsupported */
	for (i = 0; i < out->nkeys; i++)
		if (!memcmp(out->keys[i].key_id, sk->key.key_id,
			    PGP_UMD_KEYID_SIZE))
			return -EBADMSG;	/* the keyring's name twice */
	if (out->nkeys >= PGP_UMD_KEYS_MAX)
		return -E2BIG;
	sk->key.flags = PGP_UMD_KEY_CAN_SIGN;
	sk->key.expires = sk->bind.expires;
	out->keys[out->nkeys++] = sk->key;
	return 0;
}

enum key_part { AT_PRIMARY, AT_UID, AT_UATTR, AT_SUBKEY };

static int skip_tag(unsigned int tag)
{
	return tag == 10 || tag == 12 || tag == 21 || tag >= 40;
}

static int key_from_packets(struct cur *c, struct pgp_umd_key_reply *out)
{
	struct packet pkt;
	struct sig_info si;
	struct selfsig prim = { 0 };
	struct subkey sk;
	enum key_part at = AT_PRIMARY;
	int ret, revoked = 0, nuid = 0, self;

	memset(&sk, 0, sizeof(sk));
	ret = next_packet(c, &pkt);
	if (ret)
		return ret;
	if (pkt.tag != 6)
		return -EBADMSG;
	ret = parse_key_packet(&pkt, &out->keys[0]);
	if (ret)
		return ret;
	out->nkeys = 1;

	while (c->len) {
		ret = next_packet(c, &pkt);
		if (ret)
			return ret;
		switch (pkt.tag) {
		case 2:
			ret = parse_sig_packet(pkt.body, pkt.len, &si);
			if (ret == -ENOPKG && si.version < 4)
				break;		/* v2/v3: no subpackets */
			if (ret)
				return ret;
			self = si.has_issuer &&
			       !memcmp(si.issuer, out->keys[0].key_id,
				       PGP_UMD_KEYID_SIZE);
			if (!self)
				break;
			if (si.crit_unknown || si.fpr_unsupported)
				return -ENOPKG;
			if (at == AT_SUBKEY) {
				if (si.type == 0x18)
					selfsig_take(&sk.bind, &si);
				else if (si.type == 0x28)
					sk.revoked = 1;
			} else if (si.type == 0x20 && at == AT_PRIMARY) {
				revoked = 1;
			} else if ((si.type == 0x1f && at == AT_PRIMARY) ||
				   (si.type >= 0x10 && si.type <= 0x13 &&
				    at == AT_UID)) {
				selfsig_take(&prim, &si);
			}
			break;
		case 13:
			if (at == AT_SUBKEY)
				return -EBADMSG;
			at = AT_UID;
			if (nuid++)
				break;
			if (pkt.len >= PGP_UMD_UID_MAX)
				return -E2BIG;
			if (memchr(pkt.body, 0, pkt.len))
				return -EBADMSG;
			memcpy(out->uid, pkt.body, pkt.len);
			out->uid_len = (uint32_t)pkt.len;
			break;
		case 17:
			if (at == AT_SUBKEY)
				return -EBADMSG;
			at = AT_UATTR;
			break;
		case 14:
			ret = subkey_done(&sk, out);
			if (ret)
				return ret;
			memset(&sk, 0, sizeof(sk));
			sk.present = 1;
			ret = parse_key_packet(&pkt, &sk.key);
			if (ret == -E2BIG)
				sk.err = ret;	/* only if it is kept */
			else if (ret && ret != -ENOPKG)
				return ret;
			sk.usable = !ret;
			at = AT_SUBKEY;
			break;
		default:
			if (!skip_tag(pkt.tag))
				return -EBADMSG;
			break;
		}
	}
	ret = subkey_done(&sk, out);
	if (ret)
		return ret;
	if (!nuid || !prim.have)
		return -EBADMSG;
	out->keys[0].flags = PGP_UMD_KEY_PRIMARY;
	if (!revoked && selfsig_can_sign(&prim))
		out->keys[0].flags |= PGP_UMD_KEY_CAN_SIGN;
	out->keys[0].expires = prim.expires;
	return 0;
}

int pgp_parse_key(const uint8_t *data, size_t len,
		  struct pgp_umd_key_reply *out)
{
	uint8_t buf[PGP_UMD_DATA_MAX];
	struct cur c;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = get_packets(data, len, "PUBLIC KEY BLOCK", buf, &c);
	if (!ret)
		ret = key_from_packets(&c, out);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

/* ---- Requests -------------------------------------------------------- */

void pgp_parse_request(const struct pgp_umd_request *req,
		       struct pgp_umd_reply *reply)
{
	uint32_t len = req->data_len;
	int ret;

	memset(reply, 0, sizeof(*reply));
	reply->cmd = req->cmd;
	if (len < 1 || len > PGP_UMD_DATA_MAX) {
		reply->ret = -EINVAL;
		return;
	}
	switch (req->cmd) {
	case PGP_UMD_PARSE_KEY:
		ret = pgp_parse_key(req->data, len, &reply->key);
		break;
	case PGP_UMD_PARSE_SIG:
		ret = pgp_parse_sig(req->data, len, &reply->sig);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	reply->ret = ret;
}
