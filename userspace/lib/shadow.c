// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "shadow.h"

size_t password_from_random(const unsigned char *rnd, size_t n, char *out,
			    size_t len)
{
	const size_t alen = sizeof(PASSWORD_ALPHABET) - 1;
	/* the largest multiple of alen that fits a byte */
	const unsigned int limit = 256 - 256 % alen;
	size_t used = 0, got = 0;

	while (got < len) {
		if (used == n)
			return 0;
		if (rnd[used] < limit)
			out[got++] = PASSWORD_ALPHABET[rnd[used] % alen];
		used++;
	}
	out[got] = '\0';
	return used;
}

size_t shadow_format_line(char *buf, size_t size, const char *user,
			  const char *hash, long days)
{
	char day[24] = "";
	int n;

	if (days > 0)
		snprintf(day, sizeof(day), "%ld", days);
	/* name:password:lastchg:min:max:warn:inactive:expire:reserved */
	n = snprintf(buf, size, "%s:%s:%s:0:99999:7:::\n", user, hash, day);
	return n < 0 ? size : (size_t)n;
}
