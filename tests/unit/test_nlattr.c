// SPDX-License-Identifier: GPL-2.0
/* Netlink building and bounds-checked parsing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nlattr.h"
#include "pbmsg.h"
#include "unit.h"

/* A 4-byte aligned scratch buffer for hand-made messages. */
static union {
	struct nlmsghdr hdr;
	unsigned char b[8192];
} raw;

static size_t put_attr(unsigned char *p, uint16_t type, const void *data,
		       uint16_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	memcpy(p, &a, sizeof(a));
	if (len)
		memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

static void test_build_parse(void)
{
	const struct nlattr *tb[10], *nt[4];
	struct nl_msg m;
	uint8_t cmd, u8;
	uint16_t u16;
	uint32_t u32;
	char s[16];
	size_t nest;

	nl_msg_init(&m, 0x20, NLM_F_REQUEST, 7, 1);
	nl_put_u8(&m, 1, 0xab);
	nl_put_u16(&m, 2, 0xbeef);
	nl_put_u32(&m, 3, 0xdeadbeef);
	nl_put_str(&m, 4, "ttyS4");
	nest = nl_nest_start(&m, 5);
	nl_put_u32(&m, 1, 42);
	nl_nest_end(&m, nest);
	nl_put(&m, 6, NULL, 0);
	CHECK(!m.overflow);
	CHECK_INT(m.hdr.nlmsg_len, m.len);
	CHECK_INT(m.len % 4, 0);

	CHECK_INT(nl_genl_parse(&m.hdr, &cmd, tb, 9), 0);
	CHECK_INT(cmd, 7);
	CHECK_INT(nla_get_u8(tb[1], &u8), 0);
	CHECK_INT(u8, 0xab);
	CHECK_INT(nla_get_u16(tb[2], &u16), 0);
	CHECK_INT(u16, 0xbeef);
	CHECK_INT(nla_get_u32(tb[3], &u32), 0);
	CHECK_INT(u32, 0xdeadbeef);
	CHECK_INT(nla_get_str(tb[4], s, sizeof(s)), 0);
	CHECK_STR(s, "ttyS4");
	CHECK_INT(nla_parse_nested(nt, 3, tb[5]), 0);
	CHECK_INT(nla_get_u32(nt[1], &u32), 0);
	CHECK_INT(u32, 42);
	CHECK(tb[6] != NULL);
	CHECK_INT(nla_payload_len(tb[6]), 0);
	CHECK(tb[7] == NULL);
}

static void test_getters_strict(void)
{
	const struct nlattr *tb[4];
	unsigned char buf[64];
	uint32_t u32;
	uint16_t u16;
	uint64_t u64;
	uint8_t u8;
	char s[4];
	size_t n = 0;

	n += put_attr(buf + n, 1, "\x01\x02", 2);
	n += put_attr(buf + n, 2, "abc", 3);		/* no NUL */
	n += put_attr(buf + n, 3, "abcd", 5);		/* too long for s */
	CHECK_INT(nla_parse(tb, 3, buf, n), 0);
	CHECK_INT(nla_get_u8(tb[1], &u8), -EINVAL);
	CHECK_INT(nla_get_u32(tb[1], &u32), -EINVAL);
	CHECK_INT(nla_get_u64(tb[1], &u64), -EINVAL);
	CHECK_INT(nla_get_u16(tb[1], &u16), 0);
	CHECK_INT(nla_get_str(tb[2], s, sizeof(s)), -EINVAL);
	CHECK_INT(nla_get_str(tb[3], s, sizeof(s)), -EINVAL);
	CHECK_INT(nla_get_str(tb[3], s, 0), -EINVAL);
	CHECK_INT(nla_get_u8(NULL, &u8), -EINVAL);
	CHECK_INT(nla_get_str(NULL, s, sizeof(s)), -EINVAL);
}

static void test_parse_malformed(void)
{
	const struct nlattr *tb[8];
	unsigned char buf[64];
	struct nlattr a;
	size_t n;

	/* length beyond the buffer */
	n = put_attr(buf, 1, "abcd", 4);
	CHECK_INT(nla_parse(tb, 7, buf, n - 1), -EINVAL);
	/* length smaller than the header */
	a.nla_len = 3;
	a.nla_type = 1;
	memcpy(buf, &a, sizeof(a));
	CHECK_INT(nla_parse(tb, 7, buf, 8), -EINVAL);
	/* a trailing fragment shorter than a header is ignored */
	n = put_attr(buf, 1, "abcd", 4);
	CHECK_INT(nla_parse(tb, 7, buf, n + 3), 0);
	CHECK(tb[1] != NULL);
	/* the last attribute may lack its padding */
	n = put_attr(buf, 2, "a", 1);
	CHECK_INT(nla_parse(tb, 7, buf, 5), 0);
	CHECK(tb[2] != NULL);
	/* types above max are ignored, flags are masked */
	n = put_attr(buf, 9, "", 0);
	n += put_attr(buf + n, 3 | NLA_F_NESTED, "", 0);
	CHECK_INT(nla_parse(tb, 7, buf, n), 0);
	CHECK(tb[3] != NULL);
	/* empty */
	CHECK_INT(nla_parse(tb, 7, buf, 0), 0);
	CHECK(tb[3] == NULL);
}

static void test_overflow(void)
{
	static char big[NL_MSG_MAX];
	struct nl_msg m;

	nl_msg_init(&m, 0x20, NLM_F_REQUEST, 1, 1);
	nl_put(&m, 1, big, sizeof(big) - 64);
	CHECK(!m.overflow);
	nl_put(&m, 2, big, 64);
	CHECK(m.overflow);
	nl_msg_init(&m, 0x20, NLM_F_REQUEST, 1, 1);
	nl_put(&m, 1, big, 70000);
	CHECK(m.overflow);
}

static void test_next_msg(void)
{
	const struct nlmsghdr *nlh;
	struct nlmsghdr h = { .nlmsg_len = 20, .nlmsg_type = 0x30 };
	size_t off = 0;

	memset(&raw, 0, sizeof(raw));
	memcpy(raw.b, &h, sizeof(h));
	h.nlmsg_len = 16;
	h.nlmsg_type = 0x31;
	memcpy(raw.b + 20, &h, sizeof(h));
	CHECK_INT(nl_next_msg(raw.b, 36, &off, &nlh), 1);
	CHECK_INT(nlh->nlmsg_type, 0x30);
	CHECK_INT(nl_next_msg(raw.b, 36, &off, &nlh), 1);
	CHECK_INT(nlh->nlmsg_type, 0x31);
	CHECK_INT(nl_next_msg(raw.b, 36, &off, &nlh), 0);

	off = 0;
	CHECK_INT(nl_next_msg(raw.b, 10, &off, &nlh), -EINVAL);
	off = 0;
	CHECK_INT(nl_next_msg(raw.b, 19, &off, &nlh), -EINVAL);
	h.nlmsg_len = 8;
	memcpy(raw.b, &h, sizeof(h));
	off = 0;
	CHECK_INT(nl_next_msg(raw.b, 36, &off, &nlh), -EINVAL);

	/* too short for a genl header */
	h.nlmsg_len = 18;
	memcpy(raw.b, &h, sizeof(h));
	{
		const struct nlattr *tb[2];
		uint8_t cmd;

		CHECK_INT(nl_genl_parse(&raw.hdr, &cmd, tb, 1), -EINVAL);
	}
}

/* An NLMSG_ERROR for a request of @req_len bytes, optionally echoed. */
static size_t make_error(int code, int capped, const char *text,
			 size_t req_len)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR };
	struct nlmsgerr e = { .error = code };
	size_t n = NLMSG_HDRLEN;

	memset(&raw, 0, sizeof(raw));
	e.msg.nlmsg_len = req_len;
	memcpy(raw.b + n, &e, sizeof(e));
	n += sizeof(e);
	if (!capped)
		n += NLMSG_ALIGN(req_len) - NLMSG_HDRLEN;
	else
		h.nlmsg_flags |= NLM_F_CAPPED;
	if (text) {
		h.nlmsg_flags |= NLM_F_ACK_TLVS;
		n += put_attr(raw.b + n, NLMSGERR_ATTR_OFFS, "\0\0\0\0", 4);
		n += put_attr(raw.b + n, NLMSGERR_ATTR_MSG, text,
			      strlen(text) + 1);
	}
	h.nlmsg_len = n;
	memcpy(raw.b, &h, sizeof(h));
	return n;
}

