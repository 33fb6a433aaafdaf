// SPDX-License-Identifier: GPL-2.0
/*
 * pb-shell: the login shell of every account that may log in (admins and
 * users), on SSH, the serial console and Telnet.  Before the real shell it
 * makes sure the password is not due for a change: the first boot's
 * password and passwords an administrator set must be changed at the
 * first login, and expired ones when they expire (the policy's
 * lifetime).  That needs a terminal; a command without one is refused
 * until the password is changed.  When the shell ends, the logout is
 * logged.
 *
 *	-pb-shell		a login shell
 *	pb-shell -c COMMAND	one command (ssh host COMMAND)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ctl.h"
#include "ctlclient.h"
#include "log.h"

#define SHELL		"/bin/sh"
#define TRIES		3
#define FIELD_MAX	64

static const char *sock_path = CTL_DEFAULT_SOCKET;
static pid_t child_pid;

struct session {
	char name[FIELD_MAX];
	char group[FIELD_MAX];
	char password[FIELD_MAX];	/* ok, must-change, expired, none */
	char from[FIELD_MAX];
	const char *via;
};

static int whoami(struct session *s)
{
	char reply[512], err[256];

	if (ctl_client_call(sock_path, "whoami", 6, reply, sizeof(reply),
			    err, sizeof(err))) {
		fprintf(stderr, "pb-shell: %s\n", err);
		return -1;
	}
	if (!strncmp(reply, "error: ", 7)) {
		fprintf(stderr, "pb-shell: %s\n", reply + 7);
		return -1;
	}
	if (!ctl_reply_value(reply, "name", s->name, sizeof(s->name)) ||
	    !ctl_reply_value(reply, "group", s->group, sizeof(s->group)) ||
	    !ctl_reply_value(reply, "password", s->password,
			     sizeof(s->password))) {
		fprintf(stderr, "pb-shell: unexpected reply from pbconfd\n");
		return -1;
	}
	return 0;
}

/* Where the session comes from: SSH's client address, or the tty. */
static void where_from(struct session *s)
{
	const char *ssh = getenv("SSH_CLIENT");
	const char *console = getenv("PB_CONSOLE");
	const char *via = getenv("PB_VIA");

	if (ssh && *ssh) {
		snprintf(s->from, sizeof(s->from), "%.*s",
			 (int)strcspn(ssh, " "), ssh);
		s->via = "ssh";
		return;
	}
	snprintf(s->from, sizeof(s->from), "%s", console ? console : "?");
	/* pb-login says which: the serial console or Telnet */
	s->via = via && !strcmp(via, "telnet") ? "telnet" : "serial";
}

static int read_secret(const char *prompt, char *buf, size_t size)
{
	struct termios t, quiet;
	int rc = -1;

	/*
	 * Echo off before the prompt, and no flush: an answer typed as soon
	 * as the prompt shows is neither echoed nor thrown away.
	 */
	if (tcgetattr(STDIN_FILENO, &t))
		return -1;
	quiet = t;
	quiet.c_lflag &= ~ECHO;
	tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	fputs(prompt, stdout);
	fflush(stdout);
	if (fgets(buf, size, stdin)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		rc = 0;
	}
	tcsetattr(STDIN_FILENO, TCSANOW, &t);
	fputs("\n", stdout);
	return rc;
}

/* One try; 0 if pbconfd took the new password. */
static int change_once(void)
{
	char old[CTL_PASSWORD_MAX], new1[CTL_PASSWORD_MAX];
	char new2[CTL_PASSWORD_MAX], req[CTL_REQUEST_MAX], reply[512];
	char err[256], hold[2 * CTL_PASSWORD_MAX + 1], hnew[sizeof(hold)];
	int rc = -1;

	if (read_secret("Current password: ", old, sizeof(old)) ||
	    read_secret("New password: ", new1, sizeof(new1)) ||
	    read_secret("Retype new password: ", new2, sizeof(new2)))
		goto out;
	if (strcmp(new1, new2)) {
		printf("The new passwords do not match.\n");
		goto out;
	}
	if (!old[0] || !new1[0] ||
	    ctl_hex_encode(old, strlen(old), hold, sizeof(hold)) ||
	    ctl_hex_encode(new1, strlen(new1), hnew, sizeof(hnew))) {
		printf("Empty or too long.\n");
		goto out;
	}
	snprintf(req, sizeof(req), "passwd %s %s", hold, hnew);
	if (ctl_client_call(sock_path, req, strlen(req), reply, sizeof(reply),
			    err, sizeof(err))) {
		printf("%s\n", err);
		goto out;
	}
	if (strcmp(reply, "ok")) {
		printf("%s\n", strncmp(reply, "error: ", 7) ? reply :
							     reply + 7);
		goto out;
	}
	printf("Password changed.\n");
	rc = 0;
out:
	explicit_bzero(old, sizeof(old));
	explicit_bzero(new1, sizeof(new1));
	explicit_bzero(new2, sizeof(new2));
	explicit_bzero(req, sizeof(req));
	explicit_bzero(hold, sizeof(hold));
	explicit_bzero(hnew, sizeof(hnew));
	return rc;
}

static int change_password(const struct session *s)
{
	int i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr,
			"pb-shell: the password of %s must be changed (%s): log in with a terminal (ssh -t) to change it\n",
			s->name, s->password);
		return -1;
	}
	printf("The password of %s must be changed now (%s).\n", s->name,
	       !strcmp(s->password, "expired") ? "it expired" :
						 "first login");
	for (i = 0; i < TRIES; i++) {
		if (!change_once())
			return 0;
	}
	return -1;
}

static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static int run_shell(const char *cmd, int login)
{
	struct sigaction sa = { .sa_handler = forward };
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("pb-shell: fork");
		return 1;
	}
	if (pid == 0) {
		if (cmd)
			execl(SHELL, "sh", "-c", cmd, (char *)NULL);
		else
			execl(SHELL, login ? "-sh" : "sh", (char *)NULL);
		perror("pb-shell: " SHELL);
		_exit(127);
	}
	child_pid = pid;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return 1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct session s;
	const char *cmd = NULL;
	int login = argv[0][0] == '-', rc;

	if (argc == 3 && !strcmp(argv[1], "-c")) {
		cmd = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: pb-shell [-c command]\n");
		return 2;
	}
	log_open("pb-shell", 0);
	memset(&s, 0, sizeof(s));
	where_from(&s);
	/* fail closed: without pbconfd we cannot tell the password is fine */
	if (whoami(&s))
		return 1;
	if (strcmp(s.password, "ok") && change_password(&s))
		return 1;
	rc = run_shell(cmd, login);
	if (login)
		log_msg(LOG_AUTH | LOG_INFO, "logout: %s from %s via %s",
			s.name, s.from, s.via);
	return rc;
}
