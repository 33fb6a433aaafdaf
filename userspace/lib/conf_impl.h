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
};

/* One key of a section: a field at @offset of type @type. */
struct conf_key {
	const char *name;
	size_t offset;
	enum conf_type type;
	uint32_t min;
	uint32_t max;
	const char *const *names;
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

enum { SECTION_PORT, NSECTIONS };

/* The most keys and instances any section has (sizes the parse state). */
#define SECTION_KEYS_MAX	CONF_PORT_NKEYS
#define SECTION_INSTANCES_MAX	PB_MAX_PORTS

extern const struct conf_section conf_sections[NSECTIONS];

void *conf_key_field(const struct conf_key *key, void *base);
const void *conf_key_field_const(const struct conf_key *key,
				 const void *base);
/* The value of a numeric key (0 for a destination). */
uint32_t conf_key_number(const struct conf_key *key, const void *base);
int conf_find_key(const struct conf_section *sec, const char *name,
		  size_t len);

/* A value's text into @field; -1 and "key: problem" in @msg. */
int conf_parse_value(const struct conf_key *key, const char *val, size_t len,
		     void *field, char *msg, size_t msgsize);
void conf_format_value(const struct conf_key *key, const void *base,
		       char *buf, size_t size);

void conf_set_error(struct conf_error *err, unsigned int line,
		    unsigned int port, int key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif /* PB_CONF_IMPL_H */
