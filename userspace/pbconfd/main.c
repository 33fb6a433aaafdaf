// SPDX-License-Identifier: GPL-2.0
/*
 * pbconfd: read the board's port map and the configuration, bridge every
 * enabled port, then serve configuration changes on the control socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "pbconfd.h"
#include "pbmsg.h"
#include "text.h"

#define DEFAULT_CONF	"/data/config/portbridge.conf"
#define DEFAULT_DTB	"/etc/portbridge/board.dtb"
#define DEFAULT_PIDFILE	"/run/portbridge/pbconfd.pid"
#define DEFAULT_APPLY	"/usr/libexec/portbridge/apply"
#define DEFAULT_RESET	"/usr/libexec/portbridge/factory-reset"
#define DEFAULT_BANNER	"/run/portbridge/banner"
#define DTB_MAX		(1024 * 1024)

#ifndef PB_VERSION
#define PB_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pbconfd [-dt] [-c config] [-m board.dtb] [-s socket] [-p pidfile] [-S sysfs]\n"
		"               [-A apply-script] [-F reset-script] [-R runtime-settings]\n"
		"  -c  configuration file (default " DEFAULT_CONF ")\n"
		"  -m  board device tree blob with the port map (default " DEFAULT_DTB ")\n"
		"  -s  control socket (default " CTL_DEFAULT_SOCKET ")\n"
		"  -p  pid file (default " DEFAULT_PIDFILE ")\n"
		"  -S  sysfs root (default /sys)\n"
		"  -A  script that applies network, host name, time, SSH (default " DEFAULT_APPLY ")\n"
		"  -F  factory reset script (default " DEFAULT_RESET ")\n"
		"  -R  settings file for logins (default " AUTH_CONF_PATH ")\n"
		"  -t  check the configuration file against the port map and exit\n"
		"  -d  stay in the foreground and log to stderr\n");
}

static int parse_options(struct pbconfd *d, int argc, char **argv)
{
	int opt;

	d->conf_path = DEFAULT_CONF;
	d->dtb_path = DEFAULT_DTB;
	d->sock_path = CTL_DEFAULT_SOCKET;
	d->pid_path = DEFAULT_PIDFILE;
	d->sysfs = "/sys";
	d->apply_path = DEFAULT_APPLY;
	d->reset_path = DEFAULT_RESET;
	d->runtime_path = AUTH_CONF_PATH;
	d->banner_path = DEFAULT_BANNER;
	d->home_dir = "/home";
	auth_ctx_init(&d->auth);
	while ((opt = getopt(argc, argv, "c:m:s:p:S:A:F:R:dthV")) != -1) {
		switch (opt) {
		case 'c':
			d->conf_path = optarg;
			break;
		case 'm':
			d->dtb_path = optarg;
			break;
		case 's':
			d->sock_path = optarg;
			break;
		case 'p':
			d->pid_path = optarg;
			break;
		case 'S':
			d->sysfs = optarg;
			break;
		case 'A':
			d->apply_path = optarg;
			break;
		case 'F':
			d->reset_path = optarg;
			break;
		case 'R':
			d->runtime_path = optarg;
			break;
		case 'd':
			d->foreground = 1;
			break;
		case 't':
			d->check_only = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("pbconfd (portbridge) %s\n", PB_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static int load_port_map(struct pbconfd *d)
{
	char err[256];
	size_t len;
	char *blob;
	int rc;

	rc = read_file(d->dtb_path, DTB_MAX, &blob, &len);
	if (rc) {
		log_err("cannot read the board description %s: %s",
			d->dtb_path, strerror(-rc));
		return -1;
	}
	rc = portmap_parse(blob, len, &d->map, err, sizeof(err));
	free(blob);
	if (rc) {
		log_err("%s: %s", d->dtb_path, err);
		return -1;
	}
	log_info("board '%s': %u serial ports",
		 d->map.model[0] ? d->map.model : "?", d->map.nports);
	return 0;
}

/*
 * Which settings does this portbridge.ko take?  Its policy for PORT_SET
 * says: an attribute it does not know has no policy, and a request that
 * carries it would be refused as a whole.  Those are left out of every
 * request; if the policy cannot be read, everything is sent and the
 * kernel's answer decides.
 */
static void probe_kernel(struct pbconfd *d)
{
	uint64_t all = pb_config_attrs(), got;
	char missing[512];
	struct textbuf tb;
	struct nl_err err;
	int k;

	d->kernel_attrs = all;
	if (nl_policy_attrs(&d->nl, d->family, PB_CMD_PORT_SET, &got, &err)) {
		log_warn("cannot read portbridge's netlink policy (%s): sending every setting",
			 err.msg);
		return;
	}
	d->kernel_attrs = all & got;
	textbuf_init(&tb, missing, sizeof(missing));
	for (k = 0; k < CONF_PORT_NKEYS; k++) {
		if (!(got & PB_ATTR_BIT(pb_key_attr(k))))
			textbuf_printf(&tb, "%s%s", tb.len ? ", " : "",
				       conf_port_key_name(k));
	}
	if (tb.len)
		log_warn("this portbridge.ko does not take %s: those settings stay at its defaults",
			 missing);
}