static void test_error_acks(void)
{
	char msg[64];
	int error;

	make_error(0, 1, NULL, 20);
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), 0);
	CHECK_INT(error, 0);
	CHECK_STR(msg, "");

	make_error(-EINVAL, 1, "baud out of range", 20);
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), 0);
	CHECK_INT(error, -EINVAL);
	CHECK_STR(msg, "baud out of range");

	make_error(-EBUSY, 0, "port busy", 57);
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), 0);
	CHECK_INT(error, -EBUSY);
	CHECK_STR(msg, "port busy");

	/* control characters from the kernel are masked */
	make_error(-EPERM, 1, "bad\nline\x1b[0m", 20);
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), 0);
	CHECK_STR(msg, "bad?line?[0m");

	/* an echoed request longer than the message: code, no text */
	make_error(-EIO, 0, "x", 20);
	{
		struct nlmsgerr e;

		memcpy(&e, raw.b + NLMSG_HDRLEN, sizeof(e));
		e.msg.nlmsg_len = 4000;
		memcpy(raw.b + NLMSG_HDRLEN, &e, sizeof(e));
	}
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), 0);
	CHECK_INT(error, -EIO);
	CHECK_STR(msg, "");

	/* truncated */
	make_error(-EIO, 1, NULL, 20);
	raw.hdr.nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), -EINVAL);
	/* not an error message */
	raw.hdr.nlmsg_type = 0x30;
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), -EINVAL);
}

