/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * portbridge: the user/kernel ABI of the serial-to-network bridge.
 *
 * One header for the kernel module and every userspace program.  Changes
 * are append-only: new attributes and commands get new numbers at the end
 * of their enum, nothing is renumbered or removed.  PORTBRIDGE_GENL_VERSION
 * is bumped when the meaning of an existing attribute changes.
 *
 * Binding a UART to a bridge port
 *   1. open the tty, TIOCSETD with PORTBRIDGE_LDISC (N_DEVELOPMENT);
 *   2. ioctl(fd, PBIOC_ATTACH, &port_index) with 1 <= index <= PB_MAX_PORTS;
 *   3. configure the port over generic netlink (PB_CMD_PORT_SET).
 * The port exists as long as the line discipline stays attached: closing the
 * last fd of the tty (or setting another ldisc) tears it down, closing every
 * connection of that port.
 *
 * Generic netlink family PORTBRIDGE_GENL_NAME
 *   PB_CMD_PORT_GET   doit: PB_A_PORT_INDEX -> one port message
 *                     dumpit: every attached port, in index order
 *                     (no privilege needed)
 *   PB_CMD_PORT_SET   PB_A_PORT_INDEX + any subset of the config attributes;
 *                     validated as a whole, applied as a whole or not at all.
 *                     Needs CAP_NET_ADMIN.
 *   A port message carries PB_A_PORT_INDEX, PB_A_TTY_NAME, every config
 *   attribute and PB_A_STATS (nested, enum pb_stat).
 *
 * Multicast group PORTBRIDGE_MCGRP_EVENTS
 *   PB_CMD_EVENT_CONNECT     a client connected
 *   PB_CMD_EVENT_DISCONNECT  a client went away (PB_A_EVENT_REASON says why)
 *   PB_CMD_EVENT_REFUSED     a connection beyond PB_A_MAX_CONNS was refused
 *   each with PB_A_PORT_INDEX, PB_A_PEER_ADDR, PB_A_PEER_PORT;
 *   PB_CMD_EVENT_MODE        the mode changed (PB_A_MODE)
 *   PB_CMD_EVENT_SERIAL_ERROR serial errors (PB_A_STATS), at most 1/s
 *   each with PB_A_PORT_INDEX.
 *
 * sysfs: /sys/kernel/portbridge/portN/ holds read-only files named like the
 * enum pb_stat entries in lower case without the prefix (rx_bytes, tx_bytes,
 * ...), plus "tty" and "mode" (named as pbctl names it: "tcp-server",
 * "real-com", ...).
 */
#ifndef _UAPI_LINUX_PORTBRIDGE_H
#define _UAPI_LINUX_PORTBRIDGE_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define PORTBRIDGE_GENL_NAME		"portbridge"
#define PORTBRIDGE_GENL_VERSION		1
#define PORTBRIDGE_MCGRP_EVENTS		"events"

/* N_DEVELOPMENT: the number Linux reserves for out-of-tree disciplines. */
#define PORTBRIDGE_LDISC		29

#define PB_MAX_PORTS			32
#define PB_MAX_CONNS			8

/* Argument: __u32 port index, 1 .. PB_MAX_PORTS. */
#define PBIOC_ATTACH			_IOW('P', 0x01, __u32)

enum pb_mode {
	PB_MODE_DISABLED,	/* attached, but serves nothing */
	PB_MODE_TCP_SERVER,
	PB_MODE_TCP_CLIENT,
	PB_MODE_UDP,
	PB_MODE_RFC2217,
	PB_MODE_REALCOM,
	__PB_MODE_MAX
};

enum pb_parity {
	PB_PARITY_NONE,
	PB_PARITY_ODD,
	PB_PARITY_EVEN,
	PB_PARITY_MARK,
	PB_PARITY_SPACE,
	__PB_PARITY_MAX
};

enum pb_flow {
	PB_FLOW_NONE,
	PB_FLOW_RTSCTS,
	PB_FLOW_XONXOFF,
	PB_FLOW_DTRDSR,
	__PB_FLOW_MAX
};

