// SPDX-License-Identifier: GPL-2.0
/*
 * The web console's HTTP request parser and its helpers: whatever the
 * bytes, the parser answers within them, a full buffer never asks for
 * more, and the helpers stay inside what they were given.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct http_request req;
	static char out[HTTP_BODY_MAX * 6 + 1];
	char host[256], val[256];
	const char *buf = (const char *)data, *v;
	unsigned int port;
	size_t len;
	long rc;

	rc = http_parse_request(buf, size, &req);
	if (rc > (long)size)
		abort();
	if (rc == 0 && size >= HTTP_REQUEST_MAX)
		abort();
	if (rc < 0 && !http_reason((int)-rc)[0])
		abort();
	if (rc > 0) {
		if (req.head_len + req.content_length != (size_t)rc)
			abort();
		if (req.host && http_host_parse(req.host, req.host_len, host,
						sizeof(host), &port) == 0 &&
		    strlen(host) >= sizeof(host))
			abort();
		v = http_header(&req, "cookie", &len);
		if (v)
			http_cookie(v, len, "pbsid", val, sizeof(val));
		if (req.query)
			http_form_field(req.query, req.query_len, "n", val,
					sizeof(val));
		if (req.body) {
			long n = http_form_field(req.body, req.content_length,
						 "password", val, sizeof(val));

			if (n >= (long)sizeof(val) || (n >= 0 && strlen(val) != (size_t)n))
				abort();
		}
		http_html_escape(out, sizeof(out), req.target,
				 req.target_len);
	}
	/* the helpers on raw bytes too */
	http_host_parse(buf, size < 300 ? size : 300, host, sizeof(host),
			&port);
	http_cookie(buf, size, "a", val, sizeof(val));
	http_form_field(buf, size, "a", val, sizeof(val));
	if (size <= HTTP_BODY_MAX &&
	    http_html_escape(out, sizeof(out), buf, size) >= sizeof(out))
		abort();
	return 0;
}
