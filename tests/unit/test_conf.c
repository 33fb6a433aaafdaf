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
		CHECK_INT(pc->cmd_port, 966 + n - 1);
		CHECK_INT(pc->inactivity_ms, 0);
		CHECK_INT(pc->alive_idle, 10);
		CHECK_INT(pc->alive_intvl, 5);
		CHECK_INT(pc->alive_cnt, 3);
		CHECK_INT(pc->ignore_jammed, 0);
		CHECK_INT(pc->jammed_ms, 10000);
		CHECK_INT(pc->connect_on, PB_CONNECT_STARTUP);
		CHECK_INT(pc->dest[0].kind, CONF_DEST_NONE);
		CHECK_INT(pc->dest[3].kind, CONF_DEST_NONE);
		CHECK_INT(pc->pack_len, 0);
		CHECK_INT(pc->delim1, PB_DELIM_OFF);
		CHECK_INT(pc->delim2, PB_DELIM_OFF);
		CHECK_INT(pc->delim_process, PB_DELIM_NOTHING);
		CHECK_INT(pc->force_tx_ms, 0);
		CHECK_INT(pc->fifo, 1);
		CHECK_INT(pc->interface, PB_IF_RS232);
		CHECK_INT(pc->dtr, 1);
		CHECK_INT(pc->rts, 1);
		CHECK_INT(conf.ifaces[n - 1], 0);
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
		"# Written by pbconfd; change it with pbctl.\n"
		"\n"
		"[port 1]\n"
		"mode = tcp-server\n"
		"local-port = 4001\n"
		"baud = 115200\n"
		"data-bits = 8\n"
		"parity = none\n"
		"stop-bits = 1\n"
		"flow = none\n"
		"max-connections = 1\n"
		"cmd-port = 966\n"
		"inactivity-ms = 0\n"
		"alive-idle = 10\n"
		"alive-interval = 5\n"
		"alive-count = 3\n"
		"ignore-jammed = no\n"
		"jammed-ms = 10000\n"
		"connect-on = startup\n"
		"dest1 = none\n"
		"dest2 = none\n"
		"dest3 = none\n"
		"dest4 = none\n"
		"packing-length = 0\n"
		"delim1 = off\n"
		"delim2 = off\n"
		"delim-process = nothing\n"
		"force-tx-ms = 0\n"
		"fifo = on\n"
		"interface = rs232\n"
		"dtr = on\n"
		"rts = on\n";
	struct pb_conf conf;
	char buf[4096];
	size_t len;

	conf_init_defaults(&conf, 1);
	len = conf_serialize(&conf, buf, sizeof(buf));
	CHECK(len < sizeof(buf));
	/* the ports first, then the board's own sections */
	CHECK(!strncmp(buf, want, strlen(want)));
	CHECK(!strncmp(buf + strlen(want), "\n[system]\n", 10));
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

static void rnd_addr(uint8_t addr[16], int v4)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		addr[i] = rnd();
	if (v4) {
		memset(addr, 0, 10);
		addr[10] = addr[11] = 0xff;
	}
	addr[v4 ? 12 : 0] |= 1;	/* never the unspecified address */
	addr[15] &= 0x7f;	/* room for a range above it */
}

/* A valid destination: ranges only if @ranges. */
static void rnd_dest(struct pb_dest_conf *d, int ranges)
{
	memset(d, 0, sizeof(*d));
	d->port = rnd_range(1, 65535);
	switch (rnd_range(0, ranges ? 2 : 1)) {
	case 0:
		d->kind = CONF_DEST_HOST;
		snprintf(d->host, sizeof(d->host), "plc-%u.site%u.example",
			 rnd() % 1000, rnd() % 10);
		return;
	case 1:
		d->kind = CONF_DEST_ADDR;
		rnd_addr(d->addr, rnd() & 1);
		return;
	}
	d->kind = CONF_DEST_RANGE;
	rnd_addr(d->addr, rnd() & 1);
	memcpy(d->end, d->addr, 16);
	d->end[15] += rnd_range(1, 128);
}

static void rnd_port(struct pb_port_conf *pc, unsigned int n)
{
	unsigned int i, ndest;

	pc->mode = rnd_range(0, __PB_MODE_MAX - 1);
	/* distinct: the n-th port in its own band, above 443 */
	pc->local_port = 1000 + n * 1000 + rnd_range(0, 499);
	pc->cmd_port = 1000 + n * 1000 + 500 + rnd_range(0, 499);
	pc->baud = rnd_range(50, 921600);
	pc->data_bits = rnd_range(5, 8);
	pc->parity = rnd_range(0, __PB_PARITY_MAX - 1);
	pc->stop_bits = rnd_range(1, 2);
	pc->interface = rnd_range(0, __PB_IF_MAX - 1);
	pc->flow = pc->interface == PB_IF_RS232 ?
		   rnd_range(0, __PB_FLOW_MAX - 1) :
		   (rnd() & 1 ? PB_FLOW_XONXOFF : PB_FLOW_NONE);
	pc->max_conns = rnd_range(1, PB_MAX_CONNS);
	pc->inactivity_ms = rnd_range(0, 86400000);
	pc->alive_idle = rnd_range(0, 32767);
	pc->alive_intvl = rnd_range(1, 32767);
	pc->alive_cnt = rnd_range(1, 127);
	pc->ignore_jammed = rnd_range(0, 1);
	pc->jammed_ms = rnd_range(0, 86400000);
	pc->connect_on = rnd_range(0, __PB_CONNECT_MAX - 1);
	ndest = rnd_range(pc->mode == PB_MODE_TCP_CLIENT, PB_MAX_DESTS);
	for (i = 0; i < ndest; i++)
		rnd_dest(&pc->dest[i], pc->mode != PB_MODE_TCP_CLIENT);
	pc->pack_len = rnd_range(0, 1024);
	pc->delim1 = rnd() & 1 ? PB_DELIM_OFF : rnd_range(0, 255);
	pc->delim2 = pc->delim1 == PB_DELIM_OFF || (rnd() & 1) ?
		     PB_DELIM_OFF : rnd_range(0, 255);
	pc->delim_process = rnd_range(0, __PB_DELIM_MAX - 1);
	pc->force_tx_ms = rnd_range(0, 65535);
	pc->fifo = rnd_range(0, 1);
	pc->dtr = rnd_range(0, 1);
	pc->rts = rnd_range(0, 1);
}

