// SPDX-License-Identifier: GPL-2.0
/*
 * The board's own settings: [system], [network], [time], [console],
 * [services], [password], [radius] and [messages].  Their key tables,
 * factory defaults, string and address values, and the rules between
 * them.  No I/O (inet_pton and inet_ntop only convert text).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "conf_impl.h"
#include "dest.h"
#include "text.h"

static const char *const reset_names[] = {
	[CONF_RESET_ALWAYS]	= "always",
	[CONF_RESET_FIRST_60S]	= "first-60s",
};

static const char *const net_mode_names[] = {
	[CONF_NET_STATIC]	= "static",
	[CONF_NET_DHCP]		= "dhcp",
};

static const char *const time_source_names[] = {
	[CONF_TIME_LOCAL]	= "local",
	[CONF_TIME_SNTP]	= "sntp",
};

static const char *const auth_names[] = {
	[CONF_AUTH_LOCAL]	= "local",
	[CONF_AUTH_RADIUS]	= "radius",
};

#define KEY(type, name, st, f, lo, hi, names, kind, secret) \
	{ name, offsetof(struct st, f), type, lo, hi, names, kind, secret }
#define NUM(st, name, f, lo, hi) \
	KEY(CONF_NUM, name, st, f, lo, hi, NULL, 0, false)
#define ENUM(st, name, f, n) \
	KEY(CONF_ENUM, name, st, f, 0, sizeof(n) / sizeof(n[0]) - 1, n, 0, \
	    false)
#define ONOFF(st, name, f)	ENUM(st, name, f, conf_on_off)
#define IPV4(st, name, f, required) \
	KEY(CONF_IPV4, name, st, f, required, 0, NULL, 0, false)
#define STR(st, name, f, lo, kind, secret) \
	KEY(CONF_STR, name, st, f, lo, sizeof(((struct st *)0)->f) - 1, \
	    NULL, kind, secret)

const struct conf_key conf_system_keys[CONF_SYS_NKEYS] = {
	[CONF_SYS_HOSTNAME] = STR(pb_system_conf, "hostname", hostname, 1,
				  CONF_STR_HOSTNAME, false),
	[CONF_SYS_RESET_BUTTON] = ENUM(pb_system_conf, "reset-button",
				       reset_button, reset_names),
};

const struct conf_key conf_network_keys[CONF_NET_NKEYS] = {
	[CONF_NET_MODE]	   = ENUM(pb_network_conf, "mode", mode,
				  net_mode_names),
	[CONF_NET_ADDRESS] = IPV4(pb_network_conf, "address", address, 1),
	[CONF_NET_NETMASK] = IPV4(pb_network_conf, "netmask", netmask, 1),
	[CONF_NET_GATEWAY] = IPV4(pb_network_conf, "gateway", gateway, 0),
	[CONF_NET_DNS1]	   = IPV4(pb_network_conf, "dns1", dns1, 0),
	[CONF_NET_DNS2]	   = IPV4(pb_network_conf, "dns2", dns2, 0),
};

const struct conf_key conf_time_keys[CONF_TIME_NKEYS] = {
	[CONF_TIME_SOURCE] = ENUM(pb_time_conf, "source", source,
				  time_source_names),
	[CONF_TIME_SERVER] = STR(pb_time_conf, "server", server, 0,
				 CONF_STR_HOST, false),
};

/* Limits: the hardening guide's (retry limit 1..10, locked time 1..60
 * min, auto logout 1..1440 min).
 */
const struct conf_key conf_console_keys[CONF_CON_NKEYS] = {
	[CONF_CON_SSH]		 = ONOFF(pb_console_conf, "ssh", ssh),
	[CONF_CON_SERIAL]	 = ONOFF(pb_console_conf, "serial", serial),
	[CONF_CON_TELNET]	 = ONOFF(pb_console_conf, "telnet", telnet),
	[CONF_CON_HTTPS]	 = ONOFF(pb_console_conf, "https", https),
	[CONF_CON_HTTP_REDIRECT] = ONOFF(pb_console_conf, "http-redirect",
					 http_redirect),
	[CONF_CON_REJECT_UNKNOWN_HOST] = ONOFF(pb_console_conf,
					       "reject-unknown-host",
					       reject_unknown_host),
	[CONF_CON_STRONG_CIPHERS] = ONOFF(pb_console_conf, "strong-ciphers",
					  strong_ciphers),
	[CONF_CON_AUTH_TYPE]	 = ENUM(pb_console_conf, "auth-type",
					auth_type, auth_names),
	[CONF_CON_TRY_NEXT]	 = ONOFF(pb_console_conf, "try-next",
					 try_next),
	[CONF_CON_AUTO_LOGOUT]	 = NUM(pb_console_conf, "auto-logout",
				       auto_logout, 1, 1440),
	[CONF_CON_LOCKOUT]	 = ONOFF(pb_console_conf, "lockout", lockout),
	[CONF_CON_RETRY_LIMIT]	 = NUM(pb_console_conf, "retry-limit",
				       retry_limit, 1, 10),
	[CONF_CON_LOCKED_TIME]	 = NUM(pb_console_conf, "locked-time",
				       locked_time, 1, 60),
};

