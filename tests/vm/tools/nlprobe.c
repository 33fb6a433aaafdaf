// SPDX-License-Identifier: GPL-2.0
/*
 * nlprobe: send hand-made requests to the portbridge kernel module, for the
 * VM tests only (it is in the test overlay, never in the board image).
 * pbctl and pbconfd validate before the kernel sees anything, so they can't
 * show that the kernel's own policy and privilege checks hold; this can.
 *
 *   nlprobe set CMD ATTR:TYPE:VALUE ...   one genl request; TYPE is u8, u16,
 *                                         u32, str, hex or dests; CMD a
 *                                         number
 *   nlprobe get INDEX                     PORT_GET: one "name value" line
 *                                         per attribute and counter
 *   nlprobe events SECONDS                print the multicast events that
 *                                         come within SECONDS, one a line
 *   nlprobe attach TTY INDEX              TIOCSETD + PBIOC_ATTACH, then wait
 *                                         for stdin to close
 *   nlprobe tiocm TTY [+-]LINE ...        set or clear dtr, rts or loop on
 *                                         a tty, then print its lines
 *   nlprobe udpsink PORT SECONDS          count the datagrams to UDP PORT
 *                                         by destination address, then
 *                                         print "ADDR COUNT BYTES" lines
 *
 * dests: a list of ADDR[-ADDR][/PORT] separated by commas, each address
 * IPv4 (sent v4-mapped) or IPv6, for example 10.0.2.2/5000 or
 * 10.0.2.10-10.0.2.12/6000; an empty list clears the destinations.
 *
 * set prints "ok" or "error <errno>: <extended ack text>"; exit status 0
 * when the kernel accepted the request.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/portbridge.h>

#include "nl.h"

/* The serial core's loopback bit (include/uapi/asm-generic/termios.h). */
#ifndef TIOCM_LOOP
#define TIOCM_LOOP	0x8000
#endif

static const char *const attr_names[PB_A_MAX + 1] = {
	[PB_A_PORT_INDEX] = "port", [PB_A_TTY_NAME] = "tty",
	[PB_A_MODE] = "mode", [PB_A_LOCAL_PORT] = "local-port",
	[PB_A_MAX_CONNS] = "max-conns", [PB_A_BAUD] = "baud",
	[PB_A_DATA_BITS] = "data-bits", [PB_A_PARITY] = "parity",
	[PB_A_STOP_BITS] = "stop-bits", [PB_A_FLOW] = "flow",
	[PB_A_EVENT_REASON] = "reason", [PB_A_PEER_PORT] = "peer-port",
	[PB_A_CMD_PORT] = "cmd-port", [PB_A_INACTIVITY_MS] = "inactivity-ms",
	[PB_A_KEEPALIVE_IDLE] = "keepalive-idle",
	[PB_A_KEEPALIVE_INTVL] = "keepalive-intvl",
	[PB_A_KEEPALIVE_CNT] = "keepalive-cnt",
	[PB_A_IGNORE_JAMMED] = "ignore-jammed", [PB_A_JAMMED_MS] = "jammed-ms",
	[PB_A_CONNECT_ON] = "connect-on", [PB_A_PACK_LENGTH] = "pack-length",
	[PB_A_DELIM1] = "delim1", [PB_A_DELIM2] = "delim2",
	[PB_A_DELIM_PROCESS] = "delim-process", [PB_A_FORCE_TX_MS] = "force-tx-ms",
	[PB_A_FIFO] = "fifo", [PB_A_INTERFACE] = "interface", [PB_A_DTR] = "dtr",
	[PB_A_RTS] = "rts",
};

