// SPDX-License-Identifier: GPL-2.0
/*
 * TCP connections (accepted or made by the port) and the set of them that
 * share one serial line, for every mode that speaks TCP.
 *
 * Serial -> network.  The mode's send hands each chunk of line data to
 * pb_clients_send(), which sends it to every connection without blocking.
 * What a socket cannot take yet goes to that connection's backlog.  The
 * backpressure rule: the port takes from the UART only as many bytes as
 * the set has room for (pb_clients_room), so every connection gets every
 * byte exactly once and in order.  When that is less than offered, the
 * rest stays in the tty flip buffer and the UART is throttled; write_space
 * queues tx_work, which drains the backlogs and resumes the UART.
 *
 * "Ignore jammed IP" changes the rule: the room is that of the emptiest
 * backlog, and a connection whose backlog cannot take a chunk is skipped
 * (it misses those bytes, counted in JAMMED_SKIPS), so a stalled client
 * never holds the others back.  It stays jammed until its backlog has
 * drained; jammed longer than PB_A_JAMMED_MS, it is disconnected.  With
 * one connection, or all of them stalled, the UART is throttled as before.
 *
 * Network -> serial.  data_ready queues rx_work, which serves the
 * connections round robin, one TCP segment per turn, writing into the tty
 * as far as tty_write_room() allows.  What does not fit stays in the
 * socket, so the TCP window pushes back on the client.  A connection whose
 * segment was cut short by a full UART is served first next time, so
 * segments of different clients never interleave.
 *
 * Lifetime.  A connection's callbacks find it through sk_user_data (see
 * socket.c) and only queue the port's works; the works and the receive
 * path find it only in its mode's set, under conn_lock.  It is unhooked
 * before its socket is released and its memory freed.
 */

#include <linux/net.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/tty.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "client.h"
#include "netlink.h"
#include "port.h"
#include "serial.h"

/* Bytes rx_work writes to the UART before it yields the worker. */
#define PB_UART_BUDGET		16384

/* ---- byte ring ---- */

int pb_ring_init(struct pb_ring *r, unsigned int size)
{
	r->buf = kmalloc(size, GFP_KERNEL);
	r->size = size;
	r->head = 0;
	r->len = 0;
	return r->buf ? 0 : -ENOMEM;
}

void pb_ring_free(struct pb_ring *r)
{
	kfree(r->buf);
	r->buf = NULL;
}

void pb_ring_put(struct pb_ring *r, const u8 *buf, unsigned int len)
{
	unsigned int tail, first;

	if (WARN_ON_ONCE(len > pb_ring_room(r)))
		return;
	tail = (r->head + r->len) % r->size;
	first = min(len, r->size - tail);
	memcpy(r->buf + tail, buf, first);
	memcpy(r->buf, buf + first, len - first);
	r->len += len;
}

void pb_ring_drop(struct pb_ring *r, unsigned int len)
{
	len = min(len, r->len);
	r->head = (r->head + len) % r->size;
	r->len -= len;
	if (!r->len)
		r->head = 0;
}

unsigned int pb_ring_peek(const struct pb_ring *r, const u8 **buf)
{
	*buf = r->buf + r->head;
	return min(r->len, r->size - r->head);
}

/* ---- callbacks (softirq) ---- */

