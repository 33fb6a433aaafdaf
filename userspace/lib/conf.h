/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portbridge configuration model and its text file format.
 *
 * The parser and the serializer are pure: they work on memory buffers and
 * never touch a file, so they can be unit-tested and fuzzed.  The format is
 * INI-like:
 *
 *	# portbridge configuration
 *	[port 1]
 *	mode = tcp-server
 *	local-port = 4001
 *
 * Sections and their keys are described by tables in conf.c; adding a
 * section (network, accounts, ...) means adding a table, a struct member
 * and its defaults, not touching the parser.
 */
#ifndef PB_CONF_H
#define PB_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/portbridge.h>

/* Every port setting; the values are the uapi enums and plain numbers. */
struct pb_port_conf {
	uint32_t mode;		/* enum pb_mode */
	uint32_t local_port;
	uint32_t baud;
	uint32_t data_bits;
	uint32_t parity;	/* enum pb_parity */
	uint32_t stop_bits;
	uint32_t flow;		/* enum pb_flow */
	uint32_t max_conns;
};

/* Keys of a [port N] section, in file order. */
enum conf_port_key {
	CONF_PORT_MODE,
	CONF_PORT_LOCAL_PORT,
	CONF_PORT_BAUD,
	CONF_PORT_DATA_BITS,
	CONF_PORT_PARITY,
	CONF_PORT_STOP_BITS,
	CONF_PORT_FLOW,
	CONF_PORT_MAX_CONNS,
	CONF_PORT_NKEYS
};

struct pb_conf {
	unsigned int nports;	/* ports on this board, 1 .. PB_MAX_PORTS */
	struct pb_port_conf port[PB_MAX_PORTS];	/* port N is port[N - 1] */
};

#define CONF_ERR_MAX	192

/*
 * Where and what went wrong.  line is 0 when the problem is not tied to a
 * line (whole-config validation of values that came from defaults or a
 * control request); port and key locate a validation error (0 / -1 when
 * unknown).
 */
struct conf_error {
	unsigned int line;
	unsigned int port;
	int key;
	char msg[CONF_ERR_MAX];
};

/* Limits of the files and requests we accept. */
#define CONF_FILE_MAX	(64 * 1024)

/* Fill @conf with the factory defaults of a board with @nports ports. */
void conf_init_defaults(struct pb_conf *conf, unsigned int nports);

/*
 * Parse @len bytes of @buf on top of @conf (which holds the defaults and
 * nports).  Keys not in the file keep their value.  The result is validated
 * as a whole.  On error, @conf is unchanged, -1 is returned and @err says
 * "line N: problem".  The buffer needs no terminating NUL.
 */
int conf_parse(struct pb_conf *conf, const char *buf, size_t len,
	       struct conf_error *err);

/*
 * Write @conf as text into @buf (at most @size bytes, NUL-terminated when
 * size > 0).  Returns the length of the whole text (like snprintf): the
 * output was truncated if that is >= size.
 */
size_t conf_serialize(const struct pb_conf *conf, char *buf, size_t size);

/* Check every value and the rules between values; 0 or -1 and @err. */
int conf_validate(const struct pb_conf *conf, struct conf_error *err);

/* Format an error as one line ("line 7: baud: ..."). */
void conf_error_format(const struct conf_error *err, char *buf, size_t size);

/* Port keys, shared by the file format, the control protocol and pbctl. */
int conf_port_key_find(const char *name, size_t len);
const char *conf_port_key_name(int key);

/*
 * Parse a value of a port key: a number in range or one of the names of
 * an enumerated key.  On error returns -1 with "key: problem" in @msg.
 */
int conf_port_value_parse(int key, const char *val, size_t len,
			  uint32_t *out, char *msg, size_t msgsize);

/* Format a value of a port key (the name for enumerated keys). */
void conf_port_value_format(int key, uint32_t val, char *buf, size_t size);

uint32_t conf_port_get(const struct pb_port_conf *pc, int key);
void conf_port_set(struct pb_port_conf *pc, int key, uint32_t val);

/* Names of enumerated values; "?" when out of range. */
const char *conf_mode_name(uint32_t mode);
const char *conf_parity_name(uint32_t parity);
const char *conf_flow_name(uint32_t flow);

#endif /* PB_CONF_H */
