// SPDX-License-Identifier: GPL-2.0
/*
 * pblogd: the event log daemon.  Owns /dev/log, listens to the kernel's
 * port and allowlist events, keeps the persistent event log on /data and
 * sends events to remote syslog servers (Documentation/eventlog.md).
 *
 *	pblogd [-f] [-d DATADIR] [-c CONFIG] [-l DEVLOG] [-s SOCKET]
 *	       [-m MESSAGES]
 *
 * Settings come from the [log] section of the configuration file, which
 * pbconfd alone writes; pblogd reads it at start and again whenever the
 * file is replaced (inotify on its directory), or on SIGHUP.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "pblogd.h"

#define DEFAULT_DATA_DIR	"/data/log"
#define DEFAULT_CONF		"/data/config/portbridge.conf"
#define DEFAULT_DEVLOG		"/dev/log"
#define DEFAULT_MESSAGES	"/var/log/messages"
#define EVENTS_FILE		"events.log"
#define BOOT_FILE		"boot"

static struct pblogd daemon_state;

int64_t logd_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void say(struct pblogd *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Our own trouble: stderr (the console while booting). */
static void say(struct pblogd *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->foreground && d->devlog_fd >= 0)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "pblogd: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/*
 * "stop recording": the first entry that does not fit says so, once per
 * filling, to the servers and /var/log/messages (the log has no room).
 */
static void full_notice(struct pblogd *d, const struct logrec *cause)
{
	struct logrec n = *cause;

	n.index = 0;
	n.category = LOG_CAT_SYSTEM;
	n.severity = LOG_WARNING;
	n.pid = 0;
	snprintf(n.app, sizeof(n.app), "pblogd");
	snprintf(n.text, sizeof(n.text),
		 "the event log is full (%u entries): local recording stopped until it is cleared or overflow is overwrite",
		 LOGREC_SLOTS);
	say(d, "%s", n.text);
	sources_messages_write(d, &n);
	remote_send(&d->remote, &n);
}

void logd_event(struct pblogd *d, int category, int severity,
		const char *app, uint32_t pid, const char *fmt, ...)
{
	static struct logrec r;
	struct timespec rt, up;
	va_list ap;
	int rc;

	memset(&r, 0, sizeof(r));
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &up);
	r.boot = d->boot;
	r.time_us = (uint64_t)rt.tv_sec * 1000000 + rt.tv_nsec / 1000;
	r.uptime_ms = (uint64_t)up.tv_sec * 1000 + up.tv_nsec / 1000000;
	r.category = category;
	r.severity = severity & 7;
	r.pid = pid;
	snprintf(r.app, sizeof(r.app), "%s", app);
	va_start(ap, fmt);
	vsnprintf(r.text, sizeof(r.text), fmt, ap);
	va_end(ap);
	/* what the file and the wire get: cleaned, cut to the record */
	log_clean_text(r.text, sizeof(r.text), r.text, strlen(r.text));
	log_clean_text(r.app, sizeof(r.app), r.app, strlen(r.app));

	if (d->conf.local[category]) {
		rc = d->store.fd >= 0 ? store_append(&d->store, &r) : -1;
		if (rc < 0)
			say(d, "cannot write %s: %s", d->store.path,
			    strerror(errno));
		if (rc == 0 && d->store.full_drops == 1)
			full_notice(d, &r);
	}
	sources_messages_write(d, &r);
	remote_send(&d->remote, &r);
}

/* ---- settings ---- */

static void load_conf(struct pblogd *d, int quiet)
{
	static struct pb_conf c;
	struct conf_error cerr;
	char msg[CONF_ERR_MAX + 32];
	char *buf = NULL;
	size_t len;
	int rc;

	conf_init_defaults(&c, PB_MAX_PORTS);
	rc = read_file(d->conf_path, CONF_FILE_MAX, &buf, &len);
	if (rc && rc != -ENOENT) {
		logd_event(d, LOG_CAT_SYSTEM, LOG_ERR, "pblogd", 0,
			   "cannot read %s: %s; keeping the log settings",
			   d->conf_path, strerror(-rc));
		return;
	}
	if (!rc && conf_parse(&c, buf, len, &cerr)) {
		conf_error_format(&cerr, msg, sizeof(msg));
		logd_event(d, LOG_CAT_SYSTEM, LOG_ERR, "pblogd", 0,
			   "%s: %s; keeping the log settings", d->conf_path,
			   msg);
		free(buf);
		return;
	}
	free(buf);
	if (!memcmp(&d->conf, &c.log, sizeof(c.log)))
		return;
	d->conf = c.log;
	d->store.overflow = c.log.overflow;
	remote_configure(&d->remote, &c.log);
	if (!quiet)
		logd_event(d, LOG_CAT_CONFIG, LOG_INFO, "pblogd", 0,
			   "event log settings applied");
}

