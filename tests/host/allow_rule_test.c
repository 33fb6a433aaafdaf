// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of kernel/allowlist/rule.c, the entry checks and the match of
 * portbridge_allow.ko (the same file is compiled into the module).  Run by
 * tests/vm/test_allowlist.py under ASan and UBSan:
 *
 *   gcc -fsanitize=address,undefined -Ikernel/allowlist \
 *       tests/host/allow_rule_test.c kernel/allowlist/rule.c
 *
 * Prints "N passed, M failed"; exits 1 on any failure.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

static int passed, failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

static int v4_rule(struct pba_rule *r, const char *addr, const char *mask)
{
	struct in_addr a, m;

	if (inet_pton(AF_INET, addr, &a) != 1 ||
	    inet_pton(AF_INET, mask, &m) != 1)
		abort();
	return pba_rule_set_v4(r, (const __u8 *)&a, (const __u8 *)&m);
}

static int v6_rule(struct pba_rule *r, const char *addr, unsigned int len)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, addr, &a) != 1)
		abort();
	return pba_rule_set_v6(r, a.s6_addr, len);
}

static struct pba_src v4_src(const char *addr)
{
	struct pba_src s = { .family = PBA_V4 };
	struct in_addr a;

	if (inet_pton(AF_INET, addr, &a) != 1)
		abort();
	memcpy(s.addr, &a, 4);
	return s;
}

static struct pba_src v6_src(const char *addr)
{
	struct pba_src s = { .family = PBA_V6 };

	if (inet_pton(AF_INET6, addr, s.addr) != 1)
		abort();
	return s;
}

static int admits_v4(const struct pba_rule *r, const char *addr)
{
	struct pba_src s = v4_src(addr);

	return pba_rule_admits(r, &s);
}

/* The hardening guide's table (section 3.5), entry by entry. */
static void test_guide_examples(void)
{
	struct pba_rule r;

	CHECK(v4_rule(&r, "192.168.1.120", "255.255.255.255") == PBA_RULE_OK);
	CHECK(r.prefix == 32);
	CHECK(admits_v4(&r, "192.168.1.120"));
	CHECK(!admits_v4(&r, "192.168.1.121"));

	CHECK(v4_rule(&r, "192.168.1.0", "255.255.255.0") == PBA_RULE_OK);
	CHECK(admits_v4(&r, "192.168.1.1") && admits_v4(&r, "192.168.1.254"));
	CHECK(!admits_v4(&r, "192.168.2.1") && !admits_v4(&r, "192.167.1.1"));

	CHECK(v4_rule(&r, "192.168.0.0", "255.255.0.0") == PBA_RULE_OK);
	CHECK(admits_v4(&r, "192.168.1.1") && admits_v4(&r, "192.168.255.254"));
	CHECK(!admits_v4(&r, "192.169.0.1"));

	CHECK(v4_rule(&r, "192.168.1.0", "255.255.255.128") == PBA_RULE_OK);
	CHECK(r.prefix == 25);
	CHECK(admits_v4(&r, "192.168.1.1") && admits_v4(&r, "192.168.1.126"));
	CHECK(!admits_v4(&r, "192.168.1.129"));

	CHECK(v4_rule(&r, "192.168.1.128", "255.255.255.128") == PBA_RULE_OK);
	CHECK(admits_v4(&r, "192.168.1.129") && admits_v4(&r, "192.168.1.254"));
	CHECK(!admits_v4(&r, "192.168.1.126"));

	/* Any host: a zero netmask (the guide switches the list off). */
	CHECK(v4_rule(&r, "0.0.0.0", "0.0.0.0") == PBA_RULE_OK);
	CHECK(r.prefix == 0 && admits_v4(&r, "203.0.113.9"));
}

