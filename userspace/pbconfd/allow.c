// SPDX-License-Identifier: GPL-2.0
/*
 * The accessible IP list: pushing [allow] and [allow-port N] to
 * portbridge_allow.ko (Documentation/allowlist.md).  The kernel keeps
 * nothing across a reload, so we push the whole state at start and after
 * every change that touches it: the lists, the set of protected services
 * (derived from the consoles, services and port modes that are on) and
 * the switch, in an order that never lets a half-built list go live.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <linux/portbridge_allow.h>

#include "log.h"
#include "pbconfd.h"

static void allow_connect(struct pbconfd *d)
{
	struct nl_family fam;
	struct nl_err err;

	d->allow_family = 0;
	if (nl_resolve(&d->nl, PBA_GENL_NAME, NULL, &fam, &err)) {
		log_warn("accessible IP list: %s (is portbridge_allow.ko loaded?); running without it",
			 err.msg);
		return;
	}
	d->allow_family = fam.id;
}

static void put_entries(struct nl_msg *m, const struct pb_allow_entry *list)
{
	size_t nest = nl_nest_start(m, PBA_A_ENTRIES);
	unsigned int i, row = 0;

	for (i = 0; i < ALLOW_MAX_ENTRIES; i++) {
		const struct pb_allow_entry *e = &list[i];
		size_t el;

		if (e->family == ALLOW_NONE)
			continue;
		el = nl_nest_start(m, ++row);
		if (e->family == ALLOW_IPV4) {
			uint32_t mask = allow_netmask4(e->prefix);

			nl_put(m, PBA_E_ADDR4, e->addr, 4);
			nl_put(m, PBA_E_NETMASK4, &mask, 4);
		} else {
			nl_put(m, PBA_E_ADDR6, e->addr, 16);
			nl_put_u8(m, PBA_E_PREFIX6, e->prefix);
		}
		nl_put_u8(m, PBA_E_ENABLED, e->enabled);
		nl_nest_end(m, el);
	}
	nl_nest_end(m, nest);
}

/* The lockout guard: the SSH service of the session's address. */
static void put_guard(struct nl_msg *m, const uint8_t *guard)
{
	if (!guard)
		return;
	nl_put(m, PBA_A_GUARD_ADDR, guard, 16);
	nl_put_u8(m, PBA_A_GUARD_PROTO, IPPROTO_TCP);
	nl_put_u16(m, PBA_A_GUARD_PORT, ALLOW_GUARD_PORT);
}

static int send_msg(struct pbconfd *d, struct nl_msg *m, const char *what,
		    char *err, size_t errsize)
{
	struct nl_err nerr;
	int rc;

	if (m->overflow) {
		snprintf(err, errsize, "accessible IP list: %s: too large",
			 what);
		return -EMSGSIZE;
	}
	rc = nl_request(&d->nl, m, NULL, NULL, &nerr);
	if (rc)
		snprintf(err, errsize, "accessible IP list: %s: %s", what,
			 nerr.msg);
	return rc;
}

static int push_enabled(struct pbconfd *d, int on, const uint8_t *guard,
			char *err, size_t errsize)
{
	struct nl_msg m;

	nl_msg_init(&m, d->allow_family, NLM_F_REQUEST | NLM_F_ACK,
		    PBA_CMD_SET_ENABLED, PBA_GENL_VERSION);
	nl_put_u8(&m, PBA_A_ENABLED, on);
	put_guard(&m, guard);
	return send_msg(d, &m, on ? "switching on" : "switching off", err,
			errsize);
}

static int push_global(struct pbconfd *d, const struct pb_conf *c,
		       const uint8_t *guard, char *err, size_t errsize)
{
	struct nl_msg m;

	nl_msg_init(&m, d->allow_family, NLM_F_REQUEST | NLM_F_ACK,
		    PBA_CMD_SET_GLOBAL, PBA_GENL_VERSION);
	put_entries(&m, c->allow.entry);
	put_guard(&m, guard);
	return send_msg(d, &m, "global list", err, errsize);
}

static int push_port(struct pbconfd *d, const struct allow_service *svc,
		     const struct pb_allow_entry *list, const uint8_t *guard,
		     char *err, size_t errsize)
{
	static const struct pb_allow_entry none[ALLOW_MAX_ENTRIES];
	char what[48];
	struct nl_msg m;

	nl_msg_init(&m, d->allow_family, NLM_F_REQUEST | NLM_F_ACK,
		    PBA_CMD_SET_PORT, PBA_GENL_VERSION);
	nl_put_u8(&m, PBA_A_PROTO, svc->proto);
	nl_put_u16(&m, PBA_A_PORT, svc->port);
	put_entries(&m, list ? list : none);
	put_guard(&m, guard);
	snprintf(what, sizeof(what), "list of %s/%u",
		 svc->proto == IPPROTO_TCP ? "tcp" : "udp", svc->port);
	return send_msg(d, &m, what, err, errsize);
}

