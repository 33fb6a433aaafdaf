/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RADIUS (RFC 2865) Access-Request with PAP, and the check of its reply:
 * a pure codec, no I/O.  Every request carries a Message-Authenticator
 * (RFC 3579, HMAC-MD5) and every reply must carry a valid one as well as
 * a valid Response Authenticator: a reply that fails either is dropped
 * as if it never came (the "Blast-RADIUS" forgery of 2024 needs a server
 * or client that does without them).  MD5 and HMAC-MD5 are mbedtls's.
 */
#ifndef PB_RADIUS_H
#define PB_RADIUS_H

#include <stddef.h>
#include <stdint.h>

#define RADIUS_PACKET_MAX	4096
#define RADIUS_HEADER_LEN	20
#define RADIUS_AUTH_LEN		16
#define RADIUS_PASSWORD_MAX	128	/* RFC 2865 5.2 */
#define RADIUS_STRING_MAX	253	/* an attribute's value */
#define RADIUS_MESSAGE_MAX	254	/* Reply-Message text and NUL */

enum radius_code {
	RADIUS_ACCESS_REQUEST	= 1,
	RADIUS_ACCESS_ACCEPT	= 2,
	RADIUS_ACCESS_REJECT	= 3,
	RADIUS_ACCESS_CHALLENGE	= 11,
};

enum radius_attr {
	RADIUS_USER_NAME		= 1,
	RADIUS_USER_PASSWORD		= 2,
	RADIUS_SERVICE_TYPE		= 6,
	RADIUS_REPLY_MESSAGE		= 18,
	RADIUS_NAS_IDENTIFIER		= 32,
	RADIUS_MESSAGE_AUTHENTICATOR	= 80,
};

struct radius_request {
	uint8_t id;
	uint8_t authenticator[RADIUS_AUTH_LEN];	/* random, per request */
	const char *user;
	size_t user_len;		/* 1 .. RADIUS_STRING_MAX */
	const char *password;
	size_t password_len;		/* 0 .. RADIUS_PASSWORD_MAX */
	const char *nas_id;		/* NAS-Identifier, NUL-terminated */
	const char *secret;
	size_t secret_len;		/* 1 .. */
};

/*
 * Build the Access-Request into @buf: its length, or -1 if a value is out
 * of range or @size is too small.
 */
int radius_build_request(const struct radius_request *rq, uint8_t *buf,
			 size_t size);

struct radius_reply {
	uint8_t code;			/* enum radius_code */
	char message[RADIUS_MESSAGE_MAX];	/* Reply-Message, printable */
};

/*
 * Check @len bytes as the reply to @rq: 0 and @out, or -1 if it is not a
 * valid reply to it (wrong identifier, length, code or attributes, a
 * missing or wrong Message-Authenticator, a wrong Response
 * Authenticator).  Only Access-Accept, -Reject and -Challenge pass.
 */
int radius_parse_reply(const struct radius_request *rq, const uint8_t *buf,
		       size_t len, struct radius_reply *out);

#endif /* PB_RADIUS_H */
