// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlclient.h"

#define REPLY_TIMEOUT_S	60

int ctl_client_call(const char *path, const char *req, size_t len,
		    char *reply, size_t size, char *err, size_t errsize)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errsize, "socket path too long");
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errsize, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(err, errsize,
			 "cannot connect to pbconfd at %s: %s%s", path,
			 strerror(errno),
			 errno == ENOENT || errno == ECONNREFUSED ?
			 " (is pbconfd running?)" : "");
		close(fd);
		return -1;
	}
	if (send(fd, req, len, MSG_NOSIGNAL) < 0) {
		snprintf(err, errsize, "send to pbconfd: %s", strerror(errno));
		close(fd);
		return -1;
	}
	n = recv(fd, reply, size - 1, MSG_TRUNC);
	close(fd);
	if (n <= 0 || (size_t)n >= size) {
		snprintf(err, errsize, "no valid reply from pbconfd: %s",
			 n < 0 ? strerror(errno) :
			 n == 0 ? "connection closed" : "reply too long");
		return -1;
	}
	reply[n] = '\0';
	return 0;
}

const char *ctl_reply_value(const char *text, const char *key, char *buf,
			    size_t size)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > klen && !strncmp(p, key, klen) && p[klen] == ' ') {
			snprintf(buf, size, "%.*s", (int)(len - klen - 1),
				 p + klen + 1);
			return buf;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}
