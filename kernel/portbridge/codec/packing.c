// SPDX-License-Identifier: GPL-2.0
/*
 * Serial to network data packing: when queued UART input leaves as a
 * packet.  See packing.h for the rules.
 */
#include "packing.h"

static bool delim_valid(u16 delim)
{
	return delim <= 0xff || delim == PB_DELIM_OFF;
}

bool pb_pack_cfg_valid(const struct pb_pack_cfg *cfg)
{
	return cfg->length <= PB_PACK_LENGTH_MAX &&
	       delim_valid(cfg->delim1) && delim_valid(cfg->delim2) &&
	       (cfg->delim2 == PB_DELIM_OFF || cfg->delim1 != PB_DELIM_OFF) &&
	       cfg->process < __PB_DELIM_MAX;
}

void pb_pack_reset(struct pb_pack *p)
{
	p->queued = 0;
	p->saw_delim1 = false;
	p->trail = 0;
}

bool pb_pack_init(struct pb_pack *p, const struct pb_pack_cfg *cfg,
		  size_t capacity)
{
	bool valid = pb_pack_cfg_valid(cfg) && capacity > 0;

	p->cfg = *cfg;
	if (!valid) {
		p->cfg.length = 0;
		p->cfg.delim1 = PB_DELIM_OFF;
		p->cfg.delim2 = PB_DELIM_OFF;
		p->cfg.process = PB_DELIM_NOTHING;
		p->cfg.force_ms = 0;
		capacity = 1;
	}
	p->limit = capacity;
	if (p->cfg.length && p->cfg.length < capacity)
		p->limit = p->cfg.length;
	p->passthrough = !p->cfg.length && p->cfg.delim1 == PB_DELIM_OFF &&
			 !p->cfg.force_ms;
	p->last_ms = 0;
	pb_pack_reset(p);
	return valid;
}

/* The whole queue leaves: emit all but the last "drop" bytes. */
static bool send_queue(struct pb_pack *p, struct pb_pack_action *act,
		       size_t drop)
{
	act->emit = p->queued - drop;
	act->drop = drop;
	pb_pack_reset(p);
	return true;
}

/* Length of the delimiter that byte c completes, 0 if none. */
static size_t delim_end(struct pb_pack *p, u8 c)
{
	if (p->cfg.delim2 == PB_DELIM_OFF)
		return c == p->cfg.delim1 ? 1 : 0;
	if (p->saw_delim1 && c == p->cfg.delim2) {
		p->saw_delim1 = false;
		return 2;
	}
	p->saw_delim1 = c == p->cfg.delim1;
	return 0;
}

/* Byte c was queued: does it complete a packet? */
static bool queue_byte(struct pb_pack *p, u8 c, struct pb_pack_action *act)
{
	size_t delim;

	p->queued++;
	if (p->trail) {
		if (!--p->trail)
			return send_queue(p, act, 0);
	} else {
		delim = delim_end(p, c);
		if (delim) {
			switch (p->cfg.process) {
			case PB_DELIM_STRIP:
				return send_queue(p, act, delim);
			case PB_DELIM_PLUS1:
				p->trail = 1;
				break;
			case PB_DELIM_PLUS2:
				p->trail = 2;
				break;
			default:
				return send_queue(p, act, 0);
			}
		}
	}
	if (p->queued >= p->limit)
		return send_queue(p, act, 0);
	return false;
}

size_t pb_pack_input(struct pb_pack *p, const u8 *data, size_t len, u32 now,
		     struct pb_pack_action *act)
{
	size_t i, n;

	act->emit = 0;
	act->drop = 0;
	if (!len)
		return 0;
	p->last_ms = now;
	if (p->passthrough) {
		act->emit = len;
		return len;
	}
	if (p->cfg.delim1 == PB_DELIM_OFF) {
		/* only length and capacity: no need to look at the bytes */
		n = p->limit - p->queued;
		if (n > len)
			n = len;
		p->queued += n;
		if (p->queued == p->limit)
			send_queue(p, act, 0);
		return n;
	}
	for (i = 0; i < len; i++) {
		if (queue_byte(p, data[i], act))
			return i + 1;
	}
	return len;
}

bool pb_pack_deadline(const struct pb_pack *p, u32 *at)
{
	if (!p->queued || !p->cfg.force_ms)
		return false;
	*at = p->last_ms + p->cfg.force_ms;
	return true;
}

bool pb_pack_timer(struct pb_pack *p, u32 now, struct pb_pack_action *act)
{
	u32 at;

	act->emit = 0;
	act->drop = 0;
	if (!pb_pack_deadline(p, &at) || !pb_ms_reached(now, at))
		return false;
	return send_queue(p, act, 0);
}
