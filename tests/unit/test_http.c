// SPDX-License-Identifier: GPL-2.0
/* The web console's HTTP request parser and text helpers (lib/http.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "unit.h"

static long parse(const char *s, struct http_request *req)
{
	return http_parse_request(s, strlen(s), req);
}

static void test_get(void)
{
	static const char r[] = "GET /ports?n=1 HTTP/1.1\r\n"
				"Host: portbridge:443\r\n"
				"User-Agent: x  \r\n"
				"Cookie: a=b; pbsid=0123\r\n\r\n";
	struct http_request req;
	const char *v;
	size_t len;

	CHECK_INT(parse(r, &req), strlen(r));
	CHECK_INT(req.method, HTTP_GET);
	CHECK_INT(req.minor, 1);
	CHECK(req.keep_alive);
	CHECK_INT(req.path_len, 6);
	CHECK(!memcmp(req.path, "/ports", 6));
	CHECK_INT(req.query_len, 3);
	CHECK(!memcmp(req.query, "n=1", 3));
	CHECK_INT(req.host_len, 14);
	CHECK(!memcmp(req.host, "portbridge:443", 14));
	v = http_header(&req, "user-agent", &len);
	CHECK(v && len == 1 && v[0] == 'x');
	CHECK(!http_header(&req, "accept", &len));
	CHECK_INT(req.head_len, strlen(r));
}

static void test_incomplete(void)
{
	static const char r[] = "POST /login HTTP/1.1\r\nHost: a\r\n"
				"Content-Length: 7\r\n\r\nuser=ab";
	struct http_request req;
	size_t i;

	/* every prefix asks for more; the whole thing parses */
	for (i = 0; i < strlen(r); i++)
		CHECK_INT(http_parse_request(r, i, &req), 0);
	CHECK_INT(parse(r, &req), strlen(r));
	CHECK_INT(req.method, HTTP_POST);
	CHECK_INT(req.content_length, 7);
	CHECK(!memcmp(req.body, "user=ab", 7));
}

static void test_pipelined(void)
{
	static const char r[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x";
	struct http_request req;

	CHECK_INT(parse(r, &req), 27);
}

static void test_http10(void)
{
	struct http_request req;

	CHECK_INT(parse("GET / HTTP/1.0\r\n\r\n", &req), 18);
	CHECK(!req.keep_alive);
	CHECK(!req.host);
	CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
		    &req) > 0);
	CHECK(req.keep_alive);
	CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: x, close\r\n\r\n",
		    &req) > 0);
	CHECK(!req.keep_alive);
}

static void test_errors(void)
{
	static const struct {
		const char *req;
		long status;
	} cases[] = {
		{ "GET / HTTP/1.1\r\n\r\n", -400 },		/* no Host */
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\nHost: a\n\n", -400 },	/* bare LF */
		{ "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", -400 },
		{ "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", -400 },
		{ "GET x HTTP/1.1\r\nHost: a\r\n\r\n", -400 },
		{ "GET /#f HTTP/1.1\r\nHost: a\r\n\r\n", -400 },
		{ "GET / HTTP/2.0\r\nHost: a\r\n\r\n", -505 },
		{ "GET / HTTPS/1.1\r\nHost: a\r\n\r\n", -400 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\n\r\n", -501 },
		{ "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nHost : a\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\n: a\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n", -400 },
		{ "POST / HTTP/1.1\r\nHost: a\r\n\r\n", -411 },
		{ "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 8193\r\n\r\n",
		  -413 },
		{ "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
		  -413 },
		{ "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
		  -400 },
		{ "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
		  "Content-Length: 1\r\n\r\n", -400 },
		{ "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
		  -501 },
		{ "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", -400 },
	};
	struct http_request req;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long rc = parse(cases[i].req, &req);

		if (rc != cases[i].status)
			unit_fail(__FILE__, __LINE__, "case %zu: %ld, expected %ld",
				  i, rc, cases[i].status);
	}
}

static void test_limits(void)
{
	struct http_request req;
	char *buf = malloc(HTTP_REQUEST_MAX + 1);
	size_t n;
	unsigned int i;

	CHECK(buf);
	/* a request line that never ends: 414 once the head is full */
	memcpy(buf, "GET /", 5);
	memset(buf + 5, 'a', HTTP_REQUEST_MAX - 5);
	CHECK_INT(http_parse_request(buf, HTTP_HEAD_MAX - 1, &req), 0);
	CHECK_INT(http_parse_request(buf, HTTP_HEAD_MAX, &req), -414);
	/* a target just too long */
	n = snprintf(buf, HTTP_REQUEST_MAX, "GET /%0*d HTTP/1.1\r\nHost: a\r\n\r\n",
		     HTTP_TARGET_MAX, 0);
	CHECK_INT(http_parse_request(buf, n, &req), -414);
	/* headers that never end: 431 */
	n = snprintf(buf, HTTP_REQUEST_MAX, "GET / HTTP/1.1\r\nHost: a\r\n");
	while (n < HTTP_REQUEST_MAX - 16)
		n += snprintf(buf + n, HTTP_REQUEST_MAX - n, "X-A: b\r\n");
	CHECK_INT(http_parse_request(buf, n, &req), -431);
	/* too many headers */
	n = snprintf(buf, HTTP_REQUEST_MAX, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 0; i < HTTP_HEADERS_MAX; i++)
		n += snprintf(buf + n, HTTP_REQUEST_MAX - n, "X: b\r\n");
	n += snprintf(buf + n, HTTP_REQUEST_MAX - n, "\r\n");
	CHECK_INT(http_parse_request(buf, n, &req), -431);
	/* the largest body there is */
	n = snprintf(buf, HTTP_REQUEST_MAX, "POST / HTTP/1.1\r\nHost: a\r\n"
		     "Content-Length: %d\r\n\r\n", HTTP_BODY_MAX);
	memset(buf + n, 'x', HTTP_BODY_MAX);
	CHECK_INT(http_parse_request(buf, n + HTTP_BODY_MAX - 1, &req), 0);
	CHECK_INT(http_parse_request(buf, n + HTTP_BODY_MAX, &req),
		  n + HTTP_BODY_MAX);
	free(buf);
}

