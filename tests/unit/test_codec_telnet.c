// SPDX-License-Identifier: GPL-2.0
/* The Telnet codec of the RFC 2217 path: decoder, escaping, negotiation. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec/telnet.h"
#include "unit.h"

#define IAC "\xff"
#define SB "\xfa"
#define SE "\xf0"
#define WILL "\xfb"
#define WONT "\xfc"
#define DO "\xfd"
#define DONT "\xfe"

/*
 * Decode a stream and describe it as text: data bytes as two hex digits,
 * items as [O<verb>,<option>], [C<cmd>], [S<option>:<hex value>],
 * [E<error>].  Data is described per byte, so any split of the data
 * into spans reads the same.  cuts[] are the chunk boundaries.
 */
static void describe(const void *stream, size_t len, const size_t *cuts,
		     size_t ncuts, size_t room, char *out, size_t size)
{
	const uint8_t *in = stream;
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	size_t start = 0, o = 0, c, i;

	pb_telnet_dec_init(&d);
	out[0] = '\0';
	for (c = 0; c <= ncuts; c++) {
		size_t end = c < ncuts ? cuts[c] : len;

		while (start < end) {
			size_t n = pb_telnet_decode(&d, in + start,
						    end - start, room, &it);

			CHECK(n > 0 || it.type != PB_TELNET_NONE);
			CHECK(n <= end - start);
			switch (it.type) {
			case PB_TELNET_DATA:
				CHECK(it.len > 0 && it.len <= room);
				CHECK(it.data >= in + start &&
				      it.data + it.len <= in + start + n);
				for (i = 0; i < it.len; i++)
					o += snprintf(out + o, size - o,
						      "%02x", it.data[i]);
				break;
			case PB_TELNET_OPTION:
				o += snprintf(out + o, size - o, "[O%d,%d]",
					      it.cmd, it.option);
				break;
			case PB_TELNET_COMMAND:
				o += snprintf(out + o, size - o, "[C%d]",
					      it.cmd);
				break;
			case PB_TELNET_SUBNEG:
				o += snprintf(out + o, size - o, "[S%d:",
					      it.option);
				for (i = 0; i < it.len; i++)
					o += snprintf(out + o, size - o,
						      "%02x", it.data[i]);
				o += snprintf(out + o, size - o, "]");
				break;
			case PB_TELNET_ERROR:
				o += snprintf(out + o, size - o, "[E%d]",
					      it.error);
				break;
			case PB_TELNET_NONE:
				break;
			}
			CHECK(o < size);
			start += n;
		}
	}
}

static void decode_whole(const char *stream, size_t len, char *out,
			 size_t size)
{
	describe(stream, len, NULL, 0, SIZE_MAX, out, size);
}

#define STREAM(s) s, sizeof(s) - 1

static void check_decodes_to(const char *stream, size_t len,
			     const char *want)
{
	char got[4096];

	decode_whole(stream, len, got, sizeof(got));
	CHECK_STR(got, want);
}

/*
 * Every way of cutting the stream in two and in three pieces, and byte by
 * byte, with unlimited and with tiny room, describes the same.
 */
static void check_every_chunking(const char *stream, size_t len)
{
	static const size_t rooms[] = { SIZE_MAX, 1, 2, 3 };
	char whole[4096], got[4096];
	size_t cuts[4096], i, j, r;

	decode_whole(stream, len, whole, sizeof(whole));
	for (r = 0; r < sizeof(rooms) / sizeof(rooms[0]); r++) {
		for (i = 0; i <= len; i++) {
			cuts[0] = i;
			describe(stream, len, cuts, 1, rooms[r], got,
				 sizeof(got));
			CHECK_STR(got, whole);
			for (j = i; j <= len && len < 200; j++) {
				cuts[1] = j;
				describe(stream, len, cuts, 2, rooms[r], got,
					 sizeof(got));
				CHECK_STR(got, whole);
			}
		}
		for (i = 0; i < len; i++)
			cuts[i] = i + 1;
		describe(stream, len, cuts, len, rooms[r], got, sizeof(got));
		CHECK_STR(got, whole);
	}
}

