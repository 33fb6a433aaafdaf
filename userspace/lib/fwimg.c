// SPDX-License-Identifier: GPL-2.0
/*
 * The .pbfw firmware upgrade image: layout checks (pure C), digest and
 * signature (mbedtls).  Layout, little-endian (Documentation/firmware.md):
 *
 *   0   magic "PBFW\x89\r\n\x1a"
 *   8   u32 format (1)         12  u32 header size (128)
 *   16  u32 major  20 u32 minor  24 u32 patch   28 u32 flags (0)
 *   32  u64 build time         40  u64 kernel size  48 u64 initramfs size
 *   56  build id, 64 bytes of printable ASCII, NUL-padded
 *   120 8 reserved bytes (0)
 *   128 kernel, initramfs
 *   then SHA-512 of every byte before it (64)
 *   then u32 signature type (1 = ECDSA P-256 over the SHA-512 digest),
 *        u32 signature length (1..72), the DER signature
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/pk.h>
#include <mbedtls/sha512.h>
#include <mbedtls/ecdsa.h>

#include "fwimg.h"

static const char *const errors[] = {
	[FWIMG_OK]		= "ok",
	[FWIMG_E_TRUNCATED]	= "truncated file",
	[FWIMG_E_MAGIC]		= "not a portbridge firmware image (bad magic)",
	[FWIMG_E_FORMAT]	= "unsupported image format version",
	[FWIMG_E_HEADER]	= "malformed image header",
	[FWIMG_E_OVERSIZED]	= "oversized image",
	[FWIMG_E_NOSIG]		= "missing signature",
	[FWIMG_E_SIGBLOCK]	= "malformed signature block",
	[FWIMG_E_TRAILING]	= "oversized file: data after the signature",
	[FWIMG_E_DIGEST]	= "wrong digest: the image is corrupt",
	[FWIMG_E_SIGNATURE]	= "bad signature: not signed by the trusted key",
	[FWIMG_E_KEY]		= "the verifying public key is unusable",
	[FWIMG_E_ARG]		= "bad argument",
};

const char *fwimg_strerror(int err)
{
	if (err < 0 || (size_t)err >= sizeof(errors) / sizeof(errors[0]) ||
	    !errors[err])
		return "unknown error";
	return errors[err];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

#define VERSION_PART_MAX 999999u

int fwimg_parse_header(const uint8_t *buf, size_t len, struct fwimg_info *fi)
{
	size_t i, n;

	memset(fi, 0, sizeof(*fi));
	if (len < FWIMG_HDR_SIZE)
		return FWIMG_E_TRUNCATED;
	if (memcmp(buf, FWIMG_MAGIC, FWIMG_MAGIC_LEN))
		return FWIMG_E_MAGIC;
	fi->format = get32(buf + 8);
	if (fi->format != FWIMG_FORMAT)
		return FWIMG_E_FORMAT;
	if (get32(buf + 12) != FWIMG_HDR_SIZE || get32(buf + 28) != 0)
		return FWIMG_E_HEADER;
	for (i = 0; i < 3; i++) {
		fi->version[i] = get32(buf + 16 + 4 * i);
		if (fi->version[i] > VERSION_PART_MAX)
			return FWIMG_E_HEADER;
	}
	fi->build_time = get64(buf + 32);
	fi->kernel_size = get64(buf + 40);
	fi->initrd_size = get64(buf + 48);
	/* printable ASCII, then only NULs */
	for (n = 0; n < FWIMG_BUILD_ID_LEN && buf[56 + n]; n++)
		if (buf[56 + n] < 0x21 || buf[56 + n] > 0x7e)
			return FWIMG_E_HEADER;
	for (i = n; i < FWIMG_BUILD_ID_LEN; i++)
		if (buf[56 + i])
			return FWIMG_E_HEADER;
	memcpy(fi->build_id, buf + 56, n);
	fi->build_id[n] = '\0';
	for (i = 120; i < FWIMG_HDR_SIZE; i++)
		if (buf[i])
			return FWIMG_E_HEADER;
	if (!fi->kernel_size || !fi->initrd_size)
		return FWIMG_E_HEADER;
	if (fi->kernel_size > FWIMG_KERNEL_MAX ||
	    fi->initrd_size > FWIMG_INITRD_MAX)
		return FWIMG_E_OVERSIZED;
	fi->kernel_off = FWIMG_HDR_SIZE;
	fi->initrd_off = fi->kernel_off + (size_t)fi->kernel_size;
	fi->digest_off = fi->initrd_off + (size_t)fi->initrd_size;
	return FWIMG_OK;
}

