// SPDX-License-Identifier: GPL-2.0
/* portbridge netlink messages: build and parse (pure). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pbmsg.h"
#include "text.h"

static const char *const stat_names[PB_STAT_MAX + 1] = {
	[PB_STAT_RX_BYTES]	= "rx_bytes",
	[PB_STAT_TX_BYTES]	= "tx_bytes",
	[PB_STAT_CONNECTIONS]	= "connections",
	[PB_STAT_REFUSED]	= "refused",
	[PB_STAT_ACTIVE_CONNS]	= "active_conns",
	[PB_STAT_PARITY_ERRORS]	= "parity_errors",
	[PB_STAT_FRAME_ERRORS]	= "frame_errors",
	[PB_STAT_OVERRUNS]	= "overruns",
	[PB_STAT_BREAKS]	= "breaks",
	[PB_STAT_NET_ERRORS]	= "net_errors",
	[PB_STAT_JAMMED_SKIPS]	= "jammed_skips",
	[PB_STAT_JAMMED_DROPS]	= "jammed_drops",
	[PB_STAT_PROTO_ERRORS]	= "proto_errors",
	[PB_STAT_DATAGRAMS]	= "datagrams",
};

static const char *const reason_names[__PB_REASON_MAX] = {
	[PB_REASON_NONE]	= "none",
	[PB_REASON_PEER_CLOSED]	= "peer-closed",
	[PB_REASON_ERROR]	= "error",
	[PB_REASON_PORT_CHANGE]	= "port-change",
	[PB_REASON_INACTIVITY]	= "inactivity",
	[PB_REASON_ALIVE_CHECK]	= "alive-check",
	[PB_REASON_JAMMED]	= "jammed",
	[PB_REASON_REPLACED]	= "replaced",
};

/*
 * The attribute of each configuration key and its width in bytes; the
 * four destinations share one nest (width 0).
 */
static const struct {
	int attr;
	int width;
} conf_attrs[CONF_PORT_NKEYS] = {
	[CONF_PORT_MODE]	  = { PB_A_MODE, 1 },
	[CONF_PORT_LOCAL_PORT]	  = { PB_A_LOCAL_PORT, 2 },
	[CONF_PORT_BAUD]	  = { PB_A_BAUD, 4 },
	[CONF_PORT_DATA_BITS]	  = { PB_A_DATA_BITS, 1 },
	[CONF_PORT_PARITY]	  = { PB_A_PARITY, 1 },
	[CONF_PORT_STOP_BITS]	  = { PB_A_STOP_BITS, 1 },
	[CONF_PORT_FLOW]	  = { PB_A_FLOW, 1 },
	[CONF_PORT_MAX_CONNS]	  = { PB_A_MAX_CONNS, 1 },
	[CONF_PORT_CMD_PORT]	  = { PB_A_CMD_PORT, 2 },
	[CONF_PORT_INACTIVITY_MS] = { PB_A_INACTIVITY_MS, 4 },
	[CONF_PORT_ALIVE_IDLE]	  = { PB_A_KEEPALIVE_IDLE, 2 },
	[CONF_PORT_ALIVE_INTVL]	  = { PB_A_KEEPALIVE_INTVL, 2 },
	[CONF_PORT_ALIVE_CNT]	  = { PB_A_KEEPALIVE_CNT, 1 },
	[CONF_PORT_IGNORE_JAMMED] = { PB_A_IGNORE_JAMMED, 1 },
	[CONF_PORT_JAMMED_MS]	  = { PB_A_JAMMED_MS, 4 },
	[CONF_PORT_CONNECT_ON]	  = { PB_A_CONNECT_ON, 1 },
	[CONF_PORT_DEST1]	  = { PB_A_DESTINATIONS, 0 },
	[CONF_PORT_DEST2]	  = { PB_A_DESTINATIONS, 0 },
	[CONF_PORT_DEST3]	  = { PB_A_DESTINATIONS, 0 },
	[CONF_PORT_DEST4]	  = { PB_A_DESTINATIONS, 0 },
	[CONF_PORT_PACK_LEN]	  = { PB_A_PACK_LENGTH, 2 },
	[CONF_PORT_DELIM1]	  = { PB_A_DELIM1, 2 },
	[CONF_PORT_DELIM2]	  = { PB_A_DELIM2, 2 },
	[CONF_PORT_DELIM_PROCESS] = { PB_A_DELIM_PROCESS, 1 },
	[CONF_PORT_FORCE_TX_MS]	  = { PB_A_FORCE_TX_MS, 2 },
	[CONF_PORT_FIFO]	  = { PB_A_FIFO, 1 },
	[CONF_PORT_INTERFACE]	  = { PB_A_INTERFACE, 1 },
	[CONF_PORT_DTR]		  = { PB_A_DTR, 1 },
	[CONF_PORT_RTS]		  = { PB_A_RTS, 1 },
};