static const char sample[] =
	"hello" IAC IAC "x" IAC DO "\x00" IAC WILL "\x2c"
	IAC SB "\x2c\x01\x00\x00\x25\x80" IAC SE "data"
	IAC SB "\x2c\x00" "a" IAC IAC "b" IAC SE IAC "\xf1" IAC "\xf3"
	IAC IAC IAC IAC IAC SB "\x2c\x05" IAC "\x01\x08" IAC SE
	IAC "\x10" IAC SE "end" IAC SB IAC SE IAC DONT "\x03" "z";

static const char sample_text[] =
	"68656c6c6f" "ff" "78" "[O253,0]" "[O251,44]"
	"[S44:010000258" "0]" "64617461" "[S44:0061ff62]" "[C241]" "[C243]"
	"ffff" "[E2]" "[E5]" "[E4]" "656e64" "[E3]" "[O254,3]" "7a";

static void test_decode_sample(void)
{
	check_decodes_to(STREAM(sample), sample_text);
}

static void test_decode_every_chunking(void)
{
	check_every_chunking(STREAM(sample));
}

static void test_data_spans_are_zero_copy(void)
{
	static const uint8_t in[] = "ab" IAC IAC "cd" IAC DO "\x01" "ef";
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	size_t n;

	pb_telnet_dec_init(&d);
	n = pb_telnet_decode(&d, in, sizeof(in) - 1, SIZE_MAX, &it);
	CHECK_INT(n, 2);
	CHECK_INT(it.type, PB_TELNET_DATA);
	CHECK(it.data == in);
	CHECK_INT(it.len, 2);
	/* the second IAC of a pair starts the next span, with what follows */
	n = pb_telnet_decode(&d, in + 2, sizeof(in) - 3, SIZE_MAX, &it);
	CHECK_INT(n, 4);
	CHECK(it.data == in + 3);
	CHECK_INT(it.len, 3);
	CHECK(!memcmp(it.data, "\xff" "cd", 3));
	n = pb_telnet_decode(&d, in + 6, sizeof(in) - 7, SIZE_MAX, &it);
	CHECK_INT(n, 3);
	CHECK_INT(it.type, PB_TELNET_OPTION);
	CHECK_INT(it.cmd, PB_TN_DO);
	CHECK_INT(it.option, 1);
	n = pb_telnet_decode(&d, in + 9, 2, SIZE_MAX, &it);
	CHECK_INT(n, 2);
	CHECK(it.data == in + 9);
	CHECK_INT(d.errors, 0);
}

static void test_room_limits_data(void)
{
	static const uint8_t in[] = "abc" IAC IAC "d" IAC "\xf1";
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	size_t n;

	pb_telnet_dec_init(&d);
	/* no room: nothing consumed, nothing returned */
	n = pb_telnet_decode(&d, in, sizeof(in) - 1, 0, &it);
	CHECK_INT(n, 0);
	CHECK_INT(it.type, PB_TELNET_NONE);
	n = pb_telnet_decode(&d, in, sizeof(in) - 1, 2, &it);
	CHECK_INT(n, 2);
	CHECK_INT(it.len, 2);
	n = pb_telnet_decode(&d, in + 2, sizeof(in) - 3, 1, &it);
	CHECK_INT(n, 1);
	CHECK_INT(it.data[0], 'c');
	/* the first IAC of a pair is taken, the second waits for room */
	n = pb_telnet_decode(&d, in + 3, sizeof(in) - 4, 0, &it);
	CHECK_INT(n, 1);
	CHECK_INT(it.type, PB_TELNET_NONE);
	n = pb_telnet_decode(&d, in + 4, sizeof(in) - 5, 0, &it);
	CHECK_INT(n, 0);
	n = pb_telnet_decode(&d, in + 4, sizeof(in) - 5, 1, &it);
	CHECK_INT(n, 1);
	CHECK_INT(it.type, PB_TELNET_DATA);
	CHECK_INT(it.data[0], 0xff);
	CHECK_INT(it.len, 1);
	/* commands need no room */
	n = pb_telnet_decode(&d, in + 5, sizeof(in) - 6, 1, &it);
	CHECK_INT(n, 1);
	n = pb_telnet_decode(&d, in + 6, sizeof(in) - 7, 0, &it);
	CHECK_INT(n, 2);
	CHECK_INT(it.type, PB_TELNET_COMMAND);
	CHECK_INT(it.cmd, PB_TN_NOP);
}

