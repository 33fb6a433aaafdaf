// SPDX-License-Identifier: GPL-2.0
/*
 * The event log's settings: [log] (Documentation/eventlog.md).
 *
 *	[log]
 *	overflow = overwrite
 *	system-local = on
 *	...
 *	opmode-remote = on
 *	syslog1 = 192.168.1.10
 *	syslog1-port = 514
 *	syslog1-facility = local5
 *	syslog1-format = rfc5424
 *
 * Every value is range-checked by the generic rules (conf_system.c); a
 * server with an empty host is off.  No I/O.
 */
#include <stddef.h>
#include <string.h>

#include "conf_impl.h"

static const char *const overflow_names[] = {
	[CONF_LOG_OVERWRITE]	= "overwrite",
	[CONF_LOG_STOP]		= "stop",
};

static const char *const format_names[] = {
	[CONF_LOG_RFC5424]	= "rfc5424",
	[CONF_LOG_RFC3164]	= "rfc3164",
};

/* syslog facilities, by number (RFC 5424, 6.2.1) */
static const char *const facility_names[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7",
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))
#define LOG_FIELD(f)	offsetof(struct pb_log_conf, f)
#define ONOFF_KEY(name, f) \
	{ name, LOG_FIELD(f), CONF_ENUM, 0, 1, conf_on_off, 0, false }
#define CATEGORY(i, cat)						\
	[CONF_LOG_LOCAL1 + (i)] = ONOFF_KEY(cat "-local", local[i]),	\
	[CONF_LOG_REMOTE1 + (i)] = ONOFF_KEY(cat "-remote", remote[i])
#define SERVER(i, n)							\
	[CONF_LOG_SERVER1 + 4 * (i)] = {				\
		"syslog" #n, LOG_FIELD(server[i].host), CONF_STR, 0,	\
		CONF_HOST_MAX - 1, NULL, CONF_STR_HOST, false },	\
	[CONF_LOG_SERVER1 + 4 * (i) + 1] = {				\
		"syslog" #n "-port", LOG_FIELD(server[i].port), CONF_NUM, \
		1, 65535, NULL, 0, false },				\
	[CONF_LOG_SERVER1 + 4 * (i) + 2] = {				\
		"syslog" #n "-facility", LOG_FIELD(server[i].facility),	\
		CONF_ENUM, 0, N(facility_names) - 1, facility_names, 0,	\
		false },						\
	[CONF_LOG_SERVER1 + 4 * (i) + 3] = {				\
		"syslog" #n "-format", LOG_FIELD(server[i].format),	\
		CONF_ENUM, 0, N(format_names) - 1, format_names, 0,	\
		false }

const struct conf_key conf_log_keys[CONF_LOG_NKEYS] = {
	[CONF_LOG_OVERFLOW] = { "overflow", LOG_FIELD(overflow), CONF_ENUM, 0,
				N(overflow_names) - 1, overflow_names, 0,
				false },
	CATEGORY(0, "system"),
	CATEGORY(1, "network"),
	CATEGORY(2, "config"),
	CATEGORY(3, "opmode"),
	SERVER(0, 1),
	SERVER(1, 2),
	SERVER(2, 3),
};

size_t conf_log_offset(unsigned int index)
{
	(void)index;
	return offsetof(struct pb_conf, log);
}

/*
 * Factory defaults: overwrite the oldest, every category recorded locally
 * and sent to the servers, no server; a server's port 514, facility
 * local5, RFC 5424.
 */
void conf_log_defaults(struct pb_conf *conf)
{
	struct pb_log_conf *l = &conf->log;
	unsigned int i;

	memset(l, 0, sizeof(*l));
	l->overflow = CONF_LOG_OVERWRITE;
	for (i = 0; i < CONF_LOG_CATEGORIES; i++) {
		l->local[i] = 1;
		l->remote[i] = 1;
	}
	for (i = 0; i < CONF_LOG_SERVERS; i++) {
		l->server[i].port = 514;
		l->server[i].facility = 21;	/* local5 */
		l->server[i].format = CONF_LOG_RFC5424;
	}
}
