// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: AF_UNIX SOCK_SEQPACKET, one request per packet, one
 * reply per request.  Peers are identified by SO_PEERCRED; only root and
 * members (by primary group) of "admins" may change settings.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "pbconfd.h"

static char reply_buf[CTL_REPLY_MAX];

/*
 * Every account may connect (mode 0666): users read settings and change
 * their own password.  What each may do is decided per request from the
 * peer's credentials (SO_PEERCRED), not by the socket's mode.
 */
static int restrict_socket(struct pbconfd *d)
{
	if (chown(d->sock_path, 0, 0) && geteuid() == 0) {
		log_err("cannot chown %s: %s", d->sock_path, strerror(errno));
		return -1;
	}
	if (chmod(d->sock_path, 0666)) {
		log_err("cannot chmod %s: %s", d->sock_path, strerror(errno));
		return -1;
	}
	return 0;
}

int control_listen(struct pbconfd *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned int i;
	int fd, rc;

	for (i = 0; i < CLIENTS_MAX; i++)
		d->clients[i].fd = -1;
	if (strlen(d->sock_path) >= sizeof(sa.sun_path)) {
		log_err("control socket path too long: %s", d->sock_path);
		return -1;
	}
	strcpy(sa.sun_path, d->sock_path);
	rc = make_parent_dir(d->sock_path);
	if (rc)
		log_warn("cannot create the directory of %s: %s", d->sock_path,
			 strerror(-rc));
	unlink(d->sock_path);	/* a stale socket of an earlier run */

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_err("cannot create the control socket: %s",
			strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 8)) {
		log_err("cannot listen on %s: %s", d->sock_path,
			strerror(errno));
		close(fd);
		return -1;
	}
	if (restrict_socket(d)) {
		close(fd);
		unlink(d->sock_path);
		return -1;
	}
	d->listen_fd = fd;
	return 0;
}

static void client_close(struct client *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
}

void control_close(struct pbconfd *d)
{
	unsigned int i;

	for (i = 0; i < CLIENTS_MAX; i++)
		client_close(&d->clients[i]);
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		unlink(d->sock_path);
	}
	d->listen_fd = -1;
}

