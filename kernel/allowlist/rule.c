// SPDX-License-Identifier: GPL-2.0
/*
 * Entries of the accessible IP list: the checks the hardening guide's
 * table implies (a netmask is contiguous, the address is the first of its
 * range) and the identity of an entry, which decides whether its hit
 * counter survives a list update.
 *
 * Masks are built and checked byte by byte, so no byte-order helper (and
 * no kernel or libc header beyond the uapi types) is needed.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "rule.h"

/* The length of a contiguous mask, or -1 if it has a hole. */
static int pba_mask_length(const __u8 *mask, unsigned int bytes)
{
	unsigned int i, bit, len = 0;
	bool zero_seen = false;

	for (i = 0; i < bytes; i++) {
		for (bit = 0x80; bit; bit >>= 1) {
			if (!(mask[i] & bit)) {
				zero_seen = true;
				continue;
			}
			if (zero_seen)
				return -1;
			len++;
		}
	}
	return len;
}

static void pba_mask_from_length(__u8 *mask, unsigned int bytes,
				 unsigned int len)
{
	unsigned int i, bits;

	for (i = 0; i < bytes; i++) {
		bits = len > 8 * i ? len - 8 * i : 0;
		mask[i] = bits >= 8 ? 0xff : (__u8)(0xff00 >> bits);
	}
}

static bool pba_has_host_bits(const __u8 *addr, const __u8 *mask,
			      unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		if (addr[i] & ~mask[i])
			return true;
	return false;
}

static void pba_rule_fill(struct pba_rule *r, enum pba_family family,
			  const __u8 *addr, const __u8 *mask,
			  unsigned int bytes, unsigned int prefix)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->addr, addr, bytes);
	memcpy(r->mask, mask, bytes);
	r->family = family;
	r->prefix = prefix;
	r->enabled = 1;
}

int pba_rule_set_v4(struct pba_rule *r, const __u8 addr[4],
		    const __u8 netmask[4])
{
	int len = pba_mask_length(netmask, 4);

	if (len < 0)
		return PBA_RULE_MASK_NOT_CONTIGUOUS;
	if (pba_has_host_bits(addr, netmask, 4))
		return PBA_RULE_HOST_BITS;
	pba_rule_fill(r, PBA_V4, addr, netmask, 4, len);
	return PBA_RULE_OK;
}

int pba_rule_set_v6(struct pba_rule *r, const __u8 addr[16],
		    unsigned int prefix)
{
	__u8 mask[16];

	if (prefix > 128)
		return PBA_RULE_PREFIX_TOO_LONG;
	pba_mask_from_length(mask, 16, prefix);
	if (pba_has_host_bits(addr, mask, 16))
		return PBA_RULE_HOST_BITS;
	pba_rule_fill(r, PBA_V6, addr, mask, 16, prefix);
	return PBA_RULE_OK;
}

bool pba_rule_same(const struct pba_rule *a, const struct pba_rule *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

int pba_rule_find_same(const struct pba_rule *rules, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (pba_rule_same(&rules[j], &rules[i]))
			return j;
	return -1;
}