static void test_commands(void)
{
	check_decodes_to(STREAM(IAC "\xf1" IAC "\xf2" IAC "\xf3" IAC "\xf4"
				IAC "\xf5" IAC "\xf6" IAC "\xf7" IAC "\xf8"
				IAC "\xf9"),
			 "[C241][C242][C243][C244][C245][C246][C247][C248]"
			 "[C249]");
	check_decodes_to(STREAM(IAC WILL "\x00" IAC WONT "\x01" IAC DO
				"\xff" IAC DONT "\x2c"),
			 "[O251,0][O252,1][O253,255][O254,44]");
}

static void test_subnegotiation_bounds(void)
{
	char stream[200], want[400];
	size_t n = 0, i, o;

	/* exactly PB_TELNET_SB_MAX bytes: option and 63 value bytes */
	n = 0;
	memcpy(stream, IAC SB "\x2c", 3);
	n = 3;
	for (i = 0; i < PB_TELNET_SB_MAX - 1; i++)
		stream[n++] = 'a';
	memcpy(stream + n, IAC SE "!", 3);
	n += 3;
	o = snprintf(want, sizeof(want), "[S44:");
	for (i = 0; i < PB_TELNET_SB_MAX - 1; i++)
		o += snprintf(want + o, sizeof(want) - o, "61");
	snprintf(want + o, sizeof(want) - o, "]21");
	check_decodes_to(stream, n, want);

	/* one more is dropped at its IAC SE, and the stream goes on */
	memmove(stream + n - 2, stream + n - 3, 3);
	stream[n - 3] = 'a';
	check_decodes_to(stream, n + 1, "[E1]21");

	/* an escaped IAC counts once */
	check_decodes_to(STREAM(IAC SB "\x2c\x01\x00\x00" IAC IAC IAC IAC
				IAC SE), "[S44:010000ffff]");
}

static void test_malformed(void)
{
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	static const uint8_t bad[] = IAC SB IAC SE IAC SE IAC "\x00"
				     IAC SB "\x2c" IAC WILL IAC SE "ok";
	size_t off = 0;
	unsigned int errors = 0;

	check_decodes_to(STREAM(IAC SB IAC SE), "[E3]");
	check_decodes_to(STREAM(IAC SE "a"), "[E4]61");
	check_decodes_to(STREAM(IAC "\xef" "a"), "[E5]61");
	/* IAC + a command inside SB: the SB is dropped, not the stream */
	check_decodes_to(STREAM(IAC SB "\x2c\x05" IAC DO "\x08" IAC SE "b"),
			 "[E2]62");
	/* IAC SB inside SB: the same */
	check_decodes_to(STREAM(IAC SB "\x2c" IAC SB "\x2c\x05" IAC SE "c"),
			 "[E2]63");
	pb_telnet_dec_init(&d);
	while (off < sizeof(bad) - 1) {
		off += pb_telnet_decode(&d, bad + off, sizeof(bad) - 1 - off,
					SIZE_MAX, &it);
		if (it.type == PB_TELNET_ERROR)
			errors++;
	}
	CHECK_INT(errors, 4);
	CHECK_INT(d.errors, 4);
	CHECK_INT(it.type, PB_TELNET_DATA);
}

