// SPDX-License-Identifier: GPL-2.0
/* The control request parser: pure, no I/O. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "text.h"

struct words {
	const char *s;
	size_t len;
};

/* The next blank-separated word, or 0 at the end. */
static int next_word(struct words *w, const char **word, size_t *len)
{
	text_trim(&w->s, &w->len);
	if (w->len == 0)
		return 0;
	*word = w->s;
	*len = text_token_len(w->s, w->len);
	w->s += *len;
	w->len -= *len;
	return 1;
}

static int word_is(const char *word, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(word, s, len);
}

static int parse_port_number(struct words *w, struct ctl_request *req,
			     char *err, size_t errsize)
{
	char quoted[TEXT_QUOTE_MAX];
	const char *word;
	size_t len;
	int rc;

	if (!next_word(w, &word, &len)) {
		snprintf(err, errsize,
			 "usage: port-set N key value [key value ...]");
		return -1;
	}
	rc = text_parse_u32(word, len, &req->port);
	if (rc || req->port < 1 || req->port > PB_MAX_PORTS) {
		text_quote(quoted, sizeof(quoted), word, len);
		snprintf(err, errsize, "'%s' is not a port number (1..%u)",
			 quoted, PB_MAX_PORTS);
		return -1;
	}
	return 0;
}

static int parse_setting(struct ctl_request *req, const char *key,
			 size_t key_len, struct words *w, char *err,
			 size_t errsize)
{
	char quoted[TEXT_QUOTE_MAX];
	const char *val;
	size_t val_len;
	int k;

	text_quote(quoted, sizeof(quoted), key, key_len);
	k = conf_port_key_find(key, key_len);
	/* "port" is what the NPort manuals call the local TCP port. */
	if (k < 0 && key_len == 4 && !memcmp(key, "port", 4))
		k = CONF_PORT_LOCAL_PORT;
	if (k < 0) {
		snprintf(err, errsize, "unknown key '%s'", quoted);
		return -1;
	}
	if (ctl_request_sets(req, k)) {
		snprintf(err, errsize, "'%s' is given twice", quoted);
		return -1;
	}
	if (!next_word(w, &val, &val_len)) {
		snprintf(err, errsize, "%s: missing value", quoted);
		return -1;
	}
	if (conf_port_value_parse(k, val, val_len, &req->values, err,
				  errsize))
		return -1;
	req->keys[req->nset++] = k;
	return 0;
}

static int parse_port_set(struct words *w, struct ctl_request *req,
			  char *err, size_t errsize)
{
	const char *key;
	size_t key_len;

	req->cmd = CTL_PORT_SET;
	if (parse_port_number(w, req, err, errsize))
		return -1;
	while (next_word(w, &key, &key_len)) {
		if (parse_setting(req, key, key_len, w, err, errsize))
			return -1;
	}
	if (req->nset == 0) {
		snprintf(err, errsize, "port-set %u: nothing to set",
			 req->port);
		return -1;
	}
	return 0;
}

static int check_chars(const char *buf, size_t len, char *err,
		       size_t errsize)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f) {
			snprintf(err, errsize,
				 "request contains byte 0x%02x", c);
			return -1;
		}
	}
	return 0;
}

int ctl_parse_request(const char *buf, size_t len, struct ctl_request *req,
		      char *err, size_t errsize)
{
	char quoted[TEXT_QUOTE_MAX];
	struct words w;
	const char *cmd;
	size_t cmd_len;

	memset(req, 0, sizeof(*req));
	if (len > CTL_REQUEST_MAX) {
		snprintf(err, errsize, "request longer than %u bytes",
			 CTL_REQUEST_MAX);
		return -1;
	}
	/* Tolerate one line ending, for hand-typed requests (socat). */
	if (len && buf[len - 1] == '\n')
		len--;
	if (len && buf[len - 1] == '\r')
		len--;
	if (check_chars(buf, len, err, errsize))
		return -1;

	w.s = buf;
	w.len = len;
	if (!next_word(&w, &cmd, &cmd_len)) {
		snprintf(err, errsize, "empty request");
		return -1;
	}
	if (word_is(cmd, cmd_len, "port-set"))
		return parse_port_set(&w, req, err, errsize);
	if (word_is(cmd, cmd_len, "config-get")) {
		req->cmd = CTL_CONFIG_GET;
		if (w.len && next_word(&w, &cmd, &cmd_len)) {
			snprintf(err, errsize, "config-get takes no arguments");
			return -1;
		}
		return 0;
	}
	text_quote(quoted, sizeof(quoted), cmd, cmd_len);
	snprintf(err, errsize, "unknown request '%s'", quoted);
	return -1;
}

int ctl_request_sets(const struct ctl_request *req, int key)
{
	unsigned int i;

	for (i = 0; i < req->nset; i++) {
		if (req->keys[i] == key)
			return 1;
	}
	return 0;
}

int ctl_apply_port_set(struct pb_conf *conf, const struct ctl_request *req,
		       struct conf_error *err)
{
	struct pb_port_conf *pc, old;
	unsigned int i;

	memset(err, 0, sizeof(*err));
	err->key = -1;
	if (req->port < 1 || req->port > conf->nports) {
		snprintf(err->msg, sizeof(err->msg),
			 "port %u: no such port (this board has %u: 1..%u)",
			 req->port, conf->nports, conf->nports);
		return -1;
	}
	pc = &conf->port[req->port - 1];
	old = *pc;
	for (i = 0; i < req->nset; i++)
		conf_port_value_copy(req->keys[i], pc, &req->values);
	if (!ctl_request_sets(req, CONF_PORT_LOCAL_PORT))
		conf_follow_mode(pc, &old, req->port);
	return conf_validate(conf, err);
}
