// SPDX-License-Identifier: GPL-2.0
/*
 * Where events come from: /dev/log (syslog(3) of every program, with the
 * sender's credentials from the kernel), the portbridge family's events
 * (connect, disconnect, refused, mode, serial errors) and pb_allow's
 * denied events.  And /var/log/messages, the plain text copy.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/portbridge_allow.h>
#include <linux/rtnetlink.h>

#include "pblogd.h"
#include "pbmsg.h"

#define DEVLOG_RCVBUF		(256 * 1024)
#define MESSAGES_MAX		(256 * 1024)	/* then .0 and start over */
#define NL_RETRY_S		5
#define DENY_BURST		10

int sources_open_devlog(struct pblogd *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int one = 1, size = DEVLOG_RCVBUF, fd;

	if (strlen(d->devlog_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, d->devlog_path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(d->devlog_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(d->devlog_path, 0666)) {
		int e = errno;

		close(fd);
		return -e;
	}
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	d->devlog_fd = fd;
	return 0;
}

void sources_messages_write(struct pblogd *d, const struct logrec *r)
{
	static const char *const mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec",
	};
	char line[LOGREC_TEXT_MAX + 160], host[65] = "", old[300];
	time_t t = r->time_us / 1000000;
	struct stat sb;
	struct tm tm;
	int n;

	if (!d->messages_path)
		return;
	if (d->messages_fd >= 0 && !fstat(d->messages_fd, &sb) &&
	    sb.st_size > MESSAGES_MAX) {
		snprintf(old, sizeof(old), "%s.0", d->messages_path);
		rename(d->messages_path, old);
		close(d->messages_fd);
		d->messages_fd = -1;
	}
	if (d->messages_fd < 0)
		d->messages_fd = open(d->messages_path,
				      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
				      0600);
	if (d->messages_fd < 0)
		return;
	gmtime_r(&t, &tm);
	if (gethostname(host, sizeof(host) - 1))
		host[0] = '\0';
	if (r->pid)
		n = snprintf(line, sizeof(line),
			     "%s %2d %02d:%02d:%02d %s %s.%s %s[%u]: %s\n",
			     mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
			     tm.tm_min, tm.tm_sec, host,
			     log_category_name(r->category),
			     syslog_severity_name(r->severity), r->app, r->pid,
			     r->text);
	else
		n = snprintf(line, sizeof(line),
			     "%s %2d %02d:%02d:%02d %s %s.%s %s: %s\n",
			     mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
			     tm.tm_min, tm.tm_sec, host,
			     log_category_name(r->category),
			     syslog_severity_name(r->severity), r->app,
			     r->text);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (write(d->messages_fd, line, n) < 0)
		return;
}

static void devlog_one(struct pblogd *d, const char *buf, size_t len,
		       const struct ucred *cred)
{
	static struct syslog_in m;
	int cat;

	if (syslog_parse_local(buf, len, &m) || m.severity == 7)
		return;		/* debug messages stay out of the log */
	cat = log_classify(m.facility, m.app, m.text);
	if (!m.app[0])
		snprintf(m.app, sizeof(m.app), "unknown");
	/*
	 * Anybody may write to /dev/log: the kernel's word on the sender
	 * goes with every message not from root, so nobody speaks for
	 * another account.  The pid is the kernel's too.
	 */
	if (cred && cred->uid != 0) {
		struct passwd *pw = getpwuid(cred->uid);

		logd_event(d, cat, m.severity, m.app, cred->pid,
			   "%s [by %s, uid %u]", m.text,
			   pw && pw->pw_name ? pw->pw_name : "?",
			   (unsigned int)cred->uid);
	} else
		logd_event(d, cat, m.severity, m.app,
			   cred ? (uint32_t)cred->pid : m.pid, "%s", m.text);
}

void sources_devlog_read(struct pblogd *d)
{
	static char buf[SYSLOG_TEXT_MAX + 256];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} cbuf;
	int budget = 64;

	while (budget--) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = cbuf.buf,
			.msg_controllen = sizeof(cbuf.buf),
		};
		const struct ucred *cred = NULL;
		struct cmsghdr *c;
		ssize_t n;

		n = recvmsg(d->devlog_fd, &msg, MSG_DONTWAIT);
		if (n < 0)
			return;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_CREDENTIALS &&
			    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred)))
				cred = (const struct ucred *)CMSG_DATA(c);
		}
		devlog_one(d, buf, n, cred);
	}
}

