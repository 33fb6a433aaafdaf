// SPDX-License-Identifier: GPL-2.0
/* Login failures and lockouts: the state and its rules (pure). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faillock.h"
#include "text.h"

static const char *const method_names[__AUTH_METHOD_MAX] = {
	[AUTH_METHOD_NONE]	= "none",
	[AUTH_METHOD_LOCAL]	= "local",
	[AUTH_METHOD_RADIUS]	= "radius",
};

const char *auth_method_name(uint32_t method)
{
	return method < __AUTH_METHOD_MAX ? method_names[method] : "?";
}

static int parse_method(const char *s, size_t len, uint32_t *out)
{
	uint32_t i;

	for (i = 0; i < __AUTH_METHOD_MAX; i++) {
		if (strlen(method_names[i]) == len &&
		    !memcmp(method_names[i], s, len)) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

/* The next blank-separated word of (*s, *len). */
static int word(const char **s, size_t *len, const char **w, size_t *wlen)
{
	text_trim(s, len);
	if (!*len)
		return -1;
	*w = *s;
	*wlen = text_token_len(*s, *len);
	*s += *wlen;
	*len -= *wlen;
	return 0;
}

static int parse_ll(const char *s, size_t len, long long *out)
{
	long long v = 0;
	size_t i;

	if (!len || len > 15)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_line(struct faillock_entry *e, const char *s, size_t len)
{
	const char *w[4];
	size_t wl[4];
	char msg[ACCT_ERR_MAX];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (word(&s, &len, &w[i], &wl[i]))
			return -1;
	}
	text_trim(&s, &len);
	if (len || acct_name_check(w[0], wl[0], msg, sizeof(msg)) ||
	    text_parse_u32(w[1], wl[1], &e->failures) ||
	    e->failures > 1000000 ||
	    parse_ll(w[2], wl[2], &e->locked_until) ||
	    parse_method(w[3], wl[3], &e->method))
		return -1;
	memset(e->name, 0, sizeof(e->name));
	memcpy(e->name, w[0], wl[0]);
	return 0;
}

void faillock_parse(struct faillock *fl, const char *buf, size_t len)
{
	size_t pos = 0;

	memset(fl, 0, sizeof(*fl));
	while (pos < len && fl->n < ACCT_MAX) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		struct faillock_entry e;

		if (!parse_line(&e, buf + pos, n) &&
		    !faillock_get(fl, e.name, 0))
			fl->e[fl->n++] = e;
		pos += n + 1;
	}
}

size_t faillock_format(const struct faillock *fl, char *buf, size_t size)
{
	struct textbuf tb;
	unsigned int i;

	textbuf_init(&tb, buf, size);
	for (i = 0; i < fl->n; i++) {
		const struct faillock_entry *e = &fl->e[i];

		textbuf_printf(&tb, "%s %u %lld %s\n", e->name, e->failures,
			       e->locked_until, auth_method_name(e->method));
	}
	return tb.len;
}

struct faillock_entry *faillock_get(struct faillock *fl, const char *name,
				    int create)
{
	struct faillock_entry *e;
	unsigned int i;

	for (i = 0; i < fl->n; i++) {
		if (!strcmp(fl->e[i].name, name))
			return &fl->e[i];
	}
	if (!create || fl->n == ACCT_MAX ||
	    strlen(name) >= sizeof(e->name))
		return NULL;
	e = &fl->e[fl->n++];
	memset(e, 0, sizeof(*e));
	strcpy(e->name, name);
	return e;
}

void faillock_prune(struct faillock *fl, const struct acct_db *db)
{
	unsigned int i = 0;

	while (i < fl->n) {
		if (acct_find_const(db, fl->e[i].name)) {
			i++;
			continue;
		}
		fl->e[i] = fl->e[--fl->n];
	}
}

unsigned int faillock_remaining(struct faillock_entry *e,
				const struct faillock_policy *p,
				long long now)
{
	if (!p->on) {
		e->failures = 0;
		e->locked_until = 0;
		return 0;
	}
	if (!e->locked_until && e->failures >= p->retry_limit)
		e->locked_until = now + p->locked_s;
	if (!e->locked_until)
		return 0;
	if (now >= e->locked_until) {
		e->locked_until = 0;
		e->failures = 0;
		return 0;
	}
	if (e->locked_until - now > p->locked_s)
		e->locked_until = now + p->locked_s;
	return e->locked_until - now;
}

void faillock_begin(struct faillock_entry *e)
{
	if (e->failures < 1000000)
		e->failures++;
}

int faillock_result(struct faillock_entry *e, int ok, uint32_t method,
		    const struct faillock_policy *p, long long now)
{
	if (ok) {
		e->failures = 0;
		e->locked_until = 0;
		e->method = method;
		return 0;
	}
	if (!p->on || e->locked_until || e->failures < p->retry_limit)
		return 0;
	e->locked_until = now + p->locked_s;
	return 1;
}
