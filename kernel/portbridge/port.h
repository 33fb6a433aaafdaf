/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bridge port: one UART bound to the network.
 *
 * A port is created by PBIOC_ATTACH on a tty running our line discipline
 * and lives until that discipline is closed.  Its memory is owned by its
 * sysfs kobject: the kobject's release frees it, so a sysfs reader can
 * never see a freed port.
 *
 * What it does on the network is its mode (mode.h): one instance of one
 * of the mode types, replaced as a whole when the mode changes.  The
 * port's works, timers and listening sockets outlive every mode instance.
 *
 * Locking:
 *   pb_config_lock  registry of ports and every configuration change
 *                   (netlink, attach, detach); never taken by the data path.
 *   port->conn_lock the network side: mode instance, listeners, clients,
 *                   packing state; taken by the data path once per chunk,
 *                   never per byte.  port->cfg is written under both locks,
 *                   so either is enough to read it.
 *   The statistics are atomics, updated without any lock.
 */
#ifndef _PB_PORT_H
#define _PB_PORT_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/in6.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/timer.h>
#include <linux/tty.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/portbridge.h>

#include "pack.h"
#include "socket.h"

struct nlattr;
struct netlink_ext_ack;
struct pb_opmode;
struct uart_port;

/* Default TCP port of bridge port N is 4000 + N, like the NPort. */
#define PB_DEFAULT_PORT_BASE	4000
/*
 * Real COM command port of bridge port N: 966 + N - 1, and for ports 17 to
 * 32, which Moxa numbers after the command ports of 1 to 16, 982 + N - 1.
 */
static inline u16 pb_default_cmd_port(u32 index)
{
	return (index <= 16 ? 965 : 981) + index;
}
/* Pending connections a listener queues before ctl_work accepts them. */
#define PB_LISTEN_BACKLOG	8
/* Bounce buffer between socket buffers and the tty driver. */
#define PB_UART_BUF		1024

/* One destination of the TCP client or UDP mode. */
struct pb_dest {
	struct in6_addr addr;
	struct in6_addr addr_end;	/* == addr but for a UDP range */
	u16 port;
};

/* Most addresses in one UDP destination range. */
#define PB_RANGE_MAX		256

/*
 * Addresses in a destination range: the ends may differ in their last 32
 * bits only (any IPv4 range, as v4-mapped), the end not below the begin;
 * 0 when it is not a valid range.
 */
static inline u32 pb_dest_count(const struct pb_dest *d)
{
	u32 b = ntohl(d->addr.s6_addr32[3]), e = ntohl(d->addr_end.s6_addr32[3]);

	if (memcmp(&d->addr, &d->addr_end, 12) || e < b ||
	    e - b >= PB_RANGE_MAX)
		return 0;
	return e - b + 1;
}

struct pb_config {
	u8 mode;			/* enum pb_mode */

	/* network side */
	u16 local_port;
	u16 cmd_port;
	u8 max_conns;
	u8 connect_on;			/* enum pb_connect_on */
	u8 ignore_jammed;
	u8 keepalive_cnt;
	u16 keepalive_idle;		/* s; 0 = no alive check */
	u16 keepalive_intvl;		/* s */
	u32 inactivity_ms;		/* 0 = never */
	u32 jammed_ms;			/* 0 = never */
	u8 n_dests;
	struct pb_dest dests[PB_MAX_DESTS];

	struct pb_pack_cfg pack;

	/* serial line */
	u32 baud;
	u8 data_bits;
	u8 parity;			/* enum pb_parity */
	u8 stop_bits;
	u8 flow;			/* enum pb_flow */
	u8 fifo;
	u8 interface;			/* enum pb_interface */
	u8 dtr;
	u8 rts;
};

struct pb_stats {
	atomic64_t rx_bytes;
	atomic64_t tx_bytes;
	atomic64_t connections;
	atomic64_t refused;
	atomic64_t parity_errors;
	atomic64_t frame_errors;
	atomic64_t overruns;
	atomic64_t breaks;
	atomic64_t net_errors;
	atomic64_t jammed_skips;
	atomic64_t jammed_drops;
	atomic64_t proto_errors;
	atomic64_t datagrams;
};

/* Bits of pb_port.flags. */
enum {
	/* Serial input is held back (UART throttled) until the mode drains. */
	PB_PORT_RX_BLOCKED,
	/* A SERIAL_ERROR event is scheduled. */
	PB_PORT_ERR_EVENT,
	/* The modem status hook is installed. */
	PB_PORT_MSR_HOOKED,
	/* Flush the UART's input once conn_lock is dropped. */
	PB_PORT_FLUSH_RX,
};

struct pb_port {
	struct kobject kobj;
	u32 index;
	char tty_name[64];
	struct tty_struct *tty;		/* holds a tty kref */
	struct uart_port *uport;	/* serial core port, or NULL */
	struct pb_config cfg;		/* see "Locking" above */
	u32 rx_filter;			/* pb_rx_filter(); READ_ONCE */
	struct pb_stats stats;

	struct mutex conn_lock;
	struct pb_opmode *mode;		/* NULL: disabled or detaching */
	bool dying;			/* detaching: arm nothing more */
	struct pb_listener listen[PB_LISTENERS];
	unsigned int active;		/* connections; read locklessly */
	unsigned long flags;
	unsigned long last_serial;	/* jiffies of the last serial byte */
	u8 *uart_buf;			/* bounce buffer, network -> UART */
	struct pb_packer pack;

	struct work_struct rx_work;	/* network -> UART, connection states */
	struct work_struct tx_work;	/* drain backlogs, flush packing */
	struct work_struct ctl_work;	/* accept, connect, timeouts, modem */
	struct timer_list ctl_timer;	/* queues ctl_work at a deadline */
	struct delayed_work err_work;	/* rate-limited SERIAL_ERROR */
	unsigned long err_sent;		/* jiffies of the last one */
	wait_queue_entry_t msr_wait;	/* on the tty port's delta_msr_wait */
	/* An 8250's FIFO turned off (serial.c): what to put back. */
	bool fifo_off;
	u8 fifo_fcr;
	unsigned int fifo_loadsz;
};

extern struct mutex pb_config_lock;
extern struct workqueue_struct *pb_wq;

int pb_port_attach(struct tty_struct *tty, u32 index);
void pb_port_detach(struct pb_port *port);
struct pb_port *pb_port_find(u32 index);
void pb_port_free(struct pb_port *port);
int pb_port_configure(struct pb_port *port, const struct pb_config *new,
		      struct nlattr **attrs, struct netlink_ext_ack *extack);
void pb_port_write_wakeup(struct pb_port *port);

/* Ask for ctl_work at (or before) a deadline in jiffies; conn_lock held. */
void pb_port_arm(struct pb_port *port, unsigned long deadline);

static inline void pb_port_touch(struct pb_port *port)
{
	WRITE_ONCE(port->last_serial, jiffies);
}

static inline void pb_stat_add(atomic64_t *counter, s64 n)
{
	atomic64_add(n, counter);
}

static inline void pb_stat_inc(atomic64_t *counter)
{
	atomic64_inc(counter);
}

/* "ttyS4" style names, for messages. */
static inline const char *pb_port_name(const struct pb_port *port)
{
	return port->tty_name;
}

/* The earlier of two deadlines, 0 meaning none. */
static inline unsigned long pb_deadline_min(unsigned long a, unsigned long b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return time_before(a, b) ? a : b;
}

#endif /* _PB_PORT_H */