static int connect_kernel(struct pbconfd *d)
{
	struct nl_family fam;
	struct nl_err err;
	int rc;

	rc = nl_open(&d->nl);
	if (rc) {
		log_err("cannot open a generic netlink socket: %s",
			strerror(-rc));
		return -1;
	}
	rc = nl_resolve(&d->nl, PORTBRIDGE_GENL_NAME, NULL, &fam, &err);
	if (rc) {
		log_err("%s (is portbridge.ko loaded?)", err.msg);
		nl_close(&d->nl);
		return -1;
	}
	if (fam.version != PORTBRIDGE_GENL_VERSION)
		log_warn("kernel speaks portbridge netlink version %u, we speak %u",
			 fam.version, PORTBRIDGE_GENL_VERSION);
	d->family = fam.id;
	probe_kernel(d);
	return 0;
}

static void find_groups(struct pbconfd *d)
{
	struct group *gr = getgrnam("admins");

	if (!gr) {
		log_warn("no group 'admins': only root may change settings");
	} else {
		d->admin_gid = gr->gr_gid;
		d->have_admin_gid = 1;
	}
	gr = getgrnam("users");
	if (gr) {
		d->users_gid = gr->gr_gid;
		d->have_users_gid = 1;
	}
}

/* -t: is the file one pbconfd would load as it is? */
static int check_config(struct pbconfd *d)
{
	struct conf_error cerr;
	char msg[CONF_ERR_MAX + 32];
	unsigned int n;
	size_t len;
	char *buf;
	int rc;

	conf_init_defaults(&d->conf, d->map.nports);
	for (n = 1; n <= d->map.nports; n++)
		conf_set_interfaces(&d->conf, n, d->map.port[n - 1].interfaces);
	rc = read_file(d->conf_path, CONF_FILE_MAX, &buf, &len);
	if (rc) {
		fprintf(stderr, "pbconfd: %s: %s\n", d->conf_path,
			strerror(-rc));
		return 1;
	}
	rc = conf_parse(&d->conf, buf, len, &cerr);
	free(buf);
	if (rc) {
		conf_error_format(&cerr, msg, sizeof(msg));
		fprintf(stderr, "pbconfd: %s: %s\n", d->conf_path, msg);
		return 1;
	}
	printf("%s: ok\n", d->conf_path);
	return 0;
}

static void describe_port(const struct pbconfd *d, unsigned int n)
{
	const struct pb_port_conf *pc = &d->conf.port[n - 1];
	char parity = "NOEMS"[pc->parity < 5 ? pc->parity : 0];
	struct pb_port_conf def;
	char what[512];

	log_info("port %u: %s bridged: %s, local port %u, %u %u%c%u, flow %s",
		 n, d->ports[n - 1].tty, conf_mode_name(pc->mode),
		 pc->local_port, pc->baud, pc->data_bits, parity,
		 pc->stop_bits, conf_flow_name(pc->flow));
	conf_port_defaults(&def, n);
	if (pb_unsupported(d->kernel_attrs, n, &def, pc, what, sizeof(what)))
		log_warn("port %u: not in effect (this portbridge.ko does not take them): %s",
			 n, what);
}

/*
 * Bring up every enabled port that is not up; one that fails does not stop
 * the others.  A port that failed for a reason that may go away by itself
 * (a name that did not resolve, a UART that is not there yet) is tried
 * again every RETRY_SECONDS, without touching its line until it can come
 * up; a retry logs a failure only when its reason changed.  A port the
 * kernel refused waits for the next change of its settings.
 */
/* Say why port @n is down, once per reason when retrying. */
static void port_failed(struct pbconfd *d, unsigned int n, int rc,
			const char *err, int retry)
{
	struct port *p = &d->ports[n - 1];

	if (retry && !strcmp(err, p->error))
		;	/* said so already */
	else if (rc == -EAGAIN)
		log_err("port %u: %s; trying again every %u s", n, err,
			RETRY_SECONDS);
	else
		log_err("port %u: %s; port skipped", n, err);
	snprintf(p->error, sizeof(p->error), "%s", err);
	p->retry = rc == -EAGAIN;
}

