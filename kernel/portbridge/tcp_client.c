// SPDX-License-Identifier: GPL-2.0
/*
 * TCP client mode: the port connects to up to PB_MAX_DESTS destinations
 * (addresses resolved by userspace).  Serial data goes to every connected
 * destination, data from any destination goes to the UART (client.c).
 *
 * Connection control.  "startup": connect at once and stay connected;
 * "any character": connect when serial data arrives, and, with an
 * inactivity time, disconnect after that long without serial data (the
 * next byte connects again).  A destination that cannot be reached or
 * goes away is tried again after a backoff that doubles from
 * PB_RETRY_MIN to PB_RETRY_MAX and starts over once a connection has
 * lasted PB_RETRY_MAX.
 *
 * Serial data that arrives while no destination is connected waits in a
 * bounded queue (PB_CLIENT_BACKLOG bytes); when it is full the UART is
 * throttled, so with flow control nothing is lost.  The destinations
 * that connect first get the queue; later ones get the data from then on.
 * So the queue is empty whenever a destination is connected.
 *
 * Connecting sockets are hooked like connected ones (their state_change
 * queues rx_work), and kept in dest[].conn until they are up.
 */

#include <linux/in.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/ipv6.h>
#include <net/tcp_states.h>

#include "client.h"
#include "mode.h"
#include "netlink.h"
#include "port.h"

#define PB_RETRY_MIN	msecs_to_jiffies(100)
#define PB_RETRY_MAX	msecs_to_jiffies(10000)

struct pb_tcpc_dest {
	struct sockaddr_in6 addr;
	struct pb_client *conn;		/* connecting, NULL otherwise */
	unsigned long retry_at;		/* 0: no attempt scheduled */
	unsigned long backoff;		/* jiffies */
	unsigned long up_since;		/* 0: not connected since last try */
};

struct pb_tcp_client {
	struct pb_opmode mode;
	struct pb_clients up;		/* connected; slot = destination */
	struct pb_tcpc_dest dest[PB_MAX_DESTS];
	unsigned int n_dests;
	struct pb_ring pending;		/* serial data while none is up */
	bool wanted;			/* connections are wanted now */
};

static struct pb_tcp_client *pb_tcpc(struct pb_opmode *m)
{
	return container_of(m, struct pb_tcp_client, mode);
}

static int pb_tcpc_check(struct pb_port *port, const struct pb_config *cfg,
			 struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (!cfg->n_dests) {
		pb_set_err(extack, attrs[PB_A_MODE],
			   "TCP client mode needs a destination");
		return -EINVAL;
	}
	for (i = 0; i < cfg->n_dests; i++) {
		if (!ipv6_addr_equal(&cfg->dests[i].addr,
				     &cfg->dests[i].addr_end)) {
			pb_set_err(extack, attrs[PB_A_DESTINATIONS],
				   "destination %u: a TCP client connects to one address, not a range",
				   i + 1);
			return -EINVAL;
		}
	}
	return 0;
}

static bool pb_dests_equal(const struct pb_config *a, const struct pb_config *b)
{
	unsigned int i;

	if (a->n_dests != b->n_dests)
		return false;
	for (i = 0; i < a->n_dests; i++)
		if (!ipv6_addr_equal(&a->dests[i].addr, &b->dests[i].addr) ||
		    !ipv6_addr_equal(&a->dests[i].addr_end,
				     &b->dests[i].addr_end) ||
		    a->dests[i].port != b->dests[i].port)
			return false;
	return true;
}

static bool pb_tcpc_restart(const struct pb_config *old,
			    const struct pb_config *new)
{
	return old->connect_on != new->connect_on || !pb_dests_equal(old, new);
}

static struct pb_opmode *pb_tcpc_create(struct pb_port *port,
				      const struct pb_config *cfg)
{
	struct pb_tcp_client *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct pb_tcpc_dest *d;
	unsigned int i;

	if (!t)
		return NULL;
	if (pb_ring_init(&t->pending, PB_CLIENT_BACKLOG)) {
		kfree(t);
		return NULL;
	}
	t->mode.ops = &pb_tcp_client_ops;
	t->mode.port = port;
	t->n_dests = cfg->n_dests;
	pb_clients_init(&t->up, port, cfg->n_dests);
	for (i = 0; i < cfg->n_dests; i++) {
		d = &t->dest[i];
		d->addr.sin6_family = AF_INET6;
		d->addr.sin6_addr = cfg->dests[i].addr;
		d->addr.sin6_port = htons(cfg->dests[i].port);
		d->backoff = PB_RETRY_MIN;
	}
	return &t->mode;
}

