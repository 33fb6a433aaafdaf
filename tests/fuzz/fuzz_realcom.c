// SPDX-License-Identifier: GPL-2.0
/*
 * The Real COM (ASPP) command parser and its replies.  The first byte
 * picks the IPv6 echo and a chunking; the rest is the host's command
 * stream.  Checked besides "no crash":
 *  - parsing in those chunks gives the same events as all at once;
 *  - a command framed again from its opcode and kept payload parses to
 *    the same fields;
 *  - every reply is one the host can split: a known opcode, never 0x20,
 *    0x2E or 0x28, the fixed length for that opcode, PORT_INIT always
 *    answered with line states (never FF FF FF);
 *  - errors are counted, one per PB_REALCOM_ERROR event.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/realcom.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct events {
	struct pb_realcom_cmd ev[4096];
	uint8_t payload[4096][PB_REALCOM_PAYLOAD_MAX];	/* zero-padded */
	size_t n;
};

static struct events whole, chunked;

static size_t reply_len(uint8_t op)
{
	switch (op) {
	case 0x26: case 0x2f: case 0x16: case 0x15:
		return 4;
	case 0x13: case 0x2c:
		return 5;
	case 0x10: case 0x11: case 0x12: case 0x14: case 0x17: case 0x18:
	case 0x21: case 0x22: case 0x24: case 0x25: case 0x2b: case 0x30:
	case 0x33: case 0x34: case 0x27:
		return 3;
	default:
		return 0;
	}
}

static void check_reply(const struct pb_realcom_cmd *cmd)
{
	struct pb_realcom_status st = {
		.dsr = cmd->op & 1, .cts = cmd->op & 2, .dcd = cmd->op & 4,
		.iqueue = cmd->len * 300u, .oqueue = cmd->len * 257u,
	};
	uint8_t out[PB_REALCOM_REPLY_MAX + 8];
	size_t n;

	memset(out, 0xee, sizeof(out));
	n = pb_realcom_reply(cmd, &st, out);
	if (out[PB_REALCOM_REPLY_MAX] != 0xee)
		abort();
	if (cmd->type == PB_REALCOM_ECHO || cmd->op == PB_REALCOM_ALIVE ||
	    cmd->error == PB_REALCOM_ERR_UNKNOWN) {
		if (n)
			abort();
		return;
	}
	if (!n || n != reply_len(cmd->op) || out[0] != cmd->op)
		abort();
	if (n == 3 && (out[1] != 'O' || out[2] != 'K'))
		abort();
	if (n == 5 && (out[1] != 3 || out[2] > 1 || out[3] > 1 || out[4] > 1))
		abort();
	if (n == 4) {
		uint32_t count = cmd->op == PB_REALCOM_IQUEUE ? st.iqueue :
								st.oqueue;

		/* non-zero count: non-zero low byte (see realcom.h) */
		if (out[1] != 2 || (count != 0) != (out[2] != 0))
			abort();
	}
	if (cmd->op == PB_REALCOM_PORT_INIT && n != 5)
		abort();
}

static int same_cmd(const struct pb_realcom_cmd *a,
		    const struct pb_realcom_cmd *b)
{
	return a->type == b->type && a->error == b->error && a->op == b->op &&
	       a->baud_index == b->baud_index &&
	       a->data_bits == b->data_bits && a->stop_bits == b->stop_bits &&
	       a->parity == b->parity && a->baud == b->baud &&
	       a->dtr == b->dtr && a->rts == b->rts &&
	       a->rts_flow == b->rts_flow && a->cts_flow == b->cts_flow &&
	       a->ixon == b->ixon && a->ixoff == b->ixoff &&
	       a->xon == b->xon && a->xoff == b->xoff && a->fifo == b->fifo &&
	       a->flush == b->flush && a->id == b->id && a->len == b->len;
}

