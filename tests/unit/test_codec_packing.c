// SPDX-License-Identifier: GPL-2.0
/* Serial to network data packing: length, delimiters, force transmit. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec/packing.h"
#include "unit.h"

#define OFF PB_DELIM_OFF

/*
 * A user of the codec as the kernel will be: a real queue, chunks of
 * input at given times, timer ticks.  It writes what left as text:
 * "[packet]" for each packet sent, "-n" for n bytes dropped.
 */
struct user {
	struct pb_pack pack;
	uint8_t queue[2048];
	size_t queued;
	char out[4096];
	size_t o;
};

static void user_init(struct user *u, struct pb_pack_cfg cfg, size_t cap)
{
	memset(u, 0, sizeof(*u));
	CHECK(pb_pack_init(&u->pack, &cfg, cap));
}

static void apply(struct user *u, const struct pb_pack_action *act,
		  const uint8_t *fresh, size_t n)
{
	uint8_t all[4096];

	memcpy(all, u->queue, u->queued);
	if (n)
		memcpy(all + u->queued, fresh, n);
	if (!act->emit && !act->drop) {
		memcpy(u->queue, all, u->queued + n);
		u->queued += n;
		CHECK_INT(pb_pack_queued(&u->pack), u->queued);
		return;
	}
	CHECK_INT(act->emit + act->drop, u->queued + n);
	if (act->emit)
		u->o += snprintf(u->out + u->o, sizeof(u->out) - u->o,
				 "[%.*s]", (int)act->emit, (char *)all);
	if (act->drop)
		u->o += snprintf(u->out + u->o, sizeof(u->out) - u->o, "-%zu",
				 act->drop);
	u->queued = 0;
	CHECK_INT(pb_pack_queued(&u->pack), 0);
}

static void feed(struct user *u, const char *s, uint32_t now)
{
	const uint8_t *in = (const uint8_t *)s;
	size_t len = strlen(s);
	struct pb_pack_action act;

	while (len) {
		size_t n = pb_pack_input(&u->pack, in, len, now, &act);

		CHECK(n > 0 && n <= len);
		apply(u, &act, in, n);
		in += n;
		len -= n;
	}
}

static void tick(struct user *u, uint32_t now)
{
	struct pb_pack_action act;

	if (pb_pack_timer(&u->pack, now, &act))
		apply(u, &act, NULL, 0);
	else
		CHECK(!act.emit && !act.drop);
}

static struct pb_pack_cfg cfg(uint16_t length, uint16_t d1, uint16_t d2,
			      uint8_t process, uint16_t force)
{
	struct pb_pack_cfg c = {
		.length = length, .delim1 = d1, .delim2 = d2,
		.process = process, .force_ms = force,
	};

	return c;
}

static void test_off_is_passthrough(void)
{
	static const uint8_t data[] = "abc\r\ndef";
	struct pb_pack_action act;
	struct pb_pack p;
	struct pb_pack_cfg c = cfg(0, OFF, OFF, PB_DELIM_NOTHING, 0);
	uint32_t at;

	CHECK(pb_pack_init(&p, &c, 1024));
	CHECK(pb_pack_passthrough(&p));
	/* the whole chunk, at once, from the caller's buffer */
	CHECK_INT(pb_pack_input(&p, data, 8, 5, &act), 8);
	CHECK_INT(act.emit, 8);
	CHECK_INT(act.drop, 0);
	CHECK_INT(pb_pack_queued(&p), 0);
	CHECK(!pb_pack_deadline(&p, &at));
	CHECK(!pb_pack_timer(&p, 1000, &act));
	CHECK_INT(pb_pack_input(&p, data, 0, 5, &act), 0);
	CHECK_INT(act.emit, 0);
	/* the process without a delimiter changes nothing */
	c.process = PB_DELIM_STRIP;
	CHECK(pb_pack_init(&p, &c, 1024));
	CHECK(pb_pack_passthrough(&p));
}

