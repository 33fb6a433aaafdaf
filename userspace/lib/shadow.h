/* SPDX-License-Identifier: GPL-2.0 */
/* Passwords and shadow(5) entries (pure helpers). */
#ifndef PB_SHADOW_H
#define PB_SHADOW_H

#include <stddef.h>

/* No 0/O, 1/l/I: passwords are read off a console and typed by hand. */
#define PASSWORD_ALPHABET \
	"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#define PASSWORD_LEN	16

/*
 * Turn random bytes into @len password characters (plus NUL in @out) by
 * rejection sampling, so every character is equally likely.  Returns the
 * number of random bytes used, or 0 if @n bytes were not enough.
 */
size_t password_from_random(const unsigned char *rnd, size_t n, char *out,
			    size_t len);

/*
 * One shadow(5) line (with newline) for @user with @hash; @days is the
 * day of the last change (days since 1970), 0 if unknown (left empty, so
 * no aging applies).  Returns the length, >= size if it did not fit.
 */
size_t shadow_format_line(char *buf, size_t size, const char *user,
			  const char *hash, long days);

#endif /* PB_SHADOW_H */
