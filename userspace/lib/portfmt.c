// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "portfmt.h"

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void portfmt_json(FILE *f, const struct pb_port_info *p)
{
	char val[CONF_VALUE_MAX];
	unsigned int s;
	int k;

	fprintf(f, "{\"port\":%u,\"tty\":", p->index);
	json_string(f, p->tty);
	for (k = 0; k < CONF_PORT_NKEYS; k++) {
		if (!(p->conf_present & (1ull << k)))
			continue;
		fprintf(f, ",\"%s\":", conf_port_key_name(k));
		if (conf_port_key_is_number(k)) {
			fprintf(f, "%u", conf_port_get(&p->conf, k));
		} else {
			conf_port_value_format(k, &p->conf, val, sizeof(val));
			json_string(f, val);
		}
	}
	for (s = 0; s <= PB_STAT_MAX; s++) {
		if (p->stats_present & (1ull << s))
			fprintf(f, ",\"%s\":%llu", pb_stat_name(s),
				(unsigned long long)p->stats[s]);
	}
	fputc('}', f);
}

/*
 * Line, socket and protocol errors: what an operator wants to notice.
 * Jammed clients are the network's fault, not the port's: detail only.
 */
static unsigned long long port_errors(const struct pb_port_info *p)
{
	return p->stats[PB_STAT_PARITY_ERRORS] +
	       p->stats[PB_STAT_FRAME_ERRORS] + p->stats[PB_STAT_OVERRUNS] +
	       p->stats[PB_STAT_NET_ERRORS] + p->stats[PB_STAT_PROTO_ERRORS];
}

static char parity_letter(uint32_t parity)
{
	return parity < 5 ? "NOEMS"[parity] : '?';
}

static void table_row(FILE *f, const struct pb_port_info *p)
{
	const struct pb_port_conf *c = &p->conf;
	char format[32], conns[32];

	snprintf(format, sizeof(format), "%u%c%u", c->data_bits,
		 parity_letter(c->parity), c->stop_bits);
	snprintf(conns, sizeof(conns), "%llu/%u",
		 (unsigned long long)p->stats[PB_STAT_ACTIVE_CONNS],
		 c->max_conns);
	fprintf(f, "%-4u %-8s %-10s %-5u %-6u %-6s %-8s %-5s %12llu %12llu %6llu\n",
		p->index, p->tty[0] ? p->tty : "-", conf_mode_name(c->mode),
		c->local_port, c->baud, format, conf_flow_name(c->flow), conns,
		(unsigned long long)p->stats[PB_STAT_RX_BYTES],
		(unsigned long long)p->stats[PB_STAT_TX_BYTES],
		port_errors(p));
}

void portfmt_table(FILE *f, const struct pb_port_info *ports,
		   unsigned int n)
{
	unsigned int i;

	fprintf(f, "%-4s %-8s %-10s %-5s %-6s %-6s %-8s %-5s %12s %12s %6s\n",
		"PORT", "TTY", "MODE", "LOCAL", "BAUD", "FORMAT", "FLOW",
		"CONNS", "RX", "TX", "ERRORS");
	for (i = 0; i < n; i++)
		table_row(f, &ports[i]);
}

void portfmt_detail(FILE *f, const struct pb_port_info *p)
{
	char val[CONF_VALUE_MAX];
	unsigned int s;
	int k;

	fprintf(f, "%-16s %u\n", "port", p->index);
	fprintf(f, "%-16s %s\n", "tty", p->tty[0] ? p->tty : "-");
	for (k = 0; k < CONF_PORT_NKEYS; k++) {
		if (!(p->conf_present & (1ull << k)))
			continue;
		conf_port_value_format(k, &p->conf, val, sizeof(val));
		fprintf(f, "%-16s %s\n", conf_port_key_name(k), val);
	}
	for (s = 0; s <= PB_STAT_MAX; s++) {
		if (p->stats_present & (1ull << s))
			fprintf(f, "%-16s %llu\n", pb_stat_name(s),
				(unsigned long long)p->stats[s]);
	}
}
