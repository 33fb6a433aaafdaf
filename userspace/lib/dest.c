// SPDX-License-Identifier: GPL-2.0
/*
 * Destination values: parse, check and format (pure; inet_pton and
 * inet_ntop only convert text).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dest.h"
#include "text.h"

#define V4_TEXT_MAX	16	/* "255.255.255.255" and NUL */
#define V6_TEXT_MAX	46	/* INET6_ADDRSTRLEN */

static const uint8_t v4_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

int dest_addr_is_v4(const uint8_t addr[16])
{
	return !memcmp(addr, v4_prefix, sizeof(v4_prefix));
}

static int addr_is_unspecified(const uint8_t addr[16])
{
	static const uint8_t zero[16];

	return !memcmp(addr, zero, 16) ||
	       (dest_addr_is_v4(addr) && !memcmp(addr + 12, zero, 4));
}

void dest_format_addr(const uint8_t addr[16], char *buf, size_t size)
{
	char text[V6_TEXT_MAX];

	if (dest_addr_is_v4(addr)) {
		if (!inet_ntop(AF_INET, addr + 12, text, sizeof(text)))
			snprintf(text, sizeof(text), "?");
		snprintf(buf, size, "%s", text);
		return;
	}
	if (!inet_ntop(AF_INET6, addr, text, sizeof(text)))
		snprintf(text, sizeof(text), "?");
	snprintf(buf, size, "[%s]", text);
}

void dest_format(const struct pb_dest_conf *d, char *buf, size_t size)
{
	char a[V6_TEXT_MAX + 2], b[V6_TEXT_MAX + 2];

	switch (d->kind) {
	case CONF_DEST_ADDR:
		dest_format_addr(d->addr, a, sizeof(a));
		snprintf(buf, size, "%s:%u", a, d->port);
		return;
	case CONF_DEST_RANGE:
		dest_format_addr(d->addr, a, sizeof(a));
		dest_format_addr(d->end, b, sizeof(b));
		snprintf(buf, size, "%s-%s:%u", a, b, d->port);
		return;
	case CONF_DEST_HOST:
		snprintf(buf, size, "%.*s:%u", CONF_HOST_MAX - 1, d->host,
			 d->port);
		return;
	}
	snprintf(buf, size, "none");
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* One label of a host name: 1..63 of [A-Za-z0-9-], no '-' at the ends. */
static int label_ok(const char *s, size_t len)
{
	size_t i;

	if (len < 1 || len > 63 || s[0] == '-' || s[len - 1] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (!is_alnum(s[i]) && s[i] != '-')
			return 0;
	}
	return 1;
}

static int all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

int dest_host_name_ok(const char *s, size_t len)
{
	size_t start = 0, i;

	if (len < 1 || len > CONF_HOST_MAX - 1)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (!label_ok(s + start, i - start))
			return 0;
		/* an all-numeric last label is a mistyped address */
		if (i == len && all_digits(s + start, i - start))
			return 0;
		start = i + 1;
	}
	return 1;
}

/* @len bytes of IPv4 text into a v4-mapped address. */
static int parse_v4(const char *s, size_t len, uint8_t addr[16])
{
	char text[V4_TEXT_MAX];

	if (len >= sizeof(text))
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	memcpy(addr, v4_prefix, sizeof(v4_prefix));
	return inet_pton(AF_INET, text, addr + 12) == 1 ? 0 : -1;
}

/* "[addr]": the brackets included in @len. */
static int parse_v6(const char *s, size_t len, uint8_t addr[16])
{
	char text[V6_TEXT_MAX];

	if (len < 3 || s[0] != '[' || s[len - 1] != ']' ||
	    len - 2 >= sizeof(text))
		return -1;
	memcpy(text, s + 1, len - 2);
	text[len - 2] = '\0';
	return inet_pton(AF_INET6, text, addr) == 1 ? 0 : -1;
}

/* Where a range "a-b" splits: the '-' after a bracketed address, or the
 * only '-' of IPv4 text; @len if there is none.
 */
static size_t range_split(const char *s, size_t len)
{
	const char *p;

	if (s[0] == '[') {
		p = memchr(s, ']', len);
		if (p && (size_t)(p - s) + 1 < len && p[1] == '-')
			return p - s + 1;
		return len;
	}
	p = memchr(s, '-', len);
	return p ? (size_t)(p - s) : len;
}

static int parse_addr(const char *s, size_t len, uint8_t addr[16])
{
	if (len && s[0] == '[')
		return parse_v6(s, len, addr);
	return parse_v4(s, len, addr);
}

/* IPv4 text, maybe a range: only digits, dots and a '-'. */
static int looks_like_v4(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '.' &&
		    s[i] != '-')
			return 0;
	}
	return 1;
}

static int not_an_address(const char *s, size_t len, char *msg,
			  size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];

	text_quote(quoted, sizeof(quoted), s, len);
	snprintf(msg, msgsize, "'%s' is not an %s address", quoted,
		 len && s[0] == '[' ? "IPv6" : "IPv4");
	return -1;
}

static int parse_addresses(const char *s, size_t len, struct pb_dest_conf *d,
			   char *msg, size_t msgsize)
{
	size_t split = range_split(s, len);

	if (parse_addr(s, split, d->addr))
		return not_an_address(s, split, msg, msgsize);
	d->kind = CONF_DEST_ADDR;
	if (split == len)
		return 0;
	if (parse_addr(s + split + 1, len - split - 1, d->end))
		return not_an_address(s + split + 1, len - split - 1, msg,
				      msgsize);
	/* a range of one address is that address */
	if (memcmp(d->addr, d->end, 16))
		d->kind = CONF_DEST_RANGE;
	else
		memset(d->end, 0, sizeof(d->end));
	return 0;
}

