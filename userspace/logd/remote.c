// SPDX-License-Identifier: GPL-2.0
/*
 * Remote syslog: every event of a category with remote recording on goes
 * to each configured server as one UDP datagram, RFC 5424 or RFC 3164
 * (syslogfmt.c).  Each server counts the events meant for it (the
 * sequenceId), also those that could not be sent, so a receiver sees
 * every loss as a gap.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pblogd.h"

#define RESOLVE_RETRY_S	30

void remote_init(struct remote *rm)
{
	memset(rm, 0, sizeof(*rm));
	rm->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
}

static void resolve(struct remote_server *s)
{
	struct addrinfo hints = {
		.ai_family = AF_INET,
		.ai_socktype = SOCK_DGRAM,
	}, *res = NULL;

	s->resolved = 0;
	memset(&s->addr, 0, sizeof(s->addr));
	s->addr.sin_family = AF_INET;
	s->addr.sin_port = htons(s->port);
	if (inet_pton(AF_INET, s->host, &s->addr.sin_addr) == 1) {
		s->resolved = 1;
		return;
	}
	if (getaddrinfo(s->host, NULL, &hints, &res) || !res) {
		s->retry_at = logd_now_s() + RESOLVE_RETRY_S;
		return;
	}
	s->addr.sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	s->resolved = 1;
}

void remote_configure(struct remote *rm, const struct pb_log_conf *c)
{
	unsigned int i;

	for (i = 0; i < CONF_LOG_CATEGORIES; i++)
		rm->send_cat[i] = c->remote[i];
	for (i = 0; i < CONF_LOG_SERVERS; i++) {
		struct remote_server *s = &rm->srv[i];
		const struct pb_syslog_server_conf *sc = &c->server[i];
		int same = s->on && !strcmp(s->host, sc->host) &&
			   s->port == sc->port;

		s->facility = sc->facility;
		s->format = sc->format;
		if (same)
			continue;	/* keeps its sequence */
		memset(s->host, 0, sizeof(s->host));
		snprintf(s->host, sizeof(s->host), "%s", sc->host);
		s->port = sc->port;
		s->on = sc->host[0] != '\0';
		s->seq = 0;
		s->resolved = 0;
		s->retry_at = 0;
		if (s->on)
			resolve(s);
	}
}

void remote_send(struct remote *rm, const struct logrec *r)
{
	char host[SYSLOG_HOST_MAX + 1] = "", msg[SYSLOG_DGRAM_MAX + 1];
	struct syslog_out out;
	unsigned int i;
	size_t len;

	if (r->category >= CONF_LOG_CATEGORIES || !rm->send_cat[r->category])
		return;
	if (gethostname(host, sizeof(host) - 1))
		host[0] = '\0';
	for (i = 0; i < CONF_LOG_SERVERS; i++) {
		struct remote_server *s = &rm->srv[i];

		if (!s->on)
			continue;
		s->seq = s->seq == 0x7fffffff ? 1 : s->seq + 1;
		if (!s->resolved && logd_now_s() >= s->retry_at)
			resolve(s);
		if (!s->resolved || rm->fd < 0)
			continue;
		out = (struct syslog_out){
			.facility = s->facility,
			.severity = r->severity,
			.time_us = r->time_us,
			.hostname = host,
			.app = r->app,
			.pid = r->pid,
			.category = log_category_name(r->category),
			.seq = s->seq,
			.index = r->index,
			.boot = r->boot,
			.uptime_ms = r->uptime_ms,
			.text = r->text,
		};
		len = syslog_format(s->format == CONF_LOG_RFC3164 ?
				    SYSLOG_RFC3164 : SYSLOG_RFC5424, &out,
				    msg, sizeof(msg));
		/* UDP: a lost datagram shows as a gap in the sequence */
		sendto(rm->fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL,
		       (struct sockaddr *)&s->addr, sizeof(s->addr));
	}
}
