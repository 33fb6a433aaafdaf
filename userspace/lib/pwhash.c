// SPDX-License-Identifier: GPL-2.0
/* Hashing and checking passwords with libcrypt. */
#include <crypt.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "password.h"

#define SALT_BYTES	16

/*
 * A yescrypt hash with libcrypt's default cost: what a password is
 * checked against when the account has no usable hash (or does not
 * exist), so the answer costs what a real check costs.  A match with it
 * is never a success.
 */
static const char dummy_hash[] =
	"$y$j9T$ZQyVfr3Xc1D1R1UXnDdCy0$"
	"G0XR1LTaLuQEVMiva5JDufj2Dipk13beZc/DVs0yaR/";

static int get_random(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int pw_hash(const char *pw, char *out, size_t size)
{
	static struct crypt_data data;
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	unsigned char rnd[SALT_BYTES];
	int rc = -1;

	if (get_random(rnd, sizeof(rnd)))
		return -1;
	if (!crypt_gensalt_rn("$y$", 0, (const char *)rnd, sizeof(rnd), salt,
			      sizeof(salt)))
		goto out;
	memset(&data, 0, sizeof(data));
	if (!crypt_rn(pw, salt, &data, sizeof(data)) ||
	    strncmp(data.output, "$y$", 3) || strlen(data.output) >= size)
		goto out;
	strcpy(out, data.output);
	rc = 0;
out:
	explicit_bzero(&data, sizeof(data));
	explicit_bzero(rnd, sizeof(rnd));
	return rc;
}

/* Compare without an early exit; both are NUL-terminated. */
static int same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char d = la != lb;

	for (i = 0; i < la && i < lb; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

int pw_verify(const char *pw, const char *hash)
{
	static struct crypt_data data;
	int usable = hash[0] == '$';
	int ok = 0;

	memset(&data, 0, sizeof(data));
	if (crypt_rn(pw, usable ? hash : dummy_hash, &data, sizeof(data)) &&
	    data.output[0] == '$')
		ok = usable && same(data.output, hash);
	explicit_bzero(&data, sizeof(data));
	return ok;
}
