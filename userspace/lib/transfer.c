// SPDX-License-Identifier: GPL-2.0
/* Export and import of the whole configuration (pure). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "transfer.h"

#define ACCOUNT_SECTION	"account"

enum account_key {
	AK_GROUP,
	AK_NOTE,
	AK_HASH,
	AK_CHANGED,
	AK_NKEYS
};

static const char *const account_keys[AK_NKEYS] = {
	[AK_GROUP]	= "group",
	[AK_NOTE]	= "note",
	[AK_HASH]	= "password-hash",
	[AK_CHANGED]	= "password-changed",
};

size_t transfer_export(const struct pb_conf *conf, const struct acct_db *db,
		       int secrets, char *buf, size_t size)
{
	struct textbuf tb;
	size_t len;
	unsigned int i;

	len = conf_serialize_ex(conf, CONF_SER_NO_SECRETS, buf, size);
	textbuf_init(&tb, len < size ? buf + len : NULL,
		     len < size ? size - len : 0);
	textbuf_printf(&tb, "\n# Accounts%s\n",
		       secrets ? " with their password hashes: keep this file safe" :
				 " (no password hashes: export with secrets to carry them)");
	for (i = 0; i < db->n; i++) {
		const struct account *a = &db->acct[i];

		textbuf_printf(&tb, "\n[%s %s]\n%s = %s\n%s =%s%s\n",
			       ACCOUNT_SECTION, a->name,
			       account_keys[AK_GROUP],
			       acct_group_name(a->group),
			       account_keys[AK_NOTE], a->note[0] ? " " : "",
			       a->note);
		if (!secrets)
			continue;
		textbuf_printf(&tb, "%s = %s\n", account_keys[AK_HASH],
			       a->hash);
		if (a->changed >= 0)
			textbuf_printf(&tb, "%s = %ld\n",
				       account_keys[AK_CHANGED], a->changed);
	}
	return len + tb.len;
}

/* ---- import ---- */

struct import_state {
	const struct acct_db *old;
	struct acct_db *db;		/* the imported accounts */
	struct account *cur;		/* section being read, or NULL */
	unsigned int cur_line;
	unsigned int first_line;	/* of the first [account] */
	unsigned int key_line[AK_NKEYS];
	int has_hash;
	struct conf_error *err;
};

static int line_error(struct import_state *st, unsigned int line,
		      const char *fmt, const char *arg)
{
	memset(st->err, 0, sizeof(*st->err));
	st->err->line = line;
	st->err->key = -1;
	snprintf(st->err->msg, sizeof(st->err->msg), fmt, arg);
	return -1;
}

/* "[account NAME]" trimmed: 1 if it is one, 0 if not, -1 on error. */
static int account_header(const char *s, size_t len, const char **name,
			  size_t *name_len)
{
	size_t n = strlen(ACCOUNT_SECTION);

	if (len < 2 || s[0] != '[' || s[len - 1] != ']')
		return 0;
	s++;
	len -= 2;
	text_trim(&s, &len);
	if (len < n || memcmp(s, ACCOUNT_SECTION, n) ||
	    (len > n && s[n] != ' ' && s[n] != '\t'))
		return 0;
	s += n;
	len -= n;
	text_trim(&s, &len);
	*name = s;
	*name_len = len;
	return 1;
}

static int finish_account(struct import_state *st)
{
	struct account *a = st->cur;
	const struct account *old;

	if (!a)
		return 0;
	old = acct_find_const(st->old, a->name);
	if (!st->has_hash) {
		if (!old)
			return line_error(st, st->cur_line,
					  "account '%s': a new account needs password-hash (export with secrets)",
					  a->name);
		strcpy(a->hash, old->hash);
		if (!st->key_line[AK_CHANGED])
			a->changed = old->changed;
	}
	if (!st->key_line[AK_GROUP])
		return line_error(st, st->cur_line,
				  "account '%s': group is missing", a->name);
	st->cur = NULL;
	return 0;
}

static int start_account(struct import_state *st, unsigned int line,
			 const char *name, size_t len)
{
	char msg[ACCT_ERR_MAX];
	char quoted[TEXT_QUOTE_MAX];
	struct account *a;

	if (finish_account(st))
		return -1;
	if (acct_name_check(name, len, msg, sizeof(msg)))
		return line_error(st, line, "[account]: %s", msg);
	text_quote(quoted, sizeof(quoted), name, len);
	if (st->db->n == ACCT_MAX)
		return line_error(st, line, "too many accounts (at most %s)",
				  "64");
	a = &st->db->acct[st->db->n];
	memset(a, 0, sizeof(*a));
	memcpy(a->name, name, len);
	if (acct_find_const(st->db, a->name))
		return line_error(st, line, "section [account %s] appears twice",
				  quoted);
	strcpy(a->hash, "!");
	a->changed = -1;
	st->db->n++;
	st->cur = a;
	st->cur_line = line;
	st->has_hash = 0;
	memset(st->key_line, 0, sizeof(st->key_line));
	if (!st->first_line)
		st->first_line = line;
	return 0;
}

