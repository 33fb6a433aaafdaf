/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event log's records and its ring file, pure: no I/O here, so the
 * decoder and the scan of a whole file are unit-tested and fuzzed.
 *
 * The file is LOGREC_SLOTS fixed-size records of LOGREC_SIZE bytes, no
 * header.  Entry number @index (1, 2, ...) lives in slot (index - 1) %
 * LOGREC_SLOTS, so "overwrite the oldest" is writing the next index.  Each
 * record carries a CRC-32 over everything but its magic and the CRC: a
 * record torn by a power cut fails it and is skipped, the others stay.
 *
 * Record layout, little endian:
 *	0	u32	magic LOGREC_MAGIC
 *	4	u32	CRC-32 (IEEE) of bytes 8 .. LOGREC_SIZE - 1
 *	8	u32	index, >= 1
 *	12	u32	boot count
 *	16	u64	wall clock, microseconds since the epoch (UTC)
 *	24	u64	time since startup, milliseconds
 *	32	u8	category (enum log_category)
 *	33	u8	severity (syslog, 0 .. 7)
 *	34	u8	flags (0)
 *	35	u8	length of app
 *	36	u32	process id of the source, 0 = none
 *	40	u16	length of text
 *	42	u16	0
 *	44	char[LOGREC_APP_MAX]	app (program) name, not terminated
 *	76	char[LOGREC_TEXT_MAX]	text, printable ASCII, not terminated
 */
#ifndef PB_LOGREC_H
#define PB_LOGREC_H

#include <stddef.h>
#include <stdint.h>

#define LOGREC_MAGIC		0x314c4250u	/* "PBL1" */
#define LOGREC_SIZE		512
#define LOGREC_SLOTS		1000
#define LOGREC_FILE_SIZE	(LOGREC_SIZE * LOGREC_SLOTS)
#define LOGREC_APP_MAX		32
#define LOGREC_TEXT_OFF		76
#define LOGREC_TEXT_MAX		(LOGREC_SIZE - LOGREC_TEXT_OFF)

enum log_category {
	LOG_CAT_SYSTEM,
	LOG_CAT_NETWORK,
	LOG_CAT_CONFIG,
	LOG_CAT_OPMODE,
	LOG_NCATEGORIES
};

struct logrec {
	uint32_t index;
	uint32_t boot;
	uint64_t time_us;
	uint64_t uptime_ms;
	uint8_t category;
	uint8_t severity;
	uint32_t pid;
	char app[LOGREC_APP_MAX + 1];	/* NUL-terminated */
	char text[LOGREC_TEXT_MAX + 1];	/* NUL-terminated */
};

uint32_t logrec_crc32(const void *buf, size_t len);

/* "System", "Network", "Config", "OpMode"; NULL when out of range. */
const char *log_category_name(unsigned int cat);
/* Case-insensitive; -1 if unknown. */
int log_category_find(const char *name, size_t len);

/* The slot of entry @index (>= 1). */
static inline unsigned int logrec_slot(uint32_t index)
{
	return (index - 1) % LOGREC_SLOTS;
}

/*
 * Fill LOGREC_SIZE bytes of @buf from @r.  The app and text are cut at
 * their maximum and every byte outside printable ASCII becomes '?'.
 */
void logrec_encode(const struct logrec *r, unsigned char *buf);

/*
 * Decode LOGREC_SIZE bytes.  0, or -1 if the slot holds no valid record
 * (empty, torn, wrong magic or CRC, bad lengths or values).
 */
int logrec_decode(const unsigned char *buf, struct logrec *r);

/*
 * Scan @len bytes of a ring file (any length: a short file has fewer
 * slots; bytes past LOGREC_FILE_SIZE are ignored).  Every valid record
 * whose index belongs in its slot and lies within the LOGREC_SLOTS
 * entries below the highest index goes to @out (room for LOGREC_SLOTS),
 * sorted by index.  Returns how many.
 */
unsigned int logring_scan(const unsigned char *file, size_t len,
			  struct logrec *out);

/*
 * Clean @len bytes of untrusted text into @dst (size > 0, always
 * terminated): newlines and tabs become blanks, other control bytes and
 * bytes above 0x7e become '?', trailing blanks go.  Returns the length.
 */
size_t log_clean_text(char *dst, size_t size, const char *src, size_t len);

/*
 * The category of a message a program sent to /dev/log.  A text that
 * starts with "@system ", "@network ", "@config " or "@opmode " names
 * its category (the tag is removed from @text, in place).  Otherwise:
 * auth and authpriv (logins, passwords, lockouts), pbctl and texts that
 * start with "config" are Config; texts that start with "port " are
 * OpMode; udhcpc, ntpd and texts naming a link are Network; the rest is
 * System.
 */
int log_classify(int facility, const char *app, char *text);

/* ---- the control protocol of pblogd (Documentation/eventlog.md) ---- */

#define LOGCTL_SOCKET		"/run/portbridge/logd.sock"
#define LOGCTL_REQUEST_MAX	512
#define LOGCTL_PAGE_MAX		100	/* entries in one show reply */
#define LOGCTL_FROM_MAX		64

enum logctl_cmd {
	LOGCTL_SHOW,	/* show CATEGORY|all FIRST COUNT */
	LOGCTL_CLEAR,	/* clear [from ADDR] */
};

struct logctl_request {
	enum logctl_cmd cmd;
	int category;		/* -1: all */
	uint32_t first;		/* position among the matching entries */
	uint32_t count;		/* 1 .. LOGCTL_PAGE_MAX */
	char from[LOGCTL_FROM_MAX];	/* clear: where the caller is, or "" */
};

/* 0, or -1 and a one-line message in @err. */
int logctl_parse(const char *buf, size_t len, struct logctl_request *req,
		 char *err, size_t errsize);

#endif /* PB_LOGREC_H */