/* A random valid configuration; parse(serialize(c)) must give c back. */
static void test_roundtrip_random(void)
{
	static char buf[CONF_FILE_MAX];
	static struct pb_conf conf, back;
	struct conf_error err;
	char msg[256];
	unsigned int i, n;

	for (i = 0; i < 2000; i++) {
		conf_init_defaults(&conf, rnd_range(1, PB_MAX_PORTS));
		for (n = 0; n < conf.nports; n++)
			rnd_port(&conf.port[n], n);
		if (conf_validate(&conf, &err)) {
			conf_error_format(&err, msg, sizeof(msg));
			unit_fail(__FILE__, __LINE__, "invalid: %s", msg);
		}
		CHECK(conf_serialize(&conf, buf, sizeof(buf)) < sizeof(buf));
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
		snprintf(text, sizeof(text),
			 "[port 1]\nmode = %s\ndest1 = 10.0.0.1:1\n", modes[i]);
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
	EXPECT_ERROR("[port 1]\nlocal-port = 5000\n\n[port 2]\nmode = rfc2217\n"
		     "local-port = 5000\n",
		     "line 6: port 2: local-port: 5000 is already used by port 1");
	/* a clash with a default: the line of the key that caused it */
	EXPECT_ERROR("# x\n[port 3]\nlocal-port = 4001\n",
		     "line 3: port 3: local-port: 4001 is already used by port 1");
	/* a clash the section did not set a key for: its header line */
	EXPECT_ERROR("[port 1]\nlocal-port = 4002\n[port 2]\nmode = rfc2217\n",
		     "line 3: port 2: local-port: 4002 is already used by port 1");
	EXPECT_ERROR("[port 1]\nlocal-port = 4002\n[port 2]\nbaud = 9600\n",
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
	struct pb_port_conf pc, other;
	char msg[128], val[CONF_VALUE_MAX];

	conf_port_defaults(&pc, 1);
	CHECK_INT(conf_port_key_find("baud", 4), CONF_PORT_BAUD);
	CHECK_INT(conf_port_key_find("max-connections", 15),
		  CONF_PORT_MAX_CONNS);
	CHECK_INT(conf_port_key_find("dest4", 5), CONF_PORT_DEST4);
	CHECK_INT(conf_port_key_find("rts", 3), CONF_PORT_RTS);
	CHECK_INT(conf_port_key_find("bau", 3), -1);
	CHECK_INT(conf_port_key_find("bauds", 5), -1);
	CHECK_INT(conf_port_key_find("dest5", 5), -1);
	CHECK_STR(conf_port_key_name(CONF_PORT_LOCAL_PORT), "local-port");
	CHECK_STR(conf_port_key_name(-1), "?");
	CHECK_STR(conf_port_key_name(CONF_PORT_NKEYS), "?");
	CHECK(conf_port_key_is_number(CONF_PORT_BAUD));
	CHECK(conf_port_key_is_number(CONF_PORT_JAMMED_MS));
	CHECK(!conf_port_key_is_number(CONF_PORT_MODE));
	CHECK(!conf_port_key_is_number(CONF_PORT_DELIM1));
	CHECK(!conf_port_key_is_number(CONF_PORT_DEST1));
	CHECK(!conf_port_key_is_number(CONF_PORT_NKEYS));
	CHECK_INT(conf_port_value_parse(CONF_PORT_FLOW, "xon-xoff", 8, &pc,
					msg, sizeof(msg)), 0);
	CHECK_INT(pc.flow, PB_FLOW_XONXOFF);
	CHECK_INT(conf_port_value_parse(99, "1", 1, &pc, msg, sizeof(msg)),
		  -1);
	/* a failed parse leaves the member alone */
	CHECK_INT(conf_port_value_parse(CONF_PORT_BAUD, "x", 1, &pc, msg,
					sizeof(msg)), -1);
	CHECK_INT(pc.baud, 115200);
	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST2, "x:", 2, &pc, msg,
					sizeof(msg)), -1);
	CHECK_INT(pc.dest[1].kind, CONF_DEST_NONE);

	pc.mode = PB_MODE_REALCOM;
	conf_port_value_format(CONF_PORT_MODE, &pc, val, sizeof(val));
	CHECK_STR(val, "real-com");
	pc.mode = 77;
	conf_port_value_format(CONF_PORT_MODE, &pc, val, sizeof(val));
	CHECK_STR(val, "77");
	pc.baud = 9600;
	conf_port_value_format(CONF_PORT_BAUD, &pc, val, sizeof(val));
	CHECK_STR(val, "9600");
	conf_port_value_format(-3, &pc, val, sizeof(val));
	CHECK_STR(val, "?");

	/* numbers, copies and comparisons of single keys */
	CHECK_INT(conf_port_get(&pc, CONF_PORT_BAUD), 9600);
	CHECK_INT(conf_port_get(&pc, CONF_PORT_DEST1), 0);
	conf_port_set(&pc, CONF_PORT_ALIVE_CNT, 9);
	CHECK_INT(pc.alive_cnt, 9);
	conf_port_set(&pc, CONF_PORT_DEST1, 9);	/* ignored */
	CHECK_INT(pc.dest[0].kind, CONF_DEST_NONE);
	conf_port_defaults(&other, 1);
	CHECK(!conf_port_value_equal(CONF_PORT_BAUD, &pc, &other));
	CHECK(conf_port_value_equal(CONF_PORT_DEST3, &pc, &other));
	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST3, "10.0.0.1:1", 10,
					&pc, msg, sizeof(msg)), 0);
	CHECK(!conf_port_value_equal(CONF_PORT_DEST3, &pc, &other));
	conf_port_value_copy(CONF_PORT_DEST3, &other, &pc);
	CHECK(conf_port_value_equal(CONF_PORT_DEST3, &pc, &other));
	CHECK_INT(other.baud, 115200);	/* only that key */
	CHECK_STR(conf_interface_name(PB_IF_RS485_4W), "rs485-4w");
	CHECK_STR(conf_interface_name(__PB_IF_MAX), "?");
}

