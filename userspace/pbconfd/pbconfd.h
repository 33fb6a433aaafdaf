/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pbconfd: the configuration daemon, the only writer of the persistent
 * configuration and the only process that binds UARTs to bridge ports.
 */
#ifndef PBCONFD_H
#define PBCONFD_H

#include <stdint.h>
#include <sys/types.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include "conf.h"
#include "ctl.h"
#include "nl.h"
#include "portmap.h"

#define CLIENTS_MAX		16
#define CLIENT_IDLE_SECONDS	30

struct port {
	int fd;			/* the tty, -1 if the port is not bridged */
	char tty[PORTMAP_TTY_MAX];
};

struct client {
	int fd;			/* -1: free slot */
	struct ucred cred;
	time_t last_active;
};

struct pbconfd {
	/* options */
	const char *conf_path;
	const char *dtb_path;
	const char *sock_path;
	const char *pid_path;
	const char *sysfs;
	int foreground;

	struct portmap map;
	struct pb_conf conf;		/* applied and saved */
	struct port ports[PB_MAX_PORTS];	/* port N is ports[N - 1] */

	struct nl_sock nl;
	uint16_t family;

	int listen_fd;
	int signal_fd;
	struct client clients[CLIENTS_MAX];
	gid_t admin_gid;
	int have_admin_gid;
};

/* config.c: the configuration file and transactions on it */
int config_load(struct pbconfd *d);
int config_port_set(struct pbconfd *d, const struct ctl_request *req,
		    const struct ucred *cred, char *reply, size_t size);
size_t config_text(const struct pbconfd *d, char *buf, size_t size);

/* ports.c: binding UARTs to bridge ports */
void ports_init(struct pbconfd *d);
int port_up(struct pbconfd *d, unsigned int n, const struct pb_port_conf *pc,
	    char *err, size_t errsize);
int port_push(struct pbconfd *d, unsigned int n,
	      const struct pb_port_conf *pc, char *err, size_t errsize);
void port_down(struct pbconfd *d, unsigned int n);
int port_is_up(const struct pbconfd *d, unsigned int n);
void ports_down(struct pbconfd *d);

/* control.c: the control socket */
int control_listen(struct pbconfd *d);
void control_close(struct pbconfd *d);
int control_poll_fds(struct pbconfd *d, struct pollfd *fds, int max);
void control_handle(struct pbconfd *d, struct pollfd *fds, int n);
int control_timeout_ms(const struct pbconfd *d);

#endif /* PBCONFD_H */
