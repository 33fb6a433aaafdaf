// SPDX-License-Identifier: GPL-2.0
/* pbctl's port output: table, detail and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portfmt.h"
#include "unit.h"

static void sample(struct pb_port_info *p)
{
	memset(p, 0, sizeof(*p));
	p->index = 1;
	snprintf(p->tty, sizeof(p->tty), "ttyS4");
	p->conf.mode = PB_MODE_TCP_SERVER;
	p->conf.local_port = 4001;
	p->conf.baud = 115200;
	p->conf.data_bits = 8;
	p->conf.parity = PB_PARITY_EVEN;
	p->conf.stop_bits = 1;
	p->conf.flow = PB_FLOW_RTSCTS;
	p->conf.max_conns = 2;
	p->conf_present = (1u << (CONF_PORT_MAX_CONNS + 1)) - 1;
	p->stats[PB_STAT_RX_BYTES] = 1234567890123ull;
	p->stats[PB_STAT_TX_BYTES] = 42;
	p->stats[PB_STAT_ACTIVE_CONNS] = 1;
	p->stats[PB_STAT_PARITY_ERRORS] = 2;
	p->stats[PB_STAT_OVERRUNS] = 3;
	/* the foundation's counters */
	p->stats_present = ((1u << (PB_STAT_NET_ERRORS + 1)) - 1) &
			   ~((1u << PB_STAT_UNSPEC) | (1u << PB_STAT_PAD));
}

/* Run a formatter into a string. */
#define CAPTURE(buf, call)						\
	do {								\
		size_t len_;						\
		FILE *f = open_memstream(&(buf), &len_);		\
		CHECK(f != NULL);					\
		call;							\
		CHECK_INT(fclose(f), 0);				\
	} while (0)

static void test_json(void)
{
	struct pb_port_info p;
	char *out;

	sample(&p);
	CAPTURE(out, portfmt_json(f, &p));
	CHECK_STR(out, "{\"port\":1,\"tty\":\"ttyS4\",\"mode\":\"tcp-server\","
		  "\"local-port\":4001,\"baud\":115200,\"data-bits\":8,"
		  "\"parity\":\"even\",\"stop-bits\":1,\"flow\":\"rts-cts\","
		  "\"max-connections\":2,\"rx_bytes\":1234567890123,"
		  "\"tx_bytes\":42,\"connections\":0,\"refused\":0,"
		  "\"active_conns\":1,\"parity_errors\":2,\"frame_errors\":0,"
		  "\"overruns\":3,\"breaks\":0,\"net_errors\":0}");
	free(out);

	/* only what the kernel sent; strings escaped */
	p.conf_present = 1u << CONF_PORT_BAUD;
	p.stats_present = 0;
	snprintf(p.tty, sizeof(p.tty), "a\"b\\c\x01");
	CAPTURE(out, portfmt_json(f, &p));
	CHECK_STR(out, "{\"port\":1,\"tty\":\"a\\\"b\\\\c\\u0001\",\"baud\":115200}");
	free(out);
}

static void test_table(void)
{
	struct pb_port_info p[2];
	char *out;

	sample(&p[0]);
	sample(&p[1]);
	p[1].index = 2;
	p[1].tty[0] = '\0';
	p[1].conf.mode = PB_MODE_UDP;
	p[1].conf.data_bits = 7;
	p[1].conf.parity = PB_PARITY_NONE;
	p[1].conf.stop_bits = 2;
	CAPTURE(out, portfmt_table(f, p, 2));
	CHECK_STR(out,
		  "PORT TTY      MODE       LOCAL BAUD   FORMAT FLOW     CONNS           RX           TX ERRORS\n"
		  "1    ttyS4    tcp-server 4001  115200 8E1    rts-cts  1/2   1234567890123           42      5\n"
		  "2    -        udp        4001  115200 7N2    rts-cts  1/2   1234567890123           42      5\n");
	free(out);
}

static void test_detail(void)
{
	struct pb_port_info p;
	char *out;

	sample(&p);
	CAPTURE(out, portfmt_detail(f, &p));
	CHECK_STR(out,
		  "port             1\n"
		  "tty              ttyS4\n"
		  "mode             tcp-server\n"
		  "local-port       4001\n"
		  "baud             115200\n"
		  "data-bits        8\n"
		  "parity           even\n"
		  "stop-bits        1\n"
		  "flow             rts-cts\n"
		  "max-connections  2\n"
		  "rx_bytes         1234567890123\n"
		  "tx_bytes         42\n"
		  "connections      0\n"
		  "refused          0\n"
		  "active_conns     1\n"
		  "parity_errors    2\n"
		  "frame_errors     0\n"
		  "overruns         3\n"
		  "breaks           0\n"
		  "net_errors       0\n");
	free(out);
}

