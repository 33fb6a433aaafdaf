// SPDX-License-Identifier: GPL-2.0
/* The control request parser and port-set application. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "unit.h"

static void parse_ok(const char *text, struct ctl_request *req)
{
	char err[256];

	if (ctl_parse_request(text, strlen(text), req, err, sizeof(err)))
		unit_fail(__FILE__, __LINE__, "'%s' failed: %s", text, err);
}

static void expect_error(const char *text, size_t len, const char *want)
{
	struct ctl_request req;
	char err[256];

	if (!ctl_parse_request(text, len, &req, err, sizeof(err)))
		unit_fail(__FILE__, __LINE__, "'%s' parsed, expected \"%s\"",
			  text, want);
	if (strcmp(err, want))
		unit_fail(__FILE__, __LINE__, "got \"%s\", expected \"%s\"",
			  err, want);
}

#define EXPECT_ERROR(text, want) expect_error(text, strlen(text), want)

static void test_port_set(void)
{
	struct ctl_request req;

	parse_ok("port-set 1 baud 9600", &req);
	CHECK_INT(req.cmd, CTL_PORT_SET);
	CHECK_INT(req.port, 1);
	CHECK_INT(req.nset, 1);
	CHECK_INT(req.keys[0], CONF_PORT_BAUD);
	CHECK_INT(req.values.baud, 9600);
	CHECK(ctl_request_sets(&req, CONF_PORT_BAUD));
	CHECK(!ctl_request_sets(&req, CONF_PORT_MODE));

	parse_ok("port-set 1 mode tcp-server local-port 4001 baud 115200",
		 &req);
	CHECK_INT(req.nset, 3);
	CHECK_INT(req.keys[0], CONF_PORT_MODE);
	CHECK_INT(req.values.mode, PB_MODE_TCP_SERVER);
	CHECK_INT(req.keys[1], CONF_PORT_LOCAL_PORT);
	CHECK_INT(req.values.local_port, 4001);
	CHECK_INT(req.values.baud, 115200);

	/* The NPort manuals' name for the local TCP port. */
	parse_ok("port-set 1 mode tcp-server port 4001 baud 115200", &req);
	CHECK_INT(req.keys[1], CONF_PORT_LOCAL_PORT);
	CHECK_INT(req.values.local_port, 4001);
	EXPECT_ERROR("port-set 1 port 4001 local-port 4002",
		     "'local-port' is given twice");
}

static void test_port_set_all_keys(void)
{
	struct ctl_request req;

	parse_ok("port-set 32 mode real-com local-port 950 baud 50 "
		 "data-bits 5 parity space stop-bits 2 flow dtr-dsr "
		 "max-connections 8", &req);
	CHECK_INT(req.port, 32);
	CHECK_INT(req.nset, 8);
	CHECK_INT(req.values.mode, PB_MODE_REALCOM);
	CHECK_INT(req.values.parity, PB_PARITY_SPACE);
	CHECK_INT(req.values.flow, PB_FLOW_DTRDSR);
	CHECK_INT(req.values.max_conns, 8);

	parse_ok("port-set 2 cmd-port 967 inactivity-ms 5000 alive-idle 7 "
		 "alive-interval 2 alive-count 4 ignore-jammed yes "
		 "jammed-ms 3000 connect-on any-char "
		 "dest1 plc.example:502 dest2 [2001:db8::1]:4001 "
		 "dest3 10.0.0.1-10.0.0.4:4002 dest4 none "
		 "packing-length 64 delim1 0x0d delim2 10 delim-process strip "
		 "force-tx-ms 20 fifo off interface rs485-2w dtr off rts off",
		 &req);
	CHECK_INT(req.nset, CONF_PORT_NKEYS - 8);
	CHECK_INT(req.values.cmd_port, 967);
	CHECK_INT(req.values.inactivity_ms, 5000);
	CHECK_INT(req.values.alive_idle, 7);
	CHECK_INT(req.values.alive_intvl, 2);
	CHECK_INT(req.values.alive_cnt, 4);
	CHECK_INT(req.values.ignore_jammed, 1);
	CHECK_INT(req.values.jammed_ms, 3000);
	CHECK_INT(req.values.connect_on, PB_CONNECT_ANY_CHAR);
	CHECK_INT(req.values.dest[0].kind, CONF_DEST_HOST);
	CHECK_STR(req.values.dest[0].host, "plc.example");
	CHECK_INT(req.values.dest[1].kind, CONF_DEST_ADDR);
	CHECK_INT(req.values.dest[2].kind, CONF_DEST_RANGE);
	CHECK_INT(req.values.dest[3].kind, CONF_DEST_NONE);
	CHECK(ctl_request_sets(&req, CONF_PORT_DEST4));
	CHECK_INT(req.values.pack_len, 64);
	CHECK_INT(req.values.delim1, 0x0d);
	CHECK_INT(req.values.delim2, 10);
	CHECK_INT(req.values.delim_process, PB_DELIM_STRIP);
	CHECK_INT(req.values.force_tx_ms, 20);
	CHECK_INT(req.values.fifo, 0);
	CHECK_INT(req.values.interface, PB_IF_RS485_2W);
	CHECK_INT(req.values.dtr, 0);
	CHECK_INT(req.values.rts, 0);
	/* keys not given stay zero */
	CHECK_INT(req.values.baud, 0);
}

