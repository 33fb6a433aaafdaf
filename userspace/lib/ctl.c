// SPDX-License-Identifier: GPL-2.0
/* The control request parser: pure, no I/O. */
#include <stdio.h>
#include <string.h>

#include "allow.h"
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

/* ---- hex-encoded values (passwords, notes) ---- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode @len hex digits into @out (NUL-terminated); no NUL inside. */
static int hex_decode(const char *s, size_t len, char *out, size_t size)
{
	size_t i;

	if (len % 2 || len / 2 >= size)
		return -1;
	for (i = 0; i < len; i += 2) {
		int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);

		if (hi < 0 || lo < 0 || (hi | lo) == 0)
			return -1;
		out[i / 2] = hi << 4 | lo;
	}
	out[len / 2] = '\0';
	return 0;
}

int ctl_hex_encode(const char *s, size_t len, char *out, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (2 * len >= size)
		return -1;
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[(unsigned char)s[i] >> 4];
		out[2 * i + 1] = digits[(unsigned char)s[i] & 15];
	}
	out[2 * len] = '\0';
	return 0;
}

void ctl_request_wipe(struct ctl_request *req)
{
	explicit_bzero(req->password, sizeof(req->password));
	explicit_bzero(req->old_password, sizeof(req->old_password));
}

/* ---- account requests ---- */

static int need_word(struct words *w, const char **word, size_t *len,
		     const char *what, char *err, size_t errsize)
{
	if (next_word(w, word, len))
		return 0;
	snprintf(err, errsize, "%s", what);
	return -1;
}

static int parse_name(struct words *w, struct ctl_request *req,
		      const char *usage, char *err, size_t errsize)
{
	const char *word;
	size_t len;

	if (need_word(w, &word, &len, usage, err, errsize) ||
	    acct_name_check(word, len, err, errsize))
		return -1;
	memcpy(req->name, word, len);
	req->name[len] = '\0';
	return 0;
}

static int parse_password(const char *word, size_t len, char *out,
			  const char *what, char *err, size_t errsize)
{
	if (!hex_decode(word, len, out, CTL_PASSWORD_MAX) && out[0])
		return 0;
	snprintf(err, errsize, "%s: not a hex-encoded password", what);
	return -1;
}

static int parse_yes_no(const char *word, size_t len, int *out,
			const char *what, char *err, size_t errsize)
{
	if (word_is(word, len, "yes") || word_is(word, len, "no")) {
		*out = word_is(word, len, "yes");
		return 0;
	}
	snprintf(err, errsize, "%s: yes or no", what);
	return -1;
}

/* One "key value" of account-add (after the password) or -edit. */
static int parse_account_setting(struct words *w, struct ctl_request *req,
				 const char *key, size_t key_len, char *err,
				 size_t errsize)
{
	char quoted[TEXT_QUOTE_MAX];
	const char *val;
	size_t val_len;
	unsigned int bit;
	int group, yes;

	text_quote(quoted, sizeof(quoted), key, key_len);
	bit = word_is(key, key_len, "group") ? CTL_ACCT_GROUP :
	      word_is(key, key_len, "password") ? CTL_ACCT_PASSWORD :
	      word_is(key, key_len, "note") ? CTL_ACCT_NOTE :
	      word_is(key, key_len, "must-change") ? CTL_ACCT_MUST_CHANGE :
	      word_is(key, key_len, "unlock") ? CTL_ACCT_UNLOCK : 0;
	if (!bit) {
		snprintf(err, errsize,
			 "unknown account key '%s' (group, password, note, must-change, unlock)",
			 quoted);
		return -1;
	}
	if (req->acct_set & bit) {
		snprintf(err, errsize, "'%s' is given twice", quoted);
		return -1;
	}
	if (!next_word(w, &val, &val_len)) {
		snprintf(err, errsize, "%s: missing value", quoted);
		return -1;
	}
	switch (bit) {
	case CTL_ACCT_GROUP:
		group = acct_group_find(val, val_len);
		if (group < 0) {
			snprintf(err, errsize,
				 "group: admins, users or guests");
			return -1;
		}
		req->group = group;
		break;
	case CTL_ACCT_PASSWORD:
		if (parse_password(val, val_len, req->password, "password",
				   err, errsize))
			return -1;
		break;
	case CTL_ACCT_NOTE:
		if (val_len == 1 && val[0] == '-') {
			req->note[0] = '\0';
		} else if (hex_decode(val, val_len, req->note,
				      sizeof(req->note)) ||
			   acct_note_check(req->note, strlen(req->note), err,
					   errsize)) {
			if (!strncmp(err, "note", 4))
				return -1;
			snprintf(err, errsize, "note: not hex-encoded text");
			return -1;
		}
		break;
	case CTL_ACCT_MUST_CHANGE:
		if (parse_yes_no(val, val_len, &req->must_change,
				 "must-change", err, errsize))
			return -1;
		break;
	default:
		if (parse_yes_no(val, val_len, &yes, "unlock", err, errsize))
			return -1;
		if (!yes)
			return 0;
		break;
	}
	req->acct_set |= bit;
	return 0;
}

