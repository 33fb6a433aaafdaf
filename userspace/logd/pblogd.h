/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pblogd: the event log daemon (Documentation/eventlog.md).
 *
 * One thread, one poll loop.  Sources: /dev/log (every daemon's syslog),
 * the portbridge and pb_allow generic netlink event groups.  Sinks: the
 * ring file on /data (store.c), the remote syslog servers (remote.c) and
 * /var/log/messages (plain text on tmpfs, as BusyBox syslogd wrote it).
 */
#ifndef PBLOGD_H
#define PBLOGD_H

#include <stdint.h>
#include <syslog.h>
#include <sys/types.h>
#include <netinet/in.h>

#include "conf.h"
#include "logrec.h"
#include "nl.h"
#include "syslogfmt.h"

/* ---- store.c: the ring file ---- */
struct store {
	int fd;
	char path[256];
	struct logrec ent[LOGREC_SLOTS];	/* a ring, oldest at head */
	unsigned int head, n;
	uint32_t next_index;
	uint32_t overflow;		/* enum conf_log_overflow */
	unsigned long full_drops;	/* "stop" refused this many */
};

int store_open(struct store *st, const char *path);
/* 1: recorded (r->index set), 0: the log is full ("stop"), -1: error */
int store_append(struct store *st, struct logrec *r);
int store_clear(struct store *st);
const struct logrec *store_get(const struct store *st, unsigned int i);

/* ---- remote.c: syslog servers ---- */
struct remote_server {
	int on;
	char host[CONF_HOST_MAX];
	uint32_t port, facility, format;
	int resolved;
	struct sockaddr_in addr;
	int64_t retry_at;	/* monotonic s: resolve again */
	uint32_t seq;		/* messages meant for this server */
};

struct remote {
	int fd;			/* one UDP socket for every server */
	struct remote_server srv[CONF_LOG_SERVERS];
	uint32_t send_cat[CONF_LOG_CATEGORIES];
};

void remote_init(struct remote *rm);
void remote_configure(struct remote *rm, const struct pb_log_conf *c);
void remote_send(struct remote *rm, const struct logrec *r);

/* ---- the daemon ---- */
struct pblogd {
	const char *data_dir;
	const char *conf_path;
	const char *devlog_path;
	const char *sock_path;
	const char *messages_path;
	int foreground;

	struct store store;
	struct remote remote;
	struct pb_log_conf conf;
	uint32_t boot;
	int64_t start_s;

	int devlog_fd;
	int ctl_fd;
	int inotify_fd;
	int signal_fd;
	int messages_fd;
	struct nl_sock pb_nl;		/* portbridge events */
	int pb_nl_ok;
	struct nl_sock allow_nl;	/* pb_allow denied events */
	int allow_nl_ok;
	int64_t nl_retry_at;
	struct nl_sock ctrl_nl;		/* nlctrl notify: families come back */
	int ctrl_nl_ok;
	int rt_fd;			/* rtnetlink: link up and down */
	uint32_t rt_dump_seq;
	struct {
		int ifindex;
		int up;
	} links[16];

	/* rate limit of denied events: tokens, refilled 1 per second */
	unsigned int deny_tokens;
	int64_t deny_refill_s;
	unsigned long deny_suppressed;

	gid_t admins_gid, users_gid;
	int have_admins, have_users;
};

/* main.c: record one event (locally and/or remotely as configured). */
void logd_event(struct pblogd *d, int category, int severity,
		const char *app, uint32_t pid, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int64_t logd_now_s(void);

/* sources.c */
int sources_open_devlog(struct pblogd *d);
void sources_devlog_read(struct pblogd *d);
void sources_netlink_try(struct pblogd *d);
void sources_pb_read(struct pblogd *d);
void sources_allow_read(struct pblogd *d);
void sources_ctrl_read(struct pblogd *d);
int sources_open_links(struct pblogd *d);
void sources_links_read(struct pblogd *d);
void sources_messages_write(struct pblogd *d, const struct logrec *r);

/* control.c */
int control_open(struct pblogd *d);
void control_accept(struct pblogd *d);

#endif /* PBLOGD_H */
