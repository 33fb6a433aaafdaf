/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PBA_NETLINK_H
#define PBA_NETLINK_H

#include <linux/types.h>

#include "rule.h"

struct net;

int pba_netlink_init(void);
void pba_netlink_exit(void);

/* Events, from the packet path. */
bool pba_netlink_listening(struct net *net);
int pba_netlink_denied(struct net *net, const struct pba_src *src, u32 key,
		       u16 sport, u32 suppressed);

#endif /* PBA_NETLINK_H */