static void test_blanks(void)
{
	struct ctl_request req;

	parse_ok("  port-set\t2   parity  odd \n", &req);
	CHECK_INT(req.port, 2);
	CHECK_INT(req.values.parity, PB_PARITY_ODD);
	parse_ok("port-set 2 parity odd\r\n", &req);
	CHECK_INT(req.nset, 1);
	parse_ok("config-get", &req);
	CHECK_INT(req.cmd, CTL_CONFIG_GET);
	parse_ok("config-get\n", &req);
	parse_ok("  config-get  ", &req);
	CHECK_INT(req.cmd, CTL_CONFIG_GET);
}

static void test_errors(void)
{
	char big[CTL_REQUEST_MAX + 2];

	EXPECT_ERROR("", "empty request");
	EXPECT_ERROR("   \t", "empty request");
	EXPECT_ERROR("\n", "empty request");
	EXPECT_ERROR("hello", "unknown request 'hello'");
	EXPECT_ERROR("PORT-SET 1 baud 9600", "unknown request 'PORT-SET'");
	EXPECT_ERROR("config-get now", "config-get takes no arguments");
	EXPECT_ERROR("port-set",
		     "usage: port-set N key value [key value ...]");
	EXPECT_ERROR("port-set x baud 9600", "'x' is not a port number (1..32)");
	EXPECT_ERROR("port-set 0 baud 9600", "'0' is not a port number (1..32)");
	EXPECT_ERROR("port-set 33 baud 9600",
		     "'33' is not a port number (1..32)");
	EXPECT_ERROR("port-set 99999999999 baud 9600",
		     "'99999999999' is not a port number (1..32)");
	EXPECT_ERROR("port-set 1", "port-set 1: nothing to set");
	EXPECT_ERROR("port-set 1 baud", "baud: missing value");
	EXPECT_ERROR("port-set 1 speed 9600", "unknown key 'speed'");
	EXPECT_ERROR("port-set 1 baud 9600 baud 9600", "'baud' is given twice");
	EXPECT_ERROR("port-set 1 baud fast", "baud: 'fast' is not a number");
	EXPECT_ERROR("port-set 1 baud 10", "baud: 10 is out of range (50..921600)");
	EXPECT_ERROR("port-set 1 mode off",
		     "mode: 'off' is not one of disabled, tcp-server, tcp-client, udp, rfc2217, real-com");
	EXPECT_ERROR("port-set 1 baud 96\x01" "00",
		     "request contains byte 0x01");
	EXPECT_ERROR("port-set 1 parity \xc3\xa9",
		     "request contains byte 0xc3");
	expect_error("port-set 1 baud 9600\0", 21,
		     "request contains byte 0x00");
	EXPECT_ERROR("port-set 1 baud 9600\n\n", "request contains byte 0x0a");
	EXPECT_ERROR("port-set 1 dest1 10.0.0.1",
		     "dest1: '10.0.0.1' needs a port: host:port");
	EXPECT_ERROR("port-set 1 dest5 10.0.0.1:1", "unknown key 'dest5'");
	EXPECT_ERROR("port-set 1 delim1 0x0d delim1 off",
		     "'delim1' is given twice");
	EXPECT_ERROR("port-set 1 fifo", "fifo: missing value");
	EXPECT_ERROR("port-set 1 interface rs485",
		     "interface: 'rs485' is not one of rs232, rs422, rs485-2w, rs485-4w");
	EXPECT_ERROR("port-set 1 alive-count 0",
		     "alive-count: 0 is out of range (1..127)");

	memset(big, ' ', sizeof(big));
	memcpy(big, "config-get", 10);
	expect_error(big, CTL_REQUEST_MAX + 1, "request longer than 1024 bytes");
	/* exactly the maximum is fine */
	{
		struct ctl_request req;
		char err[128];

		CHECK_INT(ctl_parse_request(big, CTL_REQUEST_MAX, &req, err,
					    sizeof(err)), 0);
	}
}

static void apply(struct pb_conf *conf, const char *text, const char *want)
{
	struct pb_conf copy = *conf;	/* as pbconfd does */
	struct ctl_request req;
	struct conf_error err;
	char msg[256];
	int rc;

	parse_ok(text, &req);
	rc = ctl_apply_port_set(&copy, &req, &err);
	if (!want) {
		if (rc) {
			conf_error_format(&err, msg, sizeof(msg));
			unit_fail(__FILE__, __LINE__, "'%s': %s", text, msg);
		}
		*conf = copy;
		return;
	}
	CHECK_INT(rc, -1);
	conf_error_format(&err, msg, sizeof(msg));
	CHECK_STR(msg, want);
}

