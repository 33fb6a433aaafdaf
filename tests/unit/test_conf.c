// SPDX-License-Identifier: GPL-2.0
/* The configuration model, parser and serializer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "unit.h"

static void parse_ok(struct pb_conf *conf, unsigned int nports,
		     const char *text)
{
	struct conf_error err;
	char msg[256];

	conf_init_defaults(conf, nports);
	if (conf_parse(conf, text, strlen(text), &err)) {
		conf_error_format(&err, msg, sizeof(msg));
		unit_fail(__FILE__, __LINE__, "parse failed: %s", msg);
	}
}

/* Parse @text (on a 4-port board) and expect exactly error @want. */
static void expect_error(const char *text, size_t len, const char *want)
{
	struct pb_conf conf, before;
	struct conf_error err;
	char msg[256];

	conf_init_defaults(&conf, 4);
	before = conf;
	if (!conf_parse(&conf, text, len, &err))
		unit_fail(__FILE__, __LINE__, "parsed, expected \"%s\"", want);
	conf_error_format(&err, msg, sizeof(msg));
	if (strcmp(msg, want))
		unit_fail(__FILE__, __LINE__, "got \"%s\", expected \"%s\"",
			  msg, want);
	/* a failed parse leaves the configuration alone */
	CHECK(!memcmp(&conf, &before, sizeof(conf)));
}

#define EXPECT_ERROR(text, want) expect_error(text, strlen(text), want)

static void test_defaults(void)
{
	struct conf_error err;
	struct pb_conf conf;
	unsigned int n;

	conf_init_defaults(&conf, 4);
	CHECK_INT(conf.nports, 4);
	for (n = 1; n <= 4; n++) {
		const struct pb_port_conf *pc = &conf.port[n - 1];

		CHECK_INT(pc->mode, PB_MODE_TCP_SERVER);
		CHECK_INT(pc->local_port, 4000 + n);
		CHECK_INT(pc->baud, 115200);
		CHECK_INT(pc->data_bits, 8);
		CHECK_INT(pc->parity, PB_PARITY_NONE);
		CHECK_INT(pc->stop_bits, 1);
		CHECK_INT(pc->flow, PB_FLOW_NONE);
		CHECK_INT(pc->max_conns, 1);
	}
	CHECK_INT(conf_validate(&conf, &err), 0);
	conf_init_defaults(&conf, PB_MAX_PORTS);
	CHECK_INT(conf_validate(&conf, &err), 0);
	CHECK_INT(conf.port[PB_MAX_PORTS - 1].local_port, 4000 + PB_MAX_PORTS);
}

static void test_serialize_defaults(void)
{
	static const char want[] =
		"# portbridge configuration\n"
		"# Written by pbconfd; change it with 'pbctl port set'.\n"
		"\n"
		"[port 1]\n"
		"mode = tcp-server\n"
		"local-port = 4001\n"
		"baud = 115200\n"
		"data-bits = 8\n"
		"parity = none\n"
		"stop-bits = 1\n"
		"flow = none\n"
		"max-connections = 1\n";
	struct pb_conf conf;
	char buf[1024];
	size_t len;

	conf_init_defaults(&conf, 1);
	len = conf_serialize(&conf, buf, sizeof(buf));
	CHECK_INT(len, strlen(want));
	CHECK_STR(buf, want);
}

static void test_serialize_truncates(void)
{
	struct pb_conf conf;
	char small[40], big[4096];
	size_t len;

	conf_init_defaults(&conf, 4);
	len = conf_serialize(&conf, big, sizeof(big));
	CHECK(len < sizeof(big));
	CHECK_INT(conf_serialize(&conf, small, sizeof(small)), len);
	CHECK_INT(strlen(small), sizeof(small) - 1);
	CHECK(!strncmp(small, big, sizeof(small) - 1));
	CHECK_INT(conf_serialize(&conf, NULL, 0), len);
}

