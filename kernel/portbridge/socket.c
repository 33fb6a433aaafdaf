// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel sockets, shared by every mode: the port's listening (TCP) and
 * bound (UDP) sockets, installing and removing our callbacks, sending
 * without blocking, and the per-socket TCP options.
 *
 * Callbacks.  Ours run in softirq context, find their object through
 * sk_user_data under the read side of sk_callback_lock, and only queue
 * work.  They are installed and removed under the write side, so once
 * pb_sock_unhook() returns no callback of ours runs or will run for that
 * socket, and the object it pointed to may go.
 *
 * A port's listeners belong to the port, not to a mode: a mode change that
 * keeps the port number keeps the socket (a second listener on the same
 * port could not be bound while the first exists).  Their sk_user_data is
 * the port, whose works outlive every mode.
 */

#include <linux/net.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "netlink.h"
#include "port.h"
#include "socket.h"

void pb_sock_hook(struct socket *sock, void *user, const struct pb_sock_ops *ops,
		  struct pb_hook *saved)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	saved->data_ready = sk->sk_data_ready;
	saved->write_space = sk->sk_write_space;
	saved->state_change = sk->sk_state_change;
	sk->sk_user_data = user;
	if (ops->data_ready)
		sk->sk_data_ready = ops->data_ready;
	if (ops->write_space)
		sk->sk_write_space = ops->write_space;
	if (ops->state_change)
		sk->sk_state_change = ops->state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	saved->hooked = true;
}

void pb_sock_unhook(struct socket *sock, struct pb_hook *saved)
{
	struct sock *sk = sock->sk;

	if (!saved->hooked)
		return;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = saved->data_ready;
	sk->sk_write_space = saved->write_space;
	sk->sk_state_change = saved->state_change;
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
	saved->hooked = false;
}

/* ---- listeners ---- */