/* Where the TCP client mode connects (PB_A_CONNECT_ON). */
enum pb_connect_on {
	PB_CONNECT_STARTUP,	/* as soon as configured; stay connected */
	PB_CONNECT_ANY_CHAR,	/* when serial data arrives */
	__PB_CONNECT_MAX
};

/* What happens to delimiters in packed data (PB_A_DELIM_PROCESS). */
enum pb_delim_process {
	PB_DELIM_NOTHING,	/* send up to and including the delimiter */
	PB_DELIM_PLUS1,		/* ... plus the one byte after it */
	PB_DELIM_PLUS2,		/* ... plus the two bytes after it */
	PB_DELIM_STRIP,		/* send up to the delimiter, drop it */
	__PB_DELIM_MAX
};

/* Serial interface (PB_A_INTERFACE), through struct serial_rs485. */
enum pb_interface {
	PB_IF_RS232,
	PB_IF_RS422,
	PB_IF_RS485_2W,
	PB_IF_RS485_4W,
	__PB_IF_MAX
};

enum pb_cmd {
	PB_CMD_UNSPEC,
	PB_CMD_PORT_GET,
	PB_CMD_PORT_SET,
	PB_CMD_EVENT_CONNECT,
	PB_CMD_EVENT_DISCONNECT,
	PB_CMD_EVENT_REFUSED,
	PB_CMD_EVENT_MODE,	/* the port's mode changed: PB_A_MODE */
	PB_CMD_EVENT_SERIAL_ERROR, /* rate-limited: PB_A_STATS with the
				    * error counters' totals */
	__PB_CMD_MAX
};
#define PB_CMD_MAX (__PB_CMD_MAX - 1)

enum pb_attr {
	PB_A_UNSPEC,
	PB_A_PAD,
	PB_A_PORT_INDEX,	/* u32, 1 .. PB_MAX_PORTS */
	PB_A_TTY_NAME,		/* string, read-only ("ttyS4") */
	PB_A_MODE,		/* u8, enum pb_mode */
	PB_A_LOCAL_PORT,	/* u16, TCP/UDP port the mode listens on */
	PB_A_MAX_CONNS,		/* u8, 1 .. PB_MAX_CONNS (TCP server) */
	PB_A_BAUD,		/* u32, bits per second, 50 .. 921600 */
	PB_A_DATA_BITS,		/* u8, 5 .. 8 */
	PB_A_PARITY,		/* u8, enum pb_parity */
	PB_A_STOP_BITS,		/* u8, 1 or 2 */
	PB_A_FLOW,		/* u8, enum pb_flow */
	PB_A_STATS,		/* nested, enum pb_stat; read-only */
	PB_A_PEER_ADDR,		/* binary, 16 bytes: IPv6 or v4-mapped IPv4 */
	PB_A_PEER_PORT,		/* u16, host byte order */
	PB_A_EVENT_REASON,	/* u8, enum pb_event_reason */
	/* Issue 3: every mode and serial feature.  0 means "off" where the
	 * text says so; every attribute has a default (Documentation/). */
	PB_A_CMD_PORT,		/* u16, Real COM command port (966 + N - 1; 982 + N - 1 from 17) */
	PB_A_INACTIVITY_MS,	/* u32, close after this long without serial
				 * data; 0 = never */
	PB_A_KEEPALIVE_IDLE,	/* u16, s before the first probe; 0 = off */
	PB_A_KEEPALIVE_INTVL,	/* u16, s between probes */
	PB_A_KEEPALIVE_CNT,	/* u8, unanswered probes before the peer is
				 * declared dead */
	PB_A_IGNORE_JAMMED,	/* u8 0/1: skip a client whose socket is full */
	PB_A_JAMMED_MS,		/* u32, then disconnect it after this long;
				 * 0 = never */
	PB_A_DESTINATIONS,	/* nested, up to PB_MAX_DESTS PB_A_DEST */
	PB_A_DEST,		/* nested, enum pb_dest_attr */
	PB_A_CONNECT_ON,	/* u8, enum pb_connect_on (TCP client) */
	PB_A_PACK_LENGTH,	/* u16, send when this many bytes are queued;
				 * 0 = off (1 .. 1024) */
	PB_A_DELIM1,		/* u16, 0 .. 255, or PB_DELIM_OFF */
	PB_A_DELIM2,		/* u16, 0 .. 255, or PB_DELIM_OFF; only after
				 * DELIM1 (a two-byte delimiter) */
	PB_A_DELIM_PROCESS,	/* u8, enum pb_delim_process */
	PB_A_FORCE_TX_MS,	/* u16, send what is queued after this idle
				 * time; 0 = off */
	PB_A_FIFO,		/* u8 0/1: the UART's FIFO */
	PB_A_INTERFACE,		/* u8, enum pb_interface */
	PB_A_DTR,		/* u8 0/1: DTR while the port is up */
	PB_A_RTS,		/* u8 0/1: RTS while the port is up (unless
				 * RTS/CTS flow control drives it) */
	__PB_A_MAX
};
#define PB_A_MAX (__PB_A_MAX - 1)

