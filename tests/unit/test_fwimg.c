// SPDX-License-Identifier: GPL-2.0
/* The firmware upgrade image (.pbfw): layout, digest, signature, versions. */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha512.h>

#include "fwimg.h"
#include "unit.h"

/* Not random at all: good enough to make test keys and signatures. */
static int test_rng(void *ctx, unsigned char *out, size_t len)
{
	uint64_t *s = ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		*s ^= *s << 13;
		*s ^= *s >> 7;
		*s ^= *s << 17;
		out[i] = (unsigned char)*s;
	}
	return 0;
}

struct key {
	mbedtls_pk_context pk;
	unsigned char pub[512];	/* PEM, NUL-terminated */
	size_t publen;
};

static void make_key(struct key *k, uint64_t seed)
{
	uint64_t s = seed | 1;

	mbedtls_pk_init(&k->pk);
	CHECK(!mbedtls_pk_setup(&k->pk,
				mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)));
	CHECK(!mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1,
				   mbedtls_pk_ec(k->pk), test_rng, &s));
	CHECK(!mbedtls_pk_write_pubkey_pem(&k->pk, k->pub, sizeof(k->pub)));
	k->publen = strlen((char *)k->pub) + 1;
}

/* A signed image; *len is its size.  Caller frees. */
static uint8_t *make_image(struct key *k, const char *version, size_t klen,
			   size_t ilen, size_t *len)
{
	struct fwimg_info fi;
	unsigned char digest[FWIMG_DIGEST_SIZE];
	unsigned char sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	uint64_t s = 12345;
	size_t off, siglen, i;
	uint8_t *img;

	memset(&fi, 0, sizeof(fi));
	CHECK_INT(fwimg_parse_version(version, fi.version), 0);
	fi.build_time = 1764100000;
	fi.kernel_size = klen;
	fi.initrd_size = ilen;
	strcpy(fi.build_id, "unit-1");
	img = malloc(FWIMG_HDR_SIZE + klen + ilen + FWIMG_DIGEST_SIZE +
		     FWIMG_SIG_HDR_SIZE + sizeof(sig));
	CHECK(img);
	CHECK_INT(fwimg_write_header(img, &fi), 0);
	off = FWIMG_HDR_SIZE;
	for (i = 0; i < klen + ilen; i++)
		img[off++] = (uint8_t)(i * 7 + 1);
	CHECK(!mbedtls_sha512(img, off, digest, 0));
	memcpy(img + off, digest, sizeof(digest));
	off += sizeof(digest);
	CHECK(!mbedtls_pk_sign(&k->pk, MBEDTLS_MD_SHA512, digest,
			       sizeof(digest), sig, sizeof(sig), &siglen,
			       test_rng, &s));
	CHECK(siglen <= FWIMG_SIG_MAX);
	memset(img + off, 0, FWIMG_SIG_HDR_SIZE);
	img[off] = FWIMG_SIG_ECDSA_P256_SHA512;
	img[off + 4] = (uint8_t)siglen;
	off += FWIMG_SIG_HDR_SIZE;
	memcpy(img + off, sig, siglen);
	*len = off + siglen;
	return img;
}

static void test_good_image_verifies(void)
{
	struct fwimg_info fi;
	struct key k;
	size_t len;
	uint8_t *img;

	make_key(&k, 1);
	img = make_image(&k, "1.2.3", 1000, 3000, &len);
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_OK);
	CHECK_INT(fwimg_verify(img, len, k.pub, k.publen, &fi), FWIMG_OK);
	CHECK_INT(fi.version[0], 1);
	CHECK_INT(fi.version[1], 2);
	CHECK_INT(fi.version[2], 3);
	CHECK_INT(fi.build_time, 1764100000);
	CHECK_INT(fi.kernel_size, 1000);
	CHECK_INT(fi.initrd_size, 3000);
	CHECK_INT(fi.kernel_off, FWIMG_HDR_SIZE);
	CHECK_INT(fi.initrd_off, FWIMG_HDR_SIZE + 1000);
	CHECK_INT(fi.digest_off, FWIMG_HDR_SIZE + 4000);
	CHECK_INT(fi.total, len);
	CHECK_STR(fi.build_id, "unit-1");
	free(img);
	mbedtls_pk_free(&k.pk);
}

