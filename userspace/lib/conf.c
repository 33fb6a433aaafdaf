// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration model: keys, defaults and values.  The rules between
 * values are in conf_check.c, the text format in conf_file.c.  No I/O.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf_impl.h"
#include "dest.h"
#include "text.h"

_Static_assert(CONF_PORT_DEST4 - CONF_PORT_DEST1 + 1 == PB_MAX_DESTS,
	       "one key per destination");

static const char *const mode_names[] = {
	[PB_MODE_DISABLED]	= "disabled",
	[PB_MODE_TCP_SERVER]	= "tcp-server",
	[PB_MODE_TCP_CLIENT]	= "tcp-client",
	[PB_MODE_UDP]		= "udp",
	[PB_MODE_RFC2217]	= "rfc2217",
	[PB_MODE_REALCOM]	= "real-com",
};

static const char *const parity_names[] = {
	[PB_PARITY_NONE]	= "none",
	[PB_PARITY_ODD]		= "odd",
	[PB_PARITY_EVEN]	= "even",
	[PB_PARITY_MARK]	= "mark",
	[PB_PARITY_SPACE]	= "space",
};

static const char *const flow_names[] = {
	[PB_FLOW_NONE]		= "none",
	[PB_FLOW_RTSCTS]	= "rts-cts",
	[PB_FLOW_XONXOFF]	= "xon-xoff",
	[PB_FLOW_DTRDSR]	= "dtr-dsr",
};

static const char *const connect_names[] = {
	[PB_CONNECT_STARTUP]	= "startup",
	[PB_CONNECT_ANY_CHAR]	= "any-char",
};

static const char *const delim_process_names[] = {
	[PB_DELIM_NOTHING]	= "nothing",
	[PB_DELIM_PLUS1]	= "plus1",
	[PB_DELIM_PLUS2]	= "plus2",
	[PB_DELIM_STRIP]	= "strip",
};

static const char *const interface_names[] = {
	[PB_IF_RS232]		= "rs232",
	[PB_IF_RS422]		= "rs422",
	[PB_IF_RS485_2W]	= "rs485-2w",
	[PB_IF_RS485_4W]	= "rs485-4w",
};

static const char *const yes_no[] = { "no", "yes" };
const char *const conf_on_off[2] = { "off", "on" };
#define on_off conf_on_off

#define PORT_FIELD(f)	offsetof(struct pb_port_conf, f)
#define NUM(name, f, lo, hi) \
	{ name, PORT_FIELD(f), CONF_NUM, lo, hi, NULL, 0, false }
#define ENUM(name, f, n) \
	{ name, PORT_FIELD(f), CONF_ENUM, 0, \
	  sizeof(n) / sizeof(n[0]) - 1, n, 0, false }
#define DELIM(name, f) \
	{ name, PORT_FIELD(f), CONF_DELIM, 0, 255, NULL, 0, false }
#define DEST(name, i) \
	{ name, PORT_FIELD(dest[i]), CONF_DEST, 0, 0, NULL, 0, false }

/*
 * Limits: the kernel's (TCP keepalive: MAX_TCP_KEEPIDLE, _KEEPINTVL and
 * _KEEPCNT), the NPort's (packing length 0..1024, force transmit
 * 0..65535 ms), or a day for the millisecond timeouts, as portbridge.ko.
 */
