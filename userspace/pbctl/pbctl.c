// SPDX-License-Identifier: GPL-2.0
/*
 * pbctl: the portbridge command line.  Reading ports and events talks to
 * the kernel over generic netlink (no privilege needed); changing settings
 * goes through pbconfd's control socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "ctl.h"
#include "nl.h"
#include "pbmsg.h"
#include "portfmt.h"
#include "pbctl.h"
#include "logcmd.h"
#include "../fwupd/fwproto.h"
#include "text.h"

#ifndef PB_VERSION
#define PB_VERSION "unknown"
#endif

#define EXIT_USAGE	2
#define REPLY_TIMEOUT_S	30

static const char *sock_path = CTL_DEFAULT_SOCKET;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pbctl [-s socket] command ...\n"
		"\n"
		"  port show [N] [--json]       ports, their settings and counters\n"
		"  port set N key value ...     change settings of port N (admins)\n"
		"  events [--json]              print port events until killed\n"
		"  config show                  the saved configuration\n"
		"  help                         this text\n"
		"  --version                    the version\n"
		"\n"
		"keys for port set (Documentation/modes/ tells more):\n"
		"  mode             disabled | tcp-server | tcp-client | udp | rfc2217 | real-com\n"
		"  local-port       1..65535 (also: port); follows the mode unless set\n"
		"  cmd-port         1..65535, Real COM command port\n"
		"  max-connections  1..%u (tcp-server)\n"
		"  inactivity-ms    0..86400000, 0 = never close an idle connection\n"
		"  alive-idle       0..32767 s, 0 = no TCP alive check\n"
		"  alive-interval   1..32767 s\n"
		"  alive-count      1..127\n"
		"  ignore-jammed    no | yes\n"
		"  jammed-ms        0..86400000, 0 = never drop a jammed client\n"
		"  connect-on       startup | any-char (tcp-client)\n"
		"  dest1 .. dest4   host:port | addr[-addr]:port (udp) | [ipv6]:port | none\n"
		"  baud             50..921600\n"
		"  data-bits        5..8\n"
		"  parity           none | odd | even | mark | space\n"
		"  stop-bits        1 | 2\n"
		"  flow             none | rts-cts | xon-xoff | dtr-dsr\n"
		"  packing-length   0..1024, 0 = off\n"
		"  delim1, delim2   off | 0x00..0xff | 0..255\n"
		"  delim-process    nothing | plus1 | plus2 | strip\n"
		"  force-tx-ms      0..65535, 0 = off\n"
		"  fifo             on | off\n"
		"  interface        rs232 | rs422 | rs485-2w | rs485-4w\n"
		"  dtr, rts         on | off\n"
		"\n"
		"example: pbctl port set 1 mode tcp-client dest1 10.0.0.5:4001\n",
		PB_MAX_CONNS);
	pbctl_usage_system(f);
	pbctl_usage_allow(f);
	pbctl_usage_log(f);
	pbctl_usage_firmware(f);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "pbctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pbctl help'.\n");
	return EXIT_USAGE;
}

/* ---- kernel side: ports and events over generic netlink ---- */

static int open_family(struct nl_sock *nl, const char *group,
		       struct nl_family *fam)
{
	struct nl_err err;
	int rc;

	rc = nl_open(nl);
	if (rc) {
		fprintf(stderr, "pbctl: cannot open a netlink socket: %s\n",
			strerror(-rc));
		return -1;
	}
	rc = nl_resolve(nl, PORTBRIDGE_GENL_NAME, group, fam, &err);
	if (rc) {
		fprintf(stderr, "pbctl: %s (is portbridge.ko loaded?)\n",
			err.msg);
		nl_close(nl);
		return -1;
	}
	return 0;
}

struct port_list {
	unsigned int n;
	struct pb_port_info port[PB_MAX_PORTS];
	int bad;
};

static int collect_port(const struct nlmsghdr *nlh, void *arg)
{
	struct port_list *list = arg;

	if (list->n == PB_MAX_PORTS)
		return 0;
	if (pb_parse_port(nlh, &list->port[list->n])) {
		list->bad++;
		return 0;
	}
	list->n++;
	return 0;
}