/* Connections are wanted: try every destination that is down now. */
static void pb_tcpc_want(struct pb_tcp_client *t)
{
	unsigned int i;

	t->wanted = true;
	for (i = 0; i < t->n_dests; i++)
		t->dest[i].retry_at = jiffies;
	queue_work(pb_wq, &t->mode.port->ctl_work);
}

static void pb_tcpc_start(struct pb_opmode *m)
{
	if (m->port->cfg.connect_on == PB_CONNECT_STARTUP)
		pb_tcpc_want(pb_tcpc(m));
}

static void pb_tcpc_update(struct pb_opmode *m, const struct pb_config *old)
{
	pb_clients_keepalive(&pb_tcpc(m)->up);
}

static void pb_tcpc_unhook(struct pb_opmode *m)
{
	struct pb_tcp_client *t = pb_tcpc(m);
	unsigned int i;

	pb_clients_unhook(&t->up);
	for (i = 0; i < t->n_dests; i++)
		if (t->dest[i].conn)
			pb_client_unhook(t->dest[i].conn);
}

/* Drop a connection attempt (it was never announced: no event). */
static void pb_tcpc_abort(struct pb_tcpc_dest *d)
{
	if (!d->conn)
		return;
	pb_client_close(d->conn, PB_REASON_NONE);
	d->conn = NULL;
}

/* Close everything: the connected with reason, the connecting silently. */
static void pb_tcpc_close_all(struct pb_tcp_client *t, u8 reason)
{
	unsigned int i;

	pb_clients_close_all(&t->up, reason);
	for (i = 0; i < t->n_dests; i++) {
		pb_tcpc_abort(&t->dest[i]);
		t->dest[i].retry_at = 0;
	}
}

static void pb_tcpc_destroy(struct pb_opmode *m, u8 reason)
{
	struct pb_tcp_client *t = pb_tcpc(m);

	pb_tcpc_close_all(t, reason);
	pb_ring_free(&t->pending);
	kfree(t);
}

static bool pb_tcpc_any_up(struct pb_tcp_client *t)
{
	return pb_clients_count(&t->up) > 0;
}

static unsigned int pb_tcpc_room(struct pb_opmode *m)
{
	struct pb_tcp_client *t = pb_tcpc(m);

	if (pb_tcpc_any_up(t))
		return pb_clients_room(&t->up);
	return pb_ring_room(&t->pending);
}

static void pb_tcpc_send(struct pb_opmode *m, const u8 *buf, unsigned int len)
{
	struct pb_tcp_client *t = pb_tcpc(m);

	if (pb_tcpc_any_up(t)) {
		pb_clients_send(&t->up, buf, len);
		return;
	}
	pb_ring_put(&t->pending, buf, len);
	if (!t->wanted)
		pb_tcpc_want(t);
}

/* The first destinations up get what waited (they have room: new). */
static void pb_tcpc_send_pending(struct pb_tcp_client *t)
{
	const u8 *buf;
	unsigned int n;

	if (!pb_tcpc_any_up(t))
		return;
	while (t->pending.len) {
		n = pb_ring_peek(&t->pending, &buf);
		pb_clients_send(&t->up, buf, n);
		pb_ring_drop(&t->pending, n);
	}
}

/* A connection attempt finished or is still under way. */
static void pb_tcpc_check_connect(struct pb_tcp_client *t, unsigned int i)
{
	struct pb_tcpc_dest *d = &t->dest[i];
	struct pb_port *port = t->mode.port;
	struct sock *sk = d->conn->sock->sk;
	int state = READ_ONCE(sk->sk_state);

	if (state == TCP_SYN_SENT)
		return;
	if (state != TCP_ESTABLISHED) {
		pb_stat_inc(&port->stats.net_errors);
		pb_tcpc_abort(d);
		return;
	}
	t->up.slot[i] = d->conn;
	d->conn = NULL;
	d->up_since = jiffies;
	pb_client_announce(t->up.slot[i]);
	/* New deadlines: alive check, inactivity (the queue is sent now). */
	queue_work(pb_wq, &port->ctl_work);
}