static void check_event(const struct pb_realcom_cmd *cmd)
{
	struct pb_realcom_parser p;
	struct pb_realcom_cmd again;
	uint8_t frame[2 + PB_REALCOM_PAYLOAD_MAX];

	if (cmd->type == PB_REALCOM_NONE)
		abort();
	check_reply(cmd);
	if (cmd->type == PB_REALCOM_ECHO) {
		if (cmd->len != PB_REALCOM_ECHO_LEN)
			abort();
		return;
	}
	if ((cmd->type == PB_REALCOM_ERROR) != (cmd->error != 0))
		abort();
	if (cmd->type == PB_REALCOM_CMD &&
	    (cmd->op == PB_REALCOM_PORT_INIT || cmd->op == PB_REALCOM_IOCTL) &&
	    (cmd->data_bits < 5 || cmd->data_bits > 8 || cmd->stop_bits < 1 ||
	     cmd->stop_bits > 2 || cmd->parity >= __PB_PARITY_MAX))
		abort();
	if (cmd->type == PB_REALCOM_CMD && cmd->op == PB_REALCOM_SETBAUD &&
	    (!cmd->baud || cmd->baud > 0x7fffffff))
		abort();
	if (cmd->len > PB_REALCOM_PAYLOAD_MAX)
		return;
	frame[0] = cmd->op;
	frame[1] = cmd->len;
	memcpy(frame + 2, cmd->payload, cmd->len);
	pb_realcom_init(&p, false);
	if (pb_realcom_parse(&p, frame, 2 + cmd->len, &again) !=
	    2 + (size_t)cmd->len)
		abort();
	if (!same_cmd(&again, cmd) ||
	    memcmp(again.payload, cmd->payload, cmd->len))
		abort();
}

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void parse(const uint8_t *in, size_t len, bool echo,
		  unsigned int max_chunk, uint32_t seed, struct events *e)
{
	struct pb_realcom_parser p;
	struct pb_realcom_cmd cmd;
	uint32_t errors = 0;
	size_t off = 0;

	e->n = 0;
	pb_realcom_init(&p, echo);
	while (off < len) {
		size_t chunk = len - off;

		if (max_chunk && chunk > 1 + next_rand(&seed) % max_chunk)
			chunk = 1 + seed % max_chunk;
		while (chunk) {
			size_t n = pb_realcom_parse(&p, in + off, chunk, &cmd);

			if (n > chunk || (!n && chunk))
				abort();
			off += n;
			chunk -= n;
			if (cmd.type == PB_REALCOM_NONE) {
				if (chunk)
					abort();
				continue;
			}
			check_event(&cmd);
			if (cmd.type == PB_REALCOM_ERROR)
				errors++;
			if (e->n == sizeof(e->ev) / sizeof(e->ev[0]))
				abort();
			memset(e->payload[e->n], 0, PB_REALCOM_PAYLOAD_MAX);
			memcpy(e->payload[e->n], cmd.payload,
			       cmd.len < PB_REALCOM_PAYLOAD_MAX ?
			       cmd.len : PB_REALCOM_PAYLOAD_MAX);
			e->ev[e->n] = cmd;
			e->ev[e->n].payload = NULL;
			e->n++;
		}
	}
	if (errors != p.errors)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	uint8_t out[PB_REALCOM_REPLY_MAX];
	size_t i;
	bool echo;

	if (size < 1 || size > 8192)
		return 0;
	echo = data[0] & 0x80;
	parse(data + 1, size - 1, echo, 0, 1, &whole);
	parse(data + 1, size - 1, echo, 1 + (data[0] & 0x1f),
	      data[0] | 1u << 8, &chunked);
	if (whole.n != chunked.n)
		abort();
	for (i = 0; i < whole.n; i++)
		if (!same_cmd(&whole.ev[i], &chunked.ev[i]) ||
		    memcmp(whole.payload[i], chunked.payload[i],
			   sizeof(whole.payload[i])))
			abort();
	if (pb_realcom_notify(out, data[0], data[0] ^ 0x5a) != 4 ||
	    out[0] != 0x26 || out[3] != 0 ||
	    pb_realcom_polling(out, data[0]) != 3 || out[0] != 0x27 ||
	    out[1] != 1 || out[2] != data[0])
		abort();
	return 0;
}
