// SPDX-License-Identifier: GPL-2.0
/*
 * Real COM (ASPP) command channel, device side.  See realcom.h.
 */
#include "realcom.h"

enum {
	RC_ECHO,	/* the IPv6 handshake's 16 bytes */
	RC_OP,
	RC_LEN,
	RC_PAYLOAD,
};

enum {
	REPLY_NONE,
	REPLY_OK,	/* op 'O' 'K' */
	REPLY_LINES,	/* op 03 DSR CTS DCD */
	REPLY_QUEUE,	/* op 02 lo hi */
};

/* Every opcode the device accepts: payload it needs, answer it gets. */
static const struct rc_op {
	u8 op;
	u8 need;
	u8 reply;
} rc_ops[] = {
	{ PB_REALCOM_IOCTL, 2, REPLY_OK },
	{ PB_REALCOM_FLOWCTRL, 4, REPLY_OK },
	{ PB_REALCOM_LINECTRL, 2, REPLY_OK },
	{ PB_REALCOM_LSTATUS, 0, REPLY_LINES },
	{ PB_REALCOM_FLUSH, 1, REPLY_OK },
	{ PB_REALCOM_IQUEUE, 0, REPLY_QUEUE },
	{ PB_REALCOM_OQUEUE, 0, REPLY_QUEUE },
	{ PB_REALCOM_SETBAUD, 4, REPLY_OK },
	{ PB_REALCOM_XONXOFF, 2, REPLY_OK },
	{ PB_REALCOM_START_BREAK, 0, REPLY_OK },
	{ PB_REALCOM_STOP_BREAK, 0, REPLY_OK },
	{ PB_REALCOM_START_NOTIFY, 0, REPLY_OK },
	{ PB_REALCOM_STOP_NOTIFY, 0, REPLY_OK },
	{ PB_REALCOM_ALIVE, 1, REPLY_NONE },
	{ PB_REALCOM_HOST, 0, REPLY_OK },
	{ PB_REALCOM_PORT_INIT, 8, REPLY_LINES },
	{ PB_REALCOM_WAIT_OQUEUE, 0, REPLY_QUEUE },
	{ PB_REALCOM_TX_FIFO, 1, REPLY_OK },
	{ PB_REALCOM_SETXON, 0, REPLY_OK },
	{ PB_REALCOM_SETXOFF, 0, REPLY_OK },
};

static const struct rc_op *find_op(u8 op)
{
	unsigned int i;

	for (i = 0; i < PB_NELEMS(rc_ops); i++)
		if (rc_ops[i].op == op)
			return &rc_ops[i];
	return NULL;
}

static const u32 baud_rates[] = {
	300, 600, 1200, 2400, 4800, 7200, 9600, 19200, 38400, 57600,
	115200, 230400, 460800, 921600, 150, 134, 110, 75, 50,
};

u32 pb_realcom_baud(u8 index)
{
	return index < PB_NELEMS(baud_rates) ? baud_rates[index] : 0;
}

void pb_realcom_init(struct pb_realcom_parser *p, bool ipv6_echo)
{
	p->state = ipv6_echo ? RC_ECHO : RC_OP;
	p->op = 0;
	p->len = 0;
	p->got = 0;
	p->errors = 0;
}

/* Baud index and mode byte of PORT_INIT and IOCTL. */
static enum pb_realcom_error decode_format(struct pb_realcom_cmd *cmd,
					   u8 index, u8 mode)
{
	static const u8 parity[] = {
		PB_PARITY_NONE, PB_PARITY_EVEN, PB_PARITY_ODD,
		PB_PARITY_MARK, PB_PARITY_SPACE,
	};
	u8 code = (mode >> 3) & 0x07;

	cmd->baud_index = index;
	cmd->baud = pb_realcom_baud(index);
	cmd->data_bits = 5 + (mode & 0x03);
	cmd->stop_bits = mode & 0x04 ? 2 : 1;
	/* bits 6 and 7 are not used by any host driver: ignored */
	if (code >= PB_NELEMS(parity) ||
	    (!cmd->baud && index != PB_REALCOM_BAUD_KEEP))
		return PB_REALCOM_ERR_VALUE;
	cmd->parity = parity[code];
	return PB_REALCOM_ERR_NONE;
}

static enum pb_realcom_error decode_payload(struct pb_realcom_cmd *cmd,
					    const u8 *b)
{
	u32 baud;

	switch (cmd->op) {
	case PB_REALCOM_PORT_INIT:
		cmd->dtr = b[2];
		cmd->rts = b[3];
		cmd->rts_flow = b[4];
		cmd->cts_flow = b[5];
		cmd->ixon = b[6];
		cmd->ixoff = b[7];
		return decode_format(cmd, b[0], b[1]);
	case PB_REALCOM_IOCTL:
		return decode_format(cmd, b[0], b[1]);
	case PB_REALCOM_SETBAUD:
		baud = b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 |
		       (u32)b[3] << 24;
		/* an int32 on the host: 0 and negative rates are nonsense */
		if (!baud || baud > 0x7fffffff)
			return PB_REALCOM_ERR_VALUE;
		cmd->baud = baud;
		return PB_REALCOM_ERR_NONE;
	case PB_REALCOM_XONXOFF:
		cmd->xon = b[0];
		cmd->xoff = b[1];
		return PB_REALCOM_ERR_NONE;
	case PB_REALCOM_TX_FIFO:
		cmd->fifo = b[0] > 1;
		return PB_REALCOM_ERR_NONE;
	case PB_REALCOM_LINECTRL:
		cmd->dtr = b[0];
		cmd->rts = b[1];
		return PB_REALCOM_ERR_NONE;
	case PB_REALCOM_FLUSH:
		cmd->flush = b[0];
		return b[0] > PB_REALCOM_FLUSH_BOTH ? PB_REALCOM_ERR_VALUE :
						      PB_REALCOM_ERR_NONE;
	case PB_REALCOM_FLOWCTRL:
		cmd->rts_flow = b[0];
		cmd->cts_flow = b[1];
		cmd->ixon = b[2];
		cmd->ixoff = b[3];
		return PB_REALCOM_ERR_NONE;
	case PB_REALCOM_ALIVE:
		cmd->id = b[0];
		return PB_REALCOM_ERR_NONE;
	default:
		return PB_REALCOM_ERR_NONE;
	}
}