const struct conf_key conf_services_keys[CONF_SVC_NKEYS] = {
	[CONF_SVC_MOXA] = ONOFF(pb_services_conf, "moxa", moxa),
	[CONF_SVC_SNMP] = ONOFF(pb_services_conf, "snmp", snmp),
	[CONF_SVC_MMS]	= ONOFF(pb_services_conf, "mms", mms),
};

const struct conf_key conf_password_keys[CONF_PW_NKEYS] = {
	[CONF_PW_MIN_LENGTH]	  = NUM(pb_password_conf, "min-length",
					min_length, 4, 64),
	[CONF_PW_NEED_DIGIT]	  = ONOFF(pb_password_conf, "need-digit",
					  need_digit),
	[CONF_PW_NEED_MIXED_CASE] = ONOFF(pb_password_conf, "need-mixed-case",
					  need_mixed_case),
	[CONF_PW_NEED_SPECIAL]	  = ONOFF(pb_password_conf, "need-special",
					  need_special),
	[CONF_PW_LIFETIME]	  = NUM(pb_password_conf, "lifetime",
					lifetime, 0, 3650),
};

const struct conf_key conf_radius_keys[CONF_RAD_NKEYS] = {
	[CONF_RAD_SERVER]  = STR(pb_radius_conf, "server", server, 0,
				 CONF_STR_HOST, false),
	[CONF_RAD_PORT]	   = NUM(pb_radius_conf, "port", port, 1, 65535),
	[CONF_RAD_TIMEOUT] = NUM(pb_radius_conf, "timeout", timeout, 1, 255),
	[CONF_RAD_SECRET]  = STR(pb_radius_conf, "secret", secret, 0,
				 CONF_STR_SECRET, true),
};

const struct conf_key conf_messages_keys[CONF_MSG_NKEYS] = {
	[CONF_MSG_LOGIN]   = STR(pb_messages_conf, "login", login, 0,
				 CONF_STR_TEXT, false),
	[CONF_MSG_FAILURE] = STR(pb_messages_conf, "failure", failure, 0,
				 CONF_STR_TEXT, false),
};

static uint32_t ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	return htonl((uint32_t)a << 24 | b << 16 | c << 8 | d);
}

/*
 * Factory defaults.  The network is the reference board's place behind
 * QEMU's user network, so a board out of the box is reachable; the
 * services of the hardening guide that this firmware does not need are
 * off (least functionality); lockout is on.  Password lifetime is off by
 * default: forced periodic changes make weaker passwords (NIST SP
 * 800-63B, 5.1.1.2); the first boot's password is changed at first login.
 */
void conf_system_defaults(struct pb_conf *conf)
{
	memset(&conf->system, 0, sizeof(conf->system));
	strcpy(conf->system.hostname, "portbridge");
	conf->system.reset_button = CONF_RESET_ALWAYS;

	conf->network = (struct pb_network_conf){
		.mode = CONF_NET_STATIC,
		.address = ipv4(10, 0, 2, 15),
		.netmask = ipv4(255, 255, 255, 0),
		.gateway = ipv4(10, 0, 2, 2),
		.dns1 = ipv4(10, 0, 2, 3),
	};
	memset(&conf->time, 0, sizeof(conf->time));
	conf->time.source = CONF_TIME_LOCAL;

	conf->console = (struct pb_console_conf){
		.ssh = 1,
		.serial = 1,
		.https = 1,
		.reject_unknown_host = 1,
		.strong_ciphers = 1,
		.auth_type = CONF_AUTH_LOCAL,
		.auto_logout = 5,
		.lockout = 1,
		.retry_limit = 5,
		.locked_time = 15,
	};
	memset(&conf->services, 0, sizeof(conf->services));
	conf->password = (struct pb_password_conf){
		.min_length = 8,
		.need_digit = 1,
		.need_mixed_case = 1,
	};
	memset(&conf->radius, 0, sizeof(conf->radius));
	conf->radius.port = 1812;
	conf->radius.timeout = 5;
	memset(&conf->messages, 0, sizeof(conf->messages));
}

/* ---- values ---- */

static int is_ipv4_text(const char *s, size_t len)
{
	char text[16];
	struct in_addr a;

	if (len >= sizeof(text))
		return 0;
	memcpy(text, s, len);
	text[len] = '\0';
	return inet_pton(AF_INET, text, &a) == 1;
}

