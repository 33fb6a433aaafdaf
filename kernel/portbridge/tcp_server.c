// SPDX-License-Identifier: GPL-2.0
/*
 * TCP server mode: the listener, its clients, and the data
 * path between them and the UART.
 *
 * Serial -> network.  receive_buf2 hands each chunk of UART input to
 * pb_tcp_server_receive(), which sends it to every client without
 * blocking.  What a client's socket cannot take yet goes to that client's
 * backlog (PB_CLIENT_BACKLOG bytes).  The backpressure rule: the port
 * takes from the UART only as many bytes as the fullest backlog still has
 * room for, so every client gets every byte exactly once, in order, and
 * nothing is dropped.  When that is less than offered, the rest stays in
 * the tty flip buffer and the UART is throttled; a socket's write_space
 * queues net_tx_work, which drains the backlogs and resumes the UART.  A
 * stalled client therefore stalls the port; "ignore jammed IP" will plug
 * in at pb_client_limits_uart().
 *
 * Network -> serial.  data_ready queues net_rx_work, which serves the
 * clients round robin, one TCP segment per turn, writing into the tty as
 * far as tty_write_room() allows.  What does not fit stays in the socket,
 * so the TCP window pushes back on the client.  A client whose segment
 * was cut short by a full UART is served first next time, so segments of
 * different clients never interleave.  write_wakeup queues the work again.
 *
 * Lifetime.  Socket callbacks find their client or port through
 * sk_user_data under sk_callback_lock (read side) and only queue port
 * works.  Works and the receive path find clients only in port->clients
 * under conn_lock.  A client is unhooked (default callbacks and NULL
 * sk_user_data restored under the write lock) before its socket is
 * released and its memory freed, so no callback can reach it afterwards.
 * Works only queue works cancelled after them (accept_work queues
 * net_rx_work, net_rx_work may requeue itself), and the tty side, which
 * queues net_rx_work and net_tx_work, is quiet during ldisc close; so
 * cancelling accept, rx, then tx work stops them for good.
 */

#include <linux/in6.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/tty.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "ldisc.h"
#include "netlink.h"
#include "port.h"
#include "tcp_server.h"

/* Pending connections the listener queues before accept_work runs. */
#define PB_LISTEN_BACKLOG	8
/* Per-client bytes the sockets could not take yet. */
#define PB_CLIENT_BACKLOG	8192
/* Bounce buffer between socket buffers and the tty driver. */
#define PB_UART_BUF		1024
/* Bytes net_rx_work writes before it yields the worker. */
#define PB_UART_BUDGET		16384

struct pb_client {
	struct pb_port *port;
	struct socket *sock;
	struct sockaddr_in6 peer;
	unsigned int slot;
	bool hooked;
	/* A send failed; reaped with fail_reason. */
	bool failed;
	u8 fail_reason;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
	/* Serial bytes accepted for this client, not yet sent. */
	u8 *backlog;
	unsigned int backlog_head;
	unsigned int backlog_len;
};

/* ---- socket callbacks (softirq) ---- */

