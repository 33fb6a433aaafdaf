// SPDX-License-Identifier: GPL-2.0
/*
 * The Telnet decoder, escaping and option negotiation of the RFC 2217
 * path.  The first byte picks a chunking and a room limit; the rest is the
 * client's stream.  Checked besides "no crash":
 *  - decoding in those chunks, with that room, gives the same data and
 *    events as decoding all at once (no desynchronisation);
 *  - every item is well formed: data spans lie in the input and within
 *    room, subnegotiations fit their buffer, errors are counted;
 *  - escaping the input (into an output buffer of a size chosen by the
 *    first byte) and decoding it gives the input back as pure data;
 *  - every option the stream carries gets at most one well-formed answer,
 *    and two negotiators driven by the stream always settle and agree
 *    (unless the stream made one of them send what it liked: then only
 *    "never more than one answer per message" holds);
 *  - a subnegotiation built from the input decodes back to it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/telnet.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct log {
	unsigned char *buf;
	size_t len;
	size_t cap;
};

static void put(struct log *l, unsigned char c)
{
	if (l->len == l->cap)
		abort();
	l->buf[l->len++] = c;
}

static void record(struct log *l, const struct pb_telnet_item *it)
{
	size_t i;

	switch (it->type) {
	case PB_TELNET_DATA:
		for (i = 0; i < it->len; i++) {
			put(l, 'd');
			put(l, it->data[i]);
		}
		break;
	case PB_TELNET_OPTION:
		put(l, 'o');
		put(l, it->cmd);
		put(l, it->option);
		break;
	case PB_TELNET_COMMAND:
		put(l, 'c');
		put(l, it->cmd);
		break;
	case PB_TELNET_SUBNEG:
		put(l, 's');
		put(l, it->option);
		put(l, (unsigned char)it->len);
		for (i = 0; i < it->len; i++)
			put(l, it->data[i]);
		break;
	case PB_TELNET_ERROR:
		put(l, 'e');
		put(l, it->error);
		break;
	default:
		break;
	}
}

/* Check one item against the rules of telnet.h. */
static void check_item(const struct pb_telnet_item *it, const uint8_t *in,
		       size_t len, size_t n, size_t room)
{
	switch (it->type) {
	case PB_TELNET_DATA:
		if (!it->len || it->len > room || it->data < in ||
		    it->data + it->len > in + n || n > len)
			abort();
		break;
	case PB_TELNET_SUBNEG:
		if (it->len + 1 > PB_TELNET_SB_MAX)
			abort();
		break;
	case PB_TELNET_OPTION:
		if (it->cmd < PB_TN_WILL || it->cmd > PB_TN_DONT)
			abort();
		break;
	case PB_TELNET_COMMAND:
		if (it->cmd <= PB_TN_SE || it->cmd >= PB_TN_SB)
			abort();
		break;
	case PB_TELNET_ERROR:
		if (it->error == PB_TELNET_ERR_NONE)
			abort();
		break;
	case PB_TELNET_NONE:
		/* only when the input is used up, or data waits for room */
		if (n != len && room)
			abort();
		break;
	}
}

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Decode in chunks of 1 .. max_chunk bytes (0: all at once). */
static void decode(const uint8_t *in, size_t len, unsigned int max_chunk,
		   uint32_t seed, size_t room, struct log *l,
		   struct pb_telnet_neg *neg)
{
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	uint32_t errors = 0;
	size_t off = 0;

