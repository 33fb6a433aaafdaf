// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static const char *log_ident = "portbridge";
static int log_to_stderr = 1;

void log_open(const char *ident, int to_stderr)
{
	log_ident = ident;
	log_to_stderr = to_stderr;
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_stderr(int on)
{
	log_to_stderr = on;
}

void log_msg(int prio, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	syslog(prio, "%s", line);
	if (log_to_stderr)
		fprintf(stderr, "%s: %s\n", log_ident, line);
}
