// SPDX-License-Identifier: GPL-2.0
/*
 * Serial -> network: what receive_buf2 hands over, to the port's mode.
 *
 * The port takes from the UART only as many bytes as its mode has room
 * for (less what packing holds queued); the rest stays in the tty's flip
 * buffer and the UART is throttled (RTS or XOFF, as the flow control
 * says) until a work finds room again (port.c, pb_port_resume_uart).
 *
 * Overrun and break reach receive_buf2 as NUL bytes flagged by the tty
 * layer: they report line conditions, so they are counted but not
 * forwarded.  Parity and framing errors flag real (damaged) bytes, which
 * are forwarded as received and counted.  With XON/XOFF flow control the
 * device's XON and XOFF characters drive our transmitter and are consumed.
 * Every error is counted, reported to the mode (Real COM notifies its
 * host) and, at most once a second per port, multicast as SERIAL_ERROR
 * with the totals.
 *
 * Without packing (the default) each run of line data goes to the mode
 * straight from the flip buffer: no copy, no delay.
 */

#include <linux/tty.h>

#include "ldisc.h"
#include "mode.h"
#include "netlink.h"
#include "port.h"
#include "serial.h"
#include "serial_rx.h"

/* Minimum time between two SERIAL_ERROR events of a port. */
#define PB_ERR_EVENT_GAP	HZ

static bool pb_rx_is_flow_char(u32 filter, u8 c)
{
	return (filter & PB_RX_IXON) &&
	       (c == (u8)filter || c == (u8)(filter >> 8));
}

/* Line data goes on, or in packing's queue. */
static void pb_rx_forward(struct pb_port *port, struct pb_opmode *m,
			  const u8 *buf, unsigned int len)
{
	if (!len)
		return;
	if (pb_packer_passthrough(&port->pack))
		m->ops->send(m, buf, len);
	else
		pb_packer_feed(port, m, buf, len);
}

/*
 * Count a flagged byte and act on XON/XOFF.  Returns the PB_LINE_* error
 * and sets *skip if the byte is not line data.
 */
static unsigned int pb_rx_flag(struct pb_port *port, u8 c, char flag,
			       u32 filter, bool *skip)
{
	struct pb_stats *st = &port->stats;

	*skip = false;
	switch (flag) {
	case TTY_PARITY:
		pb_stat_inc(&st->parity_errors);
		return PB_LINE_PARITY;
	case TTY_FRAME:
		pb_stat_inc(&st->frame_errors);
		return PB_LINE_FRAME;
	case TTY_OVERRUN:
		pb_stat_inc(&st->overruns);
		*skip = true;
		return PB_LINE_OVERRUN;
	case TTY_BREAK:
		pb_stat_inc(&st->breaks);
		*skip = true;
		return PB_LINE_BREAK;
	}
	if (!pb_rx_is_flow_char(filter, c))
		return 0;
	/* The driver cannot do this in hardware; n_tty would do it here. */
	if (c == (u8)(filter >> 8))
		stop_tty(port->tty);
	else
		start_tty(port->tty);
	*skip = true;
	return 0;
}

/*
 * Forward the line data among n bytes; returns the PB_LINE_* errors seen
 * and adds the bytes that were not line data to *skipped.
 */
static unsigned int pb_rx_scan(struct pb_port *port, struct pb_opmode *m,
			       const u8 *cp, const char *fp, unsigned int n,
			       u32 filter, unsigned int *skipped)
{
	unsigned int i, start = 0, errors = 0;
	bool skip;

	for (i = 0; i < n; i++) {
		errors |= pb_rx_flag(port, cp[i], fp ? fp[i] : TTY_NORMAL,
				     filter, &skip);
		if (!skip)
			continue;
		(*skipped)++;
		if (m)
			pb_rx_forward(port, m, cp + start, i - start);
		start = i + 1;
	}
	if (m)
		pb_rx_forward(port, m, cp + start, n - start);
	return errors;
}

static void pb_rx_error_event(struct pb_port *port)
{
	unsigned long at, now = jiffies;

	if (test_and_set_bit(PB_PORT_ERR_EVENT, &port->flags))
		return;
	at = READ_ONCE(port->err_sent) + PB_ERR_EVENT_GAP;
	queue_delayed_work(pb_wq, &port->err_work,
			   time_after(at, now) ? at - now : 0);
}

/* err_work: one SERIAL_ERROR with the totals. */
void pb_rx_error_work(struct work_struct *work)
{
	struct pb_port *port = container_of(to_delayed_work(work),
					    struct pb_port, err_work);

	WRITE_ONCE(port->err_sent, jiffies);
	clear_bit(PB_PORT_ERR_EVENT, &port->flags);
	pb_netlink_event_serial_error(port);
}

/* How many serial bytes the port can take now; conn_lock held. */
unsigned int pb_rx_room(struct pb_port *port)
{
	struct pb_opmode *m = port->mode;

	if (!m)
		return UINT_MAX;
	return pb_packer_room(port, m->ops->room(m));
}

/*
 * From receive_buf2 (the tty flush work).  Returns how many of the count
 * bytes were taken; the rest stays in the flip buffer with the UART
 * throttled.  Disabled, or a TCP server without clients, has nobody to
 * send the input to and discards it.
 */
int pb_port_serial_rx(struct pb_port *port, const u8 *cp, const char *fp,
		      int count)
{
	u32 filter = READ_ONCE(port->rx_filter);
	unsigned int n, skipped = 0, errors = 0;
	struct pb_opmode *m;

	mutex_lock(&port->conn_lock);
	m = port->mode;
	n = min_t(unsigned int, count, pb_rx_room(port));
	if (!fp && !filter) {
		if (m)
			pb_rx_forward(port, m, cp, n);
	} else {
		errors = pb_rx_scan(port, m, cp, fp, n, filter, &skipped);
	}
	if (errors && m && m->ops->line_errors)
		m->ops->line_errors(m, errors);
	if (n < count) {
		/* Under conn_lock, so a work sees it after our sends. */
		set_bit(PB_PORT_RX_BLOCKED, &port->flags);
		pb_tty_throttle(port->tty);
	}
	/*
	 * A connection that failed or left may have been what held the
	 * UART back, and it will never report write space: check from a
	 * work (resuming here would deadlock on the flip buffer lock).
	 */
	if (test_bit(PB_PORT_RX_BLOCKED, &port->flags) && pb_rx_room(port))
		queue_work(pb_wq, &port->tx_work);
	mutex_unlock(&port->conn_lock);

	if (n > skipped) {
		pb_stat_add(&port->stats.rx_bytes, n - skipped);
		pb_port_touch(port);
	}
	if (errors)
		pb_rx_error_event(port);
	return n;
}
