/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink message building and bounds-checked parsing.  Pure: no sockets
 * here (see nl.h), so every parser is unit-tested and fuzzed.  Everything
 * that comes from the kernel is checked before it is used: a malformed
 * message is an error, never an out-of-bounds read.
 */
#ifndef PB_NLATTR_H
#define PB_NLATTR_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

#define NL_MSG_MAX	4096

/* A request being built; the buffer is 4-byte aligned for the headers. */
struct nl_msg {
	union {
		struct nlmsghdr hdr;
		unsigned char buf[NL_MSG_MAX];
	};
	size_t len;
	int overflow;	/* an attribute did not fit: do not send */
};

/* Start a generic netlink message: nlmsghdr + genlmsghdr. */
void nl_msg_init(struct nl_msg *m, uint16_t type, uint16_t flags,
		 uint8_t cmd, uint8_t version);
void nl_put(struct nl_msg *m, uint16_t type, const void *data, size_t len);
void nl_put_u8(struct nl_msg *m, uint16_t type, uint8_t v);
void nl_put_u16(struct nl_msg *m, uint16_t type, uint16_t v);
void nl_put_u32(struct nl_msg *m, uint16_t type, uint32_t v);
void nl_put_str(struct nl_msg *m, uint16_t type, const char *s);
/* A nest: returns its offset in the message (for nl_nest_end). */
size_t nl_nest_start(struct nl_msg *m, uint16_t type);
void nl_nest_end(struct nl_msg *m, size_t nest);

/*
 * Fill @tb[0..maxtype] with the attributes in @data (NULL: absent).  Types
 * above @maxtype are ignored (a newer kernel may send more); a repeated
 * type keeps the last one.  -EINVAL if an attribute is truncated.
 */
int nla_parse(const struct nlattr **tb, int maxtype, const void *data,
	      size_t len);
int nla_parse_nested(const struct nlattr **tb, int maxtype,
		     const struct nlattr *nest);

/*
 * Walk the attributes in @len bytes of @data: *off starts at 0.  Returns 1
 * and *a, 0 at the end, -EINVAL if an attribute is truncated.
 */
int nla_next(const void *data, size_t len, size_t *off,
	     const struct nlattr **a);

const void *nla_payload(const struct nlattr *a);
size_t nla_payload_len(const struct nlattr *a);

/* Typed getters: -EINVAL if absent or the payload has the wrong size. */
int nla_get_u8(const struct nlattr *a, uint8_t *v);
int nla_get_u16(const struct nlattr *a, uint16_t *v);
int nla_get_u32(const struct nlattr *a, uint32_t *v);
int nla_get_u64(const struct nlattr *a, uint64_t *v);
/* A NUL-terminated string that fits @size (with its NUL). */
int nla_get_str(const struct nlattr *a, char *buf, size_t size);

/*
 * Walk the messages in a received datagram: *off starts at 0.  Returns 1
 * and *nlh, 0 at the end, -EINVAL if a header is malformed.
 */
int nl_next_msg(const void *buf, size_t len, size_t *off,
		const struct nlmsghdr **nlh);

/* The genl command and attributes of a message (after the genl header). */
int nl_genl_parse(const struct nlmsghdr *nlh, uint8_t *cmd,
		  const struct nlattr **tb, int maxtype);

/*
 * NLMSG_ERROR (or NLMSG_DONE with a status): *error is 0 or -errno, and
 * @msg gets the kernel's extended ack text ("" if none).
 */
int nl_parse_error(const struct nlmsghdr *nlh, int *error, char *msg,
		   size_t msgsize);

/* A CTRL_CMD_NEWFAMILY reply: family id, version, id of group @group. */
struct nl_family {
	uint16_t id;
	uint32_t version;
	uint32_t group_id;	/* 0: the group was not found */
};
int nl_parse_family(const struct nlmsghdr *nlh, const char *group,
		    struct nl_family *fam);

/*
 * What a CTRL_CMD_GETPOLICY dump of one operation says: which attributes
 * each policy validates.  An attribute the kernel does not know (beyond
 * its maxattr, or without a policy) is not listed: the kernel would refuse
 * it.  Fold each message of the dump in with nl_parse_policy.
 */
#define NL_POLICY_MAX	8	/* policies we keep (the op's and nests) */

struct nl_policy {
	int have_do;
	uint32_t do_policy;		/* index of the op's do policy */
	uint64_t attrs[NL_POLICY_MAX];	/* bit a: policy i has attribute a */
};

int nl_parse_policy(const struct nlmsghdr *nlh, struct nl_policy *pol);

/* The attributes the op's do policy accepts (bit a), after the dump. */
uint64_t nl_policy_do_attrs(const struct nl_policy *pol);

#endif /* PB_NLATTR_H */
