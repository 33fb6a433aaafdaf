// SPDX-License-Identifier: GPL-2.0
/*
 * The "pb_allow" generic netlink family: GET (doit and dump), the four
 * SETs, and the denied events on the "events" group.
 *
 * Every attribute has a policy, so the handlers only see well-formed
 * values.  What a policy cannot say (a netmask with a hole, two equal
 * entries, too many of something) is checked here, before anything
 * changes, with an extended ack that names the problem and points at the
 * attribute.  A request acts on the namespace of its socket; SETs need
 * CAP_NET_ADMIN there, and so does listening to the events, which carry
 * the addresses of denied hosts.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/sort.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <linux/portbridge_allow.h>

#include "netlink.h"
#include "netns.h"
#include "sysfs.h"

static struct genl_family pba_family;

/*
 * Cleared, and a grace period waited for, before the family goes away:
 * the hooks test it (inside their RCU read section) before multicasting.
 */
static bool pba_nl_ready;

#define PBA_READ_ONLY { .type = NLA_REJECT, \
			.reject_message = "attribute is read-only" }

/*
 * The policy bounds a protocol to 6 .. 17; pba_nl_read_key() refuses what
 * lies between.  (A validation function would say it at once, but 6.1
 * warns when it dumps such a policy for an integer attribute.)
 */
#define PBA_PROTO_POLICY NLA_POLICY_RANGE(NLA_U8, IPPROTO_TCP, IPPROTO_UDP)

static const struct nla_policy pba_entry_policy[PBA_E_MAX + 1] = {
	[PBA_E_PAD]		= { .type = NLA_REJECT },
	[PBA_E_ADDR4]		= { .type = NLA_BE32 },
	[PBA_E_NETMASK4]	= { .type = NLA_BE32 },
	[PBA_E_ADDR6]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[PBA_E_PREFIX6]		= NLA_POLICY_MAX(NLA_U8, 128),
	[PBA_E_ENABLED]		= NLA_POLICY_MAX(NLA_U8, 1),
	[PBA_E_HITS]		= PBA_READ_ONLY,
};

