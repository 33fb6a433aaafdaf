/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "portbridge" generic netlink family.
 */
#ifndef _PB_NETLINK_H
#define _PB_NETLINK_H

#include <linux/compiler.h>
#include <linux/types.h>

struct in6_addr;
struct netlink_ext_ack;
struct nlattr;
struct sockaddr_in6;

int pb_netlink_init(void);
void pb_netlink_exit(void);

struct pb_port;

void pb_netlink_event(u32 index, u8 cmd, const struct sockaddr_in6 *peer,
		      u8 reason);
void pb_netlink_event_mode(u32 index, u8 mode);
void pb_netlink_event_serial_error(struct pb_port *port);
__printf(3, 4)
void pb_set_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		const char *fmt, ...);

#endif /* _PB_NETLINK_H */