static void clear_cmd(struct pb_realcom_cmd *cmd)
{
	*cmd = (struct pb_realcom_cmd){ .type = PB_REALCOM_NONE };
}

/* The last payload byte of p->op arrived: decode the command. */
static void finish(struct pb_realcom_parser *p, struct pb_realcom_cmd *cmd)
{
	const struct rc_op *op = find_op(p->op);
	enum pb_realcom_error err;

	p->state = RC_OP;
	cmd->op = p->op;
	cmd->payload = p->buf;
	cmd->len = p->len;
	if (!op)
		err = PB_REALCOM_ERR_UNKNOWN;
	else if (p->len < op->need)
		err = PB_REALCOM_ERR_LENGTH;
	else if (op->need && p->len > PB_REALCOM_PAYLOAD_MAX)
		err = PB_REALCOM_ERR_TOO_LONG;
	else
		err = decode_payload(cmd, p->buf);
	cmd->error = err;
	cmd->type = err ? PB_REALCOM_ERROR : PB_REALCOM_CMD;
	if (err)
		p->errors++;
}

size_t pb_realcom_parse(struct pb_realcom_parser *p, const u8 *in, size_t len,
			struct pb_realcom_cmd *cmd)
{
	size_t i = 0;

	clear_cmd(cmd);
	while (i < len && cmd->type == PB_REALCOM_NONE) {
		u8 c = in[i++];

		switch (p->state) {
		case RC_ECHO:
			p->buf[p->got++] = c;
			if (p->got == PB_REALCOM_ECHO_LEN) {
				p->state = RC_OP;
				cmd->type = PB_REALCOM_ECHO;
				cmd->payload = p->buf;
				cmd->len = PB_REALCOM_ECHO_LEN;
			}
			break;
		case RC_OP:
			p->op = c;
			p->state = RC_LEN;
			break;
		case RC_LEN:
			p->len = c;
			p->got = 0;
			p->state = RC_PAYLOAD;
			if (!c)
				finish(p, cmd);
			break;
		default: /* RC_PAYLOAD */
			if (p->got < PB_REALCOM_PAYLOAD_MAX)
				p->buf[p->got] = c;
			if (++p->got == p->len)
				finish(p, cmd);
			break;
		}
	}
	return i;
}

static u8 reply_kind(u8 op)
{
	const struct rc_op *o = find_op(op);

	return o ? o->reply : REPLY_NONE;
}

size_t pb_realcom_reply_ok(u8 *out, u8 op)
{
	if (reply_kind(op) != REPLY_OK)
		return 0;
	out[0] = op;
	out[1] = 'O';
	out[2] = 'K';
	return 3;
}

size_t pb_realcom_reply_lines(u8 *out, u8 op, bool dsr, bool cts, bool dcd)
{
	if (reply_kind(op) != REPLY_LINES)
		return 0;
	out[0] = op;
	out[1] = 3;
	out[2] = dsr;
	out[3] = cts;
	out[4] = dcd;
	return 5;
}

size_t pb_realcom_reply_queue(u8 *out, u8 op, u32 count)
{
	if (reply_kind(op) != REPLY_QUEUE)
		return 0;
	if (count > 0xffff)
		count = 0xffff;
	/*
	 * The host computes hi * 16 + lo in a small type: a non-empty queue
	 * must keep a non-zero low byte or it may read as empty.
	 */
	if (count && !(count & 0xff))
		count--;
	out[0] = op;
	out[1] = 2;
	out[2] = count & 0xff;
	out[3] = count >> 8;
	return 4;
}

size_t pb_realcom_reply(const struct pb_realcom_cmd *cmd,
			const struct pb_realcom_status *st, u8 *out)
{
	if (cmd->type != PB_REALCOM_CMD && cmd->type != PB_REALCOM_ERROR)
		return 0;
	switch (reply_kind(cmd->op)) {
	case REPLY_OK:
		return pb_realcom_reply_ok(out, cmd->op);
	case REPLY_LINES:
		return pb_realcom_reply_lines(out, cmd->op, st->dsr, st->cts,
					      st->dcd);
	case REPLY_QUEUE:
		return pb_realcom_reply_queue(out, cmd->op,
					      cmd->op == PB_REALCOM_IQUEUE ?
					      st->iqueue : st->oqueue);
	default:
		return 0;
	}
}

size_t pb_realcom_notify(u8 *out, u8 events, u8 msr)
{
	out[0] = PB_REALCOM_NOTIFY;
	out[1] = events;
	out[2] = msr;
	out[3] = 0;
	return 4;
}

size_t pb_realcom_polling(u8 *out, u8 id)
{
	out[0] = PB_REALCOM_POLLING;
	out[1] = 1;
	out[2] = id;
	return 3;
}
