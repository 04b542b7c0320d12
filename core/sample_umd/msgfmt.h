/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message format of the sample UMD, shared by its manager (kernel) and its
 * handler (user space): the request names one byte of the reply, which the
 * handler sets to 1.
 */
#ifndef _SAMPLE_UMH_MSGFMT_H
#define _SAMPLE_UMH_MSGFMT_H

#define SAMPLE_REPLY_SIZE (128 * 1024)

struct sample_request {
	uint32_t offset;
};

struct sample_reply {
	uint8_t data[SAMPLE_REPLY_SIZE];
};

#endif /* _SAMPLE_UMH_MSGFMT_H */