static void test_done(void)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_DONE,
			      .nlmsg_flags = NLM_F_MULTI };
	int code = -ENODEV, error = 1;
	char msg[64];
	size_t n = NLMSG_HDRLEN;

	memset(&raw, 0, sizeof(raw));
	memcpy(raw.b + n, &code, sizeof(code));
	n += sizeof(code);
	n += put_attr(raw.b + n, NLMSGERR_ATTR_MSG, "no ports", 9);
	h.nlmsg_len = n;
	h.nlmsg_flags |= NLM_F_ACK_TLVS;
	memcpy(raw.b, &h, sizeof(h));
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), 0);
	CHECK_INT(error, -ENODEV);
	CHECK_STR(msg, "no ports");

	raw.hdr.nlmsg_len = NLMSG_HDRLEN;	/* old kernels: no status */
	CHECK_INT(nl_parse_error(&raw.hdr, &error, msg, sizeof(msg)), 0);
	CHECK_INT(error, 0);
}

static size_t make_family(int with_group, int bad_group)
{
	struct nlmsghdr h = { .nlmsg_type = GENL_ID_CTRL };
	struct genlmsghdr g = { .cmd = CTRL_CMD_NEWFAMILY };
	unsigned char grp[64], grps[128];
	uint16_t id = 0x1d;
	uint32_t version = 1, gid = 9;
	size_t n = NLMSG_HDRLEN, gn = 0, gsn = 0;

	memset(&raw, 0, sizeof(raw));
	memcpy(raw.b + n, &g, sizeof(g));
	n += GENL_HDRLEN;
	n += put_attr(raw.b + n, CTRL_ATTR_FAMILY_NAME, "portbridge", 11);
	n += put_attr(raw.b + n, CTRL_ATTR_FAMILY_ID, &id, 2);
	n += put_attr(raw.b + n, CTRL_ATTR_VERSION, &version, 4);
	if (with_group) {
		gn += put_attr(grp + gn, CTRL_ATTR_MCAST_GRP_NAME, "other", 6);
		gn += put_attr(grp + gn, CTRL_ATTR_MCAST_GRP_ID, &gid, 4);
		gsn += put_attr(grps + gsn, 1 | NLA_F_NESTED, grp, gn);
		gid = 10;
		gn = 0;
		gn += put_attr(grp + gn, CTRL_ATTR_MCAST_GRP_NAME, "events", 7);
		gn += put_attr(grp + gn, CTRL_ATTR_MCAST_GRP_ID, &gid,
			       bad_group ? 2 : 4);
		gsn += put_attr(grps + gsn, 2 | NLA_F_NESTED, grp, gn);
		n += put_attr(raw.b + n, CTRL_ATTR_MCAST_GROUPS | NLA_F_NESTED,
			      grps, gsn);
	}
	h.nlmsg_len = n;
	memcpy(raw.b, &h, sizeof(h));
	return n;
}

static void test_family(void)
{
	struct nl_family fam;

	make_family(1, 0);
	CHECK_INT(nl_parse_family(&raw.hdr, "events", &fam), 0);
	CHECK_INT(fam.id, 0x1d);
	CHECK_INT(fam.version, 1);
	CHECK_INT(fam.group_id, 10);
	CHECK_INT(nl_parse_family(&raw.hdr, "nothere", &fam), 0);
	CHECK_INT(fam.group_id, 0);
	CHECK_INT(nl_parse_family(&raw.hdr, NULL, &fam), 0);
	CHECK_INT(fam.id, 0x1d);

	make_family(0, 0);
	CHECK_INT(nl_parse_family(&raw.hdr, "events", &fam), 0);
	CHECK_INT(fam.group_id, 0);

	make_family(1, 1);
	CHECK_INT(nl_parse_family(&raw.hdr, "events", &fam), -EINVAL);
}

