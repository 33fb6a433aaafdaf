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
	CHECK_INT(req.set[0].key, CONF_PORT_BAUD);
	CHECK_INT(req.set[0].value, 9600);

	parse_ok("port-set 1 mode tcp-server local-port 4001 baud 115200",
		 &req);
	CHECK_INT(req.nset, 3);
	CHECK_INT(req.set[0].key, CONF_PORT_MODE);
	CHECK_INT(req.set[0].value, PB_MODE_TCP_SERVER);
	CHECK_INT(req.set[1].key, CONF_PORT_LOCAL_PORT);
	CHECK_INT(req.set[1].value, 4001);
	CHECK_INT(req.set[2].value, 115200);

	/* The NPort manuals' name for the local TCP port. */
	parse_ok("port-set 1 mode tcp-server port 4001 baud 115200", &req);
	CHECK_INT(req.set[1].key, CONF_PORT_LOCAL_PORT);
	CHECK_INT(req.set[1].value, 4001);
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
	CHECK_INT(req.nset, CONF_PORT_NKEYS);
	CHECK_INT(req.set[0].value, PB_MODE_REALCOM);
	CHECK_INT(req.set[4].value, PB_PARITY_SPACE);
	CHECK_INT(req.set[6].value, PB_FLOW_DTRDSR);
	CHECK_INT(req.set[7].value, 8);
}

static void test_blanks(void)
{
	struct ctl_request req;

	parse_ok("  port-set\t2   parity  odd \n", &req);
	CHECK_INT(req.port, 2);
	CHECK_INT(req.set[0].value, PB_PARITY_ODD);
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
	apply(&conf, "port-set 1 mode udp",
	      "port 2: local-port: 4001 is already used by port 1");
	apply(&conf, "port-set 1 mode udp local-port 4002", NULL);
}

static const struct unit_test tests[] = {
	{ "port_set", test_port_set },
	{ "port_set_all_keys", test_port_set_all_keys },
	{ "blanks", test_blanks },
	{ "errors", test_errors },
	{ "apply", test_apply },
};

UNIT_SUITE(ctl_tests, "ctl", tests);
