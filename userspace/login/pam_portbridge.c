// SPDX-License-Identifier: GPL-2.0
/*
 * pam_portbridge: dropbear's password logins, checked by the accounts
 * library through pb-auth.  The module is kept small and links nothing
 * of ours: it hands the name and password to pb-auth on a pipe and passes
 * on its verdict and its failure message (PAM_ERROR_MSG, which dropbear
 * sends as an SSH banner).
 *
 *	auth	 required pam_portbridge.so [service=ssh] [helper=/path]
 *	account	 required pam_portbridge.so
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#define HELPER		"/usr/libexec/portbridge/pb-auth"
#define OUTPUT_MAX	512

struct options {
	const char *service;
	const char *helper;
};

static void parse_args(int argc, const char **argv, struct options *o)
{
	int i;

	o->service = "ssh";
	o->helper = HELPER;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "service=", 8))
			o->service = argv[i] + 8;
		else if (!strncmp(argv[i], "helper=", 7))
			o->helper = argv[i] + 7;
	}
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static void child(int in, int out, const struct options *o,
		  const char *from)
{
	static char *const envp[] = { "PATH=/usr/bin:/bin:/usr/sbin:/sbin",
				      NULL };
	sigset_t none;

	if (dup2(in, 0) < 0 || dup2(out, 1) < 0)
		_exit(127);
	if (in > 2)
		close(in);
	if (out > 2)
		close(out);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execle(o->helper, o->helper, o->service, from, (char *)NULL, envp);
	_exit(127);
}

/*
 * The helper's exit left a SIGCHLD pending (blocked meanwhile).  Delivered
 * to dropbear, it would make dropbear look for an exited session child
 * and close the session channel the client opens right after the login,
 * before its command ran ("exit status -1", no output).  The helper is
 * reaped already, and before the login this dropbear process has no other
 * child, so the signal is dropped.
 */
static void drop_sigchld(const sigset_t *old)
{
	struct timespec zero = { 0, 0 };
	sigset_t chld;

	if (sigismember(old, SIGCHLD))
		return;		/* the caller blocks it: leave it pending */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	while (sigtimedwait(&chld, NULL, &zero) > 0)
		;
}

/*
 * Run the helper: 0 if it accepted, else -1 with its message in @msg.
 * SIGCHLD is blocked meanwhile, so dropbear's handler cannot reap the
 * helper before we do.
 */
static int run_helper(const struct options *o, const char *user,
		      const char *pw, const char *from, char *msg,
		      size_t size)
{
	int to[2] = { -1, -1 }, from_fd[2] = { -1, -1 }, status = -1;
	sigset_t block, old;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	msg[0] = '\0';
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGPIPE);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (pipe2(to, O_CLOEXEC) || pipe2(from_fd, O_CLOEXEC))
		goto out;
	pid = fork();
	if (pid < 0)
		goto out;
	if (pid == 0)
		child(to[0], from_fd[1], o, from);
	close(to[0]);
	close(from_fd[1]);
	to[0] = from_fd[1] = -1;
	if (!write_all(to[1], user, strlen(user) + 1))
		write_all(to[1], pw, strlen(pw) + 1);
	close(to[1]);
	to[1] = -1;
	while (len + 1 < size) {
		n = read(from_fd[0], msg + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	msg[len] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	drop_sigchld(&old);
out:
	if (to[0] >= 0)
		close(to[0]);
	if (to[1] >= 0)
		close(to[1]);
	if (from_fd[0] >= 0)
		close(from_fd[0]);
	if (from_fd[1] >= 0)
		close(from_fd[1]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    !strcmp(msg, "ok\n"))
		return 0;
	return -1;
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	const char *user = NULL, *pw = NULL;
	const void *rhost = NULL;
	char msg[OUTPUT_MAX];
	struct options o;

	(void)flags;
	parse_args(argc, argv, &o);
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || !user)
		return PAM_AUTH_ERR;
	if (pam_get_authtok(pamh, PAM_AUTHTOK, &pw, NULL) != PAM_SUCCESS ||
	    !pw)
		return PAM_AUTH_ERR;
	if (pam_get_item(pamh, PAM_RHOST, &rhost) != PAM_SUCCESS || !rhost)
		rhost = "?";
	if (!run_helper(&o, user, pw, rhost, msg, sizeof(msg)))
		return PAM_SUCCESS;
	if (msg[0] && strcmp(msg, "ok\n")) {
		msg[strcspn(msg, "\n")] = '\0';
		pam_error(pamh, "%s", msg);
	}
	return PAM_AUTH_ERR;
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc,
			      const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}

/* Lockout, groups and password age were settled in pb-auth. */
PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc,
				const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
