// SPDX-License-Identifier: GPL-2.0
/* Passwords, shadow lines, and the pb-firstboot program itself. */
#include <crypt.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shadow.h"
#include "unit.h"

#define PREFIX "portbridge: initial admin password: "

static void test_password_from_random(void)
{
	unsigned char rnd[64];
	char pw[PASSWORD_LEN + 1];
	const size_t alen = strlen(PASSWORD_ALPHABET);
	size_t i;

	CHECK_INT(alen, 57);
	memset(rnd, 0, sizeof(rnd));
	CHECK_INT(password_from_random(rnd, sizeof(rnd), pw, PASSWORD_LEN),
		  PASSWORD_LEN);
	CHECK_STR(pw, "aaaaaaaaaaaaaaaa");

	/* bytes >= 228 (4 * 57) are rejected, not folded */
	memset(rnd, 255, sizeof(rnd));
	CHECK_INT(password_from_random(rnd, sizeof(rnd), pw, PASSWORD_LEN), 0);
	for (i = 0; i < 32; i++)
		rnd[i] = i % 2 ? 228 : 57 + 1;		/* 'b' */
	CHECK_INT(password_from_random(rnd, 32, pw, PASSWORD_LEN), 31);
	CHECK_STR(pw, "bbbbbbbbbbbbbbbb");
	CHECK_INT(password_from_random(rnd, 30, pw, PASSWORD_LEN), 0);

	/* every byte value maps into the alphabet */
	for (i = 0; i < 64; i++)
		rnd[i] = 227 - i;
	CHECK(password_from_random(rnd, 64, pw, PASSWORD_LEN) > 0);
	for (i = 0; i < PASSWORD_LEN; i++)
		CHECK(strchr(PASSWORD_ALPHABET, pw[i]) != NULL);
	CHECK(!strpbrk(PASSWORD_ALPHABET, "0O1lI"));
}

static void test_shadow_line(void)
{
	char buf[128];

	CHECK_INT(shadow_format_line(buf, sizeof(buf), "root", "*", 19000),
		  strlen("root:*:19000:0:99999:7:::\n"));
	CHECK_STR(buf, "root:*:19000:0:99999:7:::\n");
	shadow_format_line(buf, sizeof(buf), "admin", "$6$x$y", 0);
	CHECK_STR(buf, "admin:$6$x$y::0:99999:7:::\n");
	CHECK(shadow_format_line(buf, 8, "admin", "$6$x$y", 0) >= 8);
}

/* Run a command; its stdout goes to @out. Returns the exit status. */
static int run(char *const argv[], char *out, size_t size)
{
	int pipefd[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	CHECK_INT(pipe(pipefd), 0);
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);	/* expected error messages: keep output clean */
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Check the password against the hash with libcrypt and BusyBox. */
static void check_hash(const char *pw, const char *hash)
{
	char salt[128], cmd[512], out[256];
	const char *end;
	FILE *f;

	CHECK_STR(crypt(pw, hash), hash);
	CHECK(strcmp(crypt("wrong", hash), hash));
	if (access("/bin/busybox", X_OK))
		return;
	/* "$6$rounds=N$salt$digest": busybox mkpasswd wants "rounds=N$salt" */
	end = strrchr(hash, '$');
	CHECK(end && end - hash - 3 < (int)sizeof(salt));
	snprintf(salt, sizeof(salt), "%.*s", (int)(end - hash - 3), hash + 3);
	snprintf(cmd, sizeof(cmd), "/bin/busybox mkpasswd -m sha512 -S '%s' '%s'",
		 salt, pw);
	f = popen(cmd, "r");
	CHECK(f != NULL);
	CHECK(fgets(out, sizeof(out), f) != NULL);
	CHECK_INT(pclose(f), 0);
	out[strcspn(out, "\n")] = '\0';
	CHECK_STR(out, hash);
}

static void firstboot_run(const char *rounds, const char *want_prefix)
{
	char dir[4096], path[4200], out[512], pw[64];
	char *argv[] = { (char *)unit_env("PB_FIRSTBOOT"), "-f", path,
			 "-r", (char *)rounds, NULL };
	char *text, *admin, *hash_end;
	struct stat st;
	size_t len, i;

	unit_tmpdir(dir, sizeof(dir), rounds ? "firstboot_r" : "firstboot");
	snprintf(path, sizeof(path), "%s/shadow", dir);
	if (!rounds)
		argv[3] = NULL;
	CHECK_INT(run(argv, out, sizeof(out)), 0);

	/* exactly one line: the prefix and 16 characters of the alphabet */
	CHECK(!strncmp(out, PREFIX, strlen(PREFIX)));
	CHECK_INT(strlen(out), strlen(PREFIX) + PASSWORD_LEN + 1);
	CHECK_INT(out[strlen(out) - 1], '\n');
	snprintf(pw, sizeof(pw), "%.*s", PASSWORD_LEN, out + strlen(PREFIX));
	for (i = 0; i < PASSWORD_LEN; i++)
		CHECK(strchr(PASSWORD_ALPHABET, pw[i]) != NULL);

	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	text = unit_read(path, &len);
	CHECK(!strncmp(text, "root:*:", 7));
	CHECK(strstr(text, pw) == NULL);	/* never in clear */
	admin = strstr(text, "\nadmin:");
	CHECK(admin != NULL);
	admin += 7;
	CHECK(!strncmp(admin, want_prefix, strlen(want_prefix)));
	hash_end = strchr(admin, ':');
	CHECK(hash_end != NULL);
	*hash_end = '\0';
	check_hash(pw, admin);
	free(text);

	/* the second boot leaves the file alone and says nothing */
	text = unit_read(path, &len);
	CHECK_INT(run(argv, out, sizeof(out)), 0);
	CHECK_STR(out, "");
	{
		size_t len2;
		char *again = unit_read(path, &len2);

		CHECK_INT(len2, len);
		CHECK(!memcmp(again, text, len));
		free(again);
	}
	free(text);
}

static void test_firstboot_fast(void)
{
	firstboot_run("10000", "$6$rounds=10000$");
}

static void test_firstboot_default_rounds(void)
{
	firstboot_run(NULL, "$6$rounds=200000$");
}

static void test_firstboot_errors(void)
{
	char out[512];
	char *argv[] = { (char *)unit_env("PB_FIRSTBOOT"), "-f",
			 "/nonexistent/dir/shadow", "-r", "10000", NULL };
	char *bad_rounds[] = { argv[0], "-r", "12x", NULL };
	char *extra[] = { argv[0], "extra", NULL };

	CHECK_INT(run(argv, out, sizeof(out)), 1);
	CHECK_STR(out, "");	/* no password shown that nobody can use */
	CHECK_INT(run(bad_rounds, out, sizeof(out)), 2);
	CHECK_INT(run(extra, out, sizeof(out)), 2);
}

static const struct unit_test tests[] = {
	{ "password_from_random", test_password_from_random },
	{ "shadow_line", test_shadow_line },
	{ "firstboot_fast", test_firstboot_fast },
	{ "firstboot_default_rounds", test_firstboot_default_rounds },
	{ "firstboot_errors", test_firstboot_errors },
};

UNIT_SUITE(firstboot_tests, "firstboot", tests);
