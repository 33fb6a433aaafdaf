// SPDX-License-Identifier: GPL-2.0
/*
 * allowprobe: drive portbridge_allow.ko by hand and play its clients, for
 * the VM tests and the benchmark only (test overlay, never the board).
 * It sends what it is told, valid or not, so the tests can show that the
 * kernel's own checks hold.
 *
 * Netlink (prints "ok" or "error <errno>: <extended ack>"; exit 0 if ok):
 *   allowprobe enable 0|1 [GUARD]
 *   allowprobe global [ENTRY ...] [GUARD]
 *   allowprobe port PROTO PORT [ENTRY ...] [GUARD]
 *   allowprobe protect [PROTO:PORT ...] [GUARD]
 *   allowprobe raw CMD [ATTR:TYPE:VALUE ...]   TYPE u8, u16, u32, hex
 *   allowprobe show                            the dump, as JSON
 *   allowprobe get [PROTO PORT]                one message, as JSON
 *   allowprobe events SECONDS                  denied events, JSON lines
 *   allowprobe policy                          dump the family's policies
 * ENTRY is ADDR[/NETMASK|/PREFIX][,OPT...] or ,OPT... (no address) or
 * "empty"; OPT is on, off, enabled=N, prefix=N, mask=A.B.C.D, addr6=X,
 * hits=N.  GUARD is "guard ADDR PROTO PORT".  PROTO is tcp, udp or a
 * number.
 *
 * Clients and servers (JSON results on stdout):
 *   allowprobe connect [-s SRC] ADDR PORT MS      one TCP connect
 *   allowprobe flood-connect [-s SRC] ADDR PORT SECONDS MS
 *   allowprobe tcp-sink PORT SECONDS              accept, count by peer
 *   allowprobe udp-sink PORT SECONDS              receive, count by peer
 *   allowprobe udp-send [-s SRC] ADDR PORT COUNT
 *   allowprobe udp-flood ADDR PORT COUNT          as fast as possible
 * The sinks print "listening" (and flush) once they are bound.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/portbridge_allow.h>

#include "nl.h"

#define MAX_PEERS	64

static const char *proto_name(unsigned int proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" :
	       "?";
}

static int parse_proto(const char *s)
{
	if (!strcmp(s, "tcp"))
		return IPPROTO_TCP;
	if (!strcmp(s, "udp"))
		return IPPROTO_UDP;
	return (int)strtoul(s, NULL, 0);
}

/* ---- Netlink requests ------------------------------------------------ */

static int open_family(struct nl_sock *s, struct nl_family *fam,
		       const char *group)
{
	struct nl_err err = { 0 };

	if (nl_open(s) < 0) {
		perror("allowprobe: netlink socket");
		exit(2);
	}
	if (nl_resolve(s, PBA_GENL_NAME, group, fam, &err) < 0) {
		printf("error %d: %s\n", -err.error, err.msg);
		exit(1);
	}
	return 0;
}

/* IPv4 as v4-mapped, like the sessions that fill the guard. */
static int parse_addr16(const char *text, struct in6_addr *a)
{
	struct in_addr v4;

	if (inet_pton(AF_INET6, text, a) == 1)
		return 0;
	if (inet_pton(AF_INET, text, &v4) != 1)
		return -1;
	memset(a, 0, sizeof(*a));
	a->s6_addr[10] = a->s6_addr[11] = 0xff;
	memcpy(&a->s6_addr[12], &v4, 4);
	return 0;
}

static void put_u64(struct nl_msg *m, uint16_t type, uint64_t v)
{
	nl_put(m, type, &v, sizeof(v));
}

static int put_entry_opt(struct nl_msg *m, const char *opt)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (!strcmp(opt, "on") || !strcmp(opt, "off"))
		nl_put_u8(m, PBA_E_ENABLED, !strcmp(opt, "on"));
	else if (!strncmp(opt, "enabled=", 8))
		nl_put_u8(m, PBA_E_ENABLED, strtoul(opt + 8, NULL, 0));
	else if (!strncmp(opt, "prefix=", 7))
		nl_put_u8(m, PBA_E_PREFIX6, strtoul(opt + 7, NULL, 0));
	else if (!strncmp(opt, "mask=", 5) && inet_pton(AF_INET, opt + 5, &a4))
		nl_put(m, PBA_E_NETMASK4, &a4, 4);
	else if (!strncmp(opt, "addr6=", 6) &&
		 inet_pton(AF_INET6, opt + 6, &a6))
		nl_put(m, PBA_E_ADDR6, &a6, 16);
	else if (!strncmp(opt, "hits=", 5))
		put_u64(m, PBA_E_HITS, strtoull(opt + 5, NULL, 0));
	else
		return -1;
	return 0;
}