static void test_bad_v4(void)
{
	struct pba_rule r;

	CHECK(v4_rule(&r, "10.0.0.0", "255.0.255.0") ==
	      PBA_RULE_MASK_NOT_CONTIGUOUS);
	CHECK(v4_rule(&r, "10.0.0.0", "0.255.255.255") ==
	      PBA_RULE_MASK_NOT_CONTIGUOUS);
	CHECK(v4_rule(&r, "10.0.0.0", "255.255.255.253") ==
	      PBA_RULE_MASK_NOT_CONTIGUOUS);
	CHECK(v4_rule(&r, "10.0.0.0", "255.255.255.254") == PBA_RULE_OK);
	CHECK(v4_rule(&r, "192.168.1.5", "255.255.255.0") ==
	      PBA_RULE_HOST_BITS);
	CHECK(v4_rule(&r, "192.168.1.129", "255.255.255.128") ==
	      PBA_RULE_HOST_BITS);
}

/* Every contiguous mask is accepted with its length, every other refused. */
static void test_all_v4_masks(void)
{
	uint32_t m, bad = 0, good = 0;
	struct pba_rule r;
	__u8 zero[4] = { 0 }, mask[4];
	int len;

	for (len = 0; len <= 32; len++) {
		m = len ? htonl(0xffffffffu << (32 - len)) : 0;
		memcpy(mask, &m, 4);
		if (pba_rule_set_v4(&r, zero, mask) == PBA_RULE_OK &&
		    r.prefix == len)
			good++;
	}
	CHECK(good == 33);
	srand(1);
	for (len = 0; len < 100000; len++) {
		uint32_t h = (uint32_t)rand() ^ ((uint32_t)rand() << 16);
		/* contiguous: ~h is of the form 0..01..1 */
		int contiguous = ((~h + 1) & ~h) == 0;

		m = htonl(h);
		memcpy(mask, &m, 4);
		if ((pba_rule_set_v4(&r, zero, mask) == PBA_RULE_OK) !=
		    contiguous)
			bad++;
	}
	CHECK(bad == 0);
}

/* The match against a plain host-order reference, random rules. */
static void test_v4_against_reference(void)
{
	unsigned int i, bad = 0;
	struct pba_rule r;

	srand(2);
	for (i = 0; i < 200000; i++) {
		int len = rand() % 33;
		uint32_t hmask = len ? 0xffffffffu << (32 - len) : 0;
		uint32_t net = ((uint32_t)rand() << 8 ^ (uint32_t)rand()) & hmask;
		uint32_t src = (uint32_t)rand() << 8 ^ (uint32_t)rand();
		uint32_t n_net = htonl(net), n_mask = htonl(hmask);
		struct pba_src s = { .family = PBA_V4 };

		if (rand() & 1)	/* often inside the range */
			src = net | (src & ~hmask);
		if (pba_rule_set_v4(&r, (__u8 *)&n_net, (__u8 *)&n_mask)) {
			bad++;
			continue;
		}
		s.addr[0] = htonl(src);
		if (pba_rule_admits(&r, &s) != ((src & hmask) == net))
			bad++;
	}
	CHECK(bad == 0);
}

static int bit_of(const __u8 *a, int i)
{
	return a[i / 8] >> (7 - i % 8) & 1;
}

static void test_v6_against_reference(void)
{
	unsigned int i, j, bad = 0;
	struct pba_rule r;

	srand(3);
	for (i = 0; i < 100000; i++) {
		unsigned int len = rand() % 129;
		__u8 net[16], src[16];
		struct pba_src s = { .family = PBA_V6 };
		int inside = 1;

		for (j = 0; j < 16; j++) {
			net[j] = rand();
			src[j] = rand() & 1 ? net[j] : rand();
		}
		for (j = len; j < 128; j++)	/* clear the host bits */
			net[j / 8] &= ~(1 << (7 - j % 8));
		if (pba_rule_set_v6(&r, net, len)) {
			bad++;
			continue;
		}
		for (j = 0; j < len; j++)
			inside &= bit_of(net, j) == bit_of(src, j);
		memcpy(s.addr, src, 16);
		if (pba_rule_admits(&r, &s) != inside)
			bad++;
	}
	CHECK(bad == 0);
}