static void test_length(void)
{
	struct user u;

	user_init(&u, cfg(4, OFF, OFF, 0, 0), 1024);
	CHECK(!pb_pack_passthrough(&u.pack));
	feed(&u, "ab", 0);
	CHECK_STR(u.out, "");
	feed(&u, "cdefghijk", 0);
	CHECK_STR(u.out, "[abcd][efgh]");
	CHECK_INT(u.queued, 3);
	feed(&u, "lmn", 1);
	CHECK_STR(u.out, "[abcd][efgh][ijkl]");
	/* length 1: every byte is a packet */
	user_init(&u, cfg(1, OFF, OFF, 0, 0), 1024);
	feed(&u, "xyz", 0);
	CHECK_STR(u.out, "[x][y][z]");
	/* the queue caps the length */
	user_init(&u, cfg(1024, OFF, OFF, 0, 0), 3);
	feed(&u, "abcdefg", 0);
	CHECK_STR(u.out, "[abc][def]");
}

static void test_delimiter_process(void)
{
	struct user u;

	user_init(&u, cfg(0, '\r', OFF, PB_DELIM_NOTHING, 0), 1024);
	feed(&u, "ab\rcd\r\re", 0);
	CHECK_STR(u.out, "[ab\r][cd\r][\r]");
	CHECK_INT(u.queued, 1);

	user_init(&u, cfg(0, '\r', OFF, PB_DELIM_STRIP, 0), 1024);
	feed(&u, "ab\rcd\r\re", 0);
	CHECK_STR(u.out, "[ab]-1[cd]-1-1");

	user_init(&u, cfg(0, '\r', OFF, PB_DELIM_PLUS1, 0), 1024);
	feed(&u, "ab\rXcd\r", 0);
	CHECK_STR(u.out, "[ab\rX]");
	feed(&u, "\rY", 0);
	/* the byte after a delimiter is data, even a delimiter */
	CHECK_STR(u.out, "[ab\rX][cd\r\r]");
	CHECK_INT(u.queued, 1);

	user_init(&u, cfg(0, '\r', OFF, PB_DELIM_PLUS2, 0), 1024);
	feed(&u, "ab\rX", 0);
	CHECK_STR(u.out, "");
	feed(&u, "Ycd", 0);
	CHECK_STR(u.out, "[ab\rXY]");

	/* delimiter 0x00 is a delimiter like any other */
	user_init(&u, cfg(0, 0, OFF, PB_DELIM_NOTHING, 0), 1024);
	{
		struct pb_pack_action act;
		static const uint8_t z[] = { 'a', 0, 'b' };

		CHECK_INT(pb_pack_input(&u.pack, z, 3, 0, &act), 2);
		CHECK_INT(act.emit, 2);
	}
}

static void test_two_byte_delimiter(void)
{
	struct user u;

	user_init(&u, cfg(0, '\r', '\n', PB_DELIM_STRIP, 0), 1024);
	feed(&u, "one\r\ntwo\rthree\n", 0);
	CHECK_STR(u.out, "[one]-2");
	feed(&u, "\r", 0);
	feed(&u, "\n", 0);	/* split over chunks, half in the queue */
	CHECK_STR(u.out, "[one]-2[two\rthree\n]-2");
	feed(&u, "\r\r\n", 0);
	CHECK_STR(u.out, "[one]-2[two\rthree\n]-2[\r]-2");

	user_init(&u, cfg(0, '\r', '\n', PB_DELIM_NOTHING, 0), 1024);
	feed(&u, "a\n\rb\r\nc", 0);
	CHECK_STR(u.out, "[a\n\rb\r\n]");

	/* the same byte twice */
	user_init(&u, cfg(0, 'x', 'x', PB_DELIM_PLUS1, 0), 1024);
	feed(&u, "axbxx12", 0);
	CHECK_STR(u.out, "[axbxx1]");

	user_init(&u, cfg(0, '\r', '\n', PB_DELIM_PLUS2, 0), 1024);
	feed(&u, "a\r\n\r\nb", 0);
	CHECK_STR(u.out, "[a\r\n\r\n]");
}

/*
 * Length (or a full queue) wins over a delimiter in progress, and the
 * next packet starts matching afresh.
 */
