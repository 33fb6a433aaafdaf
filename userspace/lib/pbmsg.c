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
};

static const char *const reason_names[__PB_REASON_MAX] = {
	[PB_REASON_NONE]	= "none",
	[PB_REASON_PEER_CLOSED]	= "peer-closed",
	[PB_REASON_ERROR]	= "error",
	[PB_REASON_PORT_CHANGE]	= "port-change",
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
	}
	return NULL;
}

const char *pb_reason_name(uint8_t reason)
{
	return reason < __PB_REASON_MAX ? reason_names[reason] : "?";
}

void pb_build_port_set(struct nl_msg *m, uint16_t family, uint32_t index,
		       const struct pb_port_conf *pc)
{
	nl_msg_init(m, family, NLM_F_REQUEST | NLM_F_ACK, PB_CMD_PORT_SET,
		    PORTBRIDGE_GENL_VERSION);
	nl_put_u32(m, PB_A_PORT_INDEX, index);
	nl_put_u8(m, PB_A_MODE, pc->mode);
	nl_put_u16(m, PB_A_LOCAL_PORT, pc->local_port);
	nl_put_u8(m, PB_A_MAX_CONNS, pc->max_conns);
	nl_put_u32(m, PB_A_BAUD, pc->baud);
	nl_put_u8(m, PB_A_DATA_BITS, pc->data_bits);
	nl_put_u8(m, PB_A_PARITY, pc->parity);
	nl_put_u8(m, PB_A_STOP_BITS, pc->stop_bits);
	nl_put_u8(m, PB_A_FLOW, pc->flow);
}

void pb_build_port_get(struct nl_msg *m, uint16_t family, uint32_t index)
{
	uint16_t flags = NLM_F_REQUEST | (index ? NLM_F_ACK : NLM_F_DUMP);

	nl_msg_init(m, family, flags, PB_CMD_PORT_GET,
		    PORTBRIDGE_GENL_VERSION);
	if (index)
		nl_put_u32(m, PB_A_PORT_INDEX, index);
}

/* Config attributes and their widths, in conf key order. */
static const struct {
	int attr;
	int width;	/* bytes: 1, 2 or 4 */
} conf_attrs[CONF_PORT_NKEYS] = {
	[CONF_PORT_MODE]	= { PB_A_MODE, 1 },
	[CONF_PORT_LOCAL_PORT]	= { PB_A_LOCAL_PORT, 2 },
	[CONF_PORT_BAUD]	= { PB_A_BAUD, 4 },
	[CONF_PORT_DATA_BITS]	= { PB_A_DATA_BITS, 1 },
	[CONF_PORT_PARITY]	= { PB_A_PARITY, 1 },
	[CONF_PORT_STOP_BITS]	= { PB_A_STOP_BITS, 1 },
	[CONF_PORT_FLOW]	= { PB_A_FLOW, 1 },
	[CONF_PORT_MAX_CONNS]	= { PB_A_MAX_CONNS, 1 },
};

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

static int parse_stats(const struct nlattr *nest, struct pb_port_info *info)
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
			info->stats[s] = u32;
		} else if (nla_get_u64(tb[s], &info->stats[s])) {
			return -EINVAL;
		}
		info->stats_present |= 1u << s;
	}
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

		if (!a)
			continue;
		if (get_uint(a, conf_attrs[k].width, &v))
			return -EINVAL;
		conf_port_set(&info->conf, k, v);
		info->conf_present |= 1u << k;
	}
	if (tb[PB_A_STATS])
		return parse_stats(tb[PB_A_STATS], info);
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
		if (nla_payload_len(addr) != sizeof(ev->peer_addr) ||
		    nla_get_u16(tb[PB_A_PEER_PORT], &ev->peer_port))
			return -EINVAL;
		memcpy(ev->peer_addr, nla_payload(addr), sizeof(ev->peer_addr));
		ev->has_peer = 1;
	}
	if (tb[PB_A_EVENT_REASON]) {
		if (nla_get_u8(tb[PB_A_EVENT_REASON], &ev->reason))
			return -EINVAL;
		ev->has_reason = 1;
	}
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
	textbuf_printf(tb, "}");
}

void pb_format_event(const struct pb_event *ev, int json, char *buf,
		     size_t size)
{
	char peer[INET6_ADDRSTRLEN + 16];
	struct textbuf tb;
	const char *name = pb_event_name(ev->cmd);

	textbuf_init(&tb, buf, size);
	if (!name) {
		textbuf_printf(&tb, json ? "{\"event\":\"unknown\"}" :
					   "unknown event");
		return;
	}
	if (json) {
		format_event_json(ev, &tb);
		return;
	}
	textbuf_printf(&tb, "%s port %u", name, ev->port);
	if (ev->has_peer) {
		pb_format_peer(ev->peer_addr, ev->peer_port, peer,
			       sizeof(peer));
		textbuf_printf(&tb, " peer %s", peer);
	}
	if (ev->has_reason)
		textbuf_printf(&tb, " reason %s", pb_reason_name(ev->reason));
}
