// SPDX-License-Identifier: GPL-2.0
/*
 * Event log records, the ring file scan and pblogd's control requests.
 * Pure: works on memory only (logrec.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "logrec.h"
#include "text.h"

static const char *const cat_names[LOG_NCATEGORIES] = {
	[LOG_CAT_SYSTEM]	= "System",
	[LOG_CAT_NETWORK]	= "Network",
	[LOG_CAT_CONFIG]	= "Config",
	[LOG_CAT_OPMODE]	= "OpMode",
};

const char *log_category_name(unsigned int cat)
{
	return cat < LOG_NCATEGORIES ? cat_names[cat] : NULL;
}

int log_category_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < LOG_NCATEGORIES; i++) {
		if (strlen(cat_names[i]) == len &&
		    !strncasecmp(cat_names[i], name, len))
			return i;
	}
	return -1;
}

uint32_t logrec_crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t crc = 0xffffffffu;
	size_t i;
	int b;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static uint16_t get16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const unsigned char *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int printable(unsigned char c)
{
	return c >= 0x20 && c <= 0x7e;
}

size_t log_clean_text(char *dst, size_t size, const char *src, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < size; i++) {
		unsigned char c = src[i];

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		else if (!printable(c))
			c = '?';
		dst[n++] = c;
	}
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
	return n;
}

void logrec_encode(const struct logrec *r, unsigned char *buf)
{
	char app[LOGREC_APP_MAX + 1], text[LOGREC_TEXT_MAX + 1];
	size_t alen, tlen;

	alen = log_clean_text(app, sizeof(app), r->app, strnlen(r->app,
					sizeof(r->app)));
	tlen = log_clean_text(text, sizeof(text), r->text,
			      strnlen(r->text, sizeof(r->text)));
	memset(buf, 0, LOGREC_SIZE);
	put32(buf, LOGREC_MAGIC);
	put32(buf + 8, r->index);
	put32(buf + 12, r->boot);
	put64(buf + 16, r->time_us);
	put64(buf + 24, r->uptime_ms);
	buf[32] = r->category;
	buf[33] = r->severity & 7;
	buf[34] = 0;
	buf[35] = alen;
	put32(buf + 36, r->pid);
	put16(buf + 40, tlen);
	memcpy(buf + 44, app, alen);
	memcpy(buf + LOGREC_TEXT_OFF, text, tlen);
	put32(buf + 4, logrec_crc32(buf + 8, LOGREC_SIZE - 8));
}

static int all_printable(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!printable(p[i]))
			return 0;
	}
	return 1;
}

static int all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i])
			return 0;
	}
	return 1;
}

/* What logrec_encode makes, and nothing else, is a record. */
int logrec_decode(const unsigned char *buf, struct logrec *r)
{
	size_t alen, tlen;

	if (get32(buf) != LOGREC_MAGIC ||
	    get32(buf + 4) != logrec_crc32(buf + 8, LOGREC_SIZE - 8))
		return -1;
	alen = buf[35];
	tlen = get16(buf + 40);
	if (!get32(buf + 8) || buf[32] >= LOG_NCATEGORIES || buf[33] > 7 ||
	    buf[34] || alen > LOGREC_APP_MAX || tlen > LOGREC_TEXT_MAX ||
	    !all_printable(buf + 44, alen) ||
	    !all_printable(buf + LOGREC_TEXT_OFF, tlen) ||
	    (alen && buf[44 + alen - 1] == ' ') ||
	    (tlen && buf[LOGREC_TEXT_OFF + tlen - 1] == ' ') ||
	    get16(buf + 42) || !all_zero(buf + 44 + alen,
					  LOGREC_APP_MAX - alen) ||
	    !all_zero(buf + LOGREC_TEXT_OFF + tlen, LOGREC_TEXT_MAX - tlen))
		return -1;
	memset(r, 0, sizeof(*r));
	r->index = get32(buf + 8);
	r->boot = get32(buf + 12);
	r->time_us = get64(buf + 16);
	r->uptime_ms = get64(buf + 24);
	r->category = buf[32];
	r->severity = buf[33];
	r->pid = get32(buf + 36);
	memcpy(r->app, buf + 44, alen);
	memcpy(r->text, buf + LOGREC_TEXT_OFF, tlen);
	return 0;
}

