/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel sockets of a port: listeners, hooking callbacks, sending
 * without blocking, peer names, the TCP alive check.
 */
#ifndef _PB_SOCKET_H
#define _PB_SOCKET_H

#include <linux/in6.h>
#include <linux/types.h>

struct nlattr;
struct netlink_ext_ack;
struct pb_port;
struct sock;
struct socket;

/* A socket's own callbacks, kept while ours are installed. */
struct pb_hook {
	void (*data_ready)(struct sock *sk);
	void (*write_space)(struct sock *sk);
	void (*state_change)(struct sock *sk);
	bool hooked;
};

/* Our callbacks for a socket; NULL keeps the socket's own. */
struct pb_sock_ops {
	void (*data_ready)(struct sock *sk);
	void (*write_space)(struct sock *sk);
	void (*state_change)(struct sock *sk);
};

/* Port-level sockets: what a mode listens on. */
enum {
	PB_LISTEN_DATA,		/* TCP server, RFC 2217, UDP, Real COM data */
	PB_LISTEN_CMD,		/* Real COM command port */
	PB_LISTENERS
};

struct pb_listen_spec {
	u8 proto;		/* 0 (none), IPPROTO_TCP or IPPROTO_UDP */
	u16 port;
};

struct pb_listener {
	struct socket *sock;
	struct pb_listen_spec spec;
	struct pb_hook hook;
};

void pb_sock_hook(struct socket *sock, void *user, const struct pb_sock_ops *ops,
		  struct pb_hook *saved);
void pb_sock_unhook(struct socket *sock, struct pb_hook *saved);

int pb_sock_bind(const struct pb_listen_spec *spec, struct socket **res,
		 const struct nlattr *attr, struct netlink_ext_ack *extack);
void pb_listener_hook(struct pb_port *port, struct pb_listener *l);
void pb_listener_unhook(struct pb_listener *l);
int pb_listener_accept(struct pb_listener *l, struct socket **res);
void pb_sock_unhook_accepted(struct pb_listener *l, struct socket *sock);

int pb_sock_tcp_new(struct socket **res);
int pb_sock_connect(struct socket *sock, const struct sockaddr_in6 *dest);
int pb_sock_send(struct socket *sock, const void *buf, unsigned int len);
int pb_sock_sendto(struct socket *sock, const struct sockaddr_in6 *to,
		   const void *buf, unsigned int len);
void pb_sock_peer(struct socket *sock, struct sockaddr_in6 *peer);
void pb_sock_tcp_setup(struct socket *sock);
void pb_sock_keepalive(struct socket *sock, u16 idle, u16 intvl, u8 cnt);

#endif /* _PB_SOCKET_H */