const char *pb_stat_name(unsigned int stat)
{
	return stat <= PB_STAT_MAX ? stat_names[stat] : NULL;
}

const char *pb_event_name(uint8_t cmd)
{
	switch (cmd) {
	case PB_CMD_EVENT_CONNECT:
		return "connect";
	case PB_CMD_EVENT_DISCONNECT:
		return "disconnect";
	case PB_CMD_EVENT_REFUSED:
		return "refused";
	case PB_CMD_EVENT_MODE:
		return "mode";
	case PB_CMD_EVENT_SERIAL_ERROR:
		return "serial-error";
	}
	return NULL;
}

const char *pb_reason_name(uint8_t reason)
{
	if (reason >= __PB_REASON_MAX || !reason_names[reason])
		return "?";
	return reason_names[reason];
}

static int is_dest_key(int k)
{
	return k >= CONF_PORT_DEST1 && k <= CONF_PORT_DEST4;
}

uint64_t pb_config_attrs(void)
{
	uint64_t mask = 0;
	int k;

	for (k = 0; k < CONF_PORT_NKEYS; k++)
		mask |= PB_ATTR_BIT(conf_attrs[k].attr);
	return mask;
}

int pb_key_attr(int key)
{
	return key >= 0 && key < CONF_PORT_NKEYS ? conf_attrs[key].attr : 0;
}

static void put_uint(struct nl_msg *m, int attr, int width, uint32_t v)
{
	switch (width) {
	case 1:
		nl_put_u8(m, attr, v);
		break;
	case 2:
		nl_put_u16(m, attr, v);
		break;
	default:
		nl_put_u32(m, attr, v);
		break;
	}
}

static void put_dests(struct nl_msg *m, const struct pb_port_conf *pc)
{
	size_t nest, dest;
	unsigned int i;

	nest = nl_nest_start(m, PB_A_DESTINATIONS);
	for (i = 0; i < PB_MAX_DESTS; i++) {
		const struct pb_dest_conf *d = &pc->dest[i];

		if (d->kind != CONF_DEST_ADDR && d->kind != CONF_DEST_RANGE)
			continue;
		dest = nl_nest_start(m, PB_A_DEST);
		nl_put(m, PB_DEST_ADDR, d->addr, sizeof(d->addr));
		if (d->kind == CONF_DEST_RANGE)
			nl_put(m, PB_DEST_ADDR_END, d->end, sizeof(d->end));
		nl_put_u16(m, PB_DEST_PORT, d->port);
		nl_nest_end(m, dest);
	}
	nl_nest_end(m, nest);
}

void pb_build_port_set(struct nl_msg *m, uint16_t family, uint32_t index,
		       const struct pb_port_conf *pc, uint64_t accepted)
{
	int k;

	nl_msg_init(m, family, NLM_F_REQUEST | NLM_F_ACK, PB_CMD_PORT_SET,
		    PORTBRIDGE_GENL_VERSION);
	nl_put_u32(m, PB_A_PORT_INDEX, index);
	for (k = 0; k < CONF_PORT_NKEYS; k++) {
		if (!(accepted & PB_ATTR_BIT(conf_attrs[k].attr)))
			continue;
		if (k == CONF_PORT_DEST1)
			put_dests(m, pc);
		if (is_dest_key(k))
			continue;
		put_uint(m, conf_attrs[k].attr, conf_attrs[k].width,
			 conf_port_get(pc, k));
	}
}

void pb_build_port_get(struct nl_msg *m, uint16_t family, uint32_t index)
{
	uint16_t flags = NLM_F_REQUEST | (index ? NLM_F_ACK : NLM_F_DUMP);

	nl_msg_init(m, family, flags, PB_CMD_PORT_GET,
		    PORTBRIDGE_GENL_VERSION);
	if (index)
		nl_put_u32(m, PB_A_PORT_INDEX, index);
}

unsigned int pb_unsupported(uint64_t accepted, unsigned int n,
			    const struct pb_port_conf *old,
			    const struct pb_port_conf *new, char *buf,
			    size_t size)
{
	struct pb_port_conf def;
	char val[CONF_VALUE_MAX];
	struct textbuf tb;
	unsigned int count = 0;
	int k;

	conf_port_defaults(&def, n);
	def.local_port = conf_default_local_port(new->mode, n);
	textbuf_init(&tb, buf, size);
	for (k = 0; k < CONF_PORT_NKEYS; k++) {
		if ((accepted & PB_ATTR_BIT(conf_attrs[k].attr)) ||
		    conf_port_value_equal(k, new, old) ||
		    conf_port_value_equal(k, new, &def))
			continue;
		conf_port_value_format(k, new, val, sizeof(val));
		textbuf_printf(&tb, "%s%s %s", count ? ", " : "",
			       conf_port_key_name(k), val);
		count++;
	}
	return count;
}

