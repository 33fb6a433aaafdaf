/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Telnet (RFC 854, 855) for the server side of an RFC 2217 port.
 *
 * Decoder.  pb_telnet_decode() takes the client's bytes in chunks of any
 * size and returns one item per call, in stream order: a span of serial
 * data, an option request, a command, a whole subnegotiation or an error.
 * Its state is a few bytes and one bounded subnegotiation buffer, so a
 * command split over any number of TCP segments decodes as if it came in
 * one piece.  Data spans point into the caller's input: the caller writes
 * them to the UART without copying.  "room" caps how much data one call may
 * return (what the UART can take now); with room 0 the decoder stops in
 * front of the next data byte and consumes nothing more, so nothing is
 * lost and events are never handled ahead of the data before them.
 *
 * Binary mode.  The server asks for BINARY in both directions, and the
 * RFC 854 end-of-line rules (CR NUL, CR LF) are never applied: every data
 * byte goes to the UART unchanged, even from a client that refused BINARY.
 * A serial line is a byte pipe; dropping a NUL after CR would corrupt
 * binary protocols (Modbus RTU, firmware uploads) for a rule made for
 * terminals.
 *
 * Malformed input is skipped and reported as a PB_TELNET_ERROR item (and
 * counted in pb_telnet_dec.errors), never crashes or desynchronises:
 *  - a subnegotiation longer than PB_TELNET_SB_MAX is dropped at its
 *    IAC SE (the buffer is never overrun);
 *  - IAC followed by neither IAC nor SE inside a subnegotiation drops both
 *    bytes and, at IAC SE, the whole subnegotiation;
 *  - IAC SB IAC SE (no option), IAC SE outside a subnegotiation and IAC
 *    followed by an undefined command byte (below 240) are dropped.
 * A subnegotiation ends only at IAC SE, as RFC 855 says; until then the
 * bytes are option data, not serial data.
 *
 * Encoder.  pb_telnet_escape() doubles IAC in serial data into a caller
 * buffer, never splitting an IAC IAC pair, and says how much input it
 * took; pb_telnet_plain_len() finds the prefix that needs no escaping, to
 * send straight from the caller's buffer.
 *
 * Negotiation.  struct pb_telnet_neg runs RFC 1143's Q method for BINARY,
 * SGA and COM-PORT-OPTION: it never loops with a client that negotiates
 * correctly, and never answers one message with more than one.  Every
 * other option is refused, and refusals of it are not answered.
 * The server asks WILL BINARY, DO BINARY and WILL SGA, and agrees when the
 * client asks for any of the three options on either side (pyserial sends
 * WILL and DO COM-PORT-OPTION, gensio WILL COM-PORT-OPTION and waits for
 * DO).
 */
#ifndef _PB_CODEC_TELNET_H
#define _PB_CODEC_TELNET_H

#include "types.h"

#define PB_TN_SE		240
#define PB_TN_NOP		241
#define PB_TN_DM		242
#define PB_TN_BRK		243
#define PB_TN_IP		244
#define PB_TN_AO		245
#define PB_TN_AYT		246
#define PB_TN_EC		247
#define PB_TN_EL		248
#define PB_TN_GA		249
#define PB_TN_SB		250
#define PB_TN_WILL		251
#define PB_TN_WONT		252
#define PB_TN_DO		253
#define PB_TN_DONT		254
#define PB_TN_IAC		255

#define PB_TN_OPT_BINARY	0
#define PB_TN_OPT_ECHO		1
#define PB_TN_OPT_SGA		3
#define PB_TN_OPT_COM_PORT	44

/* Option byte and value of one subnegotiation, after unescaping. */
#define PB_TELNET_SB_MAX	64

enum pb_telnet_item_type {
	PB_TELNET_NONE,		/* input used up, or data waits for room */
	PB_TELNET_DATA,		/* data, len: serial bytes in the input */
	PB_TELNET_OPTION,	/* cmd (DO, DONT, WILL, WONT), option */
	PB_TELNET_COMMAND,	/* cmd: NOP, DM, BRK, IP, AO, AYT, EC, EL, GA */
	PB_TELNET_SUBNEG,	/* option; data, len: its value unescaped
				 * (valid until the next call)
				 */
	PB_TELNET_ERROR,	/* error: malformed input was skipped */
};

