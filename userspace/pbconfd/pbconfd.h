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
#define RESOLVE_TIMEOUT_MS	5000	/* host names of one port */
#define RETRY_SECONDS		30	/* enabled ports that are not up */

struct port {
	int fd;			/* the tty, -1 if the port is not bridged */
	char tty[PORTMAP_TTY_MAX];
	char error[320];	/* why an enabled port is not up ("" if it is) */
	int retry;		/* that may change by itself: try again */
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
	/* the config attributes the module accepts (PB_ATTR_BIT) */
	uint64_t kernel_attrs;

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
/*
 * Attach port @n and push @pc.  0; -EAGAIN if a name did not resolve or
 * the tty is missing (the UART was not touched: worth trying again later);
 * another -errno if the kernel refused (the port is down again).
 */
int port_up(struct pbconfd *d, unsigned int n, const struct pb_port_conf *pc,
	    char *err, size_t errsize);
int port_push(struct pbconfd *d, unsigned int n,
	      const struct pb_port_conf *pc, char *err, size_t errsize);
void port_down(struct pbconfd *d, unsigned int n);
int port_is_up(const struct pbconfd *d, unsigned int n);
void ports_down(struct pbconfd *d);

/* resolve.c: host names of destinations */
typedef int (*resolve_fn)(const char *host, int socktype, uint8_t addr[16]);
/* The first address of @host: 0, or an EAI_* code. */
int resolve_getaddrinfo(const char *host, int socktype, uint8_t addr[16]);
/*
 * Replace every host name destination of @pc by its address, looked up by
 * @lookup in a child process given @timeout_ms for all of them.  0, or -1
 * and @err ("dest2: cannot resolve 'plc.example': ...").
 */
int resolve_dests(struct pb_port_conf *pc, unsigned int timeout_ms,
		  resolve_fn lookup, char *err, size_t errsize);

/* control.c: the control socket */
int control_listen(struct pbconfd *d);
void control_close(struct pbconfd *d);
int control_poll_fds(struct pbconfd *d, struct pollfd *fds, int max);
void control_handle(struct pbconfd *d, struct pollfd *fds, int n);
int control_timeout_ms(const struct pbconfd *d);

#endif /* PBCONFD_H */