static void test_truncated(void)
{
	static const uint8_t part[] = "a" IAC SB "\x2c\x01\x00" IAC;
	static const uint8_t rest[] = IAC "\x80\x00" IAC SE;
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	size_t n;

	pb_telnet_dec_init(&d);
	n = pb_telnet_decode(&d, part, sizeof(part) - 1, SIZE_MAX, &it);
	CHECK_INT(n, 1);
	n = pb_telnet_decode(&d, part + 1, sizeof(part) - 2, SIZE_MAX, &it);
	CHECK_INT(n, 6);
	CHECK_INT(it.type, PB_TELNET_NONE);
	n = pb_telnet_decode(&d, rest, sizeof(rest) - 1, SIZE_MAX, &it);
	CHECK_INT(n, 5);
	CHECK_INT(it.type, PB_TELNET_SUBNEG);
	CHECK_INT(it.len, 5);
	CHECK(!memcmp(it.data, "\x01\x00\xff\x80\x00", 5));
	/* a fresh decoder forgets a half command */
	pb_telnet_dec_init(&d);
	n = pb_telnet_decode(&d, (const uint8_t *)"xy", 2, SIZE_MAX, &it);
	CHECK_INT(it.type, PB_TELNET_DATA);
	CHECK_INT(n, 2);
}

static void test_escape(void)
{
	static const uint8_t in[] = "a" IAC "b" IAC IAC;
	uint8_t out[16];
	size_t used, n;

	CHECK_INT(pb_telnet_plain_len(in, 5), 1);
	CHECK_INT(pb_telnet_plain_len(in, 1), 1);
	CHECK_INT(pb_telnet_plain_len((const uint8_t *)"", 0), 0);
	CHECK_INT(pb_telnet_escaped_len(in, 5), 8);
	n = pb_telnet_escape(out, sizeof(out), in, 5, &used);
	CHECK_INT(n, 8);
	CHECK_INT(used, 5);
	CHECK(!memcmp(out, "a" IAC IAC "b" IAC IAC IAC IAC, 8));
	/* an IAC pair never splits: with 2 bytes left it stops before it */
	n = pb_telnet_escape(out, 2, in, 5, &used);
	CHECK_INT(n, 1);
	CHECK_INT(used, 1);
	n = pb_telnet_escape(out, 3, in, 5, &used);
	CHECK_INT(n, 3);
	CHECK_INT(used, 2);
	n = pb_telnet_escape(out, 1, in + 1, 4, &used);
	CHECK_INT(n, 0);
	CHECK_INT(used, 0);
	n = pb_telnet_escape(out, 0, in, 5, &used);
	CHECK_INT(n, 0);
	CHECK_INT(used, 0);
}

/* escape then decode gives every byte value back, as one data stream */
static void test_escape_round_trip(void)
{
	uint8_t in[512], esc[1024];
	char got[2048], want[2048];
	size_t i, n, used, o = 0;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (i * 7 + (i >> 8)) & 0xff;
	in[10] = in[11] = in[12] = 0xff;
	n = pb_telnet_escape(esc, sizeof(esc), in, sizeof(in), &used);
	CHECK_INT(used, sizeof(in));
	CHECK_INT(n, pb_telnet_escaped_len(in, sizeof(in)));
	for (i = 0; i < sizeof(in); i++)
		o += snprintf(want + o, sizeof(want) - o, "%02x", in[i]);
	describe(esc, n, NULL, 0, SIZE_MAX, got, sizeof(got));
	CHECK_STR(got, want);
	check_every_chunking((const char *)esc, 40);
}

static void test_option_and_subneg_builders(void)
{
	uint8_t out[32];

	CHECK_INT(pb_telnet_option(out, 3, PB_TN_WILL, 44), 3);
	CHECK(!memcmp(out, IAC WILL "\x2c", 3));
	CHECK_INT(pb_telnet_option(out, 2, PB_TN_WILL, 44), 0);
	CHECK_INT(pb_telnet_subneg(out, sizeof(out), 44,
				   (const uint8_t *)"\x65\x00\xff", 3), 9);
	CHECK(!memcmp(out, IAC SB "\x2c\x65\x00" IAC IAC IAC SE, 9));
	memset(out, 0, sizeof(out));
	CHECK_INT(pb_telnet_subneg(out, 8, 44,
				   (const uint8_t *)"\x65\x00\xff", 3), 0);
	CHECK_INT(out[0], 0);
	CHECK_INT(pb_telnet_subneg(out, sizeof(out), 0xff, NULL, 0), 6);
	CHECK(!memcmp(out, IAC SB IAC IAC IAC SE, 6));
}

/* ---- negotiation ---- */