static void pb_tcp_listen_data_ready(struct sock *sk)
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
		queue_work(pb_wq, &port->ctl_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void pb_udp_data_ready(struct sock *sk)
{
	struct pb_port *port;

	read_lock_bh(&sk->sk_callback_lock);
	port = sk->sk_user_data;
	if (port)
		queue_work(pb_wq, &port->rx_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static const struct pb_sock_ops pb_tcp_listen_ops = {
	.data_ready = pb_tcp_listen_data_ready,
};

static const struct pb_sock_ops pb_udp_ops = {
	.data_ready = pb_udp_data_ready,
};

static const char *pb_proto_name(u8 proto)
{
	return proto == IPPROTO_UDP ? "UDP" : "TCP";
}

/*
 * Dual stack whatever net.ipv6.bindv6only says: IPv4 peers then appear
 * as v4-mapped addresses, and v4-mapped destinations can be reached.
 */
static int pb_sock_create(u8 proto, struct socket **res)
{
	int type = proto == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
	int off = 0;
	int err;

	err = sock_create_kern(&init_net, AF_INET6, type, proto, res);
	if (err)
		return err;
	err = (*res)->ops->setsockopt(*res, SOL_IPV6, IPV6_V6ONLY,
				      KERNEL_SOCKPTR(&off), sizeof(off));
	if (err) {
		sock_release(*res);
		*res = NULL;
	}
	return err;
}

/*
 * Bind [::]:port (and listen, for TCP), not yet hooked, so a configuration
 * can still be abandoned without side effects.
 */
int pb_sock_bind(const struct pb_listen_spec *spec, struct socket **res,
		 const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct sockaddr_in6 addr = {
		.sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_ANY_INIT,
		.sin6_port = htons(spec->port),
	};
	struct socket *sock;
	int err;

	err = pb_sock_create(spec->proto, &sock);
	if (err)
		goto fail;
	sock_set_reuseaddr(sock->sk);
	err = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (!err && spec->proto == IPPROTO_TCP)
		err = kernel_listen(sock, PB_LISTEN_BACKLOG);
	if (err) {
		sock_release(sock);
		goto fail;
	}
	*res = sock;
	return 0;

fail:
	if (err == -EADDRINUSE)
		pb_set_err(extack, attr,
			   "%s port %u is already in use, configuration unchanged",
			   pb_proto_name(spec->proto), spec->port);
	else
		pb_set_err(extack, attr,
			   "cannot bind %s port %u (error %d), configuration unchanged",
			   pb_proto_name(spec->proto), spec->port, err);
	return err;
}

void pb_listener_hook(struct pb_port *port, struct pb_listener *l)
{
	pb_sock_hook(l->sock, port, l->spec.proto == IPPROTO_UDP ?
		     &pb_udp_ops : &pb_tcp_listen_ops, &l->hook);
}

void pb_listener_unhook(struct pb_listener *l)
{
	if (l->sock)
		pb_sock_unhook(l->sock, &l->hook);
}

/* 0 and a new socket, -EAGAIN when none is waiting, or an error. */
int pb_listener_accept(struct pb_listener *l, struct socket **res)
{
	if (!l->sock || l->spec.proto != IPPROTO_TCP)
		return -EAGAIN;
	return kernel_accept(l->sock, res, O_NONBLOCK);
}

/*
 * An accepted socket inherited the listener's data_ready and
 * sk_user_data: give it the default back before it is hooked as a client
 * or released.
 */
void pb_sock_unhook_accepted(struct pb_listener *l, struct socket *sock)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = l->hook.data_ready;
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* ---- connections ---- */

/* A TCP socket for an outgoing connection, not yet connected. */
int pb_sock_tcp_new(struct socket **res)
{
	int err;

	err = pb_sock_create(IPPROTO_TCP, res);
	if (err)
		return err;
	/* Give up an unanswered connect after about 15 s, then back off. */
	tcp_sock_set_syncnt((*res)->sk, 3);
	return 0;
}

/*
 * Start connecting without blocking: -EINPROGRESS (or 0) while under way,
 * the outcome comes through state_change; any other error is final.
 */
int pb_sock_connect(struct socket *sock, const struct sockaddr_in6 *dest)
{
	return kernel_connect(sock, (struct sockaddr *)dest, sizeof(*dest),
			      O_NONBLOCK);
}

/* Send without blocking; returns bytes taken (0 if full) or an error. */
int pb_sock_send(struct socket *sock, const void *buf, unsigned int len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = len };
	int ret;

	ret = kernel_sendmsg(sock, &msg, &vec, 1, len);
	return ret == -EAGAIN ? 0 : ret;
}

int pb_sock_sendto(struct socket *sock, const struct sockaddr_in6 *to,
		   const void *buf, unsigned int len)
{
	struct msghdr msg = {
		.msg_name = (void *)to,
		.msg_namelen = sizeof(*to),
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL,
	};
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = len };

	return kernel_sendmsg(sock, &msg, &vec, 1, len);
}

void pb_sock_peer(struct socket *sock, struct sockaddr_in6 *peer)
{
	memset(peer, 0, sizeof(*peer));
	if (kernel_getpeername(sock, (struct sockaddr *)peer) < 0)
		memset(peer, 0, sizeof(*peer));
}

/*
 * Every byte from the UART goes out at once (TCP_NODELAY).  Urgent data
 * stays in the byte stream: it is data the client sent, and the UART
 * writer reads past the urgent mark.
 */
void pb_sock_tcp_setup(struct socket *sock)
{
	tcp_sock_set_nodelay(sock->sk);
	lock_sock(sock->sk);
	sock_set_flag(sock->sk, SOCK_URGINLINE);
	release_sock(sock->sk);
}

/*
 * The TCP alive check: keepalive probes after idle seconds of silence,
 * every intvl seconds, cnt of them unanswered and the peer is dead.  The
 * same bound is the user timeout, so a peer that vanishes while data is
 * in flight (no probes are sent then) is found as fast.  idle 0: off.
 */
void pb_sock_keepalive(struct socket *sock, u16 idle, u16 intvl, u8 cnt)
{
	struct sock *sk = sock->sk;

	if (!idle) {
		lock_sock(sk);
		if (sk->sk_prot->keepalive)
			sk->sk_prot->keepalive(sk, 0);
		sock_reset_flag(sk, SOCK_KEEPOPEN);
		release_sock(sk);
		tcp_sock_set_user_timeout(sk, 0);
		return;
	}
	tcp_sock_set_keepidle(sk, idle);
	tcp_sock_set_keepintvl(sk, intvl);
	tcp_sock_set_keepcnt(sk, cnt);
	sock_set_keepalive(sk);
	tcp_sock_set_user_timeout(sk, ((u32)idle + (u32)intvl * cnt) * 1000);
}
