/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP/1.1 requests, as the web console (pbwebd) accepts them: a pure
 * parser of the bytes a client sent, and the small text helpers the
 * console needs (form fields, cookies, the Host header, HTML escaping).
 * No I/O; unit-tested (tests/unit/test_http.c) and fuzzed
 * (tests/fuzz/fuzz_http.c).
 *
 * What is accepted (RFC 9112, strictly):
 *
 *	METHOD SP origin-form SP HTTP/1.x CRLF
 *	(name ":" OWS value OWS CRLF)*
 *	CRLF
 *	body of Content-Length bytes
 *
 * Methods GET, HEAD and POST; no obs-fold, no bare CR or LF, no control
 * characters in values, no Transfer-Encoding (501), one Host header (an
 * HTTP/1.1 request without one is a 400), one Content-Length of at most
 * HTTP_BODY_MAX bytes (413), a POST needs one (411).
 */
#ifndef PB_HTTP_H
#define PB_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_HEAD_MAX		8192	/* request line and headers */
#define HTTP_TARGET_MAX		2048	/* 414 beyond */
#define HTTP_HEADERS_MAX	40	/* 431 beyond */
#define HTTP_BODY_MAX		8192	/* 413 beyond */
#define HTTP_REQUEST_MAX	(HTTP_HEAD_MAX + HTTP_BODY_MAX)

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
};

struct http_header {
	const char *name;
	size_t name_len;
	const char *value;	/* without the surrounding blanks */
	size_t value_len;
};

/* Pointers point into the caller's buffer. */
struct http_request {
	int method;			/* enum http_method */
	const char *target;		/* "/path?query" */
	size_t target_len;
	const char *path;		/* the target up to '?' */
	size_t path_len;
	const char *query;		/* after '?', NULL if none */
	size_t query_len;
	int minor;			/* HTTP/1.minor: 0 or 1 */
	unsigned int nheaders;
	struct http_header headers[HTTP_HEADERS_MAX];
	const char *host;		/* NULL: no Host header */
	size_t host_len;
	size_t content_length;
	int keep_alive;			/* the client wants it */
	size_t head_len;		/* bytes up to the empty line's end */
	const char *body;		/* content_length bytes */
};

/*
 * Parse the first request in @len bytes of @buf.  Returns its total length
 * (head and body) when it is complete, 0 when more bytes are needed, or
 * -status (-400, -411, -413, -414, -431, -501, -505) when it cannot be
 * served.  Once @len reaches HTTP_REQUEST_MAX without a complete request,
 * the answer is never 0.
 */
long http_parse_request(const char *buf, size_t len, struct http_request *req);

/* The reason phrase of a status code ("Bad Request"); "" if unknown. */
const char *http_reason(int status);

/* The value of header @name (case-insensitive), NULL if absent. */
const char *http_header(const struct http_request *req, const char *name,
			size_t *len);

/*
 * The field @name of an application/x-www-form-urlencoded text (a body or
 * a query), decoded ('+' is a blank, %XX a byte), NUL-terminated in @out.
 * Returns the decoded length, -1 if absent, -2 if malformed, does not fit
 * @size, or decodes to a control character or a NUL (form fields here
 * are one line of text).
 */
long http_form_field(const char *text, size_t len, const char *name,
		     char *out, size_t size);

/*
 * The value of cookie @name in a Cookie header (RFC 6265 "a=b; c=d"),
 * NUL-terminated in @out.  Returns its length, or -1 if absent or it does
 * not fit.
 */
long http_cookie(const char *hdr, size_t len, const char *name, char *out,
		 size_t size);

/*
 * Split a Host header into its host (a DNS name, an IPv4 address or a
 * bracketed IPv6 address, brackets removed, lowercased) and its optional
 * port.  0, or -1 if it is not a valid host.
 */
int http_host_parse(const char *hdr, size_t len, char *host, size_t size,
		    unsigned int *port);

/*
 * Escape @len bytes of @s for HTML text and attribute values (& < > " ')
 * into @out (NUL-terminated, truncated to fit).  Returns the length of
 * the whole escaped text, like snprintf.
 */
size_t http_html_escape(char *out, size_t size, const char *s, size_t len);

/* 1 if the two strings of @len bytes are equal, in constant time. */
int http_token_equal(const char *a, const char *b, size_t len);

#endif /* PB_HTTP_H */
