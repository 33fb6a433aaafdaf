// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 2217 mode: one client at a time on the port's listener, speaking
 * Telnet with COM-PORT-OPTION (codec/telnet, codec/rfc2217) to drive the
 * UART: line settings (answered with what the UART really does, read
 * back), flow control, DTR, RTS, break, purge, and line and modem state
 * notifications under the client's masks.  Serial data is IAC-escaped
 * towards the client and unescaped towards the UART.
 *
 * Input from the client is read into a buffer and decoded item by item,
 * with the UART's room as the limit for data, so a command is applied
 * only after the data before it went to the UART, and what the UART
 * cannot take stays in the buffer (and the socket: TCP pushes back).
 * Answers share the client's backlog with serial data; input is decoded
 * only while the backlog has room for answers (PB_RFC_RESERVE), and the
 * room reported for serial data leaves that much free, so answers always
 * fit.
 *
 * Modem lines are polled every PB_MODEM_POLL while a client is connected
 * (and checked at once when the UART interrupts on a change, see
 * serial.c).  When the client goes, the configured line settings and
 * control lines come back.
 */

#include <linux/in.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "client.h"
#include "codec/rfc2217.h"
#include "codec/telnet.h"
#include "mode.h"
#include "netlink.h"
#include "port.h"
#include "serial.h"

/* Client input decoded at a time. */
#define PB_RFC_IN		512
/* Backlog kept free for answers and notifications. */
#define PB_RFC_RESERVE		256
/* Serial data escaped at a time (doubles at most). */
#define PB_RFC_ESC		1024
/* How often the modem lines are looked at. */
#define PB_MODEM_POLL		(HZ / 10)
/* Items decoded per work run before yielding. */
#define PB_RFC_BUDGET		256

static const char pb_rfc_signature[] = "portbridge";

struct pb_rfc2217 {
	struct pb_opmode mode;
	struct pb_clients clients;	/* one slot */
	struct pb_telnet_dec dec;
	struct pb_telnet_neg neg;
	bool com_port;			/* COM-PORT-OPTION is on */
	bool suspended;			/* FLOWCONTROL-SUSPEND from the client */
	bool brk;			/* break is on */
	u8 linestate_mask;
	u8 modemstate_mask;
	u8 modem;			/* the lines last reported */
	u8 in[PB_RFC_IN];		/* client input not yet decoded */
	unsigned int in_off;
	unsigned int in_len;
	const u8 *carry;		/* decoded data the UART did not take */
	unsigned int carry_len;
	u8 esc[PB_RFC_ESC];
};

static struct pb_rfc2217 *pb_rfc(struct pb_opmode *m)
{
	return container_of(m, struct pb_rfc2217, mode);
}

static struct pb_client *pb_rfc_client(struct pb_rfc2217 *r)
{
	return r->clients.slot[0];
}

/* ---- to the client ---- */

/* Protocol bytes: dropped if a misbehaving client let the backlog fill. */
static void pb_rfc_reply(struct pb_rfc2217 *r, const u8 *buf, size_t len)
{
	struct pb_client *c = pb_rfc_client(r);

	if (!c || !len)
		return;
	if (pb_client_room(c) < len) {
		pb_stat_inc(&r->mode.port->stats.proto_errors);
		return;
	}
	pb_client_queue(c, buf, len);
}

static void pb_rfc_reply_value(struct pb_rfc2217 *r, u8 code, u8 value)
{
	u8 out[PB_RFC2217_REPLY_MAX];

	pb_rfc_reply(r, out, pb_rfc2217_reply_value(out, sizeof(out), code,
						    value));
}

/* The TIOCM lines as NOTIFY-MODEMSTATE states. */
static u8 pb_rfc_modem_bits(int tiocm)
{
	u8 m = 0;

	if (tiocm & TIOCM_CD)
		m |= PB_RFC2217_MODEM_CD;
	if (tiocm & TIOCM_RI)
		m |= PB_RFC2217_MODEM_RI;
	if (tiocm & TIOCM_DSR)
		m |= PB_RFC2217_MODEM_DSR;
	if (tiocm & TIOCM_CTS)
		m |= PB_RFC2217_MODEM_CTS;
	return m;
}