/* ---- the issue 3 keys ---- */

static void test_new_keys(void)
{
	struct pb_conf conf;
	const struct pb_port_conf *pc = &conf.port[0];

	parse_ok(&conf, 4, "[port 1]\ncmd-port = 1966\n"
		 "inactivity-ms = 86400000\nalive-idle = 0\n"
		 "alive-interval = 32767\nalive-count = 127\n"
		 "ignore-jammed = yes\njammed-ms = 0\nconnect-on = any-char\n"
		 "packing-length = 1024\ndelim1 = 0x0D\ndelim2 = 10\n"
		 "delim-process = strip\nforce-tx-ms = 65535\nfifo = off\n"
		 "interface = rs485-2w\ndtr = off\nrts = off\n");
	CHECK_INT(pc->cmd_port, 1966);
	CHECK_INT(pc->inactivity_ms, 86400000);
	CHECK_INT(pc->alive_idle, 0);
	CHECK_INT(pc->alive_intvl, 32767);
	CHECK_INT(pc->alive_cnt, 127);
	CHECK_INT(pc->ignore_jammed, 1);
	CHECK_INT(pc->jammed_ms, 0);
	CHECK_INT(pc->connect_on, PB_CONNECT_ANY_CHAR);
	CHECK_INT(pc->pack_len, 1024);
	CHECK_INT(pc->delim1, 0x0d);
	CHECK_INT(pc->delim2, 0x0a);
	CHECK_INT(pc->delim_process, PB_DELIM_STRIP);
	CHECK_INT(pc->force_tx_ms, 65535);
	CHECK_INT(pc->fifo, 0);
	CHECK_INT(pc->interface, PB_IF_RS485_2W);
	CHECK_INT(pc->dtr, 0);
	CHECK_INT(pc->rts, 0);

	parse_ok(&conf, 4, "[port 1]\ncmd-port = 1\nalive-interval = 1\n"
		 "alive-count = 1\ndelim1 = 0\ndelim2 = 0xff\n"
		 "delim-process = plus2\ninterface = rs485-4w\n"
		 "[port 2]\ndelim1 = 255\ndelim2 = off\ndelim-process = plus1\n"
		 "interface = rs422\nignore-jammed = no\nfifo = on\n");
	CHECK_INT(pc->cmd_port, 1);
	CHECK_INT(pc->delim1, 0);
	CHECK_INT(pc->delim2, 0xff);
	CHECK_INT(pc->delim_process, PB_DELIM_PLUS2);
	CHECK_INT(pc->interface, PB_IF_RS485_4W);
	CHECK_INT(conf.port[1].delim1, 255);
	CHECK_INT(conf.port[1].delim2, PB_DELIM_OFF);
	CHECK_INT(conf.port[1].delim_process, PB_DELIM_PLUS1);
	CHECK_INT(conf.port[1].interface, PB_IF_RS422);
}