/* ADDR[/MASK] with MASK a dotted netmask, a length (IPv4) or a prefix. */
static int put_entry_addr(struct nl_msg *m, char *addr)
{
	char *slash = strchr(addr, '/');
	struct in6_addr a6;
	struct in_addr a4;
	uint32_t mask;
	unsigned long len;

	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET6, addr, &a6) == 1) {
		nl_put(m, PBA_E_ADDR6, &a6, 16);
		if (slash)
			nl_put_u8(m, PBA_E_PREFIX6, strtoul(slash, NULL, 0));
		return 0;
	}
	if (inet_pton(AF_INET, addr, &a4) != 1)
		return -1;
	nl_put(m, PBA_E_ADDR4, &a4, 4);
	if (!slash)
		return 0;
	if (strchr(slash, '.')) {
		if (inet_pton(AF_INET, slash, &a4) != 1)
			return -1;
		nl_put(m, PBA_E_NETMASK4, &a4, 4);
		return 0;
	}
	len = strtoul(slash, NULL, 0);
	mask = len ? htonl(0xffffffffu << (32 - (len > 32 ? 32 : len))) : 0;
	nl_put(m, PBA_E_NETMASK4, &mask, 4);
	return 0;
}

static int put_entry(struct nl_msg *m, char *spec, int row)
{
	size_t nest = nl_nest_start(m, row);
	char *opt, *save = NULL;

	if (strcmp(spec, "empty")) {
		if (spec[0] != ',') {
			opt = strtok_r(spec, ",", &save);
			if (put_entry_addr(m, opt) < 0)
				return -1;
			spec = NULL;
		}
		while ((opt = strtok_r(spec, ",", &save))) {
			spec = NULL;
			if (put_entry_opt(m, opt) < 0)
				return -1;
		}
	}
	nl_nest_end(m, nest);
	return 0;
}

/* "guard ADDR PROTO PORT" at the end of the arguments; returns argc left. */
static int put_guard(struct nl_msg *m, int argc, char **argv)
{
	struct in6_addr a;

	if (argc < 4 || strcmp(argv[argc - 4], "guard"))
		return argc;
	if (parse_addr16(argv[argc - 3], &a) < 0) {
		fprintf(stderr, "allowprobe: bad guard address\n");
		exit(2);
	}
	nl_put(m, PBA_A_GUARD_ADDR, &a, 16);
	nl_put_u8(m, PBA_A_GUARD_PROTO, parse_proto(argv[argc - 2]));
	nl_put_u16(m, PBA_A_GUARD_PORT, strtoul(argv[argc - 1], NULL, 0));
	return argc - 4;
}

static void put_entries(struct nl_msg *m, int argc, char **argv)
{
	size_t nest;
	int i;

	if (!argc)
		return;
	nest = nl_nest_start(m, PBA_A_ENTRIES);
	for (i = 0; i < argc; i++) {
		if (put_entry(m, argv[i], i + 1) < 0) {
			fprintf(stderr, "allowprobe: bad entry '%s'\n",
				argv[i]);
			exit(2);
		}
	}
	nl_nest_end(m, nest);
}

static void put_protected(struct nl_msg *m, int argc, char **argv)
{
	size_t nest, svc;
	char *colon;
	int i;

	if (!argc)
		return;
	nest = nl_nest_start(m, PBA_A_PROTECTED);
	for (i = 0; i < argc; i++) {
		colon = strchr(argv[i], ':');
		svc = nl_nest_start(m, i + 1);
		if (colon) {
			*colon = '\0';
			nl_put_u8(m, PBA_SVC_PROTO, parse_proto(argv[i]));
			nl_put_u16(m, PBA_SVC_PORT, strtoul(colon + 1, NULL, 0));
		}
		nl_nest_end(m, svc);
	}
	nl_nest_end(m, nest);
}