static void pb_rfc_notify_modem(struct pb_rfc2217 *r, u8 state)
{
	u8 out[PB_RFC2217_REPLY_MAX];

	pb_rfc_reply(r, out, pb_rfc2217_notify_modemstate(out, sizeof(out),
							  state));
}

/* Report modem line changes the client's mask asks for. */
static void pb_rfc_modem_check(struct pb_rfc2217 *r)
{
	u8 now = pb_rfc_modem_bits(pb_serial_modem(r->mode.port));
	u8 state;

	if (now == r->modem)
		return;
	state = pb_rfc2217_modemstate(now, r->modem) & r->modemstate_mask;
	r->modem = now;
	if (r->com_port && (state & 0x0f))
		pb_rfc_notify_modem(r, state);
}

/* ---- serial settings asked by the client ---- */

static void pb_rfc_line(struct pb_rfc2217 *r, struct pb_line *want)
{
	struct pb_line got;

	pb_serial_set_line(r->mode.port, want, &got);
	*want = got;
}

static void pb_rfc_baud(struct pb_rfc2217 *r, const struct pb_rfc2217_cmd *cmd)
{
	u8 out[PB_RFC2217_REPLY_MAX];
	struct pb_line line;

	pb_serial_get_line(r->mode.port, &line);
	if (cmd->baud) {
		line.baud = cmd->baud;
		pb_rfc_line(r, &line);
	}
	pb_rfc_reply(r, out, pb_rfc2217_reply_baud(out, sizeof(out),
						   line.baud, cmd->cisco));
}

static u8 pb_rfc_stopsize(const struct pb_line *line)
{
	if (line->stop_bits == 1)
		return PB_RFC2217_STOPSIZE_1;
	/* CSTOPB with five data bits is 1.5 stop bits. */
	return line->data_bits == 5 ? PB_RFC2217_STOPSIZE_1_5 :
				      PB_RFC2217_STOPSIZE_2;
}

/* SET-DATASIZE, SET-PARITY, SET-STOPSIZE: 0 (or a bad value) asks. */
static void pb_rfc_format(struct pb_rfc2217 *r, const struct pb_rfc2217_cmd *cmd,
			  bool valid)
{
	struct pb_line line;
	u8 v = cmd->value;

	pb_serial_get_line(r->mode.port, &line);
	if (valid && v) {
		if (cmd->code == PB_RFC2217_SET_DATASIZE)
			line.data_bits = v;
		else if (cmd->code == PB_RFC2217_SET_PARITY)
			line.parity = v - 1;
		else if (v == PB_RFC2217_STOPSIZE_1)
			line.stop_bits = 1;
		else if (v == PB_RFC2217_STOPSIZE_2 ||
			 line.data_bits == 5)
			line.stop_bits = 2;
		pb_rfc_line(r, &line);
	}
	if (cmd->code == PB_RFC2217_SET_DATASIZE)
		v = line.data_bits;
	else if (cmd->code == PB_RFC2217_SET_PARITY)
		v = line.parity + 1;
	else
		v = pb_rfc_stopsize(&line);
	pb_rfc_reply_value(r, cmd->code, v);
}

static u8 pb_rfc_flow_value(u8 flow, bool inbound)
{
	u8 base = inbound ? PB_RFC2217_CTL_INFLOW_NONE :
			    PB_RFC2217_CTL_FLOW_NONE;

	if (flow == PB_FLOW_XONXOFF)
		return base + 1;
	if (flow == PB_FLOW_RTSCTS)
		return base + 2;
	return base;
}

/* Flow control is one setting here: inbound and outbound go together. */
static u8 pb_rfc_flow(struct pb_rfc2217 *r, u8 value)
{
	bool inbound = value >= PB_RFC2217_CTL_INFLOW_QUERY;
	u8 base = inbound ? PB_RFC2217_CTL_INFLOW_NONE :
			    PB_RFC2217_CTL_FLOW_NONE;
	struct pb_line line;

	pb_serial_get_line(r->mode.port, &line);
	if (value >= base && value <= base + 2) {
		line.flow = value == base ? PB_FLOW_NONE :
			    value == base + 1 ? PB_FLOW_XONXOFF :
						PB_FLOW_RTSCTS;
		pb_rfc_line(r, &line);
	}
	return pb_rfc_flow_value(line.flow, inbound);
}