static int get_uint(const struct nlattr *a, int width, uint32_t *v)
{
	uint8_t u8;
	uint16_t u16;

	switch (width) {
	case 1:
		if (nla_get_u8(a, &u8))
			return -EINVAL;
		*v = u8;
		return 0;
	case 2:
		if (nla_get_u16(a, &u16))
			return -EINVAL;
		*v = u16;
		return 0;
	}
	return nla_get_u32(a, v);
}

static int parse_stats(const struct nlattr *nest, uint64_t *stats,
		       uint64_t *present)
{
	const struct nlattr *tb[PB_STAT_MAX + 1];
	uint32_t u32;
	int s;

	if (nla_parse_nested(tb, PB_STAT_MAX, nest))
		return -EINVAL;
	for (s = PB_STAT_RX_BYTES; s <= PB_STAT_MAX; s++) {
		if (!tb[s])
			continue;
		if (s == PB_STAT_ACTIVE_CONNS) {
			if (nla_get_u32(tb[s], &u32))
				return -EINVAL;
			stats[s] = u32;
		} else if (nla_get_u64(tb[s], &stats[s])) {
			return -EINVAL;
		}
		*present |= 1ull << s;
	}
	return 0;
}

static int get_addr(const struct nlattr *a, uint8_t addr[16])
{
	if (!a || nla_payload_len(a) != 16)
		return -EINVAL;
	memcpy(addr, nla_payload(a), 16);
	return 0;
}

/* One PB_A_DEST: an address (or range) and a port. */
static int parse_dest(const struct nlattr *nest, struct pb_dest_conf *d)
{
	const struct nlattr *tb[PB_DEST_MAX + 1];
	uint16_t port;

	memset(d, 0, sizeof(*d));
	if (nla_parse_nested(tb, PB_DEST_MAX, nest) ||
	    get_addr(tb[PB_DEST_ADDR], d->addr) ||
	    nla_get_u16(tb[PB_DEST_PORT], &port))
		return -EINVAL;
	d->kind = CONF_DEST_ADDR;
	d->port = port;
	if (tb[PB_DEST_ADDR_END]) {
		if (get_addr(tb[PB_DEST_ADDR_END], d->end))
			return -EINVAL;
		if (memcmp(d->end, d->addr, 16))
			d->kind = CONF_DEST_RANGE;
		else
			memset(d->end, 0, sizeof(d->end));
	}
	return 0;
}

/* PB_A_DESTINATIONS: dest1 .. destN in order, the rest none. */
static int parse_dests(const struct nlattr *nest, struct pb_port_info *info)
{
	const struct nlattr *a;
	unsigned int n = 0;
	size_t off = 0;
	int rc;

	while ((rc = nla_next(nla_payload(nest), nla_payload_len(nest), &off,
			      &a)) > 0) {
		if ((a->nla_type & NLA_TYPE_MASK) != PB_A_DEST)
			continue;
		if (n == PB_MAX_DESTS ||
		    parse_dest(a, &info->conf.dest[n]))
			return -EINVAL;
		n++;
	}
	if (rc < 0)
		return rc;
	for (n = 0; n < PB_MAX_DESTS; n++)
		info->conf_present |= 1ull << (CONF_PORT_DEST1 + n);
	return 0;
}

int pb_parse_port(const struct nlmsghdr *nlh, struct pb_port_info *info)
{
	const struct nlattr *tb[PB_A_MAX + 1];
	uint8_t cmd;
	int k;

	memset(info, 0, sizeof(*info));
	if (nl_genl_parse(nlh, &cmd, tb, PB_A_MAX))
		return -EINVAL;
	if (nla_get_u32(tb[PB_A_PORT_INDEX], &info->index))
		return -EINVAL;
	if (tb[PB_A_TTY_NAME] &&
	    nla_get_str(tb[PB_A_TTY_NAME], info->tty, sizeof(info->tty)))
		return -EINVAL;
	for (k = 0; k < CONF_PORT_NKEYS; k++) {
		const struct nlattr *a = tb[conf_attrs[k].attr];
		uint32_t v;

		if (!a || is_dest_key(k))
			continue;
		if (get_uint(a, conf_attrs[k].width, &v))
			return -EINVAL;
		conf_port_set(&info->conf, k, v);
		info->conf_present |= 1ull << k;
	}
	if (tb[PB_A_DESTINATIONS] && parse_dests(tb[PB_A_DESTINATIONS], info))
		return -EINVAL;
	if (tb[PB_A_STATS])
		return parse_stats(tb[PB_A_STATS], info->stats,
				   &info->stats_present);
	return 0;
}

