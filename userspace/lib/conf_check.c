// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of a configuration: every value in range, then the rules
 * between values and between ports.  Every error names the port and the
 * key, so the file parser can point at the line that set it.  No I/O.
 */
#include <stdio.h>
#include <string.h>

#include "conf_impl.h"
#include "dest.h"
#include "text.h"

static int check_key(const struct conf_key *key, const void *base,
		     unsigned int n, int k, struct conf_error *err)
{
	uint32_t v = conf_key_number(key, base);
	char problem[CONF_ERR_MAX];

	switch (key->type) {
	case CONF_DEST:
		if (!dest_check(conf_key_field_const(key, base), problem,
				sizeof(problem)))
			return 0;
		conf_set_error(err, 0, n, k, "port %u: %s: %s", n, key->name,
			       problem);
		return -1;
	case CONF_DELIM:
		if (v == PB_DELIM_OFF)
			return 0;
		break;
	default:
		break;
	}
	if (v >= key->min && v <= key->max)
		return 0;
	conf_set_error(err, 0, n, k, "port %u: %s: %u is out of range (%u..%u)",
		       n, key->name, v, key->min, key->max);
	return -1;
}

static int validate_ranges(const struct pb_conf *conf, struct conf_error *err)
{
	const struct conf_section *sec = &conf_sections[SECTION_PORT];
	unsigned int n, k;

	for (n = 1; n <= conf->nports; n++) {
		for (k = 0; k < sec->nkeys; k++) {
			if (check_key(&sec->keys[k], &conf->port[n - 1], n, k,
				      err))
				return -1;
		}
	}
	return 0;
}

/* Destinations fill dest1, dest2, ... in order; tcp-client needs one and
 * takes no ranges.
 */
static int check_dests(const struct pb_port_conf *pc, unsigned int n,
		       struct conf_error *err)
{
	unsigned int i;

	for (i = 1; i < PB_MAX_DESTS; i++) {
		if (pc->dest[i].kind == CONF_DEST_NONE ||
		    pc->dest[i - 1].kind != CONF_DEST_NONE)
			continue;
		conf_set_error(err, 0, n, CONF_PORT_DEST1 + i,
			       "port %u: dest%u is set but dest%u is none (destinations fill in order)",
			       n, i + 1, i);
		return -1;
	}
	if (pc->mode != PB_MODE_TCP_CLIENT)
		return 0;
	if (pc->dest[0].kind == CONF_DEST_NONE) {
		conf_set_error(err, 0, n, CONF_PORT_MODE,
			       "port %u: mode: tcp-client needs a destination (dest1 host:port)",
			       n);
		return -1;
	}
	for (i = 0; i < PB_MAX_DESTS; i++) {
		if (pc->dest[i].kind != CONF_DEST_RANGE)
			continue;
		conf_set_error(err, 0, n, CONF_PORT_DEST1 + i,
			       "port %u: dest%u: an address range is for udp mode only",
			       n, i + 1);
		return -1;
	}
	return 0;
}

static void list_interfaces(uint32_t ifaces, char *buf, size_t size)
{
	struct textbuf tb;
	uint32_t i;

	textbuf_init(&tb, buf, size);
	for (i = 0; i < __PB_IF_MAX; i++) {
		if (ifaces & (1u << i))
			textbuf_printf(&tb, "%s%s", tb.len ? ", " : "",
				       conf_interface_name(i));
	}
}

/* The interface must be wired; RS-422/485 have no handshake lines. */
static int check_serial(const struct pb_conf *conf, unsigned int n,
			struct conf_error *err)
{
	const struct pb_port_conf *pc = &conf->port[n - 1];
	uint32_t wired = conf->ifaces[n - 1];
	char names[64];

	if (wired && !(wired & (1u << pc->interface))) {
		list_interfaces(wired, names, sizeof(names));
		conf_set_error(err, 0, n, CONF_PORT_INTERFACE,
			       "port %u: interface: %s is not wired on this board (%s)",
			       n, conf_interface_name(pc->interface), names);
		return -1;
	}
	if (pc->interface != PB_IF_RS232 &&
	    (pc->flow == PB_FLOW_RTSCTS || pc->flow == PB_FLOW_DTRDSR)) {
		conf_set_error(err, 0, n, CONF_PORT_FLOW,
			       "port %u: flow: %s needs interface rs232 (not %s)",
			       n, conf_flow_name(pc->flow),
			       conf_interface_name(pc->interface));
		return -1;
	}
	if (pc->delim2 != PB_DELIM_OFF && pc->delim1 == PB_DELIM_OFF) {
		conf_set_error(err, 0, n, CONF_PORT_DELIM2,
			       "port %u: delim2: 0x%02x needs delim1", n,
			       pc->delim2);
		return -1;
	}
	return 0;
}