static void bring_up_ports(struct pbconfd *d, int retry)
{
	unsigned int n, up = 0, enabled = 0;
	char err[sizeof(d->ports[0].error)];
	int rc;

	for (n = 1; n <= d->map.nports; n++) {
		const struct pb_port_conf *pc = &d->conf.port[n - 1];
		struct port *p = &d->ports[n - 1];

		if (pc->mode == PB_MODE_DISABLED) {
			if (!retry)
				log_info("port %u: disabled", n);
			continue;
		}
		enabled++;
		if (port_is_up(d, n) || (retry && !p->retry)) {
			up += port_is_up(d, n);
			continue;
		}
		rc = port_up(d, n, pc, err, sizeof(err));
		if (rc) {
			port_failed(d, n, rc, err, retry);
			continue;
		}
		p->error[0] = '\0';
		p->retry = 0;
		describe_port(d, n);
		up++;
	}
	if (!retry)
		log_info("%u of %u enabled ports bridged", up, enabled);
}

/* Is an enabled port down for a reason that may go away? */
static int ports_waiting(const struct pbconfd *d)
{
	unsigned int n;

	for (n = 1; n <= d->map.nports; n++) {
		if (d->conf.port[n - 1].mode != PB_MODE_DISABLED &&
		    !port_is_up(d, n) && d->ports[n - 1].retry)
			return 1;
	}
	return 0;
}

static long long now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void write_pid_file(const char *path, pid_t pid)
{
	char text[32];
	int n, rc;

	n = snprintf(text, sizeof(text), "%d\n", (int)pid);
	rc = write_file_atomic(path, text, n, 0644);
	if (rc)
		log_warn("cannot write %s: %s", path, strerror(-rc));
}

/*
 * Detach from the terminal.  Every port is already up, so the parent's
 * exit status tells the boot script the data path is ready.
 */
static int daemonize(struct pbconfd *d)
{
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		log_err("fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		write_pid_file(d->pid_path, pid);
		_exit(0);
	}
	setsid();
	if (chdir("/"))
		log_warn("chdir /: %s", strerror(errno));
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	log_stderr(0);
	return 0;
}

static int setup_signals(struct pbconfd *d)
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

/* 1 if we should stop. */
static int read_signal(struct pbconfd *d)
{
	struct signalfd_siginfo si;

	if (read(d->signal_fd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGHUP) {
		log_info("SIGHUP ignored: change settings with pbctl");
		return 0;
	}
	log_info("signal %u: stopping", si.ssi_signo);
	return 1;
}

/* The poll timeout: the control socket's, or sooner for a retry. */
static int next_timeout_ms(const struct pbconfd *d, long long retry_at)
{
	int timeout = control_timeout_ms(d);
	long long left;

	if (!ports_waiting(d))
		return timeout;
	left = (retry_at - now_s()) * 1000;
	if (left < 0)
		left = 0;
	if (timeout < 0 || left < timeout)
		timeout = left;
	return timeout;
}

static void run(struct pbconfd *d)
{
	struct pollfd fds[1 + 1 + CLIENTS_MAX];
	long long retry_at = now_s() + RETRY_SECONDS;
	int n;

	for (;;) {
		fds[0].fd = d->signal_fd;
		fds[0].events = POLLIN;
		n = control_poll_fds(d, fds + 1, CLIENTS_MAX + 1);
		if (poll(fds, n + 1, next_timeout_ms(d, retry_at)) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			return;
		}
		if ((fds[0].revents & POLLIN) && read_signal(d))
			return;
		control_handle(d, fds + 1, n);
		if (now_s() >= retry_at) {
			if (ports_waiting(d))
				bring_up_ports(d, 1);
			retry_at = now_s() + RETRY_SECONDS;
		}
	}
}

int main(int argc, char **argv)
{
	static struct pbconfd d;
	int rc = 1;

	d.listen_fd = -1;
	d.signal_fd = -1;
	ports_init(&d);
	if (parse_options(&d, argc, argv))
		return 2;
	log_open("pbconfd", 1);
	umask(022);

	if (load_port_map(&d))
		return 1;
	if (d.check_only)
		return check_config(&d);
	config_load(&d);
	/* the network and DNS first: destinations may be names */
	system_apply(&d, NULL, &d.conf);
	if (connect_kernel(&d))
		return 1;
	/* the list before the data ports: none listens unguarded */
	allow_start(&d);
	find_groups(&d);
	accounts_homes(&d);
	if (control_listen(&d))
		goto out_nl;
	if (setup_signals(&d)) {
		log_err("cannot set up signal handling: %s", strerror(errno));
		goto out_control;
	}
	bring_up_ports(&d, 0);
	if (d.foreground)
		write_pid_file(d.pid_path, getpid());
	else if (daemonize(&d))
		goto out_ports;
	log_info("ready on %s", d.sock_path);

	run(&d);
	unlink(d.pid_path);
	rc = 0;
out_ports:
	ports_down(&d);
	if (d.signal_fd >= 0)
		close(d.signal_fd);
out_control:
	control_close(&d);
out_nl:
	nl_close(&d.nl);
	return rc;
}
