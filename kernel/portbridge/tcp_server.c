// SPDX-License-Identifier: GPL-2.0
/*
 * TCP server mode: up to PB_A_MAX_CONNS clients on the port's listener
 * share the serial line; every client's data goes to the UART, the UART's
 * data to every client (client.c).  A connection beyond the maximum is
 * accepted and closed at once (REFUSED).  Clients are closed after
 * PB_A_INACTIVITY_MS without serial data either way, and by the alive
 * check (keepalive) when their peer is gone.
 *
 * A change of the local port (or of the mode) closes the clients; the
 * other settings apply to the clients in place.
 */

#include <linux/in.h>
#include <linux/net.h>
#include <linux/slab.h>

#include "client.h"
#include "mode.h"
#include "netlink.h"
#include "port.h"

struct pb_tcp_server {
	struct pb_opmode mode;
	struct pb_clients clients;
};

static struct pb_tcp_server *pb_tcps(struct pb_opmode *m)
{
	return container_of(m, struct pb_tcp_server, mode);
}

static void pb_tcps_listeners(const struct pb_config *cfg,
			      struct pb_listen_spec *want)
{
	want[PB_LISTEN_DATA].proto = IPPROTO_TCP;
	want[PB_LISTEN_DATA].port = cfg->local_port;
}

static bool pb_tcps_restart(const struct pb_config *old,
			    const struct pb_config *new)
{
	return old->local_port != new->local_port;
}

static struct pb_opmode *pb_tcps_create(struct pb_port *port,
				      const struct pb_config *cfg)
{
	struct pb_tcp_server *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->mode.ops = &pb_tcp_server_ops;
	s->mode.port = port;
	pb_clients_init(&s->clients, port, PB_MAX_CONNS);
	return &s->mode;
}

static void pb_tcps_start(struct pb_opmode *m)
{
	/* Connections that completed before the hook raised no callback. */
	queue_work(pb_wq, &m->port->ctl_work);
}

static void pb_tcps_update(struct pb_opmode *m, const struct pb_config *old)
{
	const struct pb_config *cfg = &m->port->cfg;

	if (cfg->keepalive_idle != old->keepalive_idle ||
	    cfg->keepalive_intvl != old->keepalive_intvl ||
	    cfg->keepalive_cnt != old->keepalive_cnt)
		pb_clients_keepalive(&pb_tcps(m)->clients);
}

static void pb_tcps_unhook(struct pb_opmode *m)
{
	pb_clients_unhook(&pb_tcps(m)->clients);
}

static void pb_tcps_destroy(struct pb_opmode *m, u8 reason)
{
	pb_clients_close_all(&pb_tcps(m)->clients, reason);
	kfree(pb_tcps(m));
}

static unsigned int pb_tcps_room(struct pb_opmode *m)
{
	return pb_clients_room(&pb_tcps(m)->clients);
}

static void pb_tcps_send(struct pb_opmode *m, const u8 *buf, unsigned int len)
{
	pb_clients_send(&pb_tcps(m)->clients, buf, len);
}

static void pb_tcps_net_rx(struct pb_opmode *m)
{
	struct pb_tcp_server *s = pb_tcps(m);

	pb_clients_to_uart(&s->clients);
	/* After reading, so a FIN just consumed is seen. */
	pb_clients_reap(&s->clients);
}

static void pb_tcps_net_tx(struct pb_opmode *m)
{
	struct pb_tcp_server *s = pb_tcps(m);

	pb_clients_flush(&s->clients);
	pb_clients_reap(&s->clients);
}

static void pb_tcps_accept_one(struct pb_tcp_server *s, struct socket *sock)
{
	struct pb_port *port = s->mode.port;
	struct pb_client *c;

	/* Clean refusal: accepted and closed at once, never served. */
	if (pb_clients_count(&s->clients) >= port->cfg.max_conns) {
		pb_client_refuse(port, sock);
		return;
	}
	c = pb_client_new(port, sock);
	if (!c) {
		sock_release(sock);
		pb_stat_inc(&port->stats.net_errors);
		return;
	}
	pb_clients_add(&s->clients, c);
	pb_client_hook(c);
	pb_client_announce(c);
	/* Data or a close that came before the hook raised no callback. */
	queue_work(pb_wq, &port->rx_work);
}

static unsigned long pb_tcps_control(struct pb_opmode *m)
{
	struct pb_tcp_server *s = pb_tcps(m);
	struct pb_listener *l = &m->port->listen[PB_LISTEN_DATA];
	struct socket *sock;
	int err;

	/* A client that just left frees its slot for one reconnecting. */
	pb_clients_reap(&s->clients);
	while (!(err = pb_listener_accept(l, &sock))) {
		pb_sock_unhook_accepted(l, sock);
		pb_tcps_accept_one(s, sock);
	}
	if (err != -EAGAIN)
		pb_stat_inc(&m->port->stats.net_errors);
	return pb_clients_timeouts(&s->clients, true);
}

const struct pb_opmode_ops pb_tcp_server_ops = {
	.mode		= PB_MODE_TCP_SERVER,
	.listeners	= pb_tcps_listeners,
	.restart	= pb_tcps_restart,
	.create		= pb_tcps_create,
	.start		= pb_tcps_start,
	.update		= pb_tcps_update,
	.unhook		= pb_tcps_unhook,
	.destroy	= pb_tcps_destroy,
	.room		= pb_tcps_room,
	.send		= pb_tcps_send,
	.net_rx		= pb_tcps_net_rx,
	.net_tx		= pb_tcps_net_tx,
	.control	= pb_tcps_control,
};
