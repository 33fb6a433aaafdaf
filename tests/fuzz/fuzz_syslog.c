// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/log messages (anyone on the board may send them): parse, then
 * format what was parsed in both remote formats.  Checks: the parsed
 * fields are in range and printable, the output is bounded, terminated
 * and a single line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "syslogfmt.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_line(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len > max || strlen(s) != len)
		abort();
	for (i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char out[SYSLOG_DGRAM_MAX + 1], small[40];
	struct syslog_in m;
	struct syslog_out o;
	size_t n;

	if (syslog_parse_local((const char *)data, size, &m))
		return 0;
	if (m.facility < 0 || m.facility > 23 || m.severity < 0 ||
	    m.severity > 7)
		abort();
	check_line(m.app, strlen(m.app), SYSLOG_APP_MAX);
	check_line(m.text, strlen(m.text), SYSLOG_TEXT_MAX);
	o = (struct syslog_out){
		.facility = m.facility,
		.severity = m.severity,
		.time_us = size * 977777777ull,
		.hostname = m.text,
		.app = m.app,
		.pid = m.pid,
		.category = m.app,
		.seq = m.pid,
		.index = (uint32_t)size,
		.boot = 1,
		.uptime_ms = m.pid,
		.text = m.text,
	};
	n = syslog_format(SYSLOG_RFC5424, &o, out, sizeof(out));
	check_line(out, n, SYSLOG_DGRAM_MAX);
	n = syslog_format(SYSLOG_RFC3164, &o, out, sizeof(out));
	check_line(out, n, SYSLOG_DGRAM_MAX);
	n = syslog_format(SYSLOG_RFC5424, &o, small, sizeof(small));
	check_line(small, n, sizeof(small) - 1);
	return 0;
}
