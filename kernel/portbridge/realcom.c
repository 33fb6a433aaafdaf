// SPDX-License-Identifier: GPL-2.0
/*
 * Real COM mode (Moxa's ASPP, see realcom-protocol.md): a host driver
 * makes the serial port one of its COM ports over two connections, a
 * command connection (PB_A_CMD_PORT, framed by codec/realcom) and a data
 * connection (PB_A_LOCAL_PORT, raw serial bytes both ways, client.c).
 *
 * A session is the pair.  The host connects the command port first; a
 * new command (or data) connection while one is up replaces the old pair
 * (or data connection), closed with reason REPLACED, since that is how a
 * host that lost its connection comes back.  When either connection of a
 * session goes, the other is closed too and DTR and RTS drop, as when a
 * COM port is closed (the host driver never drops them itself).
 *
 * Commands are parsed one at a time and each answer is sent whole in one
 * send; input is parsed only while the command backlog has room for an
 * answer, so a host that stops reading answers stops being read.  Modem
 * line changes and serial errors are sent as NOTIFY at once (the host
 * never asks for them); POLLING every PB_A_KEEPALIVE_IDLE seconds checks
 * that the host is alive and ends a session it does not answer within
 * PB_A_KEEPALIVE_INTVL * PB_A_KEEPALIVE_CNT seconds (reason ALIVE_CHECK).
 */

#include <linux/in.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "client.h"
#include "codec/realcom.h"
#include "mode.h"
#include "netlink.h"
#include "port.h"
#include "serial.h"

/* Command input read at a time. */
#define PB_RC_IN		256
/* Command backlog kept free for answers. */
#define PB_RC_RESERVE		(2 * PB_REALCOM_SEND_MAX)
/* How often the modem lines are looked at. */
#define PB_MODEM_POLL		(HZ / 10)
/* Commands handled per work run before yielding. */
#define PB_RC_BUDGET		64

struct pb_realcom {
	struct pb_opmode mode;
	struct pb_clients data;		/* one slot: the data connection */
	struct pb_client *cmd;		/* the command connection */
	struct pb_realcom_parser parser;
	u8 in[PB_RC_IN];
	unsigned int in_off;
	unsigned int in_len;
	u8 msr;				/* modem lines last notified */
	u8 poll_id;
	bool poll_wait;			/* POLLING sent, no answer yet */
	unsigned long poll_at;		/* next POLLING, or its deadline */
};

static struct pb_realcom *pb_rc(struct pb_opmode *m)
{
	return container_of(m, struct pb_realcom, mode);
}

static struct pb_client *pb_rc_data(struct pb_realcom *rc)
{
	return rc->data.slot[0];
}

/* ---- to the host ---- */

/* One answer or notification, whole, in one send. */
static void pb_rc_send(struct pb_realcom *rc, const u8 *buf, size_t len)
{
	if (!rc->cmd || !len)
		return;
	if (pb_client_room(rc->cmd) < len) {
		pb_stat_inc(&rc->mode.port->stats.proto_errors);
		return;
	}
	pb_client_queue(rc->cmd, buf, len);
}

static u8 pb_rc_msr(int tiocm)
{
	u8 msr = 0;

	if (tiocm & TIOCM_CTS)
		msr |= PB_REALCOM_MSR_CTS;
	if (tiocm & TIOCM_DSR)
		msr |= PB_REALCOM_MSR_DSR;
	if (tiocm & TIOCM_CD)
		msr |= PB_REALCOM_MSR_DCD;
	return msr;
}

static void pb_rc_notify(struct pb_realcom *rc, u8 events)
{
	u8 out[PB_REALCOM_REPLY_MAX];

	pb_rc_send(rc, out, pb_realcom_notify(out, events, rc->msr));
}

static void pb_rc_modem_check(struct pb_realcom *rc)
{
	u8 msr = pb_rc_msr(pb_serial_modem(rc->mode.port));

	if (msr == rc->msr)
		return;
	rc->msr = msr;
	pb_rc_notify(rc, PB_REALCOM_EV_MSR);
}

/* ---- commands ---- */

