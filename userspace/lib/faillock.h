/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Login failures and lockouts per account, shared by every console: the
 * state lives in one small file on the persistent storage
 * (/data/etc/faillock), one line per account that has a story:
 *
 *	name failures locked-until last-method
 *
 * locked-until is a wall-clock time (seconds since 1970), so a lockout
 * outlasts a reboot; 0 means not locked.  last-method says how the last
 * successful login was checked (local or radius).  Pure: the file I/O
 * and its lock are in auth.c.
 */
#ifndef PB_FAILLOCK_H
#define PB_FAILLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"

#define FAILLOCK_FILE_MAX	(ACCT_MAX * 80)

enum auth_method {
	AUTH_METHOD_NONE,
	AUTH_METHOD_LOCAL,
	AUTH_METHOD_RADIUS,
	__AUTH_METHOD_MAX
};

struct faillock_entry {
	char name[ACCT_NAME_MAX];
	uint32_t failures;
	long long locked_until;
	uint32_t method;		/* enum auth_method */
};

struct faillock {
	unsigned int n;
	struct faillock_entry e[ACCT_MAX];
};

/* What lockout policy applies (from [console]). */
struct faillock_policy {
	int on;
	unsigned int retry_limit;	/* failures that lock */
	unsigned int locked_s;		/* how long */
};

const char *auth_method_name(uint32_t method);

/* Lenient: lines that do not parse are dropped (the state is advisory
 * and rebuilt by the next failures); never more than ACCT_MAX entries.
 */
void faillock_parse(struct faillock *fl, const char *buf, size_t len);
size_t faillock_format(const struct faillock *fl, char *buf, size_t size);

/* The entry of @name; with @create a new one (NULL if full). */
struct faillock_entry *faillock_get(struct faillock *fl, const char *name,
				    int create);
/* Drop entries of names not in @db. */
void faillock_prune(struct faillock *fl, const struct acct_db *db);

/*
 * Seconds @e stays locked at @now (0: not locked).  An expired lockout is
 * cleared; one further away than the policy allows (the clock went back)
 * is shortened to the policy's time.  Reaching the retry limit without a
 * lock (a check that never finished) locks now.
 */
unsigned int faillock_remaining(struct faillock_entry *e,
				const struct faillock_policy *p,
				long long now);

/*
 * Count an attempt before checking it, so parallel attempts cannot get
 * past the limit; faillock_result settles it.  Returns 1 if this failure
 * locked the account.
 */
void faillock_begin(struct faillock_entry *e);
int faillock_result(struct faillock_entry *e, int ok, uint32_t method,
		    const struct faillock_policy *p, long long now);

#endif /* PB_FAILLOCK_H */