/* ---- generic netlink events ---- */

static int subscribe(struct nl_sock *s, const char *family,
		     const char *group)
{
	struct nl_family fam;
	struct nl_err err;
	int size = 256 * 1024;

	if (nl_open(s))
		return -1;
	if (nl_resolve(s, family, group, &fam, &err) || !fam.group_id ||
	    nl_subscribe(s, fam.group_id)) {
		nl_close(s);
		return -1;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

void sources_netlink_try(struct pblogd *d)
{
	if (!d->ctrl_nl_ok && !subscribe(&d->ctrl_nl, "nlctrl",
					 "notify"))
		d->ctrl_nl_ok = 1;
	if ((d->pb_nl_ok && d->allow_nl_ok) || logd_now_s() < d->nl_retry_at)
		return;
	d->nl_retry_at = logd_now_s() + NL_RETRY_S;
	if (!d->pb_nl_ok && !subscribe(&d->pb_nl, PORTBRIDGE_GENL_NAME,
				       PORTBRIDGE_MCGRP_EVENTS))
		d->pb_nl_ok = 1;
	if (!d->allow_nl_ok && !subscribe(&d->allow_nl, PBA_GENL_NAME,
					  PBA_MCGRP_EVENTS))
		d->allow_nl_ok = 1;
}

/* "10.0.2.2:4000" for IPv4 (v4-mapped), "[2001:db8::1]:4000" else. */
static void format_peer(const uint8_t a[16], uint16_t port, char *buf,
			size_t size)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	char text[INET6_ADDRSTRLEN];

	if (!memcmp(a, mapped, sizeof(mapped))) {
		inet_ntop(AF_INET, a + 12, text, sizeof(text));
		snprintf(buf, size, "%s:%u", text, port);
		return;
	}
	inet_ntop(AF_INET6, a, text, sizeof(text));
	snprintf(buf, size, "[%s]:%u", text, port);
}

static int pb_event(const struct nlmsghdr *nlh, void *arg)
{
	struct pblogd *d = arg;
	struct pb_event ev;
	char text[256], peer[INET6_ADDRSTRLEN + 16] = "?";
	int sev = LOG_INFO;

	if (pb_parse_event(nlh, &ev))
		return 0;
	if (ev.has_peer)
		format_peer(ev.peer_addr, ev.peer_port, peer, sizeof(peer));
	switch (ev.cmd) {
	case PB_CMD_EVENT_CONNECT:
		snprintf(text, sizeof(text), "port %u: connect from %s",
			 ev.port, peer);
		break;
	case PB_CMD_EVENT_DISCONNECT:
		snprintf(text, sizeof(text), "port %u: disconnect %s (%s)",
			 ev.port, peer, ev.has_reason ?
			 pb_reason_name(ev.reason) : "?");
		break;
	case PB_CMD_EVENT_REFUSED:
		snprintf(text, sizeof(text),
			 "port %u: refused %s (connection limit reached)",
			 ev.port, peer);
		break;
	case PB_CMD_EVENT_MODE:
		snprintf(text, sizeof(text), "port %u: restart in mode %s",
			 ev.port, conf_mode_name(ev.mode));
		break;
	default:
		pb_format_event(&ev, 0, text, sizeof(text));
	}
	if (ev.cmd == PB_CMD_EVENT_REFUSED ||
	    ev.cmd == PB_CMD_EVENT_SERIAL_ERROR)
		sev = LOG_WARNING;
	else if (ev.cmd == PB_CMD_EVENT_DISCONNECT && ev.has_reason &&
		 ev.reason != PB_REASON_PEER_CLOSED &&
		 ev.reason != PB_REASON_PORT_CHANGE)
		sev = LOG_NOTICE;
	logd_event(d, LOG_CAT_OPMODE, sev, "portbridge", 0, "%s", text);
	return 0;
}

static void nl_read(struct pblogd *d, struct nl_sock *s, int *ok,
		    nl_msg_cb cb, const char *what)
{
	int rc = nl_recv_events(s, cb, d);

	if (rc == -ENOBUFS) {
		logd_event(d, LOG_CAT_SYSTEM, LOG_WARNING, "pblogd", 0,
			   "%s events were lost (receive buffer overrun)",
			   what);
	} else if (rc && rc != -EAGAIN && rc != -EINTR) {
		nl_close(s);
		*ok = 0;
	}
}

void sources_pb_read(struct pblogd *d)
{
	nl_read(d, &d->pb_nl, &d->pb_nl_ok, pb_event, "port");
}

static int take_token(struct pblogd *d)
{
	int64_t now = logd_now_s();

	if (now > d->deny_refill_s) {
		int64_t add = now - d->deny_refill_s;

		d->deny_tokens = add >= DENY_BURST ||
				 d->deny_tokens + add > DENY_BURST ?
				 DENY_BURST : d->deny_tokens + add;
		d->deny_refill_s = now;
	}
	if (!d->deny_tokens)
		return 0;
	d->deny_tokens--;
	return 1;
}

static int allow_event(const struct nlmsghdr *nlh, void *arg)
{
	struct pblogd *d = arg;
	const struct nlattr *tb[PBA_A_MAX + 1];
	char peer[INET6_ADDRSTRLEN + 16];
	uint8_t cmd, proto = 0;
	uint16_t port = 0, sport = 0;
	uint32_t suppressed = 0;
	unsigned long more;

	if (nl_genl_parse(nlh, &cmd, tb, PBA_A_MAX) ||
	    cmd != PBA_CMD_EVENT_DENIED || !tb[PBA_A_SRC_ADDR] ||
	    nla_payload_len(tb[PBA_A_SRC_ADDR]) != 16 ||
	    nla_get_u8(tb[PBA_A_PROTO], &proto) ||
	    nla_get_u16(tb[PBA_A_PORT], &port))
		return 0;
	nla_get_u16(tb[PBA_A_SRC_PORT], &sport);
	nla_get_u32(tb[PBA_A_SUPPRESSED], &suppressed);
	if (!take_token(d)) {
		d->deny_suppressed += 1 + suppressed;
		return 0;
	}
	more = d->deny_suppressed + suppressed;
	d->deny_suppressed = 0;
	format_peer(nla_payload(tb[PBA_A_SRC_ADDR]), sport, peer,
		       sizeof(peer));
	if (more)
		logd_event(d, LOG_CAT_NETWORK, LOG_WARNING, "pb_allow", 0,
			   "allowlist denied %s from %s to port %u (%lu more suppressed)",
			   proto == 17 ? "udp" : "tcp", peer, port, more);
	else
		logd_event(d, LOG_CAT_NETWORK, LOG_WARNING, "pb_allow", 0,
			   "allowlist denied %s from %s to port %u",
			   proto == 17 ? "udp" : "tcp", peer, port);
	return 0;
}

void sources_allow_read(struct pblogd *d)
{
	nl_read(d, &d->allow_nl, &d->allow_nl_ok, allow_event, "allowlist");
}

/*
 * A module loaded again registers its family anew, with new multicast
 * group ids: our old subscription hears nothing.  The controller says so;
 * subscribe again.
 */
static int ctrl_event(const struct nlmsghdr *nlh, void *arg)
{
	struct pblogd *d = arg;
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	char name[GENL_NAMSIZ];
	uint8_t cmd;

	if (nl_genl_parse(nlh, &cmd, tb, CTRL_ATTR_MAX) ||
	    (cmd != CTRL_CMD_NEWFAMILY && cmd != CTRL_CMD_DELFAMILY) ||
	    nla_get_str(tb[CTRL_ATTR_FAMILY_NAME], name, sizeof(name)))
		return 0;
	if (!strcmp(name, PORTBRIDGE_GENL_NAME) && d->pb_nl_ok) {
		nl_close(&d->pb_nl);
		d->pb_nl_ok = 0;
	} else if (!strcmp(name, PBA_GENL_NAME) && d->allow_nl_ok) {
		nl_close(&d->allow_nl);
		d->allow_nl_ok = 0;
	} else {
		return 0;
	}
	d->nl_retry_at = 0;	/* subscribe again at once */
	return 0;
}

void sources_ctrl_read(struct pblogd *d)
{
	nl_read(d, &d->ctrl_nl, &d->ctrl_nl_ok, ctrl_event, "netlink family");
}

/* ---- Ethernet link up and down (rtnetlink) ---- */

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000	/* linux/if.h; net/if.h may lack it */
#endif

int sources_open_links(struct pblogd *d)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK,
	};
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} req = {
		.h = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETLINK,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.i = { .ifi_family = AF_UNSPEC },
	};
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		return -e;
	}
	/* the links as they are now: the dump's answers are not events */
	d->rt_dump_seq = req.h.nlmsg_seq;
	send(fd, &req, sizeof(req), 0);
	d->rt_fd = fd;
	return 0;
}

