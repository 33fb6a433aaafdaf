// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration model: defaults, validation, and the pure text
 * parser/serializer.  No I/O in this file.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "text.h"

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

/*
 * One key of a section: a uint32_t field at @offset, valid in min..max.
 * An enumerated key has @names (indexed by value, min is 0).
 */
struct conf_key {
	const char *name;
	size_t offset;
	uint32_t min;
	uint32_t max;
	const char *const *names;
};

#define PORT_FIELD(f)	offsetof(struct pb_port_conf, f)

static const struct conf_key port_keys[CONF_PORT_NKEYS] = {
	[CONF_PORT_MODE] = { "mode", PORT_FIELD(mode),
		0, __PB_MODE_MAX - 1, mode_names },
	[CONF_PORT_LOCAL_PORT] = { "local-port", PORT_FIELD(local_port),
		1, 65535, NULL },
	[CONF_PORT_BAUD] = { "baud", PORT_FIELD(baud),
		50, 921600, NULL },
	[CONF_PORT_DATA_BITS] = { "data-bits", PORT_FIELD(data_bits),
		5, 8, NULL },
	[CONF_PORT_PARITY] = { "parity", PORT_FIELD(parity),
		0, __PB_PARITY_MAX - 1, parity_names },
	[CONF_PORT_STOP_BITS] = { "stop-bits", PORT_FIELD(stop_bits),
		1, 2, NULL },
	[CONF_PORT_FLOW] = { "flow", PORT_FIELD(flow),
		0, __PB_FLOW_MAX - 1, flow_names },
	[CONF_PORT_MAX_CONNS] = { "max-connections", PORT_FIELD(max_conns),
		1, PB_MAX_CONNS, NULL },
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

static unsigned int port_count(const struct pb_conf *conf)
{
	return conf->nports;
}

static size_t port_offset(unsigned int index)
{
	return offsetof(struct pb_conf, port) +
	       (index - 1) * sizeof(struct pb_port_conf);
}

enum { SECTION_PORT, NSECTIONS };

/* The most keys and instances any section has (sizes the parse state). */
#define SECTION_KEYS_MAX	CONF_PORT_NKEYS
#define SECTION_INSTANCES_MAX	PB_MAX_PORTS

static const struct conf_section sections[NSECTIONS] = {
	[SECTION_PORT] = { "port", true, port_keys, CONF_PORT_NKEYS,
			   port_count, port_offset },
};

static uint32_t *key_field(const struct conf_key *key, void *base)
{
	return (uint32_t *)((char *)base + key->offset);
}

static const uint32_t *key_field_const(const struct conf_key *key,
				       const void *base)
{
	return (const uint32_t *)((const char *)base + key->offset);
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

void conf_init_defaults(struct pb_conf *conf, unsigned int nports)
{
	unsigned int i;

	memset(conf, 0, sizeof(*conf));
	conf->nports = nports;
	for (i = 0; i < PB_MAX_PORTS; i++) {
		struct pb_port_conf *pc = &conf->port[i];

		pc->mode = PB_MODE_TCP_SERVER;
		pc->local_port = 4000 + i + 1;
		pc->baud = 115200;
		pc->data_bits = 8;
		pc->parity = PB_PARITY_NONE;
		pc->stop_bits = 1;
		pc->flow = PB_FLOW_NONE;
		pc->max_conns = 1;
	}
}

static int find_key(const struct conf_section *sec, const char *name,
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
	return find_key(&sections[SECTION_PORT], name, len);
}

const char *conf_port_key_name(int key)
{
	if (key < 0 || key >= CONF_PORT_NKEYS)
		return "?";
	return port_keys[key].name;
}

uint32_t conf_port_get(const struct pb_port_conf *pc, int key)
{
	return *key_field_const(&port_keys[key], pc);
}

void conf_port_set(struct pb_port_conf *pc, int key, uint32_t val)
{
	*key_field(&port_keys[key], pc) = val;
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

static int parse_value(const struct conf_key *key, const char *val,
		       size_t len, uint32_t *out, char *msg, size_t msgsize)
{
	if (len == 0) {
		snprintf(msg, msgsize, "%s: missing value", key->name);
		return -1;
	}
	if (key->names)
		return parse_enum(key, val, len, out, msg, msgsize);
	return parse_number(key, val, len, out, msg, msgsize);
}

int conf_port_value_parse(int key, const char *val, size_t len,
			  uint32_t *out, char *msg, size_t msgsize)
{
	if (key < 0 || key >= CONF_PORT_NKEYS) {
		snprintf(msg, msgsize, "no such key");
		return -1;
	}
	return parse_value(&port_keys[key], val, len, out, msg, msgsize);
}

static void format_value(const struct conf_key *key, uint32_t val,
			 char *buf, size_t size)
{
	if (key->names && val <= key->max)
		snprintf(buf, size, "%s", key->names[val]);
	else
		snprintf(buf, size, "%u", val);
}

void conf_port_value_format(int key, uint32_t val, char *buf, size_t size)
{
	if (key < 0 || key >= CONF_PORT_NKEYS) {
		snprintf(buf, size, "?");
		return;
	}
	format_value(&port_keys[key], val, buf, size);
}

static void set_error(struct conf_error *err, unsigned int line,
		      unsigned int port, int key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void set_error(struct conf_error *err, unsigned int line,
		      unsigned int port, int key, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->port = port;
	err->key = key;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void conf_error_format(const struct conf_error *err, char *buf, size_t size)
{
	if (err->line)
		snprintf(buf, size, "line %u: %s", err->line, err->msg);
	else
		snprintf(buf, size, "%s", err->msg);
}

static int validate_ranges(const struct pb_conf *conf, struct conf_error *err)
{
	const struct conf_section *sec = &sections[SECTION_PORT];
	unsigned int n, k;

	for (n = 1; n <= conf->nports; n++) {
		const struct pb_port_conf *pc = &conf->port[n - 1];

		for (k = 0; k < sec->nkeys; k++) {
			const struct conf_key *key = &sec->keys[k];
			uint32_t v = *key_field_const(key, pc);

			if (v >= key->min && v <= key->max)
				continue;
			set_error(err, 0, n, k,
				  "port %u: %s: %u is out of range (%u..%u)",
				  n, key->name, v, key->min, key->max);
			return -1;
		}
	}
	return 0;
}

/* Two bridged ports cannot listen on the same local port. */
static int validate_local_ports(const struct pb_conf *conf,
				struct conf_error *err)
{
	unsigned int i, j;

	for (i = 1; i < conf->nports; i++) {
		const struct pb_port_conf *a = &conf->port[i];

		if (a->mode == PB_MODE_DISABLED)
			continue;
		for (j = 0; j < i; j++) {
			const struct pb_port_conf *b = &conf->port[j];

			if (b->mode == PB_MODE_DISABLED ||
			    a->local_port != b->local_port)
				continue;
			set_error(err, 0, i + 1, CONF_PORT_LOCAL_PORT,
				  "port %u: local-port: %u is already used by port %u",
				  i + 1, a->local_port, j + 1);
			return -1;
		}
	}
	return 0;
}

int conf_validate(const struct pb_conf *conf, struct conf_error *err)
{
	if (conf->nports < 1 || conf->nports > PB_MAX_PORTS) {
		set_error(err, 0, 0, -1, "board has %u ports (1..%u supported)",
			  conf->nports, PB_MAX_PORTS);
		return -1;
	}
	if (validate_ranges(conf, err))
		return -1;
	return validate_local_ports(conf, err);
}

/*
 * Parser state: where we are, and on which line each section and key was
 * seen (0: not seen), to refuse duplicates and to point validation errors
 * at a line.
 */
struct parse_state {
	struct pb_conf *conf;
	struct conf_error *err;
	unsigned int line;
	const struct conf_section *sec;	/* current section, NULL before */
	unsigned int index;		/* its instance, 1.. (1 if plain) */
	void *base;			/* the instance's struct */
	unsigned int section_line[NSECTIONS][SECTION_INSTANCES_MAX];
	unsigned int key_line[NSECTIONS][SECTION_INSTANCES_MAX]
			     [SECTION_KEYS_MAX];
};

static void section_name(const struct parse_state *ps, char *buf,
			 size_t size)
{
	if (ps->sec->indexed)
		snprintf(buf, size, "[%s %u]", ps->sec->name, ps->index);
	else
		snprintf(buf, size, "[%s]", ps->sec->name);
}

static const struct conf_section *find_section(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < NSECTIONS; i++) {
		if (strlen(sections[i].name) == len &&
		    !memcmp(sections[i].name, name, len))
			return &sections[i];
	}
	return NULL;
}

static int parse_section_index(struct parse_state *ps,
			       const struct conf_section *sec,
			       const char *arg, size_t len)
{
	char quoted[TEXT_QUOTE_MAX];
	unsigned int count = sec->count(ps->conf);
	uint32_t index;
	int rc;

	if (!sec->indexed) {
		if (len == 0)
			return 1;
		set_error(ps->err, ps->line, 0, -1,
			  "section [%s] takes no number", sec->name);
		return -1;
	}
	if (len == 0) {
		set_error(ps->err, ps->line, 0, -1,
			  "section [%s] needs a number: [%s N]", sec->name,
			  sec->name);
		return -1;
	}
	rc = text_parse_u32(arg, len, &index);
	text_quote(quoted, sizeof(quoted), arg, len);
	if (rc == -1) {
		set_error(ps->err, ps->line, 0, -1,
			  "[%s]: '%s' is not a number", sec->name, quoted);
		return -1;
	}
	if (rc == -2 || index < 1 || index > count) {
		set_error(ps->err, ps->line, 0, -1,
			  "[%s %s]: no such %s (this board has %u: 1..%u)",
			  sec->name, quoted, sec->name, count, count);
		return -1;
	}
	return index;
}

/* "[name]" or "[name N]", already trimmed. */
static int parse_section(struct parse_state *ps, const char *s, size_t len)
{
	const struct conf_section *sec;
	char quoted[TEXT_QUOTE_MAX];
	size_t name_len;
	unsigned int *seen;
	int index;

	if (len < 2 || s[len - 1] != ']') {
		set_error(ps->err, ps->line, 0, -1,
			  "section header must end with ']'");
		return -1;
	}
	s++;
	len -= 2;
	text_trim(&s, &len);
	name_len = text_token_len(s, len);
	sec = find_section(s, name_len);
	if (!sec) {
		text_quote(quoted, sizeof(quoted), s, name_len);
		set_error(ps->err, ps->line, 0, -1, "unknown section [%s]",
			  quoted);
		return -1;
	}
	s += name_len;
	len -= name_len;
	text_trim(&s, &len);
	index = parse_section_index(ps, sec, s, len);
	if (index < 0)
		return -1;

	ps->sec = sec;
	ps->index = index;
	ps->base = (char *)ps->conf + sec->offset(index);
	seen = &ps->section_line[sec - sections][index - 1];
	if (*seen) {
		char name[48];

		section_name(ps, name, sizeof(name));
		set_error(ps->err, ps->line, 0, -1,
			  "section %s appears twice (first on line %u)",
			  name, *seen);
		return -1;
	}
	*seen = ps->line;
	return 0;
}

/* "key = value", already trimmed. */
static int parse_assignment(struct parse_state *ps, const char *s,
			    size_t len)
{
	const char *eq = memchr(s, '=', len);
	char quoted[TEXT_QUOTE_MAX];
	char name[48];
	const char *key, *val;
	size_t key_len, val_len;
	unsigned int *seen;
	int k;

	if (!eq || eq == s) {
		set_error(ps->err, ps->line, 0, -1,
			  "expected 'key = value' or '[section]'");
		return -1;
	}
	key = s;
	key_len = eq - s;
	val = eq + 1;
	val_len = len - key_len - 1;
	text_trim(&key, &key_len);
	text_trim(&val, &val_len);
	text_quote(quoted, sizeof(quoted), key, key_len);

	if (!ps->sec) {
		set_error(ps->err, ps->line, 0, -1,
			  "'%s' is outside of any section", quoted);
		return -1;
	}
	section_name(ps, name, sizeof(name));
	k = find_key(ps->sec, key, key_len);
	if (k < 0) {
		set_error(ps->err, ps->line, 0, -1, "unknown key '%s' in %s",
			  quoted, name);
		return -1;
	}
	seen = &ps->key_line[ps->sec - sections][ps->index - 1][k];
	if (*seen) {
		set_error(ps->err, ps->line, 0, -1,
			  "'%s' is set twice in %s (first on line %u)",
			  quoted, name, *seen);
		return -1;
	}
	*seen = ps->line;
	if (parse_value(&ps->sec->keys[k], val, val_len,
			key_field(&ps->sec->keys[k], ps->base),
			ps->err->msg, sizeof(ps->err->msg))) {
		ps->err->line = ps->line;
		ps->err->port = 0;
		ps->err->key = -1;
		return -1;
	}
	return 0;
}

static int check_chars(struct parse_state *ps, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			set_error(ps->err, ps->line, 0, -1,
				  "control character 0x%02x", c);
			return -1;
		}
	}
	return 0;
}

static int parse_line(struct parse_state *ps, const char *s, size_t len)
{
	if (len && s[len - 1] == '\r')
		len--;
	if (check_chars(ps, s, len))
		return -1;
	text_trim(&s, &len);
	if (len == 0 || s[0] == '#')
		return 0;
	if (s[0] == '[')
		return parse_section(ps, s, len);
	return parse_assignment(ps, s, len);
}

/* A validation error of port N key K points at the line that set it. */
static void locate_error(const struct parse_state *ps, struct conf_error *err)
{
	if (err->port < 1 || err->port > SECTION_INSTANCES_MAX)
		return;
	if (err->key >= 0 && err->key < SECTION_KEYS_MAX)
		err->line = ps->key_line[SECTION_PORT][err->port - 1][err->key];
	if (!err->line)
		err->line = ps->section_line[SECTION_PORT][err->port - 1];
}

int conf_parse(struct pb_conf *conf, const char *buf, size_t len,
	       struct conf_error *err)
{
	struct pb_conf tmp = *conf;
	struct parse_state ps;
	size_t pos = 0;

	memset(&ps, 0, sizeof(ps));
	memset(err, 0, sizeof(*err));
	err->key = -1;
	ps.conf = &tmp;
	ps.err = err;

	if (len > CONF_FILE_MAX) {
		set_error(err, 0, 0, -1, "file is larger than %u bytes",
			  CONF_FILE_MAX);
		return -1;
	}
	if (tmp.nports < 1 || tmp.nports > PB_MAX_PORTS)
		return conf_validate(&tmp, err);

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		ps.line++;
		if (parse_line(&ps, buf + pos, line_len))
			return -1;
		pos += line_len + 1;
	}
	if (conf_validate(&tmp, err)) {
		locate_error(&ps, err);
		return -1;
	}
	*conf = tmp;
	return 0;
}

static void serialize_section(const struct conf_section *sec,
			      const struct pb_conf *conf, unsigned int index,
			      struct textbuf *tb)
{
	const void *base = (const char *)conf + sec->offset(index);
	char val[32];
	unsigned int k;

	if (sec->indexed)
		textbuf_printf(tb, "\n[%s %u]\n", sec->name, index);
	else
		textbuf_printf(tb, "\n[%s]\n", sec->name);
	for (k = 0; k < sec->nkeys; k++) {
		format_value(&sec->keys[k], *key_field_const(&sec->keys[k], base),
			     val, sizeof(val));
		textbuf_printf(tb, "%s = %s\n", sec->keys[k].name, val);
	}
}

size_t conf_serialize(const struct pb_conf *conf, char *buf, size_t size)
{
	struct textbuf tb;
	unsigned int s, i;

	textbuf_init(&tb, buf, size);
	textbuf_printf(&tb, "# portbridge configuration\n"
			    "# Written by pbconfd; change it with "
			    "'pbctl port set'.\n");
	for (s = 0; s < NSECTIONS; s++) {
		const struct conf_section *sec = &sections[s];
		unsigned int count = sec->indexed ? sec->count(conf) : 1;

		for (i = 1; i <= count; i++)
			serialize_section(sec, conf, i, &tb);
	}
	return tb.len;
}