static void test_every_payload_bit_flip_is_a_wrong_digest(void)
{
	struct fwimg_info fi;
	struct key k;
	size_t len, i;
	uint8_t *img;

	make_key(&k, 2);
	img = make_image(&k, "1.0.0", 40, 24, &len);
	/* header and payload, all signed by the digest */
	for (i = 0; i < FWIMG_HDR_SIZE + 64; i++) {
		int rc;

		img[i] ^= 0x10;
		rc = fwimg_verify(img, len, k.pub, k.publen, &fi);
		/* a flipped header field may fail the layout first */
		CHECK(rc != FWIMG_OK);
		if (i >= FWIMG_HDR_SIZE || (i >= 56 && i < 60) ||
		    (i >= 16 && i < 18) || (i >= 32 && i < 40))
			CHECK_INT(rc, FWIMG_E_DIGEST);
		img[i] ^= 0x10;
	}
	/* the stored digest itself */
	img[FWIMG_HDR_SIZE + 64 + 5] ^= 1;
	CHECK_INT(fwimg_verify(img, len, k.pub, k.publen, &fi),
		  FWIMG_E_DIGEST);
	free(img);
	mbedtls_pk_free(&k.pk);
}

static void test_bad_and_foreign_signatures(void)
{
	struct fwimg_info fi;
	struct key k, other;
	size_t len;
	uint8_t *img;

	make_key(&k, 3);
	make_key(&other, 4);
	img = make_image(&k, "1.0.0", 10, 10, &len);
	CHECK_INT(fwimg_verify(img, len, other.pub, other.publen, &fi),
		  FWIMG_E_SIGNATURE);
	img[len - 3] ^= 0x01;
	CHECK_INT(fwimg_verify(img, len, k.pub, k.publen, &fi),
		  FWIMG_E_SIGNATURE);
	img[len - 3] ^= 0x01;
	CHECK_INT(fwimg_verify(img, len, k.pub, k.publen, &fi), FWIMG_OK);
	/* an unusable key */
	CHECK_INT(fwimg_verify(img, len, (const uint8_t *)"nope", 5, &fi),
		  FWIMG_E_KEY);
	free(img);
	mbedtls_pk_free(&k.pk);
	mbedtls_pk_free(&other.pk);
}

static void test_every_cut_is_refused(void)
{
	struct fwimg_info fi;
	struct key k;
	size_t len, n, sig_hdr;
	uint8_t *img;

	make_key(&k, 5);
	img = make_image(&k, "1.0.0", 20, 30, &len);
	sig_hdr = FWIMG_HDR_SIZE + 50 + FWIMG_DIGEST_SIZE;
	for (n = 0; n < len; n++) {
		int rc = fwimg_verify(img, n, k.pub, k.publen, &fi);

		if (n == sig_hdr)
			CHECK_INT(rc, FWIMG_E_NOSIG);
		else
			CHECK_INT(rc, FWIMG_E_TRUNCATED);
	}
	free(img);
	mbedtls_pk_free(&k.pk);
}

static void test_trailing_and_oversized(void)
{
	struct fwimg_info fi;
	struct key k;
	size_t len;
	uint8_t *img, *big;

	make_key(&k, 6);
	img = make_image(&k, "1.0.0", 20, 30, &len);
	big = calloc(1, len + 1);
	CHECK(big);
	memcpy(big, img, len);
	CHECK_INT(fwimg_verify(big, len + 1, k.pub, k.publen, &fi),
		  FWIMG_E_TRAILING);
	/* the file size alone */
	CHECK_INT(fwimg_parse(big, FWIMG_FILE_MAX + 1, &fi),
		  FWIMG_E_OVERSIZED);
	/* a header announcing too much */
	big[40 + 3] = 0x10;	/* kernel size += 256 MiB */
	CHECK_INT(fwimg_parse_header(big, len, &fi), FWIMG_E_OVERSIZED);
	big[40 + 3] = 0;
	big[48 + 2] = 0x01;
	big[48 + 3] = 0x02;	/* initramfs > 32 MiB */
	CHECK_INT(fwimg_parse_header(big, len, &fi), FWIMG_E_OVERSIZED);
	/* 64-bit sizes that would wrap */
	memset(big + 40, 0xff, 8);
	CHECK_INT(fwimg_parse_header(big, len, &fi), FWIMG_E_OVERSIZED);
	free(big);
	free(img);
	mbedtls_pk_free(&k.pk);
}

