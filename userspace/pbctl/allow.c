// SPDX-License-Identifier: GPL-2.0
/*
 * pbctl allow: the accessible IP list.  The lists live in pbconfd's
 * configuration ([allow], [allow-port N]); every change is a config-set
 * of the slots it touches, carrying the SSH session's address as the
 * lockout guard unless --force.  The counters come from the kernel
 * (family pb_allow, readable without privilege).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/portbridge_allow.h>

#include "allow.h"
#include "conf.h"
#include "ctl.h"
#include "ctlclient.h"
#include "nl.h"
#include "pbctl.h"
#include "text.h"

/* One list as the configuration has it: slots entry1 .. entry16. */
struct slots {
	struct pb_allow_entry e[ALLOW_MAX_ENTRIES];
};

struct allow_state {
	int enabled;
	struct slots global;
	struct slots port[PB_MAX_PORTS];
	unsigned int nports;	/* [port N] sections seen */
	/* the modes and local ports of [port N], to name their services */
	struct pb_conf modes;
};

static char reply[CTL_REPLY_MAX + 1];

static int call(const char *req, size_t len)
{
	return pbctl_call(req, len, reply, sizeof(reply));
}

#define SEC_PORT	1000	/* section_of: [port N] is SEC_PORT + N */

/* "[allow]" -> 0, "[allow-port N]" -> N, "[port N]" -> SEC_PORT + N. */
static int section_of(const char *s, size_t len)
{
	uint32_t n;

	if (len == 7 && !memcmp(s, "[allow]", 7))
		return 0;
	if (len > 13 && !memcmp(s, "[allow-port ", 12) && s[len - 1] == ']' &&
	    !text_parse_u32(s + 12, len - 13, &n) && n >= 1 &&
	    n <= PB_MAX_PORTS)
		return n;
	if (len > 7 && !memcmp(s, "[port ", 6) && s[len - 1] == ']' &&
	    !text_parse_u32(s + 6, len - 7, &n) && n >= 1 &&
	    n <= PB_MAX_PORTS)
		return SEC_PORT + n;
	return -1;
}

/* mode, local-port and cmd-port of [port N]: what its services are. */
static void parse_port_line(struct allow_state *st, unsigned int n,
			    const char *k, size_t klen, const char *v,
			    size_t vlen)
{
	struct pb_port_conf *pc = &st->modes.port[n - 1];
	int key = conf_port_key_find(k, klen);
	char msg[128];

	if (key == CONF_PORT_MODE || key == CONF_PORT_LOCAL_PORT ||
	    key == CONF_PORT_CMD_PORT)
		conf_port_value_parse(key, v, vlen, pc, msg, sizeof(msg));
}

static void parse_line(struct allow_state *st, int sec, const char *s,
		       size_t len)
{
	const char *eq = memchr(s, '=', len), *v;
	struct slots *list;
	char msg[128];
	size_t klen, vlen;
	uint32_t k;

	if (!eq)
		return;
	klen = eq - s;
	v = eq + 1;
	vlen = len - klen - 1;
	text_trim(&s, &klen);
	text_trim(&v, &vlen);
	if (sec > SEC_PORT) {
		parse_port_line(st, sec - SEC_PORT, s, klen, v, vlen);
		return;
	}
	if (sec == 0 && klen == 7 && !memcmp(s, "enabled", 7)) {
		st->enabled = vlen == 2 && !memcmp(v, "on", 2);
		return;
	}
	if (klen < 6 || memcmp(s, "entry", 5) ||
	    text_parse_u32(s + 5, klen - 5, &k) || k < 1 ||
	    k > ALLOW_MAX_ENTRIES)
		return;
	list = sec == 0 ? &st->global : &st->port[sec - 1];
	allow_entry_parse(v, vlen, &list->e[k - 1], msg, sizeof(msg));
}

/* The lists from the saved configuration (config-get). */
static int load_state(struct allow_state *st)
{
	const char *p;
	int sec = -1;

	memset(st, 0, sizeof(*st));
	conf_init_defaults(&st->modes, PB_MAX_PORTS);
	if (call("config-get", 10))
		return -1;
	for (p = reply; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *s = p;
		size_t slen = len;

		text_trim(&s, &slen);
		if (slen && s[0] == '[') {
			sec = section_of(s, slen);
			if (sec > SEC_PORT &&
			    (unsigned int)(sec - SEC_PORT) > st->nports)
				st->nports = sec - SEC_PORT;
		} else if (slen && s[0] != '#' && sec >= 0) {
			parse_line(st, sec, s, slen);
		}
		p += len + (end ? 1 : 0);
	}
	st->modes.nports = st->nports;
	return 0;
}

