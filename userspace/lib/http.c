// SPDX-License-Identifier: GPL-2.0
/* HTTP/1.1 requests: a pure, strict parser and text helpers (http.h). */
#include <string.h>

#include "http.h"

/* RFC 9110 tchar */
static int is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* field-vchar, SP and HT; obs-text is let through */
static int is_value_char(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int name_is(const char *s, size_t len, const char *name)
{
	size_t i;

	if (strlen(name) != len)
		return 0;
	for (i = 0; i < len; i++) {
		if (lower((unsigned char)s[i]) != lower((unsigned char)name[i]))
			return 0;
	}
	return 1;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 421: return "Misdirected Request";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "";
	}
}

static long parse_request_line(const char *s, size_t len,
			       struct http_request *req)
{
	const char *p = s, *end = s + len, *sp;
	size_t mlen, i;

	sp = memchr(p, ' ', len);
	if (!sp || sp == p)
		return -400;
	mlen = sp - p;
	for (i = 0; i < mlen; i++) {
		if (!is_tchar((unsigned char)p[i]))
			return -400;
	}
	if (mlen == 3 && !memcmp(p, "GET", 3))
		req->method = HTTP_GET;
	else if (mlen == 4 && !memcmp(p, "HEAD", 4))
		req->method = HTTP_HEAD;
	else if (mlen == 4 && !memcmp(p, "POST", 4))
		req->method = HTTP_POST;
	else
		req->method = -1;	/* 501, once the line is known good */

	p = sp + 1;
	sp = memchr(p, ' ', end - p);
	if (!sp || sp == p)
		return -400;
	req->target = p;
	req->target_len = sp - p;
	if (req->target_len > HTTP_TARGET_MAX)
		return -414;
	if (p[0] != '/')
		return -400;
	for (i = 0; i < req->target_len; i++) {
		unsigned char c = p[i];

		if (c <= 0x20 || c >= 0x7f || c == '#')
			return -400;
	}
	req->path = p;
	req->path_len = req->target_len;
	sp = memchr(p, '?', req->target_len);
	if (sp) {
		req->path_len = sp - p;
		req->query = sp + 1;
		req->query_len = req->target_len - req->path_len - 1;
	}

	p = req->target + req->target_len + 1;
	if (end - p != 8 || memcmp(p, "HTTP/", 5) || p[6] != '.' ||
	    p[5] < '0' || p[5] > '9' || p[7] < '0' || p[7] > '9')
		return -400;
	if (p[5] != '1')
		return -505;
	req->minor = p[7] == '0' ? 0 : 1;
	req->keep_alive = req->minor == 1;
	if (req->method < 0)
		return -501;
	return 0;
}

/* Comma-separated tokens of Connection. */
static void parse_connection(const char *v, size_t len,
			     struct http_request *req)
{
	size_t i = 0;

	while (i < len) {
		size_t start, tlen;

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		start = i;
		while (i < len && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		tlen = i - start;
		if (name_is(v + start, tlen, "close"))
			req->keep_alive = 0;
		else if (name_is(v + start, tlen, "keep-alive"))
			req->keep_alive = 1;
	}
}

static long parse_header(const char *s, size_t len, struct http_request *req,
			 int *have_length)
{
	struct http_header *h;
	const char *colon, *v, *vend;
	size_t i;

	if (s[0] == ' ' || s[0] == '\t')
		return -400;		/* obs-fold */
	colon = memchr(s, ':', len);
	if (!colon || colon == s)
		return -400;
	for (i = 0; i < (size_t)(colon - s); i++) {
		if (!is_tchar((unsigned char)s[i]))
			return -400;
	}
	for (i = colon - s + 1; i < len; i++) {
		if (!is_value_char((unsigned char)s[i]))
			return -400;
	}
	if (req->nheaders == HTTP_HEADERS_MAX)
		return -431;
	v = colon + 1;
	vend = s + len;
	while (v < vend && (*v == ' ' || *v == '\t'))
		v++;
	while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
		vend--;
	h = &req->headers[req->nheaders++];
	h->name = s;
	h->name_len = colon - s;
	h->value = v;
	h->value_len = vend - v;

	if (name_is(h->name, h->name_len, "host")) {
		if (req->host)
			return -400;
		req->host = h->value;
		req->host_len = h->value_len;
	} else if (name_is(h->name, h->name_len, "content-length")) {
		size_t n = 0;

		if (*have_length || !h->value_len)
			return -400;
		*have_length = 1;
		for (i = 0; i < h->value_len; i++) {
			if (h->value[i] < '0' || h->value[i] > '9')
				return -400;
			n = n * 10 + (h->value[i] - '0');
			if (n > HTTP_BODY_MAX)
				return -413;
		}
		req->content_length = n;
	} else if (name_is(h->name, h->name_len, "transfer-encoding")) {
		return -501;
	} else if (name_is(h->name, h->name_len, "connection")) {
		parse_connection(h->value, h->value_len, req);
	}
	return 0;
}

long http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	size_t pos = 0, limit = len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX;
	unsigned int line = 0;
	int have_length = 0;
	long rc;

