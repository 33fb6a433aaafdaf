// SPDX-License-Identifier: GPL-2.0
/*
 * Denied events: at most PBA_EVENTS_PER_SEC per second and namespace, so
 * a flood of denied packets cannot flood the listeners (or the memory the
 * events take).  Each event says how many were suppressed before it; the
 * totals are in the netlink stats and in sysfs.
 *
 * The limit is a fixed one-second window under a spinlock.  Only dropped
 * packets get here, and only when someone listens, so the lock is off the
 * path of every packet that is let in.
 */

#include <linux/jiffies.h>
#include <linux/portbridge_allow.h>

#include "events.h"
#include "netlink.h"

void pba_events_init(struct pba_events *ev)
{
	spin_lock_init(&ev->lock);
	ev->window = jiffies;
	ev->in_window = 0;
	ev->pending = 0;
	ev->sent = 0;
	ev->suppressed = 0;
}

/* May an event go out now?  If so, *pending gets what it must report. */
static bool pba_events_take(struct pba_events *ev, u32 *pending)
{
	unsigned long now = jiffies;
	bool ok;

	spin_lock(&ev->lock);
	if (time_after_eq(now, ev->window + HZ)) {
		ev->window = now;
		ev->in_window = 0;
	}
	ok = ev->in_window < PBA_EVENTS_PER_SEC;
	if (ok) {
		ev->in_window++;
		ev->sent++;
		*pending = ev->pending;
		ev->pending = 0;
	} else {
		ev->pending++;
		ev->suppressed++;
	}
	spin_unlock(&ev->lock);
	return ok;
}

/* The event could not be built: it and what it carried are suppressed. */
static void pba_events_give_back(struct pba_events *ev, u32 pending)
{
	spin_lock(&ev->lock);
	ev->sent--;
	ev->suppressed++;
	ev->pending += pending + 1;
	spin_unlock(&ev->lock);
}

/* Packet path (bottom halves disabled). */
void pba_events_denied(struct net *net, struct pba_events *ev,
		       const struct pba_src *src, u32 key, u16 sport)
{
	u32 pending;

	if (!pba_netlink_listening(net) || !pba_events_take(ev, &pending))
		return;
	if (pba_netlink_denied(net, src, key, sport, pending))
		pba_events_give_back(ev, pending);
}

void pba_events_read(struct pba_events *ev, u64 *sent, u64 *suppressed)
{
	spin_lock_bh(&ev->lock);
	*sent = ev->sent;
	*suppressed = ev->suppressed;
	spin_unlock_bh(&ev->lock);
}