static int parse_host(const char *s, size_t len, struct pb_dest_conf *d,
		      char *msg, size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];

	if (looks_like_v4(s, len) || memchr(s, '[', len))
		return parse_addresses(s, len, d, msg, msgsize);
	text_quote(quoted, sizeof(quoted), s, len);
	if (memchr(s, ':', len)) {
		snprintf(msg, msgsize,
			 "'%s': an IPv6 address goes in brackets: [addr]:port",
			 quoted);
		return -1;
	}
	if (!dest_host_name_ok(s, len)) {
		snprintf(msg, msgsize, "'%s' is not a host name or address",
			 quoted);
		return -1;
	}
	d->kind = CONF_DEST_HOST;
	memcpy(d->host, s, len);
	return 0;
}

static int parse_port(const char *s, size_t len, struct pb_dest_conf *d,
		      char *msg, size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];
	uint32_t port;
	int rc;

	text_quote(quoted, sizeof(quoted), s, len);
	rc = text_parse_u32(s, len, &port);
	if (rc == -1) {
		snprintf(msg, msgsize, "port '%s' is not a number", quoted);
		return -1;
	}
	if (rc == -2 || port < 1 || port > 65535) {
		snprintf(msg, msgsize, "port %s is out of range (1..65535)",
			 quoted);
		return -1;
	}
	d->port = port;
	return 0;
}

int dest_parse(const char *s, size_t len, struct pb_dest_conf *d, char *msg,
	       size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];
	const char *colon;
	size_t host_len;

	memset(d, 0, sizeof(*d));
	if (len == 4 && !memcmp(s, "none", 4))
		return 0;
	text_quote(quoted, sizeof(quoted), s, len);
	colon = len ? memrchr(s, ':', len) : NULL;
	/* "[::1]" alone: its last ':' is inside the brackets */
	if (!colon || (s[0] == '[' && s[len - 1] == ']')) {
		snprintf(msg, msgsize, "'%s' needs a port: host:port", quoted);
		return -1;
	}
	host_len = colon - s;
	if (host_len == 0) {
		snprintf(msg, msgsize, "'%s' needs a host before the port",
			 quoted);
		return -1;
	}
	if (parse_port(colon + 1, len - host_len - 1, d, msg, msgsize) ||
	    parse_host(s, host_len, d, msg, msgsize) ||
	    dest_check(d, msg, msgsize)) {
		memset(d, 0, sizeof(*d));
		return -1;
	}
	return 0;
}

/* 1 if end - begin + 1 > CONF_DEST_RANGE_MAX (end > begin). */
static int range_too_big(const uint8_t begin[16], const uint8_t end[16])
{
	unsigned int borrow = 0, diff, i;
	uint8_t d[16];

	for (i = 16; i-- > 0;) {
		diff = end[i] - begin[i] - borrow;
		borrow = end[i] < begin[i] + borrow;
		d[i] = diff & 0xff;
	}
	for (i = 0; i < 15; i++) {
		if (d[i])
			return 1;
	}
	return d[15] + 1u > CONF_DEST_RANGE_MAX;
}

static int check_range(const struct pb_dest_conf *d, char *msg,
		       size_t msgsize)
{
	char a[V6_TEXT_MAX + 2], b[V6_TEXT_MAX + 2];

	dest_format_addr(d->addr, a, sizeof(a));
	dest_format_addr(d->end, b, sizeof(b));
	if (dest_addr_is_v4(d->addr) != dest_addr_is_v4(d->end)) {
		snprintf(msg, msgsize, "range %s-%s mixes IPv4 and IPv6", a,
			 b);
		return -1;
	}
	if (memcmp(d->end, d->addr, 16) <= 0) {
		snprintf(msg, msgsize, "range end %s is before its begin %s",
			 b, a);
		return -1;
	}
	if (range_too_big(d->addr, d->end)) {
		snprintf(msg, msgsize,
			 "range %s-%s has more than %u addresses", a, b,
			 CONF_DEST_RANGE_MAX);
		return -1;
	}
	return 0;
}

int dest_check(const struct pb_dest_conf *d, char *msg, size_t msgsize)
{
	char a[V6_TEXT_MAX + 2];
	size_t len;

	if (d->kind == CONF_DEST_NONE)
		return 0;
	if (d->kind >= __CONF_DEST_MAX) {
		snprintf(msg, msgsize, "unknown destination kind %u", d->kind);
		return -1;
	}
	if (d->port < 1 || d->port > 65535) {
		snprintf(msg, msgsize, "port %u is out of range (1..65535)",
			 d->port);
		return -1;
	}
	if (d->kind == CONF_DEST_HOST) {
		len = strnlen(d->host, sizeof(d->host));
		if (len == sizeof(d->host) ||
		    !dest_host_name_ok(d->host, len)) {
			snprintf(msg, msgsize, "bad host name");
			return -1;
		}
		return 0;
	}
	if (addr_is_unspecified(d->addr)) {
		dest_format_addr(d->addr, a, sizeof(a));
		snprintf(msg, msgsize, "%s is not a destination address", a);
		return -1;
	}
	if (d->kind == CONF_DEST_RANGE)
		return check_range(d, msg, msgsize);
	return 0;
}
