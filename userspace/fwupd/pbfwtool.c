// SPDX-License-Identifier: GPL-2.0
/*
 * pbfwtool: the host side of firmware upgrades (Documentation/firmware.md).
 *
 *   pbfwtool make -k KEY.pem -V X.Y.Z [-t EPOCH] [-b BUILD_ID] -o OUT.pbfw
 *            KERNEL INITRAMFS          build and sign an upgrade image
 *   pbfwtool info [-p PUB.pem] FILE     print the header; with -p verify
 *
 * Runs on the build host, not on the board.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha512.h>

#include "fwimg.h"

static int die(const char *fmt, const char *arg)
{
	fprintf(stderr, "pbfwtool: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

/* The whole file plus a NUL (PEM parsers want it), at most max bytes. */
static uint8_t *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "pbfwtool: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n + 1 >= cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 1 << 16;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n > max) {
			fprintf(stderr, "pbfwtool: %s: bigger than %zu bytes\n",
				path, max);
			break;
		}
		if (!got) {
			if (ferror(f))
				break;
			fclose(f);
			buf[n] = 0;
			*len = n;
			return buf;
		}
	}
	fclose(f);
	free(buf);
	return NULL;
}

static int cmd_make(int argc, char **argv)
{
	const char *key = NULL, *ver = NULL, *out = NULL, *id = "";
	uint8_t *kern = NULL, *initrd = NULL, *keybuf = NULL, *img = NULL;
	size_t klen, ilen, keylen, off;
	uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	unsigned char digest[FWIMG_DIGEST_SIZE];
	struct fwimg_info fi;
	mbedtls_pk_context pk;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	long long t = (long long)time(NULL);
	size_t siglen = 0;
	int c, rc = 1;
	FILE *f;

	memset(&fi, 0, sizeof(fi));
	while ((c = getopt(argc, argv, "k:V:t:b:o:")) != -1) {
		switch (c) {
		case 'k': key = optarg; break;
		case 'V': ver = optarg; break;
		case 't': t = atoll(optarg); break;
		case 'b': id = optarg; break;
		case 'o': out = optarg; break;
		default: return 2;
		}
	}
	if (!key || !ver || !out || argc - optind != 2)
		return die("%s", "usage: pbfwtool make -k KEY -V X.Y.Z [-t EPOCH] [-b ID] -o OUT KERNEL INITRAMFS");
	if (fwimg_parse_version(ver, fi.version))
		return die("bad version '%s' (MAJOR.MINOR.PATCH)", ver);
	if (strlen(id) > FWIMG_BUILD_ID_LEN)
		return die("build id '%s' is too long", id);
	strcpy(fi.build_id, id);
	fi.build_time = t < 0 ? 0 : (uint64_t)t;
	kern = slurp(argv[optind], FWIMG_KERNEL_MAX, &klen);
	initrd = slurp(argv[optind + 1], FWIMG_INITRD_MAX, &ilen);
	keybuf = slurp(key, 1 << 16, &keylen);
	if (!kern || !initrd || !keybuf)
		goto out;
	fi.kernel_size = klen;
	fi.initrd_size = ilen;
	img = malloc(FWIMG_HDR_SIZE + klen + ilen + FWIMG_DIGEST_SIZE +
		     FWIMG_SIG_HDR_SIZE + sizeof(sig));
	if (!img)
		goto out;
	if (fwimg_write_header(img, &fi)) {
		die("%s", "bad header fields");
		goto out;
	}
	off = FWIMG_HDR_SIZE;
	memcpy(img + off, kern, klen);
	off += klen;
	memcpy(img + off, initrd, ilen);
	off += ilen;
	mbedtls_sha512(img, off, digest, 0);
	memcpy(img + off, digest, sizeof(digest));
	off += sizeof(digest);

	mbedtls_pk_init(&pk);
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent,
				  (const unsigned char *)"pbfwtool", 8) ||
	    mbedtls_pk_parse_key(&pk, keybuf, keylen + 1, NULL, 0,
				 mbedtls_ctr_drbg_random, &drbg) ||
	    !mbedtls_pk_can_do(&pk, MBEDTLS_PK_ECDSA) ||
	    mbedtls_pk_sign(&pk, MBEDTLS_MD_SHA512, digest, sizeof(digest),
			    sig, sizeof(sig), &siglen,
			    mbedtls_ctr_drbg_random, &drbg) ||
	    siglen > FWIMG_SIG_MAX) {
		die("%s: not an ECDSA P-256 private key, or signing failed",
		    key);
		siglen = 0;
	}
	mbedtls_pk_free(&pk);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
	if (!siglen)
		goto out;
	img[off] = FWIMG_SIG_ECDSA_P256_SHA512;
	img[off + 1] = img[off + 2] = img[off + 3] = 0;
	img[off + 4] = (uint8_t)siglen;
	img[off + 5] = img[off + 6] = img[off + 7] = 0;
	off += FWIMG_SIG_HDR_SIZE;
	memcpy(img + off, sig, siglen);
	off += siglen;

	f = fopen(out, "wb");
	if (!f || fwrite(img, 1, off, f) != off || fclose(f)) {
		die("cannot write %s", out);
		goto out;
	}
	printf("pbfwtool: %s: firmware %s, %zu bytes, signed with %s\n",
	       out, ver, off, key);
	rc = 0;
out:
	free(kern);
	free(initrd);
	free(keybuf);
	free(img);
	return rc;
}

static int cmd_info(int argc, char **argv)
{
	const char *pub = NULL;
	uint8_t *buf, *key = NULL;
	size_t len, keylen = 0;
	struct fwimg_info fi;
	time_t t;
	struct tm tm;
	char when[32];
	int c, rc;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c != 'p')
			return 2;
		pub = optarg;
	}
	if (argc - optind != 1)
		return die("%s", "usage: pbfwtool info [-p PUBKEY] FILE");
	buf = slurp(argv[optind], FWIMG_FILE_MAX + 1, &len);
	if (!buf)
		return 1;
	if (pub) {
		key = slurp(pub, 1 << 16, &keylen);
		if (!key) {
			free(buf);
			return 1;
		}
		rc = fwimg_verify(buf, len, key, keylen + 1, &fi);
	} else {
		rc = fwimg_parse(buf, len, &fi);
	}
	if (fi.kernel_off) {
		t = (time_t)fi.build_time;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
		printf("version %u.%u.%u\nbuilt %s\nbuild-id %s\n"
		       "kernel %llu bytes\ninitramfs %llu bytes\n",
		       fi.version[0], fi.version[1], fi.version[2], when,
		       fi.build_id, (unsigned long long)fi.kernel_size,
		       (unsigned long long)fi.initrd_size);
	}
	if (rc)
		fprintf(stderr, "pbfwtool: %s: %s\n", argv[optind],
			fwimg_strerror(rc));
	else
		printf("%s\n", pub ? "signature good" : "layout good (signature not checked)");
	free(buf);
	free(key);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "make"))
		return cmd_make(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "info"))
		return cmd_info(argc - 1, argv + 1);
	fprintf(stderr, "usage: pbfwtool make|info ...\n");
	return 2;
}