static int put_raw(struct nl_msg *m, char *spec)
{
	char *type = strchr(spec, ':'), *value;
	unsigned char hex[256];
	unsigned long attr;
	size_t n;

	if (!type || !(value = strchr(type + 1, ':')))
		return -1;
	*type++ = '\0';
	*value++ = '\0';
	attr = strtoul(spec, NULL, 0);
	if (!strcmp(type, "u8")) {
		nl_put_u8(m, attr, strtoul(value, NULL, 0));
	} else if (!strcmp(type, "u16")) {
		nl_put_u16(m, attr, strtoul(value, NULL, 0));
	} else if (!strcmp(type, "u32")) {
		nl_put_u32(m, attr, strtoul(value, NULL, 0));
	} else if (!strcmp(type, "hex")) {
		for (n = 0; n < sizeof(hex) && value[2 * n] && value[2 * n + 1];
		     n++)
			sscanf(value + 2 * n, "%2hhx", &hex[n]);
		nl_put(m, attr, hex, n);
	} else {
		return -1;
	}
	return 0;
}

static int send_set(struct nl_sock *s, struct nl_msg *m)
{
	struct nl_err err = { 0 };
	int ret = nl_request(s, m, NULL, NULL, &err);

	if (ret < 0)
		printf("error %d: %s\n", -ret, err.msg);
	else
		printf("ok\n");
	nl_close(s);
	return ret < 0;
}

static int cmd_set(const char *what, int argc, char **argv)
{
	struct nl_family fam;
	struct nl_sock s;
	struct nl_msg m;
	int i;

	open_family(&s, &fam, NULL);
	if (!strcmp(what, "raw")) {
		if (argc < 1)
			return 2;
		nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK,
			    strtoul(argv[0], NULL, 0), PBA_GENL_VERSION);
		for (i = 1; i < argc; i++)
			if (put_raw(&m, argv[i]) < 0)
				return 2;
		return send_set(&s, &m);
	}
	if (!strcmp(what, "enable")) {
		nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK,
			    PBA_CMD_SET_ENABLED, PBA_GENL_VERSION);
		argc = put_guard(&m, argc, argv);
		if (argc != 1)
			return 2;
		nl_put_u8(&m, PBA_A_ENABLED, strtoul(argv[0], NULL, 0));
	} else if (!strcmp(what, "global")) {
		nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK,
			    PBA_CMD_SET_GLOBAL, PBA_GENL_VERSION);
		argc = put_guard(&m, argc, argv);
		put_entries(&m, argc, argv);
	} else if (!strcmp(what, "port")) {
		nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK,
			    PBA_CMD_SET_PORT, PBA_GENL_VERSION);
		argc = put_guard(&m, argc, argv);
		if (argc < 2)
			return 2;
		nl_put_u8(&m, PBA_A_PROTO, parse_proto(argv[0]));
		nl_put_u16(&m, PBA_A_PORT, strtoul(argv[1], NULL, 0));
		put_entries(&m, argc - 2, argv + 2);
	} else {
		nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK,
			    PBA_CMD_SET_PROTECTED, PBA_GENL_VERSION);
		argc = put_guard(&m, argc, argv);
		put_protected(&m, argc, argv);
	}
	return send_set(&s, &m);
}

/* ---- Printing what the kernel says ----------------------------------- */

/* Walk the attributes inside a nest: *off starts at 0; 1, or 0 at the end. */
static int next_attr(const struct nlattr *nest, size_t *off,
		     const struct nlattr **a)
{
	const unsigned char *data = nla_payload(nest);
	size_t len = nla_payload_len(nest);
	const struct nlattr *cur;

	if (*off + NLA_HDRLEN > len)
		return 0;
	cur = (const struct nlattr *)(data + *off);
	if (cur->nla_len < NLA_HDRLEN || *off + cur->nla_len > len)
		return 0;
	*off += NLA_ALIGN(cur->nla_len);
	*a = cur;
	return 1;
}

static uint64_t get_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	nla_get_u64(a, &v);
	return v;
}