static const char *const stat_names[PB_STAT_MAX + 1] = {
	[PB_STAT_RX_BYTES] = "rx_bytes", [PB_STAT_TX_BYTES] = "tx_bytes",
	[PB_STAT_CONNECTIONS] = "connections", [PB_STAT_REFUSED] = "refused",
	[PB_STAT_ACTIVE_CONNS] = "active_conns",
	[PB_STAT_PARITY_ERRORS] = "parity_errors",
	[PB_STAT_FRAME_ERRORS] = "frame_errors",
	[PB_STAT_OVERRUNS] = "overruns", [PB_STAT_BREAKS] = "breaks",
	[PB_STAT_NET_ERRORS] = "net_errors",
	[PB_STAT_JAMMED_SKIPS] = "jammed_skips",
	[PB_STAT_JAMMED_DROPS] = "jammed_drops",
	[PB_STAT_PROTO_ERRORS] = "proto_errors",
	[PB_STAT_DATAGRAMS] = "datagrams",
};

static const char *const event_names[PB_CMD_MAX + 1] = {
	[PB_CMD_EVENT_CONNECT] = "connect",
	[PB_CMD_EVENT_DISCONNECT] = "disconnect",
	[PB_CMD_EVENT_REFUSED] = "refused",
	[PB_CMD_EVENT_MODE] = "mode",
	[PB_CMD_EVENT_SERIAL_ERROR] = "serial-error",
};

/* An IPv4 (as v4-mapped) or IPv6 address. */
static int parse_addr(const char *s, unsigned char out[16])
{
	struct in_addr v4;

	if (inet_pton(AF_INET6, s, out) == 1)
		return 0;
	if (inet_pton(AF_INET, s, &v4) != 1)
		return -1;
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, &v4, 4);
	return 0;
}

/* One ADDR[-ADDR][/PORT] as a PB_A_DEST nest. */
static int put_dest(struct nl_msg *m, char *spec)
{
	char *port = strchr(spec, '/'), *end = strchr(spec, '-');
	unsigned char addr[16];
	size_t nest;

	if (port)
		*port++ = '\0';
	if (end)
		*end++ = '\0';
	nest = nl_nest_start(m, PB_A_DEST);
	if (*spec) {
		if (parse_addr(spec, addr) < 0)
			return -1;
		nl_put(m, PB_DEST_ADDR, addr, 16);
	}
	if (end) {
		if (parse_addr(end, addr) < 0)
			return -1;
		nl_put(m, PB_DEST_ADDR_END, addr, 16);
	}
	if (port)
		nl_put_u16(m, PB_DEST_PORT, strtoul(port, NULL, 0));
	nl_nest_end(m, nest);
	return 0;
}

static int put_dests(struct nl_msg *m, unsigned long attr, char *list)
{
	size_t nest = nl_nest_start(m, attr);
	char *item, *save = NULL;

	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save))
		if (put_dest(m, item) < 0)
			return -1;
	nl_nest_end(m, nest);
	return 0;
}

static int put_attr(struct nl_msg *m, char *spec)
{
	char *type = strchr(spec, ':'), *value;
	unsigned long attr;
	unsigned char hex[256];
	size_t n;

	if (!type || !(value = strchr(type + 1, ':')))
		return -1;
	*type++ = '\0';
	*value++ = '\0';
	attr = strtoul(spec, NULL, 0);
	if (!strcmp(type, "u8"))
		nl_put_u8(m, attr, strtoul(value, NULL, 0));
	else if (!strcmp(type, "u16"))
		nl_put_u16(m, attr, strtoul(value, NULL, 0));
	else if (!strcmp(type, "u32"))
		nl_put_u32(m, attr, strtoul(value, NULL, 0));
	else if (!strcmp(type, "str"))
		nl_put_str(m, attr, value);
	else if (!strcmp(type, "dests"))
		return put_dests(m, attr, value);
	else if (!strcmp(type, "hex")) {
		for (n = 0; n < sizeof(hex) && value[2 * n] && value[2 * n + 1];
		     n++)
			sscanf(value + 2 * n, "%2hhx", &hex[n]);
		nl_put(m, attr, hex, n);
	} else
		return -1;
	return 0;
}