/* Feed the client's option requests; return our answers as bytes. */
static size_t negotiate(struct pb_telnet_neg *n, const char *in, size_t len,
			uint8_t *out)
{
	size_t i, o = 0;

	for (i = 0; i + 3 <= len; i += 3) {
		CHECK_INT((uint8_t)in[i], 0xff);
		o += pb_telnet_neg_receive(n, in[i + 1], in[i + 2], out + o);
	}
	return o;
}

#define NEGOTIATE(n, s, out) negotiate(n, s, sizeof(s) - 1, out)

static void test_neg_start(void)
{
	struct pb_telnet_neg n;
	uint8_t out[PB_TELNET_NEG_START_MAX];

	CHECK_INT(pb_telnet_neg_start(&n, out), 9);
	CHECK(!memcmp(out, IAC WILL "\x00" IAC DO "\x00" IAC WILL "\x03", 9));
	CHECK(!pb_telnet_neg_local(&n, PB_TN_OPT_BINARY));
	CHECK(!pb_telnet_neg_remote(&n, PB_TN_OPT_COM_PORT));
}

/* What pyserial 3.5's rfc2217 client sends on open, and its answers. */
static void test_neg_pyserial(void)
{
	struct pb_telnet_neg n;
	uint8_t out[64];
	size_t len;

	pb_telnet_neg_start(&n, out);
	len = NEGOTIATE(&n, IAC DO "\x01" IAC WILL "\x03" IAC DO "\x03"
			IAC WILL "\x2c" IAC DO "\x2c", out);
	CHECK_INT(len, 12);
	CHECK(!memcmp(out, IAC WONT "\x01" IAC DO "\x03" IAC DO "\x2c"
		      IAC WILL "\x2c", 12));
	/* its answers to our WILL BINARY, DO BINARY: no more from us */
	len = NEGOTIATE(&n, IAC DO "\x00" IAC WILL "\x00", out);
	CHECK_INT(len, 0);
	CHECK(pb_telnet_neg_local(&n, PB_TN_OPT_BINARY));
	CHECK(pb_telnet_neg_remote(&n, PB_TN_OPT_BINARY));
	CHECK(pb_telnet_neg_local(&n, PB_TN_OPT_SGA));
	CHECK(pb_telnet_neg_remote(&n, PB_TN_OPT_SGA));
	CHECK(pb_telnet_neg_local(&n, PB_TN_OPT_COM_PORT));
	CHECK(pb_telnet_neg_remote(&n, PB_TN_OPT_COM_PORT));
	CHECK(!pb_telnet_neg_local(&n, PB_TN_OPT_ECHO));
	/* repeating a request changes nothing and is not answered */
	len = NEGOTIATE(&n, IAC WILL "\x2c" IAC DO "\x00", out);
	CHECK_INT(len, 0);
}

/* gensio 2.6's telnet(rfc2217) client. */
static void test_neg_gensio(void)
{
	struct pb_telnet_neg n;
	uint8_t out[64];
	size_t len;

	pb_telnet_neg_start(&n, out);
	len = NEGOTIATE(&n, IAC WILL "\x2c", out);
	CHECK_INT(len, 3);
	CHECK(!memcmp(out, IAC DO "\x2c", 3));
	/* it agrees to BINARY both ways and refuses to do SGA for us */
	len = NEGOTIATE(&n, IAC DO "\x00" IAC WILL "\x00" IAC DONT "\x03",
			out);
	CHECK_INT(len, 0);
	CHECK(pb_telnet_neg_remote(&n, PB_TN_OPT_COM_PORT));
	CHECK(!pb_telnet_neg_local(&n, PB_TN_OPT_COM_PORT));
	CHECK(!pb_telnet_neg_local(&n, PB_TN_OPT_SGA));
	CHECK(pb_telnet_neg_local(&n, PB_TN_OPT_BINARY));
}