static void print_addr16(const void *bytes)
{
	const unsigned char *b = bytes;
	char text[INET6_ADDRSTRLEN];
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};

	if (!memcmp(b, mapped, 12))
		inet_ntop(AF_INET, b + 12, text, sizeof(text));
	else
		inet_ntop(AF_INET6, b, text, sizeof(text));
	printf("\"%s\"", text);
}

static void print_entry(const struct nlattr *nest)
{
	const struct nlattr *tb[PBA_E_MAX + 1];
	char text[INET6_ADDRSTRLEN];
	uint8_t u8 = 0;

	nla_parse_nested(tb, PBA_E_MAX, nest);
	printf("{\"row\":%u", nest->nla_type & NLA_TYPE_MASK);
	if (tb[PBA_E_ADDR4]) {
		inet_ntop(AF_INET, nla_payload(tb[PBA_E_ADDR4]), text,
			  sizeof(text));
		printf(",\"addr\":\"%s\"", text);
	}
	if (tb[PBA_E_NETMASK4]) {
		inet_ntop(AF_INET, nla_payload(tb[PBA_E_NETMASK4]), text,
			  sizeof(text));
		printf(",\"mask\":\"%s\"", text);
	}
	if (tb[PBA_E_ADDR6]) {
		inet_ntop(AF_INET6, nla_payload(tb[PBA_E_ADDR6]), text,
			  sizeof(text));
		printf(",\"addr\":\"%s\"", text);
	}
	if (tb[PBA_E_PREFIX6] && !nla_get_u8(tb[PBA_E_PREFIX6], &u8))
		printf(",\"prefix\":%u", u8);
	if (tb[PBA_E_ENABLED] && !nla_get_u8(tb[PBA_E_ENABLED], &u8))
		printf(",\"enabled\":%u", u8);
	printf(",\"hits\":%llu}", (unsigned long long)get_u64(tb[PBA_E_HITS]));
}

static void print_entries(const struct nlattr *list)
{
	const struct nlattr *a;
	size_t off = 0;
	int first = 1;

	printf("[");
	while (list && next_attr(list, &off, &a)) {
		printf("%s", first ? "" : ",");
		print_entry(a);
		first = 0;
	}
	printf("]");
}

static void print_global(const struct nlattr **tb)
{
	const struct nlattr *st[PBA_STAT_MAX + 1] = { 0 };
	uint8_t on = 0;

	nla_get_u8(tb[PBA_A_ENABLED], &on);
	if (tb[PBA_A_STATS])
		nla_parse_nested(st, PBA_STAT_MAX, tb[PBA_A_STATS]);
	printf("\"enabled\":%u,\"drops\":%llu,\"events_sent\":%llu,"
	       "\"events_suppressed\":%llu,\"global\":", on,
	       (unsigned long long)get_u64(st[PBA_STAT_DROPS]),
	       (unsigned long long)get_u64(st[PBA_STAT_EVENTS_SENT]),
	       (unsigned long long)get_u64(st[PBA_STAT_EVENTS_SUPPRESSED]));
	print_entries(tb[PBA_A_ENTRIES]);
}

static void print_port(const struct nlattr **tb)
{
	uint8_t proto = 0, prot = 0;
	uint16_t port = 0;

	nla_get_u8(tb[PBA_A_PROTO], &proto);
	nla_get_u16(tb[PBA_A_PORT], &port);
	nla_get_u8(tb[PBA_A_IS_PROTECTED], &prot);
	printf("{\"proto\":\"%s\",\"port\":%u,\"protected\":%u,"
	       "\"drops\":%llu,\"entries\":", proto_name(proto), port, prot,
	       (unsigned long long)get_u64(tb[PBA_A_DROPS]));
	print_entries(tb[PBA_A_ENTRIES]);
	printf("}");
}

struct dump_state {
	int ports;	/* port messages printed so far */
	int global;	/* the global message was printed */
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PBA_A_MAX + 1];
	struct dump_state *st = arg;
	uint8_t cmd;

	if (nl_genl_parse(nlh, &cmd, tb, PBA_A_MAX) < 0)
		return -EBADMSG;
	if (!tb[PBA_A_PORT]) {
		printf("{");
		print_global(tb);
		printf(",\"ports\":[");
		st->global = 1;
		return 0;
	}
	printf("%s", st->ports++ ? "," : "");
	print_port(tb);
	return 0;
}