static void test_port_message(void)
{
	struct pb_port_conf pc = {
		.mode = PB_MODE_UDP, .local_port = 65535, .baud = 921600,
		.data_bits = 7, .parity = PB_PARITY_MARK, .stop_bits = 2,
		.flow = PB_FLOW_XONXOFF, .max_conns = 8,
	};
	struct pb_port_info info;
	struct nl_msg m;
	uint64_t rx = 123456789012ull;
	uint32_t active = 3;
	size_t nest;

	pb_build_port_set(&m, 0x1d, 4, &pc, pb_config_attrs());
	CHECK(!m.overflow);
	CHECK_INT(m.hdr.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	CHECK_INT(pb_parse_port(&m.hdr, &info), 0);
	CHECK_INT(info.index, 4);
	CHECK(!memcmp(&info.conf, &pc, sizeof(pc)));
	CHECK(info.conf_present == (1ull << CONF_PORT_NKEYS) - 1);
	CHECK_INT(info.stats_present, 0);

	/* a kernel reply: tty name and counters */
	nl_put_str(&m, PB_A_TTY_NAME, "ttyS4");
	nest = nl_nest_start(&m, PB_A_STATS);
	nl_put(&m, PB_STAT_RX_BYTES, &rx, 8);
	nl_put_u32(&m, PB_STAT_ACTIVE_CONNS, active);
	nl_nest_end(&m, nest);
	CHECK_INT(pb_parse_port(&m.hdr, &info), 0);
	CHECK_STR(info.tty, "ttyS4");
	CHECK(info.stats[PB_STAT_RX_BYTES] == rx);
	CHECK_INT(info.stats[PB_STAT_ACTIVE_CONNS], 3);
	CHECK(info.stats_present == ((1ull << PB_STAT_RX_BYTES) |
				     (1ull << PB_STAT_ACTIVE_CONNS)));

	/* a u64 counter of the wrong size is refused */
	nest = nl_nest_start(&m, PB_A_STATS);
	nl_put_u32(&m, PB_STAT_TX_BYTES, 1);
	nl_nest_end(&m, nest);
	CHECK_INT(pb_parse_port(&m.hdr, &info), -EINVAL);

	/* no index */
	nl_msg_init(&m, 0x1d, 0, PB_CMD_PORT_GET, 1);
	nl_put_u8(&m, PB_A_MODE, 1);
	CHECK_INT(pb_parse_port(&m.hdr, &info), -EINVAL);
	/* a config attribute of the wrong width */
	nl_put_u32(&m, PB_A_PORT_INDEX, 1);
	nl_put_u32(&m, PB_A_DATA_BITS, 8);
	CHECK_INT(pb_parse_port(&m.hdr, &info), -EINVAL);

	pb_build_port_get(&m, 0x1d, 0);
	CHECK_INT(m.hdr.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	CHECK_INT(m.len, NLMSG_HDRLEN + GENL_HDRLEN);
	pb_build_port_get(&m, 0x1d, 2);
	CHECK_INT(m.hdr.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
}

/* A port with every setting away from its default. */
static void full_port(struct pb_port_conf *pc)
{
	static const uint8_t v4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					0xff, 0xff, 10, 0, 0, 5 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	conf_port_defaults(pc, 2);
	pc->mode = PB_MODE_UDP;
	pc->local_port = 40000;
	pc->cmd_port = 1967;
	pc->inactivity_ms = 86400000;
	pc->alive_idle = 32767;
	pc->alive_intvl = 2;
	pc->alive_cnt = 127;
	pc->ignore_jammed = 1;
	pc->jammed_ms = 123456;
	pc->connect_on = PB_CONNECT_ANY_CHAR;
	pc->dest[0].kind = CONF_DEST_ADDR;
	memcpy(pc->dest[0].addr, v4, 16);
	pc->dest[0].port = 4001;
	pc->dest[1].kind = CONF_DEST_RANGE;
	memcpy(pc->dest[1].addr, v6, 16);
	memcpy(pc->dest[1].end, v6, 16);
	pc->dest[1].end[15] = 9;
	pc->dest[1].port = 65535;
	pc->pack_len = 1024;
	pc->delim1 = 0x0d;
	pc->delim2 = 0;
	pc->delim_process = PB_DELIM_PLUS2;
	pc->force_tx_ms = 65535;
	pc->fifo = 0;
	pc->interface = PB_IF_RS485_4W;
	pc->dtr = 0;
	pc->rts = 0;
}

static void test_port_message_new(void)
{
	struct pb_port_conf pc, host;
	struct pb_port_info info;
	const struct nlattr *tb[PB_A_MAX + 1], *dt[PB_A_MAX + 1];
	struct nl_msg m;
	uint64_t core;
	uint16_t u16;
	uint8_t cmd;

	full_port(&pc);
	pb_build_port_set(&m, 0x1d, 2, &pc, pb_config_attrs());
	CHECK(!m.overflow);
	CHECK_INT(pb_parse_port(&m.hdr, &info), 0);
	CHECK(!memcmp(&info.conf, &pc, sizeof(pc)));
	CHECK(info.conf_present == (1ull << CONF_PORT_NKEYS) - 1);

	/* the wire format: widths, nests with NLA_F_NESTED */
	CHECK_INT(nl_genl_parse(&m.hdr, &cmd, tb, PB_A_MAX), 0);
	CHECK_INT(cmd, PB_CMD_PORT_SET);
	CHECK_INT(nla_get_u16(tb[PB_A_DELIM1], &u16), 0);
	CHECK_INT(u16, 0x0d);
	CHECK_INT(nla_get_u16(tb[PB_A_DELIM2], &u16), 0);
	CHECK_INT(u16, 0);
	CHECK_INT(nla_payload_len(tb[PB_A_INACTIVITY_MS]), 4);
	CHECK_INT(nla_payload_len(tb[PB_A_KEEPALIVE_CNT]), 1);
	CHECK_INT(nla_payload_len(tb[PB_A_CMD_PORT]), 2);
	CHECK(tb[PB_A_DESTINATIONS]->nla_type & NLA_F_NESTED);
	CHECK_INT(nla_parse_nested(dt, PB_A_MAX, tb[PB_A_DESTINATIONS]), 0);
	CHECK(dt[PB_A_DEST] && (dt[PB_A_DEST]->nla_type & NLA_F_NESTED));

	/* defaults: off delimiters are 0x100, no destinations: empty nest */
	conf_port_defaults(&pc, 1);
	pb_build_port_set(&m, 0x1d, 1, &pc, pb_config_attrs());
	CHECK_INT(nl_genl_parse(&m.hdr, &cmd, tb, PB_A_MAX), 0);
	CHECK_INT(nla_get_u16(tb[PB_A_DELIM1], &u16), 0);
	CHECK_INT(u16, PB_DELIM_OFF);
	CHECK_INT(nla_payload_len(tb[PB_A_DESTINATIONS]), 0);
	CHECK_INT(pb_parse_port(&m.hdr, &info), 0);
	CHECK(!memcmp(&info.conf, &pc, sizeof(pc)));

	/* only what the kernel accepts goes out */
	core = PB_ATTR_BIT(PB_A_MODE) | PB_ATTR_BIT(PB_A_LOCAL_PORT) |
	       PB_ATTR_BIT(PB_A_BAUD);
	full_port(&pc);
	pb_build_port_set(&m, 0x1d, 2, &pc, core);
	CHECK_INT(pb_parse_port(&m.hdr, &info), 0);
	CHECK(info.conf_present == ((1ull << CONF_PORT_MODE) |
				    (1ull << CONF_PORT_LOCAL_PORT) |
				    (1ull << CONF_PORT_BAUD)));
	CHECK_INT(m.len, NLMSG_HDRLEN + GENL_HDRLEN + 8 + 8 + 8 + 8);

	/* a name that was not resolved is never sent */
	full_port(&host);
	host.dest[0].kind = CONF_DEST_HOST;
	memset(host.dest[0].addr, 0, 16);
	snprintf(host.dest[0].host, sizeof(host.dest[0].host), "plc");
	pb_build_port_set(&m, 0x1d, 2, &host, pb_config_attrs());
	CHECK_INT(pb_parse_port(&m.hdr, &info), 0);
	CHECK(!memcmp(&info.conf.dest[0], &pc.dest[1], sizeof(pc.dest[1])));
	CHECK_INT(info.conf.dest[1].kind, CONF_DEST_NONE);
	CHECK_INT(pb_key_attr(CONF_PORT_DEST3), PB_A_DESTINATIONS);
	CHECK_INT(pb_key_attr(CONF_PORT_RTS), PB_A_RTS);
	CHECK_INT(pb_key_attr(-1), 0);
	CHECK(pb_config_attrs() & PB_ATTR_BIT(PB_A_KEEPALIVE_IDLE));
	CHECK(!(pb_config_attrs() & PB_ATTR_BIT(PB_A_STATS)));
	CHECK(!(pb_config_attrs() & PB_ATTR_BIT(PB_A_DEST)));
}

static void put_dest(struct nl_msg *m, const void *addr, int addr_len,
		     const void *end, int with_port)
{
	size_t nest = nl_nest_start(m, PB_A_DEST);

	if (addr)
		nl_put(m, PB_DEST_ADDR, addr, addr_len);
	if (end)
		nl_put(m, PB_DEST_ADDR_END, end, 16);
	if (with_port)
		nl_put_u16(m, PB_DEST_PORT, 1);
	nl_nest_end(m, nest);
}

static void test_port_message_dests(void)
{
	static const uint8_t a[16] = { 0x20, 1, [15] = 1 };
	struct pb_port_info info;
	struct nl_msg m;
	size_t nest;
	int i;

	/* an end equal to the address is one address */
	nl_msg_init(&m, 0x1d, 0, PB_CMD_PORT_GET, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 1);
	nest = nl_nest_start(&m, PB_A_DESTINATIONS);
	put_dest(&m, a, 16, a, 1);
	nl_put_u32(&m, 99, 0);		/* unknown: skipped */
	nl_nest_end(&m, nest);
	CHECK_INT(pb_parse_port(&m.hdr, &info), 0);
	CHECK_INT(info.conf.dest[0].kind, CONF_DEST_ADDR);
	CHECK_INT(info.conf.dest[0].end[15], 0);
	CHECK_INT(info.conf.dest[1].kind, CONF_DEST_NONE);
	CHECK(info.conf_present == (0xfull << CONF_PORT_DEST1));

	/* malformed: short address, no address, no port, five of them */
	for (i = 0; i < 4; i++) {
		nl_msg_init(&m, 0x1d, 0, PB_CMD_PORT_GET, 1);
		nl_put_u32(&m, PB_A_PORT_INDEX, 1);
		nest = nl_nest_start(&m, PB_A_DESTINATIONS);
		if (i == 0)
			put_dest(&m, a, 4, NULL, 1);
		if (i == 1)
			put_dest(&m, NULL, 0, NULL, 1);
		if (i == 2)
			put_dest(&m, a, 16, NULL, 0);
		if (i == 3) {
			int j;

			for (j = 0; j < PB_MAX_DESTS + 1; j++)
				put_dest(&m, a, 16, NULL, 1);
		}
		nl_nest_end(&m, nest);
		CHECK_INT(pb_parse_port(&m.hdr, &info), -EINVAL);
	}
}

static void test_unsupported(void)
{
	struct pb_port_conf old, new;
	uint64_t all = pb_config_attrs();
	uint64_t some = all & ~(PB_ATTR_BIT(PB_A_INACTIVITY_MS) |
				PB_ATTR_BIT(PB_A_DTR) |
				PB_ATTR_BIT(PB_A_DESTINATIONS));
	char buf[512];

	conf_port_defaults(&old, 1);
	new = old;
	CHECK_INT(pb_unsupported(some, 1, &old, &new, buf, sizeof(buf)), 0);
	new.inactivity_ms = 5000;
	new.dtr = 0;
	new.baud = 9600;
	CHECK_INT(pb_unsupported(all, 1, &old, &new, buf, sizeof(buf)), 0);
	CHECK_INT(pb_unsupported(some, 1, &old, &new, buf, sizeof(buf)), 2);
	CHECK_STR(buf, "inactivity-ms 5000, dtr off");
	/* unchanged, or back to the default: fine */
	CHECK_INT(pb_unsupported(some, 1, &new, &new, buf, sizeof(buf)), 0);
	CHECK_INT(pb_unsupported(some, 1, &new, &old, buf, sizeof(buf)), 0);
	new = old;
	new.dest[0].kind = CONF_DEST_HOST;
	new.dest[0].port = 502;
	snprintf(new.dest[0].host, sizeof(new.dest[0].host), "plc");
	CHECK_INT(pb_unsupported(some, 1, &old, &new, buf, sizeof(buf)), 1);
	CHECK_STR(buf, "dest1 plc:502");
	/* the local port's default is the new mode's */
	new = old;
	new.mode = PB_MODE_REALCOM;
	new.local_port = 950;
	CHECK_INT(pb_unsupported(all & ~PB_ATTR_BIT(PB_A_LOCAL_PORT), 1, &old,
				 &new, buf, sizeof(buf)), 0);
	CHECK_INT(pb_unsupported(0, 1, &old, &new, buf, sizeof(buf)), 1);
	CHECK_STR(buf, "mode real-com");
}

/* The controller's answer to CTRL_CMD_GETPOLICY for one op. */
static void policy_op_msg(struct nl_msg *m, uint8_t op, uint32_t idx)
{
	size_t pol, opn;

	nl_msg_init(m, GENL_ID_CTRL, NLM_F_MULTI, CTRL_CMD_GETPOLICY, 1);
	nl_put_u16(m, CTRL_ATTR_FAMILY_ID, 0x1d);
	pol = nl_nest_start(m, CTRL_ATTR_OP_POLICY);
	opn = nl_nest_start(m, op);
	nl_put_u32(m, CTRL_ATTR_POLICY_DO, idx);
	nl_nest_end(m, opn);
	nl_nest_end(m, pol);
}

static void policy_attr_msg(struct nl_msg *m, uint32_t idx, uint16_t attr)
{
	size_t pol, pidx, a;

	nl_msg_init(m, GENL_ID_CTRL, NLM_F_MULTI, CTRL_CMD_GETPOLICY, 1);
	nl_put_u16(m, CTRL_ATTR_FAMILY_ID, 0x1d);
	pol = nl_nest_start(m, CTRL_ATTR_POLICY);
	pidx = nl_nest_start(m, idx);
	a = nl_nest_start(m, attr);
	nl_put_u32(m, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U8);
	nl_nest_end(m, a);
	nl_nest_end(m, pidx);
	nl_nest_end(m, pol);
}

static void test_policy(void)
{
	struct nl_policy pol;
	struct nl_msg m;

	memset(&pol, 0, sizeof(pol));
	CHECK(nl_policy_do_attrs(&pol) == 0);
	policy_op_msg(&m, PB_CMD_PORT_SET, 1);
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), 0);
	policy_attr_msg(&m, 1, PB_A_MODE);
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), 0);
	policy_attr_msg(&m, 1, PB_A_BAUD);
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), 0);
	policy_attr_msg(&m, 0, PB_A_FLOW);	/* another policy */
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), 0);
	policy_attr_msg(&m, 1, 63);
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), 0);
	policy_attr_msg(&m, 1, 64);		/* beyond what we track */
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), 0);
	policy_attr_msg(&m, NL_POLICY_MAX, 3);	/* likewise */
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), 0);
	CHECK_INT(pol.have_do, 1);
	CHECK(nl_policy_do_attrs(&pol) == (PB_ATTR_BIT(PB_A_MODE) |
					   PB_ATTR_BIT(PB_A_BAUD) |
					   PB_ATTR_BIT(63)));
	pol.do_policy = NL_POLICY_MAX;
	CHECK(nl_policy_do_attrs(&pol) == 0);

	/* not a policy message; a truncated nest */
	nl_msg_init(&m, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY, 1);
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), -EINVAL);
	policy_op_msg(&m, PB_CMD_PORT_SET, 1);
	m.buf[NLMSG_HDRLEN + GENL_HDRLEN + 8 + 4] = 0xff;	/* op nest len */
	CHECK_INT(nl_parse_policy(&m.hdr, &pol), -EINVAL);
}

