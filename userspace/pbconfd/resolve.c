// SPDX-License-Identifier: GPL-2.0
/*
 * Host names of destinations, resolved when a port's settings are pushed.
 *
 * getaddrinfo blocks for as long as the resolver likes (timeout times
 * attempts times servers), and cannot be cancelled.  So the lookups run in
 * a child process that we wait for a bounded time and then kill: a dead
 * DNS server delays a change by that bound, never hangs the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dest.h"
#include "pbconfd.h"

/* What the child reports for each destination. */
struct answer {
	int32_t rc;		/* 0, or an EAI_* code */
	uint8_t addr[16];
};

int resolve_getaddrinfo(const char *host, int socktype, uint8_t addr[16])
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = socktype,
		/* no IPv6 answer for a board without IPv6, and v.v. */
		.ai_flags = AI_ADDRCONFIG,
	};
	struct addrinfo *res, *ai;
	int rc;

	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc)
		return rc;
	rc = EAI_NONAME;
	for (ai = res; ai && rc; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			const struct sockaddr_in *sin = (void *)ai->ai_addr;

			memset(addr, 0, 10);
			addr[10] = addr[11] = 0xff;
			memcpy(addr + 12, &sin->sin_addr, 4);
			rc = 0;
		} else if (ai->ai_family == AF_INET6) {
			const struct sockaddr_in6 *sin6 = (void *)ai->ai_addr;

			memcpy(addr, &sin6->sin6_addr, 16);
			rc = 0;
		}
	}
	freeaddrinfo(res);
	return rc;
}

static void child_lookup(int fd, const struct pb_port_conf *pc, int socktype,
			 resolve_fn lookup)
{
	struct answer ans[PB_MAX_DESTS];
	unsigned int i;

	memset(ans, 0, sizeof(ans));
	for (i = 0; i < PB_MAX_DESTS; i++) {
		if (pc->dest[i].kind == CONF_DEST_HOST)
			ans[i].rc = lookup(pc->dest[i].host, socktype,
					   ans[i].addr);
	}
	/* one write of less than PIPE_BUF: the parent reads it whole */
	_exit(write(fd, ans, sizeof(ans)) == sizeof(ans) ? 0 : 1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait for the child's answers until @timeout_ms; 0, or -ETIMEDOUT. */
static int read_answers(int fd, struct answer *ans, unsigned int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms, left;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int rc;

	for (;;) {
		left = deadline - now_ms();
		rc = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -ETIMEDOUT;
		n = read(fd, ans, sizeof(*ans) * PB_MAX_DESTS);
		if (n < 0 && errno == EINTR)
			continue;
		return n == (ssize_t)(sizeof(*ans) * PB_MAX_DESTS) ? 0 : -EIO;
	}
}

static unsigned int count_hosts(const struct pb_port_conf *pc)
{
	unsigned int i, n = 0;

	for (i = 0; i < PB_MAX_DESTS; i++)
		n += pc->dest[i].kind == CONF_DEST_HOST;
	return n;
}

static int first_host(const struct pb_port_conf *pc)
{
	int i;

	for (i = 0; i < PB_MAX_DESTS; i++) {
		if (pc->dest[i].kind == CONF_DEST_HOST)
			return i;
	}
	return 0;
}

/* Put the answers in place of the names; the first failure is the error. */
static int use_answers(struct pb_port_conf *pc, const struct answer *ans,
		       char *err, size_t errsize)
{
	unsigned int i;

	for (i = 0; i < PB_MAX_DESTS; i++) {
		struct pb_dest_conf *d = &pc->dest[i];

		if (d->kind != CONF_DEST_HOST)
			continue;
		if (ans[i].rc) {
			snprintf(err, errsize,
				 "dest%u: cannot resolve '%s': %s", i + 1,
				 d->host, gai_strerror(ans[i].rc));
			return -1;
		}
		memset(d->host, 0, sizeof(d->host));
		memcpy(d->addr, ans[i].addr, sizeof(d->addr));
		d->kind = CONF_DEST_ADDR;
	}
	return 0;
}

int resolve_dests(struct pb_port_conf *pc, unsigned int timeout_ms,
		  resolve_fn lookup, char *err, size_t errsize)
{
	int socktype = pc->mode == PB_MODE_UDP ? SOCK_DGRAM : SOCK_STREAM;
	struct answer ans[PB_MAX_DESTS];
	int fds[2], rc;
	pid_t pid;

	if (!count_hosts(pc))
		return 0;
	if (pipe2(fds, O_CLOEXEC)) {
		snprintf(err, errsize, "cannot resolve host names: pipe: %s",
			 strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errsize, "cannot resolve host names: fork: %s",
			 strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_lookup(fds[1], pc, socktype, lookup);
	}
	close(fds[1]);
	rc = read_answers(fds[0], ans, timeout_ms);
	close(fds[0]);
	if (rc)
		kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (rc == -ETIMEDOUT) {
		snprintf(err, errsize,
			 "dest%d: cannot resolve '%s': no answer within %u ms",
			 first_host(pc) + 1, pc->dest[first_host(pc)].host,
			 timeout_ms);
		return -1;
	}
	if (rc) {
		snprintf(err, errsize, "cannot resolve host names: %s",
			 strerror(-rc));
		return -1;
	}
	return use_answers(pc, ans, err, errsize);
}
