// SPDX-License-Identifier: GPL-2.0
/*
 * The Real COM (ASPP) command channel, device side, byte for byte against
 * realcom-protocol.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec/realcom.h"
#include "unit.h"

#define BYTES(s) (const uint8_t *)(s), sizeof(s) - 1

/* Parse one whole command from a fresh parser. */
static void parse_one(const uint8_t *in, size_t len,
		      struct pb_realcom_cmd *cmd)
{
	struct pb_realcom_parser p;

	pb_realcom_init(&p, false);
	CHECK_INT(pb_realcom_parse(&p, in, len, cmd), len);
	CHECK(cmd->type != PB_REALCOM_NONE);
}

static const struct pb_realcom_status lines_on = {
	.dsr = true, .cts = true, .dcd = false, .iqueue = 3, .oqueue = 0,
};

#define CHECK_REPLY(cmd, st, s)						\
	do {								\
		uint8_t out_[PB_REALCOM_REPLY_MAX];			\
		size_t n_ = pb_realcom_reply(cmd, st, out_);		\
		CHECK_INT(n_, sizeof(s) - 1);				\
		CHECK(!memcmp(out_, s, sizeof(s) - 1));			\
	} while (0)

/* The first open by the Linux host, as observed (the document's trace). */
static void test_first_open(void)
{
	struct pb_realcom_cmd cmd;

	parse_one(BYTES("\x2c\x08\x06\x03\x01\x01\x00\x00\x01\x00"), &cmd);
	CHECK_INT(cmd.type, PB_REALCOM_CMD);
	CHECK_INT(cmd.op, PB_REALCOM_PORT_INIT);
	CHECK_INT(cmd.baud_index, 6);
	CHECK_INT(cmd.baud, 9600);
	CHECK_INT(cmd.data_bits, 8);
	CHECK_INT(cmd.stop_bits, 1);
	CHECK_INT(cmd.parity, PB_PARITY_NONE);
	CHECK(cmd.dtr && cmd.rts);
	CHECK(!cmd.rts_flow && !cmd.cts_flow);
	CHECK(cmd.ixon && !cmd.ixoff);
	CHECK_REPLY(&cmd, &lines_on, "\x2c\x03\x01\x01\x00");

	parse_one(BYTES("\x18\x02\x11\x13"), &cmd);
	CHECK_INT(cmd.op, PB_REALCOM_XONXOFF);
	CHECK_INT(cmd.xon, 0x11);
	CHECK_INT(cmd.xoff, 0x13);
	CHECK_REPLY(&cmd, &lines_on, "\x18\x4f\x4b");

	parse_one(BYTES("\x30\x01\x10"), &cmd);
	CHECK_INT(cmd.op, PB_REALCOM_TX_FIFO);
	CHECK(cmd.fifo);
	CHECK_REPLY(&cmd, &lines_on, "\x30\x4f\x4b");
	parse_one(BYTES("\x30\x01\x01"), &cmd);
	CHECK(!cmd.fifo);

	/* stty 19200 cs7 parenb cstopb */
	parse_one(BYTES("\x2c\x08\x07\x0e\x01\x01\x00\x00\x01\x00"), &cmd);
	CHECK_INT(cmd.baud, 19200);
	CHECK_INT(cmd.data_bits, 7);
	CHECK_INT(cmd.stop_bits, 2);
	CHECK_INT(cmd.parity, PB_PARITY_EVEN);
}

