// SPDX-License-Identifier: GPL-2.0
/*
 * Account requests: list, add, edit, delete, a user's own password
 * change, and whoami (what pb-shell asks at every login).  The accounts
 * are read from their files for every request, changed as a whole and
 * written back: shadow first, then passwd, so that a power cut between
 * the two leaves at worst an entry without a password (no login) or a
 * hash without an entry (ignored), never a login nobody set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "password.h"
#include "pbconfd.h"
#include "text.h"

#define ACCT_TEXT_MAX	(ACCT_MAX * 320)

static char acct_text[ACCT_TEXT_MAX];

static int load(struct pbconfd *d, struct acct_db *db, char *reply,
		size_t size)
{
	char msg[ACCT_ERR_MAX];

	if (!auth_load_accounts(&d->auth, db, msg, sizeof(msg)))
		return 0;
	log_err("accounts: %s", msg);
	snprintf(reply, size, "error: accounts unreadable: %s", msg);
	return -1;
}

static int save(struct pbconfd *d, const struct acct_db *db, char *reply,
		size_t size)
{
	size_t len;
	int rc;

	len = acct_db_format_shadow(db, acct_text, sizeof(acct_text));
	rc = len < sizeof(acct_text) ?
	     write_file_atomic(d->auth.shadow_path, acct_text, len, 0600) :
	     -EFBIG;
	explicit_bzero(acct_text, sizeof(acct_text));
	if (!rc) {
		len = acct_db_format_passwd(db, acct_text, sizeof(acct_text));
		rc = len < sizeof(acct_text) ?
		     write_file_atomic(d->auth.passwd_path, acct_text, len,
				       0644) : -EFBIG;
	}
	if (rc) {
		log_err("accounts: cannot save: %s", strerror(-rc));
		snprintf(reply, size, "error: cannot save the accounts: %s",
			 strerror(-rc));
		return -1;
	}
	return 0;
}

static void make_home(struct pbconfd *d, const struct account *a)
{
	char path[256];

	if (!d->home_dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", d->home_dir, a->name);
	if (mkdir(path, 0700) && errno != EEXIST)
		return;
	if (chown(path, a->uid, acct_group_gid(a->group)) && geteuid() == 0)
		log_warn("cannot chown %s: %s", path, strerror(errno));
}

void accounts_homes(struct pbconfd *d)
{
	struct acct_db *db = malloc(sizeof(*db));
	char msg[ACCT_ERR_MAX];
	unsigned int i;

	if (!db)
		return;
	if (!auth_load_accounts(&d->auth, db, msg, sizeof(msg))) {
		for (i = 0; i < db->n; i++)
			make_home(d, &db->acct[i]);
	}
	explicit_bzero(db, sizeof(*db));
	free(db);
}

/* The new password's hash and day; 0, or -1 and the reason. */
static int set_password(struct pbconfd *d, struct account *a,
			const char *pw, int must_change, char *reply,
			size_t size)
{
	char msg[160];
	long today = pw_today();

	if (pw_policy_check(&d->conf.password, pw, a->name, msg,
			    sizeof(msg))) {
		snprintf(reply, size, "error: %s", msg);
		return -1;
	}
	if (pw_hash(pw, a->hash, sizeof(a->hash))) {
		snprintf(reply, size, "error: cannot hash the password");
		return -1;
	}
	/* no clock: no day to count from, so no aging */
	a->changed = must_change ? 0 : today ? today : -1;
	return 0;
}

static const char *state_name(const struct pbconfd *d,
			      const struct account *a)
{
	if (a->hash[0] != '$')
		return "none";
	switch (pw_state(a, &d->conf.password, pw_today())) {
	case PW_MUST_CHANGE:
		return "must-change";
	case PW_EXPIRED:
		return "expired";
	default:
		return "ok";
	}
}

