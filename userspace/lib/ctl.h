/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pbconfd control protocol: one request per SOCK_SEQPACKET packet,
 * words separated by blanks, one reply packet.
 *
 *	port-set N key value [key value ...]	-> "ok" | "error: <message>"
 *	config-get				-> the configuration text
 *	config-set [guard ADDR]\n<text>	-> "ok" | "error: ..."
 *	config-import\n<text>			-> "ok" | "error: line N: ..."
 *	config-export [secrets]			-> the export text
 *	account-list				-> "name group uid state note"...
 *	account-add NAME GROUP PASSWORD [must-change yes|no] [note NOTE]
 *	account-edit NAME key value ...		(group, password, note,
 *						 must-change, unlock yes)
 *	account-delete NAME
 *	passwd OLD NEW				-> the caller's own password
 *	whoami					-> "key value" lines
 *	factory-reset				-> "ok" (then the board resets)
 *
 * Keys and values of port-set are those of the configuration file;
 * config-set takes the file's own format (sections and "key = value"
 * lines), so values may hold blanks.  "guard ADDR" names the address of
 * the session making the change, which the accessible IP list must still
 * admit afterwards (else the change is refused).  PASSWORD, OLD, NEW and
 * NOTE are hex-encoded, so any character travels.  The parser is pure (no
 * I/O) and fuzzed.
 */
#ifndef PB_CTL_H
#define PB_CTL_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "conf.h"

#define CTL_DEFAULT_SOCKET	"/run/portbridge/configd.sock"
#define CTL_REQUEST_MAX		1024	/* bytes in a request of words */
#define CTL_TEXT_MAX		(96 * 1024)	/* config-set and -import */
#define CTL_PACKET_MAX		(CTL_TEXT_MAX + 64)
#define CTL_REPLY_MAX		(CTL_TEXT_MAX + 1)
#define CTL_PASSWORD_MAX	129	/* decoded, with NUL (RADIUS's 128) */

enum ctl_cmd {
	CTL_PORT_SET,
	CTL_CONFIG_GET,
	CTL_CONFIG_SET,
	CTL_CONFIG_IMPORT,
	CTL_CONFIG_EXPORT,
	CTL_ACCOUNT_LIST,
	CTL_ACCOUNT_ADD,
	CTL_ACCOUNT_EDIT,
	CTL_ACCOUNT_DELETE,
	CTL_PASSWD,
	CTL_WHOAMI,
	CTL_FACTORY_RESET,
};

/* What account-add and account-edit set (bits of ctl_request.acct_set). */
#define CTL_ACCT_GROUP		0x01
#define CTL_ACCT_PASSWORD	0x02
#define CTL_ACCT_NOTE		0x04
#define CTL_ACCT_MUST_CHANGE	0x08
#define CTL_ACCT_UNLOCK		0x10

struct ctl_request {
	enum ctl_cmd cmd;
	unsigned int port;	/* port-set: 1 .. PB_MAX_PORTS */
	unsigned int nset;
	int keys[CONF_PORT_NKEYS];	/* enum conf_port_key, as given */
	struct pb_port_conf values;	/* the value of each key in keys[];
					 * other members are zero */
	/* config-set, config-import: the text, inside the request buffer */
	const char *text;
	size_t text_len;
	int guard;			/* config-set/-import guard ADDR */
	uint8_t guard_addr[16];		/* IPv6 or v4-mapped */
	int secrets;			/* config-export secrets */
	/* account-*, passwd */
	char name[ACCT_NAME_MAX];
	unsigned int acct_set;		/* CTL_ACCT_* */
	uint32_t group;
	int must_change;
	char note[ACCT_NOTE_MAX];
	char password[CTL_PASSWORD_MAX];	/* new password */
	char old_password[CTL_PASSWORD_MAX];
};

/* Wipe the passwords a request carried. */
void ctl_request_wipe(struct ctl_request *req);

/* Hex-encode @len bytes (for passwords and notes); 0 or -1 if too long. */
int ctl_hex_encode(const char *s, size_t len, char *out, size_t size);

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