static const struct conf_key port_keys[CONF_PORT_NKEYS] = {
	[CONF_PORT_MODE]	  = ENUM("mode", mode, mode_names),
	[CONF_PORT_LOCAL_PORT]	  = NUM("local-port", local_port, 1, 65535),
	[CONF_PORT_BAUD]	  = NUM("baud", baud, 50, 921600),
	[CONF_PORT_DATA_BITS]	  = NUM("data-bits", data_bits, 5, 8),
	[CONF_PORT_PARITY]	  = ENUM("parity", parity, parity_names),
	[CONF_PORT_STOP_BITS]	  = NUM("stop-bits", stop_bits, 1, 2),
	[CONF_PORT_FLOW]	  = ENUM("flow", flow, flow_names),
	[CONF_PORT_MAX_CONNS]	  = NUM("max-connections", max_conns, 1,
					PB_MAX_CONNS),
	[CONF_PORT_CMD_PORT]	  = NUM("cmd-port", cmd_port, 1, 65535),
	[CONF_PORT_INACTIVITY_MS] = NUM("inactivity-ms", inactivity_ms, 0,
					86400000),
	[CONF_PORT_ALIVE_IDLE]	  = NUM("alive-idle", alive_idle, 0, 32767),
	[CONF_PORT_ALIVE_INTVL]	  = NUM("alive-interval", alive_intvl, 1,
					32767),
	[CONF_PORT_ALIVE_CNT]	  = NUM("alive-count", alive_cnt, 1, 127),
	[CONF_PORT_IGNORE_JAMMED] = ENUM("ignore-jammed", ignore_jammed,
					 yes_no),
	[CONF_PORT_JAMMED_MS]	  = NUM("jammed-ms", jammed_ms, 0, 86400000),
	[CONF_PORT_CONNECT_ON]	  = ENUM("connect-on", connect_on,
					 connect_names),
	[CONF_PORT_DEST1]	  = DEST("dest1", 0),
	[CONF_PORT_DEST2]	  = DEST("dest2", 1),
	[CONF_PORT_DEST3]	  = DEST("dest3", 2),
	[CONF_PORT_DEST4]	  = DEST("dest4", 3),
	[CONF_PORT_PACK_LEN]	  = NUM("packing-length", pack_len, 0, 1024),
	[CONF_PORT_DELIM1]	  = DELIM("delim1", delim1),
	[CONF_PORT_DELIM2]	  = DELIM("delim2", delim2),
	[CONF_PORT_DELIM_PROCESS] = ENUM("delim-process", delim_process,
					 delim_process_names),
	[CONF_PORT_FORCE_TX_MS]	  = NUM("force-tx-ms", force_tx_ms, 0, 65535),
	[CONF_PORT_FIFO]	  = ENUM("fifo", fifo, on_off),
	[CONF_PORT_INTERFACE]	  = ENUM("interface", interface,
					 interface_names),
	[CONF_PORT_DTR]		  = ENUM("dtr", dtr, on_off),
	[CONF_PORT_RTS]		  = ENUM("rts", rts, on_off),
};

static unsigned int port_count(const struct pb_conf *conf)
{
	return conf->nports;
}

static size_t port_offset(unsigned int index)
{
	return offsetof(struct pb_conf, port) +
	       (index - 1) * sizeof(struct pb_port_conf);
}

#define PLAIN_OFFSET(fn, member)				\
static size_t fn(unsigned int index)				\
{								\
	(void)index;						\
	return offsetof(struct pb_conf, member);		\
}

PLAIN_OFFSET(system_offset, system)
PLAIN_OFFSET(network_offset, network)
PLAIN_OFFSET(time_offset, time)
PLAIN_OFFSET(console_offset, console)
PLAIN_OFFSET(services_offset, services)
PLAIN_OFFSET(password_offset, password)
PLAIN_OFFSET(radius_offset, radius)
PLAIN_OFFSET(messages_offset, messages)

#define PLAIN(name, keys, n, fn)	{ name, false, keys, n, NULL, fn }

const struct conf_section conf_sections[NSECTIONS] = {
	[SECTION_PORT] = { "port", true, port_keys, CONF_PORT_NKEYS,
			   port_count, port_offset },
	[CONF_SEC_SYSTEM] = PLAIN("system", conf_system_keys, CONF_SYS_NKEYS,
				  system_offset),
	[CONF_SEC_NETWORK] = PLAIN("network", conf_network_keys,
				   CONF_NET_NKEYS, network_offset),
	[CONF_SEC_TIME] = PLAIN("time", conf_time_keys, CONF_TIME_NKEYS,
				time_offset),
	[CONF_SEC_CONSOLE] = PLAIN("console", conf_console_keys,
				   CONF_CON_NKEYS, console_offset),
	[CONF_SEC_SERVICES] = PLAIN("services", conf_services_keys,
				    CONF_SVC_NKEYS, services_offset),
	[CONF_SEC_PASSWORD] = PLAIN("password", conf_password_keys,
				    CONF_PW_NKEYS, password_offset),
	[CONF_SEC_RADIUS] = PLAIN("radius", conf_radius_keys, CONF_RAD_NKEYS,
				  radius_offset),
	[CONF_SEC_MESSAGES] = PLAIN("messages", conf_messages_keys,
				    CONF_MSG_NKEYS, messages_offset),
	[CONF_SEC_ALLOW] = PLAIN("allow", conf_allow_keys, CONF_ALLOW_NKEYS,
				 conf_allow_offset),
	[CONF_SEC_ALLOW_PORT] = { "allow-port", true, conf_allow_port_keys,
				  CONF_ALLOWP_NKEYS, conf_allow_port_count,
				  conf_allow_port_offset },
	[CONF_SEC_LOG] = PLAIN("log", conf_log_keys, CONF_LOG_NKEYS,
			       conf_log_offset),
};

