/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PGP UMD handler's OpenPGP parser: pure functions from input bytes to
 * the reply of core/pgp/msgfmt.h, with no I/O and no allocation, so that
 * the handler, the unit tests and the fuzz target share them. What it
 * accepts and why is described atop pgp_parse.c.
 */
#ifndef UMD_EMU_PGP_PARSE_H
#define UMD_EMU_PGP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "msgfmt.h"

#define PGP_SHA1_SIZE	20

/*
 * Answer one request: *reply is overwritten whole; reply->cmd is the
 * request's, reply->ret 0 or the negative errno of msgfmt.h, and on an
 * error the union is all zero.
 */
void pgp_parse_request(const struct pgp_umd_request *req,
		       struct pgp_umd_reply *reply);

/*
 * A transferable public key, or one detached signature, binary or armored,
 * of len bytes (1 .. PGP_UMD_DATA_MAX, else -EINVAL). 0 or a negative
 * errno; *out is all zero on an error.
 */
int pgp_parse_key(const uint8_t *data, size_t len,
		  struct pgp_umd_key_reply *out);
int pgp_parse_sig(const uint8_t *data, size_t len,
		  struct pgp_umd_sig_reply *out);

/* SHA-1 (FIPS 180-4), for v4 fingerprints; exported for the tests. */
void pgp_sha1(const uint8_t *data, size_t len, uint8_t out[PGP_SHA1_SIZE]);

#endif /* UMD_EMU_PGP_PARSE_H */