/* SET-CONTROL: answer the value set, or the state asked for. */
static u8 pb_rfc_set_control(struct pb_rfc2217 *r, u8 value)
{
	struct pb_port *port = r->mode.port;
	int lines;

	switch (value) {
	case PB_RFC2217_CTL_BREAK_ON:
	case PB_RFC2217_CTL_BREAK_OFF:
		r->brk = value == PB_RFC2217_CTL_BREAK_ON;
		pb_serial_break(port, r->brk);
		return value;
	case PB_RFC2217_CTL_BREAK_QUERY:
		return r->brk ? PB_RFC2217_CTL_BREAK_ON :
				PB_RFC2217_CTL_BREAK_OFF;
	case PB_RFC2217_CTL_DTR_ON:
	case PB_RFC2217_CTL_DTR_OFF:
		pb_serial_set_mctrl(port,
				    value == PB_RFC2217_CTL_DTR_ON ? TIOCM_DTR : 0,
				    value == PB_RFC2217_CTL_DTR_OFF ? TIOCM_DTR : 0);
		return value;
	case PB_RFC2217_CTL_RTS_ON:
	case PB_RFC2217_CTL_RTS_OFF:
		pb_serial_set_mctrl(port,
				    value == PB_RFC2217_CTL_RTS_ON ? TIOCM_RTS : 0,
				    value == PB_RFC2217_CTL_RTS_OFF ? TIOCM_RTS : 0);
		return value;
	case PB_RFC2217_CTL_DTR_QUERY:
		lines = pb_serial_modem(port);
		return lines & TIOCM_DTR ? PB_RFC2217_CTL_DTR_ON :
					   PB_RFC2217_CTL_DTR_OFF;
	case PB_RFC2217_CTL_RTS_QUERY:
		lines = pb_serial_modem(port);
		return lines & TIOCM_RTS ? PB_RFC2217_CTL_RTS_ON :
					   PB_RFC2217_CTL_RTS_OFF;
	case PB_RFC2217_CTL_FLOW_DCD:
	case PB_RFC2217_CTL_INFLOW_DTR:
	case PB_RFC2217_CTL_FLOW_DSR:
		/* No UART driver does these: answer what is in effect. */
		return pb_rfc_flow(r, PB_RFC2217_CTL_FLOW_QUERY);
	default:
		return pb_rfc_flow(r, value);
	}
}

/* PURGE-DATA: the server's receive buffer is the UART's held input. */
static void pb_rfc_purge(struct pb_rfc2217 *r, u8 value)
{
	struct pb_port *port = r->mode.port;

	if (value & PB_RFC2217_PURGE_RX) {
		pb_serial_flush_rx(port);
		pb_packer_reset(port);
	}
	if (value & PB_RFC2217_PURGE_TX)
		pb_serial_flush_tx(port);
	pb_rfc_reply_value(r, PB_RFC2217_PURGE_DATA, value);
}

static void pb_rfc_command(struct pb_rfc2217 *r, const struct pb_rfc2217_cmd *cmd,
			   bool valid)
{
	u8 out[PB_RFC2217_REPLY_MAX + 2 * sizeof(pb_rfc_signature)];

	switch (cmd->code) {
	case PB_RFC2217_SIGNATURE:
		if (!cmd->text_len)
			pb_rfc_reply(r, out, pb_rfc2217_reply_signature(out,
				     sizeof(out), (const u8 *)pb_rfc_signature,
				     sizeof(pb_rfc_signature) - 1));
		break;
	case PB_RFC2217_SET_BAUDRATE:
		pb_rfc_baud(r, cmd);
		break;
	case PB_RFC2217_SET_DATASIZE:
	case PB_RFC2217_SET_PARITY:
	case PB_RFC2217_SET_STOPSIZE:
		pb_rfc_format(r, cmd, valid);
		break;
	case PB_RFC2217_SET_CONTROL:
		pb_rfc_reply_value(r, cmd->code, pb_rfc_set_control(r, valid ?
				   cmd->value : PB_RFC2217_CTL_FLOW_QUERY));
		break;
	case PB_RFC2217_NOTIFY_LINESTATE:
		pb_rfc_reply_value(r, cmd->code, 0);
		break;
	case PB_RFC2217_NOTIFY_MODEMSTATE:
		r->modem = pb_rfc_modem_bits(pb_serial_modem(r->mode.port));
		pb_rfc_notify_modem(r, r->modem);
		break;
	case PB_RFC2217_FLOWCONTROL_SUSPEND:
	case PB_RFC2217_FLOWCONTROL_RESUME:
		r->suspended = cmd->code == PB_RFC2217_FLOWCONTROL_SUSPEND;
		/* Resuming gives room back: the UART may go on. */
		queue_work(pb_wq, &r->mode.port->tx_work);
		break;
	case PB_RFC2217_SET_LINESTATE_MASK:
		r->linestate_mask = cmd->value;
		pb_rfc_reply_value(r, cmd->code, cmd->value);
		break;
	case PB_RFC2217_SET_MODEMSTATE_MASK:
		r->modemstate_mask = cmd->value;
		pb_rfc_reply_value(r, cmd->code, cmd->value);
		break;
	case PB_RFC2217_PURGE_DATA:
		if (valid)
			pb_rfc_purge(r, cmd->value);
		break;
	}
}

