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

#include "allow.h"

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

/*
 * The sections of the file.  [port N] exists once per serial port; every
 * other section once.  The order is the order of the file.
 */
enum conf_section_id {
	CONF_SEC_PORT,
	CONF_SEC_SYSTEM,
	CONF_SEC_NETWORK,
	CONF_SEC_TIME,
	CONF_SEC_CONSOLE,
	CONF_SEC_SERVICES,
	CONF_SEC_PASSWORD,
	CONF_SEC_RADIUS,
	CONF_SEC_MESSAGES,
	CONF_SEC_ALLOW,		/* the accessible IP list: switch, global */
	CONF_SEC_ALLOW_PORT,	/* [allow-port N]: serial port N's list */
	CONF_SEC_LOG,		/* the event log and remote syslog */
	CONF_NSECTIONS
};

#define CONF_HOSTNAME_MAX	64	/* the board's host name, with NUL */
#define CONF_MESSAGE_MAX	241	/* login messages: 240 and NUL */
#define CONF_SECRET_MAX		65	/* RADIUS shared secret: 64 and NUL */

/* [system] */
enum conf_reset_button {
	CONF_RESET_ALWAYS,
	CONF_RESET_FIRST_60S,	/* only in the first 60 s after power-on */
};

struct pb_system_conf {
	char hostname[CONF_HOSTNAME_MAX];
	uint32_t reset_button;	/* enum conf_reset_button */
};

enum conf_system_key {
	CONF_SYS_HOSTNAME,
	CONF_SYS_RESET_BUTTON,
	CONF_SYS_NKEYS
};

/* [network]: IPv4 addresses in network byte order, 0 = none. */
enum conf_net_mode {
	CONF_NET_STATIC,
	CONF_NET_DHCP,
};

struct pb_network_conf {
	uint32_t mode;		/* enum conf_net_mode */
	uint32_t address;
	uint32_t netmask;
	uint32_t gateway;
	uint32_t dns1;
	uint32_t dns2;
};

enum conf_network_key {
	CONF_NET_MODE,
	CONF_NET_ADDRESS,
	CONF_NET_NETMASK,
	CONF_NET_GATEWAY,
	CONF_NET_DNS1,
	CONF_NET_DNS2,
	CONF_NET_NKEYS
};

/* [time] */
enum conf_time_source {
	CONF_TIME_LOCAL,
	CONF_TIME_SNTP,
};

struct pb_time_conf {
	uint32_t source;	/* enum conf_time_source */
	char server[CONF_HOST_MAX];	/* SNTP server: name or IPv4 */
};

enum conf_time_key {
	CONF_TIME_SOURCE,
	CONF_TIME_SERVER,
	CONF_TIME_NKEYS
};

/* [console]: the consoles, how they authenticate, lockout. */
enum conf_auth_type {
	CONF_AUTH_LOCAL,
	CONF_AUTH_RADIUS,
};

struct pb_console_conf {
	uint32_t ssh;			/* 0/1 */
	uint32_t serial;		/* serial console on ttyS0 */
	uint32_t telnet;
	uint32_t https;
	uint32_t http_redirect;
	uint32_t reject_unknown_host;
	uint32_t strong_ciphers;
	uint32_t auth_type;		/* enum conf_auth_type */
	uint32_t try_next;		/* the other type after a denial */
	uint32_t auto_logout;		/* minutes */
	uint32_t lockout;		/* 0/1 */
	uint32_t retry_limit;		/* failures before a lockout */
	uint32_t locked_time;		/* minutes */
};

enum conf_console_key {
	CONF_CON_SSH,
	CONF_CON_SERIAL,
	CONF_CON_TELNET,
	CONF_CON_HTTPS,
	CONF_CON_HTTP_REDIRECT,
	CONF_CON_REJECT_UNKNOWN_HOST,
	CONF_CON_STRONG_CIPHERS,
	CONF_CON_AUTH_TYPE,
	CONF_CON_TRY_NEXT,
	CONF_CON_AUTO_LOGOUT,
	CONF_CON_LOCKOUT,
	CONF_CON_RETRY_LIMIT,
	CONF_CON_LOCKED_TIME,
	CONF_CON_NKEYS
};