static int set_account_key(struct import_state *st, unsigned int line,
			   int k, const char *val, size_t len)
{
	struct account *a = st->cur;
	char msg[ACCT_ERR_MAX];
	uint32_t v;
	int group;

	switch (k) {
	case AK_GROUP:
		group = acct_group_find(val, len);
		if (group < 0)
			return line_error(st, line, "%s",
					  "group: admins, users or guests");
		a->group = group;
		return 0;
	case AK_NOTE:
		if (acct_note_check(val, len, msg, sizeof(msg)))
			return line_error(st, line, "%s", msg);
		memcpy(a->note, val, len);
		return 0;
	case AK_HASH:
		if (acct_hash_check(val, len, msg, sizeof(msg)))
			return line_error(st, line, "%s", msg);
		memcpy(a->hash, val, len);
		st->has_hash = 1;
		return 0;
	default:
		if (text_parse_u32(val, len, &v) || v > 1000000)
			return line_error(st, line, "%s",
					  "password-changed: a day number (0: change at next login)");
		a->changed = v;
		return 0;
	}
}

static int account_line(struct import_state *st, unsigned int line,
			const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len), *key, *val;
	char quoted[TEXT_QUOTE_MAX];
	size_t key_len, val_len;
	int k;

	if (!eq)
		return line_error(st, line, "%s", "expected 'key = value'");
	key = s;
	key_len = eq - s;
	val = eq + 1;
	val_len = len - key_len - 1;
	text_trim(&key, &key_len);
	text_trim(&val, &val_len);
	text_quote(quoted, sizeof(quoted), key, key_len);
	for (k = 0; k < AK_NKEYS; k++) {
		if (strlen(account_keys[k]) == key_len &&
		    !memcmp(account_keys[k], key, key_len))
			break;
	}
	if (k == AK_NKEYS)
		return line_error(st, line, "unknown key '%s' in [account]",
				  quoted);
	if (st->key_line[k])
		return line_error(st, line, "'%s' is set twice in [account]",
				  quoted);
	st->key_line[k] = line;
	return set_account_key(st, line, k, val, val_len);
}

/*
 * Take the [account] sections out of @text: they are read here, and
 * blanked in @rest (same lines, so the configuration parser's line
 * numbers stay right).
 */
static int split_accounts(struct import_state *st, const char *text,
			  size_t len, char *rest)
{
	unsigned int line = 0;
	size_t pos = 0;

	memcpy(rest, text, len);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *s = text + pos, *name;
		size_t t = n, name_len;
		int hdr;

		line++;
		if (t && s[t - 1] == '\r')
			t--;
		text_trim(&s, &t);
		hdr = account_header(s, t, &name, &name_len);
		if (hdr) {
			if (start_account(st, line, name, name_len))
				return -1;
		} else if (t && s[0] == '[') {
			if (finish_account(st))
				return -1;
		} else if (st->cur && t && s[0] != '#') {
			if (account_line(st, line, s, t))
				return -1;
		}
		if (hdr || st->cur)
			memset(rest + pos, ' ', n);
		pos += n + 1;
	}
	return finish_account(st);
}

/* Imported accounts keep their uid; new ones get the next free ones. */
static void assign_uids(struct acct_db *db, const struct acct_db *old)
{
	uint32_t next = ACCT_UID_MIN;
	unsigned int i;

	for (i = 0; i < old->n; i++) {
		if (old->acct[i].uid >= next)
			next = old->acct[i].uid + 1;
	}
	for (i = 0; i < db->n; i++) {
		const struct account *o = acct_find_const(old, db->acct[i].name);

		db->acct[i].uid = o ? o->uid : next++;
	}
}

/* Both parts are read; of two errors, the first line's is reported. */
int transfer_import(struct pb_conf *conf, struct acct_db *db,
		    int *has_accounts, const char *text, size_t len,
		    struct conf_error *err)
{
	struct import_state st;
	struct conf_error aerr, cerr;
	struct acct_db *imported;
	struct pb_conf *tmp;
	char msg[ACCT_ERR_MAX];
	char *rest;
	int arc, crc, rc = -1;

	memset(err, 0, sizeof(*err));
	err->key = -1;
	if (len > CONF_FILE_MAX * 2) {
		snprintf(err->msg, sizeof(err->msg), "file is too large");
		return -1;
	}
	imported = calloc(1, sizeof(*imported));
	tmp = malloc(sizeof(*tmp));
	rest = malloc(len + 1);
	if (!imported || !rest || !tmp) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		goto out;
	}
	memset(&st, 0, sizeof(st));
	st.old = db;
	st.db = imported;
	st.err = &aerr;
	arc = split_accounts(&st, text, len, rest);
	if (!arc && imported->n) {
		assign_uids(imported, db);
		if (acct_db_check(imported, msg, sizeof(msg))) {
			arc = -1;
			line_error(&st, st.first_line, "%s", msg);
		}
	}
	*tmp = *conf;
	/* a broken account section is blank here: the rest still parses */
	crc = conf_parse(tmp, rest, len, &cerr);
	if (arc && (!crc || !cerr.line || aerr.line <= cerr.line)) {
		*err = aerr;
		goto out;
	}
	if (crc) {
		*err = cerr;
		goto out;
	}
	*conf = *tmp;
	*has_accounts = imported->n > 0;
	if (imported->n)
		*db = *imported;
	rc = 0;
out:
	if (imported)
		explicit_bzero(imported, sizeof(*imported));
	free(imported);
	free(tmp);
	free(rest);
	return rc;
}
