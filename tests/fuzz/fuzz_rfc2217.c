// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 2217 COM-PORT-OPTION parsing and the server's answers.  The input is
 * used three ways:
 *  - as one subnegotiation value: a command that parses is built again
 *    from its fields and must parse the same (and, where the encoding is
 *    canonical, to the same bytes);
 *  - as values for every encoder: each answer, decoded by the Telnet
 *    decoder (all at once and byte by byte), must be exactly one
 *    COM-PORT-OPTION subnegotiation carrying the code and value, and an
 *    output buffer one byte too small must get nothing;
 *  - as a client's Telnet stream: every COM-PORT-OPTION in it is parsed and
 *    answered the way a server would, within PB_RFC2217_REPLY_MAX bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/rfc2217.h"
#include "codec/telnet.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int same_cmd(const struct pb_rfc2217_cmd *a,
		    const struct pb_rfc2217_cmd *b)
{
	return a->code == b->code && a->value == b->value &&
	       a->cisco == b->cisco && a->baud == b->baud &&
	       a->text_len == b->text_len &&
	       (!a->text_len || !memcmp(a->text, b->text, a->text_len));
}

/* Build a client command from parsed fields: the inverse of parsing. */
static size_t build(const struct pb_rfc2217_cmd *cmd, uint8_t *out)
{
	size_t n = 0;

	out[n++] = cmd->code;
	switch (cmd->code) {
	case PB_RFC2217_SIGNATURE:
		memcpy(out + n, cmd->text, cmd->text_len);
		return n + cmd->text_len;
	case PB_RFC2217_SET_BAUDRATE:
		if (cmd->cisco) {
			out[n++] = pb_rfc2217_baud_to_cisco(cmd->baud);
			return n;
		}
		out[n++] = cmd->baud >> 24;
		out[n++] = cmd->baud >> 16;
		out[n++] = cmd->baud >> 8;
		out[n++] = cmd->baud;
		return n;
	case PB_RFC2217_NOTIFY_LINESTATE:
	case PB_RFC2217_NOTIFY_MODEMSTATE:
	case PB_RFC2217_FLOWCONTROL_SUSPEND:
	case PB_RFC2217_FLOWCONTROL_RESUME:
		return n;
	default:
		out[n++] = cmd->value;
		return n;
	}
}

static void check_parse(const uint8_t *in, size_t len)
{
	struct pb_rfc2217_cmd cmd, again;
	enum pb_rfc2217_error err;
	uint8_t *buf = malloc(len + 8);
	size_t n;

	if (!buf)
		abort();
	err = pb_rfc2217_parse(in, len, &cmd);
	if (!pb_rfc2217_strerror(err))
		abort();
	if (err == PB_RFC2217_OK) {
		n = build(&cmd, buf);
		if (pb_rfc2217_parse(buf, n, &again) != PB_RFC2217_OK ||
		    !same_cmd(&cmd, &again))
			abort();
		/* canonical but for the polls, whose value is ignored */
		if (cmd.code != PB_RFC2217_NOTIFY_LINESTATE &&
		    cmd.code != PB_RFC2217_NOTIFY_MODEMSTATE &&
		    (n != len || memcmp(buf, in, n)))
			abort();
		if (cmd.code > PB_RFC2217_PURGE_DATA ||
		    (cmd.code == PB_RFC2217_SET_DATASIZE && cmd.value &&
		     (cmd.value < 5 || cmd.value > 8)))
			abort();
	} else if (err == PB_RFC2217_ERR_EMPTY && len) {
		abort();
	}
	free(buf);
}

/* out[0..n) must decode to exactly IAC SB 44 code value IAC SE. */
static void check_subneg(const uint8_t *out, size_t n, uint8_t code,
			 const uint8_t *value, size_t len, size_t step)
{
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	size_t off = 0, items = 0;

	pb_telnet_dec_init(&d);
	while (off < n) {
		size_t chunk = n - off < step ? n - off : step;

		while (chunk) {
			size_t used = pb_telnet_decode(&d, out + off, chunk,
						       SIZE_MAX, &it);

			off += used;
			chunk -= used;
			if (it.type == PB_TELNET_NONE)
				continue;
			if (it.type != PB_TELNET_SUBNEG ||
			    it.option != PB_TN_OPT_COM_PORT ||
			    it.len != len + 1 || it.data[0] != code ||
			    (len && memcmp(it.data + 1, value, len)))
				abort();
			items++;
		}
	}
	if (items != 1)
		abort();
}