#define PB_MAX_DESTS		4
#define PB_DELIM_OFF		0x100

/* One destination of the TCP client or UDP mode. */
enum pb_dest_attr {
	PB_DEST_UNSPEC,
	PB_DEST_ADDR,		/* binary, 16 bytes: IPv6 or v4-mapped */
	PB_DEST_ADDR_END,	/* binary, 16 bytes: last address of a UDP
				 * range (default: PB_DEST_ADDR) */
	PB_DEST_PORT,		/* u16 */
	__PB_DEST_MAX
};
#define PB_DEST_MAX (__PB_DEST_MAX - 1)

/* Counters, all u64 but ACTIVE_CONNS (u32); "rx"/"tx" are seen from the
 * serial line: rx is what the UART received (and the bridge sent to the
 * network), tx what the bridge wrote to the UART.
 */
enum pb_stat {
	PB_STAT_UNSPEC,
	PB_STAT_PAD,
	PB_STAT_RX_BYTES,
	PB_STAT_TX_BYTES,
	PB_STAT_CONNECTIONS,	/* connections accepted since attach */
	PB_STAT_REFUSED,	/* connections refused (over the maximum) */
	PB_STAT_ACTIVE_CONNS,	/* u32, connected now */
	PB_STAT_PARITY_ERRORS,	/* bytes flagged TTY_PARITY by the UART */
	PB_STAT_FRAME_ERRORS,	/* bytes flagged TTY_FRAME */
	PB_STAT_OVERRUNS,	/* TTY_OVERRUN flags */
	PB_STAT_BREAKS,		/* TTY_BREAK flags */
	PB_STAT_NET_ERRORS,	/* socket errors (send/receive failed) */
	PB_STAT_JAMMED_SKIPS,	/* serial bytes a jammed client missed */
	PB_STAT_JAMMED_DROPS,	/* jammed clients disconnected */
	PB_STAT_PROTO_ERRORS,	/* malformed RFC 2217 / Real COM input */
	PB_STAT_DATAGRAMS,	/* UDP datagrams sent */
	__PB_STAT_MAX
};
#define PB_STAT_MAX (__PB_STAT_MAX - 1)

enum pb_event_reason {
	PB_REASON_NONE,
	PB_REASON_PEER_CLOSED,	/* the client closed or reset the connection */
	PB_REASON_ERROR,	/* a socket error */
	PB_REASON_PORT_CHANGE,	/* reconfigured or detached */
	PB_REASON_INACTIVITY,	/* no serial data for PB_A_INACTIVITY_MS */
	PB_REASON_ALIVE_CHECK,	/* keepalive probes went unanswered */
	PB_REASON_JAMMED,	/* jammed longer than PB_A_JAMMED_MS */
	PB_REASON_REPLACED,	/* a Real COM host reconnected */
	__PB_REASON_MAX
};

#endif /* _UAPI_LINUX_PORTBRIDGE_H */