static void pb_listen_data_ready(struct sock *sk)
{
	struct pb_port *port;

	read_lock_bh(&sk->sk_callback_lock);
	port = sk->sk_user_data;
	/*
	 * A new connection inherits the listener's callbacks and
	 * sk_user_data until it is accepted and hooked: only the listening
	 * socket itself may use the pointer.
	 */
	if (port && sk->sk_state == TCP_LISTEN)
		queue_work(pb_wq, &port->accept_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void pb_client_data_ready(struct sock *sk)
{
	struct pb_client *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c)
		queue_work(pb_wq, &c->port->net_rx_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/* Closes and resets are handled by the reaper in net_rx_work. */
static void pb_client_state_change(struct sock *sk)
{
	pb_client_data_ready(sk);
}

static void pb_client_write_space(struct sock *sk)
{
	struct pb_client *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	/* Like sk_stream_write_space(): wake only for a useful amount. */
	if (c && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		queue_work(pb_wq, &c->port->net_tx_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/* ---- hooking ---- */

static void pb_listener_hook(struct pb_port *port, struct socket *sock)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	port->sock_def_data_ready = sk->sk_data_ready;
	sk->sk_user_data = port;
	sk->sk_data_ready = pb_listen_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
}

/*
 * Give a socket the default data_ready back and forget the port.  Used for
 * the listener and for accepted sockets, which inherited both from it.
 */
static void pb_sock_unhook_listen(struct pb_port *port, struct socket *sock)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = port->sock_def_data_ready;
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
}

static void pb_client_hook(struct pb_port *port, struct pb_client *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	/* Inherited from the listener: restore the default, not that. */
	c->saved_data_ready = port->sock_def_data_ready;
	c->saved_write_space = sk->sk_write_space;
	c->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = c;
	sk->sk_data_ready = pb_client_data_ready;
	sk->sk_write_space = pb_client_write_space;
	sk->sk_state_change = pb_client_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	c->hooked = true;
}

static void pb_client_unhook(struct pb_client *c)
{
	struct sock *sk = c->sock->sk;

	if (!c->hooked)
		return;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = c->saved_data_ready;
	sk->sk_write_space = c->saved_write_space;
	sk->sk_state_change = c->saved_state_change;
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
	c->hooked = false;
}

/* ---- listener ---- */

/*
 * Create a listening socket on [::]:local_port, not yet hooked, so a
 * configuration can still be abandoned without side effects.
 */
int pb_tcp_server_listen(struct pb_port *port, u16 local_port,
			 struct socket **listener, const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	struct sockaddr_in6 addr = {
		.sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_ANY_INIT,
		.sin6_port = htons(local_port),
	};
	struct socket *sock;
	int off = 0;
	int err;

	err = sock_create_kern(&init_net, AF_INET6, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (err)
		goto fail;
	sock_set_reuseaddr(sock->sk);
	/*
	 * Dual stack whatever net.ipv6.bindv6only says: IPv4 clients then
	 * appear as v4-mapped addresses in events.
	 */
	err = sock->ops->setsockopt(sock, SOL_IPV6, IPV6_V6ONLY,
				    KERNEL_SOCKPTR(&off), sizeof(off));
	if (!err)
		err = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (!err)
		err = kernel_listen(sock, PB_LISTEN_BACKLOG);
	if (err) {
		sock_release(sock);
		goto fail;
	}
	*listener = sock;
	return 0;

fail:
	if (err == -EADDRINUSE)
		pb_set_err(extack, attr,
			   "TCP port %u is already in use, configuration unchanged",
			   local_port);
	else
		pb_set_err(extack, attr,
			   "cannot listen on TCP port %u (error %d), configuration unchanged",
			   local_port, err);
	return err;
}

/* Drop a listener from pb_tcp_server_listen() that was never hooked. */
void pb_tcp_server_discard(struct socket *listener)
{
	sock_release(listener);
}

static void pb_uart_maybe_resume(struct pb_port *port);

/* ---- clients: creation and removal (conn_lock held) ---- */

static void pb_peer_name(struct socket *sock, struct sockaddr_in6 *peer)
{
	memset(peer, 0, sizeof(*peer));
	if (kernel_getpeername(sock, (struct sockaddr *)peer) < 0)
		memset(peer, 0, sizeof(*peer));
}

static void pb_client_close(struct pb_port *port, struct pb_client *c,
			    u8 reason)
{
	pb_client_unhook(c);
	port->clients[c->slot] = NULL;
	WRITE_ONCE(port->active, port->active - 1);
	sock_release(c->sock);
	pb_netlink_event(port->index, PB_CMD_EVENT_DISCONNECT, &c->peer,
			 reason);
	kfree(c->backlog);
	kfree(c);
}

static void pb_clients_close_all(struct pb_port *port, u8 reason)
{
	struct pb_client *c;
	unsigned int i;

	for (i = 0; i < PB_MAX_CONNS; i++) {
		c = port->clients[i];
		if (c)
			pb_client_close(port, c, reason);
	}
}

/* Why a client has to go, or PB_REASON_NONE if it stays. */
static u8 pb_client_check(struct pb_port *port, struct pb_client *c)
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
		if (sk->sk_err && sk->sk_err != ECONNRESET) {
			reason = PB_REASON_ERROR;
			pb_stat_inc(&port->stats.net_errors);
		} else {
			reason = PB_REASON_PEER_CLOSED;
		}
		break;
	}
	release_sock(sk);
	return reason;
}

static void pb_clients_reap(struct pb_port *port)
{
	struct pb_client *c;
	unsigned int i;
	u8 reason;

	for (i = 0; i < PB_MAX_CONNS; i++) {
		c = port->clients[i];
		if (!c)
			continue;
		reason = pb_client_check(port, c);
		if (reason != PB_REASON_NONE)
			pb_client_close(port, c, reason);
	}
}

/* The cheap part of the reaper, for the serial receive path. */
static void pb_clients_reap_failed(struct pb_port *port)
{
	struct pb_client *c;
	unsigned int i;

	for (i = 0; i < PB_MAX_CONNS; i++) {
		c = port->clients[i];
		if (c && c->failed)
			pb_client_close(port, c, c->fail_reason);
	}
}

static void pb_client_refuse(struct pb_port *port, struct socket *sock)
{
	struct sockaddr_in6 peer;

	pb_peer_name(sock, &peer);
	pb_sock_unhook_listen(port, sock);
	sock_release(sock);
	pb_stat_inc(&port->stats.refused);
	pb_netlink_event(port->index, PB_CMD_EVENT_REFUSED, &peer,
			 PB_REASON_NONE);
}

static unsigned int pb_free_slot(struct pb_port *port)
{
	unsigned int i;

	for (i = 0; i < PB_MAX_CONNS; i++)
		if (!port->clients[i])
			break;
	return i;
}

static void pb_client_add(struct pb_port *port, struct socket *sock)
{
	struct pb_client *c;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (c)
		c->backlog = kmalloc(PB_CLIENT_BACKLOG, GFP_KERNEL);
	if (!c || !c->backlog) {
		kfree(c);
		pb_sock_unhook_listen(port, sock);
		sock_release(sock);
		pb_stat_inc(&port->stats.net_errors);
		return;
	}
	c->port = port;
	c->sock = sock;
	pb_peer_name(sock, &c->peer);
	tcp_sock_set_nodelay(sock->sk);
	/*
	 * Urgent data stays in the byte stream: it is data the client sent,
	 * and pb_client_to_uart() reads past the urgent mark.
	 */
	lock_sock(sock->sk);
	sock_set_flag(sock->sk, SOCK_URGINLINE);
	release_sock(sock->sk);

	c->slot = pb_free_slot(port);
	port->clients[c->slot] = c;
	WRITE_ONCE(port->active, port->active + 1);
	pb_client_hook(port, c);
	pb_stat_inc(&port->stats.connections);
	pb_netlink_event(port->index, PB_CMD_EVENT_CONNECT, &c->peer,
			 PB_REASON_NONE);
	/* Data or a close that came before the hook raised no callback. */
	queue_work(pb_wq, &port->net_rx_work);
}

static int pb_accept_one(struct pb_port *port)
{
	struct socket *sock;
	int err;

	err = kernel_accept(port->listener, &sock, O_NONBLOCK);
	if (err) {
		if (err != -EAGAIN)
			pb_stat_inc(&port->stats.net_errors);
		return err;
	}
	/* Clean refusal: accepted and closed at once, never served. */
	if (port->active >= port->max_conns)
		pb_client_refuse(port, sock);
	else
		pb_client_add(port, sock);
	return 0;
}

static void pb_accept_work(struct work_struct *work)
{
	struct pb_port *port = container_of(work, struct pb_port,
					    accept_work);

	mutex_lock(&port->conn_lock);
	/* A client that just left frees its slot for one reconnecting. */
	pb_clients_reap(port);
	while (port->listener && !pb_accept_one(port))
		;
	mutex_unlock(&port->conn_lock);
	pb_uart_maybe_resume(port);
}

/* ---- serial -> network ---- */

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

/* Send without blocking; returns bytes taken (0 if full) or an error. */
static int pb_client_send(struct pb_client *c, const u8 *buf,
			  unsigned int len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = len };
	int ret;

	ret = kernel_sendmsg(c->sock, &msg, &vec, 1, len);
	if (ret == -EAGAIN)
		return 0;
	if (ret < 0)
		pb_client_fail(c, ret);
	return ret;
}

static void pb_client_flush(struct pb_client *c)
{
	unsigned int chunk;
	int sent;

	while (c->backlog_len && !c->failed) {
		chunk = min(c->backlog_len,
			    PB_CLIENT_BACKLOG - c->backlog_head);
		sent = pb_client_send(c, c->backlog + c->backlog_head, chunk);
		if (sent <= 0)
			break;
		c->backlog_head = (c->backlog_head + sent) % PB_CLIENT_BACKLOG;
		c->backlog_len -= sent;
	}
}

static void pb_clients_flush(struct pb_port *port)
{
	struct pb_client *c;
	unsigned int i;

	for (i = 0; i < PB_MAX_CONNS; i++) {
		c = port->clients[i];
		if (c)
			pb_client_flush(c);
	}
}

/*
 * Does this client hold the UART back when its backlog is full?  A failed
 * client is about to be reaped.  "Ignore jammed IP" will also say no for a
 * client stalled too long (its backlog then overflows for it alone).
 */
static bool pb_client_limits_uart(const struct pb_client *c)
{
	return !c->failed;
}

/* How many serial bytes every client can take now. */
static unsigned int pb_clients_room(struct pb_port *port)
{
	unsigned int room = UINT_MAX;
	struct pb_client *c;
	unsigned int i;

	for (i = 0; i < PB_MAX_CONNS; i++) {
		c = port->clients[i];
		if (c && pb_client_limits_uart(c))
			room = min(room, PB_CLIENT_BACKLOG - c->backlog_len);
	}
	return room;
}

static void pb_backlog_append(struct pb_client *c, const u8 *buf,
			      unsigned int len)
{
	unsigned int tail, first;

	if (WARN_ON_ONCE(len > PB_CLIENT_BACKLOG - c->backlog_len))
		return;
	tail = (c->backlog_head + c->backlog_len) % PB_CLIENT_BACKLOG;
	first = min(len, PB_CLIENT_BACKLOG - tail);
	memcpy(c->backlog + tail, buf, first);
	memcpy(c->backlog, buf + first, len - first);
	c->backlog_len += len;
}

/* Bytes after a non-empty backlog must wait behind it. */
static void pb_client_queue(struct pb_client *c, const u8 *buf,
			    unsigned int len)
{
	int sent = 0;

	if (c->failed)
		return;
	if (!c->backlog_len) {
		sent = pb_client_send(c, buf, len);
		if (sent < 0)
			return;
	}
	pb_backlog_append(c, buf + sent, len - sent);
}

static void pb_clients_queue(struct pb_port *port, const u8 *buf,
			     unsigned int len)
{
	struct pb_client *c;
	unsigned int i;

	if (!len)
		return;
	for (i = 0; i < PB_MAX_CONNS; i++) {
		c = port->clients[i];
		if (c)
			pb_client_queue(c, buf, len);
	}
}

/* Send the line data among n bytes of UART input to every client. */
static void pb_clients_fanout(struct pb_port *port, const u8 *cp,
			      const char *fp, unsigned int n, u32 filter)
{
	unsigned int i, start = 0;

	if (!fp && !filter) {
		pb_clients_queue(port, cp, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (pb_rx_is_data(filter, cp[i], fp ? fp[i] : TTY_NORMAL))
			continue;
		pb_clients_queue(port, cp + start, i - start);
		start = i + 1;
	}
	pb_clients_queue(port, cp + start, n - start);
}

/*
 * From receive_buf2 (the tty flush work).  Returns how many of the count
 * bytes were taken; the rest stays in the flip buffer with the UART
 * throttled until net_tx_work resumes it.  Without clients the input is
 * discarded, as a server without connections has nobody to send it to.
 */
int pb_tcp_server_receive(struct pb_port *port, const u8 *cp, const char *fp,
			  int count, u32 filter)
{
	int n;

	mutex_lock(&port->conn_lock);
	pb_clients_flush(port);
	n = min_t(unsigned int, count, pb_clients_room(port));
	pb_clients_fanout(port, cp, fp, n, filter);
	pb_clients_reap_failed(port);
	if (n < count) {
		/* Under conn_lock, so net_tx_work sees it after our sends. */
		set_bit(PB_PORT_RX_BLOCKED, &port->flags);
		pb_tty_throttle(port->tty);
	}
	/*
	 * A client that failed or left may have been what held the UART
	 * back, and it will never report write space: resume from a work.
	 */
	if (test_bit(PB_PORT_RX_BLOCKED, &port->flags) &&
	    pb_clients_room(port) > 0)
		queue_work(pb_wq, &port->net_tx_work);
	mutex_unlock(&port->conn_lock);
	return n;
}

/* From works only: pb_tty_resume() must not run inside receive_buf2. */
static void pb_uart_maybe_resume(struct pb_port *port)
{
	bool resume;

	mutex_lock(&port->conn_lock);
	resume = test_bit(PB_PORT_RX_BLOCKED, &port->flags) &&
		 pb_clients_room(port) > 0;
	if (resume)
		clear_bit(PB_PORT_RX_BLOCKED, &port->flags);
	mutex_unlock(&port->conn_lock);
	if (resume)
		pb_tty_resume(port->tty);
}

static void pb_net_tx_work(struct work_struct *work)
{
	struct pb_port *port = container_of(work, struct pb_port,
					    net_tx_work);

	mutex_lock(&port->conn_lock);
	pb_clients_flush(port);
	pb_clients_reap(port);
	mutex_unlock(&port->conn_lock);
	pb_uart_maybe_resume(port);
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
	struct tty_struct *tty = w->port->tty;
	u8 *buf = w->port->uart_buf;
	size_t done = 0;
	int chunk, n;

	/* One segment per turn; later calls come for coalesced data. */
	if (!desc->count || w->full)
		return 0;
	while (done < len) {
		chunk = min_t(size_t, len - done, PB_UART_BUF);
		chunk = min_t(unsigned int, chunk, tty_write_room(tty));
		if (!chunk || skb_copy_bits(skb, offset + done, buf, chunk))
			break;
		n = tty->ops->write(tty, buf, chunk);
		if (n > 0)
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
static int pb_client_urgent_to_uart(struct pb_port *port, struct pb_client *c)
{
	struct tty_struct *tty = port->tty;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec vec = { .iov_base = port->uart_buf, .iov_len = 1 };
	int n;

	if (!tty_write_room(tty))
		return 0;
	n = kernel_recvmsg(c->sock, &msg, &vec, 1, 1, MSG_DONTWAIT);
	if (n != 1)
		return 0;
	return tty->ops->write(tty, port->uart_buf, 1);
}

/* Returns bytes written; *full tells whether the tty ran out of room. */
static int pb_client_to_uart(struct pb_port *port, struct pb_client *c,
			     bool *full)
{
	struct pb_uart_writer w = { .port = port };
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
		n = pb_client_urgent_to_uart(port, c);
	if (n < 0)
		n = 0;
	pb_stat_add(&port->stats.tx_bytes, n);
	*full = w.full;
	return n;
}

/* Ask for write_wakeup before looking again, so none is missed. */
static bool pb_uart_writable(struct tty_struct *tty)
{
	if (tty_write_room(tty))
		return true;
	set_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	return tty_write_room(tty) > 0;
}

static void pb_clients_to_uart(struct pb_port *port)
{
	struct tty_struct *tty = port->tty;
	unsigned int slot = port->rr_next;
	unsigned int idle = 0, budget = PB_UART_BUDGET;
	struct pb_client *c;
	bool full;
	int n;

	/*
	 * A closing tty waits for its output to drain; feeding it more
	 * would only delay the close.  A shut down one takes nothing.
	 */
	while (idle < PB_MAX_CONNS && !READ_ONCE(tty->closing) &&
	       !test_bit(TTY_IO_ERROR, &tty->flags)) {
		c = port->clients[slot];
		if (!c || c->failed) {
			idle++;
			slot = (slot + 1) % PB_MAX_CONNS;
			continue;
		}
		if (!pb_uart_writable(tty))
			break;
		if (!budget) {
			queue_work(pb_wq, &port->net_rx_work);
			break;
		}
		n = pb_client_to_uart(port, c, &full);
		budget -= min_t(unsigned int, budget, n);
		/* Cut short: this client's segment continues next. */
		if (full && n > 0)
			continue;
		/* The driver took nothing despite claiming room: wait. */
		if (full) {
			set_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
			break;
		}
		idle = n > 0 ? 0 : idle + 1;
		slot = (slot + 1) % PB_MAX_CONNS;
	}
	port->rr_next = slot;
}

static void pb_net_rx_work(struct work_struct *work)
{
	struct pb_port *port = container_of(work, struct pb_port,
					    net_rx_work);

	mutex_lock(&port->conn_lock);
	pb_clients_to_uart(port);
	/* After reading, so a FIN just consumed is seen. */
	pb_clients_reap(port);
	mutex_unlock(&port->conn_lock);
	pb_uart_maybe_resume(port);
}

/* From write_wakeup, possibly in interrupt context. */
void pb_tcp_server_write_wakeup(struct pb_port *port)
{
	queue_work(pb_wq, &port->net_rx_work);
}

/* ---- configuration and teardown ---- */

/*
 * Switch to a new listener (NULL: stop serving).  Existing clients were
 * accepted under the old settings and are closed.
 */
void pb_tcp_server_replace(struct pb_port *port, struct socket *listener)
{
	struct socket *old;

	mutex_lock(&port->conn_lock);
	old = port->listener;
	if (listener)
		pb_listener_hook(port, listener);
	port->listener = listener;
	pb_clients_close_all(port, PB_REASON_PORT_CHANGE);
	mutex_unlock(&port->conn_lock);

	if (old) {
		pb_sock_unhook_listen(port, old);
		sock_release(old);
	}
	/* Connections completed before the hook raised no callback. */
	if (listener)
		queue_work(pb_wq, &port->accept_work);
	/* The closed clients may have held the UART back. */
	queue_work(pb_wq, &port->net_tx_work);
}

void pb_tcp_server_set_max_conns(struct pb_port *port, unsigned int max)
{
	mutex_lock(&port->conn_lock);
	port->max_conns = max;
	mutex_unlock(&port->conn_lock);
}

/*
 * Detach: stop every callback first, then every work, and only then free
 * what they use.  The caller (ldisc close) guarantees that receive_buf2
 * and write_wakeup do not run meanwhile.
 */
void pb_tcp_server_shutdown(struct pb_port *port)
{
	struct socket *listener;
	struct pb_client *c;
	unsigned int i;

	mutex_lock(&port->conn_lock);
	listener = port->listener;
	port->listener = NULL;
	for (i = 0; i < PB_MAX_CONNS; i++) {
		c = port->clients[i];
		if (c)
			pb_client_unhook(c);
	}
	mutex_unlock(&port->conn_lock);

	if (listener) {
		pb_sock_unhook_listen(port, listener);
		sock_release(listener);
	}

	cancel_work_sync(&port->accept_work);
	cancel_work_sync(&port->net_rx_work);
	cancel_work_sync(&port->net_tx_work);

	mutex_lock(&port->conn_lock);
	pb_clients_close_all(port, PB_REASON_PORT_CHANGE);
	mutex_unlock(&port->conn_lock);
}

int pb_tcp_server_init(struct pb_port *port)
{
	mutex_init(&port->conn_lock);
	INIT_WORK(&port->accept_work, pb_accept_work);
	INIT_WORK(&port->net_rx_work, pb_net_rx_work);
	INIT_WORK(&port->net_tx_work, pb_net_tx_work);
	port->max_conns = 1;
	port->uart_buf = kmalloc(PB_UART_BUF, GFP_KERNEL);
	return port->uart_buf ? 0 : -ENOMEM;
}

void pb_tcp_server_free(struct pb_port *port)
{
	kfree(port->uart_buf);
	mutex_destroy(&port->conn_lock);
}
