// SPDX-License-Identifier: GPL-2.0
/*
 * The packing decision, against a model written from the rules in
 * packing.h.  The first 10 bytes are the settings and the queue's
 * capacity (some invalid on purpose), the rest a script of chunks of UART
 * input and clock ticks.  The codec runs the way the kernel will use it,
 * with a real queue; the model, byte by byte, on its own buffer.  Both must
 * send the same packets at the same moments and drop the same bytes, and
 * the codec must keep its contract: the queue never exceeds its capacity,
 * nothing is lost (sent + dropped + queued = received), only STRIP drops,
 * only delimiters are dropped, everything-off sends every chunk at once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/packing.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define CAP_MAX 2048

/* What happened, the same format for the codec and the model. */
struct trace {
	uint8_t buf[1 << 18];
	size_t len;
};

static struct trace got, want;

static void trace_put(struct trace *t, uint8_t c)
{
	if (t->len == sizeof(t->buf))
		abort();
	t->buf[t->len++] = c;
}

/* A packet: 'P', length (2 bytes), bytes; a drop: 'D', count. */
static void trace_packet(struct trace *t, const uint8_t *b, size_t n)
{
	size_t i;

	trace_put(t, 'P');
	trace_put(t, n >> 8);
	trace_put(t, n & 0xff);
	for (i = 0; i < n; i++)
		trace_put(t, b[i]);
}

static void trace_drop(struct trace *t, size_t n)
{
	trace_put(t, 'D');
	trace_put(t, n);
}

/* ---- the model ---- */

struct model {
	struct pb_pack_cfg cfg;
	bool off;
	size_t limit;
	uint8_t buf[CAP_MAX];
	size_t len;
	size_t delim_at;	/* buffer length when a delimiter ended */
	size_t wait;		/* bytes to wait for after it, 0 = none */
	uint32_t last;
};

static void model_send(struct model *m, size_t drop)
{
	if (m->len > drop)
		trace_packet(&want, m->buf, m->len - drop);
	if (drop)
		trace_drop(&want, drop);
	m->len = 0;
	m->wait = 0;
}

static size_t model_delim(const struct model *m)
{
	if (m->cfg.delim1 == PB_DELIM_OFF)
		return 0;
	if (m->cfg.delim2 == PB_DELIM_OFF)
		return m->buf[m->len - 1] == m->cfg.delim1 ? 1 : 0;
	return m->len >= 2 && m->buf[m->len - 2] == m->cfg.delim1 &&
	       m->buf[m->len - 1] == m->cfg.delim2 ? 2 : 0;
}

static void model_byte(struct model *m, uint8_t c)
{
	size_t d;

	m->buf[m->len++] = c;
	d = m->wait ? 0 : model_delim(m);
	if (m->wait) {
		if (m->len == m->delim_at + m->wait) {
			model_send(m, 0);
			return;
		}
	} else if (d) {
		if (m->cfg.process == PB_DELIM_STRIP) {
			model_send(m, d);
			return;
		}
		if (m->cfg.process == PB_DELIM_NOTHING) {
			model_send(m, 0);
			return;
		}
		m->delim_at = m->len;
		m->wait = m->cfg.process == PB_DELIM_PLUS1 ? 1 : 2;
	}
	if (m->len == m->limit)
		model_send(m, 0);
}

static void model_input(struct model *m, const uint8_t *b, size_t n,
			uint32_t now)
{
	size_t i;

	if (!n)
		return;
	m->last = now;
	if (m->off) {
		trace_packet(&want, b, n);
		return;
	}
	for (i = 0; i < n; i++)
		model_byte(m, b[i]);
}

static void model_tick(struct model *m, uint32_t now)
{
	if (m->len && m->cfg.force_ms &&
	    (int32_t)(now - (m->last + m->cfg.force_ms)) >= 0)
		model_send(m, 0);
}

/* ---- the codec, used as the kernel will ---- */

struct user {
	struct pb_pack pack;
	size_t cap;
	uint8_t queue[CAP_MAX];
	size_t queued;
	uint64_t in, out, dropped;
};