/* [services]: optional network services (none listens while off). */
struct pb_services_conf {
	uint32_t moxa;		/* Moxa utility service, TCP 4900 / UDP 4800 */
	uint32_t snmp;		/* UDP 161 */
	uint32_t mms;		/* TCP 102 */
};

enum conf_services_key {
	CONF_SVC_MOXA,
	CONF_SVC_SNMP,
	CONF_SVC_MMS,
	CONF_SVC_NKEYS
};

/* [password]: the policy for new passwords. */
struct pb_password_conf {
	uint32_t min_length;
	uint32_t need_digit;		/* 0/1 */
	uint32_t need_mixed_case;
	uint32_t need_special;
	uint32_t lifetime;		/* days; 0 = never expires */
};

enum conf_password_key {
	CONF_PW_MIN_LENGTH,
	CONF_PW_NEED_DIGIT,
	CONF_PW_NEED_MIXED_CASE,
	CONF_PW_NEED_SPECIAL,
	CONF_PW_LIFETIME,
	CONF_PW_NKEYS
};

/* [radius]: the authentication server (PAP). */
struct pb_radius_conf {
	char server[CONF_HOST_MAX];	/* name or IPv4; "" = none */
	uint32_t port;
	uint32_t timeout;		/* seconds */
	char secret[CONF_SECRET_MAX];	/* never exported */
};

enum conf_radius_key {
	CONF_RAD_SERVER,
	CONF_RAD_PORT,
	CONF_RAD_TIMEOUT,
	CONF_RAD_SECRET,
	CONF_RAD_NKEYS
};

/* [messages]: shown on every console. */
struct pb_messages_conf {
	char login[CONF_MESSAGE_MAX];
	char failure[CONF_MESSAGE_MAX];
};

enum conf_messages_key {
	CONF_MSG_LOGIN,
	CONF_MSG_FAILURE,
	CONF_MSG_NKEYS
};

/*
 * [allow] and [allow-port N]: the accessible IP list (portbridge_allow.ko,
 * Documentation/allowlist.md).  The global list applies to every service
 * of the board; serial port N's list also admits hosts to the local ports
 * of port N's mode (data, RFC 2217, Real COM data and command).  Empty
 * slots are ALLOW_NONE; the file leaves them out.
 */
struct pb_allow_conf {
	uint32_t enabled;	/* 0/1: the whole list on or off */
	struct pb_allow_entry entry[ALLOW_MAX_ENTRIES];
};

struct pb_allow_port_conf {
	struct pb_allow_entry entry[ALLOW_MAX_ENTRIES];
};

enum conf_allow_key {
	CONF_ALLOW_ENABLED,
	CONF_ALLOW_ENTRY1,	/* .. ENTRY1 + ALLOW_MAX_ENTRIES - 1 */
	CONF_ALLOW_NKEYS = CONF_ALLOW_ENTRY1 + ALLOW_MAX_ENTRIES
};

enum conf_allow_port_key {
	CONF_ALLOWP_ENTRY1,
	CONF_ALLOWP_NKEYS = ALLOW_MAX_ENTRIES
};

/*
 * [log]: the event log (pblogd, Documentation/eventlog.md): what to do
 * when the 1000 entries are full, local and remote recording per
 * category, up to CONF_LOG_SERVERS remote syslog servers.
 */
#define CONF_LOG_SERVERS	3
#define CONF_LOG_CATEGORIES	4	/* System, Network, Config, OpMode */

enum conf_log_overflow {
	CONF_LOG_OVERWRITE,	/* overwrite the oldest entry */
	CONF_LOG_STOP,		/* stop recording */
};

enum conf_log_format {
	CONF_LOG_RFC5424,
	CONF_LOG_RFC3164,
};

struct pb_syslog_server_conf {
	char host[CONF_HOST_MAX];	/* name or IPv4; "" = none */
	uint32_t port;
	uint32_t facility;		/* syslog facility 0 .. 23 */
	uint32_t format;		/* enum conf_log_format */
};

struct pb_log_conf {
	uint32_t overflow;			/* enum conf_log_overflow */
	uint32_t local[CONF_LOG_CATEGORIES];	/* 0/1 */
	uint32_t remote[CONF_LOG_CATEGORIES];	/* 0/1 */
	struct pb_syslog_server_conf server[CONF_LOG_SERVERS];
};

