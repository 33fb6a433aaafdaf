// SPDX-License-Identifier: GPL-2.0
/*
 * The accessible IP list in the configuration: [allow] (the switch and the
 * global list) and [allow-port N] (serial port N's list).
 *
 *	[allow]
 *	enabled = on
 *	entry1 = 192.168.1.0/255.255.255.0 on
 *
 *	[allow-port 2]
 *	entry1 = fd50:3::/112 on
 *
 * A list is an array of 16 slots; pbctl keeps them packed from entry1 on,
 * a file may leave holes.  The rules are the kernel's (allow.c).  No I/O.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "conf_impl.h"

#define ALLOW_ENTRY(st, n)						\
	[CONF_ALLOW_ENTRY1 + (n) - 1] = {				\
		"entry" #n, offsetof(struct st, entry[(n) - 1]),	\
		CONF_ALLOW, 0, 0, NULL, 0, false }
#define PORT_ENTRY(n)							\
	[CONF_ALLOWP_ENTRY1 + (n) - 1] = {				\
		"entry" #n,						\
		offsetof(struct pb_allow_port_conf, entry[(n) - 1]),	\
		CONF_ALLOW, 0, 0, NULL, 0, false }

const struct conf_key conf_allow_keys[CONF_ALLOW_NKEYS] = {
	[CONF_ALLOW_ENABLED] = { "enabled", offsetof(struct pb_allow_conf,
						     enabled),
				 CONF_ENUM, 0, 1, conf_on_off, 0, false },
	ALLOW_ENTRY(pb_allow_conf, 1),  ALLOW_ENTRY(pb_allow_conf, 2),
	ALLOW_ENTRY(pb_allow_conf, 3),  ALLOW_ENTRY(pb_allow_conf, 4),
	ALLOW_ENTRY(pb_allow_conf, 5),  ALLOW_ENTRY(pb_allow_conf, 6),
	ALLOW_ENTRY(pb_allow_conf, 7),  ALLOW_ENTRY(pb_allow_conf, 8),
	ALLOW_ENTRY(pb_allow_conf, 9),  ALLOW_ENTRY(pb_allow_conf, 10),
	ALLOW_ENTRY(pb_allow_conf, 11), ALLOW_ENTRY(pb_allow_conf, 12),
	ALLOW_ENTRY(pb_allow_conf, 13), ALLOW_ENTRY(pb_allow_conf, 14),
	ALLOW_ENTRY(pb_allow_conf, 15), ALLOW_ENTRY(pb_allow_conf, 16),
};

const struct conf_key conf_allow_port_keys[CONF_ALLOWP_NKEYS] = {
	PORT_ENTRY(1),  PORT_ENTRY(2),  PORT_ENTRY(3),  PORT_ENTRY(4),
	PORT_ENTRY(5),  PORT_ENTRY(6),  PORT_ENTRY(7),  PORT_ENTRY(8),
	PORT_ENTRY(9),  PORT_ENTRY(10), PORT_ENTRY(11), PORT_ENTRY(12),
	PORT_ENTRY(13), PORT_ENTRY(14), PORT_ENTRY(15), PORT_ENTRY(16),
};

size_t conf_allow_offset(unsigned int index)
{
	(void)index;
	return offsetof(struct pb_conf, allow);
}

size_t conf_allow_port_offset(unsigned int index)
{
	return offsetof(struct pb_conf, allow_port) +
	       (index - 1) * sizeof(struct pb_allow_port_conf);
}

unsigned int conf_allow_port_count(const struct pb_conf *conf)
{
	return conf->nports;
}

int conf_parse_allow(const struct conf_key *key, const char *val, size_t len,
		     void *field, char *msg, size_t msgsize)
{
	struct pb_allow_entry e;
	char problem[CONF_ERR_MAX];

	if (allow_entry_parse(val, len, &e, problem, sizeof(problem))) {
		snprintf(msg, msgsize, "%s: %s", key->name, problem);
		return -1;
	}
	memcpy(field, &e, sizeof(e));
	return 0;
}

int conf_value_is_empty(const struct conf_key *key, const void *base)
{
	const struct pb_allow_entry *e;

	if (key->type != CONF_ALLOW)
		return 0;
	e = conf_key_field_const(key, base);
	return e->family == ALLOW_NONE;
}

/* An error at slot @slot of list @sec (instance @index). */
static int list_error(struct conf_error *err, int sec, unsigned int index,
		      unsigned int slot, const char *problem)
{
	int key = sec == CONF_SEC_ALLOW ? CONF_ALLOW_ENTRY1 + (int)slot :
		  CONF_ALLOWP_ENTRY1 + (int)slot;

	err->line = 0;
	err->port = index;
	err->key = key;
	err->section = sec;
	if (sec == CONF_SEC_ALLOW)
		snprintf(err->msg, sizeof(err->msg), "[allow] entry%u: %s",
			 slot + 1, problem);
	else
		snprintf(err->msg, sizeof(err->msg),
			 "[allow-port %u] entry%u: %s", index, slot + 1,
			 problem);
	return -1;
}