/* ---- the kernel's counters ---- */

struct kservice {
	uint8_t proto;
	uint16_t port;
	int protected;
	uint64_t drops;
	unsigned int nhits;
	uint64_t hits[ALLOW_MAX_ENTRIES];	/* by kernel row */
};

struct kstate {
	int have;		/* the module answered */
	int enabled;
	uint64_t drops;
	unsigned int nglobal;
	uint64_t global_hits[ALLOW_MAX_ENTRIES];
	unsigned int nsvc;
	struct kservice svc[PBA_MAX_PORTS];
};

static unsigned int parse_hits(const struct nlattr *entries, uint64_t *hits)
{
	const struct nlattr *a, *tb[PBA_E_MAX + 1];
	unsigned int n = 0;
	size_t off = 0;

	if (!entries)
		return 0;
	while (n < ALLOW_MAX_ENTRIES &&
	       nla_next(nla_payload(entries), nla_payload_len(entries), &off,
			&a) == 1) {
		hits[n] = 0;
		if (!nla_parse_nested(tb, PBA_E_MAX, a) && tb[PBA_E_HITS])
			nla_get_u64(tb[PBA_E_HITS], &hits[n]);
		n++;
	}
	return n;
}

static int collect(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PBA_A_MAX + 1], *st[PBA_STAT_MAX + 1];
	struct kstate *ks = arg;
	struct kservice *s;
	uint8_t cmd, v8;

	if (nl_genl_parse(nlh, &cmd, tb, PBA_A_MAX))
		return 0;
	if (!tb[PBA_A_PORT]) {	/* the global message */
		if (!nla_get_u8(tb[PBA_A_ENABLED], &v8))
			ks->enabled = v8;
		if (tb[PBA_A_STATS] &&
		    !nla_parse_nested(st, PBA_STAT_MAX, tb[PBA_A_STATS]) &&
		    st[PBA_STAT_DROPS])
			nla_get_u64(st[PBA_STAT_DROPS], &ks->drops);
		ks->nglobal = parse_hits(tb[PBA_A_ENTRIES], ks->global_hits);
		return 0;
	}
	if (ks->nsvc == PBA_MAX_PORTS)
		return 0;
	s = &ks->svc[ks->nsvc];
	memset(s, 0, sizeof(*s));
	if (nla_get_u8(tb[PBA_A_PROTO], &s->proto) ||
	    nla_get_u16(tb[PBA_A_PORT], &s->port))
		return 0;
	if (!nla_get_u8(tb[PBA_A_IS_PROTECTED], &v8))
		s->protected = v8;
	if (tb[PBA_A_DROPS])
		nla_get_u64(tb[PBA_A_DROPS], &s->drops);
	s->nhits = parse_hits(tb[PBA_A_ENTRIES], s->hits);
	ks->nsvc++;
	return 0;
}

static void load_kernel(struct kstate *ks)
{
	struct nl_family fam;
	struct nl_sock nl;
	struct nl_err err;
	struct nl_msg m;

	memset(ks, 0, sizeof(*ks));
	if (nl_open(&nl))
		return;
	if (!nl_resolve(&nl, PBA_GENL_NAME, NULL, &fam, &err)) {
		nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_DUMP, PBA_CMD_GET,
			    PBA_GENL_VERSION);
		ks->have = !nl_request(&nl, &m, collect, ks, &err);
	}
	nl_close(&nl);
}

/* The kernel row of slot @k: its place among the non-empty slots. */
static int kernel_row(const struct slots *l, unsigned int k)
{
	unsigned int i, row = 0;

	for (i = 0; i <= k; i++)
		row += l->e[i].family != ALLOW_NONE;
	return l->e[k].family != ALLOW_NONE ? (int)row - 1 : -1;
}

/* Hits of slot @k of serial port @n's list, over its services. */
static uint64_t port_hits(const struct kstate *ks, const struct slots *l,
			  unsigned int k, const int *owner)
{
	int row = kernel_row(l, k);
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; row >= 0 && i < ks->nsvc; i++) {
		if (owner[i] && (unsigned int)row < ks->svc[i].nhits)
			sum += ks->svc[i].hits[row];
	}
	return sum;
}

static const char *proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" :
	       "?";
}

