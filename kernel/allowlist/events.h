/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PBA_EVENTS_H
#define PBA_EVENTS_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "rule.h"

struct net;

/* Rate limit of one namespace's denied events, and their totals. */
struct pba_events {
	spinlock_t lock;
	unsigned long window;	/* jiffies: start of the current second */
	unsigned int in_window;	/* events sent in it */
	u32 pending;		/* suppressed since the last event sent */
	u64 sent;
	u64 suppressed;
};

void pba_events_init(struct pba_events *ev);
void pba_events_denied(struct net *net, struct pba_events *ev,
		       const struct pba_src *src, u32 key, u16 sport);
void pba_events_read(struct pba_events *ev, u64 *sent, u64 *suppressed);

#endif /* PBA_EVENTS_H */
