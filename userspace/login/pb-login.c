// SPDX-License-Identifier: GPL-2.0
/*
 * pb-login: the serial console's login, in place of getty and login.
 * init runs it on the console tty (inittab); it shows the login message,
 * asks for a name and a password, checks them with the accounts library
 * (the same lockout as SSH) and starts the account's shell (pb-shell) as
 * the account.  While the serial console is off in the settings it stays
 * silent and reads nothing.
 *
 * The Telnet console runs it too (BusyBox telnetd -l, started by the apply
 * script while [console] telnet is on): on a pseudo-terminal it is the
 * "telnet" console, logs the client's address (telnetd's utmp entry) and
 * ends when telnet is turned off.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include "auth.h"
#include "log.h"

#define TRIES		3
#define LOGIN_TIMEOUT_S	60
#define POLL_MS		2000	/* how often a waiting prompt rechecks */
#define OFF_POLL_S	2
#define PASSWORD_BUF	130	/* RADIUS takes 128 */

static struct auth_ctx ctx;
static const char *tty = "console";
static const char *service = "serial";
static char from[UT_HOSTSIZE + 1];
static int telnet;

static void say(const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(STDOUT_FILENO, s, len);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			exit(1);
		}
		s += n;
		len -= n;
	}
}

static int serial_on(struct pb_conf *conf)
{
	auth_load_conf(ctx.conf_path, conf);
	explicit_bzero(conf->radius.secret, sizeof(conf->radius.secret));
	return telnet ? conf->console.telnet : conf->console.serial;
}

/* A Telnet session: the client's address from telnetd's utmp entry. */
static void telnet_from(void)
{
	struct utmp key, *u;

	snprintf(from, sizeof(from), "%s", tty);
	memset(&key, 0, sizeof(key));
	memcpy(key.ut_line, tty, strnlen(tty, sizeof(key.ut_line)));
	setutent();
	u = getutline(&key);
	if (u && u->ut_host[0])
		snprintf(from, sizeof(from), "%.*s", (int)sizeof(u->ut_host),
			 u->ut_host);
	endutent();
	/* telnetd writes "[::ffff:10.0.2.2]:52136": log "10.0.2.2" */
	if (from[0] == '[') {
		char *end = strchr(from, ']');
		const char *addr = from + 1;

		if (end) {
			*end = '\0';
			if (!strncmp(addr, "::ffff:", 7) && strchr(addr + 7, '.'))
				addr += 7;
			memmove(from, addr, strlen(addr) + 1);
		}
	}
}

/* Off: touch nothing until the setting turns on again. */
static void wait_while_off(void)
{
	struct pb_conf conf;

	while (!serial_on(&conf)) {
		if (telnet)
			exit(0);	/* telnet off: the session ends */
		sleep(OFF_POLL_S);
	}
}

static void set_echo(int on)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t))
		return;
	if (on)
		t.c_lflag |= ECHO;
	else
		t.c_lflag &= ~ECHO;
	tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

/*
 * One line of input, without its end; 0, or -1 on a timeout, EOF, or
 * when the serial console was turned off meanwhile.
 */
static int read_line(char *buf, size_t size, time_t deadline)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	struct pb_conf conf;
	size_t len = 0;
	char c;

	for (;;) {
		int rc;

		if (time(NULL) >= deadline)
			return -1;
		rc = poll(&p, 1, POLL_MS);
		if (rc < 0 && errno != EINTR)
			return -1;
		if (rc <= 0) {
			if (!serial_on(&conf))
				return -1;
			continue;
		}
		if (read(STDIN_FILENO, &c, 1) != 1)
			return -1;
		if (c == '\r' || c == '\n')
			break;
		if (len + 1 < size)
			buf[len++] = c;
	}
	buf[len] = '\0';
	return 0;
}

static void prompt_banner(const struct pb_conf *conf)
{
	char line[CONF_MESSAGE_MAX + 8];

	say("\r\n");
	if (conf->messages.login[0]) {
		snprintf(line, sizeof(line), "%s\r\n\r\n",
			 conf->messages.login);
		say(line);
	}
	snprintf(line, sizeof(line), "%s login: ", conf->system.hostname);
	say(line);
}