static int open_family(struct nl_sock *s, struct nl_family *fam,
		       const char *group)
{
	struct nl_err err = { 0 };

	if (nl_open(s) < 0) {
		perror("nlprobe: netlink socket");
		return -1;
	}
	if (nl_resolve(s, PORTBRIDGE_GENL_NAME, group, fam, &err) < 0) {
		printf("error %d: %s\n", -err.error, err.msg);
		nl_close(s);
		return -1;
	}
	return 0;
}

static int cmd_set(int argc, char **argv)
{
	struct nl_sock s;
	struct nl_family fam;
	struct nl_err err = { 0 };
	struct nl_msg m;
	int i, ret;

	if (open_family(&s, &fam, NULL) < 0)
		return 2;
	nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK,
		    strtoul(argv[0], NULL, 0), PORTBRIDGE_GENL_VERSION);
	for (i = 1; i < argc; i++) {
		if (put_attr(&m, argv[i]) < 0) {
			fprintf(stderr, "nlprobe: bad attribute '%s'\n",
				argv[i]);
			return 2;
		}
	}
	ret = nl_request(&s, &m, NULL, NULL, &err);
	if (ret < 0)
		printf("error %d: %s\n", -ret, err.msg);
	else
		printf("ok\n");
	nl_close(&s);
	return ret < 0;
}

/* Printed fields end with this: '\n' for get, ' ' for events. */
static char field_end = '\n';

static void print_addr(const struct nlattr *a)
{
	char text[INET6_ADDRSTRLEN];
	const unsigned char *p = nla_payload(a);

	if (nla_payload_len(a) != 16)
		return;
	if (!memcmp(p, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
		inet_ntop(AF_INET, p + 12, text, sizeof(text));
	else
		inet_ntop(AF_INET6, p, text, sizeof(text));
	fputs(text, stdout);
}

/* "dests ADDR[-ADDR]/PORT,..." */
static void print_dests(const struct nlattr *list)
{
	const struct nlattr *d, *tb[PB_DEST_MAX + 1];
	size_t off = 0;
	uint16_t port = 0;
	int first = 1;

	fputs("dests ", stdout);
	while (nla_next(nla_payload(list), nla_payload_len(list), &off,
			&d) == 1) {
		if (nla_parse_nested(tb, PB_DEST_MAX, d) < 0)
			continue;
		if (!first)
			putchar(',');
		first = 0;
		if (tb[PB_DEST_ADDR])
			print_addr(tb[PB_DEST_ADDR]);
		if (tb[PB_DEST_ADDR_END]) {
			putchar('-');
			print_addr(tb[PB_DEST_ADDR_END]);
		}
		nla_get_u16(tb[PB_DEST_PORT], &port);
		printf("/%u", port);
	}
	putchar(field_end);
}

static void print_stats(const struct nlattr *nest)
{
	const struct nlattr *tb[PB_STAT_MAX + 1];
	uint64_t v64;
	uint32_t v32;
	int i;

	if (nla_parse_nested(tb, PB_STAT_MAX, nest) < 0)
		return;
	for (i = 0; i <= PB_STAT_MAX; i++) {
		if (!tb[i] || !stat_names[i])
			continue;
		if (!nla_get_u64(tb[i], &v64))
			printf("%s %llu%c", stat_names[i],
			       (unsigned long long)v64, field_end);
		else if (!nla_get_u32(tb[i], &v32))
			printf("%s %u%c", stat_names[i], v32, field_end);
	}
}

/* Every attribute of a port or event message, one a line. */
static void print_attrs(const struct nlattr **tb)
{
	char text[64];
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;
	int i;

	for (i = 0; i <= PB_A_MAX; i++) {
		if (!tb[i])
			continue;
		if (i == PB_A_STATS) {
			print_stats(tb[i]);
		} else if (i == PB_A_DESTINATIONS) {
			print_dests(tb[i]);
		} else if (i == PB_A_PEER_ADDR) {
			fputs("peer ", stdout);
			print_addr(tb[i]);
			putchar(field_end);
		} else if (!attr_names[i]) {
			continue;
		} else if (!nla_get_u32(tb[i], &v32)) {
			printf("%s %u%c", attr_names[i], v32, field_end);
		} else if (!nla_get_u16(tb[i], &v16)) {
			printf("%s %u%c", attr_names[i], v16, field_end);
		} else if (!nla_get_u8(tb[i], &v8)) {
			printf("%s %u%c", attr_names[i], v8, field_end);
		} else if (!nla_get_str(tb[i], text, sizeof(text))) {
			printf("%s %s%c", attr_names[i], text, field_end);
		}
	}
}

static int print_port(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PB_A_MAX + 1];
	uint8_t cmd;

	(void)arg;
	if (nl_genl_parse(nlh, &cmd, tb, PB_A_MAX) < 0)
		return -EINVAL;
	print_attrs(tb);
	return 0;
}

static int cmd_get(const char *index)
{
	struct nl_sock s;
	struct nl_family fam;
	struct nl_err err = { 0 };
	struct nl_msg m;
	int ret;

	if (open_family(&s, &fam, NULL) < 0)
		return 2;
	nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK, PB_CMD_PORT_GET,
		    PORTBRIDGE_GENL_VERSION);
	nl_put_u32(&m, PB_A_PORT_INDEX, strtoul(index, NULL, 0));
	ret = nl_request(&s, &m, print_port, NULL, &err);
	if (ret < 0)
		printf("error %d: %s\n", -ret, err.msg);
	nl_close(&s);
	return ret < 0;
}

