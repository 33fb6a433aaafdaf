// SPDX-License-Identifier: GPL-2.0
/* The accounts model and its passwd/shadow text (pure, no I/O). */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "text.h"

static const char *const group_names[__ACCT_GROUP_MAX] = {
	[ACCT_ADMINS]	= "admins",
	[ACCT_USERS]	= "users",
	[ACCT_GUESTS]	= "guests",
};

static const uint32_t group_gids[__ACCT_GROUP_MAX] = {
	[ACCT_ADMINS]	= ACCT_GID_ADMINS,
	[ACCT_USERS]	= ACCT_GID_USERS,
	[ACCT_GUESTS]	= ACCT_GID_GUESTS,
};

/* Names the board's own entries use, never an account's. */
static const char *const reserved_names[] = {
	"root", "admins", "users", "guests", "nobody", "daemon", "sshd",
};

const char *acct_group_name(uint32_t group)
{
	return group < __ACCT_GROUP_MAX ? group_names[group] : "?";
}

int acct_group_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < __ACCT_GROUP_MAX; i++) {
		if (strlen(group_names[i]) == len &&
		    !memcmp(group_names[i], name, len))
			return i;
	}
	return -1;
}

uint32_t acct_group_gid(uint32_t group)
{
	return group < __ACCT_GROUP_MAX ? group_gids[group] : 0;
}

static int group_of_gid(uint32_t gid)
{
	int i;

	for (i = 0; i < __ACCT_GROUP_MAX; i++) {
		if (group_gids[i] == gid)
			return i;
	}
	return -1;
}

/* Lower-case letters, digits, '_', '-' and '.'; a letter or '_' first. */
int acct_name_check(const char *name, size_t len, char *msg, size_t size)
{
	char quoted[TEXT_QUOTE_MAX];
	size_t i;

	text_quote(quoted, sizeof(quoted), name, len);
	if (len == 0 || len >= ACCT_NAME_MAX) {
		snprintf(msg, size, "name: '%s' must have 1 to %d characters",
			 quoted, ACCT_NAME_MAX - 1);
		return -1;
	}
	for (i = 0; i < len; i++) {
		char c = name[i];

		if ((c >= 'a' && c <= 'z') || c == '_' ||
		    (i && ((c >= '0' && c <= '9') || c == '-' || c == '.')))
			continue;
		snprintf(msg, size,
			 "name: '%s': a lower-case letter or '_' first, then letters, digits, '_', '-' or '.'",
			 quoted);
		return -1;
	}
	for (i = 0; i < sizeof(reserved_names) / sizeof(reserved_names[0]);
	     i++) {
		if (strlen(reserved_names[i]) == len &&
		    !memcmp(reserved_names[i], name, len)) {
			snprintf(msg, size, "name: '%s' is reserved", quoted);
			return -1;
		}
	}
	return 0;
}

/* Printable ASCII without ':' and ',' (passwd's separators). */
int acct_note_check(const char *note, size_t len, char *msg, size_t size)
{
	size_t i;

	if (len >= ACCT_NOTE_MAX) {
		snprintf(msg, size, "note: at most %d characters",
			 ACCT_NOTE_MAX - 1);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = note[i];

		if (c < 0x20 || c > 0x7e || c == ':' || c == ',') {
			snprintf(msg, size,
				 "note: printable characters other than ':' and ','");
			return -1;
		}
	}
	return 0;
}

static int hash_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("./$=,+-", c);
}

int acct_hash_check(const char *hash, size_t len, char *msg, size_t size)
{
	size_t i;

	if (len == 1 && (hash[0] == '!' || hash[0] == '*'))
		return 0;
	if (len < 3 || len >= ACCT_HASH_MAX || hash[0] != '$') {
		snprintf(msg, size, "password-hash: not a crypt(3) hash");
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (!hash_char_ok(hash[i])) {
			snprintf(msg, size,
				 "password-hash: not a crypt(3) hash");
			return -1;
		}
	}
	return 0;
}