static void test_length_cuts_delimiter(void)
{
	struct user u;

	user_init(&u, cfg(3, '\r', OFF, PB_DELIM_PLUS2, 0), 1024);
	feed(&u, "a\rbc", 0);
	CHECK_STR(u.out, "[a\rb]");
	feed(&u, "de", 0);
	CHECK_STR(u.out, "[a\rb][cde]");

	user_init(&u, cfg(4, '\r', '\n', PB_DELIM_STRIP, 0), 1024);
	feed(&u, "abc\r\nxy\r\n", 0);
	CHECK_STR(u.out, "[abc\r][\nxy\r]");
	CHECK_INT(u.queued, 1);

	/* the delimiter on the length's last byte: the delimiter decides */
	user_init(&u, cfg(3, '\r', OFF, PB_DELIM_STRIP, 0), 1024);
	feed(&u, "ab\rcd", 0);
	CHECK_STR(u.out, "[ab]-1");

	/* a full queue without delimiter: what is there goes */
	user_init(&u, cfg(0, '\r', OFF, PB_DELIM_NOTHING, 0), 4);
	feed(&u, "abcdef\r", 0);
	CHECK_STR(u.out, "[abcd][ef\r]");
}

static void test_force_transmit(void)
{
	struct user u;
	uint32_t at;

	user_init(&u, cfg(0, OFF, OFF, 0, 50), 1024);
	CHECK(!pb_pack_passthrough(&u.pack));
	CHECK(!pb_pack_deadline(&u.pack, &at));
	feed(&u, "ab", 1000);
	CHECK(pb_pack_deadline(&u.pack, &at));
	CHECK_INT(at, 1050);
	feed(&u, "c", 1030);	/* an idle time: restarts with each byte */
	CHECK(pb_pack_deadline(&u.pack, &at));
	CHECK_INT(at, 1080);
	tick(&u, 1050);
	CHECK_STR(u.out, "");
	tick(&u, 1079);
	CHECK_STR(u.out, "");
	tick(&u, 1080);
	CHECK_STR(u.out, "[abc]");
	CHECK(!pb_pack_deadline(&u.pack, &at));
	tick(&u, 5000);
	CHECK_STR(u.out, "[abc]");

	/* with a delimiter too, and across the clock's wrap */
	user_init(&u, cfg(0, '\r', OFF, PB_DELIM_STRIP, 20), 1024);
	feed(&u, "x\ry", 0xfffffff0u);
	CHECK_STR(u.out, "[x]-1");
	CHECK(pb_pack_deadline(&u.pack, &at));
	CHECK_INT(at, 4);
	tick(&u, 0xfffffffe);
	CHECK_STR(u.out, "[x]-1");
	tick(&u, 5);
	CHECK_STR(u.out, "[x]-1[y]");

	/* the timer cuts a delimiter in progress; matching starts afresh */
	user_init(&u, cfg(0, '\r', '\n', PB_DELIM_STRIP, 10), 1024);
	feed(&u, "ab\r", 0);
	tick(&u, 10);
	feed(&u, "\ncd\r\n", 20);
	CHECK_STR(u.out, "[ab\r][\ncd]-2");
}

static void test_config_validation(void)
{
	struct pb_pack_cfg c;
	struct pb_pack p;

	c = cfg(1024, 255, 0, PB_DELIM_STRIP, 65535);
	CHECK(pb_pack_cfg_valid(&c));
	c = cfg(1025, OFF, OFF, 0, 0);
	CHECK(!pb_pack_cfg_valid(&c));
	c = cfg(0, 0x101, OFF, 0, 0);	/* 0x100 is PB_DELIM_OFF */
	CHECK(!pb_pack_cfg_valid(&c));
	c = cfg(0, '\r', 0x1ff, 0, 0);
	CHECK(!pb_pack_cfg_valid(&c));
	c = cfg(0, OFF, '\n', 0, 0);	/* delimiter 2 needs delimiter 1 */
	CHECK(!pb_pack_cfg_valid(&c));
	c = cfg(0, '\r', OFF, __PB_DELIM_MAX, 0);
	CHECK(!pb_pack_cfg_valid(&c));
	/* invalid settings pack nothing */
	c = cfg(2000, '\r', OFF, 0, 10);
	CHECK(!pb_pack_init(&p, &c, 1024));
	CHECK(pb_pack_passthrough(&p));
	c = cfg(4, OFF, OFF, 0, 0);
	CHECK(!pb_pack_init(&p, &c, 0));
	CHECK(pb_pack_passthrough(&p));
}