int conf_validate_allow(const struct pb_conf *conf, struct conf_error *err)
{
	char problem[CONF_ERR_MAX - 40];
	unsigned int n, bad;

	if (conf->allow.enabled > 1) {
		conf_set_section_error(err, CONF_SEC_ALLOW, CONF_ALLOW_ENABLED,
				       "enabled: must be on or off");
		return -1;
	}
	if (allow_list_check(conf->allow.entry, ALLOW_MAX_ENTRIES, &bad,
			     problem, sizeof(problem)))
		return list_error(err, CONF_SEC_ALLOW, 1, bad, problem);
	for (n = 1; n <= conf->nports; n++) {
		if (allow_list_check(conf->allow_port[n - 1].entry,
				     ALLOW_MAX_ENTRIES, &bad, problem,
				     sizeof(problem)))
			return list_error(err, CONF_SEC_ALLOW_PORT, n, bad,
					  problem);
	}
	return 0;
}

static unsigned int add_service(struct allow_service *out, unsigned int n,
				uint8_t proto, uint32_t port, unsigned int serial)
{
	unsigned int i;

	if (port == 0 || port > 65535)
		return n;
	for (i = 0; i < n; i++) {
		if (out[i].proto == proto && out[i].port == port)
			return n;
	}
	out[n].proto = proto;
	out[n].port = port;
	out[n].serial = serial;
	return n + 1;
}

/* The board's own services, on while their setting says so. */
static unsigned int board_services(const struct pb_conf *c,
				   struct allow_service *out)
{
	unsigned int n = 0;

	if (c->console.ssh)
		n = add_service(out, n, IPPROTO_TCP, 22, 0);
	if (c->console.telnet)
		n = add_service(out, n, IPPROTO_TCP, 23, 0);
	if (c->console.https) {
		n = add_service(out, n, IPPROTO_TCP, 443, 0);
		if (c->console.http_redirect)
			n = add_service(out, n, IPPROTO_TCP, 80, 0);
	}
	if (c->services.moxa) {
		n = add_service(out, n, IPPROTO_TCP, 4900, 0);
		n = add_service(out, n, IPPROTO_UDP, 4800, 0);
	}
	if (c->services.snmp)
		n = add_service(out, n, IPPROTO_UDP, 161, 0);
	if (c->services.mms)
		n = add_service(out, n, IPPROTO_TCP, 102, 0);
	return n;
}

unsigned int conf_allow_services(const struct pb_conf *c,
				 struct allow_service *out)
{
	unsigned int n = board_services(c, out), p;

	for (p = 1; p <= c->nports && p <= PB_MAX_PORTS; p++) {
		const struct pb_port_conf *pc = &c->port[p - 1];

		switch (pc->mode) {
		case PB_MODE_TCP_SERVER:
		case PB_MODE_RFC2217:
			n = add_service(out, n, IPPROTO_TCP, pc->local_port, p);
			break;
		case PB_MODE_UDP:
			n = add_service(out, n, IPPROTO_UDP, pc->local_port, p);
			break;
		case PB_MODE_REALCOM:
			n = add_service(out, n, IPPROTO_TCP, pc->local_port, p);
			n = add_service(out, n, IPPROTO_TCP, pc->cmd_port, p);
			break;
		default:	/* disabled, TCP client: nothing listens */
			break;
		}
	}
	return n;
}

int conf_allow_admits(const struct pb_conf *c, const uint8_t addr[16],
		      uint8_t proto, uint16_t port)
{
	struct allow_service svc[ALLOW_SERVICES_MAX];
	unsigned int n, i;

	if (!c->allow.enabled || allow_addr_is_local(addr))
		return 1;
	if (allow_list_matches(c->allow.entry, ALLOW_MAX_ENTRIES, addr))
		return 1;
	n = conf_allow_services(c, svc);
	for (i = 0; i < n; i++) {
		if (svc[i].proto != proto || svc[i].port != port)
			continue;
		if (!svc[i].serial)
			return 0;
		return allow_list_matches(c->allow_port[svc[i].serial - 1].entry,
					  ALLOW_MAX_ENTRIES, addr);
	}
	return 1;	/* not protected */
}
