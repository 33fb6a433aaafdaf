// SPDX-License-Identifier: GPL-2.0
/* Syslog: parsing /dev/log messages, RFC 5424 and RFC 3164 output. */
#include <string.h>

#include "syslogfmt.h"
#include "unit.h"

static void parse(const char *in, struct syslog_in *m)
{
	CHECK_INT(syslog_parse_local(in, strlen(in), m), 0);
}

static void test_parse_glibc(void)
{
	struct syslog_in m;

	parse("<30>Nov 25 19:06:52 pbconfd[123]: config: port 1 baud 115200 -> 9600 by admin (uid 1000)",
	      &m);
	CHECK_INT(m.facility, 3);
	CHECK_INT(m.severity, 6);
	CHECK_STR(m.app, "pbconfd");
	CHECK_INT(m.pid, 123);
	CHECK_STR(m.text, "config: port 1 baud 115200 -> 9600 by admin (uid 1000)");
	parse("<86>Nov  5 01:02:03 dropbear[9]: Password auth succeeded\n", &m);
	CHECK_INT(m.facility, 10);
	CHECK_INT(m.severity, 6);
	CHECK_STR(m.app, "dropbear");
	CHECK_STR(m.text, "Password auth succeeded");
}

static void test_parse_variants(void)
{
	struct syslog_in m;

	parse("<13>root: hello", &m);
	CHECK_STR(m.app, "root");
	CHECK_INT(m.pid, 0);
	CHECK_STR(m.text, "hello");
	parse("just text", &m);	/* no PRI: user.notice */
	CHECK_INT(m.facility, 1);
	CHECK_INT(m.severity, 5);
	CHECK_STR(m.app, "");
	CHECK_STR(m.text, "just text");
	parse("<0>x[notapid]: y", &m);
	CHECK_STR(m.app, "");
	CHECK_STR(m.text, "x[notapid]: y");
	parse("<191>a\x01\nb", &m);
	CHECK_INT(m.facility, 23);
	CHECK_INT(m.severity, 7);
	CHECK_STR(m.text, "a? b");
	CHECK(syslog_parse_local("<192>x", 6, &m));
	CHECK(syslog_parse_local("<>x", 3, &m));
	CHECK(syslog_parse_local("<1234567>x", 10, &m));
	CHECK(syslog_parse_local("<-1>x", 5, &m));
	CHECK(syslog_parse_local("", 0, &m));
	CHECK(syslog_parse_local("\n", 1, &m));
}

static struct syslog_out sample(void)
{
	return (struct syslog_out){
		.facility = 21,
		.severity = 6,
		.time_us = 1764097612123456ull,	/* 2025-11-25T19:06:52 */
		.hostname = "portbridge",
		.app = "pbconfd",
		.pid = 123,
		.category = "Config",
		.seq = 17,
		.index = 5,
		.boot = 3,
		.uptime_ms = 61230,
		.text = "config: port 1 baud 115200 -> 9600 by admin",
	};
}

static void test_rfc5424(void)
{
	struct syslog_out m = sample();
	char buf[SYSLOG_DGRAM_MAX + 1];

	syslog_format(SYSLOG_RFC5424, &m, buf, sizeof(buf));
	CHECK_STR(buf, "<174>1 2025-11-25T19:06:52.123456Z portbridge pbconfd 123 Config "
		  "[meta sequenceId=\"17\" sysUpTime=\"6123\"]"
		  "[portbridge@32473 category=\"Config\" boot=\"3\" index=\"5\"] "
		  "config: port 1 baud 115200 -> 9600 by admin");
	m.pid = 0;
	m.hostname = "";
	m.app = "bad app";
	m.category = "A\"]\\";
	m.severity = 3;
	m.facility = 16;
	syslog_format(SYSLOG_RFC5424, &m, buf, sizeof(buf));
	CHECK_STR(buf, "<131>1 2025-11-25T19:06:52.123456Z - bad_app - A\"]\\ "
		  "[meta sequenceId=\"17\" sysUpTime=\"6123\"]"
		  "[portbridge@32473 category=\"A\\\"\\]\\\\\" boot=\"3\" index=\"5\"] "
		  "config: port 1 baud 115200 -> 9600 by admin");
}

static void test_rfc3164(void)
{
	struct syslog_out m = sample();
	char buf[SYSLOG_DGRAM_MAX + 1];

	syslog_format(SYSLOG_RFC3164, &m, buf, sizeof(buf));
	CHECK_STR(buf, "<174>Nov 25 19:06:52 portbridge pbconfd[123]: seq=17 category=Config "
		  "config: port 1 baud 115200 -> 9600 by admin");
	m.time_us = 1762304523000000ull;	/* 2025-11-05T01:02:03 */
	m.pid = 0;
	syslog_format(SYSLOG_RFC3164, &m, buf, sizeof(buf));
	CHECK_STR(buf, "<174>Nov  5 01:02:03 portbridge pbconfd: seq=17 category=Config "
		  "config: port 1 baud 115200 -> 9600 by admin");
}

static void test_format_is_bounded(void)
{
	struct syslog_out m = sample();
	char big[4000], buf[64];
	size_t n;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	m.text = big;
	n = syslog_format(SYSLOG_RFC5424, &m, buf, sizeof(buf));
	CHECK_INT(n, sizeof(buf) - 1);
	CHECK_INT(strlen(buf), sizeof(buf) - 1);
	{
		static char huge[SYSLOG_DGRAM_MAX * 2];

		n = syslog_format(SYSLOG_RFC3164, &m, huge, sizeof(huge));
		CHECK_INT(n, SYSLOG_DGRAM_MAX);
		CHECK_INT(strlen(huge), SYSLOG_DGRAM_MAX);
	}
}

static void test_names(void)
{
	CHECK_STR(syslog_facility_name(21), "local5");
	CHECK(syslog_facility_name(24) == NULL);
	CHECK_INT(syslog_facility_find("local5", 6), 21);
	CHECK_INT(syslog_facility_find("local", 5), -1);
	CHECK_STR(syslog_severity_name(4), "warning");
}

static const struct unit_test tests[] = {
	{ "parse what syslog(3) sends", test_parse_glibc },
	{ "parse variants and refusals", test_parse_variants },
	{ "RFC 5424", test_rfc5424 },
	{ "RFC 3164", test_rfc3164 },
	{ "format is bounded", test_format_is_bounded },
	{ "names", test_names },
};

UNIT_SUITE(logsyslog_tests, "logsyslog", tests);
