/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operation modes.  Each mode is one file with one ops table; the port
 * drives it through these and nothing else.
 *
 * Lifetime of a mode instance (port.c):
 *   create    allocate; nothing is visible yet, may fail (-ENOMEM).
 *   start     go live: from here the port's works may call in.
 *   update    a configuration change that keeps the instance.
 *   unhook    remove our callbacks from every socket the instance owns;
 *             afterwards no socket callback can reach it.
 *   destroy   close its connections (events with the reason), free it.
 * The port's listeners are not the instance's: the port binds, hooks and
 * releases them (sk_user_data is the port), and the instance accepts from
 * port->listen[].
 *
 * Every op from start to destroy runs under port->conn_lock, from the
 * port's works, the tty receive path or a configuration change, so an
 * instance needs no locking of its own.  The works check port->mode, so
 * after a mode change they simply find the new instance.
 */
#ifndef _PB_MODE_H
#define _PB_MODE_H

#include <linux/types.h>

struct nlattr;
struct netlink_ext_ack;
struct pb_config;
struct pb_listen_spec;
struct pb_port;

struct pb_opmode {
	const struct pb_opmode_ops *ops;
	struct pb_port *port;
};

struct pb_opmode_ops {
	u8 mode;		/* enum pb_mode */

	/* Configuration rules the policies cannot express (optional). */
	int (*check)(struct pb_port *port, const struct pb_config *cfg,
		     struct nlattr **attrs, struct netlink_ext_ack *extack);
	/* The sockets the port must have bound for cfg (optional). */
	void (*listeners)(const struct pb_config *cfg,
			  struct pb_listen_spec *want);
	/* Whether going from old to new needs a new instance. */
	bool (*restart)(const struct pb_config *old, const struct pb_config *new);

	struct pb_opmode *(*create)(struct pb_port *port,
				  const struct pb_config *cfg);
	void (*start)(struct pb_opmode *m);
	void (*update)(struct pb_opmode *m, const struct pb_config *old);
	void (*unhook)(struct pb_opmode *m);
	void (*destroy)(struct pb_opmode *m, u8 reason);

	/*
	 * Serial -> network.  room: how many serial bytes the mode can take
	 * now (it is asked before every chunk); send: line data, never more
	 * than the room it reported minus what it was sent since.
	 */
	unsigned int (*room)(struct pb_opmode *m);
	void (*send)(struct pb_opmode *m, const u8 *buf, unsigned int len);
	/* The UART flagged these PB_LINE_* errors (optional). */
	void (*line_errors)(struct pb_opmode *m, unsigned int errors);

	/* rx_work: network -> UART, then connection states. */
	void (*net_rx)(struct pb_opmode *m);
	/* tx_work: a socket has room again. */
	void (*net_tx)(struct pb_opmode *m);
	/*
	 * ctl_work: accept, connect, timeouts; returns the next deadline
	 * (jiffies) or 0.
	 */
	unsigned long (*control)(struct pb_opmode *m);
};

/* Line errors for ->line_errors. */
#define PB_LINE_PARITY		BIT(0)
#define PB_LINE_FRAME		BIT(1)
#define PB_LINE_OVERRUN		BIT(2)
#define PB_LINE_BREAK		BIT(3)

extern const struct pb_opmode_ops pb_tcp_server_ops;
extern const struct pb_opmode_ops pb_tcp_client_ops;
extern const struct pb_opmode_ops pb_udp_ops;
extern const struct pb_opmode_ops pb_rfc2217_ops;
extern const struct pb_opmode_ops pb_realcom_ops;

/* The ops of a mode, NULL for disabled. */
const struct pb_opmode_ops *pb_opmode_find(u8 mode);

#endif /* _PB_MODE_H */