static const struct nla_policy pba_svc_policy[PBA_SVC_MAX + 1] = {
	[PBA_SVC_PROTO]	= PBA_PROTO_POLICY,
	[PBA_SVC_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy pba_policy[PBA_A_MAX + 1] = {
	[PBA_A_PAD]		= { .type = NLA_REJECT },
	[PBA_A_ENABLED]		= NLA_POLICY_MAX(NLA_U8, 1),
	[PBA_A_PROTO]		= PBA_PROTO_POLICY,
	[PBA_A_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[PBA_A_ENTRIES]		= NLA_POLICY_NESTED_ARRAY(pba_entry_policy),
	[PBA_A_PROTECTED]	= NLA_POLICY_NESTED_ARRAY(pba_svc_policy),
	[PBA_A_IS_PROTECTED]	= PBA_READ_ONLY,
	[PBA_A_DROPS]		= PBA_READ_ONLY,
	[PBA_A_STATS]		= PBA_READ_ONLY,
	[PBA_A_SRC_ADDR]	= PBA_READ_ONLY,
	[PBA_A_SRC_PORT]	= PBA_READ_ONLY,
	[PBA_A_SUPPRESSED]	= PBA_READ_ONLY,
	[PBA_A_GUARD_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[PBA_A_GUARD_PROTO]	= PBA_PROTO_POLICY,
	[PBA_A_GUARD_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
};

/* Sessions name IPv4 peers v4-mapped, as dual-stack sockets report them. */
static void pba_src_from_in6(struct pba_src *src, const struct in6_addr *a)
{
	memset(src, 0, sizeof(*src));
	if (ipv6_addr_v4mapped(a)) {
		src->family = PBA_V4;
		src->addr[0] = (__force u32)a->s6_addr32[3];
	} else {
		src->family = PBA_V6;
		memcpy(src->addr, a, sizeof(src->addr));
	}
}

static void pba_src_to_in6(const struct pba_src *src, struct in6_addr *a)
{
	if (src->family == PBA_V4)
		ipv6_addr_set_v4mapped((__force __be32)src->addr[0], a);
	else
		memcpy(a, src->addr, sizeof(*a));
}

/* ---- Reading requests -------------------------------------------------- */

static int pba_nl_rule_error(int err, const struct nlattr *entry,
			     struct netlink_ext_ack *extack)
{
	switch (err) {
	case PBA_RULE_OK:
		return 0;
	case PBA_RULE_MASK_NOT_CONTIGUOUS:
		NL_SET_ERR_MSG_ATTR(extack, entry,
				    "the IPv4 netmask is not contiguous");
		break;
	case PBA_RULE_PREFIX_TOO_LONG:
		NL_SET_ERR_MSG_ATTR(extack, entry,
				    "the IPv6 prefix length is over 128");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, entry, "the address has bits set outside its netmask or prefix");
		break;
	}
	return -EINVAL;
}

static int pba_nl_parse_v4(struct nlattr **tb, const struct nlattr *entry,
			   struct pba_rule *rule,
			   struct netlink_ext_ack *extack)
{
	__be32 addr = nla_get_in_addr(tb[PBA_E_ADDR4]);
	__be32 mask = htonl(0xffffffff);

	if (tb[PBA_E_PREFIX6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PBA_E_PREFIX6], "an IPv4 entry takes a netmask, not a prefix length");
		return -EINVAL;
	}
	if (tb[PBA_E_NETMASK4])
		mask = nla_get_in_addr(tb[PBA_E_NETMASK4]);
	return pba_nl_rule_error(pba_rule_set_v4(rule, (u8 *)&addr,
						 (u8 *)&mask), entry, extack);
}

static int pba_nl_parse_v6(struct nlattr **tb, const struct nlattr *entry,
			   struct pba_rule *rule,
			   struct netlink_ext_ack *extack)
{
	struct in6_addr addr = nla_get_in6_addr(tb[PBA_E_ADDR6]);
	unsigned int prefix = 128;

	if (tb[PBA_E_NETMASK4]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PBA_E_NETMASK4], "an IPv6 entry takes a prefix length, not a netmask");
		return -EINVAL;
	}
	if (tb[PBA_E_PREFIX6])
		prefix = nla_get_u8(tb[PBA_E_PREFIX6]);
	return pba_nl_rule_error(pba_rule_set_v6(rule, addr.s6_addr, prefix),
				 entry, extack);
}

static int pba_nl_parse_entry(const struct nlattr *entry,
			      struct pba_rule *rule,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PBA_E_MAX + 1];
	int err;

	err = nla_parse_nested(tb, PBA_E_MAX, entry, pba_entry_policy,
			       extack);
	if (err)
		return err;
	if (tb[PBA_E_ADDR4] && tb[PBA_E_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, entry, "an entry has both an IPv4 and an IPv6 address");
		return -EINVAL;
	}
	if (tb[PBA_E_ADDR4])
		err = pba_nl_parse_v4(tb, entry, rule, extack);
	else if (tb[PBA_E_ADDR6])
		err = pba_nl_parse_v6(tb, entry, rule, extack);
	else {
		NL_SET_ERR_MSG_ATTR(extack, entry, "an entry has no address");
		return -EINVAL;
	}
	if (!err && tb[PBA_E_ENABLED])
		rule->enabled = nla_get_u8(tb[PBA_E_ENABLED]);
	return err;
}

/* @rules has room for PBA_MAX_ENTRIES; an absent list is an empty one. */
static int pba_nl_parse_entries(const struct nlattr *list,
				struct pba_rule *rules, unsigned int *n,
				struct netlink_ext_ack *extack)
{
	const struct nlattr *entry;
	int rem, err;

	*n = 0;
	if (!list)
		return 0;
	nla_for_each_nested(entry, list, rem) {
		if (*n == PBA_MAX_ENTRIES) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "too many entries (at most " __stringify(PBA_MAX_ENTRIES) " per list)");
			return -ENOSPC;
		}
		err = pba_nl_parse_entry(entry, &rules[*n], extack);
		if (err)
			return err;
		if (pba_rule_find_same(rules, *n) >= 0) {
			NL_SET_ERR_MSG_ATTR(extack, entry, "two entries have the same address and mask");
			return -EINVAL;
		}
		(*n)++;
	}
	return 0;
}

/* A (protocol, port) pair from two attributes that passed the policy. */
static int pba_nl_read_key(const struct nlattr *proto,
			   const struct nlattr *port, u32 *key,
			   struct netlink_ext_ack *extack)
{
	u8 p = nla_get_u8(proto);

	if (p != IPPROTO_TCP && p != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, proto, "the protocol must be TCP (6) or UDP (17)");
		return -EINVAL;
	}
	*key = pba_key(p, nla_get_u16(port));
	return 0;
}

