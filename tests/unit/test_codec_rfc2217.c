// SPDX-License-Identifier: GPL-2.0
/* RFC 2217 COM-PORT-OPTION: the client's commands, the server's answers. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/portbridge.h>

#include "codec/rfc2217.h"
#include "codec/telnet.h"
#include "unit.h"

#define IAC "\xff"
#define SB "\xfa"
#define SE "\xf0"

static enum pb_rfc2217_error parse(const char *v, size_t len,
				   struct pb_rfc2217_cmd *cmd)
{
	return pb_rfc2217_parse((const uint8_t *)v, len, cmd);
}

#define PARSE(s, cmd) parse(s, sizeof(s) - 1, cmd)

static void test_parse_settings(void)
{
	struct pb_rfc2217_cmd cmd;

	/* pyserial: struct.pack('!I', 9600) */
	CHECK_INT(PARSE("\x01\x00\x00\x25\x80", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_SET_BAUDRATE);
	CHECK_INT(cmd.baud, 9600);
	CHECK(!cmd.cisco);
	CHECK_INT(PARSE("\x01\x00\x0e\x10\x00", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.baud, 921600);
	CHECK_INT(PARSE("\x01\x00\x00\x00\x00", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.baud, 0);		/* query */
	CHECK_INT(PARSE("\x01\xff\xff\xff\xff", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.baud, 0xffffffffu);
	CHECK_INT(PARSE("\x02\x08", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_SET_DATASIZE);
	CHECK_INT(cmd.value, 8);
	CHECK_INT(PARSE("\x02\x05", &cmd), PB_RFC2217_OK);
	CHECK_INT(PARSE("\x02\x00", &cmd), PB_RFC2217_OK);
	CHECK_INT(PARSE("\x03\x01", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_SET_PARITY);
	CHECK_INT(cmd.value - 1, PB_PARITY_NONE);
	CHECK_INT(PARSE("\x03\x05", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.value - 1, PB_PARITY_SPACE);
	CHECK_INT(PARSE("\x03\x02", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.value - 1, PB_PARITY_ODD);
	CHECK_INT(PARSE("\x03\x03", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.value - 1, PB_PARITY_EVEN);
	CHECK_INT(PARSE("\x04\x01", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_SET_STOPSIZE);
	CHECK_INT(PARSE("\x04\x03", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.value, PB_RFC2217_STOPSIZE_1_5);
}

static void test_parse_cisco_baud(void)
{
	struct pb_rfc2217_cmd cmd;

	/* gensio accepts Cisco IOS's one-byte form */
	CHECK_INT(PARSE("\x01\x08", &cmd), PB_RFC2217_OK);
	CHECK(cmd.cisco);
	CHECK_INT(cmd.baud, 9600);
	CHECK_INT(PARSE("\x01\x0e", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.baud, 115200);
	CHECK_INT(PARSE("\x01\x00", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.baud, 0);
	CHECK(cmd.cisco);
	CHECK_INT(PARSE("\x01\x09", &cmd), PB_RFC2217_ERR_VALUE);
	CHECK_INT(cmd.code, PB_RFC2217_SET_BAUDRATE);
	CHECK_INT(pb_rfc2217_cisco_to_baud(3), 300);
	CHECK_INT(pb_rfc2217_cisco_to_baud(15), 230400);
	CHECK_INT(pb_rfc2217_cisco_to_baud(16), 0);
	CHECK_INT(pb_rfc2217_baud_to_cisco(57600), 13);
	CHECK_INT(pb_rfc2217_baud_to_cisco(921600), 0);
}

static void test_parse_control_and_others(void)
{
	struct pb_rfc2217_cmd cmd;
	char v[2];
	int i;

	for (i = 0; i <= 19; i++) {
		v[0] = PB_RFC2217_SET_CONTROL;
		v[1] = i;
		CHECK_INT(parse(v, 2, &cmd), PB_RFC2217_OK);
		CHECK_INT(cmd.value, i);
	}
	CHECK_INT(PARSE("\x05\x08", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.value, PB_RFC2217_CTL_DTR_ON);
	CHECK_INT(PARSE("\x05\x14", &cmd), PB_RFC2217_ERR_VALUE);
	CHECK_INT(cmd.code, PB_RFC2217_SET_CONTROL);

	/* polls, with or without a value (pyserial sends none) */
	CHECK_INT(PARSE("\x06", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_NOTIFY_LINESTATE);
	CHECK_INT(PARSE("\x07", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_NOTIFY_MODEMSTATE);
	CHECK_INT(PARSE("\x07\x00", &cmd), PB_RFC2217_OK);
	CHECK_INT(PARSE("\x08", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_FLOWCONTROL_SUSPEND);
	CHECK_INT(PARSE("\x09", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_FLOWCONTROL_RESUME);
	CHECK_INT(PARSE("\x0a\xff", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_SET_LINESTATE_MASK);
	CHECK_INT(cmd.value, 0xff);
	CHECK_INT(PARSE("\x0b\x30", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_SET_MODEMSTATE_MASK);
	CHECK_INT(cmd.value, 0x30);
	CHECK_INT(PARSE("\x0c\x01", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.value, PB_RFC2217_PURGE_RX);
	CHECK_INT(PARSE("\x0c\x03", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.value, PB_RFC2217_PURGE_BOTH);
}

static void test_parse_signature(void)
{
	struct pb_rfc2217_cmd cmd;
	static const char v[] = "\x00pyserial";

	CHECK_INT(PARSE("\x00", &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.code, PB_RFC2217_SIGNATURE);
	CHECK_INT(cmd.text_len, 0);	/* asks for ours */
	CHECK_INT(PARSE(v, &cmd), PB_RFC2217_OK);
	CHECK_INT(cmd.text_len, 8);
	CHECK(cmd.text == (const uint8_t *)v + 1);
	CHECK(!memcmp(cmd.text, "pyserial", 8));
}

static void test_parse_errors(void)
{
	struct pb_rfc2217_cmd cmd;

	CHECK_INT(parse("", 0, &cmd), PB_RFC2217_ERR_EMPTY);
	CHECK_INT(parse(NULL, 0, &cmd), PB_RFC2217_ERR_EMPTY);
	/* values out of range: the command is known, answer current */
	CHECK_INT(PARSE("\x02\x04", &cmd), PB_RFC2217_ERR_VALUE);
	CHECK_INT(cmd.code, PB_RFC2217_SET_DATASIZE);
	CHECK_INT(PARSE("\x02\x01", &cmd), PB_RFC2217_ERR_VALUE);
	CHECK_INT(PARSE("\x02\x09", &cmd), PB_RFC2217_ERR_VALUE);
	CHECK_INT(PARSE("\x03\x06", &cmd), PB_RFC2217_ERR_VALUE);
	CHECK_INT(cmd.code, PB_RFC2217_SET_PARITY);
	CHECK_INT(PARSE("\x04\x04", &cmd), PB_RFC2217_ERR_VALUE);
	CHECK_INT(PARSE("\x0c\x00", &cmd), PB_RFC2217_ERR_VALUE);
	CHECK_INT(PARSE("\x0c\x04", &cmd), PB_RFC2217_ERR_VALUE);
	/* wrong lengths */
	CHECK_INT(PARSE("\x01", &cmd), PB_RFC2217_ERR_LENGTH);
	CHECK_INT(PARSE("\x01\x00\x00\x25", &cmd), PB_RFC2217_ERR_LENGTH);
	/* sredird's 8-byte rate */
	CHECK_INT(PARSE("\x01\x00\x00\x25\x80\x00\x00\x00\x00", &cmd),
		  PB_RFC2217_ERR_LENGTH);
	CHECK_INT(PARSE("\x02", &cmd), PB_RFC2217_ERR_LENGTH);
	CHECK_INT(PARSE("\x02\x08\x08", &cmd), PB_RFC2217_ERR_LENGTH);
	CHECK_INT(PARSE("\x05", &cmd), PB_RFC2217_ERR_LENGTH);
	CHECK_INT(PARSE("\x06\x00\x00", &cmd), PB_RFC2217_ERR_LENGTH);
	CHECK_INT(PARSE("\x08\x00", &cmd), PB_RFC2217_ERR_LENGTH);
	CHECK_INT(PARSE("\x0a", &cmd), PB_RFC2217_ERR_LENGTH);
	CHECK_INT(PARSE("\x0c", &cmd), PB_RFC2217_ERR_LENGTH);
	/* not client commands */
	CHECK_INT(PARSE("\x0d\x00", &cmd), PB_RFC2217_ERR_UNKNOWN);
	CHECK_INT(cmd.code, 13);
	CHECK_INT(PARSE("\x63", &cmd), PB_RFC2217_ERR_UNKNOWN);
	CHECK_INT(PARSE("\x64", &cmd), PB_RFC2217_ERR_DIRECTION);
	CHECK_INT(PARSE("\x65\x00\x00\x25\x80", &cmd),
		  PB_RFC2217_ERR_DIRECTION);
	CHECK_INT(PARSE("\x70\x01", &cmd), PB_RFC2217_ERR_DIRECTION);
	CHECK_INT(PARSE("\x71", &cmd), PB_RFC2217_ERR_UNKNOWN);
	CHECK_INT(PARSE("\xff", &cmd), PB_RFC2217_ERR_UNKNOWN);
	CHECK_STR(pb_rfc2217_strerror(PB_RFC2217_ERR_VALUE),
		  "COM-PORT-OPTION value out of range");
	CHECK_STR(pb_rfc2217_strerror(PB_RFC2217_OK), "ok");
	CHECK_STR(pb_rfc2217_strerror((enum pb_rfc2217_error)99),
		  "unknown error");
}

#define CHECK_BYTES(buf, n, s)						\
	do {								\
		CHECK_INT(n, sizeof(s) - 1);				\
		CHECK(!memcmp(buf, s, sizeof(s) - 1));			\
	} while (0)

static void test_replies(void)
{
	uint8_t out[64];
	size_t n;

	n = pb_rfc2217_reply_baud(out, sizeof(out), 9600, false);
	CHECK_BYTES(out, n, IAC SB "\x2c\x65\x00\x00\x25\x80" IAC SE);
	n = pb_rfc2217_reply_baud(out, sizeof(out), 115200, false);
	CHECK_BYTES(out, n, IAC SB "\x2c\x65\x00\x01\xc2\x00" IAC SE);
	/* an 0xFF inside the value is doubled */
	n = pb_rfc2217_reply_baud(out, sizeof(out), 0x00ff00ff, false);
	CHECK_BYTES(out, n, IAC SB "\x2c\x65\x00" IAC IAC "\x00" IAC IAC
		    IAC SE);
	n = pb_rfc2217_reply_baud(out, sizeof(out), 0xffffffff, false);
	CHECK_BYTES(out, n, IAC SB "\x2c\x65" IAC IAC IAC IAC IAC IAC IAC IAC
		    IAC SE);
	CHECK_INT(n, PB_RFC2217_REPLY_MAX);
	n = pb_rfc2217_reply_baud(out, sizeof(out), 9600, true);
	CHECK_BYTES(out, n, IAC SB "\x2c\x65\x08" IAC SE);
	n = pb_rfc2217_reply_value(out, sizeof(out), PB_RFC2217_SET_DATASIZE,
				   8);
	CHECK_BYTES(out, n, IAC SB "\x2c\x66\x08" IAC SE);
	n = pb_rfc2217_reply_value(out, sizeof(out), PB_RFC2217_SET_PARITY, 3);
	CHECK_BYTES(out, n, IAC SB "\x2c\x67\x03" IAC SE);
	n = pb_rfc2217_reply_value(out, sizeof(out), PB_RFC2217_SET_STOPSIZE,
				   1);
	CHECK_BYTES(out, n, IAC SB "\x2c\x68\x01" IAC SE);
	n = pb_rfc2217_reply_value(out, sizeof(out), PB_RFC2217_SET_CONTROL,
				   PB_RFC2217_CTL_RTS_ON);
	CHECK_BYTES(out, n, IAC SB "\x2c\x69\x0b" IAC SE);
	n = pb_rfc2217_reply_value(out, sizeof(out),
				   PB_RFC2217_SET_LINESTATE_MASK, 0xff);
	CHECK_BYTES(out, n, IAC SB "\x2c\x6e" IAC IAC IAC SE);
	n = pb_rfc2217_reply_value(out, sizeof(out),
				   PB_RFC2217_SET_MODEMSTATE_MASK, 0x30);
	CHECK_BYTES(out, n, IAC SB "\x2c\x6f\x30" IAC SE);
	n = pb_rfc2217_reply_value(out, sizeof(out), PB_RFC2217_PURGE_DATA,
				   PB_RFC2217_PURGE_TX);
	CHECK_BYTES(out, n, IAC SB "\x2c\x70\x02" IAC SE);
	n = pb_rfc2217_notify_linestate(out, sizeof(out),
					PB_RFC2217_LINE_BREAK);
	CHECK_BYTES(out, n, IAC SB "\x2c\x6a\x10" IAC SE);
	n = pb_rfc2217_notify_modemstate(out, sizeof(out), 0xb1);
	CHECK_BYTES(out, n, IAC SB "\x2c\x6b\xb1" IAC SE);
	n = pb_rfc2217_flowcontrol(out, sizeof(out), true);
	CHECK_BYTES(out, n, IAC SB "\x2c\x6c" IAC SE);
	n = pb_rfc2217_flowcontrol(out, sizeof(out), false);
	CHECK_BYTES(out, n, IAC SB "\x2c\x6d" IAC SE);
	n = pb_rfc2217_reply_signature(out, sizeof(out),
				       (const uint8_t *)"pb\xff", 3);
	CHECK_BYTES(out, n, IAC SB "\x2c\x64pb" IAC IAC IAC SE);
	n = pb_rfc2217_reply_signature(out, sizeof(out), NULL, 0);
	CHECK_BYTES(out, n, IAC SB "\x2c\x64" IAC SE);
	n = pb_rfc2217_encode(out, sizeof(out), 0xff, NULL, 0);
	CHECK_BYTES(out, n, IAC SB "\x2c" IAC IAC IAC SE);
}

static void test_replies_never_overflow(void)
{
	uint8_t out[PB_RFC2217_REPLY_MAX + 1];
	size_t n, size;

	/* all or nothing: one byte short writes nothing */
	for (size = 0; size < 14; size++) {
		memset(out, 0xaa, sizeof(out));
		n = pb_rfc2217_reply_baud(out, size, 0xffffffff, false);
		CHECK_INT(n, 0);
		CHECK_INT(out[0], 0xaa);
	}
	CHECK_INT(pb_rfc2217_reply_baud(out, 14, 0xffffffff, false), 14);
	CHECK_INT(out[14], 0xaa);
	CHECK_INT(pb_rfc2217_reply_value(out, 6, 2, 8), 0);
	CHECK_INT(pb_rfc2217_reply_value(out, 7, 2, 8), 7);
	CHECK_INT(pb_rfc2217_reply_value(out, 7, 2, 0xff), 0);
	CHECK_INT(pb_rfc2217_reply_signature(out, 11,
					     (const uint8_t *)"abcdef", 6), 0);
}

/* Every answer read back with the Telnet decoder gives code and value. */
static void test_replies_decode(void)
{
	uint8_t out[64];
	uint32_t bauds[] = { 0, 50, 9600, 0xff, 0xffff, 0xff00ff00,
			     0xffffffff, 921600 };
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	size_t i, n, used;

	for (i = 0; i < sizeof(bauds) / sizeof(bauds[0]); i++) {
		n = pb_rfc2217_reply_baud(out, sizeof(out), bauds[i], false);
		pb_telnet_dec_init(&d);
		used = pb_telnet_decode(&d, out, n, SIZE_MAX, &it);
		CHECK_INT(used, n);
		CHECK_INT(it.type, PB_TELNET_SUBNEG);
		CHECK_INT(it.option, 44);
		CHECK_INT(it.len, 5);
		CHECK_INT(it.data[0], 101);
		CHECK_INT((uint32_t)it.data[1] << 24 | it.data[2] << 16 |
			  it.data[3] << 8 | it.data[4], bauds[i]);
	}
}

static void test_modemstate(void)
{
	CHECK_INT(pb_rfc2217_modemstate(0x30, 0x30), 0x30);
	CHECK_INT(pb_rfc2217_modemstate(0x30, 0x00), 0x33);
	CHECK_INT(pb_rfc2217_modemstate(0x80, 0x10), 0x89);
	/* RI: only its trailing edge is reported */
	CHECK_INT(pb_rfc2217_modemstate(0x40, 0x00), 0x40);
	CHECK_INT(pb_rfc2217_modemstate(0x00, 0x40), 0x04);
	/* delta bits in "before" do not matter */
	CHECK_INT(pb_rfc2217_modemstate(0xf0, 0xff), 0xf0);
}

/*
 * pyserial's whole open sequence, as a client's Telnet stream, at every
 * split point: the server sees the same commands in the same order.
 */
static const char pyserial_open[] =
	IAC "\xfd\x01" IAC "\xfb\x03" IAC "\xfd\x03" IAC "\xfb\x2c"
	IAC "\xfd\x2c"
	IAC SB "\x2c\x01\x00\x01\xc2\x00" IAC SE
	IAC SB "\x2c\x02\x08" IAC SE IAC SB "\x2c\x03\x01" IAC SE
	IAC SB "\x2c\x04\x01" IAC SE IAC SB "\x2c\x05\x01" IAC SE
	IAC SB "\x2c\x05\x08" IAC SE IAC SB "\x2c\x05\x0b" IAC SE
	IAC SB "\x2c\x0c\x01" IAC SE IAC SB "\x2c\x0c\x02" IAC SE
	"AT" IAC IAC "\r";

static void commands_of(const char *stream, size_t len, size_t cut,
			char *out, size_t size)
{
	struct pb_telnet_dec d;
	struct pb_telnet_item it;
	struct pb_rfc2217_cmd cmd;
	size_t start = 0, end, o = 0;

	pb_telnet_dec_init(&d);
	out[0] = '\0';
	for (end = cut; start < len; end = len) {
		while (start < end) {
			start += pb_telnet_decode(&d, (const uint8_t *)stream +
						  start, end - start, SIZE_MAX,
						  &it);
			if (it.type == PB_TELNET_DATA)
				o += snprintf(out + o, size - o, "d%zu ",
					      it.len);
			if (it.type != PB_TELNET_SUBNEG)
				continue;
			CHECK_INT(it.option, 44);
			CHECK_INT(pb_rfc2217_parse(it.data, it.len, &cmd),
				  PB_RFC2217_OK);
			o += snprintf(out + o, size - o, "%u:%u:%u ",
				      cmd.code, cmd.value, cmd.baud);
		}
	}
}

static void test_pyserial_stream_every_split(void)
{
	char whole[512], got[512];
	size_t len = sizeof(pyserial_open) - 1, i;

	commands_of(pyserial_open, len, len, whole, sizeof(whole));
	CHECK_STR(whole, "1:0:115200 2:8:0 3:1:0 4:1:0 5:1:0 5:8:0 5:11:0 "
		  "12:1:0 12:2:0 d2 d2 ");
	for (i = 0; i < len; i++) {
		commands_of(pyserial_open, len, i, got, sizeof(got));
		/* data spans may split differently; commands may not */
		CHECK(!strncmp(got, whole, strlen("1:0:115200 2:8:0 3:1:0 "
						  "4:1:0 5:1:0 5:8:0 5:11:0 "
						  "12:1:0 12:2:0 ")));
	}
}

static const struct unit_test tests[] = {
	{ "parse_settings", test_parse_settings },
	{ "parse_cisco_baud", test_parse_cisco_baud },
	{ "parse_control_and_others", test_parse_control_and_others },
	{ "parse_signature", test_parse_signature },
	{ "parse_errors", test_parse_errors },
	{ "replies", test_replies },
	{ "replies_never_overflow", test_replies_never_overflow },
	{ "replies_decode", test_replies_decode },
	{ "modemstate", test_modemstate },
	{ "pyserial_stream_every_split", test_pyserial_stream_every_split },
};

UNIT_SUITE(codec_rfc2217_tests, "codec_rfc2217", tests);
