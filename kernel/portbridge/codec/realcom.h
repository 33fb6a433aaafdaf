/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real COM (ASPP) command channel, device side, as described in
 * realcom-protocol.md (what Moxa's npreal2 host driver sends and expects).
 *
 * Host to device.  Commands are [opcode][len][len bytes], several per TCP
 * segment or one split over many.  pb_realcom_parse() takes the bytes in
 * chunks of any size and returns one whole command per call, so the
 * caller answers each before parsing the next (strict request -> reply).
 * The state is bounded: payloads are kept up to PB_REALCOM_PAYLOAD_MAX
 * bytes, and longer ones are consumed to their end and reported.  Framing
 * is by the length byte only, so no input can desynchronise the stream:
 *  - an unknown opcode is skipped with its payload (PB_REALCOM_ERR_UNKNOWN);
 *  - a payload shorter than its command needs (PB_REALCOM_ERR_LENGTH),
 *    a payload to decode longer than PB_REALCOM_PAYLOAD_MAX
 *    (PB_REALCOM_ERR_TOO_LONG) or a value that cannot be used
 *    (PB_REALCOM_ERR_VALUE) is reported with its opcode: apply nothing,
 *    but still answer it (pb_realcom_reply() does), because the host
 *    waits 10 s for every answer.
 * Payloads longer than a command needs are accepted and the extra bytes
 * ignored; so are payloads of any length for commands that have none
 * (START_NOTIFY, HOST, WAIT_OQUEUE's timeout ...).  Over IPv6 the host first writes 16 bytes that must be echoed:
 * pb_realcom_init(p, true) makes that the first event.
 *
 * Device to host.  The host splits what it reads by a fixed length per
 * opcode and never joins a reply split across reads: send every reply
 * whole in one send, never more than PB_REALCOM_SEND_MAX bytes at once.
 * The encoders only produce the opcodes and lengths the host knows (never
 * 0x20, 0x2E, 0x28 or an unknown opcode), and the PORT_INIT answer always
 * has the line states, never the FF FF FF that crashes the host driver.
 */
#ifndef _PB_CODEC_REALCOM_H
#define _PB_CODEC_REALCOM_H

#include <linux/portbridge.h>
#include "types.h"

#define PB_REALCOM_IOCTL	0x10	/* len 2: baud index, mode */
#define PB_REALCOM_FLOWCTRL	0x11	/* len 4: RTS, CTS flow, IXON, IXOFF */
#define PB_REALCOM_LINECTRL	0x12	/* len 2: DTR, RTS */
#define PB_REALCOM_LSTATUS	0x13
#define PB_REALCOM_FLUSH	0x14	/* len 1: 0 rx, 1 tx, 2 both */
#define PB_REALCOM_IQUEUE	0x15
#define PB_REALCOM_OQUEUE	0x16
#define PB_REALCOM_SETBAUD	0x17	/* len 4: int32, little-endian */
#define PB_REALCOM_XONXOFF	0x18	/* len 2: XON, XOFF characters */
#define PB_REALCOM_START_BREAK	0x21
#define PB_REALCOM_STOP_BREAK	0x22
#define PB_REALCOM_START_NOTIFY	0x24
#define PB_REALCOM_STOP_NOTIFY	0x25
#define PB_REALCOM_NOTIFY	0x26	/* device -> host only */
#define PB_REALCOM_POLLING	0x27	/* device -> host only */
#define PB_REALCOM_ALIVE	0x28	/* len 1: the host's POLLING answer */
#define PB_REALCOM_HOST		0x2b
#define PB_REALCOM_PORT_INIT	0x2c	/* len 8, see struct pb_realcom_cmd */
#define PB_REALCOM_WAIT_OQUEUE	0x2f	/* len 4: host timeout, ignored */
#define PB_REALCOM_TX_FIFO	0x30	/* len 1: 16 on, 1 off */
#define PB_REALCOM_SETXON	0x33
#define PB_REALCOM_SETXOFF	0x34

#define PB_REALCOM_BAUD_KEEP	0xff	/* baud index: SETBAUD follows */

#define PB_REALCOM_FLUSH_RX	0
#define PB_REALCOM_FLUSH_TX	1
#define PB_REALCOM_FLUSH_BOTH	2

/* NOTIFY event bits */
#define PB_REALCOM_EV_PARITY	0x01
#define PB_REALCOM_EV_FRAMING	0x02
#define PB_REALCOM_EV_HW_OVERRUN 0x04
#define PB_REALCOM_EV_SW_OVERRUN 0x08
#define PB_REALCOM_EV_BREAK	0x10
#define PB_REALCOM_EV_MSR	0x20

/* NOTIFY modem status: absolute states, 16550 layout */
#define PB_REALCOM_MSR_CTS	0x10
#define PB_REALCOM_MSR_DSR	0x20
#define PB_REALCOM_MSR_DCD	0x80

#define PB_REALCOM_PAYLOAD_MAX	16
#define PB_REALCOM_ECHO_LEN	16	/* IPv6 handshake */
#define PB_REALCOM_REPLY_MAX	5	/* longest reply or notification */
#define PB_REALCOM_SEND_MAX	84	/* most the host reads at once */

enum pb_realcom_event {
	PB_REALCOM_NONE,	/* input used up inside a command */
	PB_REALCOM_CMD,		/* a command: op and its fields */
	PB_REALCOM_ECHO,	/* payload: the 16 bytes to send back */
	PB_REALCOM_ERROR,	/* error (and op): skipped, see above */
};

enum pb_realcom_error {
	PB_REALCOM_ERR_NONE,
	PB_REALCOM_ERR_UNKNOWN,		/* opcode not for the device */
	PB_REALCOM_ERR_LENGTH,		/* payload too short */
	PB_REALCOM_ERR_TOO_LONG,	/* payload beyond the buffer */
	PB_REALCOM_ERR_VALUE,		/* baud index, mode, rate, flush */
};

struct pb_realcom_cmd {
	enum pb_realcom_event type;
	enum pb_realcom_error error;
	u8 op;
	/* PORT_INIT, IOCTL: the line format */
	u8 baud_index;		/* PB_REALCOM_BAUD_KEEP or 0 .. 18 */
	u8 data_bits;		/* 5 .. 8 */
	u8 stop_bits;		/* 1 or 2 (1.5 with 5 data bits) */
	u8 parity;		/* enum pb_parity */
	/* PORT_INIT: baud from the index (0 = keep); SETBAUD: the rate */
	u32 baud;
	/* PORT_INIT, LINECTRL */
	bool dtr;
	bool rts;
	/* PORT_INIT, FLOWCTRL: both rts_flow and cts_flow for RTS/CTS */
	bool rts_flow;
	bool cts_flow;
	bool ixon;
	bool ixoff;
	u8 xon;			/* XONXOFF */
	u8 xoff;
	bool fifo;		/* TX_FIFO */
	u8 flush;		/* FLUSH: PB_REALCOM_FLUSH_* */
	u8 id;			/* ALIVE: the id of our POLLING */
	const u8 *payload;	/* the raw payload (as kept), or the echo */
	u8 len;			/* its length as announced (ECHO: 16) */
};

struct pb_realcom_parser {
	u8 state;
	u8 op;
	u8 len;
	u8 got;
	u32 errors;		/* PB_REALCOM_ERROR events returned */
	u8 buf[PB_REALCOM_PAYLOAD_MAX];
};

/* What the device answers with. */
struct pb_realcom_status {
	bool dsr;
	bool cts;
	bool dcd;
	u32 iqueue;	/* received bytes not yet sent to the host */
	u32 oqueue;	/* bytes not yet transmitted (0 only when empty) */
};

void pb_realcom_init(struct pb_realcom_parser *p, bool ipv6_echo);

/*
 * Parse from in[0..len): returns the bytes consumed and fills *cmd with
 * the event they completed (PB_REALCOM_NONE if none); call again with the
 * rest.  cmd->payload points into the parser, valid until the next call.
 */
size_t pb_realcom_parse(struct pb_realcom_parser *p, const u8 *in, size_t len,
			struct pb_realcom_cmd *cmd);

/* The rate of a baud index, 0 for PB_REALCOM_BAUD_KEEP or invalid ones. */
u32 pb_realcom_baud(u8 index);

/*
 * The answer to a command (PB_REALCOM_CMD, or PB_REALCOM_ERROR with a
 * known opcode) in out (PB_REALCOM_REPLY_MAX bytes): returns its length,
 * 0 when nothing is to be sent (ALIVE, unknown opcodes, ECHO).
 */
size_t pb_realcom_reply(const struct pb_realcom_cmd *cmd,
			const struct pb_realcom_status *st, u8 *out);

/*
 * The single replies; each returns 0 for an opcode that has no such
 * reply, so nothing the host cannot split is ever produced.
 */
size_t pb_realcom_reply_ok(u8 *out, u8 op);		/* op 'O' 'K' */
size_t pb_realcom_reply_lines(u8 *out, u8 op, bool dsr, bool cts,
			      bool dcd);		/* op 03 DSR CTS DCD */
size_t pb_realcom_reply_queue(u8 *out, u8 op, u32 count); /* op 02 lo hi */

/* Unsolicited: NOTIFY 26 EV MSR 00 (4 bytes), POLLING 27 01 id (3). */
size_t pb_realcom_notify(u8 *out, u8 events, u8 msr);
size_t pb_realcom_polling(u8 *out, u8 id);

#endif /* _PB_CODEC_REALCOM_H */