static void pb_rc_set_format(struct pb_realcom *rc,
			     const struct pb_realcom_cmd *cmd)
{
	struct pb_line line, got;

	pb_serial_get_line(rc->mode.port, &line);
	if (cmd->baud)
		line.baud = cmd->baud;
	line.data_bits = cmd->data_bits;
	line.stop_bits = cmd->stop_bits;
	line.parity = cmd->parity;
	pb_serial_set_line(rc->mode.port, &line, &got);
}

/* RTS/CTS when the host asks for either; XON/XOFF likewise. */
static void pb_rc_set_flow(struct pb_realcom *rc,
			   const struct pb_realcom_cmd *cmd)
{
	struct pb_line line, got;

	pb_serial_get_line(rc->mode.port, &line);
	if (cmd->rts_flow || cmd->cts_flow)
		line.flow = PB_FLOW_RTSCTS;
	else if (cmd->ixon || cmd->ixoff)
		line.flow = PB_FLOW_XONXOFF;
	else
		line.flow = PB_FLOW_NONE;
	pb_serial_set_line(rc->mode.port, &line, &got);
}

static void pb_rc_set_lines(struct pb_realcom *rc, bool dtr, bool rts)
{
	pb_serial_set_mctrl(rc->mode.port,
			    (dtr ? TIOCM_DTR : 0) | (rts ? TIOCM_RTS : 0),
			    (dtr ? 0 : TIOCM_DTR) | (rts ? 0 : TIOCM_RTS));
}

static void pb_rc_flush(struct pb_realcom *rc, u8 what)
{
	struct pb_port *port = rc->mode.port;

	if (what != PB_REALCOM_FLUSH_TX) {
		pb_serial_flush_rx(port);
		pb_packer_reset(port);
	}
	if (what != PB_REALCOM_FLUSH_RX)
		pb_serial_flush_tx(port);
}

static void pb_rc_apply(struct pb_realcom *rc, const struct pb_realcom_cmd *cmd)
{
	struct pb_port *port = rc->mode.port;
	struct pb_line line, got;

	switch (cmd->op) {
	case PB_REALCOM_PORT_INIT:
		pb_rc_set_format(rc, cmd);
		pb_rc_set_flow(rc, cmd);
		pb_rc_set_lines(rc, cmd->dtr, cmd->rts);
		break;
	case PB_REALCOM_IOCTL:
		pb_rc_set_format(rc, cmd);
		break;
	case PB_REALCOM_SETBAUD:
		pb_serial_get_line(port, &line);
		line.baud = cmd->baud;
		pb_serial_set_line(port, &line, &got);
		break;
	case PB_REALCOM_XONXOFF:
		pb_serial_get_line(port, &line);
		line.xon = cmd->xon;
		line.xoff = cmd->xoff;
		pb_serial_set_line(port, &line, &got);
		break;
	case PB_REALCOM_FLOWCTRL:
		pb_rc_set_flow(rc, cmd);
		break;
	case PB_REALCOM_LINECTRL:
		pb_rc_set_lines(rc, cmd->dtr, cmd->rts);
		break;
	case PB_REALCOM_FLUSH:
		pb_rc_flush(rc, cmd->flush);
		break;
	case PB_REALCOM_START_BREAK:
	case PB_REALCOM_STOP_BREAK:
		pb_serial_break(port, cmd->op == PB_REALCOM_START_BREAK);
		break;
	case PB_REALCOM_SETXON:
	case PB_REALCOM_SETXOFF:
		pb_serial_tx_stop(port, cmd->op == PB_REALCOM_SETXOFF);
		break;
	case PB_REALCOM_ALIVE:
		if (rc->poll_wait && cmd->id == rc->poll_id) {
			rc->poll_wait = false;
			rc->poll_at = jiffies + port->cfg.keepalive_idle * HZ;
		}
		break;
	case PB_REALCOM_TX_FIFO:
		/* Where the UART cannot (serial.c), it keeps its FIFO. */
		pb_serial_set_fifo(port, cmd->fifo);
		break;
	}
}

