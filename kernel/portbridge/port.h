/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bridge port: one UART bound to the network.
 *
 * A port is created by PBIOC_ATTACH on a tty running our line discipline
 * and lives until that discipline is closed.  Its memory is owned by its
 * sysfs kobject: the kobject's release frees it, so a sysfs reader can
 * never see a freed port.
 *
 * Locking:
 *   pb_config_lock  registry of ports and every configuration change
 *                   (netlink, attach, detach); never taken by the data path.
 *   port->conn_lock listener pointer and client table of one port; taken
 *                   by the data path once per chunk, never per byte.
 *   The statistics are atomics, updated without any lock.
 */
#ifndef _PB_PORT_H
#define _PB_PORT_H

#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/tty.h>
#include <linux/workqueue.h>
#include <linux/portbridge.h>

struct nlattr;
struct netlink_ext_ack;
struct pb_client;
struct sock;
struct socket;

/* Default TCP port of bridge port N is 4000 + N, like the NPort. */
#define PB_DEFAULT_PORT_BASE	4000

struct pb_config {
	u8 mode;		/* enum pb_mode */
	u8 max_conns;
	u16 local_port;
	u32 baud;
	u8 data_bits;
	u8 parity;		/* enum pb_parity */
	u8 stop_bits;
	u8 flow;		/* enum pb_flow */
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
};

/* Bits of pb_port.flags. */
enum {
	/* Serial input is held back (UART throttled) until a client drains. */
	PB_PORT_RX_BLOCKED,
};

struct pb_port {
	struct kobject kobj;
	u32 index;
	char tty_name[64];
	struct tty_struct *tty;		/* holds a tty kref */
	struct pb_config cfg;		/* under pb_config_lock */
	u32 rx_filter;			/* pb_rx_filter(); READ_ONCE */
	struct pb_stats stats;

	/* TCP server state, see tcp_server.c. */
	struct mutex conn_lock;
	struct socket *listener;
	void (*sock_def_data_ready)(struct sock *sk);
	struct pb_client *clients[PB_MAX_CONNS];
	unsigned int active;		/* clients; read locklessly */
	unsigned int max_conns;
	unsigned int rr_next;		/* next slot served to the UART */
	unsigned long flags;
	u8 *uart_buf;			/* bounce buffer, network -> UART */
	struct work_struct accept_work;
	struct work_struct net_rx_work;	/* network -> UART, reaping */
	struct work_struct net_tx_work;	/* drain backlogs, resume UART */
};

extern struct mutex pb_config_lock;
extern struct workqueue_struct *pb_wq;

int pb_port_attach(struct tty_struct *tty, u32 index);
void pb_port_detach(struct pb_port *port);
struct pb_port *pb_port_find(u32 index);
void pb_port_free(struct pb_port *port);
int pb_port_configure(struct pb_port *port, const struct pb_config *new,
		      struct nlattr **attrs, struct netlink_ext_ack *extack);
int pb_port_serial_rx(struct pb_port *port, const u8 *cp, const char *fp,
		      int count);
void pb_port_write_wakeup(struct pb_port *port);

/*
 * Which received bytes are line data for the network.  Overrun and break
 * reach receive_buf2 as NUL bytes flagged by the tty layer: they report
 * line conditions, so they are counted but not forwarded.  Parity and
 * framing errors flag real (damaged) bytes, which are forwarded as
 * received.  With XON/XOFF flow (IXON) the device's START and STOP
 * characters control our transmitter and are consumed, as n_tty does.
 * The filter is one word so the receive path reads it consistently.
 */
#define PB_RX_IXON	BIT(16)

static inline u32 pb_rx_filter(const struct ktermios *t)
{
	if (!(t->c_iflag & IXON))
		return 0;
	return PB_RX_IXON | t->c_cc[VSTOP] << 8 | t->c_cc[VSTART];
}

static inline bool pb_rx_is_flow_char(u32 filter, u8 c)
{
	return (filter & PB_RX_IXON) &&
	       (c == (u8)filter || c == (u8)(filter >> 8));
}

static inline bool pb_rx_is_data(u32 filter, u8 c, char flag)
{
	if (flag == TTY_OVERRUN || flag == TTY_BREAK)
		return false;
	return flag != TTY_NORMAL || !pb_rx_is_flow_char(filter, c);
}

static inline void pb_stat_add(atomic64_t *counter, s64 n)
{
	atomic64_add(n, counter);
}

static inline void pb_stat_inc(atomic64_t *counter)
{
	atomic64_inc(counter);
}

#endif /* _PB_PORT_H */
