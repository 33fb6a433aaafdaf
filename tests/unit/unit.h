/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny unit test helper.  Each test is a function; the runner forks one
 * child per test, so a failed check (which exits) or a crash fails only
 * that test.
 */
#ifndef PB_UNIT_H
#define PB_UNIT_H

#include <stddef.h>
#include <stdint.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

struct unit_suite {
	const char *name;
	const struct unit_test *tests;
	size_t count;
};

#define UNIT_SUITE(var, label, array) \
	const struct unit_suite var = { label, array, \
					sizeof(array) / sizeof(array[0]) }

void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__, "%s", #cond);	\
	} while (0)

#define CHECK_INT(a, b)							\
	do {								\
		long long a_ = (a), b_ = (b);				\
		if (a_ != b_)						\
			unit_fail(__FILE__, __LINE__,			\
				  "%s == %lld, expected %lld", #a, a_, b_); \
	} while (0)

#define CHECK_STR(a, b)							\
	do {								\
		const char *a_ = (a), *b_ = (b);			\
		if (strcmp(a_, b_))					\
			unit_fail(__FILE__, __LINE__,			\
				  "%s == \"%s\", expected \"%s\"", #a,	\
				  a_, b_);				\
	} while (0)

/* Helpers for tests that need files. */
const char *unit_env(const char *name);		/* fails if unset */
/* A fresh directory under $PB_TMPDIR, named after the test. */
void unit_tmpdir(char *buf, size_t size, const char *name);
/* Read a whole file (fails the test if it cannot). */
char *unit_read(const char *path, size_t *len);

#endif /* PB_UNIT_H */