static int pba_nl_cmp_key(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* @keys has room for PBA_MAX_PORTS; they come back sorted. */
static int pba_nl_parse_protected(const struct nlattr *list, u32 *keys,
				  unsigned int *n,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PBA_SVC_MAX + 1];
	const struct nlattr *svc;
	unsigned int i;
	int rem, err;

	*n = 0;
	if (!list)
		return 0;
	nla_for_each_nested(svc, list, rem) {
		if (*n == PBA_MAX_PORTS) {
			NL_SET_ERR_MSG_ATTR(extack, svc,
					    "too many protected ports (at most " __stringify(PBA_MAX_PORTS) ")");
			return -ENOSPC;
		}
		err = nla_parse_nested(tb, PBA_SVC_MAX, svc, pba_svc_policy,
				       extack);
		if (err)
			return err;
		if (!tb[PBA_SVC_PROTO] || !tb[PBA_SVC_PORT]) {
			NL_SET_ERR_MSG_ATTR(extack, svc, "a protected port needs a protocol and a port");
			return -EINVAL;
		}
		err = pba_nl_read_key(tb[PBA_SVC_PROTO], tb[PBA_SVC_PORT],
				      &keys[*n], extack);
		if (err)
			return err;
		(*n)++;
	}
	sort(keys, *n, sizeof(*keys), pba_nl_cmp_key, NULL);
	for (i = 1; i < *n; i++) {
		if (keys[i] == keys[i - 1]) {
			NL_SET_ERR_MSG_ATTR(extack, list, "a port is in the protected set twice");
			return -EINVAL;
		}
	}
	return 0;
}

/* The port a request names with PBA_A_PROTO and PBA_A_PORT. */
static int pba_nl_port_key(struct genl_info *info, u32 *key)
{
	if (!info->attrs[PBA_A_PROTO] || !info->attrs[PBA_A_PORT]) {
		NL_SET_ERR_MSG(info->extack, "a port needs a protocol (PBA_A_PROTO) and a number (PBA_A_PORT)");
		return -EINVAL;
	}
	return pba_nl_read_key(info->attrs[PBA_A_PROTO],
			       info->attrs[PBA_A_PORT], key, info->extack);
}

/* The optional lockout guard: *guard is NULL when the request has none. */
static int pba_nl_parse_guard(struct genl_info *info, struct pba_guard *buf,
			      const struct pba_guard **guard)
{
	struct nlattr **a = info->attrs;
	struct in6_addr addr;
	int err;

	*guard = NULL;
	if (!a[PBA_A_GUARD_ADDR] && !a[PBA_A_GUARD_PROTO] &&
	    !a[PBA_A_GUARD_PORT])
		return 0;
	if (!a[PBA_A_GUARD_ADDR] || !a[PBA_A_GUARD_PROTO] ||
	    !a[PBA_A_GUARD_PORT]) {
		NL_SET_ERR_MSG(info->extack, "the lockout guard needs an address, a protocol and a port");
		return -EINVAL;
	}
	err = pba_nl_read_key(a[PBA_A_GUARD_PROTO], a[PBA_A_GUARD_PORT],
			      &buf->key, info->extack);
	if (err)
		return err;
	addr = nla_get_in6_addr(a[PBA_A_GUARD_ADDR]);
	pba_src_from_in6(&buf->src, &addr);
	*guard = buf;
	return 0;
}

/* ---- Writing messages -------------------------------------------------- */

