// SPDX-License-Identifier: GPL-2.0
/*
 * pb-auth: one login check for the PAM module (pam_portbridge.so), so
 * that dropbear's logins take the accounts library's path.  Runs as root
 * (dropbear authenticates as root); reads "user NUL password NUL" on
 * stdin, exits 0 if the login is accepted, else 1 and prints the board's
 * login-failure message for the console to show.
 *
 *	pb-auth SERVICE FROM
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "log.h"

#define INPUT_MAX	(ACCT_NAME_MAX + 64 + 256)

/* Read until EOF or the buffer is full. */
static size_t read_input(char *buf, size_t size)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(STDIN_FILENO, buf + len, size - len);

		if (n <= 0)
			break;
		len += n;
	}
	return len;
}

static void print_failure(const struct auth_ctx *ctx)
{
	struct pb_conf conf;

	auth_load_conf(ctx->conf_path, &conf);
	if (conf.messages.failure[0])
		printf("%s\n", conf.messages.failure);
	explicit_bzero(conf.radius.secret, sizeof(conf.radius.secret));
}

int main(int argc, char **argv)
{
	static char input[INPUT_MAX];
	struct auth_result res;
	struct auth_ctx ctx;
	const char *user, *pw, *end;
	size_t len;

	if (argc != 3) {
		fprintf(stderr, "usage: pb-auth SERVICE FROM < user NUL password NUL\n");
		return 2;
	}
	log_open("pb-auth", 0);
	auth_ctx_init(&ctx);
	len = read_input(input, sizeof(input) - 1);
	input[len] = '\0';
	user = input;
	end = memchr(input, '\0', len);
	pw = end && end + 1 < input + len ? end + 1 : "";
	if (!end || !memchr(pw, '\0', input + len + 1 - pw)) {
		print_failure(&ctx);
		return 1;
	}
	auth_login(&ctx, argv[1], user, pw, argv[2], &res);
	explicit_bzero(input, sizeof(input));
	if (res.ok) {
		printf("ok\n");
		return 0;
	}
	print_failure(&ctx);
	return 1;
}