static void pb_client_data_ready(struct sock *sk)
{
	struct pb_client *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c)
		queue_work(pb_wq, &c->port->rx_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void pb_client_write_space(struct sock *sk)
{
	struct pb_client *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	/* Like sk_stream_write_space(): wake only for a useful amount. */
	if (c && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		queue_work(pb_wq, &c->port->tx_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/*
 * Connects, closes and resets are handled in rx_work, after what came
 * before them was read.
 */
static const struct pb_sock_ops pb_client_sock_ops = {
	.data_ready = pb_client_data_ready,
	.write_space = pb_client_write_space,
	.state_change = pb_client_data_ready,
};

/* ---- one connection ---- */

struct pb_client *pb_client_new(struct pb_port *port, struct socket *sock)
{
	struct pb_client *c;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	if (pb_ring_init(&c->backlog, PB_CLIENT_BACKLOG)) {
		kfree(c);
		return NULL;
	}
	c->port = port;
	c->sock = sock;
	c->since = jiffies;
	pb_sock_tcp_setup(sock);
	pb_client_keepalive(c);
	return c;
}

void pb_client_hook(struct pb_client *c)
{
	pb_sock_hook(c->sock, c, &pb_client_sock_ops, &c->hook);
}

void pb_client_unhook(struct pb_client *c)
{
	pb_sock_unhook(c->sock, &c->hook);
}

void pb_client_keepalive(struct pb_client *c)
{
	const struct pb_config *cfg = &c->port->cfg;

	pb_sock_keepalive(c->sock, cfg->keepalive_idle, cfg->keepalive_intvl,
			  cfg->keepalive_cnt);
}

/* The connection is up: count it and tell the listeners of events. */
void pb_client_announce(struct pb_client *c)
{
	struct pb_port *port = c->port;

	pb_sock_peer(c->sock, &c->peer);
	c->since = jiffies;
	c->announced = true;
	WRITE_ONCE(port->active, port->active + 1);
	pb_stat_inc(&port->stats.connections);
	pb_netlink_event(port->index, PB_CMD_EVENT_CONNECT, &c->peer,
			 PB_REASON_NONE);
}

void pb_client_close(struct pb_client *c, u8 reason)
{
	struct pb_port *port = c->port;

	pb_client_unhook(c);
	sock_release(c->sock);
	if (c->announced) {
		WRITE_ONCE(port->active, port->active - 1);
		pb_netlink_event(port->index, PB_CMD_EVENT_DISCONNECT,
				 &c->peer, reason);
	}
	pb_ring_free(&c->backlog);
	kfree(c);
}

static void pb_client_fail(struct pb_client *c, int err)
{
	if (c->failed)
		return;
	c->failed = true;
	if (err == -EPIPE || err == -ECONNRESET) {
		c->fail_reason = PB_REASON_PEER_CLOSED;
	} else {
		c->fail_reason = PB_REASON_ERROR;
		pb_stat_inc(&c->port->stats.net_errors);
	}
}

static int pb_client_send(struct pb_client *c, const u8 *buf,
			  unsigned int len)
{
	int ret = pb_sock_send(c->sock, buf, len);

	if (ret < 0)
		pb_client_fail(c, ret);
	return ret;
}

unsigned int pb_client_room(const struct pb_client *c)
{
	return pb_ring_room(&c->backlog);
}

void pb_client_flush(struct pb_client *c)
{
	const u8 *buf;
	unsigned int chunk;
	int sent;

	while (c->backlog.len && !c->failed) {
		chunk = pb_ring_peek(&c->backlog, &buf);
		sent = pb_client_send(c, buf, chunk);
		if (sent <= 0)
			break;
		pb_ring_drop(&c->backlog, sent);
	}
	if (!c->backlog.len)
		c->jammed = false;
}

/* Bytes after a non-empty backlog wait behind it; len must fit. */
void pb_client_queue(struct pb_client *c, const u8 *buf, unsigned int len)
{
	int sent = 0;

	if (c->failed || !len)
		return;
	if (!c->backlog.len) {
		sent = pb_client_send(c, buf, len);
		if (sent < 0)
			return;
	}
	pb_ring_put(&c->backlog, buf + sent, len - sent);
}

/* Why a connection has to go, or PB_REASON_NONE if it stays. */
u8 pb_client_check(struct pb_client *c)
{
	struct sock *sk = c->sock->sk;
	u8 reason = PB_REASON_NONE;

	if (c->failed)
		return c->fail_reason;

	lock_sock(sk);
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
		break;
	case TCP_CLOSE_WAIT:
		/* Orderly close: what came before the FIN goes out first. */
		if (skb_queue_empty(&sk->sk_receive_queue))
			reason = PB_REASON_PEER_CLOSED;
		break;
	default:
		if (sk->sk_err == ETIMEDOUT && sock_flag(sk, SOCK_KEEPOPEN)) {
			/* Probes or retransmissions went unanswered. */
			reason = PB_REASON_ALIVE_CHECK;
		} else if (sk->sk_err && sk->sk_err != ECONNRESET) {
			reason = PB_REASON_ERROR;
			pb_stat_inc(&c->port->stats.net_errors);
		} else {
			reason = PB_REASON_PEER_CLOSED;
		}
		break;
	}
	release_sock(sk);
	return reason;
}

/*
 * Read what the peer sent into buf without blocking: bytes read, 0 at the
 * end of the stream, -EAGAIN when nothing is there, or an error.
 */
int pb_client_recv(struct pb_client *c, u8 *buf, unsigned int len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec vec = { .iov_base = buf, .iov_len = len };

	return kernel_recvmsg(c->sock, &msg, &vec, 1, len, MSG_DONTWAIT);
}

/* A connection beyond the maximum: accepted and closed at once. */
void pb_client_refuse(struct pb_port *port, struct socket *sock)
{
	struct sockaddr_in6 peer;

	pb_sock_peer(sock, &peer);
	sock_release(sock);
	pb_stat_inc(&port->stats.refused);
	pb_netlink_event(port->index, PB_CMD_EVENT_REFUSED, &peer,
			 PB_REASON_NONE);
}

/* ---- network -> serial ---- */

struct pb_uart_writer {
	struct pb_port *port;
	bool full;		/* the tty took less than offered */
};

/*
 * tcp_read_sock() actor: copy one segment into the tty as far as it has
 * room.  Returning less than len leaves the rest in the socket.
 */
static int pb_uart_actor(read_descriptor_t *desc, struct sk_buff *skb,
			 unsigned int offset, size_t len)
{
	struct pb_uart_writer *w = desc->arg.data;
	struct pb_port *port = w->port;
	u8 *buf = port->uart_buf;
	size_t done = 0;
	int chunk, n;

	/* One segment per turn; later calls come for coalesced data. */
	if (!desc->count || w->full)
		return 0;
	while (done < len) {
		chunk = min_t(size_t, len - done, PB_UART_BUF);
		chunk = min_t(unsigned int, chunk, pb_uart_room(port));
		if (!chunk || skb_copy_bits(skb, offset + done, buf, chunk))
			break;
		n = pb_uart_write(port, buf, chunk);
		done += n;
		if (n < chunk)
			break;
	}
	if (done < len)
		w->full = true;
	else
		desc->count = 0;
	return done;
}

/*
 * tcp_read_sock() stops at an urgent byte and never passes it.  Read that
 * one byte with recvmsg (SOCK_URGINLINE keeps it in the stream), which
 * also clears the urgent state, so the client is not stalled for good.
 */
static int pb_client_urgent_to_uart(struct pb_client *c)
{
	struct pb_port *port = c->port;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec vec = { .iov_base = port->uart_buf, .iov_len = 1 };

	if (!pb_uart_room(port))
		return 0;
	if (kernel_recvmsg(c->sock, &msg, &vec, 1, 1, MSG_DONTWAIT) != 1)
		return 0;
	return pb_uart_write(port, port->uart_buf, 1);
}

/* Returns bytes written; *full tells whether the tty ran out of room. */
int pb_client_to_uart(struct pb_client *c, bool *full)
{
	struct pb_uart_writer w = { .port = c->port };
	read_descriptor_t desc = { .arg.data = &w, .count = 1 };
	struct sock *sk = c->sock->sk;
	bool urgent;
	int n;

	lock_sock(sk);
	n = tcp_read_sock(sk, &desc, pb_uart_actor);
	urgent = n <= 0 && !w.full && tcp_sk(sk)->urg_data &&
		 !skb_queue_empty(&sk->sk_receive_queue);
	release_sock(sk);
	if (urgent)
		n = pb_client_urgent_to_uart(c);
	*full = w.full;
	return max(n, 0);
}

/* ---- sets ---- */

void pb_clients_init(struct pb_clients *set, struct pb_port *port,
		     unsigned int size)
{
	memset(set, 0, sizeof(*set));
	set->port = port;
	set->size = min_t(unsigned int, size, PB_MAX_CONNS);
}

unsigned int pb_clients_count(const struct pb_clients *set)
{
	unsigned int i, n = 0;

	for (i = 0; i < set->size; i++)
		n += !!set->slot[i];
	return n;
}

/* The slot taken, or -ENOSPC. */
int pb_clients_add(struct pb_clients *set, struct pb_client *c)
{
	unsigned int i;

	for (i = 0; i < set->size; i++) {
		if (!set->slot[i]) {
			set->slot[i] = c;
			return i;
		}
	}
	return -ENOSPC;
}

/* How many serial bytes the set can take now (see the top of the file). */
unsigned int pb_clients_room(const struct pb_clients *set)
{
	bool skip_jammed = set->port->cfg.ignore_jammed;
	unsigned int room = UINT_MAX, most = 0, i;
	bool any = false;
	struct pb_client *c;

	for (i = 0; i < set->size; i++) {
		c = set->slot[i];
		if (!c || c->failed)
			continue;
		any = true;
		room = min(room, pb_client_room(c));
		most = max(most, pb_client_room(c));
	}
	if (!any)
		return UINT_MAX;
	return skip_jammed ? most : room;
}

static void pb_client_skip(struct pb_client *c, unsigned int len)
{
	struct pb_port *port = c->port;

	pb_stat_add(&port->stats.jammed_skips, len);
	if (c->jammed)
		return;
	c->jammed = true;
	c->jammed_since = jiffies;
	if (port->cfg.jammed_ms)
		pb_port_arm(port, c->jammed_since +
			    msecs_to_jiffies(port->cfg.jammed_ms));
}

void pb_clients_send(struct pb_clients *set, const u8 *buf, unsigned int len)
{
	struct pb_client *c;
	unsigned int i;

	if (!len)
		return;
	for (i = 0; i < set->size; i++) {
		c = set->slot[i];
		if (!c || c->failed)
			continue;
		if (pb_client_room(c) >= len)
			pb_client_queue(c, buf, len);
		else
			pb_client_skip(c, len);
	}
}

void pb_clients_flush(struct pb_clients *set)
{
	unsigned int i;

	for (i = 0; i < set->size; i++)
		if (set->slot[i])
			pb_client_flush(set->slot[i]);
}

void pb_clients_close(struct pb_clients *set, unsigned int slot, u8 reason)
{
	struct pb_client *c = set->slot[slot];

	set->slot[slot] = NULL;
	pb_client_close(c, reason);
}

/* Close the connections that went away; returns a mask of their slots. */
unsigned int pb_clients_reap(struct pb_clients *set)
{
	unsigned int i, closed = 0;
	u8 reason;

	for (i = 0; i < set->size; i++) {
		if (!set->slot[i])
			continue;
		reason = pb_client_check(set->slot[i]);
		if (reason == PB_REASON_NONE)
			continue;
		pb_clients_close(set, i, reason);
		closed |= BIT(i);
	}
	return closed;
}

/* The cheap part of the reaper, for the serial receive path. */
void pb_clients_reap_failed(struct pb_clients *set)
{
	unsigned int i;

	for (i = 0; i < set->size; i++)
		if (set->slot[i] && set->slot[i]->failed)
			pb_clients_close(set, i, set->slot[i]->fail_reason);
}

void pb_clients_close_all(struct pb_clients *set, u8 reason)
{
	unsigned int i;

	for (i = 0; i < set->size; i++)
		if (set->slot[i])
			pb_clients_close(set, i, reason);
}

void pb_clients_unhook(struct pb_clients *set)
{
	unsigned int i;

	for (i = 0; i < set->size; i++)
		if (set->slot[i])
			pb_client_unhook(set->slot[i]);
}

void pb_clients_keepalive(struct pb_clients *set)
{
	unsigned int i;

	for (i = 0; i < set->size; i++)
		if (set->slot[i])
			pb_client_keepalive(set->slot[i]);
}

void pb_clients_to_uart(struct pb_clients *set)
{
	struct pb_port *port = set->port;
	struct tty_struct *tty = port->tty;
	unsigned int idle = 0, budget = PB_UART_BUDGET, slot;
	struct pb_client *c;
	bool full;
	int n;

	if (!set->size)
		return;
	slot = set->rr_next % set->size;
	while (idle < set->size && pb_uart_open(port)) {
		c = set->slot[slot];
		if (!c || c->failed) {
			idle++;
			slot = (slot + 1) % set->size;
			continue;
		}
		if (!pb_uart_writable(port))
			break;
		if (!budget) {
			queue_work(pb_wq, &port->rx_work);
			break;
		}
		n = pb_client_to_uart(c, &full);
		budget -= min_t(unsigned int, budget, n);
		/* Cut short: this connection's segment continues next. */
		if (full && n > 0)
			continue;
		/* The driver took nothing despite claiming room: wait. */
		if (full) {
			set_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
			break;
		}
		idle = n > 0 ? 0 : idle + 1;
		slot = (slot + 1) % set->size;
	}
	set->rr_next = slot;
}

/*
 * Close connections idle (no serial data either way) or jammed for too
 * long; returns the next deadline, 0 if none.
 */
unsigned long pb_clients_timeouts(struct pb_clients *set, bool inactivity)
{
	struct pb_port *port = set->port;
	unsigned long idle = msecs_to_jiffies(port->cfg.inactivity_ms);
	unsigned long jam = msecs_to_jiffies(port->cfg.jammed_ms);
	unsigned long now = jiffies, next = 0, last, at;
	struct pb_client *c;
	unsigned int i;

	for (i = 0; i < set->size; i++) {
		c = set->slot[i];
		if (!c)
			continue;
		if (c->jammed && port->cfg.jammed_ms) {
			at = c->jammed_since + jam;
			if (time_after_eq(now, at)) {
				pb_stat_inc(&port->stats.jammed_drops);
				pb_clients_close(set, i, PB_REASON_JAMMED);
				continue;
			}
			next = pb_deadline_min(next, at);
		}
		if (inactivity && port->cfg.inactivity_ms) {
			last = READ_ONCE(port->last_serial);
			if (time_before(last, c->since))
				last = c->since;
			at = last + idle;
			if (time_after_eq(now, at)) {
				pb_clients_close(set, i, PB_REASON_INACTIVITY);
				continue;
			}
			next = pb_deadline_min(next, at);
		}
	}
	return next;
}
