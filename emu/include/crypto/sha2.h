/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umd-emu shim of <crypto/sha2.h>: the sizes only (the digests themselves
 * are crypto_alloc_shash("sha256") and its kin). Kind: duplicates.
 */
#ifndef _CRYPTO_SHA2_H_
#define _CRYPTO_SHA2_H_

#define SHA224_DIGEST_SIZE	28
#define SHA224_BLOCK_SIZE	64

#define SHA256_DIGEST_SIZE      32
#define SHA256_BLOCK_SIZE       64

#define SHA384_DIGEST_SIZE      48
#define SHA384_BLOCK_SIZE       128

#define SHA512_DIGEST_SIZE      64
#define SHA512_BLOCK_SIZE       128

#endif /* _CRYPTO_SHA2_H_ */
