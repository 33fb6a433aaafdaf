/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PBA_NETNS_H
#define PBA_NETNS_H

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "counter.h"
#include "events.h"
#include "table.h"

struct netlink_ext_ack;

/* The accessible IP list of one network namespace. */
struct pba_net {
	struct pba_table __rcu *table;
	struct mutex lock;		/* serializes changes of table, hooks */
	bool enabled;			/* the list is on: hooks registered */
	struct pba_counter *drops;	/* every packet dropped here */
	struct pba_events events;
};

/* A packet that must still pass once a change is made. */
struct pba_guard {
	struct pba_src src;
	u32 key;
};

extern unsigned int pba_net_id;

static inline struct pba_net *pba_net(const struct net *net)
{
	return net_generic(net, pba_net_id);
}

int pba_net_set_enabled(struct net *net, bool on,
			const struct pba_guard *guard,
			struct netlink_ext_ack *extack);
int pba_net_update(struct net *net, const struct pba_update *up,
		   const struct pba_guard *guard,
		   struct netlink_ext_ack *extack);

int pba_netns_init(void);
void pba_netns_exit(void);

#endif /* PBA_NETNS_H */