static int cmd_show(void)
{
	struct dump_state st = { 0 };
	struct nl_err err = { 0 };
	struct nl_family fam;
	struct nl_sock s;
	struct nl_msg m;
	int ret;

	open_family(&s, &fam, NULL);
	nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_DUMP, PBA_CMD_GET,
		    PBA_GENL_VERSION);
	ret = nl_request(&s, &m, dump_cb, &st, &err);
	if (ret < 0) {
		printf("error %d: %s\n", -ret, err.msg);
		return 1;
	}
	printf(st.global ? "]}\n" : "{}\n");
	nl_close(&s);
	return 0;
}

static int get_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PBA_A_MAX + 1];
	uint8_t cmd;

	(void)arg;

	if (nl_genl_parse(nlh, &cmd, tb, PBA_A_MAX) < 0)
		return -EBADMSG;
	if (tb[PBA_A_PORT]) {
		print_port(tb);
	} else {
		printf("{");
		print_global(tb);
		printf("}");
	}
	printf("\n");
	return 0;
}

static int cmd_get(int argc, char **argv)
{
	struct nl_err err = { 0 };
	struct nl_family fam;
	struct nl_sock s;
	struct nl_msg m;
	int ret;

	open_family(&s, &fam, NULL);
	nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK, PBA_CMD_GET,
		    PBA_GENL_VERSION);
	if (argc >= 1)
		nl_put_u8(&m, PBA_A_PROTO, parse_proto(argv[0]));
	if (argc >= 2)
		nl_put_u16(&m, PBA_A_PORT, strtoul(argv[1], NULL, 0));
	ret = nl_request(&s, &m, get_cb, NULL, &err);
	if (ret < 0)
		printf("error %d: %s\n", -ret, err.msg);
	nl_close(&s);
	return ret < 0;
}

static int event_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PBA_A_MAX + 1];
	uint16_t port = 0, sport = 0;
	uint32_t suppressed = 0;
	uint8_t cmd, proto = 0;

	(void)arg;

	if (nl_genl_parse(nlh, &cmd, tb, PBA_A_MAX) < 0 ||
	    cmd != PBA_CMD_EVENT_DENIED || !tb[PBA_A_SRC_ADDR] ||
	    nla_payload_len(tb[PBA_A_SRC_ADDR]) != 16)
		return 0;
	nla_get_u8(tb[PBA_A_PROTO], &proto);
	nla_get_u16(tb[PBA_A_PORT], &port);
	nla_get_u16(tb[PBA_A_SRC_PORT], &sport);
	nla_get_u32(tb[PBA_A_SUPPRESSED], &suppressed);
	printf("{\"event\":\"denied\",\"proto\":\"%s\",\"port\":%u,\"src\":",
	       proto_name(proto), port);
	print_addr16(nla_payload(tb[PBA_A_SRC_ADDR]));
	printf(",\"sport\":%u,\"suppressed\":%u}\n", sport, suppressed);
	fflush(stdout);
	return 0;
}

static int count_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return 0;
}

/* The kernel describes every attribute of every command (genl-ctrl). */
static int cmd_policy(void)
{
	struct nl_err err = { 0 };
	struct nl_family fam;
	struct nl_sock s;
	struct nl_msg m;
	int ret, n = 0;

	open_family(&s, &fam, NULL);
	nl_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP,
		    CTRL_CMD_GETPOLICY, 1);
	nl_put_u16(&m, CTRL_ATTR_FAMILY_ID, fam.id);
	ret = nl_request(&s, &m, count_cb, &n, &err);
	if (ret < 0) {
		printf("error %d: %s\n", -ret, err.msg);
		return 1;
	}
	printf("{\"policy_messages\":%d}\n", n);
	nl_close(&s);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmd_events(double seconds)
{
	struct timeval tv = { 0, 200000 };
	struct nl_family fam;
	struct nl_sock s;
	double end = now_s() + seconds;
	int ret;

	open_family(&s, &fam, PBA_MCGRP_EVENTS);
	ret = nl_subscribe(&s, fam.group_id);
	if (ret < 0) {
		printf("error %d: %s\n", -ret, strerror(-ret));
		return 1;
	}
	setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	printf("listening\n");
	fflush(stdout);
	while (now_s() < end) {
		ret = nl_recv_events(&s, event_cb, NULL);
		if (ret == -ENOBUFS) {
			printf("{\"event\":\"overrun\"}\n");
			fflush(stdout);
		} else if (ret < 0 && ret != -EAGAIN && ret != -EINTR) {
			printf("error %d: %s\n", -ret, strerror(-ret));
			return 1;
		}
	}
	nl_close(&s);
	return 0;
}

