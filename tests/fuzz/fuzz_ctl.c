// SPDX-License-Identifier: GPL-2.0
/*
 * The control request parser.  A request that parses is applied to a
 * default configuration, and rebuilt as text that must parse the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void rebuild(const struct ctl_request *req, char *buf, size_t size)
{
	struct textbuf tb;
	char val[CONF_VALUE_MAX];
	unsigned int i;

	textbuf_init(&tb, buf, size);
	if (req->cmd == CTL_CONFIG_GET) {
		textbuf_printf(&tb, "config-get");
		return;
	}
	textbuf_printf(&tb, "port-set %u", req->port);
	for (i = 0; i < req->nset; i++) {
		conf_port_value_format(req->keys[i], &req->values, val,
				       sizeof(val));
		textbuf_printf(&tb, " %s %s", conf_port_key_name(req->keys[i]),
			       val);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct ctl_request req, again;
	static struct pb_conf conf;
	static char text[CTL_REQUEST_MAX * 2];
	struct conf_error cerr;
	char err[256];

	if (ctl_parse_request((const char *)data, size, &req, err,
			      sizeof(err))) {
		if (strlen(err) >= sizeof(err))
			abort();
		return 0;
	}
	if (req.cmd == CTL_PORT_SET &&
	    (req.port < 1 || req.port > PB_MAX_PORTS || req.nset == 0 ||
	     req.nset > CONF_PORT_NKEYS))
		abort();
	/* account requests: a valid name, passwords and notes that end */
	if ((req.cmd == CTL_ACCOUNT_ADD || req.cmd == CTL_ACCOUNT_EDIT ||
	     req.cmd == CTL_ACCOUNT_DELETE) &&
	    acct_name_check(req.name, strlen(req.name), err, sizeof(err)))
		abort();
	if (!memchr(req.password, 0, sizeof(req.password)) ||
	    !memchr(req.old_password, 0, sizeof(req.old_password)) ||
	    !memchr(req.note, 0, sizeof(req.note)))
		abort();
	ctl_request_wipe(&req);
	/* only port-set and config-get are rebuilt as text here */
	if (req.cmd != CTL_PORT_SET && req.cmd != CTL_CONFIG_GET)
		return 0;
	/* the rebuilt text can be a little longer than the request
	 * ("local-port" for "port", "0x0d" for "13"): parse it again if it
	 * fits one */
	rebuild(&req, text, sizeof(text));
	if (strlen(text) <= CTL_REQUEST_MAX &&
	    (ctl_parse_request(text, strlen(text), &again, err, sizeof(err)) ||
	     memcmp(&req, &again, sizeof(req))))
		abort();
	if (req.cmd == CTL_PORT_SET) {
		conf_init_defaults(&conf, 4);
		ctl_apply_port_set(&conf, &req, &cerr);
	}
	return 0;
}