static void print_ports(const struct port_list *list, int one, int json)
{
	unsigned int i;

	if (json) {
		if (!one)
			putchar('[');
		for (i = 0; i < list->n; i++) {
			if (i)
				putchar(',');
			portfmt_json(stdout, &list->port[i]);
		}
		printf(one ? "\n" : "]\n");
		return;
	}
	if (one)
		portfmt_detail(stdout, &list->port[0]);
	else
		portfmt_table(stdout, list->port, list->n);
}

static int parse_port_arg(const char *arg, uint32_t *port)
{
	if (text_parse_u32(arg, strlen(arg), port) || *port < 1 ||
	    *port > PB_MAX_PORTS)
		return -1;
	return 0;
}

static int cmd_port_show(int argc, char **argv)
{
	static struct port_list list;
	struct nl_sock nl;
	struct nl_family fam;
	struct nl_msg m;
	struct nl_err err;
	uint32_t port = 0;
	int json = 0, i, rc;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (port || parse_port_arg(argv[i], &port))
			return usage_error("port show: '%s' is not a port number",
					   argv[i]);
	}
	if (open_family(&nl, NULL, &fam))
		return 1;
	pb_build_port_get(&m, fam.id, port);
	rc = nl_request(&nl, &m, collect_port, &list, &err);
	nl_close(&nl);
	if (rc) {
		if (port)
			fprintf(stderr, "pbctl: port %u: %s\n", port, err.msg);
		else
			fprintf(stderr, "pbctl: cannot list ports: %s\n",
				err.msg);
		return 1;
	}
	if (list.bad)
		fprintf(stderr, "pbctl: %d malformed port messages ignored\n",
			list.bad);
	if (port && list.n != 1) {
		fprintf(stderr, "pbctl: port %u: no reply from the kernel\n",
			port);
		return 1;
	}
	print_ports(&list, port != 0, json);
	return fflush(stdout) ? 1 : 0;
}

struct event_ctx {
	int json;
};

static int print_event(const struct nlmsghdr *nlh, void *arg)
{
	struct event_ctx *ctx = arg;
	struct pb_event ev;
	char line[256];

	if (pb_parse_event(nlh, &ev))
		return 0;	/* not an event we know: skip it */
	pb_format_event(&ev, ctx->json, line, sizeof(line));
	printf("%s\n", line);
	return fflush(stdout) ? -EIO : 0;
}

static int cmd_events(int argc, char **argv)
{
	struct event_ctx ctx = { 0 };
	struct nl_family fam;
	struct nl_sock nl;
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json"))
			return usage_error("events: unexpected '%s'", argv[i]);
		ctx.json = 1;
	}
	if (open_family(&nl, PORTBRIDGE_MCGRP_EVENTS, &fam))
		return 1;
	rc = nl_subscribe(&nl, fam.group_id);
	if (rc) {
		fprintf(stderr, "pbctl: cannot subscribe to events: %s\n",
			strerror(-rc));
		nl_close(&nl);
		return 1;
	}
	for (;;) {
		rc = nl_recv_events(&nl, print_event, &ctx);
		if (rc == -ENOBUFS) {
			fprintf(stderr, "pbctl: events were lost (receive buffer overrun)\n");
			continue;
		}
		if (rc)
			break;
	}
	fprintf(stderr, "pbctl: events: %s\n", strerror(-rc));
	nl_close(&nl);
	return 1;
}

/* ---- pbconfd side: the control socket ---- */

static int ctl_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	int fd;

	if (strlen(sock_path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "pbctl: socket path too long\n");
		return -1;
	}
	strcpy(sa.sun_path, sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "pbctl: socket: %s\n", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		fprintf(stderr, "pbctl: cannot connect to pbconfd at %s: %s%s\n",
			sock_path, strerror(e),
			e == EACCES ? " (only root and admins may)" :
			e == ENOENT || e == ECONNREFUSED ?
				" (is pbconfd running?)" : "");
		close(fd);
		return -1;
	}
	return fd;
}

