// SPDX-License-Identifier: GPL-2.0
/*
 * Syslog: parsing local messages, formatting remote ones (syslogfmt.h).
 * Pure: no I/O, no clock (the caller passes the time in).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "logrec.h"
#include "syslogfmt.h"
#include "text.h"

static const char *const facility_names[24] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7",
};

static const char *const severity_names[8] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

const char *syslog_facility_name(int facility)
{
	return facility >= 0 && facility < 24 ? facility_names[facility] : NULL;
}

int syslog_facility_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < 24; i++) {
		if (strlen(facility_names[i]) == len &&
		    !memcmp(facility_names[i], name, len))
			return i;
	}
	return -1;
}

const char *syslog_severity_name(int severity)
{
	return severity >= 0 && severity < 8 ? severity_names[severity] : "?";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "Mmm dd hh:mm:ss " (15 characters and a blank), as syslog(3) writes. */
static int is_3164_time(const char *p, size_t len)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	if (len < 16 || p[3] != ' ' || p[6] != ' ' || p[9] != ':' ||
	    p[12] != ':' || p[15] != ' ')
		return 0;
	for (i = 0; i < 12; i++) {
		if (!memcmp(months + 3 * i, p, 3))
			break;
	}
	if (i == 12 || (p[4] != ' ' && !is_digit(p[4])) || !is_digit(p[5]))
		return 0;
	return is_digit(p[7]) && is_digit(p[8]) && is_digit(p[10]) &&
	       is_digit(p[11]) && is_digit(p[13]) && is_digit(p[14]);
}

static int tag_char(char c)
{
	return c > ' ' && c <= '~' && c != '[' && c != ':';
}

int syslog_parse_local(const char *buf, size_t len, struct syslog_in *m)
{
	const char *p = buf, *end = buf + len, *tag, *q;
	uint32_t pri = 1 * 8 + 5;
	size_t n;

	memset(m, 0, sizeof(*m));
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		end = buf + --len;
	if (!len)
		return -1;
	if (*p == '<') {
		q = memchr(p, '>', end - p < 5 ? end - p : 5);
		if (!q || q - p < 2 || text_parse_u32(p + 1, q - p - 1, &pri) ||
		    pri > 191)
			return -1;
		p = q + 1;
	}
	m->facility = pri >> 3;
	m->severity = pri & 7;
	if (is_3164_time(p, end - p))
		p += 16;
	/* TAG[PID]: or TAG: */
	tag = p;
	while (p < end && tag_char(*p) && p - tag < SYSLOG_APP_MAX)
		p++;
	n = p - tag;
	if (n && p < end && (*p == ':' || *p == '[')) {
		const char *after = p;
		uint32_t pid = 0;
		int ok = 1;

		if (*after == '[') {
			q = memchr(after, ']', end - after);
			if (!q || text_parse_u32(after + 1, q - after - 1, &pid))
				ok = 0;
			else
				after = q + 1;
		}
		if (ok && after < end && *after == ':') {
			memcpy(m->app, tag, n);
			m->pid = pid;
			p = after + 1;
			if (p < end && *p == ' ')
				p++;
		} else {
			p = tag;
		}
	} else {
		p = tag;
	}
	log_clean_text(m->text, sizeof(m->text), p, end - p);
	return 0;
}

/* RFC 5424 header fields: PRINTUSASCII, at most @max, "-" if empty. */
static void put_field(struct textbuf *tb, const char *s, size_t max)
{
	size_t i;

	if (!s || !*s) {
		textbuf_printf(tb, "-");
		return;
	}
	for (i = 0; s[i] && i < max; i++) {
		unsigned char c = s[i];

		textbuf_printf(tb, "%c", c > ' ' && c <= '~' ? c : '_');
	}
}

/* An SD-PARAM value: '"', '\' and ']' are escaped. */
static void put_param(struct textbuf *tb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\' || c == ']')
			textbuf_printf(tb, "\\%c", c);
		else
			textbuf_printf(tb, "%c", c >= ' ' && c <= '~' ? c : '?');
	}
}

static void put_text(struct textbuf *tb, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = *s;

		textbuf_printf(tb, "%c", c >= ' ' && c <= '~' ? c : '?');
	}
}

size_t syslog_format(enum syslog_format fmt, const struct syslog_out *m,
		     char *buf, size_t size)
{
	static const char *const mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec",
	};
	time_t t = (time_t)(m->time_us / 1000000);
	struct textbuf tb;
	struct tm tm;
	int pri = ((m->facility & 31) % 24) * 8 + (m->severity & 7);

	if (size > SYSLOG_DGRAM_MAX + 1)
		size = SYSLOG_DGRAM_MAX + 1;
	textbuf_init(&tb, buf, size);
	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	if (fmt == SYSLOG_RFC3164) {
		textbuf_printf(&tb, "<%d>%s %2d %02d:%02d:%02d ", pri,
			       mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
			       tm.tm_min, tm.tm_sec);
		put_field(&tb, m->hostname && *m->hostname ? m->hostname :
			  "portbridge", SYSLOG_HOST_MAX);
		textbuf_printf(&tb, " ");
		put_field(&tb, m->app && *m->app ? m->app : "portbridge", 32);
		if (m->pid)
			textbuf_printf(&tb, "[%u]", m->pid);
		textbuf_printf(&tb, ": seq=%u category=%s ", m->seq,
			       m->category);
		put_text(&tb, m->text);
		return tb.len < size ? tb.len : size ? size - 1 : 0;
	}
	textbuf_printf(&tb, "<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%06uZ ", pri,
		       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		       tm.tm_hour, tm.tm_min, tm.tm_sec,
		       (unsigned int)(m->time_us % 1000000));
	put_field(&tb, m->hostname, 255);
	textbuf_printf(&tb, " ");
	put_field(&tb, m->app, 48);
	if (m->pid)
		textbuf_printf(&tb, " %u ", m->pid);
	else
		textbuf_printf(&tb, " - ");
	put_field(&tb, m->category, 32);
	textbuf_printf(&tb, " [meta sequenceId=\"%u\" sysUpTime=\"%llu\"]",
		       m->seq, (unsigned long long)(m->uptime_ms / 10));
	textbuf_printf(&tb, "[" SYSLOG_SD_ID " category=\"");
	put_param(&tb, m->category ? m->category : "");
	textbuf_printf(&tb, "\" boot=\"%u\" index=\"%u\"] ", m->boot,
		       m->index);
	put_text(&tb, m->text);
	return tb.len < size ? tb.len : size ? size - 1 : 0;
}