static int push_protected(struct pbconfd *d, const struct allow_service *svc,
			  unsigned int n, const uint8_t *guard, char *err,
			  size_t errsize)
{
	struct nl_msg m;
	size_t nest;
	unsigned int i;

	nl_msg_init(&m, d->allow_family, NLM_F_REQUEST | NLM_F_ACK,
		    PBA_CMD_SET_PROTECTED, PBA_GENL_VERSION);
	nest = nl_nest_start(&m, PBA_A_PROTECTED);
	for (i = 0; i < n; i++) {
		size_t el = nl_nest_start(&m, i + 1);

		nl_put_u8(&m, PBA_SVC_PROTO, svc[i].proto);
		nl_put_u16(&m, PBA_SVC_PORT, svc[i].port);
		nl_nest_end(&m, el);
	}
	nl_nest_end(&m, nest);
	put_guard(&m, guard);
	return send_msg(d, &m, "protected services", err, errsize);
}

static int service_in(const struct allow_service *svc, unsigned int n,
		      const struct allow_service *s)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (svc[i].proto == s->proto && svc[i].port == s->port)
			return 1;
	}
	return 0;
}

/*
 * Lists of services that are no longer protected are emptied, so the
 * kernel's table holds only what the configuration says.
 */
static int clear_stale(struct pbconfd *d, const struct allow_service *svc,
		       unsigned int n, char *err, size_t errsize)
{
	unsigned int i;
	int rc;

	for (i = 0; i < d->allow_npushed; i++) {
		if (service_in(svc, n, &d->allow_pushed[i]))
			continue;
		rc = push_port(d, &d->allow_pushed[i], NULL, NULL, err,
			       errsize);
		if (rc)
			return rc;
	}
	memcpy(d->allow_pushed, svc, n * sizeof(*svc));
	d->allow_npushed = n;
	return 0;
}

int allow_push(struct pbconfd *d, const struct pb_conf *c,
	       const uint8_t *guard, char *err, size_t errsize)
{
	struct allow_service svc[ALLOW_SERVICES_MAX];
	unsigned int n, i;
	int rc;

	if (!d->allow_family)
		return 0;
	/* Going off: first, so nothing in between can lock anyone out. */
	if (!c->allow.enabled) {
		rc = push_enabled(d, 0, NULL, err, errsize);
		if (rc)
			return rc;
		guard = NULL;	/* off: everything passes */
	}
	n = conf_allow_services(c, svc);
	rc = push_global(d, c, guard, err, errsize);
	for (i = 0; !rc && i < n; i++)
		rc = push_port(d, &svc[i],
			       svc[i].serial ?
			       c->allow_port[svc[i].serial - 1].entry : NULL,
			       guard, err, errsize);
	if (!rc)
		rc = clear_stale(d, svc, n, err, errsize);
	if (!rc)
		rc = push_protected(d, svc, n, guard, err, errsize);
	/* Going on: last, once every list is in place. */
	if (!rc && c->allow.enabled)
		rc = push_enabled(d, 1, guard, err, errsize);
	return rc;
}

/* 1 if the lists, the switch or the protected services differ. */
int allow_changed(const struct pb_conf *a, const struct pb_conf *b)
{
	struct allow_service sa[ALLOW_SERVICES_MAX], sb[ALLOW_SERVICES_MAX];
	unsigned int na = conf_allow_services(a, sa);
	unsigned int nb = conf_allow_services(b, sb);

	if (memcmp(&a->allow, &b->allow, sizeof(a->allow)) ||
	    memcmp(a->allow_port, b->allow_port, sizeof(a->allow_port)))
		return 1;
	return na != nb || memcmp(sa, sb, na * sizeof(sa[0]));
}

int allow_check_guard(const struct pb_conf *c, const struct ctl_request *req,
		      char *reply, size_t size)
{
	char addr[INET6_ADDRSTRLEN + 8];

	if (!req->guard || conf_allow_admits(c, req->guard_addr, IPPROTO_TCP,
					     ALLOW_GUARD_PORT))
		return 0;
	allow_addr_format(req->guard_addr, addr, sizeof(addr));
	snprintf(reply, size,
		 "error: refused: the change would lock out your address %s from SSH (tcp/%u); add it to the accessible IP list first, or repeat with --force",
		 addr, ALLOW_GUARD_PORT);
	return -1;
}

void allow_start(struct pbconfd *d)
{
	char err[320];

	allow_connect(d);
	if (!d->allow_family)
		return;
	if (allow_push(d, &d->conf, NULL, err, sizeof(err))) {
		log_err("%s", err);
		return;
	}
	if (d->conf.allow.enabled)
		log_info("accessible IP list on");
}

void allow_log_changes(const struct pb_conf *old, const struct pb_conf *new,
		       const struct ucred *cred)
{
	char who[64], from[ALLOW_TEXT_MAX], to[ALLOW_TEXT_MAX];
	unsigned int n, i;

	user_name(cred->uid, who, sizeof(who));
	for (n = 1; n <= new->nports; n++) {
		for (i = 0; i < ALLOW_MAX_ENTRIES; i++) {
			const struct pb_allow_entry *a =
				&old->allow_port[n - 1].entry[i];
			const struct pb_allow_entry *b =
				&new->allow_port[n - 1].entry[i];

			if (!memcmp(a, b, sizeof(*a)))
				continue;
			allow_entry_format(a, from, sizeof(from));
			allow_entry_format(b, to, sizeof(to));
			log_info("config: allow-port %u entry%u '%s' -> '%s' by %s (uid %u)",
				 n, i + 1, from, to, who,
				 (unsigned int)cred->uid);
		}
	}
}
