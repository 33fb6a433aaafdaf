// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration's text format: a pure parser and serializer (see
 * conf.h).  The parser remembers the line of every section and key, so a
 * rule broken anywhere in the file is reported at the line that set it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf_impl.h"
#include "text.h"

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
		if (strlen(conf_sections[i].name) == len &&
		    !memcmp(conf_sections[i].name, name, len))
			return &conf_sections[i];
	}
	return NULL;
}

static int parse_section_index(struct parse_state *ps,
			       const struct conf_section *sec,
			       const char *arg, size_t len)
{
	char quoted[TEXT_QUOTE_MAX];
	unsigned int count;
	uint32_t index;
	int rc;

	if (!sec->indexed) {
		if (len == 0)
			return 1;
		conf_set_error(ps->err, ps->line, 0, -1,
			       "section [%s] takes no number", sec->name);
		return -1;
	}
	if (len == 0) {
		conf_set_error(ps->err, ps->line, 0, -1,
			       "section [%s] needs a number: [%s N]", sec->name,
			       sec->name);
		return -1;
	}
	count = sec->count(ps->conf);
	rc = text_parse_u32(arg, len, &index);
	text_quote(quoted, sizeof(quoted), arg, len);
	if (rc == -1) {
		conf_set_error(ps->err, ps->line, 0, -1,
			       "[%s]: '%s' is not a number", sec->name, quoted);
		return -1;
	}
	if (rc == -2 || index < 1 || index > count) {
		conf_set_error(ps->err, ps->line, 0, -1,
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
		conf_set_error(ps->err, ps->line, 0, -1,
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
		conf_set_error(ps->err, ps->line, 0, -1, "unknown section [%s]",
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
	seen = &ps->section_line[sec - conf_sections][index - 1];
	if (*seen) {
		char name[48];

		section_name(ps, name, sizeof(name));
		conf_set_error(ps->err, ps->line, 0, -1,
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
		conf_set_error(ps->err, ps->line, 0, -1,
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
		conf_set_error(ps->err, ps->line, 0, -1,
			       "'%s' is outside of any section", quoted);
		return -1;
	}
	section_name(ps, name, sizeof(name));
	k = conf_find_key(ps->sec, key, key_len);
	if (k < 0) {
		conf_set_error(ps->err, ps->line, 0, -1,
			       "unknown key '%s' in %s", quoted, name);
		return -1;
	}
	seen = &ps->key_line[ps->sec - conf_sections][ps->index - 1][k];
	if (*seen) {
		conf_set_error(ps->err, ps->line, 0, -1,
			       "'%s' is set twice in %s (first on line %u)",
			       quoted, name, *seen);
		return -1;
	}
	*seen = ps->line;
	if (conf_parse_value(&ps->sec->keys[k], val, val_len,
			     conf_key_field(&ps->sec->keys[k], ps->base),
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
			conf_set_error(ps->err, ps->line, 0, -1,
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

/*
 * A validation error of key K of section S (instance N) points at the line
 * that set it, else at the section's header; a rule broken by defaults
 * alone has no line.
 */
static void locate_error(const struct parse_state *ps, struct conf_error *err)
{
	int sec = err->section;

	if (sec < 0 || sec >= NSECTIONS || err->port < 1 ||
	    err->port > SECTION_INSTANCES_MAX)
		return;
	if (err->key >= 0 && err->key < SECTION_KEYS_MAX)
		err->line = ps->key_line[sec][err->port - 1][err->key];
	if (!err->line)
		err->line = ps->section_line[sec][err->port - 1];
}

/* A port whose section sets its mode but not its local port gets the
 * mode's default local port, as a control request would.
 */
static void follow_modes(const struct parse_state *ps,
			 const struct pb_conf *old)
{
	const unsigned int (*seen)[SECTION_KEYS_MAX] =
		ps->key_line[SECTION_PORT];
	unsigned int n;

	for (n = 1; n <= ps->conf->nports; n++) {
		if (seen[n - 1][CONF_PORT_MODE] &&
		    !seen[n - 1][CONF_PORT_LOCAL_PORT])
			conf_follow_mode(&ps->conf->port[n - 1],
					 &old->port[n - 1], n);
	}
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
		conf_set_error(err, 0, 0, -1, "file is larger than %u bytes",
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
	follow_modes(&ps, conf);
	if (conf_validate(&tmp, err)) {
		locate_error(&ps, err);
		return -1;
	}
	*conf = tmp;
	return 0;
}

static void serialize_section(const struct conf_section *sec,
			      const struct pb_conf *conf, unsigned int index,
			      unsigned int flags, struct textbuf *tb)
{
	const void *base = (const char *)conf + sec->offset(index);
	char val[CONF_VALUE_MAX];
	unsigned int k;

	if (sec->indexed)
		textbuf_printf(tb, "\n[%s %u]\n", sec->name, index);
	else
		textbuf_printf(tb, "\n[%s]\n", sec->name);
	for (k = 0; k < sec->nkeys; k++) {
		if (sec->keys[k].secret && (flags & CONF_SER_NO_SECRETS))
			continue;
		if (conf_value_is_empty(&sec->keys[k], base))
			continue;
		conf_format_value(&sec->keys[k], base, val, sizeof(val));
		/* an empty string reads back as empty: no trailing blank */
		textbuf_printf(tb, "%s =%s%s\n", sec->keys[k].name,
			       val[0] ? " " : "", val);
	}
}

size_t conf_serialize_ex(const struct pb_conf *conf, unsigned int flags,
			 char *buf, size_t size)
{
	struct textbuf tb;
	unsigned int s, i;

	textbuf_init(&tb, buf, size);
	textbuf_printf(&tb, "# portbridge configuration\n"
			    "# Written by pbconfd; change it with pbctl.\n");
	for (s = 0; s < NSECTIONS; s++) {
		const struct conf_section *sec = &conf_sections[s];
		unsigned int count = sec->indexed ? sec->count(conf) : 1;

		if (s == SECTION_PORT && (flags & CONF_SER_NO_PORTS))
			continue;
		for (i = 1; i <= count; i++)
			serialize_section(sec, conf, i, flags, &tb);
	}
	return tb.len;
}

size_t conf_serialize(const struct pb_conf *conf, char *buf, size_t size)
{
	return conf_serialize_ex(conf, 0, buf, size);
}