	pb_telnet_dec_init(&d);
	while (off < len) {
		size_t chunk = len - off;

		if (max_chunk && chunk > 1 + next_rand(&seed) % max_chunk)
			chunk = 1 + seed % max_chunk;
		while (chunk) {
			size_t n;

			/* now and then the UART is full: no data may pass */
			if (max_chunk && !(next_rand(&seed) & 3)) {
				n = pb_telnet_decode(&d, in + off, chunk, 0,
						     &it);
				if (it.type == PB_TELNET_DATA)
					abort();
				check_item(&it, in + off, chunk, n, 0);
				if (it.type == PB_TELNET_ERROR)
					errors++;
				record(l, &it);
				off += n;
				chunk -= n;
				continue;
			}
			n = pb_telnet_decode(&d, in + off, chunk, room, &it);
			if (!n)		/* room is never 0 here */
				abort();
			check_item(&it, in + off, chunk, n, room);
			if (it.type == PB_TELNET_ERROR)
				errors++;
			if (neg && it.type == PB_TELNET_OPTION) {
				uint8_t out[PB_TELNET_NEG_REPLY_MAX];
				size_t r = pb_telnet_neg_receive(neg, it.cmd,
								 it.option,
								 out);

				if (r && (r != 3 || out[0] != PB_TN_IAC ||
					  out[1] < PB_TN_WILL ||
					  out[2] != it.option))
					abort();
			}
			record(l, &it);
			off += n;
			chunk -= n;
		}
	}
	if (errors != d.errors)
		abort();
}

static void check_escape(const uint8_t *in, size_t len, size_t out_size)
{
	size_t cap = 2 * len + 1, o = 0, off = 0, i;
	uint8_t *esc = malloc(cap);
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	size_t got = 0;

	if (!esc)
		abort();
	while (off < len) {
		size_t used, n;

		n = pb_telnet_escape(esc + o, out_size, in + off, len - off,
				     &used);
		if (n > out_size || used > len - off || !n)
			abort();
		o += n;
		off += used;
	}
	if (o != pb_telnet_escaped_len(in, len))
		abort();
	if (pb_telnet_plain_len(in, len) > len)
		abort();
	pb_telnet_dec_init(&d);
	for (i = 0; i < o; ) {
		i += pb_telnet_decode(&d, esc + i, o - i, SIZE_MAX, &it);
		if (it.type == PB_TELNET_NONE)
			continue;
		if (it.type != PB_TELNET_DATA || got + it.len > len ||
		    memcmp(in + got, it.data, it.len))
			abort();
		got += it.len;
	}
	if (got != len)
		abort();
	free(esc);
}

/*
 * Deliver each side's messages to the other until both are quiet, which
 * two sides following RFC 1143 reach within a few rounds.  A side never
 * answers one message with more than one.  After a rogue message the
 * two may keep answering each other (a WONT and WILL pair in flight
 * echoes between them, each answer a fair reply to a request), so then
 * give up after the bound instead; what is said about an unsupported
 * option must still have ended.
 */
static void settle(struct pb_telnet_neg *a, uint8_t *to_a, size_t *na,
		   struct pb_telnet_neg *b, uint8_t *to_b, size_t *nb,
		   bool rogue)
{
	uint8_t out_a[256], out_b[256];
	size_t i, ma, mb;
	int rounds;

	for (rounds = 0; *na || *nb; rounds++) {
		if (*na % 3 || *nb % 3)
			abort();
		if (rounds > 8) {
			if (!rogue)
				abort();
			/* but talk about an unsupported option always ends */
			for (i = 0; i < *na; i += 3)
				if (to_a[i + 2] == PB_TN_OPT_ECHO)
					abort();
			for (i = 0; i < *nb; i += 3)
				if (to_b[i + 2] == PB_TN_OPT_ECHO)
					abort();
			*na = *nb = 0;
			break;
		}
		mb = 0;
		for (i = 0; i < *na; i += 3)
			mb += pb_telnet_neg_receive(a, to_a[i + 1], to_a[i + 2],
						    out_b + mb);
		ma = 0;
		for (i = 0; i < *nb; i += 3)
			ma += pb_telnet_neg_receive(b, to_b[i + 1], to_b[i + 2],
						    out_a + ma);
		if (ma > *nb || mb > *na)
			abort();
		memcpy(to_a, out_a, ma);
		memcpy(to_b, out_b, mb);
		*na = ma;
		*nb = mb;
	}
}

/*
 * Two sides speaking this Q method, each asking for options as the input
 * says: every exchange ends, and then both agree on every option.
 */
