/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP server mode of a bridge port.
 */
#ifndef _PB_TCP_SERVER_H
#define _PB_TCP_SERVER_H

#include <linux/types.h>

struct nlattr;
struct netlink_ext_ack;
struct pb_port;
struct socket;

int pb_tcp_server_init(struct pb_port *port);
void pb_tcp_server_free(struct pb_port *port);

int pb_tcp_server_listen(struct pb_port *port, u16 local_port,
			 struct socket **listener, const struct nlattr *attr,
			 struct netlink_ext_ack *extack);
void pb_tcp_server_discard(struct socket *listener);
void pb_tcp_server_replace(struct pb_port *port, struct socket *listener);
void pb_tcp_server_set_max_conns(struct pb_port *port, unsigned int max);
void pb_tcp_server_shutdown(struct pb_port *port);

int pb_tcp_server_receive(struct pb_port *port, const u8 *cp, const char *fp,
			  int count, u32 filter);
void pb_tcp_server_write_wakeup(struct pb_port *port);

#endif /* _PB_TCP_SERVER_H */