/* Send one request; the reply (NUL-terminated) is in @reply. */
static int ctl_call(const char *req, char *reply, size_t size)
{
	ssize_t n;
	int fd;

	fd = ctl_connect();
	if (fd < 0)
		return -1;
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "pbctl: send to pbconfd: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	n = recv(fd, reply, size - 1, MSG_TRUNC);
	close(fd);
	if (n <= 0 || (size_t)n >= size) {
		fprintf(stderr, "pbctl: no valid reply from pbconfd: %s\n",
			n < 0 ? strerror(errno) :
			n == 0 ? "connection closed" : "reply too long");
		return -1;
	}
	reply[n] = '\0';
	return 0;
}

static int report_reply(const char *reply)
{
	if (!strncmp(reply, "error: ", 7)) {
		fprintf(stderr, "pbctl: %s\n", reply + 7);
		return 1;
	}
	if (strcmp(reply, "ok")) {
		fprintf(stderr, "pbctl: unexpected reply: %.80s\n", reply);
		return 1;
	}
	return 0;
}

static int cmd_port_set(int argc, char **argv)
{
	char req[CTL_REQUEST_MAX + 1], reply[512], err[256];
	struct ctl_request parsed;
	struct textbuf tb;
	int i;

	if (argc == 2)
		return usage_error("port set: '%s' needs a value", argv[1]);
	if (argc < 3)
		return usage_error("%s",
				   "usage: pbctl port set N key value [key value ...]");
	textbuf_init(&tb, req, sizeof(req));
	textbuf_printf(&tb, "port-set");
	for (i = 0; i < argc; i++) {
		if (argv[i][0] == '\0' || strpbrk(argv[i], " \t"))
			return usage_error("port set: bad argument '%s'",
					   argv[i]);
		textbuf_printf(&tb, " %s", argv[i]);
	}
	if (textbuf_overflow(&tb))
		return usage_error("%s", "port set: too many arguments");
	/* the daemon checks again; this only catches typos early */
	if (ctl_parse_request(req, tb.len, &parsed, err, sizeof(err)))
		return usage_error("port set: %s", err);
	if (ctl_call(req, reply, sizeof(reply)))
		return 1;
	pbctl_audit(req, reply);
	return report_reply(reply);
}

static int cmd_config_show(int argc, char **argv)
{
	static char reply[CTL_REPLY_MAX + 1];

	(void)argv;
	if (argc)
		return usage_error("config show: unexpected '%s'", argv[0]);
	if (ctl_call("config-get", reply, sizeof(reply)))
		return 1;
	if (!strncmp(reply, "error: ", 7))
		return report_reply(reply);
	fputs(reply, stdout);
	return fflush(stdout) ? 1 : 0;
}

static int cmd_port(int argc, char **argv)
{
	if (argc < 1)
		return usage_error("%s", "port: show or set?");
	if (!strcmp(argv[0], "show"))
		return cmd_port_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "set"))
		return cmd_port_set(argc - 1, argv + 1);
	return usage_error("port: unknown command '%s'", argv[0]);
}

int main(int argc, char **argv)
{
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--version")) {
			printf("pbctl (portbridge) %s\n", PB_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			sock_path = argv[i + 1];
			i += 2;
			continue;
		}
		return usage_error("unknown option '%s'", argv[i]);
	}
	if (i == argc)
		return usage_error("%s", "missing command");
	pbctl_sock_path = sock_path;
	if (!strcmp(argv[i], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[i], "port"))
		return cmd_port(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "events"))
		return cmd_events(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "config")) {
		if (i + 1 < argc && !strcmp(argv[i + 1], "show"))
			return cmd_config_show(argc - i - 2, argv + i + 2);
		return pbctl_cmd_config(argc - i - 1, argv + i + 1);
	}
	if (!strcmp(argv[i], "allow"))
		return pbctl_cmd_allow(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "log"))
		return pbctl_cmd_log(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "account"))
		return pbctl_cmd_account(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "passwd"))
		return pbctl_cmd_passwd(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "whoami"))
		return pbctl_cmd_whoami(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "factory-reset"))
		return pbctl_cmd_factory_reset(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "firmware"))
		return pbctl_cmd_firmware(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "system"))
		return pbctl_cmd_system(argc - i - 1, argv + i + 1);
	return usage_error("unknown command '%s'", argv[i]);
}