void *conf_key_field(const struct conf_key *key, void *base)
{
	return (char *)base + key->offset;
}

const void *conf_key_field_const(const struct conf_key *key,
				 const void *base)
{
	return (const char *)base + key->offset;
}

size_t conf_key_size(const struct conf_key *key)
{
	switch (key->type) {
	case CONF_DEST:
		return sizeof(struct pb_dest_conf);
	case CONF_STR:
		return key->max + 1;
	case CONF_ALLOW:
		return sizeof(struct pb_allow_entry);
	default:
		return sizeof(uint32_t);
	}
}

#define key_size conf_key_size

/* The value of a numeric key (0 for a destination or a string). */
uint32_t conf_key_number(const struct conf_key *key, const void *base)
{
	uint32_t v;

	if (key->type == CONF_DEST || key->type == CONF_STR ||
	    key->type == CONF_ALLOW)
		return 0;
	memcpy(&v, conf_key_field_const(key, base), sizeof(v));
	return v;
}

static const char *enum_name(const char *const *names, uint32_t n,
			     uint32_t val)
{
	return val < n ? names[val] : "?";
}

const char *conf_mode_name(uint32_t mode)
{
	return enum_name(mode_names, __PB_MODE_MAX, mode);
}

const char *conf_parity_name(uint32_t parity)
{
	return enum_name(parity_names, __PB_PARITY_MAX, parity);
}

const char *conf_flow_name(uint32_t flow)
{
	return enum_name(flow_names, __PB_FLOW_MAX, flow);
}

const char *conf_interface_name(uint32_t interface)
{
	return enum_name(interface_names, __PB_IF_MAX, interface);
}

/* Moxa's Real COM driver numbers ports 17..32 after the command ports of
 * 1..16, so their data and command ports start 16 higher.
 */
static uint32_t realcom_base(unsigned int n)
{
	return n <= 16 ? 0 : 16;
}

uint32_t conf_default_local_port(uint32_t mode, unsigned int n)
{
	if (mode == PB_MODE_REALCOM)
		return 950 + realcom_base(n) + n - 1;
	return 4000 + n;
}

uint32_t conf_default_cmd_port(unsigned int n)
{
	return 966 + realcom_base(n) + n - 1;
}

void conf_port_defaults(struct pb_port_conf *pc, unsigned int n)
{
	memset(pc, 0, sizeof(*pc));
	pc->mode = PB_MODE_TCP_SERVER;
	pc->local_port = conf_default_local_port(pc->mode, n);
	pc->baud = 115200;
	pc->data_bits = 8;
	pc->parity = PB_PARITY_NONE;
	pc->stop_bits = 1;
	pc->flow = PB_FLOW_NONE;
	pc->max_conns = 1;
	pc->cmd_port = conf_default_cmd_port(n);
	pc->inactivity_ms = 0;
	pc->alive_idle = 10;
	pc->alive_intvl = 5;
	pc->alive_cnt = 3;
	pc->ignore_jammed = 0;
	pc->jammed_ms = 10000;
	pc->connect_on = PB_CONNECT_STARTUP;
	pc->pack_len = 0;
	pc->delim1 = PB_DELIM_OFF;
	pc->delim2 = PB_DELIM_OFF;
	pc->delim_process = PB_DELIM_NOTHING;
	pc->force_tx_ms = 0;
	pc->fifo = 1;
	pc->interface = PB_IF_RS232;
	pc->dtr = 1;
	pc->rts = 1;
}

void conf_init_defaults(struct pb_conf *conf, unsigned int nports)
{
	unsigned int i;

	memset(conf, 0, sizeof(*conf));
	conf->nports = nports;
	for (i = 0; i < PB_MAX_PORTS; i++)
		conf_port_defaults(&conf->port[i], i + 1);
	conf_system_defaults(conf);
	conf_log_defaults(conf);
}