static void test_new_keys_format(void)
{
	struct pb_port_conf pc;
	char val[CONF_VALUE_MAX];

	conf_port_defaults(&pc, 1);
	pc.delim1 = 0x0d;
	conf_port_value_format(CONF_PORT_DELIM1, &pc, val, sizeof(val));
	CHECK_STR(val, "0x0d");
	conf_port_value_format(CONF_PORT_DELIM2, &pc, val, sizeof(val));
	CHECK_STR(val, "off");
	pc.delim2 = 0x1ff;	/* out of range: shown as is */
	conf_port_value_format(CONF_PORT_DELIM2, &pc, val, sizeof(val));
	CHECK_STR(val, "0x1ff");
	pc.ignore_jammed = 1;
	conf_port_value_format(CONF_PORT_IGNORE_JAMMED, &pc, val, sizeof(val));
	CHECK_STR(val, "yes");
	pc.dtr = 0;
	conf_port_value_format(CONF_PORT_DTR, &pc, val, sizeof(val));
	CHECK_STR(val, "off");
	conf_port_value_format(CONF_PORT_CONNECT_ON, &pc, val, sizeof(val));
	CHECK_STR(val, "startup");
	conf_port_value_format(CONF_PORT_DELIM_PROCESS, &pc, val, sizeof(val));
	CHECK_STR(val, "nothing");
	conf_port_value_format(CONF_PORT_DEST1, &pc, val, sizeof(val));
	CHECK_STR(val, "none");
}

static void test_new_keys_errors(void)
{
	EXPECT_ERROR("[port 1]\ncmd-port = 0\n",
		     "line 2: cmd-port: 0 is out of range (1..65535)");
	EXPECT_ERROR("[port 1]\ncmd-port = 65536\n",
		     "line 2: cmd-port: 65536 is out of range (1..65535)");
	EXPECT_ERROR("[port 1]\ninactivity-ms = 86400001\n",
		     "line 2: inactivity-ms: 86400001 is out of range (0..86400000)");
	EXPECT_ERROR("[port 1]\ninactivity-ms = 1s\n",
		     "line 2: inactivity-ms: '1s' is not a number");
	EXPECT_ERROR("[port 1]\nalive-idle = 32768\n",
		     "line 2: alive-idle: 32768 is out of range (0..32767)");
	EXPECT_ERROR("[port 1]\nalive-interval = 0\n",
		     "line 2: alive-interval: 0 is out of range (1..32767)");
	EXPECT_ERROR("[port 1]\nalive-count = 0\n",
		     "line 2: alive-count: 0 is out of range (1..127)");
	EXPECT_ERROR("[port 1]\nalive-count = 128\n",
		     "line 2: alive-count: 128 is out of range (1..127)");
	EXPECT_ERROR("[port 1]\nignore-jammed = on\n",
		     "line 2: ignore-jammed: 'on' is not one of no, yes");
	EXPECT_ERROR("[port 1]\njammed-ms = -1\n",
		     "line 2: jammed-ms: '-1' is not a number");
	EXPECT_ERROR("[port 1]\njammed-ms = 86400001\n",
		     "line 2: jammed-ms: 86400001 is out of range (0..86400000)");
	EXPECT_ERROR("[port 1]\nconnect-on = always\n",
		     "line 2: connect-on: 'always' is not one of startup, any-char");
	EXPECT_ERROR("[port 1]\npacking-length = 1025\n",
		     "line 2: packing-length: 1025 is out of range (0..1024)");
	EXPECT_ERROR("[port 1]\ndelim1 = 256\n",
		     "line 2: delim1: 256 is out of range (0..255)");
	EXPECT_ERROR("[port 1]\ndelim1 = 0x100\n",
		     "line 2: delim1: 0x100 is out of range (0..255)");
	EXPECT_ERROR("[port 1]\ndelim1 = 0x\n",
		     "line 2: delim1: '0x' is not a byte (0x00..0xff or 0..255) or off");
	EXPECT_ERROR("[port 1]\ndelim1 = 0xg1\n",
		     "line 2: delim1: '0xg1' is not a byte (0x00..0xff or 0..255) or off");
	EXPECT_ERROR("[port 1]\ndelim1 = none\n",
		     "line 2: delim1: 'none' is not a byte (0x00..0xff or 0..255) or off");
	EXPECT_ERROR("[port 1]\ndelim1 = 99999999999\n",
		     "line 2: delim1: 99999999999 is out of range (0..255)");
	EXPECT_ERROR("[port 1]\ndelim2 =\n", "line 2: delim2: missing value");
	EXPECT_ERROR("[port 1]\ndelim-process = drop\n",
		     "line 2: delim-process: 'drop' is not one of nothing, plus1, plus2, strip");
	EXPECT_ERROR("[port 1]\nforce-tx-ms = 65536\n",
		     "line 2: force-tx-ms: 65536 is out of range (0..65535)");
	EXPECT_ERROR("[port 1]\nfifo = yes\n",
		     "line 2: fifo: 'yes' is not one of off, on");
	EXPECT_ERROR("[port 1]\ninterface = rs485\n",
		     "line 2: interface: 'rs485' is not one of rs232, rs422, rs485-2w, rs485-4w");
	EXPECT_ERROR("[port 1]\ndtr = 1\n",
		     "line 2: dtr: '1' is not one of off, on");
	EXPECT_ERROR("[port 1]\nrts = ON\n",
		     "line 2: rts: 'ON' is not one of off, on");
	EXPECT_ERROR("[port 1]\ndest1 = 1.2.3.4\n",
		     "line 2: dest1: '1.2.3.4' needs a port: host:port");
	EXPECT_ERROR("[port 1]\ndest1 = none\ndest1 = none\n",
		     "line 3: 'dest1' is set twice in [port 1] (first on line 2)");
}

