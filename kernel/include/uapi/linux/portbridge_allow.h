/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * portbridge_allow: the user/kernel ABI of the accessible IP list.
 *
 * portbridge_allow.ko drops packets to a protected local port (TCP or UDP,
 * IPv4 or IPv6) unless their source address matches an enabled entry of
 * the global list or of that port's list.  Everything here is per network
 * namespace: a request configures the namespace of the socket it came on.
 * Documentation/allowlist.md has the full semantics.
 *
 * The ABI only grows: new attributes and commands get new numbers at the
 * end of their enum, nothing is renumbered or removed.  PBA_GENL_VERSION is
 * bumped when the meaning of an existing attribute changes.
 *
 * Generic netlink family PBA_GENL_NAME
 *   PBA_CMD_GET            doit without attributes: the global message;
 *                          doit with PBA_A_PROTO + PBA_A_PORT: that port's
 *                          message; dumpit: the global message, then every
 *                          port message in (protocol, port) order.
 *                          No privilege needed.
 *   PBA_CMD_SET_ENABLED    PBA_A_ENABLED: switch the list on or off
 *   PBA_CMD_SET_GLOBAL     PBA_A_ENTRIES: replace the global list
 *   PBA_CMD_SET_PORT       PBA_A_PROTO, PBA_A_PORT, PBA_A_ENTRIES: replace
 *                          one port's list
 *   PBA_CMD_SET_PROTECTED  PBA_A_PROTECTED: replace the set of protected
 *                          (protocol, port) pairs
 *   Every SET is validated as a whole and applied atomically, or refused
 *   with an extended ack message and nothing changed.  An absent or empty
 *   PBA_A_ENTRIES / PBA_A_PROTECTED means an empty list / set.  SETs need
 *   CAP_NET_ADMIN in the user namespace owning the network namespace.
 *   Any SET may carry the lockout guard (PBA_A_GUARD_*): the change is
 *   refused if, once applied, a packet from PBA_A_GUARD_ADDR to
 *   (PBA_A_GUARD_PROTO, PBA_A_GUARD_PORT) would be dropped.
 *
 *   Global message: PBA_A_ENABLED, PBA_A_ENTRIES, PBA_A_STATS.
 *   Port message:   PBA_A_PROTO, PBA_A_PORT, PBA_A_IS_PROTECTED,
 *                   PBA_A_DROPS, PBA_A_ENTRIES.
 *
 * Arrays (PBA_A_ENTRIES, PBA_A_PROTECTED) are nests of nests.  The type of
 * each element is ignored on input; on output it is the element's row
 * number, starting at 1.
 *
 * Multicast group PBA_MCGRP_EVENTS
 *   PBA_CMD_EVENT_DENIED   a packet was dropped: PBA_A_PROTO, PBA_A_PORT,
 *                          PBA_A_SRC_ADDR, PBA_A_SRC_PORT, PBA_A_SUPPRESSED.
 *                          At most PBA_EVENTS_PER_SEC per second and
 *                          namespace; PBA_A_SUPPRESSED counts the events the
 *                          limit swallowed since the previous one was sent.
 *
 * sysfs (the initial namespace only): /sys/kernel/portbridge_allow/
 *   enabled, entries, drops, events_sent, events_suppressed, and
 *   ports/<tcp|udp>_<port>/{protected,drops,entries}.
 */
#ifndef _UAPI_LINUX_PORTBRIDGE_ALLOW_H
#define _UAPI_LINUX_PORTBRIDGE_ALLOW_H

#include <linux/types.h>

#define PBA_GENL_NAME		"pb_allow"
#define PBA_GENL_VERSION	1
#define PBA_MCGRP_EVENTS	"events"

#define PBA_MAX_ENTRIES		16	/* per list: the global one, each port's */
/* (protocol, port) pairs that are protected, have a list, or both */
#define PBA_MAX_PORTS		128
#define PBA_EVENTS_PER_SEC	10

