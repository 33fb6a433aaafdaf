/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware upgrade image (.pbfw, Documentation/firmware.md): a fixed
 * header, the kernel, the initramfs, a SHA-512 digest of everything
 * before it and an ECDSA P-256 signature of that digest.
 *
 * fwimg_parse() only checks the layout (pure C, no allocation);
 * fwimg_verify() also checks the digest and the signature (mbedtls).
 */
#ifndef PB_FWIMG_H
#define PB_FWIMG_H

#include <stddef.h>
#include <stdint.h>

#define FWIMG_MAGIC		"PBFW\x89\r\n\x1a"
#define FWIMG_MAGIC_LEN		8
#define FWIMG_FORMAT		1
#define FWIMG_HDR_SIZE		128
#define FWIMG_BUILD_ID_LEN	64
#define FWIMG_DIGEST_SIZE	64		/* SHA-512 */
#define FWIMG_SIG_HDR_SIZE	8		/* u32 type, u32 length */
#define FWIMG_SIG_ECDSA_P256_SHA512 1
#define FWIMG_SIG_MAX		72		/* DER ECDSA P-256 */
#define FWIMG_KERNEL_MAX	(16u << 20)
#define FWIMG_INITRD_MAX	(32u << 20)
/* nothing bigger is read at all */
#define FWIMG_FILE_MAX		((size_t)FWIMG_HDR_SIZE + FWIMG_KERNEL_MAX + \
				 FWIMG_INITRD_MAX + FWIMG_DIGEST_SIZE + \
				 FWIMG_SIG_HDR_SIZE + FWIMG_SIG_MAX)

enum fwimg_err {
	FWIMG_OK = 0,
	FWIMG_E_TRUNCATED,
	FWIMG_E_MAGIC,
	FWIMG_E_FORMAT,
	FWIMG_E_HEADER,
	FWIMG_E_OVERSIZED,
	FWIMG_E_NOSIG,
	FWIMG_E_SIGBLOCK,
	FWIMG_E_TRAILING,
	FWIMG_E_DIGEST,
	FWIMG_E_SIGNATURE,
	FWIMG_E_KEY,
	FWIMG_E_ARG,
};

struct fwimg_info {
	uint32_t format;
	uint32_t version[3];		/* major, minor, patch */
	uint64_t build_time;		/* seconds since the epoch, UTC */
	uint64_t kernel_size;
	uint64_t initrd_size;
	char build_id[FWIMG_BUILD_ID_LEN + 1];
	size_t kernel_off;
	size_t initrd_off;
	size_t digest_off;		/* = signed length */
	uint32_t sig_type;
	uint32_t sig_len;
	size_t sig_off;
	size_t total;
};

const char *fwimg_strerror(int err);

/* The header only: needs FWIMG_HDR_SIZE bytes. */
int fwimg_parse_header(const uint8_t *buf, size_t len, struct fwimg_info *fi);
/* The whole layout, exact size included; no cryptography. */
int fwimg_parse(const uint8_t *buf, size_t len, struct fwimg_info *fi);
/* fwimg_parse, then the digest, then the signature with a PEM or DER
 * public key (NUL-terminated if PEM, length including the NUL). */
int fwimg_verify(const uint8_t *buf, size_t len, const uint8_t *pubkey,
		 size_t keylen, struct fwimg_info *fi);

/* Header bytes for fi (version, build_time, sizes, build_id). */
int fwimg_write_header(uint8_t out[FWIMG_HDR_SIZE],
		       const struct fwimg_info *fi);

/* "MAJOR.MINOR.PATCH", each 0..999999: 0 or -1. */
int fwimg_parse_version(const char *s, uint32_t v[3]);
int fwimg_version_cmp(const uint32_t a[3], const uint32_t b[3]);

#endif