static void link_state(struct pblogd *d, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nlh);
	const struct nlattr *tb[IFLA_MAX + 1];
	char name[IFNAMSIZ];
	size_t hdr = NLMSG_LENGTH(NLMSG_ALIGN(sizeof(*ifi)));
	int up, i, slot = -1, initial;

	if (nlh->nlmsg_len < hdr ||
	    nla_parse(tb, IFLA_MAX, (const char *)nlh + hdr,
		      nlh->nlmsg_len - hdr) ||
	    nla_get_str(tb[IFLA_IFNAME], name, sizeof(name)) ||
	    (ifi->ifi_flags & IFF_LOOPBACK))
		return;
	up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_LOWER_UP);
	initial = nlh->nlmsg_seq == d->rt_dump_seq && d->rt_dump_seq;
	for (i = 0; i < 16; i++) {
		if (d->links[i].ifindex == ifi->ifi_index) {
			slot = i;
			break;
		}
		if (!d->links[i].ifindex && slot < 0)
			slot = i;
	}
	if (slot < 0)
		return;
	if (d->links[slot].ifindex == ifi->ifi_index &&
	    d->links[slot].up == up)
		return;
	if (d->links[slot].ifindex == ifi->ifi_index || !initial)
		logd_event(d, LOG_CAT_NETWORK, up ? LOG_NOTICE : LOG_WARNING,
			   "kernel", 0, "%s link %s", name, up ? "up" : "down");
	d->links[slot].ifindex = ifi->ifi_index;
	d->links[slot].up = up;
}

void sources_links_read(struct pblogd *d)
{
	static unsigned char buf[16384] __attribute__((aligned(4)));
	const struct nlmsghdr *nlh;
	size_t off;
	ssize_t n;
	int budget = 16;

	while (budget-- && (n = recv(d->rt_fd, buf, sizeof(buf),
				     MSG_DONTWAIT)) > 0) {
		off = 0;
		while (nl_next_msg(buf, n, &off, &nlh) > 0) {
			if (nlh->nlmsg_type == NLMSG_DONE &&
			    nlh->nlmsg_seq == d->rt_dump_seq)
				d->rt_dump_seq = 0;
			else if (nlh->nlmsg_type == RTM_NEWLINK)
				link_state(d, nlh);
		}
	}
}