static void pb_rfc_subneg(struct pb_rfc2217 *r, const struct pb_telnet_item *it)
{
	struct pb_rfc2217_cmd cmd;
	enum pb_rfc2217_error err;

	if (it->option != PB_TN_OPT_COM_PORT)
		return;
	err = pb_rfc2217_parse(it->data, it->len, &cmd);
	if (err != PB_RFC2217_OK)
		pb_stat_inc(&r->mode.port->stats.proto_errors);
	/* A whole command with an unusable value is answered as a query. */
	if (err == PB_RFC2217_OK || err == PB_RFC2217_ERR_VALUE)
		pb_rfc_command(r, &cmd, err == PB_RFC2217_OK);
}

static void pb_rfc_option(struct pb_rfc2217 *r, const struct pb_telnet_item *it)
{
	u8 out[PB_TELNET_NEG_REPLY_MAX];
	bool was = r->com_port;

	pb_rfc_reply(r, out, pb_telnet_neg_receive(&r->neg, it->cmd,
						   it->option, out));
	r->com_port = pb_telnet_neg_local(&r->neg, PB_TN_OPT_COM_PORT) ||
		      pb_telnet_neg_remote(&r->neg, PB_TN_OPT_COM_PORT);
	/* Clients read modem lines from our notifications: send one now. */
	if (r->com_port && !was) {
		r->modem = pb_rfc_modem_bits(pb_serial_modem(r->mode.port));
		pb_rfc_notify_modem(r, r->modem & r->modemstate_mask);
	}
}

/* ---- client -> UART ---- */

/* Write decoded data; what the UART does not take is carried over. */
static bool pb_rfc_write(struct pb_rfc2217 *r, const u8 *buf, unsigned int len)
{
	int n = pb_uart_write(r->mode.port, buf, len);

	r->carry = buf + n;
	r->carry_len = len - n;
	return !r->carry_len;
}

/* One item of client input; false when the UART needs room first. */
static bool pb_rfc_decode_one(struct pb_rfc2217 *r)
{
	struct pb_port *port = r->mode.port;
	struct pb_telnet_item it;
	size_t used;

	used = pb_telnet_decode(&r->dec, r->in + r->in_off,
				r->in_len - r->in_off, pb_uart_room(port), &it);
	r->in_off += used;
	switch (it.type) {
	case PB_TELNET_DATA:
		return pb_rfc_write(r, it.data, it.len);
	case PB_TELNET_OPTION:
		pb_rfc_option(r, &it);
		break;
	case PB_TELNET_SUBNEG:
		pb_rfc_subneg(r, &it);
		break;
	case PB_TELNET_ERROR:
		pb_stat_inc(&port->stats.proto_errors);
		break;
	case PB_TELNET_COMMAND:
		/* NOP, AYT, BRK ...: nothing a serial line can do with. */
		break;
	case PB_TELNET_NONE:
		/* Data waits for room (or the input is used up). */
		return used > 0 || r->in_off == r->in_len;
	}
	return true;
}