static void pb_rc_status(struct pb_realcom *rc, struct pb_realcom_status *st)
{
	struct pb_port *port = rc->mode.port;
	struct pb_client *data = pb_rc_data(rc);
	int lines = pb_serial_modem(port);

	st->dsr = lines & TIOCM_DSR;
	st->cts = lines & TIOCM_CTS;
	st->dcd = lines & TIOCM_CD;
	st->iqueue = pb_pack_queued(&port->pack.pack) +
		     (data ? data->backlog.len : 0);
	st->oqueue = pb_serial_tx_queued(port);
}

static void pb_rc_command(struct pb_realcom *rc, const struct pb_realcom_cmd *cmd)
{
	struct pb_realcom_status st;
	u8 out[PB_REALCOM_REPLY_MAX];

	switch (cmd->type) {
	case PB_REALCOM_CMD:
		pb_rc_apply(rc, cmd);
		break;
	case PB_REALCOM_ECHO:
		pb_rc_send(rc, cmd->payload, cmd->len);
		return;
	case PB_REALCOM_ERROR:
		pb_stat_inc(&rc->mode.port->stats.proto_errors);
		break;
	default:
		return;
	}
	/* Every known command is answered: the host waits for it. */
	pb_rc_status(rc, &st);
	pb_rc_send(rc, out, pb_realcom_reply(cmd, &st, out));
}

static void pb_rc_commands(struct pb_realcom *rc)
{
	struct pb_client *c = rc->cmd;
	struct pb_realcom_cmd cmd;
	unsigned int budget = PB_RC_BUDGET;
	int n;

	while (c && !c->failed && pb_client_room(c) >= PB_RC_RESERVE) {
		if (!budget--) {
			queue_work(pb_wq, &rc->mode.port->rx_work);
			break;
		}
		if (rc->in_off == rc->in_len) {
			n = pb_client_recv(c, rc->in, sizeof(rc->in));
			if (n <= 0)
				break;
			rc->in_off = 0;
			rc->in_len = n;
		}
		rc->in_off += pb_realcom_parse(&rc->parser, rc->in + rc->in_off,
					       rc->in_len - rc->in_off, &cmd);
		pb_rc_command(rc, &cmd);
	}
}

/* ---- sessions ---- */

/* Close the session's connections; DTR and RTS drop (port closed). */
static void pb_rc_end(struct pb_realcom *rc, u8 reason)
{
	if (!rc->cmd && !pb_rc_data(rc))
		return;
	if (rc->cmd)
		pb_client_close(rc->cmd, reason);
	rc->cmd = NULL;
	pb_clients_close_all(&rc->data, reason);
	pb_serial_restore(rc->mode.port, false);
	pb_serial_set_mctrl(rc->mode.port, 0, TIOCM_DTR | TIOCM_RTS);
}

/* A connection of the session went away: the whole session ends. */
static void pb_rc_reap(struct pb_realcom *rc)
{
	struct pb_client *data = pb_rc_data(rc);
	u8 reason = PB_REASON_NONE;

	if (rc->cmd)
		reason = pb_client_check(rc->cmd);
	if (reason == PB_REASON_NONE && data)
		reason = pb_client_check(data);
	if (reason != PB_REASON_NONE)
		pb_rc_end(rc, reason);
}

static struct pb_client *pb_rc_new_client(struct pb_realcom *rc,
					  struct socket *sock)
{
	struct pb_port *port = rc->mode.port;
	struct pb_client *c = pb_client_new(port, sock);

	if (!c) {
		sock_release(sock);
		pb_stat_inc(&port->stats.net_errors);
	}
	return c;
}

static void pb_rc_accept_cmd(struct pb_realcom *rc, struct socket *sock)
{
	struct pb_port *port = rc->mode.port;
	struct pb_client *c;

	/*
	 * A host reconnecting: its new pair replaces the old session.  A
	 * data connection without a command one is the new host's, whose
	 * connections reached us in the other order: it stays.
	 */
	if (rc->cmd)
		pb_rc_end(rc, PB_REASON_REPLACED);
	c = pb_rc_new_client(rc, sock);
	if (!c)
		return;
	rc->cmd = c;
	rc->in_off = 0;
	rc->in_len = 0;
	rc->poll_wait = false;
	rc->poll_at = jiffies + port->cfg.keepalive_idle * HZ;
	pb_client_hook(c);
	pb_client_announce(c);
	/* Over IPv6 the host first wants 16 bytes echoed. */
	pb_realcom_init(&rc->parser,
			!ipv6_addr_v4mapped(&c->peer.sin6_addr));
	rc->msr = pb_rc_msr(pb_serial_modem(port));
	queue_work(pb_wq, &port->rx_work);
}