enum pba_cmd {
	PBA_CMD_UNSPEC,
	PBA_CMD_GET,
	PBA_CMD_SET_ENABLED,
	PBA_CMD_SET_GLOBAL,
	PBA_CMD_SET_PORT,
	PBA_CMD_SET_PROTECTED,
	PBA_CMD_EVENT_DENIED,
	__PBA_CMD_MAX
};
#define PBA_CMD_MAX (__PBA_CMD_MAX - 1)

enum pba_attr {
	PBA_A_UNSPEC,
	PBA_A_PAD,
	PBA_A_ENABLED,		/* u8 0/1: the list is on */
	PBA_A_PROTO,		/* u8: IPPROTO_TCP (6) or IPPROTO_UDP (17) */
	PBA_A_PORT,		/* u16, 1 .. 65535, host byte order */
	PBA_A_ENTRIES,		/* nested array of nests, enum pba_entry_attr */
	PBA_A_PROTECTED,	/* nested array of nests, enum pba_svc_attr */
	PBA_A_IS_PROTECTED,	/* u8 0/1, read-only (port message) */
	PBA_A_DROPS,		/* u64, read-only: packets dropped (entry miss) */
	PBA_A_STATS,		/* nested, enum pba_stat, read-only */
	PBA_A_SRC_ADDR,		/* binary, 16 bytes: IPv6 or v4-mapped (events) */
	PBA_A_SRC_PORT,		/* u16, host byte order (events) */
	PBA_A_SUPPRESSED,	/* u32: events suppressed before this one */
	PBA_A_GUARD_ADDR,	/* binary, 16 bytes: IPv6 or v4-mapped IPv4 */
	PBA_A_GUARD_PROTO,	/* u8, as PBA_A_PROTO */
	PBA_A_GUARD_PORT,	/* u16, as PBA_A_PORT */
	__PBA_A_MAX
};
#define PBA_A_MAX (__PBA_A_MAX - 1)

/*
 * One entry.  IPv4: PBA_E_ADDR4 and PBA_E_NETMASK4 (default
 * 255.255.255.255, a single host); the netmask must be contiguous.  IPv6:
 * PBA_E_ADDR6 and PBA_E_PREFIX6 (default 128).  The address must have no
 * bits outside the mask.  PBA_E_ENABLED defaults to 1.  Within one list
 * no two entries may have the same address and mask.
 */
enum pba_entry_attr {
	PBA_E_UNSPEC,
	PBA_E_PAD,
	PBA_E_ADDR4,		/* be32 */
	PBA_E_NETMASK4,		/* be32 */
	PBA_E_ADDR6,		/* binary, 16 bytes */
	PBA_E_PREFIX6,		/* u8, 0 .. 128 */
	PBA_E_ENABLED,		/* u8 0/1 */
	PBA_E_HITS,		/* u64, read-only: packets this entry let in */
	__PBA_E_MAX
};
#define PBA_E_MAX (__PBA_E_MAX - 1)

/* One protected (protocol, port) pair. */
enum pba_svc_attr {
	PBA_SVC_UNSPEC,
	PBA_SVC_PROTO,		/* u8, as PBA_A_PROTO */
	PBA_SVC_PORT,		/* u16, as PBA_A_PORT */
	__PBA_SVC_MAX
};
#define PBA_SVC_MAX (__PBA_SVC_MAX - 1)

/* Counters of the namespace, all u64. */
enum pba_stat {
	PBA_STAT_UNSPEC,
	PBA_STAT_PAD,
	PBA_STAT_DROPS,			/* every drop since the module loaded */
	PBA_STAT_EVENTS_SENT,		/* denied events multicast */
	PBA_STAT_EVENTS_SUPPRESSED,	/* denied events the rate limit ate */
	__PBA_STAT_MAX
};
#define PBA_STAT_MAX (__PBA_STAT_MAX - 1)

#endif /* _UAPI_LINUX_PORTBRIDGE_ALLOW_H */