static void apply(struct user *u, const struct pb_pack_action *act,
		  const uint8_t *fresh, size_t n)
{
	uint8_t packet[CAP_MAX];
	size_t total = u->queued + n;

	if (act->emit + act->drop) {
		if (act->emit + act->drop != total)
			abort();
		/* the old queue, then the new bytes: two pieces */
		memcpy(packet, u->queue, u->queued);
		if (n)
			memcpy(packet + u->queued, fresh, n);
		if (act->emit)
			trace_packet(&got, packet, act->emit);
		if (act->drop) {
			size_t i;

			if (u->pack.cfg.process != PB_DELIM_STRIP ||
			    act->drop > 2)
				abort();
			for (i = 0; i < act->drop; i++) {
				uint16_t d = i + 1 == act->drop &&
					     act->drop == 2 ? u->pack.cfg.delim2 :
					     u->pack.cfg.delim1;

				if (packet[act->emit + i] != d)
					abort();
			}
			trace_drop(&got, act->drop);
		}
		u->out += act->emit;
		u->dropped += act->drop;
		u->queued = 0;
	} else {
		if (total > u->cap)
			abort();
		if (n)
			memcpy(u->queue + u->queued, fresh, n);
		u->queued = total;
	}
	if (u->queued != pb_pack_queued(&u->pack))
		abort();
}

static void user_input(struct user *u, const uint8_t *b, size_t len,
		       uint32_t now)
{
	struct pb_pack_action act;
	uint32_t at;

	u->in += len;
	while (len) {
		size_t n = pb_pack_input(&u->pack, b, len, now, &act);

		if (!n || n > len)
			abort();
		if (pb_pack_passthrough(&u->pack) &&
		    (n != len || act.emit != len || u->queued))
			abort();
		apply(u, &act, b, n);
		b += n;
		len -= n;
	}
	if (pb_pack_deadline(&u->pack, &at) !=
	    (u->queued && u->pack.cfg.force_ms))
		abort();
	if (u->in != u->out + u->dropped + u->queued)
		abort();
}

static void user_tick(struct user *u, uint32_t now)
{
	struct pb_pack_action act;

	if (pb_pack_timer(&u->pack, now, &act))
		apply(u, &act, NULL, 0);
	else if (act.emit || act.drop)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct model m;
	static struct user u;
	struct pb_pack_cfg cfg;
	uint32_t now;
	size_t i;
	bool valid;

	if (size < 10 || size > 32768)
		return 0;
	cfg.length = (data[0] | data[1] << 8) % 1100;
	cfg.delim1 = data[2] & 1 ? data[3] : PB_DELIM_OFF;
	cfg.delim2 = data[2] & 2 ? data[4] : PB_DELIM_OFF;
	if (data[2] & 4)	/* out of range sometimes */
		cfg.delim1 = data[3] | 0x100;
	cfg.process = data[5] % 5;
	cfg.force_ms = data[6] & 1 ? data[6] : 0;
	u.cap = 1 + ((data[7] | data[8] << 8) % CAP_MAX);
	now = (uint32_t)data[9] << 24 | 0xfff000;	/* wraps soon */

	valid = pb_pack_init(&u.pack, &cfg, u.cap);
	if (valid != pb_pack_cfg_valid(&cfg))
		abort();
	u.queued = 0;
	u.in = u.out = u.dropped = 0;
	memset(&m, 0, sizeof(m));
	m.cfg = u.pack.cfg;	/* as the codec took it (invalid: off) */
	m.off = !m.cfg.length && m.cfg.delim1 == PB_DELIM_OFF &&
		!m.cfg.force_ms;
	m.limit = u.cap;
	if (m.cfg.length && m.cfg.length < u.cap)
		m.limit = m.cfg.length;
	got.len = want.len = 0;

	/* script: a byte < 0x20 is a clock tick of that many ms * 8,
	 * otherwise its low 5 bits + 1 bytes of input follow
	 */
	for (i = 10; i < size; ) {
		uint8_t op = data[i++];

		if (op < 0x20) {
			now += op * 8u;
			user_tick(&u, now);
			model_tick(&m, now);
		} else {
			size_t n = (op & 0x1f) + 1;

			if (n > size - i)
				n = size - i;
			user_input(&u, data + i, n, now);
			model_input(&m, data + i, n, now);
			i += n;
			now++;
		}
		if (u.queued != m.len || got.len != want.len ||
		    memcmp(got.buf, want.buf, got.len))
			abort();
	}
	return 0;
}