/* Parse one destination value; its text must come back as @want. */
static void dest_ok(const char *text, unsigned int kind, const char *want)
{
	struct pb_port_conf pc;
	char msg[256], val[CONF_VALUE_MAX];

	memset(&pc, 0xa5, sizeof(pc));	/* every byte of the dest is set */
	if (conf_port_value_parse(CONF_PORT_DEST1, text, strlen(text), &pc,
				  msg, sizeof(msg)))
		unit_fail(__FILE__, __LINE__, "'%s': %s", text, msg);
	if (pc.dest[0].kind != kind)
		unit_fail(__FILE__, __LINE__, "'%s': kind %u, expected %u",
			  text, pc.dest[0].kind, kind);
	conf_port_value_format(CONF_PORT_DEST1, &pc, val, sizeof(val));
	if (strcmp(val, want))
		unit_fail(__FILE__, __LINE__, "'%s' formats as '%s', expected '%s'",
			  text, val, want);
	CHECK_INT(pc.dest[1].kind, 0xa5a5a5a5);	/* not touched */
}

static void dest_error(const char *text, const char *want)
{
	struct pb_port_conf pc;
	char msg[256];

	conf_port_defaults(&pc, 1);
	if (!conf_port_value_parse(CONF_PORT_DEST1, text, strlen(text), &pc,
				   msg, sizeof(msg)))
		unit_fail(__FILE__, __LINE__, "'%s' parsed, expected \"%s\"",
			  text, want);
	if (strcmp(msg, want))
		unit_fail(__FILE__, __LINE__, "'%s': got \"%s\", expected \"%s\"",
			  text, msg, want);
	CHECK_INT(pc.dest[0].kind, CONF_DEST_NONE);
}

static void test_dests(void)
{
	static const uint8_t v4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					0xff, 0xff, 192, 168, 1, 10 };
	char host[300];
	struct pb_port_conf pc;
	char msg[256];

	dest_ok("none", CONF_DEST_NONE, "none");
	dest_ok("192.168.1.10:4001", CONF_DEST_ADDR, "192.168.1.10:4001");
	dest_ok("[2001:db8::10]:4001", CONF_DEST_ADDR, "[2001:db8::10]:4001");
	dest_ok("[2001:DB8:0::10]:1", CONF_DEST_ADDR, "[2001:db8::10]:1");
	dest_ok("[::ffff:10.0.0.1]:65535", CONF_DEST_ADDR, "10.0.0.1:65535");
	dest_ok("255.255.255.255:9", CONF_DEST_ADDR, "255.255.255.255:9");
	dest_ok("10.0.0.1-10.0.0.20:4001", CONF_DEST_RANGE,
		"10.0.0.1-10.0.0.20:4001");
	dest_ok("10.0.0.1-10.0.0.1:4001", CONF_DEST_ADDR, "10.0.0.1:4001");
	dest_ok("10.0.0.200-10.0.1.10:5", CONF_DEST_RANGE,
		"10.0.0.200-10.0.1.10:5");
	dest_ok("10.0.0.0-10.0.0.255:5", CONF_DEST_RANGE,
		"10.0.0.0-10.0.0.255:5");
	dest_ok("[2001:db8::1]-[2001:db8::9]:4001", CONF_DEST_RANGE,
		"[2001:db8::1]-[2001:db8::9]:4001");
	dest_ok("[2001:db8::ff]-[2001:db8::1fe]:4001", CONF_DEST_RANGE,
		"[2001:db8::ff]-[2001:db8::1fe]:4001");
	dest_error("[2001:db8::ff]-[2001:db8::1ff]:4001",
		   "dest1: range [2001:db8::ff]-[2001:db8::1ff] has more than 256 addresses");
	dest_ok("plc-3.example.com:502", CONF_DEST_HOST,
		"plc-3.example.com:502");
	dest_ok("localhost:1", CONF_DEST_HOST, "localhost:1");
	dest_ok("3com.example:1", CONF_DEST_HOST, "3com.example:1");

	/* the longest name: 253 characters in labels of 63 */
	memset(host, 'a', 253);
	host[63] = host[127] = host[191] = '.';
	snprintf(host + 253, sizeof(host) - 253, ":1");
	dest_ok(host, CONF_DEST_HOST, host);
	memset(host, 'a', 254);
	host[63] = host[127] = host[191] = '.';
	snprintf(host + 254, sizeof(host) - 254, ":1");
	dest_error(host, "dest1: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a host name or address");

	/* what the model holds */
	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST1, "192.168.1.10:4001",
					17, &pc, msg, sizeof(msg)), 0);
	CHECK(!memcmp(pc.dest[0].addr, v4, 16));
	CHECK_INT(pc.dest[0].port, 4001);

	dest_error("10.0.0.5", "dest1: '10.0.0.5' needs a port: host:port");
	dest_error("[::1]", "dest1: '[::1]' needs a port: host:port");
	dest_error("[::1]-[::2]", "dest1: '[::1]-[::2]' needs a port: host:port");
	dest_error(":4001", "dest1: ':4001' needs a host before the port");
	dest_error("10.0.0.5:", "dest1: port '' is not a number");
	dest_error("10.0.0.5:0", "dest1: port 0 is out of range (1..65535)");
	dest_error("10.0.0.5:65536",
		   "dest1: port 65536 is out of range (1..65535)");
	dest_error("10.0.0.5:http", "dest1: port 'http' is not a number");
	dest_error("300.0.0.1:1", "dest1: '300.0.0.1' is not an IPv4 address");
	dest_error("10.0.0:1", "dest1: '10.0.0' is not an IPv4 address");
	dest_error("010.0.0.1:1", "dest1: '010.0.0.1' is not an IPv4 address");
	dest_error("10.0.0.1-:1", "dest1: '' is not an IPv4 address");
	dest_error("10.0.0.1-10.0.0.2-10.0.0.3:1",
		   "dest1: '10.0.0.2-10.0.0.3' is not an IPv4 address");
	dest_error("10.0.0.5-10.0.0.1:1",
		   "dest1: range end 10.0.0.1 is before its begin 10.0.0.5");
	dest_error("10.0.0.0-10.0.1.0:1",
		   "dest1: range 10.0.0.0-10.0.1.0 has more than 256 addresses");
	dest_error("[2001:db8::]-[2001:db9::]:1",
		   "dest1: range [2001:db8::]-[2001:db9::] has more than 256 addresses");
	dest_error("10.0.0.1-[::1]:1",
		   "dest1: range 10.0.0.1-[::1] mixes IPv4 and IPv6");
	dest_error("[::1]-10.0.0.1:1",
		   "dest1: range [::1]-10.0.0.1 mixes IPv4 and IPv6");
	dest_error("2001:db8::1:4001",
		   "dest1: '2001:db8::1': an IPv6 address goes in brackets: [addr]:port");
	dest_error("[2001:db8::1:4001",
		   "dest1: '[2001:db8::1' is not an IPv6 address");
	dest_error("[10.0.0.1]:1", "dest1: '[10.0.0.1]' is not an IPv6 address");
	dest_error("[::1]x:1", "dest1: '[::1]x' is not an IPv6 address");
	dest_error("0.0.0.0:1", "dest1: 0.0.0.0 is not a destination address");
	dest_error("[::]:1", "dest1: [::] is not a destination address");
	dest_error("bad_name:1", "dest1: 'bad_name' is not a host name or address");
	dest_error("-x.example:1",
		   "dest1: '-x.example' is not a host name or address");
	dest_error("x-.example:1",
		   "dest1: 'x-.example' is not a host name or address");
	dest_error("a..b:1", "dest1: 'a..b' is not a host name or address");
	dest_error("example.com.:1",
		   "dest1: 'example.com.' is not a host name or address");
	dest_error("host.123:1", "dest1: 'host.123' is not a host name or address");
	dest_error("NONE", "dest1: 'NONE' needs a port: host:port");
	memset(host, 'a', 64);
	snprintf(host + 64, sizeof(host) - 64, ".example:1");
	dest_error(host, "dest1: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a host name or address");
}