static void pb_rfc_to_uart(struct pb_rfc2217 *r)
{
	struct pb_client *c = pb_rfc_client(r);
	struct pb_port *port = r->mode.port;
	unsigned int budget = PB_RFC_BUDGET;
	int n;

	while (c && !c->failed && pb_uart_open(port)) {
		if (r->carry_len && !pb_rfc_write(r, r->carry, r->carry_len))
			break;
		/* Answers must fit: wait for the client to read. */
		if (pb_client_room(c) < PB_RFC_RESERVE)
			break;
		if (!budget--) {
			queue_work(pb_wq, &port->rx_work);
			break;
		}
		if (r->in_off == r->in_len) {
			n = pb_client_recv(c, r->in, sizeof(r->in));
			if (n <= 0)
				break;
			r->in_off = 0;
			r->in_len = n;
		}
		if (!pb_rfc_decode_one(r)) {
			pb_uart_writable(port);
			break;
		}
	}
}

/* Input the UART has not taken yet keeps a closing client's data going. */
static bool pb_rfc_input_pending(struct pb_rfc2217 *r)
{
	return r->carry_len || r->in_off < r->in_len;
}

static void pb_rfc_reap(struct pb_rfc2217 *r)
{
	struct pb_client *c = pb_rfc_client(r);
	u8 reason;

	if (!c)
		return;
	reason = pb_client_check(c);
	if (reason == PB_REASON_NONE ||
	    (reason == PB_REASON_PEER_CLOSED && !c->failed &&
	     pb_rfc_input_pending(r)))
		return;
	pb_clients_close(&r->clients, 0, reason);
	pb_serial_restore(r->mode.port, true);
}

/* ---- mode ops ---- */

static void pb_rfc_listeners(const struct pb_config *cfg,
			     struct pb_listen_spec *want)
{
	want[PB_LISTEN_DATA].proto = IPPROTO_TCP;
	want[PB_LISTEN_DATA].port = cfg->local_port;
}

static bool pb_rfc_restart(const struct pb_config *old,
			   const struct pb_config *new)
{
	return old->local_port != new->local_port;
}

static struct pb_opmode *pb_rfc_create(struct pb_port *port,
				       const struct pb_config *cfg)
{
	struct pb_rfc2217 *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->mode.ops = &pb_rfc2217_ops;
	r->mode.port = port;
	pb_clients_init(&r->clients, port, 1);
	return &r->mode;
}

static void pb_rfc_start(struct pb_opmode *m)
{
	queue_work(pb_wq, &m->port->ctl_work);
}

static void pb_rfc_update(struct pb_opmode *m, const struct pb_config *old)
{
	pb_clients_keepalive(&pb_rfc(m)->clients);
}

static void pb_rfc_unhook(struct pb_opmode *m)
{
	pb_clients_unhook(&pb_rfc(m)->clients);
}

static void pb_rfc_destroy(struct pb_opmode *m, u8 reason)
{
	struct pb_rfc2217 *r = pb_rfc(m);
	bool session = pb_rfc_client(r);

	pb_clients_close_all(&r->clients, reason);
	if (session)
		pb_serial_restore(m->port, true);
	kfree(r);
}

/* Serial bytes that fit escaped (each may double), answers kept free. */
static unsigned int pb_rfc_room(struct pb_opmode *m)
{
	struct pb_rfc2217 *r = pb_rfc(m);
	struct pb_client *c = pb_rfc_client(r);
	unsigned int room;

	if (!c || c->failed)
		return UINT_MAX;
	if (r->suspended)
		return 0;
	room = pb_client_room(c);
	return room > PB_RFC_RESERVE ? (room - PB_RFC_RESERVE) / 2 : 0;
}

static void pb_rfc_send(struct pb_opmode *m, const u8 *buf, unsigned int len)
{
	struct pb_rfc2217 *r = pb_rfc(m);
	struct pb_client *c = pb_rfc_client(r);
	size_t plain, used, n;

	if (!c)
		return;
	while (len) {
		plain = pb_telnet_plain_len(buf, len);
		pb_client_queue(c, buf, plain);
		buf += plain;
		len -= plain;
		if (!len)
			break;
		n = pb_telnet_escape(r->esc, sizeof(r->esc), buf, len, &used);
		pb_client_queue(c, r->esc, n);
		buf += used;
		len -= used;
	}
}

