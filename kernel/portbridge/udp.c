// SPDX-License-Identifier: GPL-2.0
/*
 * UDP mode: serial data goes out as datagrams (one per packet when
 * packing is on, one per chunk of UART input otherwise, split at
 * PB_UDP_MAX) to every address of up to PB_MAX_DESTS destination ranges;
 * datagrams received on the local port go to the UART, from any source.
 *
 * Datagrams are sent without blocking: one the socket cannot take is lost
 * (counted in NET_ERRORS), as UDP is.  The receive side takes one
 * datagram at a time into a buffer and writes it to the UART as it has
 * room; the next one stays in the socket meanwhile, so the socket's
 * receive buffer is the queue.
 */

#include <linux/in.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "mode.h"
#include "netlink.h"
#include "port.h"
#include "serial.h"

/* Largest datagram sent: fits an Ethernet frame. */
#define PB_UDP_MAX		1024
/* Largest datagram received whole; longer ones are cut (and counted). */
#define PB_UDP_RX_MAX		2048
/* Datagrams read per work run before yielding. */
#define PB_UDP_BUDGET		64

struct pb_udp_range {
	struct in6_addr begin;
	u32 count;
	u16 port;
};

struct pb_udp {
	struct pb_opmode mode;
	struct pb_udp_range range[PB_MAX_DESTS];
	unsigned int n_ranges;
	u8 *rx_buf;			/* a datagram on its way to the UART */
	unsigned int rx_len;
	unsigned int rx_off;
};

static struct pb_udp *pb_udp(struct pb_opmode *m)
{
	return container_of(m, struct pb_udp, mode);
}

static void pb_udp_listeners(const struct pb_config *cfg,
			     struct pb_listen_spec *want)
{
	want[PB_LISTEN_DATA].proto = IPPROTO_UDP;
	want[PB_LISTEN_DATA].port = cfg->local_port;
}

static void pb_udp_set_ranges(struct pb_udp *u, const struct pb_config *cfg)
{
	unsigned int i;

	u->n_ranges = cfg->n_dests;
	for (i = 0; i < cfg->n_dests; i++) {
		u->range[i].begin = cfg->dests[i].addr;
		u->range[i].count = pb_dest_count(&cfg->dests[i]);
		u->range[i].port = cfg->dests[i].port;
	}
}

static struct pb_opmode *pb_udp_create(struct pb_port *port,
				     const struct pb_config *cfg)
{
	struct pb_udp *u = kzalloc(sizeof(*u), GFP_KERNEL);

	if (!u)
		return NULL;
	u->rx_buf = kmalloc(PB_UDP_RX_MAX, GFP_KERNEL);
	if (!u->rx_buf) {
		kfree(u);
		return NULL;
	}
	u->mode.ops = &pb_udp_ops;
	u->mode.port = port;
	pb_udp_set_ranges(u, cfg);
	return &u->mode;
}

static void pb_udp_start(struct pb_opmode *m)
{
	/* Datagrams that came before the hook raised no callback. */
	queue_work(pb_wq, &m->port->rx_work);
}

static void pb_udp_update(struct pb_opmode *m, const struct pb_config *old)
{
	pb_udp_set_ranges(pb_udp(m), &m->port->cfg);
}

/* The socket is the port's listener: nothing of our own to unhook. */
static void pb_udp_unhook(struct pb_opmode *m)
{
}

static void pb_udp_destroy(struct pb_opmode *m, u8 reason)
{
	struct pb_udp *u = pb_udp(m);

	kfree(u->rx_buf);
	kfree(u);
}

static unsigned int pb_udp_room(struct pb_opmode *m)
{
	return UINT_MAX;
}

static void pb_udp_sendto_all(struct pb_udp *u, struct socket *sock,
			      const u8 *buf, unsigned int len)
{
	struct pb_port *port = u->mode.port;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	unsigned int i;
	u32 k, first;

	for (i = 0; i < u->n_ranges; i++) {
		to.sin6_addr = u->range[i].begin;
		to.sin6_port = htons(u->range[i].port);
		first = ntohl(to.sin6_addr.s6_addr32[3]);
		for (k = 0; k < u->range[i].count; k++) {
			to.sin6_addr.s6_addr32[3] = htonl(first + k);
			if (pb_sock_sendto(sock, &to, buf, len) == len)
				pb_stat_inc(&port->stats.datagrams);
			else
				pb_stat_inc(&port->stats.net_errors);
		}
	}
}

static void pb_udp_send(struct pb_opmode *m, const u8 *buf, unsigned int len)
{
	struct socket *sock = m->port->listen[PB_LISTEN_DATA].sock;
	unsigned int n;

	if (!sock)
		return;
	while (len) {
		n = min_t(unsigned int, len, PB_UDP_MAX);
		pb_udp_sendto_all(pb_udp(m), sock, buf, n);
		buf += n;
		len -= n;
	}
}

/* The next datagram into rx_buf; false when none is waiting. */
static bool pb_udp_receive(struct pb_udp *u, struct socket *sock)
{
	struct pb_port *port = u->mode.port;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec vec = { .iov_base = u->rx_buf, .iov_len = PB_UDP_RX_MAX };
	int n;

	n = kernel_recvmsg(sock, &msg, &vec, 1, PB_UDP_RX_MAX, MSG_DONTWAIT);
	if (n < 0) {
		if (n != -EAGAIN)
			pb_stat_inc(&port->stats.net_errors);
		return false;
	}
	if (msg.msg_flags & MSG_TRUNC)
		pb_stat_inc(&port->stats.net_errors);
	u->rx_len = n;
	u->rx_off = 0;
	return true;
}

static void pb_udp_net_rx(struct pb_opmode *m)
{
	struct pb_udp *u = pb_udp(m);
	struct pb_port *port = m->port;
	struct socket *sock = port->listen[PB_LISTEN_DATA].sock;
	unsigned int budget = PB_UDP_BUDGET, n;

	while (sock && pb_uart_open(port)) {
		if (u->rx_off == u->rx_len) {
			if (!budget--) {
				queue_work(pb_wq, &port->rx_work);
				return;
			}
			if (!pb_udp_receive(u, sock))
				return;
			continue;
		}
		if (!pb_uart_writable(port))
			return;
		n = min(u->rx_len - u->rx_off, pb_uart_room(port));
		n = pb_uart_write(port, u->rx_buf + u->rx_off, n);
		if (!n)
			return;
		u->rx_off += n;
	}
}

static void pb_udp_net_tx(struct pb_opmode *m)
{
}

static unsigned long pb_udp_control(struct pb_opmode *m)
{
	return 0;
}

const struct pb_opmode_ops pb_udp_ops = {
	.mode		= PB_MODE_UDP,
	.listeners	= pb_udp_listeners,
	.create		= pb_udp_create,
	.start		= pb_udp_start,
	.update		= pb_udp_update,
	.unhook		= pb_udp_unhook,
	.destroy	= pb_udp_destroy,
	.room		= pb_udp_room,
	.send		= pb_udp_send,
	.net_rx		= pb_udp_net_rx,
	.net_tx		= pb_udp_net_tx,
	.control	= pb_udp_control,
};
