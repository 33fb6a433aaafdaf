// SPDX-License-Identifier: GPL-2.0
/*
 * Jobs: a login check or a pbconfd request in a child process, whose
 * answer (text) comes back through a pipe the main loop polls.  The
 * password check takes its time on purpose (auth.h: failures are answered
 * no sooner than 1.5 s) and pbconfd may resolve names for seconds; in a
 * child, neither holds up the other clients.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl.h"
#include "ctlclient.h"
#include "log.h"
#include "webd.h"

static unsigned int running;

unsigned int jobs_running(void)
{
	return running;
}

int job_start(struct conn *c, job_done_fn done,
	      int (*fn)(void *arg, char *out, size_t size), void *arg)
{
	static char out[WEBD_JOB_REPLY_MAX];
	int p[2];
	pid_t pid;

	if (running >= WEBD_JOBS_MAX)
		return -1;
	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (!pid) {
		size_t len, off = 0;

		close(p[0]);
		signal(SIGPIPE, SIG_IGN);
		out[0] = '\0';
		if (fn(arg, out, sizeof(out)))
			_exit(1);
		len = strlen(out);
		while (off < len) {
			ssize_t n = write(p[1], out + off, len - off);

			if (n <= 0) {
				if (n < 0 && errno == EINTR)
					continue;
				_exit(1);
			}
			off += n;
		}
		explicit_bzero(out, sizeof(out));
		_exit(0);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	running++;
	c->job.pid = pid;
	c->job.fd = p[0];
	c->job.len = 0;
	c->job.done = done;
	c->job.deadline = now_ms() + WEBD_JOB_MS;
	c->state = C_JOB;
	return 0;
}

static int job_reap(struct conn *c)
{
	int status = 0;

	if (c->job.fd >= 0)
		close(c->job.fd);
	c->job.fd = -1;
	while (waitpid(c->job.pid, &status, 0) < 0 && errno == EINTR)
		;
	running--;
	c->job.pid = 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void job_read(struct conn *c)
{
	for (;;) {
		ssize_t n;

		if (c->job.len + 1 >= sizeof(c->job.out)) {
			n = 0;	/* full: take what came */
		} else {
			n = read(c->job.fd, c->job.out + c->job.len,
				 sizeof(c->job.out) - 1 - c->job.len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				return;
		}
		if (n > 0) {
			c->job.len += n;
			continue;
		}
		c->job.out[c->job.len] = '\0';
		c->job.done(c, job_reap(c), c->job.out);
		explicit_bzero(c->job.out, sizeof(c->job.out));
		return;
	}
}

void job_cancel(struct conn *c)
{
	if (!c->job.pid)
		return;
	kill(c->job.pid, SIGKILL);
	job_reap(c);
}

int job_ctl_as(uint32_t uid, uint32_t gid, const char *req, size_t len,
	       char *out, size_t size)
{
	return job_call_as(CTL_DEFAULT_SOCKET, uid, gid, req, len, out, size);
}

int job_call_as(const char *path, uint32_t uid, uint32_t gid,
		const char *req, size_t len, char *out, size_t size)
{
	char err[256];

	/*
	 * pbconfd knows its peers by SO_PEERCRED: asking as the logged-in
	 * account makes it check the account's rights and log its name.
	 */
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		snprintf(out, size, "error: cannot take the account's identity: %s",
			 strerror(errno));
		return 0;
	}
	if (ctl_client_call(path, req, len, out, size, err, sizeof(err)))
		snprintf(out, size, "error: %s", err);
	return 0;
}