int pb_parse_event(const struct nlmsghdr *nlh, struct pb_event *ev)
{
	const struct nlattr *tb[PB_A_MAX + 1];
	const struct nlattr *addr;

	memset(ev, 0, sizeof(*ev));
	if (nl_genl_parse(nlh, &ev->cmd, tb, PB_A_MAX))
		return -EINVAL;
	if (!pb_event_name(ev->cmd) ||
	    nla_get_u32(tb[PB_A_PORT_INDEX], &ev->port))
		return -EINVAL;
	addr = tb[PB_A_PEER_ADDR];
	if (addr) {
		if (get_addr(addr, ev->peer_addr) ||
		    nla_get_u16(tb[PB_A_PEER_PORT], &ev->peer_port))
			return -EINVAL;
		ev->has_peer = 1;
	}
	if (tb[PB_A_EVENT_REASON]) {
		if (nla_get_u8(tb[PB_A_EVENT_REASON], &ev->reason))
			return -EINVAL;
		ev->has_reason = 1;
	}
	if (tb[PB_A_MODE]) {
		if (nla_get_u8(tb[PB_A_MODE], &ev->mode))
			return -EINVAL;
		ev->has_mode = 1;
	}
	if (tb[PB_A_STATS])
		return parse_stats(tb[PB_A_STATS], ev->stats,
				   &ev->stats_present);
	return 0;
}

static void format_addr(const uint8_t addr[16], char *buf, size_t size)
{
	char text[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, addr, text, sizeof(text)))
		snprintf(text, sizeof(text), "?");
	snprintf(buf, size, "%s", text);
}

void pb_format_peer(const uint8_t addr[16], uint16_t port, char *buf,
		    size_t size)
{
	char text[INET6_ADDRSTRLEN];

	format_addr(addr, text, sizeof(text));
	snprintf(buf, size, "[%s]:%u", text, port);
}

static void format_event_json(const struct pb_event *ev, struct textbuf *tb)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned int s;

	textbuf_printf(tb, "{\"event\":\"%s\",\"port\":%u",
		       pb_event_name(ev->cmd), ev->port);
	if (ev->has_peer) {
		format_addr(ev->peer_addr, addr, sizeof(addr));
		textbuf_printf(tb, ",\"peer\":\"%s\",\"peer-port\":%u", addr,
			       ev->peer_port);
	}
	if (ev->has_reason)
		textbuf_printf(tb, ",\"reason\":\"%s\"",
			       pb_reason_name(ev->reason));
	if (ev->has_mode)
		textbuf_printf(tb, ",\"mode\":\"%s\"",
			       conf_mode_name(ev->mode));
	for (s = 0; s <= PB_STAT_MAX; s++) {
		if (ev->stats_present & (1ull << s))
			textbuf_printf(tb, ",\"%s\":%llu", pb_stat_name(s),
				       (unsigned long long)ev->stats[s]);
	}
	textbuf_printf(tb, "}");
}

static void format_event_text(const struct pb_event *ev, struct textbuf *tb)
{
	char peer[INET6_ADDRSTRLEN + 16];
	unsigned int s;

	textbuf_printf(tb, "%s port %u", pb_event_name(ev->cmd), ev->port);
	if (ev->has_peer) {
		pb_format_peer(ev->peer_addr, ev->peer_port, peer,
			       sizeof(peer));
		textbuf_printf(tb, " peer %s", peer);
	}
	if (ev->has_reason)
		textbuf_printf(tb, " reason %s", pb_reason_name(ev->reason));
	if (ev->has_mode)
		textbuf_printf(tb, " mode %s", conf_mode_name(ev->mode));
	for (s = 0; s <= PB_STAT_MAX; s++) {
		if (ev->stats_present & (1ull << s))
			textbuf_printf(tb, " %s %llu", pb_stat_name(s),
				       (unsigned long long)ev->stats[s]);
	}
}

void pb_format_event(const struct pb_event *ev, int json, char *buf,
		     size_t size)
{
	struct textbuf tb;

	textbuf_init(&tb, buf, size);
	if (!pb_event_name(ev->cmd))
		textbuf_printf(&tb, json ? "{\"event\":\"unknown\"}" :
					   "unknown event");
	else if (json)
		format_event_json(ev, &tb);
	else
		format_event_text(ev, &tb);
}