/* "EVENT port N key value ..." on one line. */
static int print_event(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PB_A_MAX + 1];
	uint8_t cmd;

	(void)arg;
	if (nl_genl_parse(nlh, &cmd, tb, PB_A_MAX) < 0)
		return 0;
	printf("%s ", cmd <= PB_CMD_MAX && event_names[cmd] ?
	       event_names[cmd] : "unknown");
	print_attrs(tb);
	printf("\n");
	fflush(stdout);
	return 0;
}

static int cmd_events(const char *seconds)
{
	struct timespec now, end;
	struct nl_sock s;
	struct nl_family fam;
	struct pollfd pfd;
	long left;

	if (open_family(&s, &fam, PORTBRIDGE_MCGRP_EVENTS) < 0)
		return 2;
	if (nl_subscribe(&s, fam.group_id) < 0) {
		perror("nlprobe: subscribe");
		return 2;
	}
	field_end = ' ';
	printf("listening\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += strtol(seconds, NULL, 0);
	pfd.fd = s.fd;
	pfd.events = POLLIN;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000 +
		       (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		if (nl_recv_events(&s, print_event, NULL) < 0)
			break;
	}
	nl_close(&s);
	return 0;
}

/*
 * attach TTY INDEX: bind TTY ("pty": the slave of a new pseudo terminal,
 * a tty with no UART behind it) until standard input ends.
 */
static int cmd_attach(const char *tty, const char *index)
{
	int fd, master = -1, ldisc = PORTBRIDGE_LDISC;
	__u32 n = strtoul(index, NULL, 0);
	char c;

	if (!strcmp(tty, "pty")) {
		master = posix_openpt(O_RDWR | O_NOCTTY);
		if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
		    !(tty = ptsname(master))) {
			printf("error %d: %s\n", errno, strerror(errno));
			return 1;
		}
	}
	fd = open(tty, O_RDWR | O_NOCTTY);
	if (fd < 0 || ioctl(fd, TIOCSETD, &ldisc) < 0) {
		printf("error %d: %s\n", errno, strerror(errno));
		return 1;
	}
	if (ioctl(fd, PBIOC_ATTACH, &n) < 0) {
		printf("error %d: %s\n", errno, strerror(errno));
		return 1;
	}
	printf("ok\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	close(fd);
	if (master >= 0)
		close(master);
	return 0;
}

static int cmd_tiocm(int argc, char **argv)
{
	static const struct {
		const char *name;
		int bit;
	} lines[] = {
		{ "dtr", TIOCM_DTR }, { "rts", TIOCM_RTS },
		{ "loop", TIOCM_LOOP }, { "cts", TIOCM_CTS },
		{ "dsr", TIOCM_DSR }, { "cd", TIOCM_CD }, { "ri", TIOCM_RI },
	};
	int fd, i, k, bits;

	fd = open(argv[0], O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		printf("error %d: %s\n", errno, strerror(errno));
		return 1;
	}
	for (i = 1; i < argc; i++) {
		for (k = 0; k < (int)(sizeof(lines) / sizeof(lines[0])); k++)
			if (!strcmp(argv[i] + 1, lines[k].name))
				break;
		if (k == (int)(sizeof(lines) / sizeof(lines[0])) ||
		    ioctl(fd, argv[i][0] == '+' ? TIOCMBIS : TIOCMBIC,
			  &lines[k].bit) < 0) {
			printf("error: %s\n", argv[i]);
			return 1;
		}
	}
	if (ioctl(fd, TIOCMGET, &bits) < 0) {
		printf("error %d: %s\n", errno, strerror(errno));
		return 1;
	}
	for (k = 0; k < (int)(sizeof(lines) / sizeof(lines[0])); k++)
		if (bits & lines[k].bit)
			printf("%s ", lines[k].name);
	printf("\n");
	close(fd);
	return 0;
}

struct sink_entry {
	unsigned char addr[16];
	unsigned long count, bytes;
};

static void sink_count(struct sink_entry *tab, int *n, int max,
		       const unsigned char addr[16], size_t len)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!memcmp(tab[i].addr, addr, 16))
			break;
	if (i == *n) {
		if (*n == max)
			return;
		memcpy(tab[i].addr, addr, 16);
		(*n)++;
	}
	tab[i].count++;
	tab[i].bytes += len;
}

