/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the configuration model: the key and section tables that the
 * values (conf.c), the rules (conf_check.c) and the text format
 * (conf_file.c) share.  Not for other users: they have conf.h.
 */
#ifndef PB_CONF_IMPL_H
#define PB_CONF_IMPL_H

#include <stdbool.h>

#include "conf.h"

enum conf_type {
	CONF_NUM,	/* uint32_t in min .. max */
	CONF_ENUM,	/* uint32_t, names[min .. max] */
	CONF_DELIM,	/* uint32_t, 0 .. 255 or PB_DELIM_OFF */
	CONF_DEST,	/* struct pb_dest_conf */
	CONF_IPV4,	/* uint32_t, network byte order; min 0: "none" is 0 */
	CONF_STR,	/* char[max + 1], NUL-padded, min..max characters */
	CONF_ALLOW,	/* struct pb_allow_entry (allow.h) */
};

/* What a CONF_STR holds. */
enum conf_str_kind {
	CONF_STR_TEXT,		/* printable ASCII, blanks inside */
	CONF_STR_HOSTNAME,	/* RFC 1123 labels */
	CONF_STR_HOST,		/* a host name or an IPv4 address */
	CONF_STR_SECRET,	/* printable ASCII without blanks */
};

/* One key of a section: a field at @offset of type @type. */
struct conf_key {
	const char *name;
	size_t offset;
	enum conf_type type;
	uint32_t min;
	uint32_t max;
	const char *const *names;
	uint32_t str_kind;	/* CONF_STR: enum conf_str_kind */
	bool secret;		/* left out of exports and config-get */
};

/*
 * A section of the file.  An indexed section ("[port 3]") exists once per
 * instance, 1 .. count(conf); a plain one ("[network]") once.
 */
struct conf_section {
	const char *name;
	bool indexed;
	const struct conf_key *keys;
	unsigned int nkeys;
	unsigned int (*count)(const struct pb_conf *conf);
	size_t (*offset)(unsigned int index);	/* of instance in pb_conf */
};

#define SECTION_PORT	CONF_SEC_PORT
#define NSECTIONS	CONF_NSECTIONS

/* The most keys and instances any section has (sizes the parse state). */
#define SECTION_KEYS_MAX	CONF_PORT_NKEYS
#define SECTION_INSTANCES_MAX	PB_MAX_PORTS

extern const struct conf_section conf_sections[NSECTIONS];

/* conf_system.c: the plain sections' keys and their rules */
extern const struct conf_key conf_system_keys[CONF_SYS_NKEYS];
extern const struct conf_key conf_network_keys[CONF_NET_NKEYS];
extern const struct conf_key conf_time_keys[CONF_TIME_NKEYS];
extern const struct conf_key conf_console_keys[CONF_CON_NKEYS];
extern const struct conf_key conf_services_keys[CONF_SVC_NKEYS];
extern const struct conf_key conf_password_keys[CONF_PW_NKEYS];
extern const struct conf_key conf_radius_keys[CONF_RAD_NKEYS];
extern const struct conf_key conf_messages_keys[CONF_MSG_NKEYS];
int conf_validate_system(const struct pb_conf *conf, struct conf_error *err);

/* conf_allow.c: [allow] and [allow-port N] */
extern const struct conf_key conf_allow_keys[CONF_ALLOW_NKEYS];
extern const struct conf_key conf_allow_port_keys[CONF_ALLOWP_NKEYS];
size_t conf_allow_offset(unsigned int index);
size_t conf_allow_port_offset(unsigned int index);
unsigned int conf_allow_port_count(const struct pb_conf *conf);
int conf_validate_allow(const struct pb_conf *conf, struct conf_error *err);

/* conf_log.c: [log] */
extern const struct conf_key conf_log_keys[CONF_LOG_NKEYS];
size_t conf_log_offset(unsigned int index);

/* Shared value names. */
extern const char *const conf_on_off[2];

/* Parse and check CONF_STR and CONF_IPV4 values (conf_system.c). */
int conf_parse_string(const struct conf_key *key, const char *val,
		      size_t len, char *field, char *msg, size_t msgsize);
int conf_check_string(const struct conf_key *key, const char *field,
		      char *msg, size_t msgsize);
int conf_parse_ipv4(const struct conf_key *key, const char *val, size_t len,
		    uint32_t *out, char *msg, size_t msgsize);
void conf_format_ipv4(uint32_t addr, char *buf, size_t size);
size_t conf_key_size(const struct conf_key *key);

void *conf_key_field(const struct conf_key *key, void *base);
const void *conf_key_field_const(const struct conf_key *key,
				 const void *base);
/* The value of a numeric key (0 for a destination). */
uint32_t conf_key_number(const struct conf_key *key, const void *base);
int conf_find_key(const struct conf_section *sec, const char *name,
		  size_t len);

/* 1 for a value the file leaves out: an empty list slot. */
int conf_value_is_empty(const struct conf_key *key, const void *base);

/* An accessible IP list entry (conf_allow.c). */
int conf_parse_allow(const struct conf_key *key, const char *val, size_t len,
		     void *field, char *msg, size_t msgsize);

/* A value's text into @field; -1 and "key: problem" in @msg. */
int conf_parse_value(const struct conf_key *key, const char *val, size_t len,
		     void *field, char *msg, size_t msgsize);
void conf_format_value(const struct conf_key *key, const void *base,
		       char *buf, size_t size);

void conf_set_error(struct conf_error *err, unsigned int line,
		    unsigned int port, int key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* An error of key @key of the plain section @sec. */
void conf_set_section_error(struct conf_error *err, int sec, int key,
			    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* PB_CONF_IMPL_H */