static void test_roundtrip_defaults(void)
{
	struct pb_conf conf, back;
	char buf[8192];
	size_t len;

	conf_init_defaults(&conf, 4);
	len = conf_serialize(&conf, buf, sizeof(buf));
	buf[len] = '\0';
	parse_ok(&back, 4, buf);
	CHECK(!memcmp(&conf, &back, sizeof(conf)));
}

static uint32_t rnd_state = 2463534242u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static uint32_t rnd_range(uint32_t lo, uint32_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

/* A random valid configuration; parse(serialize(c)) must give c back. */
static void test_roundtrip_random(void)
{
	static char buf[CONF_FILE_MAX];
	struct pb_conf conf, back;
	struct conf_error err;
	unsigned int i, n;

	for (i = 0; i < 2000; i++) {
		conf_init_defaults(&conf, rnd_range(1, PB_MAX_PORTS));
		for (n = 0; n < conf.nports; n++) {
			struct pb_port_conf *pc = &conf.port[n];

			pc->mode = rnd_range(0, __PB_MODE_MAX - 1);
			/* distinct: n-th port in its own band */
			pc->local_port = 1 + n * 2000 + rnd_range(0, 1999);
			pc->baud = rnd_range(50, 921600);
			pc->data_bits = rnd_range(5, 8);
			pc->parity = rnd_range(0, __PB_PARITY_MAX - 1);
			pc->stop_bits = rnd_range(1, 2);
			pc->flow = rnd_range(0, __PB_FLOW_MAX - 1);
			pc->max_conns = rnd_range(1, PB_MAX_CONNS);
		}
		CHECK_INT(conf_validate(&conf, &err), 0);
		conf_serialize(&conf, buf, sizeof(buf));
		/* start from other values: the text must set everything */
		conf_init_defaults(&back, conf.nports);
		for (n = 0; n < PB_MAX_PORTS; n++)
			back.port[n].baud = 50;
		for (n = conf.nports; n < PB_MAX_PORTS; n++)
			conf.port[n].baud = 50;
		CHECK_INT(conf_parse(&back, buf, strlen(buf), &err), 0);
		CHECK(!memcmp(&conf, &back, sizeof(conf)));
	}
}

static void test_parse_example(void)
{
	static const char text[] =
		"# portbridge configuration\r\n"
		"\r\n"
		"   [port 2]   \r\n"
		"\tmode = udp\r\n"
		"local-port=5002\r\n"
		"  baud   =   9600  \r\n"
		"data-bits = 7\n"
		"parity = even\n"
		"stop-bits = 2\n"
		"flow = rts-cts\n"
		"max-connections = 8\n"
		"  # indented comment\n"
		"[ port 4 ]\n"
		"mode = disabled\n"
		"local-port = 4001";	/* no final newline; disabled: no clash */
	struct pb_conf conf;
	const struct pb_port_conf *p2, *p4;

	parse_ok(&conf, 4, text);
	p2 = &conf.port[1];
	CHECK_INT(p2->mode, PB_MODE_UDP);
	CHECK_INT(p2->local_port, 5002);
	CHECK_INT(p2->baud, 9600);
	CHECK_INT(p2->data_bits, 7);
	CHECK_INT(p2->parity, PB_PARITY_EVEN);
	CHECK_INT(p2->stop_bits, 2);
	CHECK_INT(p2->flow, PB_FLOW_RTSCTS);
	CHECK_INT(p2->max_conns, 8);
	p4 = &conf.port[3];
	CHECK_INT(p4->mode, PB_MODE_DISABLED);
	CHECK_INT(p4->local_port, 4001);
	/* untouched ports keep their defaults */
	CHECK_INT(conf.port[0].local_port, 4001);
	CHECK_INT(conf.port[2].baud, 115200);
}

static void test_parse_empty(void)
{
	struct pb_conf conf, defaults;

	conf_init_defaults(&defaults, 4);
	parse_ok(&conf, 4, "");
	CHECK(!memcmp(&conf, &defaults, sizeof(conf)));
	parse_ok(&conf, 4, "\n\n# only comments\n   \n\t\n");
	CHECK(!memcmp(&conf, &defaults, sizeof(conf)));
	parse_ok(&conf, 4, "[port 3]\n");
	CHECK(!memcmp(&conf, &defaults, sizeof(conf)));
}

static void test_all_names(void)
{
	static const char *const modes[] = { "disabled", "tcp-server",
		"tcp-client", "udp", "rfc2217", "real-com" };
	static const char *const parities[] = { "none", "odd", "even",
		"mark", "space" };
	static const char *const flows[] = { "none", "rts-cts", "xon-xoff",
		"dtr-dsr" };
	struct pb_conf conf;
	char text[128];
	unsigned int i;

	for (i = 0; i < 6; i++) {
		snprintf(text, sizeof(text), "[port 1]\nmode = %s\n", modes[i]);
		parse_ok(&conf, 1, text);
		CHECK_INT(conf.port[0].mode, i);
		CHECK_STR(conf_mode_name(i), modes[i]);
	}
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "[port 1]\nparity = %s\n",
			 parities[i]);
		parse_ok(&conf, 1, text);
		CHECK_INT(conf.port[0].parity, i);
		CHECK_STR(conf_parity_name(i), parities[i]);
	}
	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "[port 1]\nflow = %s\n", flows[i]);
		parse_ok(&conf, 1, text);
		CHECK_INT(conf.port[0].flow, i);
		CHECK_STR(conf_flow_name(i), flows[i]);
	}
	CHECK_STR(conf_mode_name(99), "?");
	CHECK_STR(conf_parity_name(5), "?");
	CHECK_STR(conf_flow_name(4), "?");
}

