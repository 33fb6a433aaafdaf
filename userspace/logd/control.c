// SPDX-License-Identifier: GPL-2.0
/*
 * pblogd's control socket (LOGCTL_SOCKET, SOCK_SEQPACKET): one request
 * per connection, one reply (logrec.h, Documentation/eventlog.md).
 * Admins and users may read the log; only admins (and root) may clear
 * it.  The peer's credentials come from the kernel (SO_PEERCRED).
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "pblogd.h"
#include "text.h"

#define REPLY_MAX	(LOGCTL_PAGE_MAX * (LOGREC_TEXT_MAX + 128) + 64)

int control_open(struct pblogd *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(d->sock_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, d->sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(d->sock_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(d->sock_path, 0666) || listen(fd, 8)) {
		int e = errno;

		close(fd);
		return -e;
	}
	d->ctl_fd = fd;
	return 0;
}

static void format_entry(struct textbuf *tb, const struct logrec *r)
{
	time_t t = r->time_us / 1000000;
	uint64_t up = r->uptime_ms / 1000;
	struct tm tm;

	gmtime_r(&t, &tm);
	textbuf_printf(tb, "%u %u %04d-%02d-%02d %02d:%02d:%02d %llud%02u:%02u:%02u %s %s ",
		       r->index, r->boot, tm.tm_year + 1900, tm.tm_mon + 1,
		       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		       (unsigned long long)(up / 86400),
		       (unsigned int)(up / 3600 % 24),
		       (unsigned int)(up / 60 % 60), (unsigned int)(up % 60),
		       log_category_name(r->category),
		       syslog_severity_name(r->severity));
	if (r->pid)
		textbuf_printf(tb, "%s[%u]: %s\n", r->app, r->pid, r->text);
	else
		textbuf_printf(tb, "%s: %s\n", r->app, r->text);
}

static void do_show(struct pblogd *d, const struct logctl_request *req,
		    struct textbuf *tb)
{
	unsigned int i, match = 0, shown = 0;

	for (i = 0; i < d->store.n; i++) {
		const struct logrec *r = store_get(&d->store, i);

		if (req->category < 0 || r->category == req->category)
			match++;
	}
	textbuf_printf(tb, "total %u\n", match);
	match = 0;
	for (i = 0; i < d->store.n && shown < req->count; i++) {
		const struct logrec *r = store_get(&d->store, i);

		if (req->category >= 0 && r->category != req->category)
			continue;
		if (match++ < req->first)
			continue;
		format_entry(tb, r);
		shown++;
	}
}

static int is_admin(const struct pblogd *d, const struct ucred *c)
{
	return c->uid == 0 || (d->have_admins && c->gid == d->admins_gid);
}

static int may_read(const struct pblogd *d, const struct ucred *c)
{
	return is_admin(d, c) || (d->have_users && c->gid == d->users_gid);
}

static void user_name(uid_t uid, char *buf, size_t size)
{
	struct passwd *pw = getpwuid(uid);

	snprintf(buf, size, "%s", pw && pw->pw_name ? pw->pw_name : "?");
}

void control_accept(struct pblogd *d)
{
	static char reply[REPLY_MAX];
	struct timeval tv = { .tv_sec = 0, .tv_usec = 500000 };
	char req[LOGCTL_REQUEST_MAX + 1], err[128], who[64];
	struct logctl_request r;
	struct textbuf tb;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	ssize_t n;
	int fd;

	fd = accept4(d->ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	textbuf_init(&tb, reply, sizeof(reply));
	/* a silent client costs us at most half a second */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		goto out;
	n = recv(fd, req, sizeof(req), MSG_TRUNC);
	if (n <= 0)
		goto out;
	if (n > LOGCTL_REQUEST_MAX) {
		textbuf_printf(&tb, "error: request too long");
		goto reply;
	}
	if (logctl_parse(req, n, &r, err, sizeof(err))) {
		textbuf_printf(&tb, "error: %s", err);
		goto reply;
	}
	if (!may_read(d, &cred) || (r.cmd == LOGCTL_CLEAR &&
				    !is_admin(d, &cred))) {
		textbuf_printf(&tb, "error: permission denied (%s)",
			       r.cmd == LOGCTL_CLEAR ?
			       "only admins may clear the event log" :
			       "only admins and users may read the event log");
		goto reply;
	}
	if (r.cmd == LOGCTL_SHOW) {
		do_show(d, &r, &tb);
		goto reply;
	}
	user_name(cred.uid, who, sizeof(who));
	if (store_clear(&d->store)) {
		textbuf_printf(&tb, "error: cannot clear %s: %s",
			       d->store.path, strerror(errno));
		goto reply;
	}
	/* the clearing is the first entry of the new log */
	logd_event(d, LOG_CAT_CONFIG, LOG_NOTICE, "pblogd", 0,
		   "event log cleared by %s (uid %u)%s%s", who,
		   (unsigned int)cred.uid, r.from[0] ? " from " : "",
		   r.from);
	textbuf_printf(&tb, "ok");
reply:
	send(fd, reply, tb.len < sizeof(reply) ? tb.len : sizeof(reply) - 1,
	     MSG_NOSIGNAL);
out:
	close(fd);
}