static int watch_conf(struct pblogd *d)
{
	char dir[256];

	snprintf(dir, sizeof(dir), "%s", d->conf_path);
	d->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (d->inotify_fd < 0)
		return -errno;
	if (inotify_add_watch(d->inotify_fd, dirname(dir),
			      IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE) < 0)
		return -errno;
	return 0;
}

static void conf_changed(struct pblogd *d)
{
	char buf[4096] __attribute__((aligned(8)));
	char name[256];
	const char *base;
	ssize_t n, off;
	int hit = 0;

	snprintf(name, sizeof(name), "%s", d->conf_path);
	base = strrchr(d->conf_path, '/');
	base = base ? base + 1 : d->conf_path;
	while ((n = read(d->inotify_fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off + (ssize_t)sizeof(struct inotify_event) <= n;) {
			const struct inotify_event *ev =
				(const void *)(buf + off);

			if (ev->len && !strcmp(ev->name, base))
				hit = 1;
			off += sizeof(*ev) + ev->len;
		}
	}
	if (hit)
		load_conf(d, 0);
}

/* ---- boot count and clean shutdowns ---- */

/* "boot N clean 0|1": the count, and whether the last run ended cleanly. */
static void start_boot(struct pblogd *d, int *warm)
{
	char path[300], *buf = NULL, text[64];
	unsigned int boot = 0, clean = 0;
	size_t len;
	int n;

	snprintf(path, sizeof(path), "%s/%s", d->data_dir, BOOT_FILE);
	*warm = 0;
	if (!read_file(path, 63, &buf, &len)) {
		if (sscanf(buf, "boot %u clean %u", &boot, &clean) == 2)
			*warm = clean == 1;
		free(buf);
	}
	d->boot = boot + 1;
	n = snprintf(text, sizeof(text), "boot %u clean 0\n", d->boot);
	if (write_file_atomic(path, text, n, 0600))
		say(d, "cannot write %s", path);
}

static void end_boot(struct pblogd *d)
{
	char path[300], text[64];
	int n;

	snprintf(path, sizeof(path), "%s/%s", d->data_dir, BOOT_FILE);
	n = snprintf(text, sizeof(text), "boot %u clean 1\n", d->boot);
	write_file_atomic(path, text, n, 0600);
}

/* ---- the loop ---- */

static int setup_signals(struct pblogd *d)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	d->signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return d->signal_fd < 0 ? -1 : 0;
}