static int parse_account_settings(struct words *w, struct ctl_request *req,
				  char *err, size_t errsize)
{
	const char *key;
	size_t key_len;

	while (next_word(w, &key, &key_len)) {
		if (parse_account_setting(w, req, key, key_len, err, errsize))
			return -1;
	}
	return 0;
}

static int parse_account_add(struct words *w, struct ctl_request *req,
			     char *err, size_t errsize)
{
	static const char usage[] =
		"usage: account-add NAME GROUP PASSWORD [must-change yes|no] [note NOTE]";
	const char *word;
	size_t len;
	int group;

	req->cmd = CTL_ACCOUNT_ADD;
	if (parse_name(w, req, usage, err, errsize) ||
	    need_word(w, &word, &len, usage, err, errsize))
		return -1;
	group = acct_group_find(word, len);
	if (group < 0) {
		snprintf(err, errsize, "group: admins, users or guests");
		return -1;
	}
	req->group = group;
	if (need_word(w, &word, &len, usage, err, errsize) ||
	    parse_password(word, len, req->password, "password", err,
			   errsize))
		return -1;
	req->acct_set = CTL_ACCT_GROUP | CTL_ACCT_PASSWORD;
	req->must_change = 1;
	if (parse_account_settings(w, req, err, errsize))
		return -1;
	if (req->acct_set & CTL_ACCT_UNLOCK) {
		snprintf(err, errsize, "account-add: nothing to unlock");
		return -1;
	}
	return 0;
}

static int parse_account_edit(struct words *w, struct ctl_request *req,
			      char *err, size_t errsize)
{
	req->cmd = CTL_ACCOUNT_EDIT;
	if (parse_name(w, req, "usage: account-edit NAME key value ...", err,
		       errsize) ||
	    parse_account_settings(w, req, err, errsize))
		return -1;
	if (!req->acct_set) {
		snprintf(err, errsize, "account-edit %s: nothing to change",
			 req->name);
		return -1;
	}
	return 0;
}

static int parse_passwd(struct words *w, struct ctl_request *req, char *err,
			size_t errsize)
{
	static const char usage[] = "usage: passwd OLD NEW";
	const char *word;
	size_t len;

	req->cmd = CTL_PASSWD;
	if (need_word(w, &word, &len, usage, err, errsize) ||
	    parse_password(word, len, req->old_password, "old password", err,
			   errsize) ||
	    need_word(w, &word, &len, usage, err, errsize) ||
	    parse_password(word, len, req->password, "new password", err,
			   errsize))
		return -1;
	return 0;
}

/* Requests with no arguments, or one optional word. */
static const struct {
	const char *name;
	enum ctl_cmd cmd;
	const char *option;	/* the one word it may take */
} simple_cmds[] = {
	{ "config-get", CTL_CONFIG_GET, NULL },
	{ "config-export", CTL_CONFIG_EXPORT, "secrets" },
	{ "account-list", CTL_ACCOUNT_LIST, NULL },
	{ "whoami", CTL_WHOAMI, NULL },
	{ "factory-reset", CTL_FACTORY_RESET, NULL },
};

static int parse_simple(struct words *w, struct ctl_request *req,
			const char *cmd, size_t cmd_len, char *err,
			size_t errsize)
{
	const char *word;
	size_t len;
	unsigned int i;

	for (i = 0; i < sizeof(simple_cmds) / sizeof(simple_cmds[0]); i++) {
		if (!word_is(cmd, cmd_len, simple_cmds[i].name))
			continue;
		req->cmd = simple_cmds[i].cmd;
		if (!next_word(w, &word, &len))
			return 0;
		if (simple_cmds[i].option &&
		    word_is(word, len, simple_cmds[i].option) &&
		    !next_word(w, &word, &len)) {
			req->secrets = 1;
			return 0;
		}
		snprintf(err, errsize, "%s takes %s", simple_cmds[i].name,
			 simple_cmds[i].option ? "one optional word: secrets" :
						 "no arguments");
		return -1;
	}
	return 1;
}