static int list(struct pbconfd *d, char *reply, size_t size)
{
	struct acct_db *db = malloc(sizeof(*db));
	struct faillock_entry e;
	struct textbuf tb;
	unsigned int i;
	long long now = time(NULL);

	if (!db || load(d, db, reply, size)) {
		if (!db)
			snprintf(reply, size, "error: out of memory");
		free(db);
		return -1;
	}
	textbuf_init(&tb, reply, size);
	for (i = 0; i < db->n; i++) {
		const struct account *a = &db->acct[i];
		long long left = 0;

		if (!auth_lock_status(&d->auth, a->name, &e) &&
		    e.locked_until > now)
			left = e.locked_until - now;
		/* name group uid password locked-seconds note */
		textbuf_printf(&tb, "%s\t%s\t%u\t%s\t%lld\t%s\n", a->name,
			       acct_group_name(a->group), a->uid,
			       state_name(d, a), left, a->note);
	}
	explicit_bzero(db, sizeof(*db));
	free(db);
	if (!tb.len)
		snprintf(reply, size, "\n");
	return 0;
}

static int add(struct pbconfd *d, struct acct_db *db,
	       const struct ctl_request *req, char *reply, size_t size)
{
	struct account a;
	char msg[ACCT_ERR_MAX];

	memset(&a, 0, sizeof(a));
	strcpy(a.name, req->name);
	strcpy(a.note, req->note);
	a.group = req->group;
	if (acct_find(db, a.name)) {
		snprintf(reply, size, "error: account '%s' exists", a.name);
		return -1;
	}
	if (set_password(d, &a, req->password, req->must_change, reply,
			 size))
		return -1;
	if (acct_add(db, &a, msg, sizeof(msg))) {
		snprintf(reply, size, "error: %s", msg);
		return -1;
	}
	return 0;
}

static int edit(struct pbconfd *d, struct acct_db *db,
		const struct ctl_request *req, const struct ucred *cred,
		char *reply, size_t size)
{
	struct account *a = acct_find(db, req->name);
	char msg[ACCT_ERR_MAX];

	if (!a) {
		snprintf(reply, size, "error: no account '%s'", req->name);
		return -1;
	}
	if ((req->acct_set & CTL_ACCT_PASSWORD) && a->uid == cred->uid) {
		snprintf(reply, size,
			 "error: your own password: use 'pbctl passwd' (it asks for the current one)");
		return -1;
	}
	if ((req->acct_set & CTL_ACCT_GROUP) &&
	    acct_set_group(db, a->name, req->group, msg, sizeof(msg))) {
		snprintf(reply, size, "error: %s", msg);
		return -1;
	}
	if (req->acct_set & CTL_ACCT_NOTE)
		strcpy(a->note, req->note);
	if (req->acct_set & CTL_ACCT_PASSWORD) {
		/* a password someone else set is changed at first login */
		if (set_password(d, a, req->password,
				 !(req->acct_set & CTL_ACCT_MUST_CHANGE) ||
				 req->must_change, reply, size))
			return -1;
	} else if (req->acct_set & CTL_ACCT_MUST_CHANGE) {
		long today = pw_today();

		a->changed = req->must_change ? 0 : today ? today : -1;
	}
	return 0;
}

/* The caller changes its own password, knowing the current one. */
static int passwd(struct pbconfd *d, struct acct_db *db,
		  const struct ctl_request *req, const struct ucred *cred,
		  char *reply, size_t size)
{
	struct account *a = acct_find_uid(db, cred->uid);

	if (!a) {
		snprintf(reply, size, "error: uid %u has no account",
			 (unsigned int)cred->uid);
		return -1;
	}
	if (!auth_check_local(&d->auth, a->name, req->old_password,
			      "passwd")) {
		snprintf(reply, size,
			 "error: the current password is not right");
		return -1;
	}
	if (!strcmp(req->old_password, req->password)) {
		snprintf(reply, size,
			 "error: password: the new one must differ from the current one");
		return -1;
	}
	return set_password(d, a, req->password, 0, reply, size);
}

