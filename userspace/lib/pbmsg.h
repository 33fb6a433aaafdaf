/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portbridge generic netlink messages: building requests from the
 * configuration model and parsing port and event messages (pure).
 */
#ifndef PB_PBMSG_H
#define PB_PBMSG_H

#include <stdint.h>
#include <linux/portbridge.h>

#include "conf.h"
#include "nlattr.h"

#define PB_TTY_NAME_MAX	32

/* Bit of attribute @a in a mask of attributes. */
#define PB_ATTR_BIT(a)	(1ull << (a))

/* What PB_CMD_PORT_GET says about one port. */
struct pb_port_info {
	uint32_t index;
	char tty[PB_TTY_NAME_MAX];
	struct pb_port_conf conf;	/* destinations are addresses */
	uint64_t conf_present;	/* bit k: conf key k was in the message */
	uint64_t stats[PB_STAT_MAX + 1];
	uint64_t stats_present;	/* bit s: counter s was in the message */
};

struct pb_event {
	uint8_t cmd;		/* PB_CMD_EVENT_* */
	uint32_t port;
	int has_peer;
	uint8_t peer_addr[16];	/* IPv6 or v4-mapped IPv4 */
	uint16_t peer_port;
	int has_reason;
	uint8_t reason;		/* enum pb_event_reason */
	int has_mode;
	uint8_t mode;		/* enum pb_mode (mode events) */
	uint64_t stats[PB_STAT_MAX + 1];	/* serial-error events */
	uint64_t stats_present;
};

/* Every attribute pb_build_port_set can send. */
uint64_t pb_config_attrs(void);
/* The attribute that carries configuration key @key. */
int pb_key_attr(int key);

/*
 * PB_CMD_PORT_SET with every setting of @pc whose attribute is in
 * @accepted (see nl_policy_attrs).  Destinations go, in order, as
 * PB_A_DESTINATIONS of PB_A_DEST nests (an empty nest clears them); host
 * names must have been resolved to addresses: CONF_DEST_HOST entries are
 * left out.
 */
void pb_build_port_set(struct nl_msg *m, uint16_t family, uint32_t index,
		       const struct pb_port_conf *pc, uint64_t accepted);
/* PB_CMD_PORT_GET of one port, or a dump of all if @index is 0. */
void pb_build_port_get(struct nl_msg *m, uint16_t family, uint32_t index);

/*
 * The settings of port @n that a kernel accepting only @accepted cannot
 * take: keys whose attribute is missing and whose value in @new differs
 * from @old's and from the factory default.  Writes "inactivity-ms 5000,
 * dtr off" into @buf and returns how many there are.
 */
unsigned int pb_unsupported(uint64_t accepted, unsigned int n,
			    const struct pb_port_conf *old,
			    const struct pb_port_conf *new, char *buf,
			    size_t size);

/* 0, or -EINVAL if the message is malformed or has no port index. */
int pb_parse_port(const struct nlmsghdr *nlh, struct pb_port_info *info);
int pb_parse_event(const struct nlmsghdr *nlh, struct pb_event *ev);

/* "rx_bytes", ... (the sysfs file names); NULL for unknown counters. */
const char *pb_stat_name(unsigned int stat);
/* "connect", "disconnect", "refused", "mode", "serial-error"; NULL for
 * other commands.
 */
const char *pb_event_name(uint8_t cmd);
/* "none", "peer-closed", "error", "port-change", ...; "?" if unknown. */
const char *pb_reason_name(uint8_t reason);

/* "[::ffff:10.0.2.2]:51234" */
void pb_format_peer(const uint8_t addr[16], uint16_t port, char *buf,
		    size_t size);
/* One line (no newline) describing @ev, as text or as a JSON object. */
void pb_format_event(const struct pb_event *ev, int json, char *buf,
		     size_t size);

#endif /* PB_PBMSG_H */
