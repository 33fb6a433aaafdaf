/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serial to network data packing, as NPort's "data packing" settings:
 * packing length, delimiters 1 and 2 with their process, force transmit.
 *
 * The caller owns a queue of at most "capacity" bytes; this code only
 * counts what is in it and decides.  For each chunk of UART input the
 * caller calls pb_pack_input() until the chunk is used up.  Each call
 * takes n of the new bytes (its return value) and appends them, logically,
 * to the queue.  If that completes a packet, the whole queue leaves at
 * once: its first act.emit bytes (old queue, then new bytes) are sent as
 * one packet, the next act.drop bytes (a stripped delimiter) are
 * discarded, and the queue is empty again.  Otherwise act is zero and the
 * n bytes stay queued.  New bytes therefore need copying only when they
 * stay queued; a packet can go out as two pieces (queue, new bytes).
 *
 * A packet is complete, checked after every byte, when:
 *  1. a delimiter arrived (delimiter 1 set): delimiter 1 alone or, with
 *     delimiter 2 set, delimiter 1 immediately followed by delimiter 2.
 *     Then, by enum pb_delim_process: NOTHING sends up to and including
 *     the delimiter; STRIP sends what is before it and drops the
 *     delimiter (both bytes of a two-byte one; the packet may then be
 *     empty: emit 0, drop 1 or 2); PLUS1 and PLUS2 wait for one or two
 *     more bytes and send them with the packet;
 *  2. the queue holds "length" bytes (packing length set);
 *  3. the queue is full (holds "capacity" bytes): what is there is sent,
 *     delimiter or not, so data is never lost or held without bound;
 *  4. (pb_pack_timer) force transmit: nothing arrived for force_ms since
 *     the last byte, and something is queued.
 * Every packet starts the matching afresh: a delimiter 1 that ends a
 * packet sent by rule 2, 3 or 4 does not pair with a delimiter 2 after
 * it, and bytes awaited after a delimiter (PLUS1/2) that rules 2-4 cut off
 * are ordinary data of the next packet.
 *
 * Everything off (length 0, no delimiter 1, force_ms 0, the default):
 * pb_pack_passthrough() is true and every byte goes out at once:
 * pb_pack_input() returns the whole chunk as emit, without looking at
 * it, and nothing is ever queued.  Other settings without a force
 * transmit time hold the tail of the data until a delimiter, the length
 * or a full queue comes, as on the NPort.
 *
 * Time is the caller's monotonic clock in milliseconds (it may wrap).
 * After each chunk the caller (re)arms its timer with pb_pack_deadline()
 * and calls pb_pack_timer() when it fires.
 */
#ifndef _PB_CODEC_PACKING_H
#define _PB_CODEC_PACKING_H

#include <linux/portbridge.h>
#include "types.h"

#define PB_PACK_LENGTH_MAX	1024

struct pb_pack_cfg {
	u16 length;	/* 0 = off, 1 .. PB_PACK_LENGTH_MAX */
	u16 delim1;	/* 0 .. 255, or PB_DELIM_OFF */
	u16 delim2;	/* 0 .. 255, or PB_DELIM_OFF; needs delim1 */
	u8 process;	/* enum pb_delim_process */
	u16 force_ms;	/* 0 = off */
};

struct pb_pack_action {
	size_t emit;	/* send this many bytes from the front */
	size_t drop;	/* then discard this many (stripped delimiter) */
};

struct pb_pack {
	struct pb_pack_cfg cfg;
	size_t limit;		/* send when this many are queued */
	size_t queued;
	bool passthrough;
	bool saw_delim1;	/* the last byte queued is delimiter 1 */
	u8 trail;		/* bytes still to come after a delimiter */
	u32 last_ms;		/* when the last byte was queued */
};

/* Whether a configuration is valid (ranges as in the ABI header). */
bool pb_pack_cfg_valid(const struct pb_pack_cfg *cfg);

/*
 * Start with an empty queue of capacity bytes (at least 1).  Returns false
 * and packs nothing (passthrough) if cfg is invalid.  To change settings
 * with data queued, send the queue first.
 */
bool pb_pack_init(struct pb_pack *p, const struct pb_pack_cfg *cfg,
		  size_t capacity);

static inline bool pb_pack_passthrough(const struct pb_pack *p)
{
	return p->passthrough;
}

static inline size_t pb_pack_queued(const struct pb_pack *p)
{
	return p->queued;
}

/* The caller emptied its queue another way (flush, purge, reconnect). */
void pb_pack_reset(struct pb_pack *p);

/*
 * New bytes data[0..len) at time now: returns how many it took (at least
 * one if len > 0) and what to do with the queue (see above).
 */
size_t pb_pack_input(struct pb_pack *p, const u8 *data, size_t len, u32 now,
		     struct pb_pack_action *act);

/*
 * When pb_pack_timer() has something to do: returns false if no timer is
 * needed (nothing queued, or no force transmit time).
 */
bool pb_pack_deadline(const struct pb_pack *p, u32 *at);

/* The timer fired: returns true and the action if the queue must go. */
bool pb_pack_timer(struct pb_pack *p, u32 now, struct pb_pack_action *act);

#endif /* _PB_CODEC_PACKING_H */
