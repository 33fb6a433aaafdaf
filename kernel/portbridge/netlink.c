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

static int pb_nl_put_stats(struct sk_buff *skb, struct pb_port *port)
{
	static const u8 ids[] = {
		PB_STAT_RX_BYTES, PB_STAT_TX_BYTES, PB_STAT_CONNECTIONS,
		PB_STAT_REFUSED, PB_STAT_PARITY_ERRORS, PB_STAT_FRAME_ERRORS,
		PB_STAT_OVERRUNS, PB_STAT_BREAKS, PB_STAT_NET_ERRORS,
	};
	struct pb_stats *st = &port->stats;
	atomic64_t *vals[] = {
		&st->rx_bytes, &st->tx_bytes, &st->connections, &st->refused,
		&st->parity_errors, &st->frame_errors, &st->overruns,
		&st->breaks, &st->net_errors,
	};
	struct nlattr *nest;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(ids) != ARRAY_SIZE(vals));
	nest = nla_nest_start(skb, PB_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		if (nla_put_u64_64bit(skb, ids[i], atomic64_read(vals[i]),
				      PB_STAT_PAD))
			goto cancel;
	if (nla_put_u32(skb, PB_STAT_ACTIVE_CONNS, READ_ONCE(port->active)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
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
	    nla_put_u8(skb, PB_A_FLOW, cfg->flow))
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

/* The request on top of the current configuration. */
static void pb_nl_parse_config(struct pb_config *cfg, struct nlattr **attrs)
{
	if (attrs[PB_A_MODE])
		cfg->mode = nla_get_u8(attrs[PB_A_MODE]);
	if (attrs[PB_A_LOCAL_PORT])
		cfg->local_port = nla_get_u16(attrs[PB_A_LOCAL_PORT]);
	if (attrs[PB_A_MAX_CONNS])
		cfg->max_conns = nla_get_u8(attrs[PB_A_MAX_CONNS]);
	if (attrs[PB_A_BAUD])
		cfg->baud = nla_get_u32(attrs[PB_A_BAUD]);
	if (attrs[PB_A_DATA_BITS])
		cfg->data_bits = nla_get_u8(attrs[PB_A_DATA_BITS]);
	if (attrs[PB_A_PARITY])
		cfg->parity = nla_get_u8(attrs[PB_A_PARITY]);
	if (attrs[PB_A_STOP_BITS])
		cfg->stop_bits = nla_get_u8(attrs[PB_A_STOP_BITS]);
	if (attrs[PB_A_FLOW])
		cfg->flow = nla_get_u8(attrs[PB_A_FLOW]);
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
		pb_nl_parse_config(&cfg, info->attrs);
		err = pb_port_configure(port, &cfg, info->attrs,
					info->extack);
	}
	mutex_unlock(&pb_config_lock);
	return err;
}

/* Connection events; always sent from process context. */
void pb_netlink_event(u32 index, u8 cmd, const struct sockaddr_in6 *peer,
		      u8 reason)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &pb_family, 0, cmd);
	if (!hdr)
		goto fail;
	if (nla_put_u32(skb, PB_A_PORT_INDEX, index) ||
	    nla_put(skb, PB_A_PEER_ADDR, sizeof(peer->sin6_addr),
		    &peer->sin6_addr) ||
	    nla_put_u16(skb, PB_A_PEER_PORT, ntohs(peer->sin6_port)) ||
	    nla_put_u8(skb, PB_A_EVENT_REASON, reason))
		goto fail;
	genlmsg_end(skb, hdr);
	/* -ESRCH only says nobody listens. */
	genlmsg_multicast(&pb_family, skb, 0, 0, GFP_KERNEL);
	return;

fail:
	nlmsg_free(skb);
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