static void test_events(void)
{
	static const uint8_t v4mapped[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 2, 2 };
	struct pb_event ev;
	struct nl_msg m;
	char line[256];

	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_CONNECT, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 1);
	nl_put(&m, PB_A_PEER_ADDR, v4mapped, 16);
	nl_put_u16(&m, PB_A_PEER_PORT, 51234);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), 0);
	pb_format_event(&ev, 0, line, sizeof(line));
	CHECK_STR(line, "connect port 1 peer [::ffff:10.0.2.2]:51234");
	pb_format_event(&ev, 1, line, sizeof(line));
	CHECK_STR(line, "{\"event\":\"connect\",\"port\":1,"
			"\"peer\":\"::ffff:10.0.2.2\",\"peer-port\":51234}");

	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_DISCONNECT, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 2);
	nl_put(&m, PB_A_PEER_ADDR, v4mapped, 16);
	nl_put_u16(&m, PB_A_PEER_PORT, 1);
	nl_put_u8(&m, PB_A_EVENT_REASON, PB_REASON_PEER_CLOSED);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), 0);
	pb_format_event(&ev, 0, line, sizeof(line));
	CHECK_STR(line, "disconnect port 2 peer [::ffff:10.0.2.2]:1 reason peer-closed");
	pb_format_event(&ev, 1, line, sizeof(line));
	CHECK_STR(line, "{\"event\":\"disconnect\",\"port\":2,"
			"\"peer\":\"::ffff:10.0.2.2\",\"peer-port\":1,"
			"\"reason\":\"peer-closed\"}");

	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_REFUSED, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 3);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), 0);
	pb_format_event(&ev, 0, line, sizeof(line));
	CHECK_STR(line, "refused port 3");

	/* malformed: short address, address without port, unknown cmd */
	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_CONNECT, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 1);
	nl_put(&m, PB_A_PEER_ADDR, v4mapped, 4);
	nl_put_u16(&m, PB_A_PEER_PORT, 1);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), -EINVAL);
	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_CONNECT, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 1);
	nl_put(&m, PB_A_PEER_ADDR, v4mapped, 16);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), -EINVAL);
	nl_msg_init(&m, 0x1d, 0, PB_CMD_PORT_GET, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 1);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), -EINVAL);

	CHECK_STR(pb_reason_name(PB_REASON_PORT_CHANGE), "port-change");
	CHECK_STR(pb_reason_name(200), "?");
	CHECK_STR(pb_stat_name(PB_STAT_NET_ERRORS), "net_errors");
	CHECK(pb_stat_name(PB_STAT_MAX + 1) == NULL);
}