static void check_negotiation(const uint8_t *in, size_t len)
{
	static const uint8_t options[] = {
		PB_TN_OPT_BINARY, PB_TN_OPT_SGA, PB_TN_OPT_COM_PORT,
		PB_TN_OPT_ECHO,
	};
	uint8_t to_a[256], to_b[256];
	struct pb_telnet_neg a, b;
	size_t na, nb, i, k;
	bool rogue = false;

	nb = pb_telnet_neg_start(&a, to_b);
	na = pb_telnet_neg_start(&b, to_a);
	for (i = 0; i <= len; i++) {
		if (i < len) {
			uint8_t c = in[i];

			if ((c & 0xc0) == 0xc0 && (c & 3) == 3) {
				/* b sends whatever it likes, as a broken
				 * client would: a must never start a loop
				 * (agreement is no longer guaranteed)
				 */
				to_a[na++] = PB_TN_IAC;
				to_a[na++] = PB_TN_WILL + ((c >> 2) & 3);
				to_a[na++] = options[(c >> 4) & 3];
				rogue = true;
			} else if (c & 0x80)
				na += pb_telnet_neg_ask(&b, c & 0x40,
							options[c & 3],
							c & 0x20, to_a + na);
			else
				nb += pb_telnet_neg_ask(&a, c & 0x40,
							options[c & 3],
							c & 0x20, to_b + nb);
			/* sometimes let requests cross on the wire */
			if (c & 0x10)
				continue;
		}
		settle(&a, to_a, &na, &b, to_b, &nb, rogue);
		for (k = 0; k < sizeof(options) && !rogue; k++)
			if (pb_telnet_neg_local(&a, options[k]) !=
			    pb_telnet_neg_remote(&b, options[k]) ||
			    pb_telnet_neg_remote(&a, options[k]) !=
			    pb_telnet_neg_local(&b, options[k]))
				abort();
	}
}

/* A subnegotiation built from the input decodes back to it. */
static void check_subneg(const uint8_t *in, size_t len)
{
	uint8_t out[6 + 2 * PB_TELNET_SB_MAX];
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	size_t n, used;

	if (len > PB_TELNET_SB_MAX - 1)
		len = PB_TELNET_SB_MAX - 1;
	n = pb_telnet_subneg(out, sizeof(out), in[0], in + 1, len - 1);
	if (n < 5 || pb_telnet_subneg(out, n - 1, in[0], in + 1, len - 1))
		abort();
	pb_telnet_dec_init(&d);
	used = pb_telnet_decode(&d, out, n, SIZE_MAX, &it);
	if (used != n || it.type != PB_TELNET_SUBNEG || it.option != in[0] ||
	    it.len != len - 1 || memcmp(it.data, in + 1, len - 1))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct log whole, chunked;
	struct pb_telnet_neg neg;
	uint8_t start[PB_TELNET_NEG_START_MAX];
	size_t room, cap;

	if (size < 1 || size > 65536)
		return 0;
	cap = 8 * size + 16;
	whole.buf = malloc(cap);
	chunked.buf = malloc(cap);
	if (!whole.buf || !chunked.buf)
		abort();
	whole.len = chunked.len = 0;
	whole.cap = chunked.cap = cap;
	room = data[0] & 0x80 ? SIZE_MAX : 1 + (size_t)(data[0] & 7);

	pb_telnet_neg_start(&neg, start);
	decode(data + 1, size - 1, 0, 1, SIZE_MAX, &whole, &neg);
	decode(data + 1, size - 1, 1 + (data[0] & 0x1f), data[0] | 1u << 8,
	       room, &chunked, NULL);
	if (whole.len != chunked.len || memcmp(whole.buf, chunked.buf,
					       whole.len))
		abort();
	check_escape(data + 1, size - 1, 2 + (data[0] & 0x0f));
	check_negotiation(data + 1, size - 1 < 64 ? size - 1 : 64);
	check_subneg(data, size);
	free(whole.buf);
	free(chunked.buf);
	return 0;
}