/* The local address a datagram was sent to, from its pktinfo. */
static int sink_dest(struct msghdr *msg, unsigned char addr[16])
{
	struct cmsghdr *cm;
	struct in6_pktinfo pi;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO) {
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			memcpy(addr, &pi.ipi6_addr, 16);
			return 0;
		}
	}
	return -1;
}

static int cmd_udpsink(const char *port, const char *seconds)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	static struct sink_entry tab[1024];
	char text[INET6_ADDRSTRLEN], cbuf[256];
	unsigned char buf[65536], addr[16];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg;
	struct timeval tv = { .tv_sec = 1 };
	time_t end = time(NULL) + strtol(seconds, NULL, 0);
	int fd, on = 1, off = 0, n = 0, i;
	ssize_t len;

	sa.sin6_port = htons(strtoul(port, NULL, 0));
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		printf("error %d: %s\n", errno, strerror(errno));
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	while (time(NULL) < end) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		len = recvmsg(fd, &msg, 0);
		if (len < 0 || sink_dest(&msg, addr) < 0)
			continue;
		sink_count(tab, &n, 1024, addr, len);
	}
	for (i = 0; i < n; i++) {
		if (!memcmp(tab[i].addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
			inet_ntop(AF_INET, tab[i].addr + 12, text, sizeof(text));
		else
			inet_ntop(AF_INET6, tab[i].addr, text, sizeof(text));
		printf("%s %lu %lu\n", text, tab[i].count, tab[i].bytes);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "set"))
		return cmd_set(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "get"))
		return cmd_get(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "events"))
		return cmd_events(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "attach"))
		return cmd_attach(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "tiocm"))
		return cmd_tiocm(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "udpsink"))
		return cmd_udpsink(argv[2], argv[3]);
	fprintf(stderr, "usage: nlprobe set CMD ATTR:TYPE:VALUE ...\n"
			"       nlprobe get INDEX\n"
			"       nlprobe events SECONDS\n"
			"       nlprobe attach TTY|pty INDEX\n"
			"       nlprobe tiocm TTY [+-]LINE ...\n"
			"       nlprobe udpsink PORT SECONDS\n");
	return 2;
}