/* A list to print: its slots and where its hits come from. */
struct list_view {
	const struct slots *l;
	const uint64_t *hits;	/* the global list's, by kernel row */
	unsigned int nhits;
	const struct kstate *ks;
	const int *owner;	/* a port list: its services (owners()) */
};

/* The hits of slot @k, which holds an entry at kernel row @row. */
static uint64_t view_hits(const struct list_view *v, unsigned int k,
			  int row)
{
	if (v->owner)
		return port_hits(v->ks, v->l, k, v->owner);
	return (unsigned int)row < v->nhits ? v->hits[row] : 0;
}

static void print_list(const struct list_view *v, const char *title,
		       int json)
{
	char net[ALLOW_TEXT_MAX];
	unsigned int k, n = 0;

	if (json)
		putchar('[');
	else
		printf("%s\n", title);
	for (k = 0; k < ALLOW_MAX_ENTRIES; k++) {
		int row = kernel_row(v->l, k);
		const struct pb_allow_entry *e = &v->l->e[k];
		unsigned long long h;

		if (row < 0)
			continue;
		h = view_hits(v, k, row);
		allow_entry_format_net(e, net, sizeof(net));
		if (json)
			printf("%s{\"row\":%u,\"address\":\"%s\",\"enabled\":%s,\"hits\":%llu}",
			       n ? "," : "", k + 1, net,
			       e->enabled ? "true" : "false", h);
		else
			printf("  %2u  %-42s %-3s  hits %llu\n", k + 1, net,
			       e->enabled ? "on" : "off", h);
		n++;
	}
	if (json)
		putchar(']');
	else if (!n)
		printf("  (empty)\n");
}

/* Which of the kernel's services belong to serial port @n. */
static void owners(const struct allow_state *st, const struct kstate *ks,
		   unsigned int n, int *owner)
{
	struct allow_service svc[ALLOW_SERVICES_MAX];
	unsigned int nsvc = conf_allow_services(&st->modes, svc), i, j;

	for (i = 0; i < ks->nsvc; i++) {
		owner[i] = 0;
		for (j = 0; j < nsvc; j++) {
			if (svc[j].serial == n &&
			    svc[j].proto == ks->svc[i].proto &&
			    svc[j].port == ks->svc[i].port)
				owner[i] = 1;
		}
	}
}

static int cmd_show(int json)
{
	static struct allow_state st;
	static struct kstate ks;
	int owner[PBA_MAX_PORTS];
	unsigned int n, i;
	char title[64];

	if (load_state(&st))
		return 1;
	load_kernel(&ks);
	if (json) {
		printf("{\"enabled\":%s,\"kernel\":%s,\"drops\":%llu,\"global\":",
		       st.enabled ? "true" : "false",
		       ks.have ? (ks.enabled ? "\"on\"" : "\"off\"") : "null",
		       (unsigned long long)ks.drops);
		print_list(&(struct list_view){ &st.global, ks.global_hits,
						ks.nglobal, &ks, NULL },
			   NULL, 1);
		printf(",\"ports\":{");
		for (n = 1; n <= st.nports; n++) {
			owners(&st, &ks, n, owner);
			printf("%s\"%u\":", n > 1 ? "," : "", n);
			print_list(&(struct list_view){ &st.port[n - 1], NULL,
							0, &ks, owner },
				   NULL, 1);
		}
		printf("},\"services\":[");
		for (i = 0; i < ks.nsvc; i++)
			printf("%s{\"proto\":\"%s\",\"port\":%u,\"protected\":%s,\"drops\":%llu}",
			       i ? "," : "", proto_name(ks.svc[i].proto),
			       ks.svc[i].port,
			       ks.svc[i].protected ? "true" : "false",
			       (unsigned long long)ks.svc[i].drops);
		printf("]}\n");
		return 0;
	}
	printf("accessible IP list: %s", st.enabled ? "on" : "off");
	if (!ks.have)
		printf(" (portbridge_allow.ko is not loaded: not enforced)");
	else if (ks.enabled != st.enabled)
		printf(" (the kernel has it %s)", ks.enabled ? "on" : "off");
	printf("\n\n");
	print_list(&(struct list_view){ &st.global, ks.global_hits,
					ks.nglobal, &ks, NULL },
		   "global list (every service):", 0);
	for (n = 1; n <= st.nports; n++) {
		unsigned int k, any = 0;

		for (k = 0; k < ALLOW_MAX_ENTRIES; k++)
			any |= st.port[n - 1].e[k].family != ALLOW_NONE;
		if (!any)
			continue;
		owners(&st, &ks, n, owner);
		snprintf(title, sizeof(title), "port %u list:", n);
		print_list(&(struct list_view){ &st.port[n - 1], NULL, 0, &ks,
						owner },
			   title, 0);
	}
	printf("\nprotected services (drops):");
	for (i = 0, n = 0; i < ks.nsvc; i++) {
		if (!ks.svc[i].protected)
			continue;
		printf(" %s/%u (%llu)", proto_name(ks.svc[i].proto),
		       ks.svc[i].port, (unsigned long long)ks.svc[i].drops);
		n++;
	}
	printf("%s\ntotal drops: %llu\n", n ? "" : " none",
	       (unsigned long long)ks.drops);
	return 0;
}