/* ---- passwd and shadow text ---- */

struct fields {
	const char *f[9];
	size_t len[9];
	unsigned int n;
};

/* Split @len bytes at ':' into at most 9 fields; -1 if more. */
static int split_fields(const char *s, size_t len, struct fields *fl)
{
	size_t start = 0, i;

	fl->n = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != ':')
			continue;
		if (fl->n == 9)
			return -1;
		fl->f[fl->n] = s + start;
		fl->len[fl->n] = i - start;
		fl->n++;
		start = i + 1;
	}
	return 0;
}

static int parse_long(const char *s, size_t len, long *out)
{
	uint32_t v;

	if (text_parse_u32(s, len, &v) || v > 1000000)
		return -1;
	*out = v;
	return 0;
}

/* Call @fn for each line (without its newline) of @buf; stop on error. */
static int each_line(const char *buf, size_t len,
		     int (*fn)(void *arg, unsigned int line, const char *s,
			       size_t n),
		     void *arg)
{
	unsigned int line = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		line++;
		if (n && fn(arg, line, buf + pos, n))
			return -1;
		pos += n + 1;
	}
	return 0;
}

struct parse_ctx {
	struct acct_db *db;
	char *msg;
	size_t size;
};

static int passwd_error(struct parse_ctx *ctx, unsigned int line,
			const char *what)
{
	snprintf(ctx->msg, ctx->size, "passwd line %u: %s", line, what);
	return -1;
}

static int passwd_line(void *arg, unsigned int line, const char *s, size_t n)
{
	struct parse_ctx *ctx = arg;
	char problem[ACCT_ERR_MAX];
	struct account *a;
	struct fields fl;
	uint32_t uid, gid;
	int group;

	if (split_fields(s, n, &fl) || fl.n != 7)
		return passwd_error(ctx, line, "expected 7 fields");
	if (text_parse_u32(fl.f[2], fl.len[2], &uid) ||
	    text_parse_u32(fl.f[3], fl.len[3], &gid))
		return passwd_error(ctx, line, "uid or gid is not a number");
	if (uid < ACCT_UID_MIN)
		return 0;	/* root and the image's own entries */
	if (uid > ACCT_UID_MAX)
		return passwd_error(ctx, line, "uid out of range");
	group = group_of_gid(gid);
	if (group < 0)
		return passwd_error(ctx, line, "gid is not admins, users or guests");
	if (acct_name_check(fl.f[0], fl.len[0], problem, sizeof(problem)) ||
	    acct_note_check(fl.f[4], fl.len[4], problem, sizeof(problem)))
		return passwd_error(ctx, line, problem);
	if (ctx->db->n == ACCT_MAX)
		return passwd_error(ctx, line, "too many accounts");
	a = &ctx->db->acct[ctx->db->n];
	memset(a, 0, sizeof(*a));
	memcpy(a->name, fl.f[0], fl.len[0]);
	memcpy(a->note, fl.f[4], fl.len[4]);
	a->uid = uid;
	a->group = group;
	strcpy(a->hash, "!");
	a->changed = 0;
	if (acct_find_const(ctx->db, a->name))
		return passwd_error(ctx, line, "name appears twice");
	ctx->db->n++;
	return 0;
}

