// SPDX-License-Identifier: GPL-2.0
/* The event log's records, ring file scan, control requests, categories. */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "logrec.h"
#include "unit.h"

static struct logrec make(uint32_t index, const char *text)
{
	struct logrec r;

	memset(&r, 0, sizeof(r));
	r.index = index;
	r.boot = 7;
	r.time_us = 1764097612123456ull;
	r.uptime_ms = 93784005;
	r.category = LOG_CAT_OPMODE;
	r.severity = 6;
	r.pid = 1234;
	strcpy(r.app, "portbridge");
	strncpy(r.text, text, LOGREC_TEXT_MAX);
	return r;
}

static void test_round_trip(void)
{
	unsigned char buf[LOGREC_SIZE];
	struct logrec r = make(42, "connect port 1 peer 10.0.2.2:5000"), d;

	logrec_encode(&r, buf);
	CHECK_INT(logrec_decode(buf, &d), 0);
	CHECK_INT(d.index, 42);
	CHECK_INT(d.boot, 7);
	CHECK(d.time_us == r.time_us);
	CHECK(d.uptime_ms == r.uptime_ms);
	CHECK_INT(d.category, LOG_CAT_OPMODE);
	CHECK_INT(d.severity, 6);
	CHECK_INT(d.pid, 1234);
	CHECK_STR(d.app, "portbridge");
	CHECK_STR(d.text, r.text);
}

static void test_every_bit_flip_is_caught(void)
{
	unsigned char buf[LOGREC_SIZE], bad[LOGREC_SIZE];
	struct logrec r = make(3, "config: port 1 baud 9600"), d;
	size_t i;
	int b;

	logrec_encode(&r, buf);
	for (i = 0; i < LOGREC_SIZE; i++) {
		for (b = 0; b < 8; b++) {
			memcpy(bad, buf, sizeof(bad));
			bad[i] ^= 1 << b;
			if (!logrec_decode(bad, &d))
				unit_fail(__FILE__, __LINE__,
					  "flip of bit %d of byte %zu accepted",
					  b, i);
		}
	}
}

