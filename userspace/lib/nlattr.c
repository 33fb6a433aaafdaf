// SPDX-License-Identifier: GPL-2.0
/* Netlink message building and bounds-checked parsing (pure). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nlattr.h"

void nl_msg_init(struct nl_msg *m, uint16_t type, uint16_t flags,
		 uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->hdr.nlmsg_type = type;
	m->hdr.nlmsg_flags = flags;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = version;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->hdr.nlmsg_len = m->len;
	m->overflow = 0;
}

void nl_put(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);
	struct nlattr *a;

	if (m->overflow || len > UINT16_MAX - NLA_HDRLEN ||
	    total > sizeof(m->buf) - m->len) {
		m->overflow = 1;
		return;
	}
	a = (struct nlattr *)(m->buf + m->len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0,
	       total - NLA_HDRLEN - len);
	m->len += total;
	m->hdr.nlmsg_len = m->len;
}

void nl_put_u8(struct nl_msg *m, uint16_t type, uint8_t v)
{
	nl_put(m, type, &v, sizeof(v));
}

void nl_put_u16(struct nl_msg *m, uint16_t type, uint16_t v)
{
	nl_put(m, type, &v, sizeof(v));
}

void nl_put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	nl_put(m, type, &v, sizeof(v));
}

void nl_put_str(struct nl_msg *m, uint16_t type, const char *s)
{
	nl_put(m, type, s, strlen(s) + 1);
}

size_t nl_nest_start(struct nl_msg *m, uint16_t type)
{
	size_t off = m->len;

	nl_put(m, type | NLA_F_NESTED, NULL, 0);
	return off;
}

void nl_nest_end(struct nl_msg *m, size_t nest)
{
	struct nlattr *a;

	if (m->overflow)
		return;
	a = (struct nlattr *)(m->buf + nest);
	a->nla_len = m->len - nest;
}

int nla_next(const void *data, size_t len, size_t *off,
	     const struct nlattr **ap)
{
	const struct nlattr *a;

	if (*off >= len || len - *off < NLA_HDRLEN)
		return 0;
	a = (const struct nlattr *)((const unsigned char *)data + *off);
	if (a->nla_len < NLA_HDRLEN || a->nla_len > len - *off)
		return -EINVAL;
	*off += NLA_ALIGN(a->nla_len);
	if (*off > len)	/* the last one may lack its padding */
		*off = len;
	*ap = a;
	return 1;
}

int nla_parse(const struct nlattr **tb, int maxtype, const void *data,
	      size_t len)
{
	const struct nlattr *a;
	size_t off = 0;
	int rc;

	memset(tb, 0, sizeof(*tb) * (maxtype + 1));
	while ((rc = nla_next(data, len, &off, &a)) > 0) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (type <= maxtype)
			tb[type] = a;
	}
	return rc;
}

int nla_parse_nested(const struct nlattr **tb, int maxtype,
		     const struct nlattr *nest)
{
	return nla_parse(tb, maxtype, nla_payload(nest),
			 nla_payload_len(nest));
}

const void *nla_payload(const struct nlattr *a)
{
	return (const unsigned char *)a + NLA_HDRLEN;
}

size_t nla_payload_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static int get_fixed(const struct nlattr *a, void *v, size_t size)
{
	if (!a || nla_payload_len(a) != size)
		return -EINVAL;
	memcpy(v, nla_payload(a), size);
	return 0;
}

int nla_get_u8(const struct nlattr *a, uint8_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

int nla_get_u16(const struct nlattr *a, uint16_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

int nla_get_u32(const struct nlattr *a, uint32_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

int nla_get_u64(const struct nlattr *a, uint64_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

int nla_get_str(const struct nlattr *a, char *buf, size_t size)
{
	const char *s;
	size_t len;

	if (!a || size == 0)
		return -EINVAL;
	s = nla_payload(a);
	len = strnlen(s, nla_payload_len(a));
	if (len == nla_payload_len(a) || len >= size)
		return -EINVAL;
	memcpy(buf, s, len + 1);
	return 0;
}

int nl_next_msg(const void *buf, size_t len, size_t *off,
		const struct nlmsghdr **nlhp)
{
	const struct nlmsghdr *nlh;
	size_t left;

	if (*off >= len)
		return 0;
	left = len - *off;
	if (left < NLMSG_HDRLEN)
		return -EINVAL;
	nlh = (const struct nlmsghdr *)((const unsigned char *)buf + *off);
	if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > left)
		return -EINVAL;
	*off += NLMSG_ALIGN(nlh->nlmsg_len);
	if (*off > len)
		*off = len;
	*nlhp = nlh;
	return 1;
}

int nl_genl_parse(const struct nlmsghdr *nlh, uint8_t *cmd,
		  const struct nlattr **tb, int maxtype)
{
	const unsigned char *p = (const unsigned char *)nlh;
	const struct genlmsghdr *g;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	g = (const struct genlmsghdr *)(p + NLMSG_HDRLEN);
	*cmd = g->cmd;
	return nla_parse(tb, maxtype, p + NLMSG_HDRLEN + GENL_HDRLEN,
			 nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
}

/* Where the extended ack TLVs of an NLMSG_ERROR start (0: nowhere). */
static size_t error_tlv_offset(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	e = (const struct nlmsgerr *)((const unsigned char *)nlh +
				      NLMSG_HDRLEN);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		/* the whole request is echoed after its header */
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return 0;
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	return off <= nlh->nlmsg_len ? off : 0;
}

static void parse_ext_ack(const struct nlmsghdr *nlh, size_t off, char *msg,
			  size_t msgsize)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	char text[256];
	size_t i;

	if (!off)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (const unsigned char *)nlh + off, nlh->nlmsg_len - off))
		return;
	if (nla_get_str(tb[NLMSGERR_ATTR_MSG], text, sizeof(text)))
		return;
	/* kernel text goes to terminals and logs: keep it printable */
	for (i = 0; text[i]; i++) {
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			text[i] = '?';
	}
	snprintf(msg, msgsize, "%s", text);
}

int nl_parse_error(const struct nlmsghdr *nlh, int *error, char *msg,
		   size_t msgsize)
{
	const unsigned char *p = (const unsigned char *)nlh;
	int code;

	if (msgsize)
		msg[0] = '\0';
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int)) {
			*error = 0;
			return 0;
		}
		memcpy(&code, p + NLMSG_HDRLEN, sizeof(code));
		*error = code > 0 ? -code : code;
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			parse_ext_ack(nlh, NLMSG_HDRLEN + sizeof(int), msg,
				      msgsize);
		return 0;
	}
	if (nlh->nlmsg_type != NLMSG_ERROR ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nlmsgerr))
		return -EINVAL;
	memcpy(&code, p + NLMSG_HDRLEN, sizeof(code));
	*error = code > 0 ? -code : code;
	parse_ext_ack(nlh, error_tlv_offset(nlh), msg, msgsize);
	return 0;
}

