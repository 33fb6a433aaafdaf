// SPDX-License-Identifier: GPL-2.0
/*
 * Accessible IP list entries (see allow.h).  The rules are the kernel's
 * (kernel/allowlist/rule.c), checked here first so that a bad entry is
 * refused with the line or the command that made it, before anything is
 * pushed.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "allow.h"
#include "text.h"

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

uint32_t allow_netmask4(unsigned int prefix)
{
	if (prefix == 0)
		return 0;
	if (prefix >= 32)
		return 0xffffffffu;
	return htonl(~((1u << (32 - prefix)) - 1));
}

/* The number of leading ones of a contiguous netmask, or -1. */
static int netmask_prefix(uint32_t mask_be)
{
	uint32_t m = ntohl(mask_be);
	int n = 0;

	while (n < 32 && (m & 0x80000000u)) {
		m <<= 1;
		n++;
	}
	return m ? -1 : n;
}

/* Copy a token into a NUL-terminated buffer; -1 if it does not fit. */
static int copy_token(char *dst, size_t size, const char *s, size_t len)
{
	if (len == 0 || len >= size)
		return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int parse_ipv4(const char *s, size_t len, uint8_t out[4])
{
	char buf[INET_ADDRSTRLEN];

	if (copy_token(buf, sizeof(buf), s, len))
		return -1;
	return inet_pton(AF_INET, buf, out) == 1 ? 0 : -1;
}

static int parse_ipv6(const char *s, size_t len, uint8_t out[16])
{
	char buf[INET6_ADDRSTRLEN];

	if (copy_token(buf, sizeof(buf), s, len))
		return -1;
	return inet_pton(AF_INET6, buf, out) == 1 ? 0 : -1;
}

int allow_addr_parse(const char *s, size_t len, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (memchr(s, ':', len))
		return parse_ipv6(s, len, addr);
	memcpy(addr, v4mapped_prefix, sizeof(v4mapped_prefix));
	return parse_ipv4(s, len, addr + 12);
}

void allow_addr_format(const uint8_t addr[16], char *buf, size_t size)
{
	char text[INET6_ADDRSTRLEN];

	if (allow_addr_is_v4mapped(addr))
		inet_ntop(AF_INET, addr + 12, text, sizeof(text));
	else
		inet_ntop(AF_INET6, addr, text, sizeof(text));
	snprintf(buf, size, "%s", text);
}

int allow_addr_is_v4mapped(const uint8_t addr[16])
{
	return !memcmp(addr, v4mapped_prefix, sizeof(v4mapped_prefix));
}

int allow_addr_is_local(const uint8_t addr[16])
{
	static const uint8_t zero[16];
	static const uint8_t loop6[16] = { [15] = 1 };

	if (allow_addr_is_v4mapped(addr))
		return addr[12] == 127 || !memcmp(addr + 12, zero, 4);
	return !memcmp(addr, zero, 16) || !memcmp(addr, loop6, 16);
}

/* The mask after "/": a prefix length, or for IPv4 a dotted netmask. */
static int parse_mask(struct pb_allow_entry *e, const char *s, size_t len,
		      char *msg, size_t msgsize)
{
	unsigned int max = e->family == ALLOW_IPV4 ? 32 : 128;
	uint8_t mask[4];
	uint32_t v, m;
	int n;

	if (text_parse_u32(s, len, &v) == 0) {
		if (v > max) {
			snprintf(msg, msgsize,
				 "prefix length %u is out of range (0..%u)", v,
				 max);
			return -1;
		}
		e->prefix = v;
		return 0;
	}
	if (e->family != ALLOW_IPV4 || parse_ipv4(s, len, mask)) {
		snprintf(msg, msgsize, "'%.*s' is not a %s", (int)len, s,
			 e->family == ALLOW_IPV4 ?
			 "netmask (255.255.255.0) or prefix length (24)" :
			 "prefix length (0..128)");
		return -1;
	}
	memcpy(&m, mask, 4);
	n = netmask_prefix(m);
	if (n < 0) {
		snprintf(msg, msgsize,
			 "netmask %.*s is not contiguous (ones, then zeros)",
			 (int)len, s);
		return -1;
	}
	e->prefix = n;
	return 0;
}

static int parse_net(struct pb_allow_entry *e, const char *s, size_t len,
		     char *msg, size_t msgsize)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	char quoted[TEXT_QUOTE_MAX];

	text_quote(quoted, sizeof(quoted), s, alen);
	if (memchr(s, ':', alen)) {
		e->family = ALLOW_IPV6;
		e->prefix = 128;
		if (parse_ipv6(s, alen, e->addr)) {
			snprintf(msg, msgsize, "'%s' is not an IPv6 address",
				 quoted);
			return -1;
		}
	} else {
		e->family = ALLOW_IPV4;
		e->prefix = 32;
		if (parse_ipv4(s, alen, e->addr)) {
			snprintf(msg, msgsize,
				 "'%s' is not an IPv4 address (a.b.c.d)",
				 quoted);
			return -1;
		}
	}
	if (!slash)
		return 0;
	return parse_mask(e, slash + 1, len - alen - 1, msg, msgsize);
}

