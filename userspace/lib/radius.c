// SPDX-License-Identifier: GPL-2.0
/* RADIUS Access-Request (PAP) and reply checking: pure. */
#include <string.h>

#include <mbedtls/md.h>
#include <mbedtls/md5.h>

#include "radius.h"

struct out {
	uint8_t *buf;
	size_t size;
	size_t len;
	int full;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->full || o->size - o->len < n) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void put_attr(struct out *o, uint8_t type, const void *val,
		     size_t n)
{
	uint8_t hdr[2] = { type, (uint8_t)(n + 2) };

	if (n > RADIUS_STRING_MAX) {
		o->full = 1;
		return;
	}
	put(o, hdr, 2);
	put(o, val, n);
}

static int md5_parts(const void *a, size_t alen, const void *b, size_t blen,
		     const void *c, size_t clen, uint8_t digest[16])
{
	mbedtls_md5_context ctx;
	int rc;

	mbedtls_md5_init(&ctx);
	rc = mbedtls_md5_starts(&ctx) ||
	     mbedtls_md5_update(&ctx, a, alen) ||
	     mbedtls_md5_update(&ctx, b, blen) ||
	     (clen && mbedtls_md5_update(&ctx, c, clen)) ||
	     mbedtls_md5_finish(&ctx, digest);
	mbedtls_md5_free(&ctx);
	return rc ? -1 : 0;
}

static int hmac_md5(const char *key, size_t klen, const uint8_t *msg,
		    size_t len, uint8_t mac[16])
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_MD5);

	if (!md || mbedtls_md_hmac(md, (const unsigned char *)key, klen, msg,
				   len, mac))
		return -1;
	return 0;
}

/*
 * User-Password (RFC 2865 5.2): the password padded with NULs to a
 * multiple of 16, each block XORed with MD5(secret + the previous block
 * of output), the first with MD5(secret + Request Authenticator).
 */
static int hide_password(const struct radius_request *rq, uint8_t *out,
			 size_t *outlen)
{
	size_t len = rq->password_len ? (rq->password_len + 15) & ~15u : 16;
	const uint8_t *prev = rq->authenticator;
	uint8_t b[16];
	size_t i, j;

	memset(out, 0, len);
	memcpy(out, rq->password, rq->password_len);
	for (i = 0; i < len; i += 16) {
		if (md5_parts(rq->secret, rq->secret_len, prev, 16, NULL, 0,
			      b))
			return -1;
		for (j = 0; j < 16; j++)
			out[i + j] ^= b[j];
		prev = out + i;
	}
	*outlen = len;
	explicit_bzero(b, sizeof(b));
	return 0;
}

int radius_build_request(const struct radius_request *rq, uint8_t *buf,
			 size_t size)
{
	static const uint8_t login_service[4] = { 0, 0, 0, 1 };	/* Login */
	uint8_t hidden[RADIUS_PASSWORD_MAX], zero[16] = { 0 };
	struct out o = { buf, size, 0, 0 };
	size_t hlen, ma_off;
	int rc = -1;

	if (!rq->user_len || rq->user_len > RADIUS_STRING_MAX ||
	    rq->password_len > RADIUS_PASSWORD_MAX || !rq->secret_len ||
	    strlen(rq->nas_id) > RADIUS_STRING_MAX)
		return -1;
	if (hide_password(rq, hidden, &hlen))
		goto out;
	put(&o, (uint8_t[4]){ RADIUS_ACCESS_REQUEST, rq->id, 0, 0 }, 4);
	put(&o, rq->authenticator, RADIUS_AUTH_LEN);
	/* Message-Authenticator first, as RFC 3579 suggests */
	ma_off = o.len + 2;
	put_attr(&o, RADIUS_MESSAGE_AUTHENTICATOR, zero, 16);
	put_attr(&o, RADIUS_USER_NAME, rq->user, rq->user_len);
	put_attr(&o, RADIUS_USER_PASSWORD, hidden, hlen);
	put_attr(&o, RADIUS_SERVICE_TYPE, login_service, 4);
	put_attr(&o, RADIUS_NAS_IDENTIFIER, rq->nas_id, strlen(rq->nas_id));
	if (o.full)
		goto out;
	buf[2] = o.len >> 8;
	buf[3] = o.len & 0xff;
	if (hmac_md5(rq->secret, rq->secret_len, buf, o.len, buf + ma_off))
		goto out;
	rc = o.len;
out:
	explicit_bzero(hidden, sizeof(hidden));
	return rc;
}

/* Equal without an early exit. */
static int same16(const uint8_t *a, const uint8_t *b)
{
	uint8_t d = 0;
	int i;

	for (i = 0; i < 16; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

static void add_message(struct radius_reply *out, const uint8_t *v,
			size_t n)
{
	size_t len = strlen(out->message), i;

	for (i = 0; i < n && len + 1 < sizeof(out->message); i++) {
		uint8_t c = v[i];

		out->message[len++] = (c >= 0x20 && c < 0x7f) ? c : ' ';
	}
	out->message[len] = '\0';
}

/* Walk the attributes: well formed, one valid-length MA; 0 or -1. */
static int read_attrs(const uint8_t *p, size_t len, struct radius_reply *out,
		      size_t *ma_off)
{
	size_t pos = RADIUS_HEADER_LEN;
	int mas = 0;

	while (pos < len) {
		uint8_t type, alen;

		if (len - pos < 2)
			return -1;
		type = p[pos];
		alen = p[pos + 1];
		if (alen < 2 || alen > len - pos)
			return -1;
		if (type == RADIUS_MESSAGE_AUTHENTICATOR) {
			if (alen != 18 || mas++)
				return -1;
			*ma_off = pos + 2;
		} else if (type == RADIUS_REPLY_MESSAGE) {
			add_message(out, p + pos + 2, alen - 2);
		}
		pos += alen;
	}
	return mas == 1 ? 0 : -1;
}

int radius_parse_reply(const struct radius_request *rq, const uint8_t *buf,
		       size_t len, struct radius_reply *out)
{
	uint8_t pkt[RADIUS_PACKET_MAX], digest[16], mac[16];
	size_t plen, ma_off = 0;

	memset(out, 0, sizeof(*out));
	if (len < RADIUS_HEADER_LEN)
		return -1;
	plen = (size_t)buf[2] << 8 | buf[3];
	/* octets beyond the Length field are padding (RFC 2865 3) */
	if (plen < RADIUS_HEADER_LEN || plen > len || plen > sizeof(pkt))
		return -1;
	if (buf[1] != rq->id)
		return -1;
	if (buf[0] != RADIUS_ACCESS_ACCEPT && buf[0] != RADIUS_ACCESS_REJECT &&
	    buf[0] != RADIUS_ACCESS_CHALLENGE)
		return -1;
	if (read_attrs(buf, plen, out, &ma_off))
		return -1;
	/* Response Authenticator: MD5(Code..Length, RequestAuth, attrs,
	 * secret)
	 */
	memcpy(pkt, buf, plen);
	memcpy(pkt + 4, rq->authenticator, RADIUS_AUTH_LEN);
	if (md5_parts(pkt, plen, rq->secret, rq->secret_len, NULL, 0,
		      digest) || !same16(digest, buf + 4))
		return -1;
	/* Message-Authenticator: HMAC-MD5 with itself zeroed */
	memset(pkt + ma_off, 0, 16);
	if (hmac_md5(rq->secret, rq->secret_len, pkt, plen, mac) ||
	    !same16(mac, buf + ma_off))
		return -1;
	out->code = buf[0];
	return 0;
}