static void failed(const struct pb_conf *conf)
{
	char line[CONF_MESSAGE_MAX + 8];

	say("\r\nLogin incorrect\r\n");
	if (conf->messages.failure[0]) {
		snprintf(line, sizeof(line), "%s\r\n", conf->messages.failure);
		say(line);
	}
}

/* Become the account and run its shell; returns only on failure. */
static void start_session(const char *name)
{
	struct passwd *pw = getpwnam(name);
	char *envp[9], env[9][320];
	const char *term = getenv("TERM");
	int n = 0;

	if (!pw) {
		log_err("%s: no passwd entry", name);
		return;
	}
	if (fchown(STDIN_FILENO, pw->pw_uid, pw->pw_gid) ||
	    fchmod(STDIN_FILENO, 0600))
		log_warn("cannot give %s to %s", tty, name);
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
	    setuid(pw->pw_uid)) {
		log_err("%s: cannot become the account", name);
		return;
	}
	if (chdir(pw->pw_dir) && chdir("/"))
		return;
	snprintf(env[n], sizeof(env[0]), "HOME=%s", pw->pw_dir);
	envp[n] = env[n];
	n++;
	snprintf(env[n], sizeof(env[0]), "USER=%s", pw->pw_name);
	envp[n] = env[n];
	n++;
	snprintf(env[n], sizeof(env[0]), "LOGNAME=%s", pw->pw_name);
	envp[n] = env[n];
	n++;
	snprintf(env[n], sizeof(env[0]), "SHELL=%s", pw->pw_shell);
	envp[n] = env[n];
	n++;
	snprintf(env[n], sizeof(env[0]), "TERM=%s", term ? term : "vt100");
	envp[n] = env[n];
	n++;
	snprintf(env[n], sizeof(env[0]), "PATH=/usr/bin:/bin");
	envp[n] = env[n];
	n++;
	snprintf(env[n], sizeof(env[0]), "PB_CONSOLE=%s", from);
	envp[n] = env[n];
	n++;
	snprintf(env[n], sizeof(env[0]), "PB_VIA=%s", service);
	envp[n] = env[n];
	n++;
	envp[n] = NULL;
	execle(pw->pw_shell, "-pb-shell", (char *)NULL, envp);
	log_err("%s: cannot run %s", name, pw->pw_shell);
}

int main(void)
{
	char name[ACCT_NAME_MAX + 32], pw[PASSWORD_BUF];
	struct auth_result res;
	struct pb_conf conf;
	time_t deadline;
	int i;

	log_open("pb-login", 0);
	auth_ctx_init(&ctx);
	if (ttyname(STDIN_FILENO))
		tty = ttyname(STDIN_FILENO) + (strncmp(ttyname(STDIN_FILENO),
						       "/dev/", 5) ? 0 : 5);
	snprintf(from, sizeof(from), "%s", tty);
	if (!strncmp(tty, "pts/", 4)) {
		telnet = 1;
		service = "telnet";
		telnet_from();
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	wait_while_off();
	for (i = 0; i < TRIES; i++) {
		serial_on(&conf);
		tcflush(STDIN_FILENO, TCIFLUSH);
		prompt_banner(&conf);
		deadline = time(NULL) + LOGIN_TIMEOUT_S;
		if (read_line(name, sizeof(name), deadline))
			return 0;
		if (!name[0]) {
			i--;
			continue;
		}
		/* echo off first: a password typed at once is not shown */
		set_echo(0);
		say("Password: ");
		if (read_line(pw, sizeof(pw), deadline)) {
			set_echo(1);
			return 0;
		}
		set_echo(1);
		say("\r\n");
		auth_login(&ctx, service, name, pw, from, &res);
		explicit_bzero(pw, sizeof(pw));
		if (res.ok) {
			start_session(name);
			return 1;
		}
		failed(&conf);
	}
	return 0;
}