static void test_limits(void)
{
	struct pb_conf conf;

	parse_ok(&conf, 4, "[port 1]\nbaud = 50\nlocal-port = 1\n"
		 "data-bits = 5\nstop-bits = 1\nmax-connections = 1\n");
	CHECK_INT(conf.port[0].baud, 50);
	CHECK_INT(conf.port[0].local_port, 1);
	CHECK_INT(conf.port[0].data_bits, 5);
	parse_ok(&conf, 4, "[port 1]\nbaud = 921600\nlocal-port = 65535\n"
		 "data-bits = 8\nstop-bits = 2\nmax-connections = 8\n");
	CHECK_INT(conf.port[0].baud, 921600);
	CHECK_INT(conf.port[0].local_port, 65535);
	CHECK_INT(conf.port[0].max_conns, 8);
	parse_ok(&conf, 4, "[port 1]\nbaud = 0000009600\n");
	CHECK_INT(conf.port[0].baud, 9600);
	parse_ok(&conf, 32, "[port 32]\nbaud = 300\n");
	CHECK_INT(conf.port[31].baud, 300);
}

static void test_errors_syntax(void)
{
	EXPECT_ERROR("baud = 9600\n", "line 1: 'baud' is outside of any section");
	EXPECT_ERROR("[port 1]\nbaud\n",
		     "line 2: expected 'key = value' or '[section]'");
	EXPECT_ERROR("[port 1]\n= 5\n",
		     "line 2: expected 'key = value' or '[section]'");
	EXPECT_ERROR("[port 1]\n  = 5\n",
		     "line 2: expected 'key = value' or '[section]'");
	EXPECT_ERROR("[port 1\n", "line 1: section header must end with ']'");
	EXPECT_ERROR("[\n", "line 1: section header must end with ']'");
	EXPECT_ERROR("[]\n", "line 1: unknown section []");
	EXPECT_ERROR("[serial 1]\n", "line 1: unknown section [serial]");
	EXPECT_ERROR("[Port 1]\n", "line 1: unknown section [Port]");
	EXPECT_ERROR("[port]\n",
		     "line 1: section [port] needs a number: [port N]");
	EXPECT_ERROR("[port x]\n", "line 1: [port]: 'x' is not a number");
	EXPECT_ERROR("[port 1 2]\n", "line 1: [port]: '1 2' is not a number");
	EXPECT_ERROR("[port -1]\n", "line 1: [port]: '-1' is not a number");
	EXPECT_ERROR("[port 5]\n",
		     "line 1: [port 5]: no such port (this board has 4: 1..4)");
	EXPECT_ERROR("[port 0]\n",
		     "line 1: [port 0]: no such port (this board has 4: 1..4)");
	EXPECT_ERROR("[port 99999999999]\n",
		     "line 1: [port 99999999999]: no such port (this board has 4: 1..4)");
	EXPECT_ERROR("[port 1]\n[port 2]\n[port 1]\n",
		     "line 3: section [port 1] appears twice (first on line 1)");
	EXPECT_ERROR("[port 1]\nbaud = 9600\n\nbaud = 9600\n",
		     "line 4: 'baud' is set twice in [port 1] (first on line 2)");
	EXPECT_ERROR("[port 1]\nspeed = 9600\n",
		     "line 2: unknown key 'speed' in [port 1]");
	EXPECT_ERROR("[port 2]\nBaud = 9600\n",
		     "line 2: unknown key 'Baud' in [port 2]");
	EXPECT_ERROR("[port 1]\nbaud = 96\x01\n", "line 2: control character 0x01");
	EXPECT_ERROR("[port 1]\nbaud = 9600\x7f\n",
		     "line 2: control character 0x7f");
	expect_error("[port 1]\nbaud = 96\0" "00\n", 22,
		     "line 2: control character 0x00");
	/* a lone CR is not a line ending */
	EXPECT_ERROR("[port 1]\rbaud = 5\n", "line 1: control character 0x0d");
}

