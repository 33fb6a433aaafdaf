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

/* What PB_CMD_PORT_GET says about one port. */
struct pb_port_info {
	uint32_t index;
	char tty[PB_TTY_NAME_MAX];
	struct pb_port_conf conf;
	uint32_t conf_present;	/* bit k: conf key k was in the message */
	uint64_t stats[PB_STAT_MAX + 1];
	uint32_t stats_present;	/* bit s: counter s was in the message */
};

struct pb_event {
	uint8_t cmd;		/* PB_CMD_EVENT_* */
	uint32_t port;
	int has_peer;
	uint8_t peer_addr[16];	/* IPv6 or v4-mapped IPv4 */
	uint16_t peer_port;
	int has_reason;
	uint8_t reason;		/* enum pb_event_reason */
};

/* PB_CMD_PORT_SET with every setting of @pc. */
void pb_build_port_set(struct nl_msg *m, uint16_t family, uint32_t index,
		       const struct pb_port_conf *pc);
/* PB_CMD_PORT_GET of one port, or a dump of all if @index is 0. */
void pb_build_port_get(struct nl_msg *m, uint16_t family, uint32_t index);

/* 0, or -EINVAL if the message is malformed or has no port index. */
int pb_parse_port(const struct nlmsghdr *nlh, struct pb_port_info *info);
int pb_parse_event(const struct nlmsghdr *nlh, struct pb_event *ev);

/* "rx_bytes", ... (the sysfs file names); NULL for unknown counters. */
const char *pb_stat_name(unsigned int stat);
/* "connect", "disconnect", "refused"; NULL for other commands. */
const char *pb_event_name(uint8_t cmd);
/* "none", "peer-closed", "error", "port-change"; "?" if unknown. */
const char *pb_reason_name(uint8_t reason);

/* "[::ffff:10.0.2.2]:51234" */
void pb_format_peer(const uint8_t addr[16], uint16_t port, char *buf,
		    size_t size);
/* One line (no newline) describing @ev, as text or as a JSON object. */
void pb_format_event(const struct pb_event *ev, int json, char *buf,
		     size_t size);

#endif /* PB_PBMSG_H */
