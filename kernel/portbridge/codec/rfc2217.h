/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 2217 COM-PORT-OPTION for the access server (the device).
 *
 * pb_rfc2217_parse() decodes the value of one COM-PORT-OPTION
 * subnegotiation from the client (what pb_telnet_decode() returns as a
 * PB_TELNET_SUBNEG item with option PB_TN_OPT_COM_PORT) into a struct
 * pb_rfc2217_cmd for the caller to apply.  The encoders build the
 * server's answers (command + 100) and notifications as whole Telnet
 * subnegotiations, IAC SB 44 code value IAC SE, with every 0xFF in the
 * value doubled.
 *
 * What clients expect (pyserial 3.5, gensio 2.6):
 *  - SET-BAUDRATE, SET-DATASIZE, SET-PARITY, SET-STOPSIZE: an answer with
 *    the value now in use; pyserial's open() fails unless each answer
 *    equals what it asked for, so answer a value that cannot be used with
 *    the current one.  Value 0 asks for the current setting.
 *  - SET-CONTROL: pyserial waits for the answer to flow control, DTR and
 *    RTS and compares it with its request: answer the same value for a
 *    setting, the current state (e.g. DTR_ON or DTR_OFF) for a query.
 *  - PURGE-DATA: pyserial waits for the answer (same value).
 *  - NOTIFY-LINESTATE, NOTIFY-MODEMSTATE from the client are polls: answer
 *    with the current state.  Send NOTIFY-MODEMSTATE when the client turns
 *    COM-PORT-OPTION on and on every change under the modem-state mask
 *    (pyserial raises an error reading CTS/DSR/RI/CD before the first).
 *  - SIGNATURE without text asks for ours; with text it is the client's.
 *  - gensio accepts a one-byte (Cisco IOS style) SET-BAUDRATE and expects
 *    the answer in the same form; cmd.cisco says so.
 * SET-LINESTATE-MASK, SET-MODEMSTATE-MASK are answered with the mask;
 * FLOWCONTROL-SUSPEND/RESUME (stop/restart sending serial data to the
 * client) have no answer.
 */
#ifndef _PB_CODEC_RFC2217_H
#define _PB_CODEC_RFC2217_H

#include "types.h"

/* Client to access server; the server's answers are these + 100. */
#define PB_RFC2217_SIGNATURE		0
#define PB_RFC2217_SET_BAUDRATE		1
#define PB_RFC2217_SET_DATASIZE		2
#define PB_RFC2217_SET_PARITY		3
#define PB_RFC2217_SET_STOPSIZE		4
#define PB_RFC2217_SET_CONTROL		5
#define PB_RFC2217_NOTIFY_LINESTATE	6
#define PB_RFC2217_NOTIFY_MODEMSTATE	7
#define PB_RFC2217_FLOWCONTROL_SUSPEND	8
#define PB_RFC2217_FLOWCONTROL_RESUME	9
#define PB_RFC2217_SET_LINESTATE_MASK	10
#define PB_RFC2217_SET_MODEMSTATE_MASK	11
#define PB_RFC2217_PURGE_DATA		12
#define PB_RFC2217_SERVER		100	/* added to the answers */

/* SET-PARITY values; minus one they are enum pb_parity. */
#define PB_RFC2217_PARITY_NONE		1
#define PB_RFC2217_PARITY_ODD		2
#define PB_RFC2217_PARITY_EVEN		3
#define PB_RFC2217_PARITY_MARK		4
#define PB_RFC2217_PARITY_SPACE		5

/* SET-STOPSIZE values */
#define PB_RFC2217_STOPSIZE_1		1
#define PB_RFC2217_STOPSIZE_2		2
#define PB_RFC2217_STOPSIZE_1_5		3

/* SET-CONTROL values */
#define PB_RFC2217_CTL_FLOW_QUERY	0	/* outbound (or both) */
#define PB_RFC2217_CTL_FLOW_NONE	1
#define PB_RFC2217_CTL_FLOW_XONXOFF	2
#define PB_RFC2217_CTL_FLOW_HARDWARE	3
#define PB_RFC2217_CTL_BREAK_QUERY	4
#define PB_RFC2217_CTL_BREAK_ON		5
#define PB_RFC2217_CTL_BREAK_OFF	6
#define PB_RFC2217_CTL_DTR_QUERY	7
#define PB_RFC2217_CTL_DTR_ON		8
#define PB_RFC2217_CTL_DTR_OFF		9
#define PB_RFC2217_CTL_RTS_QUERY	10
#define PB_RFC2217_CTL_RTS_ON		11
#define PB_RFC2217_CTL_RTS_OFF		12
#define PB_RFC2217_CTL_INFLOW_QUERY	13
#define PB_RFC2217_CTL_INFLOW_NONE	14
#define PB_RFC2217_CTL_INFLOW_XONXOFF	15
#define PB_RFC2217_CTL_INFLOW_HARDWARE	16
#define PB_RFC2217_CTL_FLOW_DCD		17
#define PB_RFC2217_CTL_INFLOW_DTR	18
#define PB_RFC2217_CTL_FLOW_DSR		19