static void test_v6(void)
{
	struct pba_rule r;
	struct pba_src s;

	CHECK(v6_rule(&r, "fd50:3::", 64) == PBA_RULE_OK);
	s = v6_src("fd50:3::77");
	CHECK(pba_rule_admits(&r, &s));
	s = v6_src("fd50:4::77");
	CHECK(!pba_rule_admits(&r, &s));
	CHECK(v6_rule(&r, "fd50:3::1", 64) == PBA_RULE_HOST_BITS);
	CHECK(v6_rule(&r, "fd50:3::", 129) == PBA_RULE_PREFIX_TOO_LONG);
	CHECK(v6_rule(&r, "::", 0) == PBA_RULE_OK);
	s = v6_src("2001:db8::1");
	CHECK(pba_rule_admits(&r, &s));
	CHECK(v6_rule(&r, "fd50:1::2", 128) == PBA_RULE_OK);
	s = v6_src("fd50:1::2");
	CHECK(pba_rule_admits(&r, &s));
	s = v6_src("fd50:1::3");
	CHECK(!pba_rule_admits(&r, &s));
	/* An odd prefix length cuts inside a byte. */
	CHECK(v6_rule(&r, "fd50:1::", 61) == PBA_RULE_OK);
	s = v6_src("fd50:1:0:7::1");
	CHECK(pba_rule_admits(&r, &s));
	s = v6_src("fd50:1:0:8::1");
	CHECK(!pba_rule_admits(&r, &s));
}

/* Disabled entries and the other family never match. */
static void test_enable_and_family(void)
{
	struct pba_rule r;
	struct pba_src s;

	CHECK(v4_rule(&r, "0.0.0.0", "0.0.0.0") == PBA_RULE_OK);
	s = v6_src("::");
	CHECK(!pba_rule_admits(&r, &s));
	r.enabled = 0;
	CHECK(!admits_v4(&r, "10.0.0.1"));
	CHECK(v6_rule(&r, "::", 0) == PBA_RULE_OK);
	s = v4_src("10.0.0.1");
	CHECK(!pba_rule_admits(&r, &s));
	/* An IPv6 packet with a v4-mapped source is still IPv6. */
	CHECK(v4_rule(&r, "10.0.0.1", "255.255.255.255") == PBA_RULE_OK);
	s = v6_src("::ffff:10.0.0.1");
	CHECK(!pba_rule_admits(&r, &s));
}

static void test_identity(void)
{
	struct pba_rule rules[4];

	CHECK(v4_rule(&rules[0], "10.0.0.0", "255.0.0.0") == PBA_RULE_OK);
	CHECK(v4_rule(&rules[1], "10.0.0.0", "255.255.0.0") == PBA_RULE_OK);
	CHECK(v6_rule(&rules[2], "::", 0) == PBA_RULE_OK);
	CHECK(v4_rule(&rules[3], "10.0.0.0", "255.0.0.0") == PBA_RULE_OK);
	rules[3].enabled = 0;
	CHECK(pba_rule_find_same(rules, 1) == -1);
	CHECK(pba_rule_find_same(rules, 2) == -1);
	CHECK(pba_rule_find_same(rules, 3) == 0);
	CHECK(pba_rule_same(&rules[0], &rules[3]));
	CHECK(!pba_rule_same(&rules[0], &rules[1]));
	/* 0.0.0.0/0 and ::/0 are different entries. */
	CHECK(v4_rule(&rules[0], "0.0.0.0", "0.0.0.0") == PBA_RULE_OK);
	CHECK(!pba_rule_same(&rules[0], &rules[2]));
}

int main(void)
{
	test_guide_examples();
	test_bad_v4();
	test_all_v4_masks();
	test_v4_against_reference();
	test_v6_against_reference();
	test_v6();
	test_enable_and_family();
	test_identity();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