static void pb_rc_accept_data(struct pb_realcom *rc, struct socket *sock)
{
	struct pb_client *c;

	/*
	 * A new data connection while a whole session is up: a host
	 * reconnecting data first; the old session ends, the new data
	 * connection waits for its command connection.  Otherwise it only
	 * replaces a data connection still waiting for one.
	 */
	if (rc->cmd && pb_rc_data(rc))
		pb_rc_end(rc, PB_REASON_REPLACED);
	else
		pb_clients_close_all(&rc->data, PB_REASON_REPLACED);
	c = pb_rc_new_client(rc, sock);
	if (!c)
		return;
	pb_clients_add(&rc->data, c);
	pb_client_hook(c);
	pb_client_announce(c);
	queue_work(pb_wq, &rc->mode.port->rx_work);
}

static void pb_rc_accept(struct pb_realcom *rc, int slot)
{
	struct pb_listener *l = &rc->mode.port->listen[slot];
	struct socket *sock;
	int err;

	while (!(err = pb_listener_accept(l, &sock))) {
		pb_sock_unhook_accepted(l, sock);
		if (slot == PB_LISTEN_CMD)
			pb_rc_accept_cmd(rc, sock);
		else
			pb_rc_accept_data(rc, sock);
	}
	if (err != -EAGAIN)
		pb_stat_inc(&rc->mode.port->stats.net_errors);
}

/* POLLING: returns the deadline of the next step, 0 if none. */
static unsigned long pb_rc_polling(struct pb_realcom *rc)
{
	const struct pb_config *cfg = &rc->mode.port->cfg;
	u8 out[PB_REALCOM_REPLY_MAX];

	if (!rc->cmd || !cfg->keepalive_idle)
		return 0;
	if (time_before(jiffies, rc->poll_at))
		return rc->poll_at;
	if (rc->poll_wait) {
		pb_rc_end(rc, PB_REASON_ALIVE_CHECK);
		return 0;
	}
	rc->poll_id++;
	rc->poll_wait = true;
	pb_rc_send(rc, out, pb_realcom_polling(out, rc->poll_id));
	rc->poll_at = jiffies + (unsigned long)cfg->keepalive_intvl *
		      cfg->keepalive_cnt * HZ;
	return rc->poll_at;
}

/* ---- mode ops ---- */

static int pb_rc_check(struct pb_port *port, const struct pb_config *cfg,
		       struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	if (cfg->cmd_port == cfg->local_port) {
		pb_set_err(extack, attrs[PB_A_CMD_PORT],
			   "the command port must differ from the data port");
		return -EINVAL;
	}
	return 0;
}

static void pb_rc_listeners(const struct pb_config *cfg,
			    struct pb_listen_spec *want)
{
	want[PB_LISTEN_DATA].proto = IPPROTO_TCP;
	want[PB_LISTEN_DATA].port = cfg->local_port;
	want[PB_LISTEN_CMD].proto = IPPROTO_TCP;
	want[PB_LISTEN_CMD].port = cfg->cmd_port;
}

static bool pb_rc_restart(const struct pb_config *old,
			  const struct pb_config *new)
{
	return old->local_port != new->local_port ||
	       old->cmd_port != new->cmd_port;
}

static struct pb_opmode *pb_rc_create(struct pb_port *port,
				      const struct pb_config *cfg)
{
	struct pb_realcom *rc = kzalloc(sizeof(*rc), GFP_KERNEL);

	if (!rc)
		return NULL;
	rc->mode.ops = &pb_realcom_ops;
	rc->mode.port = port;
	pb_clients_init(&rc->data, port, 1);
	return &rc->mode;
}