/* ---- changes ---- */

/*
 * Send "config-set" with the lines in @text; the session's SSH address
 * goes along as the lockout guard unless @force.
 */
static int send_change(const char *text, int force)
{
	static char req[CTL_REQUEST_MAX + 2048];
	const char *ssh = getenv("SSH_CONNECTION");
	char addr[INET6_ADDRSTRLEN];
	size_t alen;
	int len;

	alen = ssh ? strcspn(ssh, " ") : 0;
	if (!force && alen > 0 && alen < sizeof(addr)) {
		memcpy(addr, ssh, alen);
		addr[alen] = '\0';
		len = snprintf(req, sizeof(req), "config-set guard %s\n%s",
			       addr, text);
	} else {
		len = snprintf(req, sizeof(req), "config-set\n%s", text);
	}
	if (len < 0 || (size_t)len >= sizeof(req)) {
		fprintf(stderr, "pbctl: request too long\n");
		return 1;
	}
	if (call(req, len))
		return 1;
	return 0;
}

/* "[allow]" or "[allow-port N]" and the slots from @from on. */
static int send_slots(unsigned int port, const struct slots *l,
		      unsigned int from, int force)
{
	char text[2048], val[ALLOW_TEXT_MAX];
	struct textbuf tb;
	unsigned int k;

	textbuf_init(&tb, text, sizeof(text));
	if (port)
		textbuf_printf(&tb, "[allow-port %u]\n", port);
	else
		textbuf_printf(&tb, "[allow]\n");
	for (k = from; k < ALLOW_MAX_ENTRIES; k++) {
		allow_entry_format(&l->e[k], val, sizeof(val));
		textbuf_printf(&tb, "entry%u = %s\n", k + 1, val);
	}
	if (textbuf_overflow(&tb))
		return 1;
	return send_change(text, force);
}

struct change_args {
	unsigned int port;	/* 0: the global list */
	int force;
	int argc;
	char **argv;		/* what is left */
};

static int parse_change_args(int argc, char **argv, struct change_args *ca)
{
	int i, out = 0;
	uint32_t n;

	memset(ca, 0, sizeof(*ca));
	ca->argv = argv;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			ca->force = 1;
		} else if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			if (text_parse_u32(argv[i + 1], strlen(argv[i + 1]),
					   &n) || n < 1 || n > PB_MAX_PORTS)
				return pbctl_usage_err("allow: bad port '%s'",
						 argv[i + 1]);
			ca->port = n;
			i++;
		} else {
			argv[out++] = argv[i];
		}
	}
	ca->argc = out;
	return 0;
}

static struct slots *pick_list(struct allow_state *st, unsigned int port)
{
	return port ? &st->port[port - 1] : &st->global;
}

static int cmd_add(struct change_args *ca)
{
	static struct allow_state st;
	struct pb_allow_entry e;
	struct slots *l;
	char text[256], msg[160];
	unsigned int k;
	int i, len = 0;

	if (ca->argc < 1 || ca->argc > 2)
		return pbctl_usage_err("%s",
				 "usage: pbctl allow add [--port N] ADDRESS[/NETMASK] [on|off] [--force]");
	for (i = 0; i < ca->argc; i++)
		len += snprintf(text + len, sizeof(text) - len, "%s%s",
				i ? " " : "", ca->argv[i]);
	if (allow_entry_parse(text, strlen(text), &e, msg, sizeof(msg))) {
		fprintf(stderr, "pbctl: allow add: %s\n", msg);
		return 1;
	}
	if (e.family == ALLOW_NONE) {
		fprintf(stderr, "pbctl: allow add: an entry needs an address\n");
		return 1;
	}
	if (load_state(&st))
		return 1;
	if (ca->port > st.nports) {
		fprintf(stderr, "pbctl: allow: this board has no port %u\n",
			ca->port);
		return 1;
	}
	l = pick_list(&st, ca->port);
	for (k = 0; k < ALLOW_MAX_ENTRIES; k++) {
		if (l->e[k].family == ALLOW_NONE)
			break;
	}
	if (k == ALLOW_MAX_ENTRIES) {
		fprintf(stderr, "pbctl: allow add: the list is full (%u entries)\n",
			ALLOW_MAX_ENTRIES);
		return 1;
	}
	l->e[k] = e;
	if (send_slots(ca->port, l, k, ca->force))
		return 1;
	printf("entry %u added\n", k + 1);
	return 0;
}