static void test_errors_values(void)
{
	EXPECT_ERROR("[port 1]\nbaud = fast\n",
		     "line 2: baud: 'fast' is not a number");
	EXPECT_ERROR("[port 1]\nbaud =\n", "line 2: baud: missing value");
	EXPECT_ERROR("[port 1]\nbaud =   \n", "line 2: baud: missing value");
	EXPECT_ERROR("[port 1]\nbaud = -1\n", "line 2: baud: '-1' is not a number");
	EXPECT_ERROR("[port 1]\nbaud = +9600\n",
		     "line 2: baud: '+9600' is not a number");
	EXPECT_ERROR("[port 1]\nbaud = 0x10\n",
		     "line 2: baud: '0x10' is not a number");
	EXPECT_ERROR("[port 1]\nbaud = 96 00\n",
		     "line 2: baud: '96 00' is not a number");
	EXPECT_ERROR("[port 1]\nbaud = 9600 # fast\n",
		     "line 2: baud: '9600 # fast' is not a number");
	EXPECT_ERROR("[port 1]\nbaud = 49\n",
		     "line 2: baud: 49 is out of range (50..921600)");
	EXPECT_ERROR("[port 1]\nbaud = 921601\n",
		     "line 2: baud: 921601 is out of range (50..921600)");
	EXPECT_ERROR("[port 1]\nbaud = 4294967296\n",
		     "line 2: baud: 4294967296 is out of range (50..921600)");
	EXPECT_ERROR("[port 1]\nlocal-port = 0\n",
		     "line 2: local-port: 0 is out of range (1..65535)");
	EXPECT_ERROR("[port 1]\nlocal-port = 65536\n",
		     "line 2: local-port: 65536 is out of range (1..65535)");
	EXPECT_ERROR("[port 1]\ndata-bits = 4\n",
		     "line 2: data-bits: 4 is out of range (5..8)");
	EXPECT_ERROR("[port 1]\ndata-bits = 9\n",
		     "line 2: data-bits: 9 is out of range (5..8)");
	EXPECT_ERROR("[port 1]\nstop-bits = 0\n",
		     "line 2: stop-bits: 0 is out of range (1..2)");
	EXPECT_ERROR("[port 1]\nstop-bits = 1.5\n",
		     "line 2: stop-bits: '1.5' is not a number");
	EXPECT_ERROR("[port 1]\nmax-connections = 0\n",
		     "line 2: max-connections: 0 is out of range (1..8)");
	EXPECT_ERROR("[port 1]\nmax-connections = 9\n",
		     "line 2: max-connections: 9 is out of range (1..8)");
	EXPECT_ERROR("[port 1]\nmode = server\n",
		     "line 2: mode: 'server' is not one of disabled, tcp-server, tcp-client, udp, rfc2217, real-com");
	EXPECT_ERROR("[port 1]\nmode = TCP-SERVER\n",
		     "line 2: mode: 'TCP-SERVER' is not one of disabled, tcp-server, tcp-client, udp, rfc2217, real-com");
	EXPECT_ERROR("[port 1]\nparity = wrong\n",
		     "line 2: parity: 'wrong' is not one of none, odd, even, mark, space");
	EXPECT_ERROR("[port 1]\nflow = hw\n",
		     "line 2: flow: 'hw' is not one of none, rts-cts, xon-xoff, dtr-dsr");
	EXPECT_ERROR("[port 1]\nflow =\n", "line 2: flow: missing value");
}

