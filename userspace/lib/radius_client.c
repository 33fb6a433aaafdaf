// SPDX-License-Identifier: GPL-2.0
/*
 * The RADIUS client's I/O: one Access-Request, sent up to three times
 * within the configured timeout, to the server's address and port only
 * (a connected UDP socket drops datagrams from anyone else).  Replies
 * that do not check out (radius.c) are ignored.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "log.h"
#include "radius.h"

#define RADIUS_TRIES	3

static int open_server(const struct pb_radius_conf *rc)
{
	struct addrinfo hints = {
		.ai_family = AF_INET,
		.ai_socktype = SOCK_DGRAM,
	};
	struct addrinfo *ai;
	char port[8];
	int fd, rc2;

	snprintf(port, sizeof(port), "%u", rc->port);
	rc2 = getaddrinfo(rc->server, port, &hints, &ai);
	if (rc2) {
		log_warn("radius: cannot resolve '%s': %s", rc->server,
			 gai_strerror(rc2));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait until @deadline for a valid reply to @rq: 1 and @reply, else 0. */
static int wait_reply(int fd, const struct radius_request *rq,
		      long long deadline, struct radius_reply *reply)
{
	uint8_t buf[RADIUS_PACKET_MAX];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long long left;
	ssize_t n;

	while ((left = deadline - mono_ms()) > 0) {
		if (poll(&p, 1, left) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			continue;	/* e.g. ICMP port unreachable */
		if (!radius_parse_reply(rq, buf, n, reply))
			return 1;
		log_warn("radius: ignored an invalid reply from the server");
	}
	return 0;
}

enum auth_answer radius_authenticate(const struct pb_radius_conf *rc,
				     const char *user, const char *pw,
				     char *msg, size_t size)
{
	uint8_t pkt[RADIUS_PACKET_MAX];
	struct radius_request rq = {
		.user = user,
		.user_len = strlen(user),
		.password = pw,
		.password_len = strlen(pw),
		.secret = rc->secret,
		.secret_len = strlen(rc->secret),
	};
	struct radius_reply reply;
	char nas[CONF_HOSTNAME_MAX];
	long long start = mono_ms(), step = rc->timeout * 1000LL /
					      RADIUS_TRIES;
	int fd, len, i, got = 0;

	msg[0] = '\0';
	if (!rc->server[0] || !rq.secret_len)
		return AUTH_ERROR;
	if (gethostname(nas, sizeof(nas)))
		snprintf(nas, sizeof(nas), "portbridge");
	nas[sizeof(nas) - 1] = '\0';
	rq.nas_id = nas;
	if (getrandom(&rq.id, 1, 0) != 1 ||
	    getrandom(rq.authenticator, sizeof(rq.authenticator), 0) !=
	    sizeof(rq.authenticator))
		return AUTH_ERROR;
	len = radius_build_request(&rq, pkt, sizeof(pkt));
	if (len < 0)
		return AUTH_REJECT;	/* a name or password RADIUS cannot carry */
	fd = open_server(rc);
	if (fd < 0) {
		explicit_bzero(pkt, sizeof(pkt));
		return AUTH_ERROR;
	}
	for (i = 0; i < RADIUS_TRIES && !got; i++) {
		if (send(fd, pkt, len, 0) < 0 && errno != ECONNREFUSED)
			break;
		got = wait_reply(fd, &rq, start + step * (i + 1), &reply);
	}
	close(fd);
	explicit_bzero(pkt, sizeof(pkt));
	if (!got) {
		log_warn("radius: no answer from %s:%u in %u s", rc->server,
			 rc->port, rc->timeout);
		return AUTH_ERROR;
	}
	snprintf(msg, size, "%s", reply.message);
	return reply.code == RADIUS_ACCESS_ACCEPT ? AUTH_ACCEPT : AUTH_REJECT;
}