static int by_index(const void *a, const void *b)
{
	const struct logrec *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

unsigned int logring_scan(const unsigned char *file, size_t len,
			  struct logrec *out)
{
	unsigned int slots = len / LOGREC_SIZE, s, n = 0, i, kept = 0;
	uint32_t max = 0;

	if (slots > LOGREC_SLOTS)
		slots = LOGREC_SLOTS;
	for (s = 0; s < slots; s++) {
		struct logrec *r = &out[n];

		if (logrec_decode(file + (size_t)s * LOGREC_SIZE, r) ||
		    logrec_slot(r->index) != s)
			continue;
		if (r->index > max)
			max = r->index;
		n++;
	}
	/* Only the window below the newest entry is one consistent log. */
	for (i = 0; i < n; i++) {
		if (max - out[i].index < LOGREC_SLOTS)
			out[kept++] = out[i];
	}
	qsort(out, kept, sizeof(*out), by_index);
	return kept;
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int log_classify(int facility, const char *app, char *text)
{
	static const char *const tags[LOG_NCATEGORIES] = {
		"@system ", "@network ", "@config ", "@opmode ",
	};
	int i;

	for (i = 0; i < LOG_NCATEGORIES; i++) {
		size_t n = strlen(tags[i]);

		if (!strncasecmp(text, tags[i], n)) {
			memmove(text, text + n, strlen(text + n) + 1);
			return i;
		}
	}
	if (facility == 4 || facility == 10 || !strcmp(app, "pbctl") ||
	    starts(text, "config"))
		return LOG_CAT_CONFIG;
	if (starts(text, "port "))
		return LOG_CAT_OPMODE;
	if (!strcmp(app, "udhcpc") || !strcmp(app, "ntpd") ||
	    strstr(text, "link up") || strstr(text, "link down") ||
	    strstr(text, "link is"))
		return LOG_CAT_NETWORK;
	return LOG_CAT_SYSTEM;
}

/* ---- control requests ---- */

static int next_word(const char **p, const char *end, const char **w,
		     size_t *wlen)
{
	while (*p < end && **p == ' ')
		(*p)++;
	if (*p == end)
		return 0;
	*w = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	*wlen = *p - *w;
	return 1;
}

static int word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(w, s, len);
}

int logctl_parse(const char *buf, size_t len, struct logctl_request *req,
		 char *err, size_t errsize)
{
	const char *p = buf, *end = buf + len, *w[4];
	size_t wl[4], i;
	unsigned int n = 0;
	const char *extra;
	size_t extralen;

	memset(req, 0, sizeof(*req));
	req->category = -1;
	for (i = 0; i < len; i++) {
		if (!printable(buf[i])) {
			snprintf(err, errsize, "request has a control byte");
			return -1;
		}
	}
	while (n < 4 && next_word(&p, end, &w[n], &wl[n]))
		n++;
	if (next_word(&p, end, &extra, &extralen) || n == 0) {
		snprintf(err, errsize, n ? "too many words" : "empty request");
		return -1;
	}
	if (word_is(w[0], wl[0], "show")) {
		if (n != 4) {
			snprintf(err, errsize,
				 "usage: show CATEGORY|all FIRST COUNT");
			return -1;
		}
		req->cmd = LOGCTL_SHOW;
		if (!word_is(w[1], wl[1], "all")) {
			req->category = log_category_find(w[1], wl[1]);
			if (req->category < 0) {
				snprintf(err, errsize,
					 "unknown category (system, network, config, opmode or all)");
				return -1;
			}
		}
		if (text_parse_u32(w[2], wl[2], &req->first) ||
		    text_parse_u32(w[3], wl[3], &req->count) ||
		    req->count < 1 || req->count > LOGCTL_PAGE_MAX) {
			snprintf(err, errsize,
				 "FIRST is a number, COUNT 1..%u",
				 LOGCTL_PAGE_MAX);
			return -1;
		}
		return 0;
	}
	if (word_is(w[0], wl[0], "clear")) {
		req->cmd = LOGCTL_CLEAR;
		if (n == 1)
			return 0;
		if (n != 3 || !word_is(w[1], wl[1], "from") ||
		    wl[2] >= sizeof(req->from)) {
			snprintf(err, errsize, "usage: clear [from ADDRESS]");
			return -1;
		}
		memcpy(req->from, w[2], wl[2]);
		return 0;
	}
	snprintf(err, errsize, "unknown request (show or clear)");
	return -1;
}