static void test_errors_quoting(void)
{
	char text[600];

	/* long and non-printable text is cut and masked in messages */
	snprintf(text, sizeof(text), "[port 1]\nbaud = %s\n",
		 "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij");
	EXPECT_ERROR(text,
		     "line 2: baud: 'abcdefghijabcdefghijabcdefghijabcdefghij...' is not a number");
	/* a huge number is out of range, shown cut too */
	snprintf(text, sizeof(text), "[port 1]\nbaud = %s\n",
		 "0123456789012345678901234567890123456789012345678901234567890123456789");
	EXPECT_ERROR(text,
		     "line 2: baud: 0123456789012345678901234567890123456789... is out of range (50..921600)");
	EXPECT_ERROR("[port 1]\nparity = \xc3\xa9t\xc3\xa9\n",
		     "line 2: parity: '?" "?t?" "?' is not one of none, odd, even, mark, space");
}

static void test_errors_validation(void)
{
	/* the error points at the line that set the clashing value */
	EXPECT_ERROR("[port 1]\nlocal-port = 5000\n\n[port 2]\nmode = udp\n"
		     "local-port = 5000\n",
		     "line 6: port 2: local-port: 5000 is already used by port 1");
	/* a clash with a default: the line of the key that caused it */
	EXPECT_ERROR("# x\n[port 3]\nlocal-port = 4001\n",
		     "line 3: port 3: local-port: 4001 is already used by port 1");
	/* a clash the section did not set a key for: its header line */
	EXPECT_ERROR("[port 1]\nlocal-port = 4002\n[port 2]\nmode = udp\n",
		     "line 3: port 2: local-port: 4002 is already used by port 1");
}

static void test_disabled_ports_may_share(void)
{
	struct pb_conf conf;

	parse_ok(&conf, 4, "[port 1]\nmode = disabled\n"
		 "[port 2]\nlocal-port = 4001\n"
		 "[port 3]\nmode = disabled\nlocal-port = 4001\n");
	CHECK_INT(conf.port[1].local_port, 4001);
}

static void test_too_large(void)
{
	static char big[CONF_FILE_MAX + 2];

	memset(big, '\n', sizeof(big));
	expect_error(big, CONF_FILE_MAX + 1,
		     "file is larger than 65536 bytes");
	/* exactly the maximum is fine */
	{
		struct pb_conf conf;
		struct conf_error err;

		conf_init_defaults(&conf, 4);
		CHECK_INT(conf_parse(&conf, big, CONF_FILE_MAX, &err), 0);
	}
}

