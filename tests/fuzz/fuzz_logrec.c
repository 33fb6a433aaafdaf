// SPDX-License-Identifier: GPL-2.0
/*
 * The event log's file and control requests: the input is read as a ring
 * file (every record slot decoded, the whole file scanned) and as one
 * control request.  Checks: decoded texts are printable and terminated,
 * a scan is sorted, within one window, and every record re-encodes to
 * the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logrec.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_text(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1), i;

	if (n > max)
		abort();
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct logrec out[LOGREC_SLOTS];
	unsigned char buf[LOGREC_SIZE];
	struct logctl_request req;
	char err[128], text[LOGREC_TEXT_MAX + 1];
	unsigned int n, i;

	n = logring_scan(data, size, out);
	if (n > LOGREC_SLOTS || n > size / LOGREC_SIZE)
		abort();
	for (i = 0; i < n; i++) {
		check_text(out[i].app, LOGREC_APP_MAX);
		check_text(out[i].text, LOGREC_TEXT_MAX);
		if (out[i].category >= LOG_NCATEGORIES ||
		    out[i].severity > 7)
			abort();
		if (i && out[i].index <= out[i - 1].index)
			abort();
		if (out[n - 1].index - out[i].index >= LOGREC_SLOTS)
			abort();
		logrec_encode(&out[i], buf);
		if (memcmp(buf, data + (size_t)logrec_slot(out[i].index) *
			   LOGREC_SIZE, LOGREC_SIZE))
			abort();
	}
	if (logctl_parse((const char *)data, size, &req, err, sizeof(err)) == 0) {
		if (req.cmd == LOGCTL_SHOW &&
		    (req.count < 1 || req.count > LOGCTL_PAGE_MAX ||
		     req.category >= LOG_NCATEGORIES))
			abort();
		check_text(req.from, LOGCTL_FROM_MAX - 1);
	}
	if (size <= LOGREC_TEXT_MAX) {
		log_clean_text(text, sizeof(text), (const char *)data, size);
		log_classify(data[0] % 24, "app", text);
		check_text(text, LOGREC_TEXT_MAX);
	}
	return 0;
}