/* A simple model: whole-buffer rules, one byte at a time. */
static void model(struct pb_pack_cfg c, size_t cap, const char *in,
		  char *out, size_t size)
{
	char buf[2048];
	size_t len = 0, wait = 0, at = 0, o = 0, limit, i;

	limit = c.length && c.length < cap ? c.length : cap;
	out[0] = '\0';
	for (i = 0; in[i]; i++) {
		size_t d = 0, drop = 0;
		bool send = false;

		buf[len++] = in[i];
		if (wait) {
			send = len == at + wait;
		} else if (c.delim2 == OFF) {
			d = (uint8_t)buf[len - 1] == c.delim1;
		} else {
			d = len >= 2 && (uint8_t)buf[len - 2] == c.delim1 &&
			    (uint8_t)buf[len - 1] == c.delim2 ? 2 : 0;
		}
		if (d) {
			if (c.process == PB_DELIM_STRIP)
				drop = d;
			if (c.process == PB_DELIM_PLUS1 ||
			    c.process == PB_DELIM_PLUS2) {
				at = len;
				wait = c.process == PB_DELIM_PLUS1 ? 1 : 2;
			} else {
				send = true;
			}
		}
		if (len == limit)
			send = true;
		if (!send)
			continue;
		if (len > drop)
			o += snprintf(out + o, size - o, "[%.*s]",
				      (int)(len - drop), buf);
		if (drop)
			o += snprintf(out + o, size - o, "-%zu", drop);
		len = 0;
		wait = 0;
	}
}

/*
 * Sample streams cut at every position (and every pair of positions) give
 * what the model gives for the whole, for every kind of setting.
 */
static void test_every_chunking(void)
{
	static const char stream[] = "ab\r\ncd\r\r\nxx\nefghij\r\n\n\rk";
	static const struct {
		uint16_t length, d1, d2;
		uint8_t process;
		size_t cap;
	} cases[] = {
		{ 0, '\r', OFF, PB_DELIM_NOTHING, 1024 },
		{ 0, '\r', OFF, PB_DELIM_STRIP, 1024 },
		{ 0, '\r', OFF, PB_DELIM_PLUS1, 1024 },
		{ 0, '\r', OFF, PB_DELIM_PLUS2, 1024 },
		{ 0, '\r', '\n', PB_DELIM_NOTHING, 1024 },
		{ 0, '\r', '\n', PB_DELIM_STRIP, 1024 },
		{ 0, '\r', '\n', PB_DELIM_PLUS1, 1024 },
		{ 0, '\r', '\n', PB_DELIM_PLUS2, 1024 },
		{ 3, '\r', '\n', PB_DELIM_STRIP, 1024 },
		{ 5, '\n', OFF, PB_DELIM_PLUS2, 1024 },
		{ 4, OFF, OFF, PB_DELIM_NOTHING, 1024 },
		{ 0, 'x', 'x', PB_DELIM_STRIP, 5 },
		{ 7, '\r', OFF, PB_DELIM_NOTHING, 3 },
	};
	size_t len = sizeof(stream) - 1, k, i, j;
	char want[1024], piece[64];

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct pb_pack_cfg c = cfg(cases[k].length, cases[k].d1,
					   cases[k].d2, cases[k].process, 0);

		model(c, cases[k].cap, stream, want, sizeof(want));
		for (i = 0; i <= len; i++) {
			for (j = i; j <= len; j++) {
				struct user u;

				user_init(&u, c, cases[k].cap);
				snprintf(piece, sizeof(piece), "%.*s",
					 (int)i, stream);
				feed(&u, piece, 0);
				snprintf(piece, sizeof(piece), "%.*s",
					 (int)(j - i), stream + i);
				feed(&u, piece, 0);
				feed(&u, stream + j, 0);
				CHECK_STR(u.out, want);
			}
		}
	}
}

static const struct unit_test tests[] = {
	{ "off_is_passthrough", test_off_is_passthrough },
	{ "length", test_length },
	{ "delimiter_process", test_delimiter_process },
	{ "two_byte_delimiter", test_two_byte_delimiter },
	{ "length_cuts_delimiter", test_length_cuts_delimiter },
	{ "force_transmit", test_force_transmit },
	{ "config_validation", test_config_validation },
	{ "every_chunking", test_every_chunking },
};

UNIT_SUITE(codec_packing_tests, "codec_packing", tests);
