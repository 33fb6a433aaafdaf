// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink socket client against the host kernel's generic netlink
 * controller ("nlctrl"), which every Linux has: requests, acks, dumps,
 * kernel errors with extended ack text, multicast subscription.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nl.h"
#include "unit.h"

static void test_resolve(void)
{
	struct nl_family fam;
	struct nl_sock s;
	struct nl_err err;

	CHECK_INT(nl_open(&s), 0);
	CHECK_INT(nl_resolve(&s, "nlctrl", "notify", &fam, &err), 0);
	CHECK_INT(fam.id, GENL_ID_CTRL);
	CHECK(fam.group_id != 0);
	CHECK_INT(nl_subscribe(&s, fam.group_id), 0);

	CHECK_INT(nl_resolve(&s, "nlctrl", "nothere", &fam, &err), -ENOENT);
	CHECK_STR(err.msg, "family 'nlctrl' has no multicast group 'nothere'");
	CHECK_INT(nl_resolve(&s, "no-such-family", NULL, &fam, &err), -ENOENT);
	CHECK_STR(err.msg, "generic netlink family 'no-such-family' not found");
	/* the socket is still in step after errors */
	CHECK_INT(nl_resolve(&s, "nlctrl", NULL, &fam, &err), 0);
	nl_close(&s);
}

static int count_family(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_family fam;
	int *n = arg;

	CHECK_INT(nl_parse_family(nlh, NULL, &fam), 0);
	(*n)++;
	return 0;
}

static void test_dump(void)
{
	struct nl_sock s;
	struct nl_err err;
	struct nl_msg m;
	int n = 0, i;

	CHECK_INT(nl_open(&s), 0);
	/* twice: a dump must be drained completely */
	for (i = 0; i < 2; i++) {
		n = 0;
		nl_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP,
			    CTRL_CMD_GETFAMILY, 1);
		CHECK_INT(nl_request(&s, &m, count_family, &n, &err), 0);
		CHECK(n >= 1);	/* at least nlctrl itself */
	}
	nl_close(&s);
}

static void test_kernel_error(void)
{
	struct nl_sock s;
	struct nl_err err;
	struct nl_msg m;
	int rc;

	CHECK_INT(nl_open(&s), 0);
	/* a too short family id fails the controller's policy; the
	 * kernel says why in an extended ack */
	nl_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		    CTRL_CMD_GETFAMILY, 1);
	nl_put_u8(&m, CTRL_ATTR_FAMILY_ID, 16);
	rc = nl_request(&s, &m, NULL, NULL, &err);
	CHECK(rc < 0);
	CHECK_INT(err.error, rc);
	CHECK_STR(err.msg, "Attribute failed policy validation");

	/* an unknown command */
	nl_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, 200, 1);
	rc = nl_request(&s, &m, NULL, NULL, &err);
	CHECK(rc < 0);
	CHECK_INT(err.error, rc);

	/* an overflowed message is never sent */
	nl_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		    CTRL_CMD_GETFAMILY, 1);
	m.overflow = 1;
	CHECK_INT(nl_request(&s, &m, NULL, NULL, &err), -EMSGSIZE);
	nl_close(&s);
}

/* The controller's own GETFAMILY takes a family id and a name. */
static void test_policy(void)
{
	struct nl_sock s;
	struct nl_err err;
	uint64_t attrs = 0;

	CHECK_INT(nl_open(&s), 0);
	CHECK_INT(nl_policy_attrs(&s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, &attrs,
				  &err), 0);
	CHECK((attrs & ((1ull << CTRL_ATTR_FAMILY_ID) |
			(1ull << CTRL_ATTR_FAMILY_NAME))) ==
	      ((1ull << CTRL_ATTR_FAMILY_ID) | (1ull << CTRL_ATTR_FAMILY_NAME)));
	CHECK(!(attrs & (1ull << CTRL_ATTR_VERSION)));
	/* an op the family does not have */
	CHECK(nl_policy_attrs(&s, GENL_ID_CTRL, 250, &attrs, &err) < 0);
	/* still in step */
	CHECK_INT(nl_policy_attrs(&s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, &attrs,
				  &err), 0);
	nl_close(&s);
}

static const struct unit_test tests[] = {
	{ "resolve", test_resolve },
	{ "dump", test_dump },
	{ "kernel_error", test_kernel_error },
	{ "policy", test_policy },
};

UNIT_SUITE(nl_tests, "nl", tests);
