// SPDX-License-Identifier: GPL-2.0
/*
 * Data packing: UART input is queued and leaves as one packet (one send,
 * one datagram) when codec/packing.c says so.  Packing off, the default,
 * bypasses all of this: serial_rx.c hands each chunk straight to the
 * mode, with no copy and no delay.
 *
 * The queue is the port's (a mode change empties it), and its bytes count
 * against the mode's room: the port takes from the UART only what the
 * mode can take on top of what is queued, so a packet always fits when it
 * leaves.  Force transmit is an hrtimer (ms resolution) that only queues
 * tx_work; the work sends the queue under conn_lock.  It is cancelled
 * before the port is freed (pb_packer_stop, after the mode is gone, so
 * nothing arms it again).
 */

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include "mode.h"
#include "pack.h"
#include "port.h"

static u32 pb_now_ms(void)
{
	return (u32)ktime_to_ms(ktime_get());
}

static enum hrtimer_restart pb_packer_timer_fn(struct hrtimer *t)
{
	struct pb_port *port = container_of(t, struct pb_port, pack.timer);

	queue_work(pb_wq, &port->tx_work);
	return HRTIMER_NORESTART;
}

int pb_packer_init(struct pb_port *port)
{
	struct pb_packer *pk = &port->pack;
	struct pb_pack_cfg off = {
		.delim1 = PB_DELIM_OFF,
		.delim2 = PB_DELIM_OFF,
	};

	hrtimer_init(&pk->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	pk->timer.function = pb_packer_timer_fn;
	pk->queue = kmalloc(PB_PACK_LENGTH_MAX, GFP_KERNEL);
	pb_pack_init(&pk->pack, &off, PB_PACK_LENGTH_MAX);
	return pk->queue ? 0 : -ENOMEM;
}

void pb_packer_stop(struct pb_port *port)
{
	hrtimer_cancel(&port->pack.timer);
}

void pb_packer_free(struct pb_port *port)
{
	kfree(port->pack.queue);
}

static void pb_packer_arm(struct pb_port *port)
{
	struct pb_packer *pk = &port->pack;
	s32 delay;
	u32 at;

	if (!pb_pack_deadline(&pk->pack, &at) || port->dying)
		return;
	delay = (s32)(at - pb_now_ms());
	hrtimer_start(&pk->timer, ms_to_ktime(max(delay, 0)),
		      HRTIMER_MODE_REL);
}

/* Send the packet the codec decided on and empty the queue. */
static void pb_packer_emit(struct pb_port *port, struct pb_opmode *m,
			   const struct pb_pack_action *act)
{
	if (act->emit && m)
		m->ops->send(m, port->pack.queue, act->emit);
}

/* What is queued goes now (before new settings or on its deadline). */
static void pb_packer_send_all(struct pb_port *port, struct pb_opmode *m)
{
	struct pb_pack_action act = {
		.emit = pb_pack_queued(&port->pack.pack),
	};

	pb_packer_emit(port, m, &act);
	pb_pack_reset(&port->pack.pack);
}

void pb_packer_configure(struct pb_port *port, struct pb_opmode *m,
			 const struct pb_pack_cfg *cfg)
{
	struct pb_packer *pk = &port->pack;

	pb_packer_send_all(port, m);
	pb_pack_init(&pk->pack, cfg, PB_PACK_LENGTH_MAX);
}

/* A mode change or a purge: what is queued is dropped. */
void pb_packer_reset(struct pb_port *port)
{
	pb_pack_reset(&port->pack.pack);
}

/* The mode's room less what the queue will add to the next packet. */
unsigned int pb_packer_room(struct pb_port *port, unsigned int room)
{
	size_t queued = pb_pack_queued(&port->pack.pack);

	return room > queued ? room - queued : 0;
}

/*
 * Line data from the UART.  Every byte taken is copied behind the queue
 * (it always fits: a packet never exceeds the queue), and a completed
 * packet is sent from the queue in one piece.
 */
void pb_packer_feed(struct pb_port *port, struct pb_opmode *m, const u8 *buf,
		    unsigned int len)
{
	struct pb_packer *pk = &port->pack;
	struct pb_pack_action act;
	u32 now = pb_now_ms();
	size_t queued, n;

	while (len) {
		queued = pb_pack_queued(&pk->pack);
		n = pb_pack_input(&pk->pack, buf, len, now, &act);
		if (WARN_ON_ONCE(queued + n > PB_PACK_LENGTH_MAX))
			return;
		memcpy(pk->queue + queued, buf, n);
		pb_packer_emit(port, m, &act);
		buf += n;
		len -= n;
	}
	pb_packer_arm(port);
}

/* tx_work: force transmit when its time has come. */
void pb_packer_expire(struct pb_port *port, struct pb_opmode *m)
{
	struct pb_packer *pk = &port->pack;
	struct pb_pack_action act;

	if (pb_pack_timer(&pk->pack, pb_now_ms(), &act))
		pb_packer_emit(port, m, &act);
	else
		pb_packer_arm(port);
}
