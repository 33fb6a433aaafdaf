/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Data packing on the serial -> network path (codec/packing.h decides,
 * this keeps the queue and the force transmit timer).
 */
#ifndef _PB_PACK_H
#define _PB_PACK_H

#include <linux/hrtimer.h>
#include <linux/types.h>

#include "codec/packing.h"

struct pb_opmode;
struct pb_port;

struct pb_packer {
	struct pb_pack pack;
	u8 *queue;			/* PB_PACK_LENGTH_MAX bytes */
	struct hrtimer timer;		/* force transmit: queues tx_work */
};

int pb_packer_init(struct pb_port *port);
void pb_packer_stop(struct pb_port *port);
void pb_packer_free(struct pb_port *port);

/* conn_lock held for all of these. */
void pb_packer_configure(struct pb_port *port, struct pb_opmode *m,
			 const struct pb_pack_cfg *cfg);
void pb_packer_reset(struct pb_port *port);
unsigned int pb_packer_room(struct pb_port *port, unsigned int room);
void pb_packer_feed(struct pb_port *port, struct pb_opmode *m, const u8 *buf,
		    unsigned int len);
void pb_packer_expire(struct pb_port *port, struct pb_opmode *m);

/* Packing off: every byte goes to the mode at once, with no copy. */
static inline bool pb_packer_passthrough(const struct pb_packer *pk)
{
	return pb_pack_passthrough(&pk->pack);
}

#endif /* _PB_PACK_H */