static void test_apply(void)
{
	struct pb_conf conf;

	conf_init_defaults(&conf, 4);
	apply(&conf, "port-set 2 baud 9600 parity even", NULL);
	CHECK_INT(conf.port[1].baud, 9600);
	CHECK_INT(conf.port[1].parity, PB_PARITY_EVEN);
	CHECK_INT(conf.port[0].baud, 115200);

	conf_init_defaults(&conf, 4);
	apply(&conf, "port-set 5 baud 9600",
	      "port 5: no such port (this board has 4: 1..4)");
	apply(&conf, "port-set 2 local-port 4001",
	      "port 2: local-port: 4001 is already used by port 1");
	/* disabling port 1 frees its local port */
	apply(&conf, "port-set 1 mode disabled", NULL);
	apply(&conf, "port-set 2 local-port 4001", NULL);
	apply(&conf, "port-set 1 mode rfc2217",
	      "port 2: local-port: 4001 is already used by port 1");
	/* UDP does not clash with TCP */
	apply(&conf, "port-set 1 mode udp", NULL);
	apply(&conf, "port-set 1 mode rfc2217 local-port 4003",
	      "port 3: local-port: 4003 is already used by port 1");
}

/* Switching to Real COM without a local port moves to 950 + N - 1, back
 * to 4000 + N; a port the user chose stays.
 */
static void test_apply_follows_mode(void)
{
	struct pb_conf conf;

	conf_init_defaults(&conf, 4);
	apply(&conf, "port-set 2 mode real-com", NULL);
	CHECK_INT(conf.port[1].local_port, 951);
	CHECK_INT(conf.port[1].cmd_port, 967);
	apply(&conf, "port-set 2 mode tcp-server", NULL);
	CHECK_INT(conf.port[1].local_port, 4002);
	apply(&conf, "port-set 2 mode real-com port 4002", NULL);
	CHECK_INT(conf.port[1].local_port, 4002);
	apply(&conf, "port-set 2 mode udp", NULL);
	CHECK_INT(conf.port[1].local_port, 4002);
	apply(&conf, "port-set 3 local-port 6000", NULL);
	apply(&conf, "port-set 3 mode real-com", NULL);
	CHECK_INT(conf.port[2].local_port, 6000);
	/* the default of the new mode can clash: said so */
	apply(&conf, "port-set 3 local-port 950", NULL);
	apply(&conf, "port-set 1 mode real-com",
	      "port 3: local-port: 950 is already used by port 1");
}

static void test_apply_new_keys(void)
{
	struct pb_conf conf;

	conf_init_defaults(&conf, 4);
	apply(&conf, "port-set 1 mode tcp-client",
	      "port 1: mode: tcp-client needs a destination (dest1 host:port)");
	apply(&conf, "port-set 1 mode tcp-client dest1 plc.example:502", NULL);
	CHECK_INT(conf.port[0].dest[0].kind, CONF_DEST_HOST);
	apply(&conf, "port-set 1 dest1 none",
	      "port 1: mode: tcp-client needs a destination (dest1 host:port)");
	apply(&conf, "port-set 1 dest2 10.0.0.1-10.0.0.3:1",
	      "port 1: dest2: an address range is for udp mode only");
	apply(&conf, "port-set 1 mode udp dest2 10.0.0.1-10.0.0.3:1", NULL);
	apply(&conf, "port-set 1 dest1 none",
	      "port 1: dest2 is set but dest1 is none (destinations fill in order)");
	apply(&conf, "port-set 2 delim2 0x0a",
	      "port 2: delim2: 0x0a needs delim1");
	apply(&conf, "port-set 2 delim1 0x0d delim2 0x0a", NULL);
	apply(&conf, "port-set 2 delim1 off",
	      "port 2: delim2: 0x0a needs delim1");
	apply(&conf, "port-set 3 interface rs422 flow rts-cts",
	      "port 3: flow: rts-cts needs interface rs232 (not rs422)");
	apply(&conf, "port-set 3 local-port 22",
	      "port 3: local-port: 22 is reserved for SSH");
	apply(&conf, "port-set 4 mode real-com cmd-port 4001", NULL);
	apply(&conf, "port-set 4 cmd-port 4002",
	      "port 4: cmd-port: 4002 is already used by port 2 (its local-port)");
	/* UDP 4001 of port 1 is no TCP port */
	CHECK_INT(conf.port[3].mode, PB_MODE_REALCOM);
	CHECK_INT(conf.port[3].local_port, 953);
	CHECK_INT(conf.port[3].cmd_port, 4001);
}

static const struct unit_test tests[] = {
	{ "port_set", test_port_set },
	{ "port_set_all_keys", test_port_set_all_keys },
	{ "blanks", test_blanks },
	{ "errors", test_errors },
	{ "apply", test_apply },
	{ "apply_follows_mode", test_apply_follows_mode },
	{ "apply_new_keys", test_apply_new_keys },
};

UNIT_SUITE(ctl_tests, "ctl", tests);