static void test_text_is_cleaned_and_cut(void)
{
	unsigned char buf[LOGREC_SIZE];
	struct logrec r = make(1, ""), d;
	char longtext[LOGREC_TEXT_MAX + 100];

	strcpy(r.text, "a\nb\tc\x01\x7f\xff  ");
	logrec_encode(&r, buf);
	CHECK_INT(logrec_decode(buf, &d), 0);
	CHECK_STR(d.text, "a b c???");
	memset(longtext, 'x', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	memcpy(r.text, longtext, LOGREC_TEXT_MAX);
	r.text[LOGREC_TEXT_MAX] = '\0';
	logrec_encode(&r, buf);
	CHECK_INT(logrec_decode(buf, &d), 0);
	CHECK_INT(strlen(d.text), LOGREC_TEXT_MAX);
}

static void test_empty_and_zero_slots_are_invalid(void)
{
	unsigned char buf[LOGREC_SIZE] = { 0 };
	struct logrec d;

	CHECK(logrec_decode(buf, &d) != 0);
	memset(buf, 0xff, sizeof(buf));
	CHECK(logrec_decode(buf, &d) != 0);
}

static unsigned char *ring(void)
{
	unsigned char *f = calloc(1, LOGREC_FILE_SIZE);

	CHECK(f);
	return f;
}

static void put(unsigned char *f, uint32_t index)
{
	struct logrec r = make(index, "event");

	logrec_encode(&r, f + (size_t)logrec_slot(index) * LOGREC_SIZE);
}

static void test_scan_orders_by_index_after_wrap(void)
{
	unsigned char *f = ring();
	struct logrec *out = calloc(LOGREC_SLOTS, sizeof(*out));
	uint32_t i;
	unsigned int n;

	for (i = 1; i <= 1500; i++)	/* overwrite the oldest */
		put(f, i);
	n = logring_scan(f, LOGREC_FILE_SIZE, out);
	CHECK_INT(n, LOGREC_SLOTS);
	CHECK_INT(out[0].index, 501);
	CHECK_INT(out[n - 1].index, 1500);
	for (i = 1; i < n; i++)
		CHECK_INT(out[i].index, out[i - 1].index + 1);
	free(out);
	free(f);
}

static void test_scan_skips_a_torn_record(void)
{
	unsigned char *f = ring();
	struct logrec *out = calloc(LOGREC_SLOTS, sizeof(*out));
	uint32_t i;

	for (i = 1; i <= 10; i++)
		put(f, i);
	/* a power cut in the middle of the last write */
	memset(f + 9 * LOGREC_SIZE + 100, 0xaa, 200);
	CHECK_INT(logring_scan(f, LOGREC_FILE_SIZE, out), 9);
	CHECK_INT(out[8].index, 9);
	/* a short file (the last slots never written) */
	CHECK_INT(logring_scan(f, 5 * LOGREC_SIZE + 17, out), 5);
	CHECK_INT(logring_scan(f, 0, out), 0);
	free(out);
	free(f);
}

static void test_scan_drops_misplaced_and_stale_records(void)
{
	unsigned char *f = ring();
	struct logrec *out = calloc(LOGREC_SLOTS, sizeof(*out));
	struct logrec r = make(5, "misplaced");

	put(f, 1);
	put(f, 2);
	/* index 5 in slot 3: not where it belongs */
	logrec_encode(&r, f + 3 * LOGREC_SIZE);
	/* index 2003 in slot 2: 2001 entries newer than 1 and 2 */
	put(f, 2003);
	CHECK_INT(logring_scan(f, LOGREC_FILE_SIZE, out), 1);
	CHECK_INT(out[0].index, 2003);
	free(out);
	free(f);
}

static void test_control_requests(void)
{
	struct logctl_request r;
	char err[128];

	CHECK_INT(logctl_parse("show all 0 100", 14, &r, err, sizeof(err)), 0);
	CHECK_INT(r.cmd, LOGCTL_SHOW);
	CHECK_INT(r.category, -1);
	CHECK_INT(r.count, 100);
	CHECK_INT(logctl_parse("show OpMode 20 5", 16, &r, err, sizeof(err)),
		  0);
	CHECK_INT(r.category, LOG_CAT_OPMODE);
	CHECK_INT(r.first, 20);
	CHECK_INT(logctl_parse("clear", 5, &r, err, sizeof(err)), 0);
	CHECK_INT(r.cmd, LOGCTL_CLEAR);
	CHECK_STR(r.from, "");
	CHECK_INT(logctl_parse("clear from 10.0.2.2:4444", 24, &r, err,
			       sizeof(err)), 0);
	CHECK_STR(r.from, "10.0.2.2:4444");
	CHECK(logctl_parse("show all 0 101", 14, &r, err, sizeof(err)));
	CHECK(logctl_parse("show all 0 0", 12, &r, err, sizeof(err)));
	CHECK(logctl_parse("show nope 0 1", 13, &r, err, sizeof(err)));
	CHECK(logctl_parse("show all 0", 10, &r, err, sizeof(err)));
	CHECK(logctl_parse("show all 0 1 2", 14, &r, err, sizeof(err)));
	CHECK(logctl_parse("clear\n", 6, &r, err, sizeof(err)));
	CHECK(logctl_parse("", 0, &r, err, sizeof(err)));
	CHECK(logctl_parse("rm -rf", 6, &r, err, sizeof(err)));
}

static void test_categories(void)
{
	char t1[] = "@network DHCP lease got 10.0.2.15";
	char t2[] = "config: port 1 baud 115200 -> 9600 by admin";
	char t3[] = "port 2: disabled";
	char t4[] = "board 'reference': 4 serial ports";
	char t5[] = "Failed password for admin";
	char t6[] = "eth0 link down";

	CHECK_INT(log_classify(3, "x", t1), LOG_CAT_NETWORK);
	CHECK_STR(t1, "DHCP lease got 10.0.2.15");
	CHECK_INT(log_classify(3, "pbconfd", t2), LOG_CAT_CONFIG);
	CHECK_INT(log_classify(3, "pbconfd", t3), LOG_CAT_OPMODE);
	CHECK_INT(log_classify(3, "pbconfd", t4), LOG_CAT_SYSTEM);
	CHECK_INT(log_classify(10, "dropbear", t5), LOG_CAT_CONFIG);
	CHECK_INT(log_classify(3, "kernel", t6), LOG_CAT_NETWORK);
	CHECK_STR(log_category_name(LOG_CAT_OPMODE), "OpMode");
	CHECK(log_category_name(LOG_NCATEGORIES) == NULL);
	CHECK_INT(log_category_find("opmode", 6), LOG_CAT_OPMODE);
	CHECK_INT(log_category_find("opmod", 5), -1);
}

static void test_conf_log_section(void)
{
	static struct pb_conf c;
	struct conf_error err;
	static char text[CONF_FILE_MAX];
	const char *in = "[log]\noverflow = stop\nopmode-remote = off\n"
			 "syslog2 = 10.0.2.2\nsyslog2-port = 5514\n"
			 "syslog2-facility = local3\nsyslog2-format = rfc3164\n";

	conf_init_defaults(&c, 4);
	CHECK_INT(c.log.overflow, CONF_LOG_OVERWRITE);
	CHECK_INT(c.log.local[LOG_CAT_SYSTEM], 1);
	CHECK_INT(c.log.server[0].port, 514);
	CHECK_INT(c.log.server[0].facility, 21);
	CHECK_STR(c.log.server[0].host, "");
	CHECK_INT(conf_parse(&c, in, strlen(in), &err), 0);
	CHECK_INT(c.log.overflow, CONF_LOG_STOP);
	CHECK_INT(c.log.remote[LOG_CAT_OPMODE], 0);
	CHECK_INT(c.log.remote[LOG_CAT_CONFIG], 1);
	CHECK_STR(c.log.server[1].host, "10.0.2.2");
	CHECK_INT(c.log.server[1].port, 5514);
	CHECK_INT(c.log.server[1].facility, 19);
	CHECK_INT(c.log.server[1].format, CONF_LOG_RFC3164);
	conf_serialize(&c, text, sizeof(text));
	CHECK(strstr(text, "[log]\n"));
	CHECK(strstr(text, "syslog2-facility = local3\n"));
	CHECK(strstr(text, "overflow = stop\n"));
	/* and back */
	conf_init_defaults(&c, 4);
	CHECK_INT(conf_parse(&c, text, strlen(text), &err), 0);
	CHECK_INT(c.log.server[1].facility, 19);
	in = "[log]\nsyslog1-port = 0\n";
	CHECK(conf_parse(&c, in, strlen(in), &err));
	in = "[log]\nsyslog1-facility = local8\n";
	CHECK(conf_parse(&c, in, strlen(in), &err));
	in = "[log]\noverflow = sometimes\n";
	CHECK(conf_parse(&c, in, strlen(in), &err));
	in = "[log]\nsyslog3 = not a host\n";
	CHECK(conf_parse(&c, in, strlen(in), &err));
}

static const struct unit_test tests[] = {
	{ "record round trip", test_round_trip },
	{ "every bit flip is caught", test_every_bit_flip_is_caught },
	{ "text is cleaned and cut", test_text_is_cleaned_and_cut },
	{ "empty and zero slots are invalid",
	  test_empty_and_zero_slots_are_invalid },
	{ "scan orders by index after wrap",
	  test_scan_orders_by_index_after_wrap },
	{ "scan skips a torn record", test_scan_skips_a_torn_record },
	{ "scan drops misplaced and stale records",
	  test_scan_drops_misplaced_and_stale_records },
	{ "control requests", test_control_requests },
	{ "categories", test_categories },
	{ "[log] settings", test_conf_log_section },
};

UNIT_SUITE(logrec_tests, "logrec", tests);