/* No host yet: DTR and RTS down, as on a closed COM port. */
static void pb_rc_start(struct pb_opmode *m)
{
	pb_serial_set_mctrl(m->port, 0, TIOCM_DTR | TIOCM_RTS);
	queue_work(pb_wq, &m->port->ctl_work);
}

static void pb_rc_update(struct pb_opmode *m, const struct pb_config *old)
{
	struct pb_realcom *rc = pb_rc(m);

	pb_clients_keepalive(&rc->data);
	if (rc->cmd)
		pb_client_keepalive(rc->cmd);
}

static void pb_rc_unhook(struct pb_opmode *m)
{
	struct pb_realcom *rc = pb_rc(m);

	pb_clients_unhook(&rc->data);
	if (rc->cmd)
		pb_client_unhook(rc->cmd);
}

static void pb_rc_destroy(struct pb_opmode *m, u8 reason)
{
	struct pb_realcom *rc = pb_rc(m);

	if (rc->cmd)
		pb_client_close(rc->cmd, reason);
	pb_clients_close_all(&rc->data, reason);
	pb_serial_restore(m->port, true);
	kfree(rc);
}

static unsigned int pb_rc_room(struct pb_opmode *m)
{
	return pb_clients_room(&pb_rc(m)->data);
}

static void pb_rc_send_data(struct pb_opmode *m, const u8 *buf,
			    unsigned int len)
{
	pb_clients_send(&pb_rc(m)->data, buf, len);
}

static void pb_rc_line_errors(struct pb_opmode *m, unsigned int errors)
{
	struct pb_realcom *rc = pb_rc(m);
	u8 ev = 0;

	if (errors & PB_LINE_PARITY)
		ev |= PB_REALCOM_EV_PARITY;
	if (errors & PB_LINE_FRAME)
		ev |= PB_REALCOM_EV_FRAMING;
	if (errors & PB_LINE_OVERRUN)
		ev |= PB_REALCOM_EV_HW_OVERRUN;
	if (errors & PB_LINE_BREAK)
		ev |= PB_REALCOM_EV_BREAK;
	if (ev)
		pb_rc_notify(rc, ev);
}

static void pb_rc_net_rx(struct pb_opmode *m)
{
	struct pb_realcom *rc = pb_rc(m);

	pb_clients_to_uart(&rc->data);
	pb_rc_commands(rc);
	pb_rc_reap(rc);
}

static void pb_rc_net_tx(struct pb_opmode *m)
{
	struct pb_realcom *rc = pb_rc(m);

	pb_clients_flush(&rc->data);
	if (rc->cmd) {
		pb_client_flush(rc->cmd);
		/* Commands may have waited for room for their answers. */
		if (rc->in_off < rc->in_len)
			queue_work(pb_wq, &m->port->rx_work);
	}
	pb_rc_reap(rc);
}

static unsigned long pb_rc_control(struct pb_opmode *m)
{
	struct pb_realcom *rc = pb_rc(m);
	unsigned long next;

	pb_rc_reap(rc);
	pb_rc_accept(rc, PB_LISTEN_CMD);
	pb_rc_accept(rc, PB_LISTEN_DATA);
	next = pb_rc_polling(rc);
	if (!rc->cmd)
		return next;
	pb_rc_modem_check(rc);
	return pb_deadline_min(next, jiffies + PB_MODEM_POLL);
}

const struct pb_opmode_ops pb_realcom_ops = {
	.mode		= PB_MODE_REALCOM,
	.check		= pb_rc_check,
	.listeners	= pb_rc_listeners,
	.restart	= pb_rc_restart,
	.create		= pb_rc_create,
	.start		= pb_rc_start,
	.update		= pb_rc_update,
	.unhook		= pb_rc_unhook,
	.destroy	= pb_rc_destroy,
	.room		= pb_rc_room,
	.send		= pb_rc_send_data,
	.line_errors	= pb_rc_line_errors,
	.net_rx		= pb_rc_net_rx,
	.net_tx		= pb_rc_net_tx,
	.control	= pb_rc_control,
};
