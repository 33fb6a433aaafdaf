// SPDX-License-Identifier: GPL-2.0
/*
 * The "portbridge" generic netlink family: PORT_GET (doit and
 * dump), PORT_SET, and the connection events on the "events" group.
 *
 * Every attribute has a policy, so the handlers only see values in range;
 * read-only attributes are rejected with a message.  Reading needs no
 * privilege, PORT_SET needs CAP_NET_ADMIN.  The family lives in init_net
 * only, like the sockets the ports listen on.
 */

#include <linux/in6.h>
#include <linux/stdarg.h>
#include <net/ipv6.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "netlink.h"
#include "port.h"

static struct genl_family pb_family;

#define PB_READ_ONLY { .type = NLA_REJECT, \
		       .reject_message = "attribute is read-only" }

/* The short form of a range policy only holds s16 bounds. */
static struct netlink_range_validation pb_baud_range = {
	.min = 50,
	.max = 921600,
};

/* Times in ms: up to a day. */
static struct netlink_range_validation pb_ms_range = {
	.min = 0,
	.max = 86400000,
};

static const struct nla_policy pb_dest_policy[PB_DEST_MAX + 1] = {
	[PB_DEST_ADDR]		= NLA_POLICY_EXACT_LEN(16),
	[PB_DEST_ADDR_END]	= NLA_POLICY_EXACT_LEN(16),
	[PB_DEST_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
};

/* Inside PB_A_DESTINATIONS: only PB_A_DEST. */
static const struct nla_policy pb_dests_policy[PB_A_DEST + 1] = {
	[PB_A_DEST]		= NLA_POLICY_NESTED(pb_dest_policy),
};

static const struct nla_policy pb_policy[PB_A_MAX + 1] = {
	[PB_A_PAD]		= { .type = NLA_REJECT },
	[PB_A_PORT_INDEX]	= NLA_POLICY_RANGE(NLA_U32, 1, PB_MAX_PORTS),
	[PB_A_TTY_NAME]		= PB_READ_ONLY,
	[PB_A_MODE]		= NLA_POLICY_MAX(NLA_U8, __PB_MODE_MAX - 1),
	[PB_A_LOCAL_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[PB_A_MAX_CONNS]	= NLA_POLICY_RANGE(NLA_U8, 1, PB_MAX_CONNS),
	[PB_A_BAUD]		= NLA_POLICY_FULL_RANGE(NLA_U32, &pb_baud_range),
	[PB_A_DATA_BITS]	= NLA_POLICY_RANGE(NLA_U8, 5, 8),
	[PB_A_PARITY]		= NLA_POLICY_MAX(NLA_U8, __PB_PARITY_MAX - 1),
	[PB_A_STOP_BITS]	= NLA_POLICY_RANGE(NLA_U8, 1, 2),
	[PB_A_FLOW]		= NLA_POLICY_MAX(NLA_U8, __PB_FLOW_MAX - 1),
	[PB_A_STATS]		= PB_READ_ONLY,
	[PB_A_PEER_ADDR]	= PB_READ_ONLY,
	[PB_A_PEER_PORT]	= PB_READ_ONLY,
	[PB_A_EVENT_REASON]	= PB_READ_ONLY,
	[PB_A_CMD_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[PB_A_INACTIVITY_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32, &pb_ms_range),
	/* TCP_MAX_KEEPIDLE, TCP_MAX_KEEPINTVL, TCP_MAX_KEEPCNT */
	[PB_A_KEEPALIVE_IDLE]	= NLA_POLICY_MAX(NLA_U16, 32767),
	[PB_A_KEEPALIVE_INTVL]	= NLA_POLICY_RANGE(NLA_U16, 1, 32767),
	[PB_A_KEEPALIVE_CNT]	= NLA_POLICY_RANGE(NLA_U8, 1, 127),
	[PB_A_IGNORE_JAMMED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[PB_A_JAMMED_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32, &pb_ms_range),
	[PB_A_DESTINATIONS]	= NLA_POLICY_NESTED(pb_dests_policy),
	[PB_A_DEST]		= { .type = NLA_REJECT,
				    .reject_message =
					"PB_A_DEST belongs in PB_A_DESTINATIONS" },
	[PB_A_CONNECT_ON]	= NLA_POLICY_MAX(NLA_U8, __PB_CONNECT_MAX - 1),
	[PB_A_PACK_LENGTH]	= NLA_POLICY_MAX(NLA_U16, PB_PACK_LENGTH_MAX),
	[PB_A_DELIM1]		= NLA_POLICY_MAX(NLA_U16, PB_DELIM_OFF),
	[PB_A_DELIM2]		= NLA_POLICY_MAX(NLA_U16, PB_DELIM_OFF),
	[PB_A_DELIM_PROCESS]	= NLA_POLICY_MAX(NLA_U8, __PB_DELIM_MAX - 1),
	[PB_A_FORCE_TX_MS]	= { .type = NLA_U16 },
	[PB_A_FIFO]		= NLA_POLICY_MAX(NLA_U8, 1),
	[PB_A_INTERFACE]	= NLA_POLICY_MAX(NLA_U8, __PB_IF_MAX - 1),
	[PB_A_DTR]		= NLA_POLICY_MAX(NLA_U8, 1),
	[PB_A_RTS]		= NLA_POLICY_MAX(NLA_U8, 1),
};

/*
 * Formatted extack messages.  6.1 has no NL_SET_ERR_MSG_FMT: extack keeps
 * only a pointer, and the ack that copies the text is built after the
 * handler returned and dropped every lock.  So messages live in a small
 * ring of static slots that is reused only after PB_ERRMSG_SLOTS further
 * messages.  The last byte of a slot is never written, so even a slot
 * reused while being copied is a terminated string.
 */
#define PB_ERRMSG_SLOTS	16
#define PB_ERRMSG_LEN	96

static char pb_errmsg[PB_ERRMSG_SLOTS][PB_ERRMSG_LEN];
static atomic_t pb_errmsg_next = ATOMIC_INIT(0);

void pb_set_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		const char *fmt, ...)
{
	unsigned int slot;
	va_list args;

	if (!extack)
		return;
	slot = (unsigned int)atomic_inc_return(&pb_errmsg_next) %
	       PB_ERRMSG_SLOTS;
	va_start(args, fmt);
	vsnprintf(pb_errmsg[slot], PB_ERRMSG_LEN - 1, fmt, args);
	va_end(args);
	extack->_msg = pb_errmsg[slot];
	if (attr)
		NL_SET_BAD_ATTR(extack, attr);
}

struct pb_nl_counter {
	u8 id;
	size_t offset;		/* in struct pb_stats */
};

#define PB_COUNTER(id, field) { id, offsetof(struct pb_stats, field) }

static const struct pb_nl_counter pb_counters[] = {
	PB_COUNTER(PB_STAT_RX_BYTES, rx_bytes),
	PB_COUNTER(PB_STAT_TX_BYTES, tx_bytes),
	PB_COUNTER(PB_STAT_CONNECTIONS, connections),
	PB_COUNTER(PB_STAT_REFUSED, refused),
	PB_COUNTER(PB_STAT_PARITY_ERRORS, parity_errors),
	PB_COUNTER(PB_STAT_FRAME_ERRORS, frame_errors),
	PB_COUNTER(PB_STAT_OVERRUNS, overruns),
	PB_COUNTER(PB_STAT_BREAKS, breaks),
	PB_COUNTER(PB_STAT_NET_ERRORS, net_errors),
	PB_COUNTER(PB_STAT_JAMMED_SKIPS, jammed_skips),
	PB_COUNTER(PB_STAT_JAMMED_DROPS, jammed_drops),
	PB_COUNTER(PB_STAT_PROTO_ERRORS, proto_errors),
	PB_COUNTER(PB_STAT_DATAGRAMS, datagrams),
};

/* The serial error counters, for SERIAL_ERROR events. */
static const struct pb_nl_counter pb_error_counters[] = {
	PB_COUNTER(PB_STAT_PARITY_ERRORS, parity_errors),
	PB_COUNTER(PB_STAT_FRAME_ERRORS, frame_errors),
	PB_COUNTER(PB_STAT_OVERRUNS, overruns),
	PB_COUNTER(PB_STAT_BREAKS, breaks),
};

static int pb_nl_put_counters(struct sk_buff *skb, struct pb_port *port,
			      const struct pb_nl_counter *list,
			      unsigned int n, bool active)
{
	struct nlattr *nest;
	atomic64_t *val;
	unsigned int i;

	nest = nla_nest_start(skb, PB_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		val = (void *)&port->stats + list[i].offset;
		if (nla_put_u64_64bit(skb, list[i].id, atomic64_read(val),
				      PB_STAT_PAD))
			goto cancel;
	}
	if (active &&
	    nla_put_u32(skb, PB_STAT_ACTIVE_CONNS, READ_ONCE(port->active)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int pb_nl_put_stats(struct sk_buff *skb, struct pb_port *port)
{
	return pb_nl_put_counters(skb, port, pb_counters,
				  ARRAY_SIZE(pb_counters), true);
}

static int pb_nl_put_dests(struct sk_buff *skb, const struct pb_config *cfg)
{
	const struct pb_dest *d;
	struct nlattr *list, *one;
	unsigned int i;

	list = nla_nest_start(skb, PB_A_DESTINATIONS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_dests; i++) {
		d = &cfg->dests[i];
		one = nla_nest_start(skb, PB_A_DEST);
		if (!one ||
		    nla_put(skb, PB_DEST_ADDR, sizeof(d->addr), &d->addr) ||
		    (!ipv6_addr_equal(&d->addr, &d->addr_end) &&
		     nla_put(skb, PB_DEST_ADDR_END, sizeof(d->addr_end),
			     &d->addr_end)) ||
		    nla_put_u16(skb, PB_DEST_PORT, d->port)) {
			nla_nest_cancel(skb, list);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int pb_nl_put_port(struct sk_buff *skb, struct pb_port *port)
{
	const struct pb_config *cfg = &port->cfg;

	if (nla_put_u32(skb, PB_A_PORT_INDEX, port->index) ||
	    nla_put_string(skb, PB_A_TTY_NAME, port->tty_name) ||
	    nla_put_u8(skb, PB_A_MODE, cfg->mode) ||
	    nla_put_u16(skb, PB_A_LOCAL_PORT, cfg->local_port) ||
	    nla_put_u8(skb, PB_A_MAX_CONNS, cfg->max_conns) ||
	    nla_put_u32(skb, PB_A_BAUD, cfg->baud) ||
	    nla_put_u8(skb, PB_A_DATA_BITS, cfg->data_bits) ||
	    nla_put_u8(skb, PB_A_PARITY, cfg->parity) ||
	    nla_put_u8(skb, PB_A_STOP_BITS, cfg->stop_bits) ||
	    nla_put_u8(skb, PB_A_FLOW, cfg->flow) ||
	    nla_put_u16(skb, PB_A_CMD_PORT, cfg->cmd_port) ||
	    nla_put_u32(skb, PB_A_INACTIVITY_MS, cfg->inactivity_ms) ||
	    nla_put_u16(skb, PB_A_KEEPALIVE_IDLE, cfg->keepalive_idle) ||
	    nla_put_u16(skb, PB_A_KEEPALIVE_INTVL, cfg->keepalive_intvl) ||
	    nla_put_u8(skb, PB_A_KEEPALIVE_CNT, cfg->keepalive_cnt) ||
	    nla_put_u8(skb, PB_A_IGNORE_JAMMED, cfg->ignore_jammed) ||
	    nla_put_u32(skb, PB_A_JAMMED_MS, cfg->jammed_ms) ||
	    pb_nl_put_dests(skb, cfg) ||
	    nla_put_u8(skb, PB_A_CONNECT_ON, cfg->connect_on) ||
	    nla_put_u16(skb, PB_A_PACK_LENGTH, cfg->pack.length) ||
	    nla_put_u16(skb, PB_A_DELIM1, cfg->pack.delim1) ||
	    nla_put_u16(skb, PB_A_DELIM2, cfg->pack.delim2) ||
	    nla_put_u8(skb, PB_A_DELIM_PROCESS, cfg->pack.process) ||
	    nla_put_u16(skb, PB_A_FORCE_TX_MS, cfg->pack.force_ms) ||
	    nla_put_u8(skb, PB_A_FIFO, cfg->fifo) ||
	    nla_put_u8(skb, PB_A_INTERFACE, cfg->interface) ||
	    nla_put_u8(skb, PB_A_DTR, cfg->dtr) ||
	    nla_put_u8(skb, PB_A_RTS, cfg->rts))
		return -EMSGSIZE;
	return pb_nl_put_stats(skb, port);
}

/* One port message; caller holds pb_config_lock. */
static int pb_nl_fill_port(struct sk_buff *skb, struct pb_port *port,
			   u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pb_family, flags,
			  PB_CMD_PORT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (pb_nl_put_port(skb, port)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Caller holds pb_config_lock. */
/*
 * Besides the missing attribute's type, say it in words: the message is
 * what pbctl and the logs show.
 */
static bool pb_nl_index_missing(struct genl_info *info)
{
	if (!GENL_REQ_ATTR_CHECK(info, PB_A_PORT_INDEX))
		return false;
	NL_SET_ERR_MSG(info->extack, "the port index is missing");
	return true;
}

static struct pb_port *pb_nl_lookup(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PB_A_PORT_INDEX];
	struct pb_port *port;
	u32 index;

	index = nla_get_u32(attr);
	port = pb_port_find(index);
	if (!port)
		pb_set_err(info->extack, attr, "port %u is not attached",
			   index);
	return port;
}

static int pb_nl_port_get(struct sk_buff *skb, struct genl_info *info)
{
	struct pb_port *port;
	struct sk_buff *msg;
	int err;

	if (pb_nl_index_missing(info))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&pb_config_lock);
	port = pb_nl_lookup(info);
	if (port)
		err = pb_nl_fill_port(msg, port, info->snd_portid,
				      info->snd_seq, 0);
	else
		err = -ENODEV;
	mutex_unlock(&pb_config_lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: the next port index to dump. */
static int pb_nl_port_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pb_port *port;
	u32 index;

	mutex_lock(&pb_config_lock);
	for (index = max_t(u32, cb->args[0], 1); index <= PB_MAX_PORTS;
	     index++) {
		port = pb_port_find(index);
		if (!port)
			continue;
		if (pb_nl_fill_port(skb, port, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
	}
	mutex_unlock(&pb_config_lock);
	cb->args[0] = index;
	return skb->len;
}

/* PB_A_DESTINATIONS replaces the list as a whole. */
static int pb_nl_parse_dests(struct pb_config *cfg, const struct nlattr *list,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PB_DEST_MAX + 1];
	struct pb_dest *d;
	const struct nlattr *a;
	unsigned int n = 0;
	int rem, err;

	nla_for_each_nested(a, list, rem) {
		if (n == PB_MAX_DESTS) {
			pb_set_err(extack, a, "at most %u destinations",
				   PB_MAX_DESTS);
			return -EINVAL;
		}
		err = nla_parse_nested(tb, PB_DEST_MAX, a, pb_dest_policy,
				       extack);
		if (err)
			return err;
		if (!tb[PB_DEST_ADDR] || !tb[PB_DEST_PORT]) {
			pb_set_err(extack, a,
				   "destination %u needs an address and a port",
				   n + 1);
			return -EINVAL;
		}
		d = &cfg->dests[n++];
		nla_memcpy(&d->addr, tb[PB_DEST_ADDR], sizeof(d->addr));
		d->addr_end = d->addr;
		if (tb[PB_DEST_ADDR_END])
			nla_memcpy(&d->addr_end, tb[PB_DEST_ADDR_END],
				   sizeof(d->addr_end));
		d->port = nla_get_u16(tb[PB_DEST_PORT]);
	}
	cfg->n_dests = n;
	return 0;
}

static void pb_nl_get_u8(u8 *to, struct nlattr **attrs, int type)
{
	if (attrs[type])
		*to = nla_get_u8(attrs[type]);
}

static void pb_nl_get_u16(u16 *to, struct nlattr **attrs, int type)
{
	if (attrs[type])
		*to = nla_get_u16(attrs[type]);
}

static void pb_nl_get_u32(u32 *to, struct nlattr **attrs, int type)
{
	if (attrs[type])
		*to = nla_get_u32(attrs[type]);
}

/* The request on top of the current configuration. */
static int pb_nl_parse_config(struct pb_config *cfg, struct nlattr **attrs,
			      struct netlink_ext_ack *extack)
{
	pb_nl_get_u8(&cfg->mode, attrs, PB_A_MODE);
	pb_nl_get_u16(&cfg->local_port, attrs, PB_A_LOCAL_PORT);
	pb_nl_get_u8(&cfg->max_conns, attrs, PB_A_MAX_CONNS);
	pb_nl_get_u32(&cfg->baud, attrs, PB_A_BAUD);
	pb_nl_get_u8(&cfg->data_bits, attrs, PB_A_DATA_BITS);
	pb_nl_get_u8(&cfg->parity, attrs, PB_A_PARITY);
	pb_nl_get_u8(&cfg->stop_bits, attrs, PB_A_STOP_BITS);
	pb_nl_get_u8(&cfg->flow, attrs, PB_A_FLOW);
	pb_nl_get_u16(&cfg->cmd_port, attrs, PB_A_CMD_PORT);
	pb_nl_get_u32(&cfg->inactivity_ms, attrs, PB_A_INACTIVITY_MS);
	pb_nl_get_u16(&cfg->keepalive_idle, attrs, PB_A_KEEPALIVE_IDLE);
	pb_nl_get_u16(&cfg->keepalive_intvl, attrs, PB_A_KEEPALIVE_INTVL);
	pb_nl_get_u8(&cfg->keepalive_cnt, attrs, PB_A_KEEPALIVE_CNT);
	pb_nl_get_u8(&cfg->ignore_jammed, attrs, PB_A_IGNORE_JAMMED);
	pb_nl_get_u32(&cfg->jammed_ms, attrs, PB_A_JAMMED_MS);
	pb_nl_get_u8(&cfg->connect_on, attrs, PB_A_CONNECT_ON);
	pb_nl_get_u16(&cfg->pack.length, attrs, PB_A_PACK_LENGTH);
	pb_nl_get_u16(&cfg->pack.delim1, attrs, PB_A_DELIM1);
	pb_nl_get_u16(&cfg->pack.delim2, attrs, PB_A_DELIM2);
	pb_nl_get_u8(&cfg->pack.process, attrs, PB_A_DELIM_PROCESS);
	pb_nl_get_u16(&cfg->pack.force_ms, attrs, PB_A_FORCE_TX_MS);
	pb_nl_get_u8(&cfg->fifo, attrs, PB_A_FIFO);
	pb_nl_get_u8(&cfg->interface, attrs, PB_A_INTERFACE);
	pb_nl_get_u8(&cfg->dtr, attrs, PB_A_DTR);
	pb_nl_get_u8(&cfg->rts, attrs, PB_A_RTS);
	if (attrs[PB_A_DESTINATIONS])
		return pb_nl_parse_dests(cfg, attrs[PB_A_DESTINATIONS],
					 extack);
	return 0;
}

static int pb_nl_port_set(struct sk_buff *skb, struct genl_info *info)
{
	struct pb_config cfg;
	struct pb_port *port;
	int err = -ENODEV;

	if (pb_nl_index_missing(info))
		return -EINVAL;

	mutex_lock(&pb_config_lock);
	port = pb_nl_lookup(info);
	if (port) {
		cfg = port->cfg;
		err = pb_nl_parse_config(&cfg, info->attrs, info->extack);
		if (!err)
			err = pb_port_configure(port, &cfg, info->attrs,
						info->extack);
	}
	mutex_unlock(&pb_config_lock);
	return err;
}

static struct sk_buff *pb_nl_event_new(u32 index, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &pb_family, 0, cmd);
	if (!*hdr || nla_put_u32(skb, PB_A_PORT_INDEX, index)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void pb_nl_event_send(struct sk_buff *skb, void *hdr)
{
	genlmsg_end(skb, hdr);
	/* -ESRCH only says nobody listens. */
	genlmsg_multicast(&pb_family, skb, 0, 0, GFP_KERNEL);
}

/* Connection events; always sent from process context. */
void pb_netlink_event(u32 index, u8 cmd, const struct sockaddr_in6 *peer,
		      u8 reason)
{
	struct sk_buff *skb;
	void *hdr;

	skb = pb_nl_event_new(index, cmd, &hdr);
	if (!skb)
		return;
	if (nla_put(skb, PB_A_PEER_ADDR, sizeof(peer->sin6_addr),
		    &peer->sin6_addr) ||
	    nla_put_u16(skb, PB_A_PEER_PORT, ntohs(peer->sin6_port)) ||
	    nla_put_u8(skb, PB_A_EVENT_REASON, reason)) {
		nlmsg_free(skb);
		return;
	}
	pb_nl_event_send(skb, hdr);
}

/* The port's mode changed. */
void pb_netlink_event_mode(u32 index, u8 mode)
{
	struct sk_buff *skb;
	void *hdr;

	skb = pb_nl_event_new(index, PB_CMD_EVENT_MODE, &hdr);
	if (!skb)
		return;
	if (nla_put_u8(skb, PB_A_MODE, mode)) {
		nlmsg_free(skb);
		return;
	}
	pb_nl_event_send(skb, hdr);
}

/* Serial errors happened: the totals of the error counters. */
void pb_netlink_event_serial_error(struct pb_port *port)
{
	struct sk_buff *skb;
	void *hdr;

	skb = pb_nl_event_new(port->index, PB_CMD_EVENT_SERIAL_ERROR, &hdr);
	if (!skb)
		return;
	if (pb_nl_put_counters(skb, port, pb_error_counters,
			       ARRAY_SIZE(pb_error_counters), false)) {
		nlmsg_free(skb);
		return;
	}
	pb_nl_event_send(skb, hdr);
}

static const struct genl_small_ops pb_ops[] = {
	{
		.cmd = PB_CMD_PORT_GET,
		.doit = pb_nl_port_get,
		.dumpit = pb_nl_port_dump,
	},
	{
		.cmd = PB_CMD_PORT_SET,
		.doit = pb_nl_port_set,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group pb_mcgrps[] = {
	{ .name = PORTBRIDGE_MCGRP_EVENTS },
};

static struct genl_family pb_family __ro_after_init = {
	.name		= PORTBRIDGE_GENL_NAME,
	.version	= PORTBRIDGE_GENL_VERSION,
	.maxattr	= PB_A_MAX,
	.policy		= pb_policy,
	.netnsok	= false,
	.module		= THIS_MODULE,
	.small_ops	= pb_ops,
	.n_small_ops	= ARRAY_SIZE(pb_ops),
	.mcgrps		= pb_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pb_mcgrps),
};

int __init pb_netlink_init(void)
{
	return genl_register_family(&pb_family);
}

void pb_netlink_exit(void)
{
	genl_unregister_family(&pb_family);
}