void conf_follow_mode(struct pb_port_conf *pc, const struct pb_port_conf *old,
		      unsigned int n)
{
	if (pc->mode == old->mode ||
	    old->local_port != conf_default_local_port(old->mode, n))
		return;
	pc->local_port = conf_default_local_port(pc->mode, n);
}

void conf_set_interfaces(struct pb_conf *conf, unsigned int n,
			 uint32_t ifaces)
{
	struct pb_port_conf *pc = &conf->port[n - 1];
	uint32_t i;

	ifaces &= (1u << __PB_IF_MAX) - 1;
	conf->ifaces[n - 1] = ifaces;
	if (!ifaces || (ifaces & (1u << pc->interface)))
		return;
	for (i = 0; !(ifaces & (1u << i)); i++)
		;
	pc->interface = i;
}

int conf_find_key(const struct conf_section *sec, const char *name,
		  size_t len)
{
	unsigned int i;

	for (i = 0; i < sec->nkeys; i++) {
		if (strlen(sec->keys[i].name) == len &&
		    !memcmp(sec->keys[i].name, name, len))
			return i;
	}
	return -1;
}

int conf_port_key_find(const char *name, size_t len)
{
	return conf_find_key(&conf_sections[SECTION_PORT], name, len);
}

static int port_key_ok(int key)
{
	return key >= 0 && key < CONF_PORT_NKEYS;
}

const char *conf_port_key_name(int key)
{
	return port_key_ok(key) ? port_keys[key].name : "?";
}

int conf_port_key_is_number(int key)
{
	return port_key_ok(key) && port_keys[key].type == CONF_NUM;
}

uint32_t conf_port_get(const struct pb_port_conf *pc, int key)
{
	return port_key_ok(key) ? conf_key_number(&port_keys[key], pc) : 0;
}

void conf_port_set(struct pb_port_conf *pc, int key, uint32_t val)
{
	if (port_key_ok(key) && port_keys[key].type != CONF_DEST &&
	    port_keys[key].type != CONF_STR)
		memcpy(conf_key_field(&port_keys[key], pc), &val, sizeof(val));
}

int conf_port_value_equal(int key, const struct pb_port_conf *a,
			  const struct pb_port_conf *b)
{
	const struct conf_key *k;

	if (!port_key_ok(key))
		return 1;
	k = &port_keys[key];
	return !memcmp(conf_key_field_const(k, a), conf_key_field_const(k, b),
		       key_size(k));
}

void conf_port_value_copy(int key, struct pb_port_conf *dst,
			  const struct pb_port_conf *src)
{
	const struct conf_key *k;

	if (!port_key_ok(key))
		return;
	k = &port_keys[key];
	memcpy(conf_key_field(k, dst), conf_key_field_const(k, src),
	       key_size(k));
}

void conf_dest_format(const struct pb_dest_conf *d, char *buf, size_t size)
{
	dest_format(d, buf, size);
}

static void list_names(const struct conf_key *key, char *buf, size_t size)
{
	struct textbuf tb;
	uint32_t v;

	textbuf_init(&tb, buf, size);
	for (v = key->min; v <= key->max; v++)
		textbuf_printf(&tb, "%s%s", v > key->min ? ", " : "",
			       key->names[v]);
}

static int parse_enum(const struct conf_key *key, const char *val,
		      size_t len, uint32_t *out, char *msg, size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];
	char names[128];
	uint32_t v;

	for (v = key->min; v <= key->max; v++) {
		if (strlen(key->names[v]) == len &&
		    !memcmp(key->names[v], val, len)) {
			*out = v;
			return 0;
		}
	}
	text_quote(quoted, sizeof(quoted), val, len);
	list_names(key, names, sizeof(names));
	snprintf(msg, msgsize, "%s: '%s' is not one of %s", key->name,
		 quoted, names);
	return -1;
}