/* NOTIFY-LINESTATE bits */
#define PB_RFC2217_LINE_TIMEOUT		0x80
#define PB_RFC2217_LINE_TSR_EMPTY	0x40
#define PB_RFC2217_LINE_THR_EMPTY	0x20
#define PB_RFC2217_LINE_BREAK		0x10
#define PB_RFC2217_LINE_FRAMING		0x08
#define PB_RFC2217_LINE_PARITY		0x04
#define PB_RFC2217_LINE_OVERRUN		0x02
#define PB_RFC2217_LINE_DATA_READY	0x01

/* NOTIFY-MODEMSTATE bits: states in the high nibble, changes in the low */
#define PB_RFC2217_MODEM_CD		0x80
#define PB_RFC2217_MODEM_RI		0x40
#define PB_RFC2217_MODEM_DSR		0x20
#define PB_RFC2217_MODEM_CTS		0x10
#define PB_RFC2217_MODEM_CD_DELTA	0x08
#define PB_RFC2217_MODEM_RI_TRAIL	0x04
#define PB_RFC2217_MODEM_DSR_DELTA	0x02
#define PB_RFC2217_MODEM_CTS_DELTA	0x01

/* PURGE-DATA values */
#define PB_RFC2217_PURGE_RX		1	/* the server's receive buffer */
#define PB_RFC2217_PURGE_TX		2	/* its transmit buffer */
#define PB_RFC2217_PURGE_BOTH		3

enum pb_rfc2217_error {
	PB_RFC2217_OK,
	PB_RFC2217_ERR_EMPTY,		/* no command byte */
	PB_RFC2217_ERR_UNKNOWN,		/* not a command of RFC 2217 */
	PB_RFC2217_ERR_DIRECTION,	/* a server's code (100..112) */
	PB_RFC2217_ERR_LENGTH,		/* wrong value length: ignore */
	PB_RFC2217_ERR_VALUE,		/* out of range: answer with the
					 * current setting
					 */
};

struct pb_rfc2217_cmd {
	u8 code;		/* PB_RFC2217_SIGNATURE .. PURGE_DATA */
	u8 value;		/* the one-byte value of commands 2..12 */
	bool cisco;		/* SET-BAUDRATE as a one-byte Cisco index */
	u32 baud;		/* SET-BAUDRATE; 0 = query */
	/* SIGNATURE: the client's text, in the caller's buffer; none asks */
	const u8 *text;
	size_t text_len;
};

/*
 * Longest answer but SIGNATURE: IAC SB 44 code, 4 value bytes doubled,
 * IAC SE.
 */
#define PB_RFC2217_REPLY_MAX		14

/*
 * Decode value[0..len), the bytes after the option byte 44.  Returns
 * PB_RFC2217_OK or an error; cmd->code is valid for every error but
 * PB_RFC2217_ERR_EMPTY, and for PB_RFC2217_ERR_VALUE the command is
 * whole but its value cannot be used.
 */
enum pb_rfc2217_error pb_rfc2217_parse(const u8 *value, size_t len,
				       struct pb_rfc2217_cmd *cmd);

/* A short, constant description of an error, for the log. */
const char *pb_rfc2217_strerror(enum pb_rfc2217_error err);

/*
 * The encoders return the length written, or 0 (nothing written) if out
 * cannot hold it; PB_RFC2217_REPLY_MAX bytes always can.
 */

/* Server command code (100..112) with any value. */
size_t pb_rfc2217_encode(u8 *out, size_t size, u8 code, const u8 *value,
			 size_t len);
/* SET-BAUDRATE answer: four bytes, network order, or one Cisco byte. */
size_t pb_rfc2217_reply_baud(u8 *out, size_t size, u32 baud, bool cisco);
/* Answer to client command code (2..12) with a one-byte value. */
size_t pb_rfc2217_reply_value(u8 *out, size_t size, u8 code, u8 value);
/* SIGNATURE answer with our text (needs 6 + 2 * len bytes at most). */
size_t pb_rfc2217_reply_signature(u8 *out, size_t size, const u8 *text,
				  size_t len);
/* NOTIFY-LINESTATE (106) and NOTIFY-MODEMSTATE (107). */
size_t pb_rfc2217_notify_linestate(u8 *out, size_t size, u8 state);
size_t pb_rfc2217_notify_modemstate(u8 *out, size_t size, u8 state);
/* FLOWCONTROL-SUSPEND (108) or -RESUME (109) towards the client. */
size_t pb_rfc2217_flowcontrol(u8 *out, size_t size, bool suspend);

/*
 * The NOTIFY-MODEMSTATE byte for lines "now" (PB_RFC2217_MODEM_CD, RI,
 * DSR, CTS) after "before": the states plus a delta bit for each line
 * that changed (RI's only when it went off, the trailing edge).
 */
u8 pb_rfc2217_modemstate(u8 now, u8 before);

/* Cisco IOS one-byte rates: 0 if the index or the rate has none. */
u32 pb_rfc2217_cisco_to_baud(u8 index);
u8 pb_rfc2217_baud_to_cisco(u32 baud);

#endif /* _PB_CODEC_RFC2217_H */