enum conf_log_key {
	CONF_LOG_OVERFLOW,
	CONF_LOG_LOCAL1,	/* .. + CONF_LOG_CATEGORIES - 1 */
	CONF_LOG_REMOTE1 = CONF_LOG_LOCAL1 + CONF_LOG_CATEGORIES,
	CONF_LOG_SERVER1 = CONF_LOG_REMOTE1 + CONF_LOG_CATEGORIES,
	/* each server: host, port, facility, format */
	CONF_LOG_NKEYS = CONF_LOG_SERVER1 + 4 * CONF_LOG_SERVERS
};

struct pb_conf {
	unsigned int nports;	/* ports on this board, 1 .. PB_MAX_PORTS */
	/*
	 * The interfaces the board wires to each port (bit 1 << enum
	 * pb_interface), from its port map; 0 means "not known: any".
	 */
	uint32_t ifaces[PB_MAX_PORTS];
	struct pb_port_conf port[PB_MAX_PORTS];	/* port N is port[N - 1] */
	struct pb_system_conf system;
	struct pb_network_conf network;
	struct pb_time_conf time;
	struct pb_console_conf console;
	struct pb_services_conf services;
	struct pb_password_conf password;
	struct pb_radius_conf radius;
	struct pb_messages_conf messages;
	struct pb_allow_conf allow;
	struct pb_allow_port_conf allow_port[PB_MAX_PORTS];
	struct pb_log_conf log;
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
	unsigned int port;	/* the instance: port N, 1 for plain sections */
	int key;
	int section;		/* enum conf_section_id */
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

/* What conf_serialize_ex leaves out. */
#define CONF_SER_NO_SECRETS	0x1	/* keys marked secret */
#define CONF_SER_NO_PORTS	0x2	/* [port N] sections */

size_t conf_serialize_ex(const struct pb_conf *conf, unsigned int flags,
			 char *buf, size_t size);

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

/*
 * Any section and key, by number, for pbctl and pbconfd: section -1 or key
 * -1 when the name is unknown; @index is the port for [port N], else 1.
 */
int conf_section_find(const char *name, size_t len);
const char *conf_section_name(int sec);
int conf_section_indexed(int sec);
unsigned int conf_section_nkeys(int sec);
int conf_section_key_find(int sec, const char *name, size_t len);
const char *conf_section_key_name(int sec, int key);
int conf_section_key_is_number(int sec, int key);
int conf_section_key_is_secret(int sec, int key);
void conf_section_value_format(const struct pb_conf *conf, int sec,
			       unsigned int index, int key, char *buf,
			       size_t size);
int conf_section_value_equal(const struct pb_conf *a, const struct pb_conf *b,
			     int sec, unsigned int index, int key);

/* A local service the accessible IP list protects. */
struct allow_service {
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port;
	uint8_t serial;		/* its serial port N, 0: the board's own */
};

#define ALLOW_SERVICES_MAX	(16 + 2 * PB_MAX_PORTS)

/*
 * The services of @c that the list protects: the consoles and services
 * that are on, and the local ports of every serial port's mode.  Fills
 * @out (ALLOW_SERVICES_MAX) and returns how many.
 */
unsigned int conf_allow_services(const struct pb_conf *c,
				 struct allow_service *out);

/*
 * 1 if, with @c applied, a packet from @addr (IPv6 or v4-mapped) to
 * (@proto, @port) would pass the list, as the kernel decides it: the list
 * off, a loopback source, an unprotected port, or an enabled entry of the
 * global list or of the serial port the service belongs to.
 */
int conf_allow_admits(const struct pb_conf *c, const uint8_t addr[16],
		      uint8_t proto, uint16_t port);

/* The plain sections' defaults (conf_init_defaults sets them too). */
void conf_system_defaults(struct pb_conf *conf);
void conf_log_defaults(struct pb_conf *conf);

/* "10.0.0.5:4001", "[2001:db8::1]-[2001:db8::9]:4001", "none" */
void conf_dest_format(const struct pb_dest_conf *d, char *buf, size_t size);

/* Names of enumerated values; "?" when out of range. */
const char *conf_mode_name(uint32_t mode);
const char *conf_parity_name(uint32_t parity);
const char *conf_flow_name(uint32_t flow);
const char *conf_interface_name(uint32_t interface);

#endif /* PB_CONF_H */
