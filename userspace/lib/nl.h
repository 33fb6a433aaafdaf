/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal generic netlink client: one socket, synchronous requests with
 * acks and extended ack messages, dumps, multicast subscriptions.
 */
#ifndef PB_NL_H
#define PB_NL_H

#include <stdint.h>

#include "nlattr.h"

#define NL_RECV_MAX	(64 * 1024)

struct nl_sock {
	int fd;
	uint32_t seq;
	uint32_t portid;
	unsigned char *rbuf;	/* NL_RECV_MAX bytes */
};

/* The outcome of a request: error 0 or -errno, and the kernel's text. */
struct nl_err {
	int error;
	char msg[256];
};

/* Called for every reply message of a request (not acks, not DONE). */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *arg);

int nl_open(struct nl_sock *s);
void nl_close(struct nl_sock *s);

/*
 * Send @m and read replies until its ack (or, for a dump, NLMSG_DONE).
 * Returns 0 or -errno; on a kernel error, err->msg holds the extended ack
 * text if the kernel gave one, else strerror.  A callback returning
 * non-zero stops delivery (the replies are still drained) and that value
 * is returned.
 */
int nl_request(struct nl_sock *s, struct nl_msg *m, nl_msg_cb cb, void *arg,
	       struct nl_err *err);

/* Look up a generic netlink family and, optionally, a multicast group. */
int nl_resolve(struct nl_sock *s, const char *name, const char *group,
	       struct nl_family *fam, struct nl_err *err);

/*
 * The attributes (bit a) the kernel validates for command @cmd of family
 * @family: a CTRL_CMD_GETPOLICY dump.  0, or -errno (-ENODATA: the
 * kernel said nothing about the command's policy).
 */
int nl_policy_attrs(struct nl_sock *s, uint16_t family, uint8_t cmd,
		    uint64_t *attrs, struct nl_err *err);

int nl_subscribe(struct nl_sock *s, uint32_t group);

/*
 * Receive one datagram of multicast messages and call @cb for each.
 * 0, or -errno (-ENOBUFS: the socket overran and events were lost).
 */
int nl_recv_events(struct nl_sock *s, nl_msg_cb cb, void *arg);

#endif /* PB_NL_H */
