// SPDX-License-Identifier: GPL-2.0
/* Logging in: lockout, local and RADIUS checks, constant-time failures. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "fileio.h"
#include "log.h"
#include "password.h"
#include "radius.h"
#include "text.h"

#define ACCT_FILE_MAX	(ACCT_MAX * 320)

void auth_ctx_init(struct auth_ctx *ctx)
{
	ctx->conf_path = AUTH_CONF_PATH;
	ctx->passwd_path = AUTH_PASSWD_PATH;
	ctx->shadow_path = AUTH_SHADOW_PATH;
	ctx->faillock_path = AUTH_FAILLOCK_PATH;
	ctx->lock_path = AUTH_LOCK_PATH;
	ctx->radius = radius_authenticate;
	ctx->fail_floor_ms = AUTH_FAIL_FLOOR_MS;
}

void auth_load_conf(const char *path, struct pb_conf *conf)
{
	struct conf_error err;
	char msg[CONF_ERR_MAX + 32];
	size_t len;
	char *buf;
	int rc;

	/* any port count: the file may hold per-port sections */
	conf_init_defaults(conf, PB_MAX_PORTS);
	rc = read_file(path, CONF_FILE_MAX, &buf, &len);
	if (rc) {
		log_warn("cannot read %s (%s): login settings are the defaults",
			 path, strerror(-rc));
		return;
	}
	if (conf_parse(conf, buf, len, &err)) {
		conf_error_format(&err, msg, sizeof(msg));
		log_err("%s: %s: login settings are the defaults", path, msg);
	}
	explicit_bzero(buf, len);
	free(buf);
}

int auth_load_accounts(const struct auth_ctx *ctx, struct acct_db *db,
		       char *msg, size_t size)
{
	char *passwd = NULL, *shadow = NULL;
	size_t plen, slen;
	int rc;

	rc = read_file(ctx->passwd_path, ACCT_FILE_MAX, &passwd, &plen);
	if (rc) {
		snprintf(msg, size, "cannot read %s: %s", ctx->passwd_path,
			 strerror(-rc));
		return -1;
	}
	rc = read_file(ctx->shadow_path, ACCT_FILE_MAX, &shadow, &slen);
	if (rc) {
		snprintf(msg, size, "cannot read %s: %s", ctx->shadow_path,
			 strerror(-rc));
		free(passwd);
		return -1;
	}
	rc = acct_db_parse(db, passwd, plen, shadow, slen, msg, size);
	explicit_bzero(shadow, slen);
	free(shadow);
	free(passwd);
	return rc;
}

/* ---- the lockout state, under an exclusive lock ---- */

static int state_lock(const struct auth_ctx *ctx)
{
	int fd = open(ctx->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX)) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static void state_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static void state_read(const struct auth_ctx *ctx, struct faillock *fl)
{
	size_t len;
	char *buf;

	if (read_file(ctx->faillock_path, FAILLOCK_FILE_MAX, &buf, &len)) {
		memset(fl, 0, sizeof(*fl));
		return;
	}
	faillock_parse(fl, buf, len);
	free(buf);
}

static void state_write(const struct auth_ctx *ctx, const struct faillock *fl)
{
	char buf[FAILLOCK_FILE_MAX];
	size_t len = faillock_format(fl, buf, sizeof(buf));
	int rc;

	if (len >= sizeof(buf))
		return;
	rc = write_file_atomic(ctx->faillock_path, buf, len, 0600);
	if (rc)
		log_err("cannot save %s: %s", ctx->faillock_path,
			strerror(-rc));
}

static void lock_policy(const struct pb_conf *conf, struct faillock_policy *p)
{
	p->on = conf->console.lockout;
	p->retry_limit = conf->console.retry_limit;
	p->locked_s = conf->console.locked_time * 60;
}

static long long wall_now(void)
{
	return time(NULL);
}

/*
 * Before the check: is @name locked?  If not, count the attempt.  Returns
 * the seconds left of a lockout (0: go on).
 */
static unsigned int attempt_begin(const struct auth_ctx *ctx,
				  const struct faillock_policy *p,
				  const char *name)
{
	struct faillock fl;
	struct faillock_entry *e;
	unsigned int left = 0;
	int fd = state_lock(ctx);

	state_read(ctx, &fl);
	e = faillock_get(&fl, name, 1);
	if (e) {
		left = faillock_remaining(e, p, wall_now());
		if (!left && p->on)
			faillock_begin(e);
		state_write(ctx, &fl);
	}
	state_unlock(fd);
	return left;
}

