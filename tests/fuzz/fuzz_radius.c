// SPDX-License-Identifier: GPL-2.0
/*
 * RADIUS replies from the network: any bytes must be refused or accepted
 * cleanly.  The first byte picks the request identifier; the rest is the
 * reply.  A second pass puts a correct Response Authenticator in, so the
 * fuzzer also reaches the Message-Authenticator and attribute checks.
 */
#include <string.h>

#include <mbedtls/md5.h>

#include "radius.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char secret[] = "fuzzsecret";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static uint8_t pkt[RADIUS_PACKET_MAX];
	struct radius_request rq;
	struct radius_reply out;
	mbedtls_md5_context ctx;
	size_t len, plen;

	if (size < 1 || size - 1 > sizeof(pkt))
		return 0;
	memset(&rq, 0, sizeof(rq));
	rq.id = data[0];
	memset(rq.authenticator, 0x5a, sizeof(rq.authenticator));
	rq.user = "u";
	rq.user_len = 1;
	rq.password = "p";
	rq.password_len = 1;
	rq.nas_id = "n";
	rq.secret = secret;
	rq.secret_len = strlen(secret);
	len = size - 1;
	memcpy(pkt, data + 1, len);
	radius_parse_reply(&rq, pkt, len, &out);
	if (len < RADIUS_HEADER_LEN)
		return 0;
	plen = (size_t)pkt[2] << 8 | pkt[3];
	if (plen < RADIUS_HEADER_LEN || plen > len)
		return 0;
	memcpy(pkt + 4, rq.authenticator, 16);
	mbedtls_md5_init(&ctx);
	mbedtls_md5_starts(&ctx);
	mbedtls_md5_update(&ctx, pkt, plen);
	mbedtls_md5_update(&ctx, (const uint8_t *)secret, strlen(secret));
	mbedtls_md5_finish(&ctx, pkt + 4);
	mbedtls_md5_free(&ctx);
	radius_parse_reply(&rq, pkt, len, &out);
	return 0;
}