static void send_reply(struct client *c, const char *reply, size_t len)
{
	if (send(c->fd, reply, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		client_close(c);
}

static void send_text(struct client *c, const char *text)
{
	send_reply(c, text, strlen(text));
}

static void accept_client(struct pbconfd *d)
{
	struct client *c = NULL;
	socklen_t len;
	unsigned int i;
	int fd;

	fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	for (i = 0; i < CLIENTS_MAX && !c; i++) {
		if (d->clients[i].fd < 0)
			c = &d->clients[i];
	}
	if (!c) {
		static const char busy[] = "error: too many clients";

		send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	c->fd = fd;
	len = sizeof(c->cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c->cred, &len)) {
		log_err("SO_PEERCRED: %s", strerror(errno));
		client_close(c);
		return;
	}
	c->last_active = time(NULL);
}

static enum role role_of(const struct pbconfd *d, const struct ucred *cred)
{
	if (cred->uid == 0 || (d->have_admin_gid && cred->gid == d->admin_gid))
		return ROLE_ADMIN;
	if (d->have_users_gid && cred->gid == d->users_gid)
		return ROLE_USER;
	return ROLE_NONE;
}

static const char *const cmd_names[] = {
	[CTL_PORT_SET] = "port-set",
	[CTL_CONFIG_GET] = "config-get",
	[CTL_CONFIG_SET] = "config-set",
	[CTL_CONFIG_IMPORT] = "config-import",
	[CTL_CONFIG_EXPORT] = "config-export",
	[CTL_ACCOUNT_LIST] = "account-list",
	[CTL_ACCOUNT_ADD] = "account-add",
	[CTL_ACCOUNT_EDIT] = "account-edit",
	[CTL_ACCOUNT_DELETE] = "account-delete",
	[CTL_PASSWD] = "passwd",
	[CTL_WHOAMI] = "whoami",
	[CTL_FACTORY_RESET] = "factory-reset",
};

/*
 * Who may ask what: admins everything; users read settings and accounts
 * (no secrets) and change their own password; anyone else (guests, who
 * cannot log in anyway) only whoami.  Account changes are checked again
 * in accounts.c.
 */
static int allowed(const struct ctl_request *req, enum role role)
{
	switch (req->cmd) {
	case CTL_WHOAMI:
		return 1;
	case CTL_CONFIG_GET:
	case CTL_ACCOUNT_LIST:
	case CTL_PASSWD:
		return role >= ROLE_USER;
	case CTL_CONFIG_EXPORT:
		return role >= (req->secrets ? ROLE_ADMIN : ROLE_USER);
	default:
		return role == ROLE_ADMIN;
	}
}

static void send_config(struct pbconfd *d, struct client *c, int secrets,
			int export)
{
	size_t n;

	if (export)
		n = config_export(d, secrets, reply_buf, sizeof(reply_buf));
	else
		n = config_text(d, reply_buf, sizeof(reply_buf));
	if (n >= sizeof(reply_buf))
		send_text(c, "error: configuration text too large");
	else
		send_reply(c, reply_buf, n);
	explicit_bzero(reply_buf, sizeof(reply_buf));
}

static void handle_request(struct pbconfd *d, struct client *c,
			   const char *buf, size_t len)
{
	static struct ctl_request req;
	enum role role = role_of(d, &c->cred);
	char err[CONF_ERR_MAX + 64], who[64];

	if (ctl_parse_request(buf, len, &req, err, sizeof(err))) {
		snprintf(reply_buf, sizeof(reply_buf), "error: %s", err);
		send_text(c, reply_buf);
		return;
	}
	if (!allowed(&req, role)) {
		log_warn("config: %s by uid %u refused: permission denied",
			 cmd_names[req.cmd], (unsigned int)c->cred.uid);
		send_text(c, "error: permission denied");
		ctl_request_wipe(&req);
		return;
	}
	switch (req.cmd) {
	case CTL_CONFIG_GET:
	case CTL_CONFIG_EXPORT:
		send_config(d, c, req.secrets, req.cmd == CTL_CONFIG_EXPORT);
		break;
	case CTL_PORT_SET:
		config_port_set(d, &req, &c->cred, reply_buf,
				sizeof(reply_buf));
		send_text(c, reply_buf);
		break;
	case CTL_CONFIG_SET:
	case CTL_CONFIG_IMPORT:
		config_set_text(d, &req, &c->cred,
				req.cmd == CTL_CONFIG_IMPORT, reply_buf,
				sizeof(reply_buf));
		send_text(c, reply_buf);
		break;
	case CTL_FACTORY_RESET:
		user_name(c->cred.uid, who, sizeof(who));
		send_text(c, "ok");
		system_factory_reset(d, who);
		break;
	default:
		accounts_request(d, &req, &c->cred, role, reply_buf,
				 sizeof(reply_buf));
		send_text(c, reply_buf);
		break;
	}
	ctl_request_wipe(&req);
}

static void read_client(struct pbconfd *d, struct client *c)
{
	static char buf[CTL_PACKET_MAX + 1];
	ssize_t n;

	/* MSG_TRUNC: n is the packet's real length, even if it is longer */
	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->last_active = time(NULL);
	if ((size_t)n > CTL_PACKET_MAX) {
		send_text(c, "error: request too long");
		return;
	}
	handle_request(d, c, buf, n);
	explicit_bzero(buf, n);
}

int control_poll_fds(struct pbconfd *d, struct pollfd *fds, int max)
{
	unsigned int i;
	int n = 0;

	if (max < 1)
		return 0;
	fds[n].fd = d->listen_fd;
	fds[n++].events = POLLIN;
	for (i = 0; i < CLIENTS_MAX && n < max; i++) {
		fds[n].fd = d->clients[i].fd;	/* poll skips -1 */
		fds[n++].events = POLLIN;
	}
	return n;
}

void control_handle(struct pbconfd *d, struct pollfd *fds, int n)
{
	time_t now = time(NULL);
	int i;

	for (i = 1; i < n; i++) {
		struct client *c = &d->clients[i - 1];

		if (c->fd < 0)
			continue;
		if (fds[i].revents & POLLIN)
			read_client(d, c);
		else if (fds[i].revents & (POLLHUP | POLLERR | POLLNVAL))
			client_close(c);
		else if (now - c->last_active >= CLIENT_IDLE_SECONDS)
			client_close(c);
	}
	if (n > 0 && (fds[0].revents & POLLIN))
		accept_client(d);
}

int control_timeout_ms(const struct pbconfd *d)
{
	unsigned int i;

	for (i = 0; i < CLIENTS_MAX; i++) {
		if (d->clients[i].fd >= 0)
			return 1000;	/* check idle clients each second */
	}
	return -1;
}
