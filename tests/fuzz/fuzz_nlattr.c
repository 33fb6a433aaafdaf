// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink parsing: the input is a datagram as the kernel would send it.
 * Every message goes through every parser that could meet it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nlattr.h"
#include "pbmsg.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void parse_one(const struct nlmsghdr *nlh)
{
	static struct nl_policy pol;	/* folds a whole dump, like nl.c */
	struct pb_port_info info;
	struct nl_family fam;
	struct pb_event ev;
	char text[256];
	int error;

	if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
		if (nl_parse_error(nlh, &error, text, sizeof(text)) == 0 &&
		    strlen(text) >= sizeof(text))
			abort();
		return;
	}
	nl_parse_family(nlh, "events", &fam);
	nl_parse_policy(nlh, &pol);
	nl_policy_do_attrs(&pol);
	if (pb_parse_port(nlh, &info) == 0 && info.tty[sizeof(info.tty) - 1])
		abort();
	if (pb_parse_event(nlh, &ev) == 0) {
		pb_format_event(&ev, 0, text, sizeof(text));
		pb_format_event(&ev, 1, text, sizeof(text));
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static union {
		struct nlmsghdr hdr;
		unsigned char b[65536];
	} buf;
	const struct nlattr *tb[PB_A_MAX + 1];
	const struct nlmsghdr *nlh;
	size_t off = 0;

	if (size > sizeof(buf.b))
		return 0;
	memcpy(buf.b, data, size);	/* as aligned as a receive buffer */
	while (nl_next_msg(buf.b, size, &off, &nlh) > 0)
		parse_one(nlh);
	nla_parse(tb, PB_A_MAX, buf.b, size);
	return 0;
}