enum pb_telnet_error {
	PB_TELNET_ERR_NONE,
	PB_TELNET_ERR_SB_OVERFLOW,	/* subnegotiation too long */
	PB_TELNET_ERR_SB_IAC,		/* IAC + other than IAC or SE in SB */
	PB_TELNET_ERR_SB_EMPTY,		/* IAC SB IAC SE */
	PB_TELNET_ERR_STRAY_SE,		/* IAC SE outside SB */
	PB_TELNET_ERR_COMMAND,		/* IAC + byte below 240 */
};

struct pb_telnet_item {
	enum pb_telnet_item_type type;
	enum pb_telnet_error error;
	u8 cmd;
	u8 option;
	const u8 *data;
	size_t len;
};

struct pb_telnet_dec {
	u8 state;
	u8 verb;		/* DO/DONT/WILL/WONT waiting for its option */
	u8 sb_error;		/* enum pb_telnet_error of this SB */
	u16 sb_len;
	u32 errors;		/* PB_TELNET_ERROR items returned */
	u8 sb[PB_TELNET_SB_MAX];
};

void pb_telnet_dec_init(struct pb_telnet_dec *d);

/*
 * Decode from in[0..len): returns how many bytes were consumed (0 .. len)
 * and fills *it with what they produced (PB_TELNET_NONE if nothing).  The
 * caller calls again with the rest.  A DATA item has 1 .. room bytes.
 * PB_TELNET_NONE with bytes left over means data waits for room.
 */
size_t pb_telnet_decode(struct pb_telnet_dec *d, const u8 *in, size_t len,
			size_t room, struct pb_telnet_item *it);

/* Length of the prefix of in[] without IAC: it can be sent as it is. */
size_t pb_telnet_plain_len(const u8 *in, size_t len);

/* Bytes pb_telnet_escape() makes of in[0..len). */
size_t pb_telnet_escaped_len(const u8 *in, size_t len);

/*
 * Escape in[0..len) into out[0..size): returns the bytes written and sets
 * *consumed to the input bytes they hold.  Stops early when out is full;
 * an IAC whose pair does not fit is left for the next call.
 */
size_t pb_telnet_escape(u8 *out, size_t size, const u8 *in, size_t len,
			size_t *consumed);

/* IAC verb option: returns 3, or 0 if size < 3. */
size_t pb_telnet_option(u8 *out, size_t size, u8 verb, u8 option);

/*
 * IAC SB option value IAC SE with option and value escaped: returns its
 * length, or 0 (nothing written) if it does not fit in size.
 */
size_t pb_telnet_subneg(u8 *out, size_t size, u8 option, const u8 *value,
			size_t len);

/* ---- option negotiation, RFC 1143 ---- */

#define PB_TELNET_NEG_OPTIONS	3	/* BINARY, SGA, COM-PORT-OPTION */
#define PB_TELNET_NEG_REPLY_MAX	3	/* one IAC verb option */
#define PB_TELNET_NEG_START_MAX	9	/* WILL BINARY, DO BINARY, WILL SGA */

struct pb_telnet_neg {
	u8 us[PB_TELNET_NEG_OPTIONS];	/* we perform the option */
	u8 him[PB_TELNET_NEG_OPTIONS];	/* the client performs it */
};

/*
 * Reset to "every option off" and write the server's opening requests
 * into out (at least PB_TELNET_NEG_START_MAX bytes): returns their length.
 */
size_t pb_telnet_neg_start(struct pb_telnet_neg *n, u8 *out);

/*
 * The client sent IAC verb option: update the state and write our answer,
 * if any, into out (PB_TELNET_NEG_REPLY_MAX bytes): returns 0 or 3.
 */
size_t pb_telnet_neg_receive(struct pb_telnet_neg *n, u8 verb, u8 option,
			     u8 *out);

/*
 * Ask to turn an option on or off, on our side (local) or the client's:
 * returns 0 or 3 bytes to send.  Options we do not support cannot be
 * turned on.
 */
size_t pb_telnet_neg_ask(struct pb_telnet_neg *n, bool local, u8 option,
			 bool enable, u8 *out);

/* Whether the option is in effect on our side or the client's. */
bool pb_telnet_neg_local(const struct pb_telnet_neg *n, u8 option);
bool pb_telnet_neg_remote(const struct pb_telnet_neg *n, u8 option);

#endif /* _PB_CODEC_TELNET_H */