static void test_dests_in_file(void)
{
	struct pb_conf conf;
	char buf[8192], *p;

	parse_ok(&conf, 4, "[port 1]\nmode = tcp-client\n"
		 "dest1 = plc.example:502\ndest2 = [2001:db8::5]:4001\n"
		 "[port 2]\nmode = udp\ndest1 = 10.0.0.1-10.0.0.9:4002\n"
		 "dest2 = 10.0.1.1:4002\ndest3 = none\n");
	CHECK_INT(conf.port[0].dest[0].kind, CONF_DEST_HOST);
	CHECK_STR(conf.port[0].dest[0].host, "plc.example");
	CHECK_INT(conf.port[0].dest[1].kind, CONF_DEST_ADDR);
	CHECK_INT(conf.port[1].dest[0].kind, CONF_DEST_RANGE);
	conf_serialize(&conf, buf, sizeof(buf));
	p = strstr(buf, "[port 2]");
	CHECK(p != NULL);
	CHECK(strstr(buf, "dest1 = plc.example:502\ndest2 = [2001:db8::5]:4001\n"
			  "dest3 = none\n"));
	CHECK(strstr(p, "dest1 = 10.0.0.1-10.0.0.9:4002\n"
			"dest2 = 10.0.1.1:4002\ndest3 = none\ndest4 = none\n"));
}

static void test_realcom_ports(void)
{
	struct conf_error err;
	struct pb_conf conf;
	unsigned int n;

	CHECK_INT(conf_default_local_port(PB_MODE_REALCOM, 1), 950);
	CHECK_INT(conf_default_local_port(PB_MODE_REALCOM, 16), 965);
	CHECK_INT(conf_default_local_port(PB_MODE_REALCOM, 17), 982);
	CHECK_INT(conf_default_local_port(PB_MODE_REALCOM, 32), 997);
	CHECK_INT(conf_default_cmd_port(1), 966);
	CHECK_INT(conf_default_cmd_port(16), 981);
	CHECK_INT(conf_default_cmd_port(17), 998);
	CHECK_INT(conf_default_cmd_port(32), 1013);
	CHECK_INT(conf_default_local_port(PB_MODE_UDP, 3), 4003);
	CHECK_INT(conf_default_local_port(PB_MODE_DISABLED, 32), 4032);

	/* every port of a 32-port board in Real COM mode: no clash */
	conf_init_defaults(&conf, PB_MAX_PORTS);
	for (n = 1; n <= PB_MAX_PORTS; n++) {
		struct pb_port_conf old = conf.port[n - 1];

		conf.port[n - 1].mode = PB_MODE_REALCOM;
		conf_follow_mode(&conf.port[n - 1], &old, n);
	}
	CHECK_INT(conf_validate(&conf, &err), 0);
	CHECK_INT(conf.port[31].local_port, 997);
	CHECK_INT(conf.port[31].cmd_port, 1013);
}

