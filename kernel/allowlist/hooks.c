// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter LOCAL_IN hooks for IPv4 and IPv6.
 *
 * LOCAL_IN runs once routing has decided a packet is for this host, after
 * IPv4 reassembly and before the transport looks for a socket: a dropped
 * SYN never reaches a listener (no SYN-ACK, no request socket, no
 * cookie), a dropped datagram never reaches a receive queue.  Priority
 * NF_IP_PRI_FILTER puts us where iptables' and nftables' filter chains
 * run, and before conntrack's helpers (300) and confirmation (last), so a
 * denied packet never creates a conntrack entry.  Nothing here depends on
 * conntrack: every packet is judged on its own, which is why established
 * connections follow a new list at once.
 *
 * A packet from the loopback device comes from this host and always
 * passes.  A packet that is not TCP or UDP passes.  One whose transport
 * header cannot be read cannot be allowed and is dropped (the stack would
 * drop it too).
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "hooks.h"
#include "netns.h"

/* @ports: the transport header's source and destination port. */
static unsigned int pba_verdict(const struct nf_hook_state *state, u8 proto,
				const __be16 *ports,
				const struct pba_src *src)
{
	struct pba_net *pn = pba_net(state->net);
	const struct pba_table *t = rcu_dereference(pn->table);
	const struct pba_item *item;
	const struct pba_entry *e;

	item = pba_table_protects(t, pba_key(proto, ntohs(ports[1])));
	if (!item)
		return NF_ACCEPT;
	e = pba_table_match(t, item, src);
	if (e) {
		pba_counter_inc(e->hits);
		return NF_ACCEPT;
	}
	pba_counter_inc(item->drops);
	pba_counter_inc(pn->drops);
	pba_events_denied(state->net, &pn->events, src, item->key,
			  ntohs(ports[0]));
	return NF_DROP;
}

static bool pba_from_loopback(const struct nf_hook_state *state)
{
	return state->in && (state->in->flags & IFF_LOOPBACK);
}

static unsigned int pba_ipv4_in(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct pba_src src = { .family = PBA_V4 };
	const __be16 *ports;
	__be16 buf[2];

	if (pba_from_loopback(state))
		return NF_ACCEPT;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	/* Reassembled before LOCAL_IN; a later fragment has no port. */
	if (iph->frag_off & htons(IP_OFFSET))
		return NF_ACCEPT;
	ports = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(buf), buf);
	if (!ports)
		return NF_DROP;
	src.addr[0] = (__force u32)iph->saddr;
	return pba_verdict(state, iph->protocol, ports, &src);
}

/*
 * IPv6 fragments are reassembled after LOCAL_IN (unless conntrack's
 * defragmentation runs), so the hook sees each one.  The first carries
 * the transport header (the stack drops a first fragment that does not)
 * and decides; a later fragment passes, as without its first one it is
 * never reassembled.
 */
static unsigned int pba_ipv6_in(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct pba_src src = { .family = PBA_V6 };
	unsigned int thoff = 0;
	unsigned short fragoff;
	const __be16 *ports;
	__be16 buf[2];
	int proto;

	if (pba_from_loopback(state))
		return NF_ACCEPT;
	proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, NULL);
	if (proto < 0)
		return NF_DROP;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return NF_ACCEPT;
	if (fragoff)
		return NF_ACCEPT;
	ports = skb_header_pointer(skb, thoff, sizeof(buf), buf);
	if (!ports)
		return NF_DROP;
	memcpy(src.addr, &ipv6_hdr(skb)->saddr, sizeof(src.addr));
	return pba_verdict(state, proto, ports, &src);
}

static const struct nf_hook_ops pba_hook_ops[] = {
	{
		.hook		= pba_ipv4_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER,
	},
	{
		.hook		= pba_ipv6_in,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_FILTER,
	},
};

int pba_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, pba_hook_ops,
				     ARRAY_SIZE(pba_hook_ops));
}

/*
 * A packet may still be inside a hook when this returns; it holds the RCU
 * read lock, and the table and module outlive it by a grace period.
 */
void pba_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, pba_hook_ops, ARRAY_SIZE(pba_hook_ops));
}
