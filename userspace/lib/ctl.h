/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pbconfd control protocol: one request per SOCK_SEQPACKET packet,
 * words separated by blanks, one reply packet.
 *
 *	port-set N key value [key value ...]	-> "ok" | "error: <message>"
 *	config-get				-> the configuration text
 *
 * Keys and values are those of the configuration file.  The parser is
 * pure (no I/O) and fuzzed.
 */
#ifndef PB_CTL_H
#define PB_CTL_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define CTL_DEFAULT_SOCKET	"/run/portbridge/configd.sock"
#define CTL_REQUEST_MAX		1024	/* bytes in a request packet */
#define CTL_REPLY_MAX		(CONF_FILE_MAX + 1)

enum ctl_cmd {
	CTL_PORT_SET,
	CTL_CONFIG_GET,
};

struct ctl_request {
	enum ctl_cmd cmd;
	unsigned int port;	/* port-set: 1 .. PB_MAX_PORTS */
	unsigned int nset;
	int keys[CONF_PORT_NKEYS];	/* enum conf_port_key, as given */
	struct pb_port_conf values;	/* the value of each key in keys[];
					 * other members are zero */
};

/* 1 if the request sets @key. */
int ctl_request_sets(const struct ctl_request *req, int key);

/* Parse one request; 0, or -1 with a one-line message in @err. */
int ctl_parse_request(const char *buf, size_t len, struct ctl_request *req,
		      char *err, size_t errsize);

/*
 * Apply a port-set request to @conf (a copy the caller owns) and validate
 * the result as a whole; 0, or -1 and @err.  A mode change without a
 * local-port moves the local port along if it was the old mode's default
 * (conf_follow_mode).
 */
int ctl_apply_port_set(struct pb_conf *conf, const struct ctl_request *req,
		       struct conf_error *err);

#endif /* PB_CTL_H */
