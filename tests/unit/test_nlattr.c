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

	pb_build_port_set(&m, 0x1d, 4, &pc);
	CHECK(!m.overflow);
	CHECK_INT(m.hdr.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	CHECK_INT(pb_parse_port(&m.hdr, &info), 0);
	CHECK_INT(info.index, 4);
	CHECK(!memcmp(&info.conf, &pc, sizeof(pc)));
	CHECK_INT(info.conf_present, (1u << CONF_PORT_NKEYS) - 1);
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
	CHECK_INT(info.stats_present, (1u << PB_STAT_RX_BYTES) |
				      (1u << PB_STAT_ACTIVE_CONNS));

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
};

UNIT_SUITE(nlattr_tests, "nlattr", tests);