static void test_neg_refusals_do_not_loop(void)
{
	struct pb_telnet_neg n;
	uint8_t out[64];
	size_t len;

	pb_telnet_neg_start(&n, out);
	/* a client that refuses everything gets no answer to refusals */
	len = NEGOTIATE(&n, IAC DONT "\x00" IAC WONT "\x00" IAC DONT "\x03",
			out);
	CHECK_INT(len, 0);
	CHECK(!pb_telnet_neg_local(&n, PB_TN_OPT_BINARY));
	/* and none for refusing again */
	len = NEGOTIATE(&n, IAC DONT "\x00" IAC WONT "\x00", out);
	CHECK_INT(len, 0);
	/* unsupported options are refused, their refusals ignored */
	len = NEGOTIATE(&n, IAC WILL "\x18" IAC DO "\x1f" IAC WONT "\x18"
			IAC DONT "\x1f" IAC WILL "\x18", out);
	CHECK_INT(len, 9);
	CHECK(!memcmp(out, IAC DONT "\x18" IAC WONT "\x1f" IAC DONT "\x18",
		      9));
	/* an enabled option turned off is acknowledged once */
	len = NEGOTIATE(&n, IAC WILL "\x2c" IAC WONT "\x2c" IAC WONT "\x2c",
			out);
	CHECK_INT(len, 6);
	CHECK(!memcmp(out, IAC DO "\x2c" IAC DONT "\x2c", 6));
	/* not a verb */
	CHECK_INT(pb_telnet_neg_receive(&n, PB_TN_SB, 0, out), 0);
}

/* RFC 1143's queue: asking the opposite while a request is in flight. */
static void test_neg_queue(void)
{
	struct pb_telnet_neg n;
	uint8_t out[64];
	size_t len;

	pb_telnet_neg_start(&n, out);
	/* DO BINARY is in flight; change our mind: queued, nothing sent */
	CHECK_INT(pb_telnet_neg_ask(&n, false, 0, false, out), 0);
	/* the client agrees: we send the queued DONT right away */
	len = NEGOTIATE(&n, IAC WILL "\x00", out);
	CHECK_INT(len, 3);
	CHECK(!memcmp(out, IAC DONT "\x00", 3));
	CHECK(!pb_telnet_neg_remote(&n, 0));
	/* asking for it again while the DONT is in flight: queued */
	CHECK_INT(pb_telnet_neg_ask(&n, false, 0, true, out), 0);
	len = NEGOTIATE(&n, IAC WONT "\x00", out);
	CHECK_INT(len, 3);
	CHECK(!memcmp(out, IAC DO "\x00", 3));
	len = NEGOTIATE(&n, IAC WILL "\x00", out);
	CHECK_INT(len, 0);
	CHECK(pb_telnet_neg_remote(&n, 0));
	/* on, then off by us */
	CHECK_INT(pb_telnet_neg_ask(&n, false, 0, true, out), 0);
	CHECK_INT(pb_telnet_neg_ask(&n, false, 0, false, out), 3);
	CHECK(!memcmp(out, IAC DONT "\x00", 3));
	len = NEGOTIATE(&n, IAC WONT "\x00", out);
	CHECK_INT(len, 0);
	CHECK(!pb_telnet_neg_remote(&n, 0));
	/* unsupported options cannot be asked for */
	CHECK_INT(pb_telnet_neg_ask(&n, true, PB_TN_OPT_ECHO, true, out), 0);
	CHECK(!pb_telnet_neg_local(&n, PB_TN_OPT_ECHO));
}

static const struct unit_test tests[] = {
	{ "decode_sample", test_decode_sample },
	{ "decode_every_chunking", test_decode_every_chunking },
	{ "data_spans_are_zero_copy", test_data_spans_are_zero_copy },
	{ "room_limits_data", test_room_limits_data },
	{ "commands", test_commands },
	{ "subnegotiation_bounds", test_subnegotiation_bounds },
	{ "malformed", test_malformed },
	{ "truncated", test_truncated },
	{ "escape", test_escape },
	{ "escape_round_trip", test_escape_round_trip },
	{ "option_and_subneg_builders", test_option_and_subneg_builders },
	{ "neg_start", test_neg_start },
	{ "neg_pyserial", test_neg_pyserial },
	{ "neg_gensio", test_neg_gensio },
	{ "neg_refusals_do_not_loop", test_neg_refusals_do_not_loop },
	{ "neg_queue", test_neg_queue },
};

UNIT_SUITE(codec_telnet_tests, "codec_telnet", tests);