/* ---- Sockets --------------------------------------------------------- */

union addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

static socklen_t make_addr(union addr *a, const char *text, unsigned int port)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET6, text, &a->in6.sin6_addr) == 1) {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_port = htons(port);
		return sizeof(a->in6);
	}
	if (inet_pton(AF_INET, text, &a->in.sin_addr) == 1) {
		a->in.sin_family = AF_INET;
		a->in.sin_port = htons(port);
		return sizeof(a->in);
	}
	fprintf(stderr, "allowprobe: bad address '%s'\n", text);
	exit(2);
}

/* A socket of @type for @dst, bound to @src if given. */
static int client_socket(int type, const union addr *dst, const char *src)
{
	union addr local;
	socklen_t len;
	int fd;

	fd = socket(dst->sa.sa_family, type | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("allowprobe: socket");
		exit(2);
	}
	if (src) {
		len = make_addr(&local, src, 0);
		if (bind(fd, &local.sa, len) < 0) {
			perror("allowprobe: bind");
			exit(2);
		}
	}
	return fd;
}

enum conn_result { CONN_OK, CONN_TIMEOUT, CONN_REFUSED, CONN_ERROR };

static enum conn_result try_connect(const union addr *dst, socklen_t len,
				    const char *src, int ms)
{
	struct pollfd pfd;
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	fd = client_socket(SOCK_STREAM, dst, src);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, &dst->sa, len) < 0 && errno != EINPROGRESS) {
		err = errno;
		close(fd);
		return err == ECONNREFUSED ? CONN_REFUSED : CONN_ERROR;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, ms) != 1) {
		close(fd);
		return CONN_TIMEOUT;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	close(fd);
	if (!err)
		return CONN_OK;
	return err == ECONNREFUSED ? CONN_REFUSED : CONN_ERROR;
}

static const char *opt_src(int *argc, char ***argv)
{
	const char *src = NULL;

	if (*argc >= 2 && !strcmp((*argv)[0], "-s")) {
		src = (*argv)[1];
		*argc -= 2;
		*argv += 2;
	}
	return src;
}

static int cmd_connect(int argc, char **argv)
{
	static const char *const names[] = {
		"connected", "timeout", "refused", "error",
	};
	const char *src = opt_src(&argc, &argv);
	enum conn_result r;
	union addr dst;
	socklen_t len;

	if (argc != 3)
		return 2;
	len = make_addr(&dst, argv[0], strtoul(argv[1], NULL, 0));
	r = try_connect(&dst, len, src, atoi(argv[2]));
	printf("%s\n", names[r]);
	return r != CONN_OK;
}

static int cmd_flood_connect(int argc, char **argv)
{
	const char *src = opt_src(&argc, &argv);
	unsigned long count[4] = { 0 };
	union addr dst;
	socklen_t len;
	double end;

	if (argc != 4)
		return 2;
	len = make_addr(&dst, argv[0], strtoul(argv[1], NULL, 0));
	end = now_s() + atof(argv[2]);
	while (now_s() < end)
		count[try_connect(&dst, len, src, atoi(argv[3]))]++;
	printf("{\"connected\":%lu,\"timeout\":%lu,\"refused\":%lu,"
	       "\"error\":%lu}\n", count[CONN_OK], count[CONN_TIMEOUT],
	       count[CONN_REFUSED], count[CONN_ERROR]);
	return 0;
}

struct peer_count {
	struct in6_addr addr;
	unsigned long n;
};

static void count_peer(struct peer_count *peers, int *npeers,
		       const struct sockaddr_in6 *from)
{
	int i;

	for (i = 0; i < *npeers; i++) {
		if (!memcmp(&peers[i].addr, &from->sin6_addr, 16)) {
			peers[i].n++;
			return;
		}
	}
	if (*npeers == MAX_PEERS)
		return;
	peers[*npeers].addr = from->sin6_addr;
	peers[(*npeers)++].n = 1;
}