/* Read the destinations into the UART, then follow connection states. */
static void pb_tcpc_net_rx(struct pb_opmode *m)
{
	struct pb_tcp_client *t = pb_tcpc(m);
	unsigned int i;

	pb_clients_to_uart(&t->up);
	if (pb_clients_reap(&t->up))
		queue_work(pb_wq, &m->port->ctl_work);
	for (i = 0; i < t->n_dests; i++) {
		if (!t->dest[i].conn)
			continue;
		pb_tcpc_check_connect(t, i);
		if (!t->dest[i].conn && !t->up.slot[i])
			queue_work(pb_wq, &m->port->ctl_work);
	}
	pb_tcpc_send_pending(t);
	/* What a new destination sent before it was hooked. */
	pb_clients_to_uart(&t->up);
}

static void pb_tcpc_net_tx(struct pb_opmode *m)
{
	struct pb_tcp_client *t = pb_tcpc(m);

	pb_clients_flush(&t->up);
	if (pb_clients_reap(&t->up))
		queue_work(pb_wq, &m->port->ctl_work);
}

static void pb_tcpc_connect(struct pb_tcp_client *t, unsigned int i)
{
	struct pb_tcpc_dest *d = &t->dest[i];
	struct pb_port *port = t->mode.port;
	struct socket *sock;
	struct pb_client *c;
	int err;

	d->retry_at = 0;
	d->up_since = 0;
	err = pb_sock_tcp_new(&sock);
	if (err)
		goto fail;
	c = pb_client_new(port, sock);
	if (!c) {
		sock_release(sock);
		goto fail;
	}
	pb_client_hook(c);
	err = pb_sock_connect(sock, &d->addr);
	if (err && err != -EINPROGRESS) {
		pb_client_close(c, PB_REASON_NONE);
		goto fail;
	}
	d->conn = c;
	/* It may have completed before the hook saw it. */
	queue_work(pb_wq, &port->rx_work);
	return;

fail:
	pb_stat_inc(&port->stats.net_errors);
}

/* When to try a destination that is down again. */
static void pb_tcpc_schedule(struct pb_tcpc_dest *d)
{
	unsigned long now = jiffies;

	/* A connection that lasted starts the backoff over. */
	if (d->up_since && time_after_eq(now, d->up_since + PB_RETRY_MAX))
		d->backoff = PB_RETRY_MIN;
	d->retry_at = (now + d->backoff) ?: 1;
	d->backoff = min(d->backoff * 2, PB_RETRY_MAX);
	d->up_since = 0;
}

/* Any character: disconnect after inactivity; returns the deadline. */
static unsigned long pb_tcpc_inactivity(struct pb_tcp_client *t)
{
	struct pb_port *port = t->mode.port;
	unsigned long last = READ_ONCE(port->last_serial), at;

	if (port->cfg.connect_on != PB_CONNECT_ANY_CHAR ||
	    !port->cfg.inactivity_ms || !t->wanted || t->pending.len)
		return 0;
	at = last + msecs_to_jiffies(port->cfg.inactivity_ms);
	if (time_before(jiffies, at))
		return at;
	pb_tcpc_close_all(t, PB_REASON_INACTIVITY);
	t->wanted = false;
	return 0;
}

static unsigned long pb_tcpc_control(struct pb_opmode *m)
{
	struct pb_tcp_client *t = pb_tcpc(m);
	unsigned long next;
	struct pb_tcpc_dest *d;
	unsigned int i;

	pb_clients_reap(&t->up);
	next = pb_clients_timeouts(&t->up, false);
	next = pb_deadline_min(next, pb_tcpc_inactivity(t));
	if (!t->wanted)
		return next;
	for (i = 0; i < t->n_dests; i++) {
		d = &t->dest[i];
		if (t->up.slot[i] || d->conn)
			continue;
		if (!d->retry_at)
			pb_tcpc_schedule(d);
		if (time_after_eq(jiffies, d->retry_at))
			pb_tcpc_connect(t, i);
		/* Failed at once: try again later. */
		if (!d->conn && !d->retry_at)
			pb_tcpc_schedule(d);
		if (!d->conn)
			next = pb_deadline_min(next, d->retry_at);
	}
	return next;
}

const struct pb_opmode_ops pb_tcp_client_ops = {
	.mode		= PB_MODE_TCP_CLIENT,
	.check		= pb_tcpc_check,
	.restart	= pb_tcpc_restart,
	.create		= pb_tcpc_create,
	.start		= pb_tcpc_start,
	.update		= pb_tcpc_update,
	.unhook		= pb_tcpc_unhook,
	.destroy	= pb_tcpc_destroy,
	.room		= pb_tcpc_room,
	.send		= pb_tcpc_send,
	.net_rx		= pb_tcpc_net_rx,
	.net_tx		= pb_tcpc_net_tx,
	.control	= pb_tcpc_control,
};