	memset(req, 0, sizeof(*req));
	for (;;) {
		const char *lf = memchr(buf + pos, '\n', limit - pos);
		size_t llen;
		size_t i;

		if (!lf) {
			if (len < HTTP_HEAD_MAX)
				return 0;
			return line ? -431 : -414;
		}
		llen = lf - (buf + pos);
		if (!llen || lf[-1] != '\r')
			return -400;	/* a bare LF */
		llen--;
		for (i = 0; i < llen; i++) {
			if (buf[pos + i] == '\r' || buf[pos + i] == '\0')
				return -400;
		}
		if (!line) {
			rc = parse_request_line(buf + pos, llen, req);
			if (rc)
				return rc;
		} else if (!llen) {
			pos = lf + 1 - buf;
			break;
		} else {
			rc = parse_header(buf + pos, llen, req, &have_length);
			if (rc)
				return rc;
		}
		pos = lf + 1 - buf;
		line++;
	}
	req->head_len = pos;
	if (req->minor == 1 && !req->host)
		return -400;
	if (req->method == HTTP_POST && !have_length)
		return -411;
	if (len - pos < req->content_length)
		return 0;
	req->body = buf + pos;
	return (long)(pos + req->content_length);
}

const char *http_header(const struct http_request *req, const char *name,
			size_t *len)
{
	unsigned int i;

	for (i = 0; i < req->nheaders; i++) {
		const struct http_header *h = &req->headers[i];

		if (name_is(h->name, h->name_len, name)) {
			*len = h->value_len;
			return h->value;
		}
	}
	return NULL;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long http_form_field(const char *text, size_t len, const char *name,
		     char *out, size_t size)
{
	size_t nlen = strlen(name), i = 0;
	long found = -1;

	if (!size)
		return -2;
	out[0] = '\0';
	while (i <= len && len) {
		const char *amp = memchr(text + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - text) : len;
		const char *eq = memchr(text + i, '=', end - i);
		size_t klen = eq ? (size_t)(eq - (text + i)) : end - i;

		if (klen == nlen && !memcmp(text + i, name, nlen)) {
			size_t j = eq ? (size_t)(eq - text) + 1 : end;
			size_t o = 0;

			if (found >= 0)
				return -2;	/* twice: ambiguous */
			while (j < end) {
				int c = (unsigned char)text[j];

				if (c == '+') {
					c = ' ';
					j++;
				} else if (c == '%') {
					int h, l;

					if (end - j < 3)
						return -2;
					h = hexval(text[j + 1]);
					l = hexval(text[j + 2]);
					if (h < 0 || l < 0)
						return -2;
					c = h * 16 + l;
					j += 3;
				} else {
					j++;
				}
				if (c < 0x20 || c == 0x7f)
					return -2;
				if (o + 1 >= size)
					return -2;
				out[o++] = c;
			}
			out[o] = '\0';
			found = o;
		}
		if (!amp)
			break;
		i = end + 1;
	}
	if (found < 0)
		out[0] = '\0';
	return found;
}

long http_cookie(const char *hdr, size_t len, const char *name, char *out,
		 size_t size)
{
	size_t nlen = strlen(name), i = 0;

	while (i < len) {
		const char *semi = memchr(hdr + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - hdr) : len;
		size_t s = i, e = end;

		while (s < e && (hdr[s] == ' ' || hdr[s] == '\t'))
			s++;
		while (e > s && (hdr[e - 1] == ' ' || hdr[e - 1] == '\t'))
			e--;
		if (e - s > nlen && !memcmp(hdr + s, name, nlen) &&
		    hdr[s + nlen] == '=') {
			size_t vlen = e - s - nlen - 1;

			if (vlen >= size)
				return -1;
			memcpy(out, hdr + s + nlen + 1, vlen);
			out[vlen] = '\0';
			return vlen;
		}
		i = end + 1;
	}
	return -1;
}

static int parse_port(const char *s, size_t len, unsigned int *port)
{
	unsigned int n = 0;
	size_t i;

	if (!len || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	if (n < 1 || n > 65535)
		return -1;
	*port = n;
	return 0;
}

int http_host_parse(const char *hdr, size_t len, char *host, size_t size,
		    unsigned int *port)
{
	const char *h = hdr, *rest;
	size_t hlen, i;

	*port = 0;
	if (!len)
		return -1;
	if (hdr[0] == '[') {
		const char *rb = memchr(hdr, ']', len);

		if (!rb)
			return -1;
		h = hdr + 1;
		hlen = rb - h;
		if (!hlen || hlen > 45)
			return -1;
		for (i = 0; i < hlen; i++) {
			if (hexval(h[i]) < 0 && h[i] != ':' && h[i] != '.')
				return -1;
		}
		rest = rb + 1;
	} else {
		const char *colon = memchr(hdr, ':', len);

		hlen = colon ? (size_t)(colon - hdr) : len;
		if (!hlen || hlen > 253)
			return -1;
		for (i = 0; i < hlen; i++) {
			unsigned char c = h[i];

			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') || c == '-' || c == '.'))
				return -1;
		}
		rest = hdr + hlen;
	}
	if (rest < hdr + len) {
		if (*rest != ':' ||
		    parse_port(rest + 1, hdr + len - rest - 1, port))
			return -1;
	}
	if (hlen >= size)
		return -1;
	for (i = 0; i < hlen; i++)
		host[i] = lower((unsigned char)h[i]);
	host[hlen] = '\0';
	return 0;
}

size_t http_html_escape(char *out, size_t size, const char *s, size_t len)
{
	size_t o = 0, i;

	for (i = 0; i < len; i++) {
		const char *rep = NULL;
		char one[2] = { s[i], '\0' };
		size_t rlen;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: rep = one; break;
		}
		rlen = rep == one ? 1 : strlen(rep);
		if (o + rlen < size)
			memcpy(out + o, rep, rlen);
		else if (o < size)
			size = o + 1;	/* stop writing; keep counting */
		o += rlen;
	}
	if (size)
		out[o < size ? o : size - 1] = '\0';
	return o;
}

int http_token_equal(const char *a, const char *b, size_t len)
{
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < len; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}
