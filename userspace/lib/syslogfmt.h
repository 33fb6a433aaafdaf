/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Syslog messages, pure: parsing what local programs send to /dev/log
 * (untrusted: any local user may write there) and formatting what the
 * event log sends to remote servers, in RFC 5424 or RFC 3164.
 */
#ifndef PB_SYSLOGFMT_H
#define PB_SYSLOGFMT_H

#include <stddef.h>
#include <stdint.h>

#define SYSLOG_APP_MAX		32	/* without NUL */
#define SYSLOG_TEXT_MAX		1024	/* without NUL */
#define SYSLOG_DGRAM_MAX	2048	/* what we send, at most */
#define SYSLOG_HOST_MAX		64	/* without NUL */
/* IANA's example private enterprise number (RFC 5612) for our SD-ID. */
#define SYSLOG_SD_ID		"portbridge@32473"

/* A message from /dev/log. */
struct syslog_in {
	int facility;			/* 0 .. 23 */
	int severity;			/* 0 .. 7 */
	char app[SYSLOG_APP_MAX + 1];	/* "" if none */
	uint32_t pid;			/* 0 if none */
	char text[SYSLOG_TEXT_MAX + 1];	/* cleaned: printable ASCII */
};

/*
 * Parse what syslog(3) and BusyBox's logger send:
 *	<PRI>Mmm dd hh:mm:ss TAG[PID]: MESSAGE
 * The timestamp, the [PID] and even the tag are optional; a missing
 * <PRI> means user.notice (RFC 3164, 4.3.3).  0, or -1 if @len is 0 or
 * the PRI is malformed.
 */
int syslog_parse_local(const char *buf, size_t len, struct syslog_in *m);

enum syslog_format {
	SYSLOG_RFC5424,
	SYSLOG_RFC3164,
};

/* One event for a remote server. */
struct syslog_out {
	int facility;		/* the server's, 0 .. 23 */
	int severity;		/* 0 .. 7 */
	uint64_t time_us;	/* wall clock, UTC */
	const char *hostname;	/* "" -> "-" (5424) */
	const char *app;	/* "" -> "-" (5424), "portbridge" (3164) */
	uint32_t pid;		/* 0 -> "-" / none */
	const char *category;	/* MSGID and SD param */
	uint32_t seq;		/* sequenceId: per server, 1, 2, ... */
	uint32_t index;		/* the local entry, 0 if not recorded */
	uint32_t boot;
	uint64_t uptime_ms;
	const char *text;
};

/*
 * Format @m.  RFC 5424:
 *	<PRI>1 TIMESTAMP HOST APP PROCID MSGID [meta sequenceId="N"
 *	sysUpTime="T"][portbridge@32473 category="C" boot="B" index="I"] TEXT
 * RFC 3164 (no structured data, so the sequence leads the text):
 *	<PRI>Mmm dd hh:mm:ss HOST APP[PID]: seq=N category=C TEXT
 * Always NUL-terminated; returns the length, cut to @size - 1 (and to
 * SYSLOG_DGRAM_MAX).
 */
size_t syslog_format(enum syslog_format fmt, const struct syslog_out *m,
		     char *buf, size_t size);

/* Facility names (kern .. local7): NULL if out of range; -1 if unknown. */
const char *syslog_facility_name(int facility);
int syslog_facility_find(const char *name, size_t len);
/* emerg .. debug */
const char *syslog_severity_name(int severity);

#endif /* PB_SYSLOGFMT_H */