static void test_validate(void)
{
	struct pb_conf conf;
	struct conf_error err;
	char msg[256];

	conf_init_defaults(&conf, 0);
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_STR(err.msg, "board has 0 ports (1..32 supported)");
	conf_init_defaults(&conf, 33);
	CHECK_INT(conf_validate(&conf, &err), -1);

	conf_init_defaults(&conf, 4);
	conf.port[2].baud = 7;
	CHECK_INT(conf_validate(&conf, &err), -1);
	conf_error_format(&err, msg, sizeof(msg));
	CHECK_STR(msg, "port 3: baud: 7 is out of range (50..921600)");
	CHECK_INT(err.port, 3);
	CHECK_INT(err.key, CONF_PORT_BAUD);

	conf_init_defaults(&conf, 4);
	conf.port[0].mode = __PB_MODE_MAX;
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_STR(err.msg, "port 1: mode: 6 is out of range (0..5)");

	/* ports beyond nports are not checked */
	conf_init_defaults(&conf, 2);
	conf.port[2].baud = 1;
	CHECK_INT(conf_validate(&conf, &err), 0);
}

static void test_parse_bad_nports(void)
{
	struct pb_conf conf;
	struct conf_error err;

	conf_init_defaults(&conf, 0);
	CHECK_INT(conf_parse(&conf, "", 0, &err), -1);
	CHECK_STR(err.msg, "board has 0 ports (1..32 supported)");
}

static void test_key_helpers(void)
{
	char msg[128], val[32];
	uint32_t v;

	CHECK_INT(conf_port_key_find("baud", 4), CONF_PORT_BAUD);
	CHECK_INT(conf_port_key_find("max-connections", 15),
		  CONF_PORT_MAX_CONNS);
	CHECK_INT(conf_port_key_find("bau", 3), -1);
	CHECK_INT(conf_port_key_find("bauds", 5), -1);
	CHECK_STR(conf_port_key_name(CONF_PORT_LOCAL_PORT), "local-port");
	CHECK_STR(conf_port_key_name(-1), "?");
	CHECK_STR(conf_port_key_name(CONF_PORT_NKEYS), "?");
	CHECK_INT(conf_port_value_parse(CONF_PORT_FLOW, "xon-xoff", 8, &v, msg,
					sizeof(msg)), 0);
	CHECK_INT(v, PB_FLOW_XONXOFF);
	CHECK_INT(conf_port_value_parse(99, "1", 1, &v, msg, sizeof(msg)), -1);
	conf_port_value_format(CONF_PORT_MODE, PB_MODE_REALCOM, val,
			       sizeof(val));
	CHECK_STR(val, "real-com");
	conf_port_value_format(CONF_PORT_MODE, 77, val, sizeof(val));
	CHECK_STR(val, "77");
	conf_port_value_format(CONF_PORT_BAUD, 9600, val, sizeof(val));
	CHECK_STR(val, "9600");
	conf_port_value_format(-3, 1, val, sizeof(val));
	CHECK_STR(val, "?");
}

static const struct unit_test tests[] = {
	{ "defaults", test_defaults },
	{ "serialize_defaults", test_serialize_defaults },
	{ "serialize_truncates", test_serialize_truncates },
	{ "roundtrip_defaults", test_roundtrip_defaults },
	{ "roundtrip_random", test_roundtrip_random },
	{ "parse_example", test_parse_example },
	{ "parse_empty", test_parse_empty },
	{ "all_names", test_all_names },
	{ "limits", test_limits },
	{ "errors_syntax", test_errors_syntax },
	{ "errors_values", test_errors_values },
	{ "errors_quoting", test_errors_quoting },
	{ "errors_validation", test_errors_validation },
	{ "disabled_ports_may_share", test_disabled_ports_may_share },
	{ "too_large", test_too_large },
	{ "validate", test_validate },
	{ "parse_bad_nports", test_parse_bad_nports },
	{ "key_helpers", test_key_helpers },
};

UNIT_SUITE(conf_tests, "conf", tests);