static int daemonize(void)
{
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	setsid();
	if (chdir("/"))
		return -1;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

enum { P_SIGNAL, P_DEVLOG, P_CTL, P_INOTIFY, P_PB, P_ALLOW, P_NLCTRL, P_LINK,
       P_N };

static int run(struct pblogd *d)
{
	struct pollfd p[P_N];
	struct signalfd_siginfo si;

	for (;;) {
		sources_netlink_try(d);
		p[P_SIGNAL] = (struct pollfd){ d->signal_fd, POLLIN, 0 };
		p[P_DEVLOG] = (struct pollfd){ d->devlog_fd, POLLIN, 0 };
		p[P_CTL] = (struct pollfd){ d->ctl_fd, POLLIN, 0 };
		p[P_INOTIFY] = (struct pollfd){ d->inotify_fd, POLLIN, 0 };
		p[P_PB] = (struct pollfd){ d->pb_nl_ok ? d->pb_nl.fd : -1,
					   POLLIN, 0 };
		p[P_ALLOW] = (struct pollfd){
			d->allow_nl_ok ? d->allow_nl.fd : -1, POLLIN, 0 };
		p[P_NLCTRL] = (struct pollfd){
			d->ctrl_nl_ok ? d->ctrl_nl.fd : -1, POLLIN, 0 };
		p[P_LINK] = (struct pollfd){ d->rt_fd, POLLIN, 0 };
		if (poll(p, P_N, d->pb_nl_ok && d->allow_nl_ok &&
			 d->ctrl_nl_ok ? -1 : 5000) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/*
		 * Settings first: a change saved before a message was sent
		 * applies to that message (pbconfd renames the file before
		 * it answers, so pbctl's next command sees the change).
		 */
		if (p[P_INOTIFY].revents)
			conf_changed(d);
		if (p[P_NLCTRL].revents)
			sources_ctrl_read(d);
		if (p[P_LINK].revents)
			sources_links_read(d);
		if (p[P_DEVLOG].revents)
			sources_devlog_read(d);
		if (p[P_PB].revents)
			sources_pb_read(d);
		if (p[P_ALLOW].revents)
			sources_allow_read(d);
		if (p[P_CTL].revents)
			control_accept(d);
		if (p[P_SIGNAL].revents &&
		    read(d->signal_fd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGHUP) {
				load_conf(d, 0);
				continue;
			}
			/* what is queued still goes in */
			sources_devlog_read(d);
			logd_event(d, LOG_CAT_SYSTEM, LOG_NOTICE, "pblogd", 0,
				   "system shutdown (boot %u)", d->boot);
			end_boot(d);
			return 0;
		}
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pblogd [-f] [-d DATADIR] [-c CONFIG] [-l DEVLOG] [-s SOCKET] [-m MESSAGES|-]\n");
}

int main(int argc, char **argv)
{
	struct pblogd *d = &daemon_state;
	char path[300];
	struct group *g;
	int opt, rc, warm;

	memset(d, 0, sizeof(*d));
	d->data_dir = DEFAULT_DATA_DIR;
	d->conf_path = DEFAULT_CONF;
	d->devlog_path = DEFAULT_DEVLOG;
	d->sock_path = LOGCTL_SOCKET;
	d->messages_path = DEFAULT_MESSAGES;
	d->devlog_fd = d->ctl_fd = d->inotify_fd = d->signal_fd = -1;
	d->messages_fd = -1;
	d->rt_fd = -1;
	d->store.fd = -1;
	while ((opt = getopt(argc, argv, "fd:c:l:s:m:")) != -1) {
		switch (opt) {
		case 'f': d->foreground = 1; break;
		case 'd': d->data_dir = optarg; break;
		case 'c': d->conf_path = optarg; break;
		case 'l': d->devlog_path = optarg; break;
		case 's': d->sock_path = optarg; break;
		case 'm':
			d->messages_path = strcmp(optarg, "-") ? optarg : NULL;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc) {
		usage();
		return 2;
	}
	umask(077);
	g = getgrnam("admins");
	if (g) {
		d->admins_gid = g->gr_gid;
		d->have_admins = 1;
	}
	g = getgrnam("users");
	if (g) {
		d->users_gid = g->gr_gid;
		d->have_users = 1;
	}
	remote_init(&d->remote);
	/* until the file says otherwise: the factory defaults */
	{
		static struct pb_conf c;

		conf_init_defaults(&c, 1);
		d->conf = c.log;
		d->store.overflow = c.log.overflow;
	}
	if (mkdir(d->data_dir, 0700) && errno != EEXIST)
		say(d, "cannot create %s: %s", d->data_dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", d->data_dir, EVENTS_FILE);
	rc = store_open(&d->store, path);
	if (rc)
		say(d, "cannot open %s: %s: no local event log", path,
		    strerror(-rc));
	start_boot(d, &warm);
	if (setup_signals(d)) {
		say(d, "cannot set up signals: %s", strerror(errno));
		return 1;
	}
	rc = sources_open_devlog(d);
	if (rc) {
		say(d, "cannot listen on %s: %s", d->devlog_path,
		    strerror(-rc));
		return 1;
	}
	rc = control_open(d);
	if (rc)
		say(d, "cannot listen on %s: %s", d->sock_path, strerror(-rc));
	rc = watch_conf(d);
	if (rc)
		say(d, "cannot watch %s: %s (settings apply on SIGHUP)",
		    d->conf_path, strerror(-rc));
	rc = sources_open_links(d);
	if (rc)
		say(d, "cannot follow the links: %s", strerror(-rc));
	load_conf(d, 1);
	logd_event(d, LOG_CAT_SYSTEM, LOG_NOTICE, "pblogd", 0,
		   "%s start (boot %u)", warm ? "warm" : "cold", d->boot);
	sources_netlink_try(d);
	if (!d->foreground && daemonize()) {
		say(d, "cannot detach: %s", strerror(errno));
		return 1;
	}
	return run(d) ? 1 : 0;
}
