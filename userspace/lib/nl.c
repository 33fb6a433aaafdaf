// SPDX-License-Identifier: GPL-2.0
/* Generic netlink socket I/O.  All parsing is in nlattr.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nl.h"

int nl_open(struct nl_sock *s)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int one = 1;
	int rc;

	memset(s, 0, sizeof(*s));
	s->rbuf = malloc(NL_RECV_MAX);
	if (!s->rbuf)
		return -ENOMEM;
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0) {
		rc = -errno;
		goto err_free;
	}
	/* Extended acks carry the kernel's reason for refusing a request;
	 * capped acks do not echo our request back.  Both are optional. */
	setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &salen)) {
		rc = -errno;
		goto err_close;
	}
	s->portid = sa.nl_pid;
	s->seq = 1;
	return 0;

err_close:
	close(s->fd);
err_free:
	free(s->rbuf);
	s->rbuf = NULL;
	s->fd = -1;
	return rc;
}

void nl_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->rbuf);
	s->rbuf = NULL;
}

static int nl_send(struct nl_sock *s, const struct nl_msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	do {
		n = sendto(s->fd, m->buf, m->len, 0, (struct sockaddr *)&sa,
			   sizeof(sa));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == m->len ? 0 : -EIO;
}

/* One datagram from the kernel (others' messages are dropped). */
static int nl_recv(struct nl_sock *s, size_t *len)
{
	struct sockaddr_nl sa;
	struct iovec iov = { s->rbuf, NL_RECV_MAX };
	struct msghdr mh = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		n = recvmsg(s->fd, &mh, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (mh.msg_namelen == sizeof(sa) && sa.nl_pid == 0)
			break;
		mh.msg_namelen = sizeof(sa);
	}
	*len = n;
	return 0;
}

static void set_err(struct nl_err *err, int error, const char *msg)
{
	if (!err)
		return;
	err->error = error;
	if (msg && msg[0])
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
	else
		snprintf(err->msg, sizeof(err->msg), "%s", strerror(-error));
}

/*
 * Handle one reply message.  Returns 1 when the request is complete, 0 to
 * keep reading, -errno on a kernel error.
 */
static int handle_reply(struct nl_sock *s, const struct nlmsghdr *nlh,
			uint32_t seq, int dump, nl_msg_cb cb, void *arg,
			int *cb_rc, struct nl_err *err)
{
	char text[256];
	int error;

	if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != s->portid)
		return 0;	/* a stale reply of an earlier request */
	if (nlh->nlmsg_type == NLMSG_ERROR ||
	    (dump && nlh->nlmsg_type == NLMSG_DONE)) {
		if (nl_parse_error(nlh, &error, text, sizeof(text))) {
			set_err(err, -EBADMSG, "malformed netlink ack");
			return -EBADMSG;
		}
		if (error) {
			set_err(err, error, text);
			return error;
		}
		return 1;
	}
	if (nlh->nlmsg_type == NLMSG_NOOP || nlh->nlmsg_type == NLMSG_DONE)
		return 0;
	if (cb && !*cb_rc)
		*cb_rc = cb(nlh, arg);
	return 0;
}

int nl_request(struct nl_sock *s, struct nl_msg *m, nl_msg_cb cb, void *arg,
	       struct nl_err *err)
{
	int dump = (m->hdr.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t seq = s->seq++;
	int cb_rc = 0, rc;

	if (err) {
		err->error = 0;
		err->msg[0] = '\0';
	}
	if (m->overflow) {
		set_err(err, -EMSGSIZE, "request too large");
		return -EMSGSIZE;
	}
	m->hdr.nlmsg_seq = seq;
	m->hdr.nlmsg_pid = 0;
	rc = nl_send(s, m);
	if (rc) {
		set_err(err, rc, NULL);
		return rc;
	}
	for (;;) {
		const struct nlmsghdr *nlh;
		size_t len = 0, off = 0;

		rc = nl_recv(s, &len);
		if (rc) {
			set_err(err, rc, NULL);
			return rc;
		}
		while ((rc = nl_next_msg(s->rbuf, len, &off, &nlh)) > 0) {
			rc = handle_reply(s, nlh, seq, dump, cb, arg, &cb_rc,
					  err);
			if (rc < 0)
				return rc;
			if (rc == 1)
				return cb_rc;
		}
		if (rc < 0) {
			set_err(err, rc, "malformed netlink message");
			return rc;
		}
	}
}

struct resolve_ctx {
	const char *group;
	struct nl_family *fam;
	int found;
};

static int resolve_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct resolve_ctx *ctx = arg;

	if (nl_parse_family(nlh, ctx->group, ctx->fam))
		return -EBADMSG;
	ctx->found = 1;
	return 0;
}

int nl_resolve(struct nl_sock *s, const char *name, const char *group,
	       struct nl_family *fam, struct nl_err *err)
{
	struct resolve_ctx ctx = { group, fam, 0 };
	struct nl_msg m;
	int rc;

	nl_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		    CTRL_CMD_GETFAMILY, 1);
	nl_put_str(&m, CTRL_ATTR_FAMILY_NAME, name);
	rc = nl_request(s, &m, resolve_cb, &ctx, err);
	if (rc == -ENOENT && err)
		snprintf(err->msg, sizeof(err->msg),
			 "generic netlink family '%s' not found", name);
	if (rc)
		return rc;
	if (!ctx.found) {
		set_err(err, -EBADMSG, "no reply to the family lookup");
		return -EBADMSG;
	}
	if (group && !fam->group_id) {
		if (err)
			snprintf(err->msg, sizeof(err->msg),
				 "family '%s' has no multicast group '%s'",
				 name, group);
		return -ENOENT;
	}
	return 0;
}

static int policy_cb(const struct nlmsghdr *nlh, void *arg)
{
	return nl_parse_policy(nlh, arg) ? -EBADMSG : 0;
}

int nl_policy_attrs(struct nl_sock *s, uint16_t family, uint8_t cmd,
		    uint64_t *attrs, struct nl_err *err)
{
	struct nl_policy pol;
	struct nl_msg m;
	int rc;

	memset(&pol, 0, sizeof(pol));
	nl_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP,
		    CTRL_CMD_GETPOLICY, 1);
	nl_put_u16(&m, CTRL_ATTR_FAMILY_ID, family);
	nl_put_u32(&m, CTRL_ATTR_OP, cmd);
	rc = nl_request(s, &m, policy_cb, &pol, err);
	if (rc == -EBADMSG && err)
		snprintf(err->msg, sizeof(err->msg), "malformed policy dump");
	if (rc)
		return rc;
	if (!pol.have_do) {
		set_err(err, -ENODATA, "no policy for the command");
		return -ENODATA;
	}
	*attrs = nl_policy_do_attrs(&pol);
	return 0;
}

int nl_subscribe(struct nl_sock *s, uint32_t group)
{
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)))
		return -errno;
	return 0;
}

int nl_recv_events(struct nl_sock *s, nl_msg_cb cb, void *arg)
{
	const struct nlmsghdr *nlh;
	size_t len = 0, off = 0;
	int rc;

	rc = nl_recv(s, &len);
	if (rc)
		return rc;
	while ((rc = nl_next_msg(s->rbuf, len, &off, &nlh)) > 0) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		rc = cb(nlh, arg);
		if (rc)
			return rc;
	}
	return rc;
}