static void test_form(void)
{
	static const char f[] = "user=admin&password=a%2Bb+c%26&empty=&x";
	char out[16];

	CHECK_INT(http_form_field(f, strlen(f), "user", out, sizeof(out)), 5);
	CHECK_STR(out, "admin");
	CHECK_INT(http_form_field(f, strlen(f), "password", out, sizeof(out)),
		  6);
	CHECK_STR(out, "a+b c&");
	CHECK_INT(http_form_field(f, strlen(f), "empty", out, sizeof(out)), 0);
	CHECK_INT(http_form_field(f, strlen(f), "x", out, sizeof(out)), 0);
	CHECK_INT(http_form_field(f, strlen(f), "us", out, sizeof(out)), -1);
	CHECK_INT(http_form_field("a=%4", 5, "a", out, sizeof(out)), -2);
	CHECK_INT(http_form_field("a=%zz", 5, "a", out, sizeof(out)), -2);
	CHECK_INT(http_form_field("a=%0a", 5, "a", out, sizeof(out)), -2);
	CHECK_INT(http_form_field("a=%00", 5, "a", out, sizeof(out)), -2);
	CHECK_INT(http_form_field("a=1&a=2", 7, "a", out, sizeof(out)), -2);
	CHECK_INT(http_form_field("a=0123456789abcdef", 18, "a", out,
				  sizeof(out)), -2);
	CHECK_INT(http_form_field("", 0, "a", out, sizeof(out)), -1);
}

static void test_cookie(void)
{
	static const char c[] = "a=1; pbsid=abc;pbpre=x ; pb=";
	char out[8];

	CHECK_INT(http_cookie(c, strlen(c), "pbsid", out, sizeof(out)), 3);
	CHECK_STR(out, "abc");
	CHECK_INT(http_cookie(c, strlen(c), "pbpre", out, sizeof(out)), 1);
	CHECK_STR(out, "x");
	CHECK_INT(http_cookie(c, strlen(c), "pb", out, sizeof(out)), 0);
	CHECK_INT(http_cookie(c, strlen(c), "b", out, sizeof(out)), -1);
	CHECK_INT(http_cookie("a=123456789", 11, "a", out, sizeof(out)), -1);
}

static void test_host(void)
{
	char h[64];
	unsigned int port;

	CHECK_INT(http_host_parse("PortBridge", 10, h, sizeof(h), &port), 0);
	CHECK_STR(h, "portbridge");
	CHECK_INT(port, 0);
	CHECK_INT(http_host_parse("10.0.2.15:443", 13, h, sizeof(h), &port),
		  0);
	CHECK_STR(h, "10.0.2.15");
	CHECK_INT(port, 443);
	CHECK_INT(http_host_parse("[fd00::1]:8443", 14, h, sizeof(h), &port),
		  0);
	CHECK_STR(h, "fd00::1");
	CHECK_INT(port, 8443);
	CHECK_INT(http_host_parse("a:", 2, h, sizeof(h), &port), -1);
	CHECK_INT(http_host_parse("a:0", 3, h, sizeof(h), &port), -1);
	CHECK_INT(http_host_parse("a:65536", 7, h, sizeof(h), &port), -1);
	CHECK_INT(http_host_parse("a b", 3, h, sizeof(h), &port), -1);
	CHECK_INT(http_host_parse("a/b", 3, h, sizeof(h), &port), -1);
	CHECK_INT(http_host_parse("[fd00::1", 8, h, sizeof(h), &port), -1);
	CHECK_INT(http_host_parse("[x]", 3, h, sizeof(h), &port), -1);
	CHECK_INT(http_host_parse("", 0, h, sizeof(h), &port), -1);
	CHECK_INT(http_host_parse("a:1:2", 5, h, sizeof(h), &port), -1);
}

static void test_escape(void)
{
	char out[64], small[6];

	CHECK_INT(http_html_escape(out, sizeof(out), "<a href=\"x\">&'", 14),
		  38);
	CHECK_STR(out, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
	CHECK_INT(http_html_escape(small, sizeof(small), "ab<cd", 5), 8);
	CHECK_STR(small, "ab");
	CHECK(http_token_equal("abc", "abc", 3));
	CHECK(!http_token_equal("abc", "abd", 3));
}

static const struct unit_test tests[] = {
	{ "get", test_get },
	{ "incomplete", test_incomplete },
	{ "pipelined", test_pipelined },
	{ "http10", test_http10 },
	{ "errors", test_errors },
	{ "limits", test_limits },
	{ "form", test_form },
	{ "cookie", test_cookie },
	{ "host", test_host },
	{ "escape", test_escape },
};

UNIT_SUITE(http_tests, "http", tests);