static int parse_group(const struct nlattr *grp, const char *group,
		       uint32_t *id)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	char name[GENL_NAMSIZ];

	if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, grp))
		return -EINVAL;
	if (nla_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME], name, sizeof(name)))
		return -EINVAL;
	if (strcmp(name, group))
		return 0;
	if (nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID], id))
		return -EINVAL;
	return 1;
}

static int parse_groups(const struct nlattr *groups, const char *group,
			uint32_t *id)
{
	const unsigned char *p = nla_payload(groups);
	size_t len = nla_payload_len(groups), off = 0;

	while (len - off >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)(p + off);
		int rc;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len - off)
			return -EINVAL;
		rc = parse_group(a, group, id);
		if (rc)
			return rc < 0 ? rc : 0;
		off += NLA_ALIGN(a->nla_len);
		if (off > len)
			off = len;
	}
	return 0;
}

int nl_parse_family(const struct nlmsghdr *nlh, const char *group,
		    struct nl_family *fam)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	uint8_t cmd;

	memset(fam, 0, sizeof(*fam));
	if (nl_genl_parse(nlh, &cmd, tb, CTRL_ATTR_MAX))
		return -EINVAL;
	if (cmd != CTRL_CMD_NEWFAMILY ||
	    nla_get_u16(tb[CTRL_ATTR_FAMILY_ID], &fam->id))
		return -EINVAL;
	if (tb[CTRL_ATTR_VERSION] &&
	    nla_get_u32(tb[CTRL_ATTR_VERSION], &fam->version))
		return -EINVAL;
	if (group && tb[CTRL_ATTR_MCAST_GROUPS])
		return parse_groups(tb[CTRL_ATTR_MCAST_GROUPS], group,
				    &fam->group_id);
	return 0;
}

/* CTRL_ATTR_OP_POLICY: { op: { CTRL_ATTR_POLICY_DO: index } } */
static int parse_op_policy(const struct nlattr *nest, struct nl_policy *pol)
{
	const struct nlattr *tb[CTRL_ATTR_POLICY_DUMP_MAX + 1];
	const struct nlattr *op;
	size_t off = 0;
	int rc;

	while ((rc = nla_next(nla_payload(nest), nla_payload_len(nest), &off,
			      &op)) > 0) {
		if (nla_parse_nested(tb, CTRL_ATTR_POLICY_DUMP_MAX, op))
			return -EINVAL;
		if (!tb[CTRL_ATTR_POLICY_DO])
			continue;
		if (nla_get_u32(tb[CTRL_ATTR_POLICY_DO], &pol->do_policy))
			return -EINVAL;
		pol->have_do = 1;
	}
	return rc;
}

/* CTRL_ATTR_POLICY: { policy index: { attribute type: { ... } } } */
static int parse_policies(const struct nlattr *nest, struct nl_policy *pol)
{
	const struct nlattr *policy, *attr;
	size_t off = 0, aoff;
	int rc;

	while ((rc = nla_next(nla_payload(nest), nla_payload_len(nest), &off,
			      &policy)) > 0) {
		unsigned int index = policy->nla_type & NLA_TYPE_MASK;

		aoff = 0;
		while ((rc = nla_next(nla_payload(policy),
				      nla_payload_len(policy), &aoff,
				      &attr)) > 0) {
			unsigned int type = attr->nla_type & NLA_TYPE_MASK;

			if (index < NL_POLICY_MAX && type < 64)
				pol->attrs[index] |= 1ull << type;
		}
		if (rc < 0)
			return rc;
	}
	return rc;
}

int nl_parse_policy(const struct nlmsghdr *nlh, struct nl_policy *pol)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	uint8_t cmd;

	if (nl_genl_parse(nlh, &cmd, tb, CTRL_ATTR_MAX) ||
	    cmd != CTRL_CMD_GETPOLICY)
		return -EINVAL;
	if (tb[CTRL_ATTR_OP_POLICY] &&
	    parse_op_policy(tb[CTRL_ATTR_OP_POLICY], pol))
		return -EINVAL;
	if (tb[CTRL_ATTR_POLICY] && parse_policies(tb[CTRL_ATTR_POLICY], pol))
		return -EINVAL;
	return 0;
}

uint64_t nl_policy_do_attrs(const struct nl_policy *pol)
{
	if (!pol->have_do || pol->do_policy >= NL_POLICY_MAX)
		return 0;
	return pol->attrs[pol->do_policy];
}