static int shadow_line(void *arg, unsigned int line, const char *s, size_t n)
{
	struct parse_ctx *ctx = arg;
	char name[ACCT_NAME_MAX];
	char problem[ACCT_ERR_MAX];
	struct account *a;
	struct fields fl;
	long day = -1;

	if (split_fields(s, n, &fl) || fl.n < 3) {
		snprintf(ctx->msg, ctx->size, "shadow line %u: too few fields",
			 line);
		return -1;
	}
	if (fl.len[0] >= sizeof(name))
		return 0;	/* not an account of ours */
	memcpy(name, fl.f[0], fl.len[0]);
	name[fl.len[0]] = '\0';
	a = acct_find(ctx->db, name);
	if (!a)
		return 0;
	if (acct_hash_check(fl.f[1], fl.len[1], problem, sizeof(problem))) {
		snprintf(ctx->msg, ctx->size, "shadow line %u: %s", line,
			 problem);
		return -1;
	}
	if (fl.len[2] && parse_long(fl.f[2], fl.len[2], &day)) {
		snprintf(ctx->msg, ctx->size,
			 "shadow line %u: last change is not a day", line);
		return -1;
	}
	memset(a->hash, 0, sizeof(a->hash));
	memcpy(a->hash, fl.f[1], fl.len[1]);
	a->changed = day;
	return 0;
}

int acct_db_parse(struct acct_db *db, const char *passwd, size_t plen,
		  const char *shadow, size_t slen, char *msg, size_t size)
{
	struct parse_ctx ctx = { db, msg, size };

	memset(db, 0, sizeof(*db));
	if (each_line(passwd, plen, passwd_line, &ctx) ||
	    each_line(shadow, slen, shadow_line, &ctx)) {
		memset(db, 0, sizeof(*db));
		return -1;
	}
	return 0;
}

size_t acct_db_format_passwd(const struct acct_db *db, char *buf,
			     size_t size)
{
	struct textbuf tb;
	unsigned int i;

	textbuf_init(&tb, buf, size);
	textbuf_printf(&tb, "root:x:0:0:root:/root:/bin/false\n");
	for (i = 0; i < db->n; i++) {
		const struct account *a = &db->acct[i];

		textbuf_printf(&tb, "%s:x:%u:%u:%s:/home/%s:%s\n", a->name,
			       a->uid, acct_group_gid(a->group), a->note,
			       a->name,
			       a->group == ACCT_GUESTS ? ACCT_NOLOGIN :
							 ACCT_SHELL);
	}
	return tb.len;
}

size_t acct_db_format_shadow(const struct acct_db *db, char *buf,
			     size_t size)
{
	struct textbuf tb;
	unsigned int i;

	textbuf_init(&tb, buf, size);
	textbuf_printf(&tb, "root:*:::::::\n");
	for (i = 0; i < db->n; i++) {
		const struct account *a = &db->acct[i];
		char day[24] = "";

		if (a->changed >= 0)
			snprintf(day, sizeof(day), "%ld", a->changed);
		/* name:hash:lastchg:min:max:warn:inactive:expire:reserved;
		 * the lifetime is the board's policy, not a per-account max
		 */
		textbuf_printf(&tb, "%s:%s:%s::::::\n", a->name, a->hash, day);
	}
	return tb.len;
}

/* ---- the set and changes to it ---- */

struct account *acct_find(struct acct_db *db, const char *name)
{
	unsigned int i;

	for (i = 0; i < db->n; i++) {
		if (!strcmp(db->acct[i].name, name))
			return &db->acct[i];
	}
	return NULL;
}

const struct account *acct_find_const(const struct acct_db *db,
				      const char *name)
{
	return acct_find((struct acct_db *)db, name);
}

struct account *acct_find_uid(struct acct_db *db, uint32_t uid)
{
	unsigned int i;

	for (i = 0; i < db->n; i++) {
		if (db->acct[i].uid == uid)
			return &db->acct[i];
	}
	return NULL;
}

unsigned int acct_count_group(const struct acct_db *db, uint32_t group)
{
	unsigned int i, n = 0;

	for (i = 0; i < db->n; i++)
		n += db->acct[i].group == group;
	return n;
}