static int parse_row(struct change_args *ca, const char *usage,
		     unsigned int *row)
{
	uint32_t r;

	if (ca->argc != 1)
		return pbctl_usage_err("%s", usage);
	if (text_parse_u32(ca->argv[0], strlen(ca->argv[0]), &r) || r < 1 ||
	    r > ALLOW_MAX_ENTRIES)
		return pbctl_usage_err("allow: '%s' is not an entry number (1..16)",
				 ca->argv[0]);
	*row = r;
	return 0;
}

static int cmd_row(struct change_args *ca, const char *op)
{
	static struct allow_state st;
	struct slots *l;
	unsigned int row = 0, k;
	char usage[96];
	int rc;

	snprintf(usage, sizeof(usage),
		 "usage: pbctl allow %s [--port N] ENTRY [--force]", op);
	rc = parse_row(ca, usage, &row);
	if (rc)
		return rc;
	if (load_state(&st))
		return 1;
	if (ca->port > st.nports) {
		fprintf(stderr, "pbctl: allow: this board has no port %u\n",
			ca->port);
		return 1;
	}
	l = pick_list(&st, ca->port);
	if (l->e[row - 1].family == ALLOW_NONE) {
		fprintf(stderr, "pbctl: allow %s: there is no entry %u\n", op,
			row);
		return 1;
	}
	if (!strcmp(op, "delete")) {
		/* keep the list packed: the ones after move up */
		for (k = row - 1; k + 1 < ALLOW_MAX_ENTRIES; k++)
			l->e[k] = l->e[k + 1];
		memset(&l->e[ALLOW_MAX_ENTRIES - 1], 0, sizeof(l->e[0]));
	} else {
		l->e[row - 1].enabled = !strcmp(op, "enable");
	}
	return send_slots(ca->port, l, row - 1, ca->force);
}

static int cmd_switch(struct change_args *ca, int on)
{
	if (ca->argc || ca->port)
		return pbctl_usage_err("%s",
				 "usage: pbctl allow on|off [--force]");
	return send_change(on ? "[allow]\nenabled = on\n" :
			   "[allow]\nenabled = off\n", ca->force);
}

int pbctl_cmd_allow(int argc, char **argv)
{
	struct change_args ca;
	const char *op;
	int rc;

	if (argc < 1 || !strcmp(argv[0], "show")) {
		if (argc > 2 || (argc == 2 && strcmp(argv[1], "--json")))
			return pbctl_usage_err("%s",
					 "usage: pbctl allow show [--json]");
		return cmd_show(argc == 2);
	}
	op = argv[0];
	rc = parse_change_args(argc - 1, argv + 1, &ca);
	if (rc)
		return rc;
	if (!strcmp(op, "on") || !strcmp(op, "off"))
		return cmd_switch(&ca, !strcmp(op, "on"));
	if (!strcmp(op, "add"))
		return cmd_add(&ca);
	if (!strcmp(op, "delete") || !strcmp(op, "enable") ||
	    !strcmp(op, "disable"))
		return cmd_row(&ca, op);
	return pbctl_usage_err("allow: unknown command '%s'", op);
}

void pbctl_usage_allow(FILE *f)
{
	fprintf(f,
		"\naccessible IP list (Documentation/allowlist.md):\n"
		"  allow show [--json]                      lists, hits, drops\n"
		"  allow on | off [--force]                 switch the list (admins)\n"
		"  allow add [--port N] ADDR[/MASK] [on|off] [--force]\n"
		"                                           add to the global list or port N's\n"
		"  allow delete|enable|disable [--port N] ENTRY [--force]\n"
		"  A change that would lock out your SSH address is refused unless --force.\n");
}