static int parse_number(const struct conf_key *key, const char *val,
			size_t len, uint32_t *out, char *msg, size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];
	uint32_t v;
	int rc;

	text_quote(quoted, sizeof(quoted), val, len);
	rc = text_parse_u32(val, len, &v);
	if (rc == -1) {
		snprintf(msg, msgsize, "%s: '%s' is not a number", key->name,
			 quoted);
		return -1;
	}
	if (rc == -2 || v < key->min || v > key->max) {
		snprintf(msg, msgsize, "%s: %s is out of range (%u..%u)",
			 key->name, quoted, key->min, key->max);
		return -1;
	}
	*out = v;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int delim_not_a_byte(const struct conf_key *key, const char *val,
			    size_t len, char *msg, size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];

	text_quote(quoted, sizeof(quoted), val, len);
	snprintf(msg, msgsize,
		 "%s: '%s' is not a byte (0x00..0xff or 0..255) or off",
		 key->name, quoted);
	return -1;
}

/* "off", "0x0d" or "13". */
static int parse_delim(const struct conf_key *key, const char *val,
		       size_t len, uint32_t *out, char *msg, size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];
	uint32_t v = 0;
	size_t i;
	int rc, d;

	if (len == 3 && !memcmp(val, "off", 3)) {
		*out = PB_DELIM_OFF;
		return 0;
	}
	if (len > 2 && val[0] == '0' && val[1] == 'x') {
		for (i = 2; i < len; i++) {
			d = hex_digit(val[i]);
			if (d < 0)
				return delim_not_a_byte(key, val, len, msg,
							msgsize);
			v = v < 0x100 ? v * 16 + d : v;
		}
		rc = 0;
	} else {
		rc = text_parse_u32(val, len, &v);
		if (rc == -1)
			return delim_not_a_byte(key, val, len, msg, msgsize);
	}
	if (rc || v > 255) {
		text_quote(quoted, sizeof(quoted), val, len);
		snprintf(msg, msgsize, "%s: %s is out of range (0..255)",
			 key->name, quoted);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_dest_value(const struct conf_key *key, const char *val,
			    size_t len, struct pb_dest_conf *out, char *msg,
			    size_t msgsize)
{
	char problem[CONF_ERR_MAX];
	struct pb_dest_conf d;

	if (dest_parse(val, len, &d, problem, sizeof(problem))) {
		snprintf(msg, msgsize, "%s: %s", key->name, problem);
		return -1;
	}
	*out = d;
	return 0;
}

int conf_parse_value(const struct conf_key *key, const char *val,
		     size_t len, void *field, char *msg, size_t msgsize)
{
	uint32_t v;
	int rc;

	if (len == 0 && !(key->type == CONF_STR && key->min == 0)) {
		snprintf(msg, msgsize, "%s: missing value", key->name);
		return -1;
	}
	switch (key->type) {
	case CONF_DEST:
		return parse_dest_value(key, val, len, field, msg, msgsize);
	case CONF_STR:
		return conf_parse_string(key, val, len, field, msg, msgsize);
	case CONF_ALLOW:
		return conf_parse_allow(key, val, len, field, msg, msgsize);
	case CONF_IPV4:
		rc = conf_parse_ipv4(key, val, len, &v, msg, msgsize);
		break;
	case CONF_ENUM:
		rc = parse_enum(key, val, len, &v, msg, msgsize);
		break;
	case CONF_DELIM:
		rc = parse_delim(key, val, len, &v, msg, msgsize);
		break;
	default:
		rc = parse_number(key, val, len, &v, msg, msgsize);
		break;
	}
	if (rc == 0)
		memcpy(field, &v, sizeof(v));
	return rc;
}

int conf_port_value_parse(int key, const char *val, size_t len,
			  struct pb_port_conf *pc, char *msg, size_t msgsize)
{
	if (!port_key_ok(key)) {
		snprintf(msg, msgsize, "no such key");
		return -1;
	}
	return conf_parse_value(&port_keys[key], val, len,
				conf_key_field(&port_keys[key], pc), msg,
				msgsize);
}

void conf_format_value(const struct conf_key *key, const void *base,
		       char *buf, size_t size)
{
	uint32_t val = conf_key_number(key, base);

	switch (key->type) {
	case CONF_DEST:
		dest_format(conf_key_field_const(key, base), buf, size);
		return;
	case CONF_STR:
		snprintf(buf, size, "%.*s", (int)key->max,
			 (const char *)conf_key_field_const(key, base));
		return;
	case CONF_IPV4:
		conf_format_ipv4(val, buf, size);
		return;
	case CONF_ALLOW:
		allow_entry_format(conf_key_field_const(key, base), buf, size);
		return;
	case CONF_DELIM:
		if (val == PB_DELIM_OFF)
			snprintf(buf, size, "off");
		else
			snprintf(buf, size, "0x%02x", val);
		return;
	case CONF_ENUM:
		if (val <= key->max) {
			snprintf(buf, size, "%s", key->names[val]);
			return;
		}
		break;
	default:
		break;
	}
	snprintf(buf, size, "%u", val);
}

void conf_port_value_format(int key, const struct pb_port_conf *pc,
			    char *buf, size_t size)
{
	if (!port_key_ok(key)) {
		snprintf(buf, size, "?");
		return;
	}
	conf_format_value(&port_keys[key], pc, buf, size);
}

void conf_set_error(struct conf_error *err, unsigned int line,
		    unsigned int port, int key, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->port = port;
	err->key = key;
	err->section = SECTION_PORT;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void conf_set_section_error(struct conf_error *err, int sec, int key,
			    const char *fmt, ...)
{
	va_list ap;

	err->line = 0;
	err->port = 1;
	err->key = key;
	err->section = sec;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* ---- any section, by number ---- */

static const struct conf_section *section_get(int sec)
{
	return sec >= 0 && sec < NSECTIONS ? &conf_sections[sec] : NULL;
}

static const struct conf_key *section_key(int sec, int key)
{
	const struct conf_section *s = section_get(sec);

	if (!s || key < 0 || (unsigned int)key >= s->nkeys)
		return NULL;
	return &s->keys[key];
}

int conf_section_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NSECTIONS; i++) {
		if (strlen(conf_sections[i].name) == len &&
		    !memcmp(conf_sections[i].name, name, len))
			return i;
	}
	return -1;
}

const char *conf_section_name(int sec)
{
	const struct conf_section *s = section_get(sec);

	return s ? s->name : "?";
}

int conf_section_indexed(int sec)
{
	const struct conf_section *s = section_get(sec);

	return s && s->indexed;
}

unsigned int conf_section_nkeys(int sec)
{
	const struct conf_section *s = section_get(sec);

	return s ? s->nkeys : 0;
}

int conf_section_key_find(int sec, const char *name, size_t len)
{
	const struct conf_section *s = section_get(sec);

	return s ? conf_find_key(s, name, len) : -1;
}

const char *conf_section_key_name(int sec, int key)
{
	const struct conf_key *k = section_key(sec, key);

	return k ? k->name : "?";
}

int conf_section_key_is_number(int sec, int key)
{
	const struct conf_key *k = section_key(sec, key);

	return k && k->type == CONF_NUM;
}

int conf_section_key_is_secret(int sec, int key)
{
	const struct conf_key *k = section_key(sec, key);

	return k && k->secret;
}

static const void *instance(const struct pb_conf *conf, int sec,
			    unsigned int index)
{
	const struct conf_section *s = &conf_sections[sec];

	if (s->indexed && (index < 1 || index > s->count(conf)))
		return NULL;
	return (const char *)conf + s->offset(s->indexed ? index : 1);
}

void conf_section_value_format(const struct pb_conf *conf, int sec,
			       unsigned int index, int key, char *buf,
			       size_t size)
{
	const struct conf_key *k = section_key(sec, key);
	const void *base = k ? instance(conf, sec, index) : NULL;

	if (!base) {
		snprintf(buf, size, "?");
		return;
	}
	conf_format_value(k, base, buf, size);
}

int conf_section_value_equal(const struct pb_conf *a, const struct pb_conf *b,
			     int sec, unsigned int index, int key)
{
	const struct conf_key *k = section_key(sec, key);
	const void *ba, *bb;

	if (!k)
		return 1;
	ba = instance(a, sec, index);
	bb = instance(b, sec, index);
	if (!ba || !bb)
		return ba == bb;
	return !memcmp(conf_key_field_const(k, ba),
		       conf_key_field_const(k, bb), key_size(k));
}

void conf_error_format(const struct conf_error *err, char *buf, size_t size)
{
	if (err->line)
		snprintf(buf, size, "line %u: %s", err->line, err->msg);
	else
		snprintf(buf, size, "%s", err->msg);
}