/*
 * "config-set guard ADDR": the address of the session making the change,
 * which the change must not lock out of the accessible IP list.
 */
static int parse_guard(struct words *w, struct ctl_request *req, char *err,
		       size_t errsize)
{
	char quoted[TEXT_QUOTE_MAX];
	const char *word;
	size_t len;

	if (!next_word(w, &word, &len))
		return 0;
	if (!word_is(word, len, "guard")) {
		snprintf(err, errsize,
			 "the text starts on the line after the request");
		return -1;
	}
	if (!next_word(w, &word, &len)) {
		snprintf(err, errsize, "guard needs an address");
		return -1;
	}
	if (allow_addr_parse(word, len, req->guard_addr)) {
		text_quote(quoted, sizeof(quoted), word, len);
		snprintf(err, errsize, "guard: '%s' is not an IP address",
			 quoted);
		return -1;
	}
	req->guard = 1;
	return 0;
}

/* config-set and config-import: the text after the first line. */
static int parse_text_request(const char *buf, size_t len, size_t line_len,
			      struct ctl_request *req, char *err,
			      size_t errsize)
{
	size_t i;

	req->text = line_len < len ? buf + line_len + 1 : buf + len;
	req->text_len = line_len < len ? len - line_len - 1 : 0;
	if (req->text_len > CTL_TEXT_MAX) {
		snprintf(err, errsize, "text longer than %u bytes",
			 CTL_TEXT_MAX);
		return -1;
	}
	for (i = 0; i < req->text_len; i++) {
		unsigned char c = req->text[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0x7f) {
			snprintf(err, errsize, "text contains byte 0x%02x", c);
			return -1;
		}
	}
	return 0;
}

static int parse_words(struct words *w, struct ctl_request *req,
		       const char *cmd, size_t cmd_len, char *err,
		       size_t errsize)
{
	char quoted[TEXT_QUOTE_MAX];
	int rc;

	if (word_is(cmd, cmd_len, "port-set"))
		return parse_port_set(w, req, err, errsize);
	if (word_is(cmd, cmd_len, "account-add"))
		return parse_account_add(w, req, err, errsize);
	if (word_is(cmd, cmd_len, "account-edit"))
		return parse_account_edit(w, req, err, errsize);
	if (word_is(cmd, cmd_len, "account-delete")) {
		req->cmd = CTL_ACCOUNT_DELETE;
		if (parse_name(w, req, "usage: account-delete NAME", err,
			       errsize))
			return -1;
		if (!next_word(w, &cmd, &cmd_len))
			return 0;
		snprintf(err, errsize, "account-delete takes one name");
		return -1;
	}
	if (word_is(cmd, cmd_len, "passwd"))
		return parse_passwd(w, req, err, errsize);
	rc = parse_simple(w, req, cmd, cmd_len, err, errsize);
	if (rc <= 0)
		return rc;
	text_quote(quoted, sizeof(quoted), cmd, cmd_len);
	snprintf(err, errsize, "unknown request '%s'", quoted);
	return -1;
}

int ctl_parse_request(const char *buf, size_t len, struct ctl_request *req,
		      char *err, size_t errsize)
{
	const char *nl, *cmd;
	size_t line_len, cmd_len;
	struct words w;
	int rc;

	memset(req, 0, sizeof(*req));
	if (len > CTL_PACKET_MAX) {
		snprintf(err, errsize, "request longer than %u bytes",
			 CTL_PACKET_MAX);
		return -1;
	}
	nl = memchr(buf, '\n', len);
	line_len = nl ? (size_t)(nl - buf) : len;
	w.s = buf;
	w.len = line_len;
	if (next_word(&w, &cmd, &cmd_len) &&
	    (word_is(cmd, cmd_len, "config-set") ||
	     word_is(cmd, cmd_len, "config-import"))) {
		req->cmd = word_is(cmd, cmd_len, "config-set") ?
			   CTL_CONFIG_SET : CTL_CONFIG_IMPORT;
		if (w.len && w.s[w.len - 1] == '\r')
			w.len--;
		if (parse_guard(&w, req, err, errsize))
			return -1;
		text_trim(&w.s, &w.len);
		if (w.len) {
			snprintf(err, errsize,
				 "the text starts on the line after the request");
			return -1;
		}
		return parse_text_request(buf, len, line_len, req, err,
					  errsize);
	}
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
	rc = parse_words(&w, req, cmd, cmd_len, err, errsize);
	if (rc)
		ctl_request_wipe(req);
	return rc;
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
