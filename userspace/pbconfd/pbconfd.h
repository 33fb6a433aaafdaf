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

#include "auth.h"
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
	const char *runtime_path;	/* settings for logins; NULL: none */
	const char *apply_path;		/* applies system settings; NULL */
	const char *reset_path;		/* the factory reset; NULL */
	const char *banner_path;	/* SSH's login message */
	const char *home_dir;		/* accounts' homes; NULL: none */
	int foreground;
	int check_only;			/* -t */
	struct auth_ctx auth;		/* accounts, lockout state */

	struct portmap map;
	struct pb_conf conf;		/* applied and saved */
	struct port ports[PB_MAX_PORTS];	/* port N is ports[N - 1] */

	struct nl_sock nl;
	uint16_t family;
	uint16_t allow_family;		/* pb_allow; 0: module not loaded */
	/* the services whose lists we pushed last (to empty stale ones) */
	struct allow_service allow_pushed[ALLOW_SERVICES_MAX];
	unsigned int allow_npushed;
	/* the config attributes the module accepts (PB_ATTR_BIT) */
	uint64_t kernel_attrs;

	int listen_fd;
	int signal_fd;
	struct client clients[CLIENTS_MAX];
	gid_t admin_gid;
	int have_admin_gid;
	gid_t users_gid;
	int have_users_gid;
};

/* Who asks: root and admins change, users read, others nothing. */
enum role {
	ROLE_NONE,
	ROLE_USER,
	ROLE_ADMIN,
};

/* config.c: the configuration file and transactions on it */
int config_load(struct pbconfd *d);
int config_port_set(struct pbconfd *d, const struct ctl_request *req,
		    const struct ucred *cred, char *reply, size_t size);
size_t config_text(const struct pbconfd *d, char *buf, size_t size);
/* config-set (@import 0: errors without line numbers) and -import */
int config_set_text(struct pbconfd *d, const struct ctl_request *req,
		    const struct ucred *cred, int import, char *reply,
		    size_t size);
size_t config_export(struct pbconfd *d, int secrets, char *buf, size_t size);
void user_name(uid_t uid, char *buf, size_t size);

/* system.c: the board's own settings, applied */
/* Write the settings logins read; 0 or -1. */
int system_write_runtime(struct pbconfd *d);
/* Apply what changed between @old and @new (NULL: everything). */
void system_apply(struct pbconfd *d, const struct pb_conf *old,
		  const struct pb_conf *new);
void system_factory_reset(struct pbconfd *d, const char *who);

/* accounts.c: the account requests */
int accounts_request(struct pbconfd *d, struct ctl_request *req,
		     const struct ucred *cred, enum role role, char *reply,
		     size_t size);
/* Make the accounts' home directories (at start). */
void accounts_homes(struct pbconfd *d);

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

/* allow.c: the accessible IP list in portbridge_allow.ko */
/* Find the module's family and push the configuration (at start). */
void allow_start(struct pbconfd *d);
/*
 * Push the list of @c; @guard (16 bytes, NULL: none) is the address whose
 * SSH access the kernel must keep.  0 or -errno and @err.
 */
int allow_push(struct pbconfd *d, const struct pb_conf *c,
	       const uint8_t *guard, char *err, size_t errsize);
/* 1 if the lists, the switch or the protected services differ. */
int allow_changed(const struct pb_conf *a, const struct pb_conf *b);
/* A request's guard that @c would lock out: -1 and the refusal. */
int allow_check_guard(const struct pb_conf *c, const struct ctl_request *req,
		      char *reply, size_t size);
/* Log the changes of the lists between @old and @new, with who. */
void allow_log_changes(const struct pb_conf *old, const struct pb_conf *new,
		       const struct ucred *cred);

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