static void print_peers(const char *what, const struct peer_count *peers,
			int npeers)
{
	int i;

	printf("{\"%s\":{", what);
	for (i = 0; i < npeers; i++) {
		printf("%s", i ? "," : "");
		print_addr16(&peers[i].addr);
		printf(":%lu", peers[i].n);
	}
	printf("}}\n");
}

/* A dual-stack socket on [::]:PORT. */
static int server_socket(int type, unsigned int port)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	int fd, zero = 0, one = 1;

	fd = socket(AF_INET6, type | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("allowprobe: socket");
		exit(2);
	}
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 128) < 0)) {
		perror("allowprobe: bind");
		exit(2);
	}
	printf("listening\n");
	fflush(stdout);
	return fd;
}

static int cmd_sink(int type, unsigned int port, double seconds)
{
	struct peer_count peers[MAX_PEERS];
	double end = now_s() + seconds;
	struct sockaddr_in6 from;
	struct pollfd pfd;
	socklen_t flen;
	char buf[2048];
	int c, npeers = 0;

	pfd.fd = server_socket(type, port);
	pfd.events = POLLIN;
	while (now_s() < end) {
		if (poll(&pfd, 1, 100) != 1)
			continue;
		flen = sizeof(from);
		if (type == SOCK_STREAM) {
			c = accept(pfd.fd, (struct sockaddr *)&from, &flen);
			if (c < 0)
				continue;
			close(c);
		} else if (recvfrom(pfd.fd, buf, sizeof(buf), 0,
				    (struct sockaddr *)&from, &flen) < 0) {
			continue;
		}
		count_peer(peers, &npeers, &from);
	}
	close(pfd.fd);
	print_peers(type == SOCK_STREAM ? "accepted" : "received", peers,
		    npeers);
	return 0;
}

static int cmd_udp_send(int argc, char **argv, int flood)
{
	const char *src = flood ? NULL : opt_src(&argc, &argv);
	static const char payload[16] = "allowprobe";
	unsigned long i, count, sent = 0;
	union addr dst;
	socklen_t len;
	double start;
	int fd;

	if (argc != 3)
		return 2;
	len = make_addr(&dst, argv[0], strtoul(argv[1], NULL, 0));
	count = strtoul(argv[2], NULL, 0);
	fd = client_socket(SOCK_DGRAM, &dst, src);
	start = now_s();
	for (i = 0; i < count; i++)
		if (sendto(fd, payload, sizeof(payload), 0, &dst.sa, len) ==
		    sizeof(payload))
			sent++;
	printf("{\"sent\":%lu,\"ns\":%.0f}\n", sent, (now_s() - start) * 1e9);
	close(fd);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of allowprobe.c\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	argc -= 2;
	argv += 2;
	if (!strcmp(cmd, "enable") || !strcmp(cmd, "global") ||
	    !strcmp(cmd, "port") || !strcmp(cmd, "protect") ||
	    !strcmp(cmd, "raw")) {
		int ret = cmd_set(cmd, argc, argv);

		return ret == 2 ? usage() : ret;
	}
	if (!strcmp(cmd, "show"))
		return cmd_show();
	if (!strcmp(cmd, "get"))
		return cmd_get(argc, argv);
	if (!strcmp(cmd, "policy"))
		return cmd_policy();
	if (!strcmp(cmd, "events") && argc == 1)
		return cmd_events(atof(argv[0]));
	if (!strcmp(cmd, "connect"))
		return cmd_connect(argc, argv);
	if (!strcmp(cmd, "flood-connect"))
		return cmd_flood_connect(argc, argv);
	if (!strcmp(cmd, "tcp-sink") && argc == 2)
		return cmd_sink(SOCK_STREAM, atoi(argv[0]), atof(argv[1]));
	if (!strcmp(cmd, "udp-sink") && argc == 2)
		return cmd_sink(SOCK_DGRAM, atoi(argv[0]), atof(argv[1]));
	if (!strcmp(cmd, "udp-send"))
		return cmd_udp_send(argc, argv, 0);
	if (!strcmp(cmd, "udp-flood"))
		return cmd_udp_send(argc, argv, 1);
	return usage();
}