static void pb_rfc_line_errors(struct pb_opmode *m, unsigned int errors)
{
	struct pb_rfc2217 *r = pb_rfc(m);
	u8 out[PB_RFC2217_REPLY_MAX];
	u8 state = 0;

	if (errors & PB_LINE_PARITY)
		state |= PB_RFC2217_LINE_PARITY;
	if (errors & PB_LINE_FRAME)
		state |= PB_RFC2217_LINE_FRAMING;
	if (errors & PB_LINE_OVERRUN)
		state |= PB_RFC2217_LINE_OVERRUN;
	if (errors & PB_LINE_BREAK)
		state |= PB_RFC2217_LINE_BREAK;
	state &= r->linestate_mask;
	if (r->com_port && state)
		pb_rfc_reply(r, out, pb_rfc2217_notify_linestate(out,
			     sizeof(out), state));
}

static void pb_rfc_net_rx(struct pb_opmode *m)
{
	struct pb_rfc2217 *r = pb_rfc(m);

	pb_rfc_to_uart(r);
	pb_rfc_reap(r);
}

static void pb_rfc_net_tx(struct pb_opmode *m)
{
	struct pb_rfc2217 *r = pb_rfc(m);
	struct pb_client *c = pb_rfc_client(r);

	pb_clients_flush(&r->clients);
	/* Input may have waited for room for its answers. */
	if (c && pb_client_room(c) >= PB_RFC_RESERVE)
		queue_work(pb_wq, &m->port->rx_work);
	pb_rfc_reap(r);
}

/* A new client: a fresh Telnet session with our opening requests. */
static void pb_rfc_accept_one(struct pb_rfc2217 *r, struct socket *sock)
{
	struct pb_port *port = r->mode.port;
	u8 out[PB_TELNET_NEG_START_MAX];
	struct pb_client *c;

	if (pb_rfc_client(r)) {
		pb_client_refuse(port, sock);
		return;
	}
	c = pb_client_new(port, sock);
	if (!c) {
		sock_release(sock);
		pb_stat_inc(&port->stats.net_errors);
		return;
	}
	pb_clients_add(&r->clients, c);
	pb_telnet_dec_init(&r->dec);
	r->com_port = false;
	r->suspended = false;
	r->brk = false;
	r->linestate_mask = 0;
	r->modemstate_mask = 0xff;
	r->in_off = 0;
	r->in_len = 0;
	r->carry_len = 0;
	pb_client_hook(c);
	pb_client_announce(c);
	pb_rfc_reply(r, out, pb_telnet_neg_start(&r->neg, out));
	queue_work(pb_wq, &port->rx_work);
}

static unsigned long pb_rfc_control(struct pb_opmode *m)
{
	struct pb_rfc2217 *r = pb_rfc(m);
	struct pb_listener *l = &m->port->listen[PB_LISTEN_DATA];
	struct socket *sock;
	unsigned long next;
	int err;

	pb_rfc_reap(r);
	while (!(err = pb_listener_accept(l, &sock))) {
		pb_sock_unhook_accepted(l, sock);
		pb_rfc_accept_one(r, sock);
	}
	if (err != -EAGAIN)
		pb_stat_inc(&m->port->stats.net_errors);
	next = pb_clients_timeouts(&r->clients, true);
	if (pb_rfc_client(r))
		pb_rfc_reap(r);
	if (!pb_rfc_client(r))
		return next;
	pb_rfc_modem_check(r);
	return pb_deadline_min(next, jiffies + PB_MODEM_POLL);
}

const struct pb_opmode_ops pb_rfc2217_ops = {
	.mode		= PB_MODE_RFC2217,
	.listeners	= pb_rfc_listeners,
	.restart	= pb_rfc_restart,
	.create		= pb_rfc_create,
	.start		= pb_rfc_start,
	.update		= pb_rfc_update,
	.unhook		= pb_rfc_unhook,
	.destroy	= pb_rfc_destroy,
	.room		= pb_rfc_room,
	.send		= pb_rfc_send,
	.line_errors	= pb_rfc_line_errors,
	.net_rx		= pb_rfc_net_rx,
	.net_tx		= pb_rfc_net_tx,
	.control	= pb_rfc_control,
};