static void test_every_command(void)
{
	struct pb_realcom_status st = { .dsr = false, .cts = true,
					.dcd = true, .iqueue = 0x1234,
					.oqueue = 0 };
	struct pb_realcom_cmd cmd;

	parse_one(BYTES("\x17\x04\x00\xc2\x01\x00"), &cmd);
	CHECK_INT(cmd.op, PB_REALCOM_SETBAUD);
	CHECK_INT(cmd.baud, 115200);	/* little-endian */
	CHECK_REPLY(&cmd, &st, "\x17OK");
	parse_one(BYTES("\x17\x04\x4b\x00\x00\x00"), &cmd);
	CHECK_INT(cmd.baud, 75);
	parse_one(BYTES("\x12\x02\x00\x01"), &cmd);
	CHECK_INT(cmd.op, PB_REALCOM_LINECTRL);
	CHECK(!cmd.dtr && cmd.rts);
	CHECK_REPLY(&cmd, &st, "\x12OK");
	parse_one(BYTES("\x14\x01\x02"), &cmd);
	CHECK_INT(cmd.flush, PB_REALCOM_FLUSH_BOTH);
	CHECK_REPLY(&cmd, &st, "\x14OK");
	parse_one(BYTES("\x14\x01\x00"), &cmd);
	CHECK_INT(cmd.flush, PB_REALCOM_FLUSH_RX);
	parse_one(BYTES("\x2f\x04\x10\x27\x00\x00"), &cmd);
	CHECK_INT(cmd.op, PB_REALCOM_WAIT_OQUEUE);
	CHECK_REPLY(&cmd, &st, "\x2f\x02\x00\x00");
	parse_one(BYTES("\x21\x00"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x21OK");
	parse_one(BYTES("\x22\x00"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x22OK");
	parse_one(BYTES("\x33\x00"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x33OK");
	parse_one(BYTES("\x34\x00"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x34OK");
	parse_one(BYTES("\x10\x02\x0a\x03"), &cmd);
	CHECK_INT(cmd.op, PB_REALCOM_IOCTL);
	CHECK_INT(cmd.baud, 115200);
	CHECK_INT(cmd.data_bits, 8);
	CHECK_REPLY(&cmd, &st, "\x10OK");
	parse_one(BYTES("\x11\x04\x01\x01\x00\x01"), &cmd);
	CHECK_INT(cmd.op, PB_REALCOM_FLOWCTRL);
	CHECK(cmd.rts_flow && cmd.cts_flow && !cmd.ixon && cmd.ixoff);
	CHECK_REPLY(&cmd, &st, "\x11OK");
	parse_one(BYTES("\x13\x00"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x13\x03\x00\x01\x01");
	parse_one(BYTES("\x15\x00"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x15\x02\x34\x12");
	parse_one(BYTES("\x16\x00"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x16\x02\x00\x00");
	/* any payload for these */
	parse_one(BYTES("\x24\x00"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x24OK");
	parse_one(BYTES("\x25\x03\x01\x02\x03"), &cmd);
	CHECK_INT(cmd.type, PB_REALCOM_CMD);
	CHECK_REPLY(&cmd, &st, "\x25OK");
	parse_one(BYTES("\x2b\x01\x09"), &cmd);
	CHECK_REPLY(&cmd, &st, "\x2bOK");
	/* the host's answer to our POLLING: no reply */
	parse_one(BYTES("\x28\x01\x07"), &cmd);
	CHECK_INT(cmd.type, PB_REALCOM_CMD);
	CHECK_INT(cmd.op, PB_REALCOM_ALIVE);
	CHECK_INT(cmd.id, 7);
	CHECK_REPLY(&cmd, &st, "");
}

static void test_baud_table(void)
{
	static const uint32_t rates[] = {
		300, 600, 1200, 2400, 4800, 7200, 9600, 19200, 38400, 57600,
		115200, 230400, 460800, 921600, 150, 134, 110, 75, 50,
	};
	struct pb_realcom_cmd cmd;
	uint8_t in[] = "\x2c\x08\x00\x03\x01\x01\x00\x00\x00\x00";
	unsigned int i;

	for (i = 0; i < 256; i++) {
		in[2] = i;
		parse_one(in, 10, &cmd);
		if (i < 19) {
			CHECK_INT(cmd.type, PB_REALCOM_CMD);
			CHECK_INT(cmd.baud, rates[i]);
			CHECK_INT(pb_realcom_baud(i), rates[i]);
		} else if (i == PB_REALCOM_BAUD_KEEP) {
			CHECK_INT(cmd.type, PB_REALCOM_CMD);
			CHECK_INT(cmd.baud, 0);
		} else {
			CHECK_INT(cmd.type, PB_REALCOM_ERROR);
			CHECK_INT(cmd.error, PB_REALCOM_ERR_VALUE);
			CHECK_INT(pb_realcom_baud(i), 0);
			/* still answered, with the lines */
			CHECK_REPLY(&cmd, &lines_on, "\x2c\x03\x01\x01\x00");
		}
	}
}

static void test_mode_byte(void)
{
	static const uint8_t parity[] = {
		PB_PARITY_NONE, PB_PARITY_EVEN, PB_PARITY_ODD, PB_PARITY_MARK,
		PB_PARITY_SPACE,
	};
	struct pb_realcom_cmd cmd;
	uint8_t in[] = "\x10\x02\x06\x00";
	unsigned int mode;

	for (mode = 0; mode < 256; mode++) {
		in[3] = mode;
		parse_one(in, 4, &cmd);
		CHECK_INT(cmd.data_bits, 5 + (mode & 3));
		CHECK_INT(cmd.stop_bits, mode & 4 ? 2 : 1);
		if (((mode >> 3) & 7) < 5) {
			CHECK_INT(cmd.type, PB_REALCOM_CMD);
			CHECK_INT(cmd.parity, parity[(mode >> 3) & 7]);
		} else {
			CHECK_INT(cmd.error, PB_REALCOM_ERR_VALUE);
			CHECK_REPLY(&cmd, &lines_on, "\x10OK");
		}
	}
}

/* Describe what a parser makes of a stream cut at cuts[]. */
static void describe(const uint8_t *in, size_t len, bool echo,
		     const size_t *cuts, size_t ncuts, char *out, size_t size)
{
	struct pb_realcom_parser p;
	struct pb_realcom_cmd cmd;
	size_t start = 0, o = 0, c, i;

	pb_realcom_init(&p, echo);
	out[0] = '\0';
	for (c = 0; c <= ncuts; c++) {
		size_t end = c < ncuts ? cuts[c] : len;

		while (start < end) {
			size_t n = pb_realcom_parse(&p, in + start,
						    end - start, &cmd);

			CHECK(n > 0 && n <= end - start);
			start += n;
			if (cmd.type == PB_REALCOM_NONE) {
				CHECK_INT(start, end);
				continue;
			}
			o += snprintf(out + o, size - o, "%d/%02x/%d:",
				      cmd.type, cmd.op, cmd.error);
			for (i = 0; i < cmd.len && i < PB_REALCOM_PAYLOAD_MAX;
			     i++)
				o += snprintf(out + o, size - o, "%02x",
					      cmd.payload[i]);
			o += snprintf(out + o, size - o, ":%u:%u%u%u ",
				      cmd.baud, cmd.data_bits, cmd.parity,
				      cmd.stop_bits);
			CHECK(o < size);
		}
	}
}

static void check_every_split(const uint8_t *in, size_t len, bool echo,
			      const char *want)
{
	char whole[4096], got[4096];
	size_t cuts[2], i, j;

	describe(in, len, echo, NULL, 0, whole, sizeof(whole));
	if (want)
		CHECK_STR(whole, want);
	for (i = 0; i <= len; i++) {
		cuts[0] = i;
		for (j = i; j <= len; j++) {
			cuts[1] = j;
			describe(in, len, echo, cuts, 2, got, sizeof(got));
			CHECK_STR(got, whole);
		}
	}
}

/* After a reconnect the host sends its setup in one write. */
static void test_reconnect_burst(void)
{
	static const uint8_t burst[] =
		"\x2c\x08\xff\x03\x01\x01\x00\x00\x00\x00"
		"\x17\x04\x00\x84\x03\x00" "\x18\x02\x11\x13" "\x30\x01\x10"
		"\x12\x02\x01\x01";

	check_every_split(burst, sizeof(burst) - 1, false,
			  "1/2c/0:ff0301010000000" "0:0:801 "
			  "1/17/0:00840300:230400:000 "
			  "1/18/0:1113:0:000 1/30/0:10:0:000 "
			  "1/12/0:0101:0:000 ");
}

static void test_unknown_and_malformed(void)
{
	static const uint8_t stream[] =
		"\x20\x02\x00\x11"		/* PORT_RESET: not ours */
		"\x2e\x00"			/* RESENT_TIME */
		"\x26\x03\x01\x02\x03"		/* NOTIFY from the host */
		"\x17\x02\x00\xc2"		/* SETBAUD too short */
		"\x17\x04\x00\x00\x00\x80"	/* negative rate */
		"\x14\x01\x03"			/* FLUSH 3 */
		"\x10\x01\x06"			/* IOCTL too short */
		"\x13\x00";			/* and the stream goes on */
	struct pb_realcom_parser p;
	struct pb_realcom_cmd cmd;
	size_t off = 0, len = sizeof(stream) - 1;
	int kinds[16], n = 0;

	pb_realcom_init(&p, false);
	while (off < len) {
		off += pb_realcom_parse(&p, stream + off, len - off, &cmd);
		CHECK(n < 16);
		kinds[n++] = cmd.type == PB_REALCOM_ERROR ? cmd.error : 0;
	}
	CHECK_INT(n, 8);
	CHECK_INT(kinds[0], PB_REALCOM_ERR_UNKNOWN);
	CHECK_INT(kinds[1], PB_REALCOM_ERR_UNKNOWN);
	CHECK_INT(kinds[2], PB_REALCOM_ERR_UNKNOWN);
	CHECK_INT(kinds[3], PB_REALCOM_ERR_LENGTH);
	CHECK_INT(kinds[4], PB_REALCOM_ERR_VALUE);
	CHECK_INT(kinds[5], PB_REALCOM_ERR_VALUE);
	CHECK_INT(kinds[6], PB_REALCOM_ERR_LENGTH);
	CHECK_INT(kinds[7], 0);
	CHECK_INT(cmd.op, PB_REALCOM_LSTATUS);
	CHECK_INT(p.errors, 7);
	check_every_split(stream, len, false, NULL);

	/* unknown opcodes are never answered; known errors are */
	parse_one(BYTES("\x20\x00"), &cmd);
	CHECK_REPLY(&cmd, &lines_on, "");
	parse_one(BYTES("\x17\x02\x00\xc2"), &cmd);
	CHECK_REPLY(&cmd, &lines_on, "\x17OK");
}

static void test_overlong_payload(void)
{
	uint8_t stream[2 + 255 + 3];
	struct pb_realcom_parser p;
	struct pb_realcom_cmd cmd;
	size_t i, n;

	/* a PORT_INIT claiming 255 bytes: kept 16, consumed all, reported */
	stream[0] = PB_REALCOM_PORT_INIT;
	stream[1] = 255;
	for (i = 0; i < 255; i++)
		stream[2 + i] = i;
	memcpy(stream + 257, "\x30\x01\x10", 3);
	pb_realcom_init(&p, false);
	n = pb_realcom_parse(&p, stream, sizeof(stream), &cmd);
	CHECK_INT(n, 257);
	CHECK_INT(cmd.type, PB_REALCOM_ERROR);
	CHECK_INT(cmd.error, PB_REALCOM_ERR_TOO_LONG);
	CHECK_INT(cmd.len, 255);
	CHECK_REPLY(&cmd, &lines_on, "\x2c\x03\x01\x01\x00");
	n = pb_realcom_parse(&p, stream + 257, 3, &cmd);
	CHECK_INT(n, 3);
	CHECK_INT(cmd.op, PB_REALCOM_TX_FIFO);
	CHECK_INT(cmd.type, PB_REALCOM_CMD);
	/* longer than needed but within the buffer: extra ignored */
	parse_one(BYTES("\x18\x03\x11\x13\x99"), &cmd);
	CHECK_INT(cmd.type, PB_REALCOM_CMD);
	CHECK_INT(cmd.xoff, 0x13);
	/* commands without a payload take any length */
	stream[0] = PB_REALCOM_HOST;
	pb_realcom_init(&p, false);
	n = pb_realcom_parse(&p, stream, 257, &cmd);
	CHECK_INT(n, 257);
	CHECK_INT(cmd.type, PB_REALCOM_CMD);
	CHECK_INT(p.errors, 0);
}

static void test_ipv6_echo(void)
{
	static const uint8_t stream[] =
		"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d"
		"\x2c\x08" "\x13\x00";
	struct pb_realcom_parser p;
	struct pb_realcom_cmd cmd;
	size_t n;

	pb_realcom_init(&p, true);
	n = pb_realcom_parse(&p, stream, 10, &cmd);
	CHECK_INT(n, 10);
	CHECK_INT(cmd.type, PB_REALCOM_NONE);
	n = pb_realcom_parse(&p, stream + 10, sizeof(stream) - 11, &cmd);
	CHECK_INT(n, 6);
	CHECK_INT(cmd.type, PB_REALCOM_ECHO);
	CHECK_INT(cmd.len, 16);
	CHECK(!memcmp(cmd.payload, stream, 16));
	CHECK_REPLY(&cmd, &lines_on, "");
	n = pb_realcom_parse(&p, stream + 16, 2, &cmd);
	CHECK_INT(cmd.op, PB_REALCOM_LSTATUS);
	check_every_split(stream, sizeof(stream) - 1, true,
			  "2/00/0:000102030405060708090a0b0c0d2c08:0:000 "
			  "1/13/0::0:000 ");
}

static void test_reply_encoders(void)
{
	static const uint8_t forbidden[] = { 0x20, 0x2e, 0x28, 0x26, 0x27,
					     0x00, 0x99, 0xff };
	uint8_t out[PB_REALCOM_REPLY_MAX];
	unsigned int i, op;

	for (i = 0; i < sizeof(forbidden); i++) {
		CHECK_INT(pb_realcom_reply_ok(out, forbidden[i]), 0);
		CHECK_INT(pb_realcom_reply_lines(out, forbidden[i], 1, 1, 1), 0);
		CHECK_INT(pb_realcom_reply_queue(out, forbidden[i], 1), 0);
	}
	/* each opcode gets only its own reply form, of its fixed length */
	for (op = 0; op < 256; op++) {
		size_t ok = pb_realcom_reply_ok(out, op);
		size_t lines = pb_realcom_reply_lines(out, op, 0, 0, 0);
		size_t queue = pb_realcom_reply_queue(out, op, 0);

		CHECK_INT(!!ok + !!lines + !!queue <= 1, 1);
		if (ok)
			CHECK_INT(ok, 3);
		if (lines)
			CHECK(op == 0x13 || op == 0x2c);
		if (queue)
			CHECK(op == 0x15 || op == 0x16 || op == 0x2f);
	}
	CHECK_INT(pb_realcom_reply_lines(out, 0x13, true, false, true), 5);
	CHECK(!memcmp(out, "\x13\x03\x01\x00\x01", 5));
	CHECK_INT(pb_realcom_reply_queue(out, 0x16, 5), 4);
	CHECK(!memcmp(out, "\x16\x02\x05\x00", 4));
	/* a non-empty queue never reads as empty to the host */
	CHECK_INT(pb_realcom_reply_queue(out, 0x2f, 256), 4);
	CHECK(!memcmp(out, "\x2f\x02\xff\x00", 4));
	CHECK_INT(pb_realcom_reply_queue(out, 0x2f, 0x1200), 4);
	CHECK(!memcmp(out, "\x2f\x02\xff\x11", 4));
	CHECK_INT(pb_realcom_reply_queue(out, 0x2f, 70000), 4);
	CHECK(!memcmp(out, "\x2f\x02\xff\xff", 4));
	CHECK_INT(pb_realcom_reply_queue(out, 0x2f, 0), 4);
	CHECK(!memcmp(out, "\x2f\x02\x00\x00", 4));
	CHECK_INT(pb_realcom_notify(out, PB_REALCOM_EV_MSR |
				    PB_REALCOM_EV_PARITY,
				    PB_REALCOM_MSR_CTS | PB_REALCOM_MSR_DCD), 4);
	CHECK(!memcmp(out, "\x26\x21\x90\x00", 4));
	CHECK_INT(pb_realcom_polling(out, 0x42), 3);
	CHECK(!memcmp(out, "\x27\x01\x42", 3));
}

static const struct unit_test tests[] = {
	{ "first_open", test_first_open },
	{ "every_command", test_every_command },
	{ "baud_table", test_baud_table },
	{ "mode_byte", test_mode_byte },
	{ "reconnect_burst", test_reconnect_burst },
	{ "unknown_and_malformed", test_unknown_and_malformed },
	{ "overlong_payload", test_overlong_payload },
	{ "ipv6_echo", test_ipv6_echo },
	{ "reply_encoders", test_reply_encoders },
};

UNIT_SUITE(codec_realcom_tests, "codec_realcom", tests);