/* A local port that serves something: its protocol, number and key. */
struct listener {
	int udp;
	uint32_t port;
	unsigned int n;
	int key;
};

/* Ports the board's own services listen on (TCP). */
static const struct {
	uint32_t port;
	const char *service;
} reserved_tcp[] = {
	{ 22, "SSH" },
	{ 443, "HTTPS" },
};

/* What port @n listens on in its mode: 0, 1 or 2 listeners. */
static unsigned int port_listeners(const struct pb_port_conf *pc,
				   unsigned int n, struct listener *l)
{
	switch (pc->mode) {
	case PB_MODE_TCP_SERVER:
	case PB_MODE_RFC2217:
		l[0] = (struct listener){ 0, pc->local_port, n,
					  CONF_PORT_LOCAL_PORT };
		return 1;
	case PB_MODE_REALCOM:
		l[0] = (struct listener){ 0, pc->local_port, n,
					  CONF_PORT_LOCAL_PORT };
		l[1] = (struct listener){ 0, pc->cmd_port, n,
					  CONF_PORT_CMD_PORT };
		return 2;
	case PB_MODE_UDP:
		l[0] = (struct listener){ 1, pc->local_port, n,
					  CONF_PORT_LOCAL_PORT };
		return 1;
	}
	return 0;	/* disabled; a TCP client listens on nothing */
}

static int check_reserved(const struct listener *l, struct conf_error *err)
{
	unsigned int i;

	if (l->udp)
		return 0;
	for (i = 0; i < sizeof(reserved_tcp) / sizeof(reserved_tcp[0]); i++) {
		if (l->port != reserved_tcp[i].port)
			continue;
		conf_set_error(err, 0, l->n, l->key,
			       "port %u: %s: %u is reserved for %s", l->n,
			       conf_port_key_name(l->key), l->port,
			       reserved_tcp[i].service);
		return -1;
	}
	return 0;
}

/* @a is a later port (or the same port's second listener) than @b. */
static int check_clash(const struct listener *a, const struct listener *b,
		       struct conf_error *err)
{
	if (a->udp != b->udp || a->port != b->port)
		return 0;
	if (a->n == b->n) {
		conf_set_error(err, 0, a->n, a->key,
			       "port %u: %s: %u is the same as %s", a->n,
			       conf_port_key_name(a->key), a->port,
			       conf_port_key_name(b->key));
		return -1;
	}
	if (a->key == b->key)
		conf_set_error(err, 0, a->n, a->key,
			       "port %u: %s: %u is already used by port %u",
			       a->n, conf_port_key_name(a->key), a->port, b->n);
	else
		conf_set_error(err, 0, a->n, a->key,
			       "port %u: %s: %u is already used by port %u (its %s)",
			       a->n, conf_port_key_name(a->key), a->port, b->n,
			       conf_port_key_name(b->key));
	return -1;
}

/*
 * Two listeners of enabled ports cannot share a protocol and number: TCP
 * (tcp-server, rfc2217, real-com data and command) and UDP are separate.
 */
static int validate_listeners(const struct pb_conf *conf,
			      struct conf_error *err)
{
	struct listener all[2 * PB_MAX_PORTS];
	unsigned int n, i, j, count = 0;

	for (n = 1; n <= conf->nports; n++)
		count += port_listeners(&conf->port[n - 1], n, all + count);
	for (i = 0; i < count; i++) {
		if (check_reserved(&all[i], err))
			return -1;
		for (j = 0; j < i; j++) {
			if (check_clash(&all[i], &all[j], err))
				return -1;
		}
	}
	return 0;
}

int conf_validate(const struct pb_conf *conf, struct conf_error *err)
{
	unsigned int n;

	if (conf->nports < 1 || conf->nports > PB_MAX_PORTS) {
		conf_set_error(err, 0, 0, -1,
			       "board has %u ports (1..%u supported)",
			       conf->nports, PB_MAX_PORTS);
		return -1;
	}
	if (validate_ranges(conf, err))
		return -1;
	for (n = 1; n <= conf->nports; n++) {
		if (check_dests(&conf->port[n - 1], n, err) ||
		    check_serial(conf, n, err))
			return -1;
	}
	if (validate_listeners(conf, err) || conf_validate_allow(conf, err))
		return -1;
	return conf_validate_system(conf, err);
}