static void test_events_new(void)
{
	static const uint8_t v4mapped[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 2, 2 };
	static const char *const reasons[] = { "inactivity", "alive-check",
					       "jammed", "replaced" };
	struct pb_event ev;
	struct nl_msg m;
	char line[256];
	uint64_t v;
	size_t nest;
	unsigned int i;

	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_MODE, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 2);
	nl_put_u8(&m, PB_A_MODE, PB_MODE_REALCOM);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), 0);
	pb_format_event(&ev, 0, line, sizeof(line));
	CHECK_STR(line, "mode port 2 mode real-com");
	pb_format_event(&ev, 1, line, sizeof(line));
	CHECK_STR(line, "{\"event\":\"mode\",\"port\":2,\"mode\":\"real-com\"}");

	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_SERIAL_ERROR, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 3);
	nest = nl_nest_start(&m, PB_A_STATS);
	v = 7;
	nl_put(&m, PB_STAT_PARITY_ERRORS, &v, 8);
	v = 0;
	nl_put(&m, PB_STAT_FRAME_ERRORS, &v, 8);
	v = 12;
	nl_put(&m, PB_STAT_OVERRUNS, &v, 8);
	v = 1;
	nl_put(&m, PB_STAT_BREAKS, &v, 8);
	nl_nest_end(&m, nest);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), 0);
	pb_format_event(&ev, 0, line, sizeof(line));
	CHECK_STR(line, "serial-error port 3 parity_errors 7 frame_errors 0 "
			"overruns 12 breaks 1");
	pb_format_event(&ev, 1, line, sizeof(line));
	CHECK_STR(line, "{\"event\":\"serial-error\",\"port\":3,"
			"\"parity_errors\":7,\"frame_errors\":0,"
			"\"overruns\":12,\"breaks\":1}");

	for (i = 0; i < 4; i++) {
		char want[128];

		nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_DISCONNECT, 1);
		nl_put_u32(&m, PB_A_PORT_INDEX, 1);
		nl_put(&m, PB_A_PEER_ADDR, v4mapped, 16);
		nl_put_u16(&m, PB_A_PEER_PORT, 950);
		nl_put_u8(&m, PB_A_EVENT_REASON, PB_REASON_INACTIVITY + i);
		CHECK_INT(pb_parse_event(&m.hdr, &ev), 0);
		pb_format_event(&ev, 0, line, sizeof(line));
		snprintf(want, sizeof(want),
			 "disconnect port 1 peer [::ffff:10.0.2.2]:950 reason %s",
			 reasons[i]);
		CHECK_STR(line, want);
	}
	CHECK_STR(pb_reason_name(__PB_REASON_MAX), "?");
	CHECK_STR(pb_event_name(PB_CMD_EVENT_SERIAL_ERROR), "serial-error");
	CHECK(pb_event_name(__PB_CMD_MAX) == NULL);
	CHECK_STR(pb_stat_name(PB_STAT_JAMMED_SKIPS), "jammed_skips");
	CHECK_STR(pb_stat_name(PB_STAT_JAMMED_DROPS), "jammed_drops");
	CHECK_STR(pb_stat_name(PB_STAT_PROTO_ERRORS), "proto_errors");
	CHECK_STR(pb_stat_name(PB_STAT_DATAGRAMS), "datagrams");

	/* a mode of the wrong width, a counter of the wrong width */
	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_MODE, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 2);
	nl_put_u16(&m, PB_A_MODE, 1);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), -EINVAL);
	nl_msg_init(&m, 0x1d, 0, PB_CMD_EVENT_SERIAL_ERROR, 1);
	nl_put_u32(&m, PB_A_PORT_INDEX, 2);
	nest = nl_nest_start(&m, PB_A_STATS);
	nl_put_u32(&m, PB_STAT_BREAKS, 1);
	nl_nest_end(&m, nest);
	CHECK_INT(pb_parse_event(&m.hdr, &ev), -EINVAL);
}

static const struct unit_test tests[] = {
	{ "build_parse", test_build_parse },
	{ "getters_strict", test_getters_strict },
	{ "parse_malformed", test_parse_malformed },
	{ "overflow", test_overflow },
	{ "next_msg", test_next_msg },
	{ "error_acks", test_error_acks },
	{ "done", test_done },
	{ "family", test_family },
	{ "port_message", test_port_message },
	{ "events", test_events },
	{ "port_message_new", test_port_message_new },
	{ "port_message_dests", test_port_message_dests },
	{ "unsupported", test_unsupported },
	{ "policy", test_policy },
	{ "events_new", test_events_new },
};

UNIT_SUITE(nlattr_tests, "nlattr", tests);