static void check_encoder(uint8_t code, const uint8_t *v, size_t len,
			  size_t n, uint8_t *out, size_t size)
{
	if (!n || n > size)
		abort();
	check_subneg(out, n, code, v, len, n);
	check_subneg(out, n, code, v, len, 1);
}

static void check_encoders(const uint8_t *in, size_t len)
{
	uint8_t out[6 + 2 * 256], small[PB_RFC2217_REPLY_MAX];
	uint8_t v[4], code;
	/* what our own decoder can take back: option, code, text */
	size_t n, tlen = len > PB_TELNET_SB_MAX - 2 ? PB_TELNET_SB_MAX - 2 :
						     len;
	uint32_t baud = 0;
	unsigned int i;

	for (i = 0; i < 4 && i < len; i++)
		baud = baud << 8 | in[i];
	v[0] = baud >> 24;
	v[1] = baud >> 16;
	v[2] = baud >> 8;
	v[3] = baud;
	n = pb_rfc2217_reply_baud(out, sizeof(out), baud, false);
	check_encoder(101, v, 4, n, out, sizeof(out));
	if (n > PB_RFC2217_REPLY_MAX ||
	    pb_rfc2217_reply_baud(small, n - 1, baud, false))
		abort();
	v[0] = pb_rfc2217_baud_to_cisco(baud);
	n = pb_rfc2217_reply_baud(out, sizeof(out), baud, true);
	check_encoder(101, v, 1, n, out, sizeof(out));

	code = len ? in[0] : 0;
	v[0] = len > 1 ? in[1] : 0xff;
	n = pb_rfc2217_reply_value(out, sizeof(out), code, v[0]);
	check_encoder((uint8_t)(code + 100), v, 1, n, out, sizeof(out));
	if (pb_rfc2217_reply_value(small, n - 1, code, v[0]))
		abort();
	n = pb_rfc2217_notify_linestate(out, sizeof(out), v[0]);
	check_encoder(106, v, 1, n, out, sizeof(out));
	n = pb_rfc2217_notify_modemstate(out, sizeof(out), v[0]);
	check_encoder(107, v, 1, n, out, sizeof(out));
	n = pb_rfc2217_flowcontrol(out, sizeof(out), code & 1);
	check_encoder(code & 1 ? 108 : 109, v, 0, n, out, sizeof(out));
	n = pb_rfc2217_reply_signature(out, sizeof(out), in, tlen);
	check_encoder(100, in, tlen, n, out, sizeof(out));
	if (n > 6 + 2 * tlen || pb_rfc2217_reply_signature(out, n - 1, in,
							  tlen))
		abort();
	if ((pb_rfc2217_modemstate(code, v[0]) ^ code) & 0xf0)
		abort();
}

/* What a server would answer to one parsed command. */
static void answer(const struct pb_rfc2217_cmd *cmd)
{
	uint8_t out[PB_RFC2217_REPLY_MAX];
	size_t n = 0;

	switch (cmd->code) {
	case PB_RFC2217_SET_BAUDRATE:
		n = pb_rfc2217_reply_baud(out, sizeof(out),
					  cmd->baud ? cmd->baud : 9600,
					  cmd->cisco);
		break;
	case PB_RFC2217_FLOWCONTROL_SUSPEND:
	case PB_RFC2217_FLOWCONTROL_RESUME:
	case PB_RFC2217_SIGNATURE:
		return;
	default:
		n = pb_rfc2217_reply_value(out, sizeof(out), cmd->code,
					   cmd->value);
		break;
	}
	if (!n)
		abort();
}

static void check_stream(const uint8_t *in, size_t len)
{
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	struct pb_rfc2217_cmd cmd;
	size_t off = 0;

	pb_telnet_dec_init(&d);
	while (off < len) {
		off += pb_telnet_decode(&d, in + off, len - off, SIZE_MAX,
					&it);
		if (it.type != PB_TELNET_SUBNEG ||
		    it.option != PB_TN_OPT_COM_PORT)
			continue;
		switch (pb_rfc2217_parse(it.data, it.len, &cmd)) {
		case PB_RFC2217_OK:
		case PB_RFC2217_ERR_VALUE:
			answer(&cmd);
			break;
		default:
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	check_parse(data, size);
	check_encoders(data, size);
	check_stream(data, size);
	return 0;
}