int allow_entry_parse(const char *s, size_t len, struct pb_allow_entry *e,
		      char *msg, size_t msgsize)
{
	size_t tok;

	memset(e, 0, sizeof(*e));
	text_trim(&s, &len);
	if (len == 4 && !memcmp(s, "none", 4))
		return 0;
	if (len == 0) {
		snprintf(msg, msgsize, "an entry needs an address");
		return -1;
	}
	tok = text_token_len(s, len);
	if (parse_net(e, s, tok, msg, msgsize))
		goto bad;
	s += tok;
	len -= tok;
	text_trim(&s, &len);
	e->enabled = 1;
	if (len == 3 && !memcmp(s, "off", 3))
		e->enabled = 0;
	else if (len != 0 && !(len == 2 && !memcmp(s, "on", 2))) {
		snprintf(msg, msgsize,
			 "after the address only 'on' or 'off' may follow");
		goto bad;
	}
	if (allow_entry_check(e, msg, msgsize))
		goto bad;
	return 0;
bad:
	memset(e, 0, sizeof(*e));
	return -1;
}

/* The mask of byte @i of an address under a prefix of @prefix bits. */
static uint8_t prefix_byte_mask(unsigned int prefix, unsigned int i)
{
	if (prefix >= 8 * (i + 1))
		return 0xff;
	if (prefix <= 8 * i)
		return 0;
	return (uint8_t)(0xff << (8 - (prefix - 8 * i)));
}

/* Set bits of @addr outside the first @prefix bits of @nbytes bytes. */
static int host_bits(const uint8_t *addr, unsigned int nbytes,
		     unsigned int prefix)
{
	unsigned int i;

	for (i = 0; i < nbytes; i++) {
		if (addr[i] & ~prefix_byte_mask(prefix, i))
			return 1;
	}
	return 0;
}

void allow_entry_format_net(const struct pb_allow_entry *e, char *buf,
			    size_t size)
{
	char a[INET6_ADDRSTRLEN], m[INET_ADDRSTRLEN];
	uint32_t mask;

	switch (e->family) {
	case ALLOW_IPV4:
		mask = allow_netmask4(e->prefix);
		inet_ntop(AF_INET, e->addr, a, sizeof(a));
		inet_ntop(AF_INET, &mask, m, sizeof(m));
		snprintf(buf, size, "%s/%s", a, m);
		return;
	case ALLOW_IPV6:
		inet_ntop(AF_INET6, e->addr, a, sizeof(a));
		snprintf(buf, size, "%s/%u", a, e->prefix);
		return;
	default:
		snprintf(buf, size, "none");
	}
}

void allow_entry_format(const struct pb_allow_entry *e, char *buf,
			size_t size)
{
	char net[ALLOW_TEXT_MAX];

	if (e->family == ALLOW_NONE) {
		snprintf(buf, size, "none");
		return;
	}
	allow_entry_format_net(e, net, sizeof(net));
	snprintf(buf, size, "%s %s", net, e->enabled ? "on" : "off");
}

int allow_entry_check(const struct pb_allow_entry *e, char *msg,
		      size_t msgsize)
{
	static const uint8_t zero[16];
	char net[ALLOW_TEXT_MAX];
	unsigned int nbytes;

	switch (e->family) {
	case ALLOW_NONE:
		if (e->prefix || e->enabled || memcmp(e->addr, zero, 16))
			goto garbage;
		return 0;
	case ALLOW_IPV4:
		if (e->prefix > 32 || memcmp(e->addr + 4, zero, 12))
			goto garbage;
		nbytes = 4;
		break;
	case ALLOW_IPV6:
		if (e->prefix > 128)
			goto garbage;
		nbytes = 16;
		break;
	default:
		goto garbage;
	}
	if (e->enabled > 1 || e->pad)
		goto garbage;
	if (host_bits(e->addr, nbytes, e->prefix)) {
		struct pb_allow_entry fixed = *e;
		unsigned int i;

		for (i = 0; i < nbytes; i++)
			fixed.addr[i] &= prefix_byte_mask(e->prefix, i);
		allow_entry_format_net(&fixed, net, sizeof(net));
		snprintf(msg, msgsize,
			 "the address has bits set outside its %s: write %s",
			 e->family == ALLOW_IPV4 ? "netmask" : "prefix", net);
		return -1;
	}
	return 0;
garbage:
	snprintf(msg, msgsize, "malformed entry");
	return -1;
}

int allow_entry_same_net(const struct pb_allow_entry *a,
			 const struct pb_allow_entry *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

int allow_list_check(const struct pb_allow_entry *list, unsigned int n,
		     unsigned int *bad, char *msg, size_t msgsize)
{
	char net[ALLOW_TEXT_MAX];
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		*bad = i;
		if (allow_entry_check(&list[i], msg, msgsize))
			return -1;
		if (list[i].family == ALLOW_NONE)
			continue;
		for (j = 0; j < i; j++) {
			if (!allow_entry_same_net(&list[i], &list[j]))
				continue;
			allow_entry_format_net(&list[i], net, sizeof(net));
			snprintf(msg, msgsize,
				 "%s is already entry %u of this list", net,
				 j + 1);
			return -1;
		}
	}
	return 0;
}

static int entry_matches(const struct pb_allow_entry *e,
			 const uint8_t addr[16])
{
	const uint8_t *a;
	unsigned int nbytes, i;

	if (!e->enabled)
		return 0;
	if (allow_addr_is_v4mapped(addr)) {
		if (e->family != ALLOW_IPV4)
			return 0;
		a = addr + 12;
		nbytes = 4;
	} else {
		if (e->family != ALLOW_IPV6)
			return 0;
		a = addr;
		nbytes = 16;
	}
	for (i = 0; i < nbytes; i++) {
		if ((a[i] ^ e->addr[i]) & prefix_byte_mask(e->prefix, i))
			return 0;
	}
	return 1;
}

int allow_list_matches(const struct pb_allow_entry *list, unsigned int n,
		       const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (entry_matches(&list[i], addr))
			return 1;
	}
	return 0;
}