static int check_account(const struct account *a, char *msg, size_t size)
{
	char problem[ACCT_ERR_MAX];
	size_t nlen = strnlen(a->name, ACCT_NAME_MAX);

	if (nlen == ACCT_NAME_MAX ||
	    acct_name_check(a->name, nlen, problem, sizeof(problem)) ||
	    strnlen(a->note, ACCT_NOTE_MAX) == ACCT_NOTE_MAX ||
	    acct_note_check(a->note, strlen(a->note), problem,
			    sizeof(problem)) ||
	    strnlen(a->hash, ACCT_HASH_MAX) == ACCT_HASH_MAX ||
	    acct_hash_check(a->hash, strlen(a->hash), problem,
			    sizeof(problem))) {
		snprintf(msg, size, "account '%.32s': %s", a->name, problem);
		return -1;
	}
	if (a->group >= __ACCT_GROUP_MAX || a->uid < ACCT_UID_MIN ||
	    a->uid > ACCT_UID_MAX) {
		snprintf(msg, size, "account '%s': bad group or uid", a->name);
		return -1;
	}
	return 0;
}

int acct_db_check(const struct acct_db *db, char *msg, size_t size)
{
	unsigned int i, j;

	if (db->n > ACCT_MAX) {
		snprintf(msg, size, "too many accounts (at most %d)", ACCT_MAX);
		return -1;
	}
	for (i = 0; i < db->n; i++) {
		if (check_account(&db->acct[i], msg, size))
			return -1;
		for (j = 0; j < i; j++) {
			if (!strcmp(db->acct[i].name, db->acct[j].name) ||
			    db->acct[i].uid == db->acct[j].uid) {
				snprintf(msg, size,
					 "account '%s': name or uid used twice",
					 db->acct[i].name);
				return -1;
			}
		}
	}
	if (!acct_count_group(db, ACCT_ADMINS)) {
		snprintf(msg, size,
			 "at least one account must be in group admins");
		return -1;
	}
	return 0;
}

static uint32_t next_uid(const struct acct_db *db)
{
	uint32_t uid = ACCT_UID_MIN;
	unsigned int i;

	for (i = 0; i < db->n; i++) {
		if (db->acct[i].uid >= uid)
			uid = db->acct[i].uid + 1;
	}
	return uid;
}

int acct_add(struct acct_db *db, const struct account *a, char *msg,
	     size_t size)
{
	struct account *n;

	if (acct_find(db, a->name)) {
		snprintf(msg, size, "account '%s' exists", a->name);
		return -1;
	}
	if (db->n == ACCT_MAX) {
		snprintf(msg, size, "too many accounts (at most %d)", ACCT_MAX);
		return -1;
	}
	n = &db->acct[db->n];
	*n = *a;
	n->uid = next_uid(db);
	if (n->uid > ACCT_UID_MAX || check_account(n, msg, size))
		return -1;
	db->n++;
	return 0;
}

static int last_admin(const struct acct_db *db, const struct account *a,
		      const char *what, char *msg, size_t size)
{
	if (a->group != ACCT_ADMINS || acct_count_group(db, ACCT_ADMINS) > 1)
		return 0;
	snprintf(msg, size,
		 "account '%s' is the last admin: cannot %s it (add another admin first)",
		 a->name, what);
	return -1;
}

int acct_delete(struct acct_db *db, const char *name, char *msg,
		size_t size)
{
	struct account *a = acct_find(db, name);

	if (!a) {
		snprintf(msg, size, "no account '%.32s'", name);
		return -1;
	}
	if (last_admin(db, a, "delete", msg, size))
		return -1;
	memmove(a, a + 1, (db->acct + db->n - (a + 1)) * sizeof(*a));
	db->n--;
	return 0;
}

int acct_set_group(struct acct_db *db, const char *name, uint32_t group,
		   char *msg, size_t size)
{
	struct account *a = acct_find(db, name);

	if (!a) {
		snprintf(msg, size, "no account '%.32s'", name);
		return -1;
	}
	if (group >= __ACCT_GROUP_MAX) {
		snprintf(msg, size, "no such group");
		return -1;
	}
	if (group != a->group && last_admin(db, a, "move", msg, size))
		return -1;
	a->group = group;
	return 0;
}