static void attempt_end(const struct auth_ctx *ctx,
			const struct faillock_policy *p, const char *name,
			int ok, uint32_t method, const char *from)
{
	struct faillock fl;
	struct faillock_entry *e;
	int fd = state_lock(ctx);

	state_read(ctx, &fl);
	e = faillock_get(&fl, name, 1);
	if (e && faillock_result(e, ok, method, p, wall_now()))
		log_msg(LOG_AUTH | LOG_WARNING,
			"lockout: %s locked for %u min after %u failed logins (the last from %s)",
			name, p->locked_s / 60, e->failures, from);
	state_write(ctx, &fl);
	state_unlock(fd);
}

int auth_lock_status(const struct auth_ctx *ctx, const char *name,
		     struct faillock_entry *out)
{
	struct faillock fl;
	struct faillock_entry *e;
	int fd = state_lock(ctx);

	state_read(ctx, &fl);
	state_unlock(fd);
	e = faillock_get(&fl, name, 0);
	if (!e)
		return -1;
	*out = *e;
	return 0;
}

int auth_unlock(const struct auth_ctx *ctx, const char *name)
{
	struct faillock fl;
	struct faillock_entry *e;
	int fd = state_lock(ctx);

	state_read(ctx, &fl);
	e = faillock_get(&fl, name, 0);
	if (e) {
		e->failures = 0;
		e->locked_until = 0;
		state_write(ctx, &fl);
	}
	state_unlock(fd);
	return e ? 0 : -1;
}