int fwimg_parse(const uint8_t *buf, size_t len, struct fwimg_info *fi)
{
	size_t sig_hdr;
	int rc;

	if (len > FWIMG_FILE_MAX) {
		memset(fi, 0, sizeof(*fi));
		return FWIMG_E_OVERSIZED;
	}
	rc = fwimg_parse_header(buf, len, fi);
	if (rc)
		return rc;
	if (len < fi->digest_off + FWIMG_DIGEST_SIZE)
		return FWIMG_E_TRUNCATED;
	sig_hdr = fi->digest_off + FWIMG_DIGEST_SIZE;
	if (len == sig_hdr)
		return FWIMG_E_NOSIG;
	if (len < sig_hdr + FWIMG_SIG_HDR_SIZE)
		return FWIMG_E_TRUNCATED;
	fi->sig_type = get32(buf + sig_hdr);
	fi->sig_len = get32(buf + sig_hdr + 4);
	if (fi->sig_type != FWIMG_SIG_ECDSA_P256_SHA512)
		return FWIMG_E_SIGBLOCK;
	if (!fi->sig_len || fi->sig_len > FWIMG_SIG_MAX)
		return FWIMG_E_SIGBLOCK;
	fi->sig_off = sig_hdr + FWIMG_SIG_HDR_SIZE;
	fi->total = fi->sig_off + fi->sig_len;
	if (len < fi->total)
		return FWIMG_E_TRUNCATED;
	if (len > fi->total)
		return FWIMG_E_TRAILING;
	return FWIMG_OK;
}

int fwimg_verify(const uint8_t *buf, size_t len, const uint8_t *pubkey,
		 size_t keylen, struct fwimg_info *fi)
{
	unsigned char digest[FWIMG_DIGEST_SIZE];
	mbedtls_pk_context pk;
	int rc;

	rc = fwimg_parse(buf, len, fi);
	if (rc)
		return rc;
	if (mbedtls_sha512(buf, fi->digest_off, digest, 0))
		return FWIMG_E_DIGEST;
	if (memcmp(digest, buf + fi->digest_off, sizeof(digest)))
		return FWIMG_E_DIGEST;
	mbedtls_pk_init(&pk);
	if (mbedtls_pk_parse_public_key(&pk, pubkey, keylen) ||
	    !mbedtls_pk_can_do(&pk, MBEDTLS_PK_ECDSA)) {
		mbedtls_pk_free(&pk);
		return FWIMG_E_KEY;
	}
	rc = mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA512, digest, sizeof(digest),
			       buf + fi->sig_off, fi->sig_len);
	mbedtls_pk_free(&pk);
	return rc ? FWIMG_E_SIGNATURE : FWIMG_OK;
}

int fwimg_write_header(uint8_t out[FWIMG_HDR_SIZE],
		       const struct fwimg_info *fi)
{
	size_t n = strlen(fi->build_id), i;

	if (n > FWIMG_BUILD_ID_LEN || !fi->kernel_size || !fi->initrd_size ||
	    fi->kernel_size > FWIMG_KERNEL_MAX ||
	    fi->initrd_size > FWIMG_INITRD_MAX)
		return FWIMG_E_ARG;
	for (i = 0; i < n; i++)
		if (fi->build_id[i] < 0x21 || fi->build_id[i] > 0x7e)
			return FWIMG_E_ARG;
	for (i = 0; i < 3; i++)
		if (fi->version[i] > VERSION_PART_MAX)
			return FWIMG_E_ARG;
	memset(out, 0, FWIMG_HDR_SIZE);
	memcpy(out, FWIMG_MAGIC, FWIMG_MAGIC_LEN);
	put32(out + 8, FWIMG_FORMAT);
	put32(out + 12, FWIMG_HDR_SIZE);
	for (i = 0; i < 3; i++)
		put32(out + 16 + 4 * i, fi->version[i]);
	put64(out + 32, fi->build_time);
	put64(out + 40, fi->kernel_size);
	put64(out + 48, fi->initrd_size);
	memcpy(out + 56, fi->build_id, n);
	return FWIMG_OK;
}

int fwimg_parse_version(const char *s, uint32_t v[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		unsigned long n = 0;
		int digits = 0;

		while (*s >= '0' && *s <= '9') {
			if (digits && n == 0)
				return -1;	/* no leading zeros */
			n = n * 10 + (unsigned long)(*s - '0');
			if (n > VERSION_PART_MAX)
				return -1;
			s++;
			digits++;
		}
		if (!digits)
			return -1;
		v[i] = (uint32_t)n;
		if (i < 2 && *s++ != '.')
			return -1;
	}
	return *s ? -1 : 0;
}

int fwimg_version_cmp(const uint32_t a[3], const uint32_t b[3])
{
	int i;

	for (i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}