/* The local port follows the mode, in files as in requests. */
static void test_follow_mode(void)
{
	struct pb_port_conf pc, old;
	struct pb_conf conf;

	parse_ok(&conf, 4, "[port 2]\nmode = real-com\n");
	CHECK_INT(conf.port[1].local_port, 951);
	CHECK_INT(conf.port[1].cmd_port, 967);
	parse_ok(&conf, 4, "[port 2]\nmode = real-com\nlocal-port = 4002\n");
	CHECK_INT(conf.port[1].local_port, 4002);
	parse_ok(&conf, 4, "[port 2]\nlocal-port = 5000\nmode = real-com\n");
	CHECK_INT(conf.port[1].local_port, 5000);
	parse_ok(&conf, 4, "[port 2]\nmode = udp\n");
	CHECK_INT(conf.port[1].local_port, 4002);

	conf_port_defaults(&old, 1);
	pc = old;
	pc.mode = PB_MODE_REALCOM;
	conf_follow_mode(&pc, &old, 1);
	CHECK_INT(pc.local_port, 950);
	old = pc;
	pc.mode = PB_MODE_TCP_SERVER;
	conf_follow_mode(&pc, &old, 1);
	CHECK_INT(pc.local_port, 4001);
	/* a chosen port stays */
	old.local_port = 7000;
	pc = old;
	pc.mode = PB_MODE_UDP;
	conf_follow_mode(&pc, &old, 1);
	CHECK_INT(pc.local_port, 7000);
}

static void test_rules(void)
{
	struct pb_conf conf;

	EXPECT_ERROR("[port 1]\nmode = tcp-client\n",
		     "line 2: port 1: mode: tcp-client needs a destination (dest1 host:port)");
	EXPECT_ERROR("[port 1]\nmode = tcp-client\ndest1 = 10.0.0.1-10.0.0.5:1\n",
		     "line 3: port 1: dest1: an address range is for udp mode only");
	EXPECT_ERROR("[port 1]\nmode = tcp-client\ndest1 = 10.0.0.1:1\n"
		     "dest2 = 10.0.0.1-10.0.0.5:1\n",
		     "line 4: port 1: dest2: an address range is for udp mode only");
	EXPECT_ERROR("[port 1]\ndest2 = 10.0.0.1:1\n",
		     "line 2: port 1: dest2 is set but dest1 is none (destinations fill in order)");
	EXPECT_ERROR("[port 3]\ndest1 = 10.0.0.1:1\ndest4 = 10.0.0.1:1\n",
		     "line 3: port 3: dest4 is set but dest3 is none (destinations fill in order)");
	EXPECT_ERROR("[port 1]\ndelim2 = 0x0a\n",
		     "line 2: port 1: delim2: 0x0a needs delim1");
	EXPECT_ERROR("[port 1]\nmode = real-com\ncmd-port = 950\n",
		     "line 3: port 1: cmd-port: 950 is the same as local-port");
	EXPECT_ERROR("[port 1]\nmode = real-com\n[port 2]\nlocal-port = 966\n",
		     "line 4: port 2: local-port: 966 is already used by port 1 (its cmd-port)");
	EXPECT_ERROR("[port 1]\nmode = real-com\n[port 2]\nmode = real-com\n"
		     "cmd-port = 950\n",
		     "line 5: port 2: cmd-port: 950 is already used by port 1 (its local-port)");
	EXPECT_ERROR("[port 1]\nmode = udp\n[port 2]\nmode = udp\n"
		     "local-port = 4001\n",
		     "line 5: port 2: local-port: 4001 is already used by port 1");
	EXPECT_ERROR("[port 1]\nlocal-port = 22\n",
		     "line 2: port 1: local-port: 22 is reserved for SSH");
	EXPECT_ERROR("[port 2]\nmode = real-com\ncmd-port = 443\n",
		     "line 3: port 2: cmd-port: 443 is reserved for HTTPS");
	EXPECT_ERROR("[port 1]\ninterface = rs422\nflow = rts-cts\n",
		     "line 3: port 1: flow: rts-cts needs interface rs232 (not rs422)");
	EXPECT_ERROR("[port 1]\nflow = dtr-dsr\ninterface = rs485-2w\n",
		     "line 2: port 1: flow: dtr-dsr needs interface rs232 (not rs485-2w)");

	/* TCP and UDP are separate; a TCP client and a disabled port, and
	 * the command port outside Real COM, listen on nothing */
	parse_ok(&conf, 4, "[port 1]\nmode = udp\n[port 2]\nlocal-port = 4001\n");
	parse_ok(&conf, 4, "[port 1]\nmode = tcp-client\ndest1 = 10.0.0.1:4001\n"
		 "[port 2]\nlocal-port = 4001\n");
	parse_ok(&conf, 4, "[port 1]\ncmd-port = 4002\n");
	parse_ok(&conf, 4, "[port 1]\nmode = udp\nlocal-port = 22\n"
		 "[port 2]\nmode = disabled\nlocal-port = 443\n"
		 "[port 3]\nmode = rfc2217\ncmd-port = 22\n");
	parse_ok(&conf, 4, "[port 1]\ninterface = rs485-2w\nflow = xon-xoff\n");
	/* destinations outside tcp-client may be ranges and are kept */
	parse_ok(&conf, 4, "[port 1]\ndest1 = 10.0.0.1-10.0.0.5:1\n");
	CHECK_INT(conf.port[0].dest[0].kind, CONF_DEST_RANGE);
}