/* ---- the checks ---- */

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_until_ms(long long deadline)
{
	long long left = deadline - mono_ms();
	struct timespec ts;

	if (left <= 0)
		return;
	ts.tv_sec = left / 1000;
	ts.tv_nsec = (left % 1000) * 1000000;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* One method on @user: a local check costs a hash even without one. */
static enum auth_answer check_method(const struct auth_ctx *ctx,
				     const struct pb_conf *conf,
				     uint32_t method, const char *user,
				     const struct account *a, const char *pw,
				     char *why, size_t size)
{
	char msg[RADIUS_MESSAGE_MAX];
	enum auth_answer ans;

	if (method == AUTH_METHOD_LOCAL) {
		if (pw_verify(pw, a ? a->hash : "!"))
			return AUTH_ACCEPT;
		snprintf(why, size, "local: %s",
			 !a ? "no such account" :
			 a->hash[0] != '$' ? "no local password" :
					     "wrong password");
		return AUTH_REJECT;
	}
	msg[0] = '\0';
	ans = ctx->radius(&conf->radius, user, pw, msg, sizeof(msg));
	snprintf(why, size, "radius: %s%s%s",
		 ans == AUTH_ACCEPT ? "accepted" :
		 ans == AUTH_REJECT ? "rejected" : "no answer",
		 msg[0] ? ": " : "", msg);
	return ans;
}

/*
 * The configured type, then with try-next the other one after a denial
 * (or no answer).  Returns the method that accepted, or NONE.
 */
static uint32_t check_password(const struct auth_ctx *ctx,
			       const struct pb_conf *conf, const char *user,
			       const struct account *a, const char *pw,
			       char *why, size_t size)
{
	uint32_t first = conf->console.auth_type == CONF_AUTH_RADIUS ?
			 AUTH_METHOD_RADIUS : AUTH_METHOD_LOCAL;
	uint32_t order[2] = {
		first,
		first == AUTH_METHOD_LOCAL ? AUTH_METHOD_RADIUS :
					     AUTH_METHOD_LOCAL,
	};
	struct textbuf tb;
	char one[160];
	unsigned int i, n = conf->console.try_next ? 2 : 1;

	textbuf_init(&tb, why, size);
	for (i = 0; i < n; i++) {
		enum auth_answer ans = check_method(ctx, conf, order[i], user,
						    a, pw, one, sizeof(one));

		if (ans == AUTH_ACCEPT)
			return order[i];
		textbuf_printf(&tb, "%s%s", i ? "; " : "", one);
	}
	return AUTH_METHOD_NONE;
}

/* A name for the log: printable, short; never the password. */
static void log_name(const char *user, char *buf, size_t size)
{
	text_quote(buf, size, user, strnlen(user, 64));
}

int auth_login(const struct auth_ctx *ctx, const char *service,
	       const char *user, const char *pw, const char *from,
	       struct auth_result *res)
{
	long long start = mono_ms();
	struct faillock_policy policy;
	struct acct_db *db;
	const struct account *a = NULL;
	struct pb_conf *conf;
	char why[400], name[TEXT_QUOTE_MAX], msg[ACCT_ERR_MAX];
	unsigned int locked = 0;
	uint32_t method = AUTH_METHOD_NONE;

	memset(res, 0, sizeof(*res));
	conf = malloc(sizeof(*conf));
	db = malloc(sizeof(*db));
	if (!conf || !db) {
		free(conf);
		free(db);
		sleep_until_ms(start + ctx->fail_floor_ms);
		return 0;
	}
	auth_load_conf(ctx->conf_path, conf);
	lock_policy(conf, &policy);
	log_name(user, name, sizeof(name));
	if (auth_load_accounts(ctx, db, msg, sizeof(msg))) {
		log_err("accounts: %s", msg);
		db->n = 0;
	}
	a = acct_find_const(db, user);
	if (a)
		locked = attempt_begin(ctx, &policy, a->name);
	if (locked) {
		/* the same work as a wrong password, no server asked */
		pw_verify(pw, "!");
		snprintf(why, sizeof(why), "locked for %u more s", locked);
	} else {
		method = check_password(ctx, conf, user, a, pw, why,
					sizeof(why));
	}
	if (a && !locked)
		attempt_end(ctx, &policy, a->name,
			    method != AUTH_METHOD_NONE &&
			    a->group != ACCT_GUESTS, method, from);
	if (method != AUTH_METHOD_NONE && a && a->group == ACCT_GUESTS) {
		snprintf(why, sizeof(why), "guests may not log in");
		method = AUTH_METHOD_NONE;
	} else if (method != AUTH_METHOD_NONE && !a) {
		snprintf(why, sizeof(why), "%s accepted, but there is no such account",
			 auth_method_name(method));
		method = AUTH_METHOD_NONE;
	}

	if (method == AUTH_METHOD_NONE) {
		log_msg(LOG_AUTH | LOG_WARNING,
			"login failed: '%s' from %s via %s (%s)", name, from,
			service, why);
		sleep_until_ms(start + ctx->fail_floor_ms);
	} else {
		res->ok = 1;
		res->method = method;
		res->group = a->group;
		res->uid = a->uid;
		if (method == AUTH_METHOD_LOCAL)
			res->must_change = pw_state(a, &conf->password,
						    pw_today());
		log_msg(LOG_AUTH | LOG_NOTICE,
			"login: %s (%s) from %s via %s (%s)", a->name,
			acct_group_name(a->group), from, service,
			auth_method_name(method));
	}
	explicit_bzero(conf->radius.secret, sizeof(conf->radius.secret));
	free(conf);
	explicit_bzero(db, sizeof(*db));
	free(db);
	return res->ok;
}

int auth_check_local(const struct auth_ctx *ctx, const char *name,
		     const char *pw, const char *service)
{
	long long start = mono_ms();
	struct faillock_policy policy;
	struct acct_db *db = malloc(sizeof(*db));
	const struct account *a = NULL;
	struct pb_conf *conf = malloc(sizeof(*conf));
	char msg[ACCT_ERR_MAX];
	unsigned int locked = 0;
	int ok = 0;

	if (!db || !conf)
		goto out;
	auth_load_conf(ctx->conf_path, conf);
	lock_policy(conf, &policy);
	if (!auth_load_accounts(ctx, db, msg, sizeof(msg)))
		a = acct_find_const(db, name);
	if (a)
		locked = attempt_begin(ctx, &policy, a->name);
	ok = pw_verify(pw, a && !locked ? a->hash : "!");
	if (a && !locked)
		attempt_end(ctx, &policy, a->name, ok, AUTH_METHOD_LOCAL,
			    service);
out:
	if (!ok) {
		log_msg(LOG_AUTH | LOG_WARNING,
			"password check failed for %s via %s%s", name, service,
			locked ? " (locked)" : "");
		sleep_until_ms(start + ctx->fail_floor_ms);
	}
	if (db)
		explicit_bzero(db, sizeof(*db));
	free(db);
	if (conf)
		explicit_bzero(conf->radius.secret, sizeof(conf->radius.secret));
	free(conf);
	return ok;
}
