/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One entry of the accessible IP list: checking what a request asks for
 * and matching a source address.  Pure C without kernel dependencies: the
 * same file is compiled into portbridge_allow.ko and into the host test
 * tests/host/allow_rule_test.c.
 */
#ifndef PBA_RULE_H
#define PBA_RULE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <linux/types.h>
#endif

enum pba_family {
	PBA_V4 = 4,
	PBA_V6 = 6,
};

/*
 * Addresses and masks are kept as packets carry them (network byte
 * order), word by word: matching is XOR and AND, which do not care about
 * byte order.  An IPv4 rule uses word 0 only; the other words are zero.
 */
struct pba_rule {
	__u32 addr[4];
	__u32 mask[4];
	__u8 family;		/* enum pba_family */
	__u8 prefix;		/* the mask's length in bits */
	__u8 enabled;
};

/* A packet's source address, in the same form. */
struct pba_src {
	__u32 addr[4];
	__u8 family;
};

enum pba_rule_err {
	PBA_RULE_OK,
	PBA_RULE_MASK_NOT_CONTIGUOUS,
	PBA_RULE_PREFIX_TOO_LONG,
	PBA_RULE_HOST_BITS,
};

/* Fill @r (enabled) from an address and mask; 0 or an enum pba_rule_err. */
int pba_rule_set_v4(struct pba_rule *r, const __u8 addr[4],
		    const __u8 netmask[4]);
int pba_rule_set_v6(struct pba_rule *r, const __u8 addr[16],
		    unsigned int prefix);

/* Same family, address and mask; the enable flag does not count. */
bool pba_rule_same(const struct pba_rule *a, const struct pba_rule *b);

/* The first of rules[0 .. i) that is the same as rules[i], or -1. */
int pba_rule_find_same(const struct pba_rule *rules, unsigned int i);

/* Does @r let @src in?  The packet path: keep it branch-light. */
static inline bool pba_rule_admits(const struct pba_rule *r,
				   const struct pba_src *src)
{
	__u32 diff;

	if (!r->enabled || r->family != src->family)
		return false;
	diff = (src->addr[0] ^ r->addr[0]) & r->mask[0];
	if (src->family == PBA_V6)
		diff |= ((src->addr[1] ^ r->addr[1]) & r->mask[1]) |
			((src->addr[2] ^ r->addr[2]) & r->mask[2]) |
			((src->addr[3] ^ r->addr[3]) & r->mask[3]);
	return !diff;
}

#endif /* PBA_RULE_H */