static int whoami(struct pbconfd *d, const struct ucred *cred, char *reply,
		  size_t size)
{
	struct acct_db *db = malloc(sizeof(*db));
	struct faillock_entry e;
	const struct account *a;
	const char *state;

	if (!db || load(d, db, reply, size)) {
		if (!db)
			snprintf(reply, size, "error: out of memory");
		free(db);
		return -1;
	}
	a = acct_find_uid(db, cred->uid);
	if (!a) {
		snprintf(reply, size, "error: uid %u has no account",
			 (unsigned int)cred->uid);
		free(db);
		return -1;
	}
	state = state_name(d, a);
	/* a password checked by RADIUS is the server's to age */
	if (!auth_lock_status(&d->auth, a->name, &e) &&
	    e.method == AUTH_METHOD_RADIUS)
		state = "ok";
	snprintf(reply, size,
		 "name %s\ngroup %s\nuid %u\npassword %s\nauto-logout %u\n",
		 a->name, acct_group_name(a->group), a->uid, state,
		 d->conf.console.auto_logout);
	explicit_bzero(db, sizeof(*db));
	free(db);
	return 0;
}

static void log_change(const struct ctl_request *req, const char *who,
		       const struct ucred *cred)
{
	static const char *const verbs[] = {
		[CTL_ACCOUNT_ADD] = "added",
		[CTL_ACCOUNT_EDIT] = "changed",
		[CTL_ACCOUNT_DELETE] = "deleted",
	};

	if (req->cmd == CTL_PASSWD) {
		log_msg(LOG_AUTH | LOG_NOTICE,
			"account: %s changed their password", who);
		return;
	}
	log_msg(LOG_AUTH | LOG_NOTICE,
		"account: %s %s%s%s%s%s%s by %s (uid %u)", req->name,
		verbs[req->cmd],
		req->cmd == CTL_ACCOUNT_ADD ? " in group " : "",
		req->cmd == CTL_ACCOUNT_ADD ? acct_group_name(req->group) : "",
		req->acct_set & CTL_ACCT_PASSWORD &&
		req->cmd == CTL_ACCOUNT_EDIT ? ": new password" : "",
		req->acct_set & CTL_ACCT_GROUP &&
		req->cmd == CTL_ACCOUNT_EDIT ? ", group" : "",
		req->acct_set & CTL_ACCT_UNLOCK ? ", unlocked" : "",
		who, (unsigned int)cred->uid);
}

static int change(struct pbconfd *d, struct ctl_request *req,
		  const struct ucred *cred, char *reply, size_t size)
{
	struct acct_db *db = malloc(sizeof(*db));
	char who[64], msg[ACCT_ERR_MAX];
	const struct account *a;
	int rc = -1;

	if (!db) {
		snprintf(reply, size, "error: out of memory");
		return -1;
	}
	if (load(d, db, reply, size))
		goto out;
	user_name(cred->uid, who, sizeof(who));
	switch (req->cmd) {
	case CTL_ACCOUNT_ADD:
		rc = add(d, db, req, reply, size);
		break;
	case CTL_ACCOUNT_EDIT:
		rc = edit(d, db, req, cred, reply, size);
		break;
	case CTL_ACCOUNT_DELETE:
		rc = acct_delete(db, req->name, msg, sizeof(msg));
		if (rc)
			snprintf(reply, size, "error: %s", msg);
		break;
	default:
		rc = passwd(d, db, req, cred, reply, size);
		break;
	}
	if (rc || save(d, db, reply, size)) {
		rc = -1;
		goto out;
	}
	if (req->acct_set & CTL_ACCT_UNLOCK)
		auth_unlock(&d->auth, req->name);
	a = acct_find_const(db, req->name);
	if (a && req->cmd == CTL_ACCOUNT_ADD)
		make_home(d, a);
	log_change(req, who, cred);
	snprintf(reply, size, "ok");
out:
	explicit_bzero(db, sizeof(*db));
	free(db);
	return rc;
}

int accounts_request(struct pbconfd *d, struct ctl_request *req,
		     const struct ucred *cred, enum role role, char *reply,
		     size_t size)
{
	switch (req->cmd) {
	case CTL_ACCOUNT_LIST:
		return list(d, reply, size);
	case CTL_WHOAMI:
		return whoami(d, cred, reply, size);
	case CTL_PASSWD:
		return change(d, req, cred, reply, size);
	default:
		break;
	}
	if (role != ROLE_ADMIN) {
		snprintf(reply, size, "error: permission denied");
		return -1;
	}
	return change(d, req, cred, reply, size);
}