static int pba_nl_put_entry(struct sk_buff *skb, const struct pba_entry *e,
			    int row)
{
	const struct pba_rule *r = &e->rule;
	struct nlattr *nest;

	nest = nla_nest_start(skb, row);
	if (!nest)
		return -EMSGSIZE;
	if (r->family == PBA_V4) {
		if (nla_put_in_addr(skb, PBA_E_ADDR4,
				    (__force __be32)r->addr[0]) ||
		    nla_put_in_addr(skb, PBA_E_NETMASK4,
				    (__force __be32)r->mask[0]))
			goto cancel;
	} else if (nla_put(skb, PBA_E_ADDR6, sizeof(r->addr), r->addr) ||
		   nla_put_u8(skb, PBA_E_PREFIX6, r->prefix)) {
		goto cancel;
	}
	if (nla_put_u8(skb, PBA_E_ENABLED, r->enabled) ||
	    nla_put_u64_64bit(skb, PBA_E_HITS, pba_counter_read(e->hits),
			      PBA_E_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int pba_nl_put_entries(struct sk_buff *skb,
			      const struct pba_entry *e, unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, PBA_A_ENTRIES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (pba_nl_put_entry(skb, &e[i], i + 1)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int pba_nl_put_stats(struct sk_buff *skb, struct pba_net *pn)
{
	struct nlattr *nest;
	u64 sent, suppressed;

	pba_events_read(&pn->events, &sent, &suppressed);
	nest = nla_nest_start(skb, PBA_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PBA_STAT_DROPS,
			      pba_counter_read(pn->drops), PBA_STAT_PAD) ||
	    nla_put_u64_64bit(skb, PBA_STAT_EVENTS_SENT, sent,
			      PBA_STAT_PAD) ||
	    nla_put_u64_64bit(skb, PBA_STAT_EVENTS_SUPPRESSED, suppressed,
			      PBA_STAT_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Caller holds the RCU read lock (@t). */
static int pba_nl_fill_global(struct sk_buff *skb, struct pba_net *pn,
			      const struct pba_table *t, u32 portid, u32 seq,
			      int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pba_family, flags, PBA_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, PBA_A_ENABLED, READ_ONCE(pn->enabled)) ||
	    pba_nl_put_entries(skb, t->entry, t->nglobal) ||
	    pba_nl_put_stats(skb, pn)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Caller holds the RCU read lock (@t). */
static int pba_nl_fill_port(struct sk_buff *skb, const struct pba_table *t,
			    const struct pba_item *item, u32 portid, u32 seq,
			    int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pba_family, flags, PBA_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, PBA_A_PROTO, pba_key_proto(item->key)) ||
	    nla_put_u16(skb, PBA_A_PORT, pba_key_port(item->key)) ||
	    nla_put_u8(skb, PBA_A_IS_PROTECTED, item->protected) ||
	    nla_put_u64_64bit(skb, PBA_A_DROPS, pba_counter_read(item->drops),
			      PBA_A_PAD) ||
	    pba_nl_put_entries(skb, &t->entry[item->first], item->count)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* ---- Commands ---------------------------------------------------------- */

static int pba_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct pba_net *pn = pba_net(genl_info_net(info));
	bool one_port = info->attrs[PBA_A_PROTO] || info->attrs[PBA_A_PORT];
	const struct pba_item *item;
	const struct pba_table *t;
	struct sk_buff *msg;
	u32 key = 0;
	int err;

	if (one_port) {
		err = pba_nl_port_key(info, &key);
		if (err)
			return err;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	t = rcu_dereference(pn->table);
	item = one_port ? pba_table_find(t, key) : NULL;
	if (!one_port) {
		err = pba_nl_fill_global(msg, pn, t, info->snd_portid,
					 info->snd_seq, 0);
	} else if (item) {
		err = pba_nl_fill_port(msg, t, item, info->snd_portid,
				       info->snd_seq, 0);
	} else {
		NL_SET_ERR_MSG(info->extack, "that port is neither protected nor has a list");
		err = -ENOENT;
	}
	rcu_read_unlock();

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * cb->args[0]: 0 until the global message is out, then 1 + the key of
 * the next port to dump.  A dump that spans several reads sees the table
 * current at each read, in key order, each port at most once.
 */
static int pba_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pba_net *pn = pba_net(sock_net(skb->sk));
	u32 portid = NETLINK_CB(cb->skb).portid, seq = cb->nlh->nlmsg_seq;
	const struct pba_item *item, *end;
	const struct pba_table *t;

	rcu_read_lock();
	t = rcu_dereference(pn->table);
	if (!cb->args[0]) {
		if (pba_nl_fill_global(skb, pn, t, portid, seq, NLM_F_MULTI))
			goto out;
		cb->args[0] = 1;
	}
	end = t->item + t->nitems;
	for (item = pba_table_find_from(t, cb->args[0] - 1);
	     item && item < end; item++) {
		if (pba_nl_fill_port(skb, t, item, portid, seq, NLM_F_MULTI))
			break;
		cb->args[0] = item->key + 2;
	}
out:
	rcu_read_unlock();
	return skb->len;
}

/* sysfs shows the initial namespace; its port directories follow. */
static void pba_nl_changed(struct net *net)
{
	if (net_eq(net, &init_net))
		pba_sysfs_sync();
}

static int pba_nl_set_enabled(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct pba_guard *guard = NULL;
	struct pba_guard buf;
	int err;

	if (!info->attrs[PBA_A_ENABLED]) {
		NL_SET_ERR_MSG(info->extack, "the switch (PBA_A_ENABLED) is missing");
		return -EINVAL;
	}
	err = pba_nl_parse_guard(info, &buf, &guard);
	if (err)
		return err;
	return pba_net_set_enabled(net, nla_get_u8(info->attrs[PBA_A_ENABLED]),
				   guard, info->extack);
}

static int pba_nl_set_list(struct genl_info *info, u32 key)
{
	struct net *net = genl_info_net(info);
	struct pba_rule rules[PBA_MAX_ENTRIES];
	struct pba_update up = {
		.set_list = true,
		.key = key,
		.rules = rules,
	};
	const struct pba_guard *guard = NULL;
	struct pba_guard buf;
	int err;

	err = pba_nl_parse_entries(info->attrs[PBA_A_ENTRIES], rules,
				   &up.nrules, info->extack);
	if (!err)
		err = pba_nl_parse_guard(info, &buf, &guard);
	if (!err)
		err = pba_net_update(net, &up, guard, info->extack);
	if (!err)
		pba_nl_changed(net);
	return err;
}

static int pba_nl_set_global(struct sk_buff *skb, struct genl_info *info)
{
	return pba_nl_set_list(info, PBA_KEY_GLOBAL);
}

static int pba_nl_set_port(struct sk_buff *skb, struct genl_info *info)
{
	u32 key;
	int err;

	err = pba_nl_port_key(info, &key);
	return err ?: pba_nl_set_list(info, key);
}

static int pba_nl_set_protected(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	u32 keys[PBA_MAX_PORTS];
	struct pba_update up = {
		.set_protected = true,
		.protected = keys,
	};
	const struct pba_guard *guard = NULL;
	struct pba_guard buf;
	int err;

	err = pba_nl_parse_protected(info->attrs[PBA_A_PROTECTED], keys,
				     &up.nprotected, info->extack);
	if (!err)
		err = pba_nl_parse_guard(info, &buf, &guard);
	if (!err)
		err = pba_net_update(net, &up, guard, info->extack);
	if (!err)
		pba_nl_changed(net);
	return err;
}

/* ---- Events ------------------------------------------------------------ */

bool pba_netlink_listening(struct net *net)
{
	return READ_ONCE(pba_nl_ready) &&
	       genl_has_listeners(&pba_family, net, 0);
}

/* Packet path: atomic allocation, no locks held.  0 or -errno. */
int pba_netlink_denied(struct net *net, const struct pba_src *src, u32 key,
		       u16 sport, u32 suppressed)
{
	struct in6_addr addr;
	struct sk_buff *skb;
	size_t size;
	void *hdr;

	size = nla_total_size(sizeof(u8)) + 2 * nla_total_size(sizeof(u16)) +
	       nla_total_size(sizeof(addr)) + nla_total_size(sizeof(u32));
	skb = genlmsg_new(size, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &pba_family, 0, PBA_CMD_EVENT_DENIED);
	if (!hdr)
		goto fail;
	pba_src_to_in6(src, &addr);
	if (nla_put_u8(skb, PBA_A_PROTO, pba_key_proto(key)) ||
	    nla_put_u16(skb, PBA_A_PORT, pba_key_port(key)) ||
	    nla_put_in6_addr(skb, PBA_A_SRC_ADDR, &addr) ||
	    nla_put_u16(skb, PBA_A_SRC_PORT, sport) ||
	    nla_put_u32(skb, PBA_A_SUPPRESSED, suppressed))
		goto fail;
	genlmsg_end(skb, hdr);
	/* -ESRCH only says the last listener just left. */
	genlmsg_multicast_netns(&pba_family, net, skb, 0, 0, GFP_ATOMIC);
	return 0;

fail:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/* ---- Family ------------------------------------------------------------ */

static const struct genl_small_ops pba_ops[] = {
	{
		.cmd = PBA_CMD_GET,
		.doit = pba_nl_get,
		.dumpit = pba_nl_dump,
	},
	{
		.cmd = PBA_CMD_SET_ENABLED,
		.doit = pba_nl_set_enabled,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PBA_CMD_SET_GLOBAL,
		.doit = pba_nl_set_global,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PBA_CMD_SET_PORT,
		.doit = pba_nl_set_port,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = PBA_CMD_SET_PROTECTED,
		.doit = pba_nl_set_protected,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group pba_mcgrps[] = {
	{ .name = PBA_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family pba_family __ro_after_init = {
	.name		= PBA_GENL_NAME,
	.version	= PBA_GENL_VERSION,
	.maxattr	= PBA_A_MAX,
	.policy		= pba_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= pba_ops,
	.n_small_ops	= ARRAY_SIZE(pba_ops),
	.mcgrps		= pba_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pba_mcgrps),
};

int __init pba_netlink_init(void)
{
	int err = genl_register_family(&pba_family);

	if (!err)
		WRITE_ONCE(pba_nl_ready, true);
	return err;
}

void pba_netlink_exit(void)
{
	WRITE_ONCE(pba_nl_ready, false);
	synchronize_net();
	genl_unregister_family(&pba_family);
}
