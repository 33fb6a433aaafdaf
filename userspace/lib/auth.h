/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging in: the one path every console takes (SSH through the PAM
 * module and pb-auth, the serial console through pb-login, password
 * changes through pbconfd), so a lockout earned on one holds on all.
 *
 * A login attempt: the account's lockout state is checked and the attempt
 * counted (under a lock, in /data/etc/faillock), then the password is
 * checked by the configured type (local or RADIUS) and, with "try next"
 * on, by the other type after a denial.  A failure is answered no sooner
 * than AUTH_FAIL_FLOOR_MS after the attempt began, and the same way
 * whether the account does not exist, is a guest, is locked or the
 * password was wrong; only the log tells them apart.
 */
#ifndef PB_AUTH_H
#define PB_AUTH_H

#include <stddef.h>

#include "account.h"
#include "conf.h"
#include "faillock.h"

#define AUTH_CONF_PATH		"/run/portbridge/system.conf"
#define AUTH_PASSWD_PATH	"/data/etc/passwd"
#define AUTH_SHADOW_PATH	"/data/etc/shadow"
#define AUTH_FAILLOCK_PATH	"/data/etc/faillock"
#define AUTH_LOCK_PATH		"/run/portbridge/faillock.lock"

#define AUTH_FAIL_FLOOR_MS	1500

/* What a method said. */
enum auth_answer {
	AUTH_ACCEPT,
	AUTH_REJECT,
	AUTH_ERROR,		/* no answer: server down, misconfigured */
};

/*
 * Ask the RADIUS server of @rc about @user and @pw; a Reply-Message goes
 * into @msg.  radius_client.c has the real one.
 */
typedef enum auth_answer (*auth_radius_fn)(const struct pb_radius_conf *rc,
					   const char *user, const char *pw,
					   char *msg, size_t size);

struct auth_ctx {
	const char *conf_path;
	const char *passwd_path;
	const char *shadow_path;
	const char *faillock_path;
	const char *lock_path;
	auth_radius_fn radius;
	unsigned int fail_floor_ms;
};

/* The board's paths and the real RADIUS client. */
void auth_ctx_init(struct auth_ctx *ctx);

struct auth_result {
	int ok;
	uint32_t method;		/* enum auth_method that accepted */
	uint32_t group;			/* enum acct_group */
	uint32_t uid;
	int must_change;		/* enum pw_state, local logins only */
};

/*
 * One login attempt by @user with @pw on console @service ("ssh",
 * "serial", "passwd") from @from (an address or a tty).  Logs it.
 * Returns @res->ok.
 */
int auth_login(const struct auth_ctx *ctx, const char *service,
	       const char *user, const char *pw, const char *from,
	       struct auth_result *res);

/*
 * Check @name's local password only (a password change checks the old
 * one), with the same lockout and timing as a login.  1 if right.
 */
int auth_check_local(const struct auth_ctx *ctx, const char *name,
		     const char *pw, const char *service);

/* The settings logins follow (defaults if the file is missing or bad). */
void auth_load_conf(const char *path, struct pb_conf *conf);

/* Read the accounts; 0 or -1 and @msg. */
int auth_load_accounts(const struct auth_ctx *ctx, struct acct_db *db,
		       char *msg, size_t size);

/* Lockout state of one account, for pbctl (under the lock). */
int auth_lock_status(const struct auth_ctx *ctx, const char *name,
		     struct faillock_entry *out);
/* Clear an account's failures and lockout (an admin unlocked it). */
int auth_unlock(const struct auth_ctx *ctx, const char *name);

/* radius_client.c */
enum auth_answer radius_authenticate(const struct pb_radius_conf *rc,
				     const char *user, const char *pw,
				     char *msg, size_t size);

#endif /* PB_AUTH_H */