static void test_interfaces(void)
{
	struct conf_error err;
	struct pb_conf conf;
	char msg[256];
	static const char text[] = "[port 1]\ninterface = rs485-2w\n";

	conf_init_defaults(&conf, 4);
	conf_set_interfaces(&conf, 1, 1u << PB_IF_RS232);
	CHECK_INT(conf.ifaces[0], 1);
	CHECK_INT(conf_parse(&conf, text, strlen(text), &err), -1);
	conf_error_format(&err, msg, sizeof(msg));
	CHECK_STR(msg, "line 2: port 1: interface: rs485-2w is not wired on this board (rs232)");

	/* a port without RS-232 defaults to the first interface it has */
	conf_set_interfaces(&conf, 2, (1u << PB_IF_RS422) |
				      (1u << PB_IF_RS485_2W) | 0x100);
	CHECK_INT(conf.ifaces[1], (1u << PB_IF_RS422) | (1u << PB_IF_RS485_2W));
	CHECK_INT(conf.port[1].interface, PB_IF_RS422);
	CHECK_INT(conf_validate(&conf, &err), 0);
	conf.port[1].interface = PB_IF_RS485_4W;
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_STR(err.msg, "port 2: interface: rs485-4w is not wired on this board (rs422, rs485-2w)");
	/* 0: unknown, anything goes */
	conf_set_interfaces(&conf, 2, 0);
	CHECK_INT(conf_validate(&conf, &err), 0);
}

/* The longest configuration there can be still fits a file. */
static void test_largest_fits(void)
{
	static char buf[CONF_FILE_MAX + 1];
	static struct pb_conf conf, back;
	struct conf_error err;
	unsigned int n, i;
	size_t len;

	conf_init_defaults(&conf, PB_MAX_PORTS);
	for (n = 0; n < PB_MAX_PORTS; n++) {
		struct pb_port_conf *pc = &conf.port[n];

		pc->mode = PB_MODE_UDP;
		pc->local_port = 10000 + n;
		pc->baud = 921600;
		pc->inactivity_ms = 86400000;
		pc->jammed_ms = 86400000;
		pc->alive_idle = pc->alive_intvl = 32767;
		pc->delim_process = PB_DELIM_NOTHING;
		pc->interface = PB_IF_RS485_4W;
		for (i = 0; i < PB_MAX_DESTS; i++) {
			struct pb_dest_conf *d = &pc->dest[i];

			d->kind = CONF_DEST_HOST;
			d->port = 65535;
			memset(d->host, 'a', CONF_HOST_MAX - 1);
			d->host[63] = d->host[127] = d->host[191] = '.';
		}
	}
	CHECK_INT(conf_validate(&conf, &err), 0);
	len = conf_serialize(&conf, buf, sizeof(buf));
	CHECK(len < CONF_FILE_MAX);
	conf_init_defaults(&back, PB_MAX_PORTS);
	CHECK_INT(conf_parse(&back, buf, len, &err), 0);
	CHECK(!memcmp(&conf, &back, sizeof(conf)));
}

static void test_validate_new(void)
{
	struct conf_error err;
	struct pb_conf conf;

	conf_init_defaults(&conf, 4);
	conf.port[1].delim1 = PB_DELIM_OFF + 1;
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_STR(err.msg, "port 2: delim1: 257 is out of range (0..255)");
	CHECK_INT(err.key, CONF_PORT_DELIM1);

	conf_init_defaults(&conf, 4);
	conf.port[0].dest[0].kind = CONF_DEST_ADDR;
	conf.port[0].dest[0].port = 1;
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_STR(err.msg, "port 1: dest1: [::] is not a destination address");
	conf.port[0].dest[0].kind = 9;
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_STR(err.msg, "port 1: dest1: unknown destination kind 9");
	conf.port[0].dest[0].kind = CONF_DEST_HOST;
	conf.port[0].dest[0].port = 0;
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_STR(err.msg, "port 1: dest1: port 0 is out of range (1..65535)");
	conf.port[0].dest[0].port = 1;
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_STR(err.msg, "port 1: dest1: bad host name");
	memset(conf.port[0].dest[0].host, 'x', CONF_HOST_MAX);
	CHECK_INT(conf_validate(&conf, &err), -1);
	CHECK_INT(err.key, CONF_PORT_DEST1);
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
	{ "new_keys", test_new_keys },
	{ "new_keys_format", test_new_keys_format },
	{ "new_keys_errors", test_new_keys_errors },
	{ "dests", test_dests },
	{ "dests_in_file", test_dests_in_file },
	{ "realcom_ports", test_realcom_ports },
	{ "follow_mode", test_follow_mode },
	{ "rules", test_rules },
	{ "interfaces", test_interfaces },
	{ "validate_new", test_validate_new },
	{ "largest_fits", test_largest_fits },
};

UNIT_SUITE(conf_tests, "conf", tests);
