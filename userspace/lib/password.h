/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Passwords: the policy a new password must meet, its age, and hashing
 * with libcrypt.  The policy and the age are pure; pw_hash and pw_verify
 * call crypt(3) and getrandom(2).
 */
#ifndef PB_PASSWORD_H
#define PB_PASSWORD_H

#include <stddef.h>

#include "account.h"
#include "conf.h"

#define PW_MAX		64	/* characters in a password */
/* What "need-special" asks for: printable, neither letter nor digit. */
#define PW_SPECIALS	"~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/ "

/* 0 if @pw (NUL-terminated) meets @policy, else -1 and the reason. */
int pw_policy_check(const struct pb_password_conf *policy, const char *pw,
		    const char *name, char *msg, size_t size);

enum pw_state {
	PW_OK,
	PW_MUST_CHANGE,		/* first login, or set by an administrator */
	PW_EXPIRED,		/* older than the policy's lifetime */
};

/*
 * The state of @a's local password on day @today (days since 1970; 0 if
 * the clock is not set, when nothing expires).
 */
enum pw_state pw_state(const struct account *a,
		       const struct pb_password_conf *policy, long today);

/* Days since 1970, 0 if the clock is clearly not set (before 2020). */
long pw_today(void);

/*
 * Hash @pw with yescrypt (libcrypt's default cost) into @out.  0 or -1.
 */
int pw_hash(const char *pw, char *out, size_t size);

/*
 * 1 if @pw matches @hash.  A hash that cannot match ("!", "*", garbage)
 * still costs one hash computation, so the answer takes as long as for a
 * real account.
 */
int pw_verify(const char *pw, const char *hash);

#endif /* PB_PASSWORD_H */
