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
	p->conf_present = (1u << CONF_PORT_NKEYS) - 1;
	p->stats[PB_STAT_RX_BYTES] = 1234567890123ull;
	p->stats[PB_STAT_TX_BYTES] = 42;
	p->stats[PB_STAT_ACTIVE_CONNS] = 1;
	p->stats[PB_STAT_PARITY_ERRORS] = 2;
	p->stats[PB_STAT_OVERRUNS] = 3;
	p->stats_present = ((1u << (PB_STAT_MAX + 1)) - 1) &
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

static const struct unit_test tests[] = {
	{ "json", test_json },
	{ "table", test_table },
	{ "detail", test_detail },
};

UNIT_SUITE(portfmt_tests, "portfmt", tests);