static int text_ok(const struct conf_key *key, const char *s, size_t len)
{
	unsigned char lo = key->str_kind == CONF_STR_SECRET ? 0x21 : 0x20;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < lo || (unsigned char)s[i] > 0x7e)
			return 0;
	}
	return 1;
}

/* 0, or -1 and "key: problem" in @msg; @s need not be terminated. */
static int check_text(const struct conf_key *key, const char *s, size_t len,
		      char *msg, size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];

	if (len > key->max || len < key->min) {
		if (len == 0)
			snprintf(msg, msgsize, "%s: missing value", key->name);
		else
			snprintf(msg, msgsize,
				 "%s: %zu characters is too long (at most %u)",
				 key->name, len, key->max);
		return -1;
	}
	if (len == 0)
		return 0;
	text_quote(quoted, sizeof(quoted), s, len);
	switch (key->str_kind) {
	case CONF_STR_HOSTNAME:
		if (dest_host_name_ok(s, len))
			return 0;
		snprintf(msg, msgsize,
			 "%s: '%s' is not a host name (letters, digits, '-' and '.')",
			 key->name, quoted);
		return -1;
	case CONF_STR_HOST:
		if (is_ipv4_text(s, len) || dest_host_name_ok(s, len))
			return 0;
		snprintf(msg, msgsize,
			 "%s: '%s' is not a host name or IPv4 address",
			 key->name, quoted);
		return -1;
	default:
		if (text_ok(key, s, len))
			return 0;
		snprintf(msg, msgsize, "%s: only printable ASCII%s, please",
			 key->name,
			 key->str_kind == CONF_STR_SECRET ? " without blanks" :
							   "");
		return -1;
	}
}

int conf_parse_string(const struct conf_key *key, const char *val,
		      size_t len, char *field, char *msg, size_t msgsize)
{
	if (check_text(key, val, len, msg, msgsize))
		return -1;
	memset(field, 0, key->max + 1);
	memcpy(field, val, len);
	return 0;
}

int conf_check_string(const struct conf_key *key, const char *field,
		      char *msg, size_t msgsize)
{
	size_t len = strnlen(field, key->max + 1);

	if (len > key->max) {
		snprintf(msg, msgsize, "%s: not terminated", key->name);
		return -1;
	}
	return check_text(key, field, len, msg, msgsize);
}

int conf_parse_ipv4(const struct conf_key *key, const char *val, size_t len,
		    uint32_t *out, char *msg, size_t msgsize)
{
	char quoted[TEXT_QUOTE_MAX];
	char text[16];
	struct in_addr a;

	if (key->min == 0 && len == 4 && !memcmp(val, "none", 4)) {
		*out = 0;
		return 0;
	}
	if (len < sizeof(text)) {
		memcpy(text, val, len);
		text[len] = '\0';
		if (inet_pton(AF_INET, text, &a) == 1) {
			*out = a.s_addr;
			return 0;
		}
	}
	text_quote(quoted, sizeof(quoted), val, len);
	snprintf(msg, msgsize, "%s: '%s' is not an IPv4 address%s", key->name,
		 quoted, key->min ? "" : " or none");
	return -1;
}

void conf_format_ipv4(uint32_t addr, char *buf, size_t size)
{
	char text[INET_ADDRSTRLEN];
	struct in_addr a = { .s_addr = addr };

	if (!addr) {
		snprintf(buf, size, "none");
		return;
	}
	if (!inet_ntop(AF_INET, &a, text, sizeof(text)))
		snprintf(text, sizeof(text), "?");
	snprintf(buf, size, "%s", text);
}

/* ---- rules ---- */

/* Every value in range, however the configuration was made. */
static int check_value(int sec, int k, const void *base,
		       struct conf_error *err)
{
	const struct conf_key *key = &conf_sections[sec].keys[k];
	char problem[CONF_ERR_MAX];
	uint32_t v;

	switch (key->type) {
	case CONF_STR:
		if (!conf_check_string(key, conf_key_field_const(key, base),
				       problem, sizeof(problem)))
			return 0;
		conf_set_section_error(err, sec, k, "%s", problem);
		return -1;
	case CONF_IPV4:
		if (key->min == 0 || conf_key_number(key, base))
			return 0;
		conf_set_section_error(err, sec, k, "%s: missing value",
				       key->name);
		return -1;
	default:
		v = conf_key_number(key, base);
		if (v >= key->min && v <= key->max)
			return 0;
		conf_set_section_error(err, sec, k,
				       "%s: %u is out of range (%u..%u)",
				       key->name, v, key->min, key->max);
		return -1;
	}
}

