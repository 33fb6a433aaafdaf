// SPDX-License-Identifier: GPL-2.0
/*
 * pb-firstboot: on the first boot, give the device a random admin
 * password instead of a factory default.  The password is printed once on
 * stdout (the serial console) and never stored or logged in clear.
 */
#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "shadow.h"

#define DEFAULT_SHADOW	"/data/etc/shadow"
/*
 * sha512crypt rounds: 40 times the default of 5000, about 30 ms per
 * check on a current x86 core.  BusyBox login (1.35) and dropbear (glibc
 * crypt) both honour "rounds=".
 */
#define DEFAULT_ROUNDS	200000
#define SALT_BYTES	16
/* Host tooling greps for this exact prefix. */
#define PASSWORD_PREFIX	"portbridge: initial admin password: "

#ifndef PB_VERSION
#define PB_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f, "usage: pb-firstboot [-f shadow-file] [-r rounds]\n"
		   "  -f  shadow file to create if missing (default "
		   DEFAULT_SHADOW ")\n"
		   "  -r  sha512crypt rounds (default %d)\n", DEFAULT_ROUNDS);
}

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

static int make_password(char *pw)
{
	unsigned char rnd[64];
	size_t used = 0;
	int rc = -1;

	while (!used) {
		if (get_random(rnd, sizeof(rnd)))
			goto out;
		used = password_from_random(rnd, sizeof(rnd), pw,
					    PASSWORD_LEN);
	}
	rc = 0;
out:
	explicit_bzero(rnd, sizeof(rnd));
	return rc;
}

/* sha512crypt of @pw into @hash. */
static int hash_password(const char *pw, unsigned long rounds, char *hash,
			 size_t size)
{
	static struct crypt_data data;
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	unsigned char rnd[SALT_BYTES];
	int rc = -1;

	if (get_random(rnd, sizeof(rnd))) {
		fprintf(stderr, "pb-firstboot: getrandom: %s\n",
			strerror(errno));
		return -1;
	}
	if (!crypt_gensalt_rn("$6$", rounds, (const char *)rnd, sizeof(rnd),
			      salt, sizeof(salt))) {
		fprintf(stderr, "pb-firstboot: crypt_gensalt: %s\n",
			strerror(errno));
		goto out;
	}
	memset(&data, 0, sizeof(data));
	if (!crypt_rn(pw, salt, &data, sizeof(data)) ||
	    strncmp(data.output, "$6$", 3) ||
	    strlen(data.output) >= size) {
		fprintf(stderr, "pb-firstboot: sha512crypt failed\n");
		goto out;
	}
	strcpy(hash, data.output);
	rc = 0;
out:
	explicit_bzero(&data, sizeof(data));
	explicit_bzero(rnd, sizeof(rnd));
	return rc;
}

/* Days since 1970 for shadow's "last change", 0 if the clock is unset. */
static long today(void)
{
	time_t now = time(NULL);

	if (now < 1577836800)	/* 2020-01-01: no real clock yet */
		return 0;
	return now / 86400;
}

static int write_shadow(const char *path, const char *hash)
{
	char text[2 * CRYPT_OUTPUT_SIZE];
	size_t len, n;
	int rc;

	int m;

	len = shadow_format_line(text, sizeof(text), "root", "*", today());
	if (len >= sizeof(text))
		return -ENAMETOOLONG;
	/* last change 0: must be changed at the first login */
	m = snprintf(text + len, sizeof(text) - len,
		     "admin:%s:0:0:99999:7:::\n", hash);
	if (m < 0 || (size_t)m >= sizeof(text) - len)
		return -ENAMETOOLONG;
	n = m;
	rc = write_file_atomic(path, text, len + n, 0600);
	explicit_bzero(text, sizeof(text));
	return rc;
}

/*
 * write(2) from our own buffer rather than stdio, so no copy of the
 * password is left in a buffer we cannot wipe.
 */
static int print_password(const char *pw)
{
	char line[sizeof(PASSWORD_PREFIX) + PASSWORD_LEN + 2];
	size_t len, off = 0;
	int rc = 0;

	len = snprintf(line, sizeof(line), "%s%s\n", PASSWORD_PREFIX, pw);
	while (off < len) {
		ssize_t n = write(STDOUT_FILENO, line + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = -1;
			break;
		}
		off += n;
	}
	explicit_bzero(line, sizeof(line));
	return rc;
}

static int parse_rounds(const char *arg, unsigned long *rounds)
{
	char *end;

	errno = 0;
	*rounds = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || *rounds < 1000 ||
	    *rounds > 999999999)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = DEFAULT_SHADOW;
	unsigned long rounds = DEFAULT_ROUNDS;
	char pw[PASSWORD_LEN + 1];
	char hash[CRYPT_OUTPUT_SIZE];
	struct stat st;
	int opt, rc;

	while ((opt = getopt(argc, argv, "f:r:hV")) != -1) {
		switch (opt) {
		case 'f':
			path = optarg;
			break;
		case 'r':
			if (parse_rounds(optarg, &rounds)) {
				fprintf(stderr, "pb-firstboot: bad rounds '%s' (1000..999999999)\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("pb-firstboot (portbridge) %s\n", PB_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	if (lstat(path, &st) == 0)
		return 0;	/* not the first boot */
	if (errno != ENOENT) {
		fprintf(stderr, "pb-firstboot: %s: %s\n", path, strerror(errno));
		return 1;
	}

	if (make_password(pw)) {
		fprintf(stderr, "pb-firstboot: getrandom: %s\n",
			strerror(errno));
		return 1;
	}
	rc = hash_password(pw, rounds, hash, sizeof(hash));
	if (!rc) {
		rc = write_shadow(path, hash);
		if (rc)
			fprintf(stderr, "pb-firstboot: cannot write %s: %s\n",
				path, strerror(-rc));
	}
	if (!rc) {
		if (print_password(pw)) {
			/* nobody saw it: next boot makes a new one */
			fprintf(stderr, "pb-firstboot: cannot print the password; %s removed\n",
				path);
			unlink(path);
			rc = -EIO;
		}
	}
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(hash, sizeof(hash));
	return rc ? 1 : 0;
}
