// SPDX-License-Identifier: GPL-2.0
/* Password policy and age (pure). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "password.h"

static int has(const char *pw, int (*pred)(unsigned char c))
{
	for (; *pw; pw++) {
		if (pred(*pw))
			return 1;
	}
	return 0;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_special(unsigned char c)
{
	return c && strchr(PW_SPECIALS, c) != NULL;
}

static int is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int pw_policy_check(const struct pb_password_conf *policy, const char *pw,
		    const char *name, char *msg, size_t size)
{
	size_t len = strnlen(pw, PW_MAX + 1);

	if (len < policy->min_length) {
		snprintf(msg, size, "password: at least %u characters, please",
			 policy->min_length);
		return -1;
	}
	if (len > PW_MAX) {
		snprintf(msg, size, "password: at most %d characters, please",
			 PW_MAX);
		return -1;
	}
	if (has(pw, is_control)) {
		snprintf(msg, size, "password: no control characters, please");
		return -1;
	}
	if (policy->need_digit && !has(pw, is_digit)) {
		snprintf(msg, size, "password: needs a digit (0-9)");
		return -1;
	}
	if (policy->need_mixed_case && (!has(pw, is_lower) ||
					!has(pw, is_upper))) {
		snprintf(msg, size,
			 "password: needs upper and lower case letters");
		return -1;
	}
	if (policy->need_special && !has(pw, is_special)) {
		snprintf(msg, size,
			 "password: needs a special character (%s)",
			 PW_SPECIALS);
		return -1;
	}
	if (name && !strcasecmp(pw, name)) {
		snprintf(msg, size, "password: must not be the account name");
		return -1;
	}
	return 0;
}

enum pw_state pw_state(const struct account *a,
		       const struct pb_password_conf *policy, long today)
{
	if (a->changed == 0)
		return PW_MUST_CHANGE;
	if (a->changed < 0 || !policy->lifetime || !today)
		return PW_OK;
	if (today - a->changed >= (long)policy->lifetime)
		return PW_EXPIRED;
	return PW_OK;
}

long pw_today(void)
{
	time_t now = time(NULL);

	if (now < 1577836800)	/* 2020-01-01 */
		return 0;
	return now / 86400;
}