static void test_header_checks(void)
{
	struct fwimg_info fi;
	struct key k;
	size_t len;
	uint8_t *img;

	make_key(&k, 7);
	img = make_image(&k, "1.0.0", 5, 5, &len);
	CHECK_INT(fwimg_parse_header(img, FWIMG_HDR_SIZE - 1, &fi),
		  FWIMG_E_TRUNCATED);
	img[0] = 'X';
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_MAGIC);
	img[0] = 'P';
	img[8] = 2;
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_FORMAT);
	img[8] = 1;
	img[12] = 64;		/* header size */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_HEADER);
	img[12] = FWIMG_HDR_SIZE;
	img[28] = 1;		/* flags */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_HEADER);
	img[28] = 0;
	img[60] = 0x07;		/* control character in the build id */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_HEADER);
	img[60] = 0;
	img[62] = 'x';		/* text after the NUL */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_HEADER);
	img[62] = 0;
	img[125] = 1;		/* reserved */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_HEADER);
	img[125] = 0;
	img[18] = 0x10;		/* major > 999999 */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_HEADER);
	img[18] = 0;
	memset(img + 40, 0, 8);	/* empty kernel */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_HEADER);
	free(img);
	mbedtls_pk_free(&k.pk);
}

static void test_signature_block(void)
{
	struct fwimg_info fi;
	struct key k;
	size_t len, sig_hdr;
	uint8_t *img;

	make_key(&k, 8);
	img = make_image(&k, "1.0.0", 5, 5, &len);
	sig_hdr = FWIMG_HDR_SIZE + 10 + FWIMG_DIGEST_SIZE;
	img[sig_hdr] = 2;	/* unknown type */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_SIGBLOCK);
	img[sig_hdr] = 1;
	img[sig_hdr + 4] = 0;	/* empty signature */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_SIGBLOCK);
	img[sig_hdr + 4] = FWIMG_SIG_MAX + 1;
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_SIGBLOCK);
	img[sig_hdr + 4] = 0;
	img[sig_hdr + 7] = 1;	/* 16 MiB */
	CHECK_INT(fwimg_parse(img, len, &fi), FWIMG_E_SIGBLOCK);
	free(img);
	mbedtls_pk_free(&k.pk);
}

static void test_write_header_refuses_bad_fields(void)
{
	uint8_t hdr[FWIMG_HDR_SIZE];
	struct fwimg_info fi;

	memset(&fi, 0, sizeof(fi));
	fi.kernel_size = fi.initrd_size = 1;
	CHECK_INT(fwimg_write_header(hdr, &fi), FWIMG_OK);
	strcpy(fi.build_id, "has space");
	CHECK_INT(fwimg_write_header(hdr, &fi), FWIMG_E_ARG);
	fi.build_id[0] = '\0';
	fi.initrd_size = FWIMG_INITRD_MAX + 1;
	CHECK_INT(fwimg_write_header(hdr, &fi), FWIMG_E_ARG);
	fi.initrd_size = 1;
	fi.version[1] = 1000000;
	CHECK_INT(fwimg_write_header(hdr, &fi), FWIMG_E_ARG);
}

static void test_versions(void)
{
	uint32_t a[3], b[3];

	CHECK_INT(fwimg_parse_version("0.1.0", a), 0);
	CHECK_INT(fwimg_parse_version("0.10.0", b), 0);
	CHECK_INT(fwimg_version_cmp(a, b), -1);
	CHECK_INT(fwimg_version_cmp(b, a), 1);
	CHECK_INT(fwimg_version_cmp(a, a), 0);
	CHECK_INT(fwimg_parse_version("2.0.0", b), 0);
	CHECK_INT(fwimg_version_cmp(a, b), -1);
	CHECK_INT(fwimg_parse_version("999999.999999.999999", a), 0);
	CHECK_INT(fwimg_parse_version("1000000.0.0", a), -1);
	CHECK_INT(fwimg_parse_version("1.2", a), -1);
	CHECK_INT(fwimg_parse_version("1.2.3.4", a), -1);
	CHECK_INT(fwimg_parse_version("1..3", a), -1);
	CHECK_INT(fwimg_parse_version("01.2.3", a), -1);
	CHECK_INT(fwimg_parse_version("1.2.3 ", a), -1);
	CHECK_INT(fwimg_parse_version("-1.2.3", a), -1);
	CHECK_INT(fwimg_parse_version("", a), -1);
	CHECK(strcmp(fwimg_strerror(FWIMG_E_NOSIG), "missing signature") == 0);
	CHECK(strcmp(fwimg_strerror(999), "unknown error") == 0);
}

static const struct unit_test tests[] = {
	{ "good image verifies", test_good_image_verifies },
	{ "every payload bit flip is a wrong digest",
	  test_every_payload_bit_flip_is_a_wrong_digest },
	{ "bad and foreign signatures", test_bad_and_foreign_signatures },
	{ "every cut is refused", test_every_cut_is_refused },
	{ "trailing data and oversized", test_trailing_and_oversized },
	{ "header checks", test_header_checks },
	{ "signature block", test_signature_block },
	{ "write_header refuses bad fields",
	  test_write_header_refuses_bad_fields },
	{ "versions", test_versions },
};

UNIT_SUITE(fwimg_tests, "fwimg", tests);
