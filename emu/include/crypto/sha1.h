/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <crypto/sha1.h>: the sizes only (the digest itself is
 * crypto_alloc_shash("sha1")). Kind: duplicates.
 */
#ifndef _CRYPTO_SHA1_H
#define _CRYPTO_SHA1_H

#define SHA1_DIGEST_SIZE        20
#define SHA1_BLOCK_SIZE         64

#endif /* _CRYPTO_SHA1_H */