/* Everything a kernel implementing issue 3 sends. */
static void sample_full(struct pb_port_info *p)
{
	char msg[128];

	sample(p);
	conf_port_defaults(&p->conf, 1);
	p->conf.mode = PB_MODE_UDP;
	p->conf.max_conns = 2;
	p->conf.delim1 = 0x0d;
	p->conf.ignore_jammed = 1;
	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST1, "10.0.0.1-10.0.0.9:4001",
					22, &p->conf, msg, sizeof(msg)), 0);
	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST2, "[2001:db8::7]:4002",
					18, &p->conf, msg, sizeof(msg)), 0);
	p->conf_present = (1ull << CONF_PORT_NKEYS) - 1;
	p->stats[PB_STAT_JAMMED_SKIPS] = 100;
	p->stats[PB_STAT_JAMMED_DROPS] = 1;
	p->stats[PB_STAT_PROTO_ERRORS] = 4;
	p->stats[PB_STAT_DATAGRAMS] = 77;
	p->stats_present = ((1ull << (PB_STAT_MAX + 1)) - 1) &
			   ~((1ull << PB_STAT_UNSPEC) | (1ull << PB_STAT_PAD));
}

static void test_json_full(void)
{
	struct pb_port_info p;
	char *out;

	sample_full(&p);
	CAPTURE(out, portfmt_json(f, &p));
	CHECK_STR(out, "{\"port\":1,\"tty\":\"ttyS4\",\"mode\":\"udp\","
		  "\"local-port\":4001,\"baud\":115200,\"data-bits\":8,"
		  "\"parity\":\"none\",\"stop-bits\":1,\"flow\":\"none\","
		  "\"max-connections\":2,\"cmd-port\":966,"
		  "\"inactivity-ms\":0,\"alive-idle\":10,"
		  "\"alive-interval\":5,\"alive-count\":3,"
		  "\"ignore-jammed\":\"yes\",\"jammed-ms\":10000,"
		  "\"connect-on\":\"startup\","
		  "\"dest1\":\"10.0.0.1-10.0.0.9:4001\","
		  "\"dest2\":\"[2001:db8::7]:4002\",\"dest3\":\"none\","
		  "\"dest4\":\"none\",\"packing-length\":0,"
		  "\"delim1\":\"0x0d\",\"delim2\":\"off\","
		  "\"delim-process\":\"nothing\",\"force-tx-ms\":0,"
		  "\"fifo\":\"on\",\"interface\":\"rs232\",\"dtr\":\"on\","
		  "\"rts\":\"on\","
		  "\"rx_bytes\":1234567890123,"
		  "\"tx_bytes\":42,\"connections\":0,\"refused\":0,"
		  "\"active_conns\":1,\"parity_errors\":2,\"frame_errors\":0,"
		  "\"overruns\":3,\"breaks\":0,\"net_errors\":0,"
		  "\"jammed_skips\":100,\"jammed_drops\":1,"
		  "\"proto_errors\":4,\"datagrams\":77}");
	free(out);
}

static void test_detail_full(void)
{
	struct pb_port_info p;
	char *out;

	sample_full(&p);
	CAPTURE(out, portfmt_detail(f, &p));
	CHECK_STR(out,
		  "port             1\n"
		  "tty              ttyS4\n"
		  "mode             udp\n"
		  "local-port       4001\n"
		  "baud             115200\n"
		  "data-bits        8\n"
		  "parity           none\n"
		  "stop-bits        1\n"
		  "flow             none\n"
		  "max-connections  2\n"
		  "cmd-port         966\n"
		  "inactivity-ms    0\n"
		  "alive-idle       10\n"
		  "alive-interval   5\n"
		  "alive-count      3\n"
		  "ignore-jammed    yes\n"
		  "jammed-ms        10000\n"
		  "connect-on       startup\n"
		  "dest1            10.0.0.1-10.0.0.9:4001\n"
		  "dest2            [2001:db8::7]:4002\n"
		  "dest3            none\n"
		  "dest4            none\n"
		  "packing-length   0\n"
		  "delim1           0x0d\n"
		  "delim2           off\n"
		  "delim-process    nothing\n"
		  "force-tx-ms      0\n"
		  "fifo             on\n"
		  "interface        rs232\n"
		  "dtr              on\n"
		  "rts              on\n"
		  "rx_bytes         1234567890123\n"
		  "tx_bytes         42\n"
		  "connections      0\n"
		  "refused          0\n"
		  "active_conns     1\n"
		  "parity_errors    2\n"
		  "frame_errors     0\n"
		  "overruns         3\n"
		  "breaks           0\n"
		  "net_errors       0\n"
		  "jammed_skips     100\n"
		  "jammed_drops     1\n"
		  "proto_errors     4\n"
		  "datagrams        77\n");
	free(out);
}

/* The table stays one compact line; protocol errors count as errors. */
static void test_table_full(void)
{
	struct pb_port_info p;
	char *out;

	sample_full(&p);
	CAPTURE(out, portfmt_table(f, &p, 1));
	CHECK_STR(out,
		  "PORT TTY      MODE       LOCAL BAUD   FORMAT FLOW     CONNS           RX           TX ERRORS\n"
		  "1    ttyS4    udp        4001  115200 8N1    none     1/2   1234567890123           42      9\n");
	free(out);
}

static const struct unit_test tests[] = {
	{ "json", test_json },
	{ "table", test_table },
	{ "detail", test_detail },
	{ "json_full", test_json_full },
	{ "detail_full", test_detail_full },
	{ "table_full", test_table_full },
};

UNIT_SUITE(portfmt_tests, "portfmt", tests);