static int check_values(const struct pb_conf *conf, struct conf_error *err)
{
	int sec;
	unsigned int k;

	for (sec = 0; sec < CONF_NSECTIONS; sec++) {
		const struct conf_section *s = &conf_sections[sec];
		const void *base;

		if (s->indexed)
			continue;
		base = (const char *)conf + s->offset(1);
		for (k = 0; k < s->nkeys; k++) {
			if (check_value(sec, k, base, err))
				return -1;
		}
	}
	return 0;
}

static uint32_t host_order(uint32_t a)
{
	return ntohl(a);
}

/* A netmask is ones then zeros, /1 .. /30 (a /31 or /32 has no hosts). */
static int netmask_ok(uint32_t mask)
{
	uint32_t m = host_order(mask);

	return m && !(~m & (~m + 1)) && !(m & 3) ? 1 : 0;
}

/* An address a host may have: not 0/8, loopback, multicast or above. */
static int unicast_ok(uint32_t addr)
{
	uint32_t a = host_order(addr);

	return (a >> 24) != 0 && (a >> 24) != 127 && a < 0xe0000000u;
}

static int addr_error(struct conf_error *err, int k, uint32_t addr,
		      const char *why)
{
	char text[INET_ADDRSTRLEN];

	conf_format_ipv4(addr, text, sizeof(text));
	conf_set_section_error(err, CONF_SEC_NETWORK, k, "%s: %s %s",
			       conf_network_keys[k].name, text, why);
	return -1;
}

static int check_network(const struct pb_network_conf *n,
			 struct conf_error *err)
{
	uint32_t mask = n->netmask, host, net;

	if (n->dns1 && !unicast_ok(n->dns1))
		return addr_error(err, CONF_NET_DNS1, n->dns1,
				  "is not a unicast address");
	if (n->dns2 && !unicast_ok(n->dns2))
		return addr_error(err, CONF_NET_DNS2, n->dns2,
				  "is not a unicast address");
	if (n->mode == CONF_NET_DHCP)
		return 0;	/* the address is the DHCP server's to give */
	if (!netmask_ok(mask))
		return addr_error(err, CONF_NET_NETMASK, mask,
				  "is not a netmask (/1 to /30)");
	if (!unicast_ok(n->address))
		return addr_error(err, CONF_NET_ADDRESS, n->address,
				  "is not a unicast address");
	host = n->address & ~mask;
	if (host == 0 || host == ~mask)
		return addr_error(err, CONF_NET_ADDRESS, n->address,
				  "is the network's own or broadcast address");
	if (!n->gateway)
		return 0;
	net = n->address & mask;
	if ((n->gateway & mask) != net || n->gateway == n->address ||
	    (n->gateway & ~mask) == 0 || (n->gateway & ~mask) == ~mask)
		return addr_error(err, CONF_NET_GATEWAY, n->gateway,
				  "is not another host of the board's subnet");
	return 0;
}

static int check_console(const struct pb_conf *conf, struct conf_error *err)
{
	const struct pb_console_conf *c = &conf->console;
	int radius = c->auth_type == CONF_AUTH_RADIUS || c->try_next;

	/* HTTPS does not exist yet: SSH or the serial console must stay. */
	if (!c->ssh && !c->serial) {
		conf_set_section_error(err, CONF_SEC_CONSOLE, CONF_CON_SSH,
				       "ssh and serial cannot both be off: that would lock every administrator out");
		return -1;
	}
	if (!radius)
		return 0;
	if (!conf->radius.server[0]) {
		conf_set_section_error(err, CONF_SEC_CONSOLE,
				       c->auth_type == CONF_AUTH_RADIUS ?
				       CONF_CON_AUTH_TYPE : CONF_CON_TRY_NEXT,
				       "%s: RADIUS needs [radius] server",
				       c->auth_type == CONF_AUTH_RADIUS ?
				       "auth-type" : "try-next");
		return -1;
	}
	if (!conf->radius.secret[0]) {
		conf_set_section_error(err, CONF_SEC_CONSOLE,
				       c->auth_type == CONF_AUTH_RADIUS ?
				       CONF_CON_AUTH_TYPE : CONF_CON_TRY_NEXT,
				       "%s: RADIUS needs [radius] secret",
				       c->auth_type == CONF_AUTH_RADIUS ?
				       "auth-type" : "try-next");
		return -1;
	}
	return 0;
}

int conf_validate_system(const struct pb_conf *conf, struct conf_error *err)
{
	if (check_values(conf, err) || check_network(&conf->network, err) ||
	    check_console(conf, err))
		return -1;
	if (conf->time.source == CONF_TIME_SNTP && !conf->time.server[0]) {
		conf_set_section_error(err, CONF_SEC_TIME, CONF_TIME_SOURCE,
				       "source: sntp needs a server");
		return -1;
	}
	return 0;
}
