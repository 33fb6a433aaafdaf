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

#define CONF_HOST_MAX		254	/* a DNS name (253) and its NUL */
#define CONF_DEST_RANGE_MAX	256	/* addresses in one UDP range */
#define CONF_VALUE_MAX		272	/* the longest value text, with NUL */

/* What a destination (dest1 .. dest4) holds. */
enum conf_dest_kind {
	CONF_DEST_NONE,
	CONF_DEST_ADDR,		/* one address */
	CONF_DEST_RANGE,	/* addr .. end (UDP only) */
	CONF_DEST_HOST,		/* a name pbconfd resolves when pushing */
	__CONF_DEST_MAX
};

/*
 * A destination of the TCP client or UDP mode.  Addresses are IPv6 or
 * v4-mapped IPv4 in network byte order.  Members a kind does not use are
 * zero, so two equal destinations compare equal with memcmp.
 */
struct pb_dest_conf {
	uint32_t kind;		/* enum conf_dest_kind */
	uint32_t port;		/* 1 .. 65535 */
	uint8_t addr[16];	/* ADDR, RANGE */
	uint8_t end[16];	/* RANGE: the last address, > addr */
	char host[CONF_HOST_MAX];	/* HOST: NUL-terminated, zero-padded */
};

/* Every port setting; the values are the uapi enums and plain numbers. */
struct pb_port_conf {
	uint32_t mode;		/* enum pb_mode */
	uint32_t local_port;	/* data port; UDP: the listen port */
	uint32_t baud;
	uint32_t data_bits;
	uint32_t parity;	/* enum pb_parity */
	uint32_t stop_bits;
	uint32_t flow;		/* enum pb_flow */
	uint32_t max_conns;
	uint32_t cmd_port;	/* Real COM command port */
	uint32_t inactivity_ms;	/* 0: never */
	uint32_t alive_idle;	/* s; 0: no alive check */
	uint32_t alive_intvl;	/* s */
	uint32_t alive_cnt;
	uint32_t ignore_jammed;	/* 0/1 */
	uint32_t jammed_ms;	/* 0: never disconnect */
	uint32_t connect_on;	/* enum pb_connect_on */
	struct pb_dest_conf dest[PB_MAX_DESTS];
	uint32_t pack_len;	/* 0: off */
	uint32_t delim1;	/* 0 .. 255 or PB_DELIM_OFF */
	uint32_t delim2;
	uint32_t delim_process;	/* enum pb_delim_process */
	uint32_t force_tx_ms;	/* 0: off */
	uint32_t fifo;		/* 0/1 */
	uint32_t interface;	/* enum pb_interface */
	uint32_t dtr;		/* 0/1 */
	uint32_t rts;		/* 0/1 */
};

/*
 * Keys of a [port N] section, in file order.  The first eight are the
 * foundation's; new keys are appended, so old files and requests keep
 * their meaning.
 */
enum conf_port_key {
	CONF_PORT_MODE,
	CONF_PORT_LOCAL_PORT,
	CONF_PORT_BAUD,
	CONF_PORT_DATA_BITS,
	CONF_PORT_PARITY,
	CONF_PORT_STOP_BITS,
	CONF_PORT_FLOW,
	CONF_PORT_MAX_CONNS,
	CONF_PORT_CMD_PORT,
	CONF_PORT_INACTIVITY_MS,
	CONF_PORT_ALIVE_IDLE,
	CONF_PORT_ALIVE_INTVL,
	CONF_PORT_ALIVE_CNT,
	CONF_PORT_IGNORE_JAMMED,
	CONF_PORT_JAMMED_MS,
	CONF_PORT_CONNECT_ON,
	CONF_PORT_DEST1,	/* .. DEST1 + PB_MAX_DESTS - 1 */
	CONF_PORT_DEST2,
	CONF_PORT_DEST3,
	CONF_PORT_DEST4,
	CONF_PORT_PACK_LEN,
	CONF_PORT_DELIM1,
	CONF_PORT_DELIM2,
	CONF_PORT_DELIM_PROCESS,
	CONF_PORT_FORCE_TX_MS,
	CONF_PORT_FIFO,
	CONF_PORT_INTERFACE,
	CONF_PORT_DTR,
	CONF_PORT_RTS,
	CONF_PORT_NKEYS
};

struct pb_conf {
	unsigned int nports;	/* ports on this board, 1 .. PB_MAX_PORTS */
	/*
	 * The interfaces the board wires to each port (bit 1 << enum
	 * pb_interface), from its port map; 0 means "not known: any".
	 */
	uint32_t ifaces[PB_MAX_PORTS];
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

/* The factory defaults of port @n (1-based). */
void conf_port_defaults(struct pb_port_conf *pc, unsigned int n);

/*
 * The default data port of port @n in @mode: 950 + n - 1 for Real COM
 * (966 + n - 1 for ports 17..32, as Moxa's driver expects), else 4000 + n.
 */
uint32_t conf_default_local_port(uint32_t mode, unsigned int n);
/* The default Real COM command port: 966 + n - 1 (982 + n - 1 from 17). */
uint32_t conf_default_cmd_port(unsigned int n);

/*
 * The local port follows the mode: when port @n goes from @old's mode to
 * @pc's without an explicit local-port, and @old's local port was its
 * mode's default, @pc gets the new mode's default.
 */
void conf_follow_mode(struct pb_port_conf *pc, const struct pb_port_conf *old,
		      unsigned int n);

/*
 * Tell the model which interfaces the board wires to port @n (bits
 * 1 << enum pb_interface; 0: any).  A port whose interface is not wired
 * gets the first one that is.
 */
void conf_set_interfaces(struct pb_conf *conf, unsigned int n,
			 uint32_t ifaces);

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
/* 1 if the key's value is a plain number (JSON shows it unquoted). */
int conf_port_key_is_number(int key);

/*
 * Parse a value of a port key into its member of @pc; nothing else of @pc
 * changes.  On error returns -1 with "key: problem" in @msg.
 */
int conf_port_value_parse(int key, const char *val, size_t len,
			  struct pb_port_conf *pc, char *msg, size_t msgsize);

/* Format the value of a port key as the file has it (CONF_VALUE_MAX). */
void conf_port_value_format(int key, const struct pb_port_conf *pc,
			    char *buf, size_t size);

/* Compare or copy the value of one key. */
int conf_port_value_equal(int key, const struct pb_port_conf *a,
			  const struct pb_port_conf *b);
void conf_port_value_copy(int key, struct pb_port_conf *dst,
			  const struct pb_port_conf *src);

/* Numeric keys only (not dest1..dest4): the value as a number. */
uint32_t conf_port_get(const struct pb_port_conf *pc, int key);
void conf_port_set(struct pb_port_conf *pc, int key, uint32_t val);

/* "10.0.0.5:4001", "[2001:db8::1]-[2001:db8::9]:4001", "none" */
void conf_dest_format(const struct pb_dest_conf *d, char *buf, size_t size);

/* Names of enumerated values; "?" when out of range. */
const char *conf_mode_name(uint32_t mode);
const char *conf_parity_name(uint32_t parity);
const char *conf_flow_name(uint32_t flow);
const char *conf_interface_name(uint32_t interface);

#endif /* PB_CONF_H */
