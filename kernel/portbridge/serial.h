/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UART side of a port: line settings, control and modem lines, break,
 * flushing, and writing network data into the tty.
 */
#ifndef _PB_SERIAL_H
#define _PB_SERIAL_H

#include <linux/bits.h>
#include <linux/types.h>

struct nlattr;
struct netlink_ext_ack;
struct pb_config;
struct pb_port;

/*
 * pb_rx_filter(): which received bytes are line data.  With XON/XOFF flow
 * (IXON) the device's START and STOP characters control our transmitter
 * and are consumed, as n_tty does.  One word: START | STOP << 8 | IXON.
 */
#define PB_RX_IXON	BIT(16)

/* Line settings, as configured or as a RFC 2217 / Real COM host asks. */
struct pb_line {
	u32 baud;
	u8 data_bits;
	u8 parity;		/* enum pb_parity */
	u8 stop_bits;
	u8 flow;		/* enum pb_flow */
	u8 xon;
	u8 xoff;
};

int pb_serial_init(struct pb_port *port);
void pb_serial_exit(struct pb_port *port);

void pb_serial_line_of(const struct pb_config *cfg, struct pb_line *line);
int pb_serial_check(struct pb_port *port, const struct pb_config *cfg,
		    struct nlattr **attrs, struct netlink_ext_ack *extack);
int pb_serial_apply(struct pb_port *port, const struct pb_config *old,
		    const struct pb_config *new, struct nlattr **attrs,
		    struct netlink_ext_ack *extack);
void pb_serial_apply_lines(struct pb_port *port, const struct pb_config *old,
			   const struct pb_config *new);

/* For RFC 2217 and Real COM sessions (conn_lock held). */
void pb_serial_set_line(struct pb_port *port, const struct pb_line *want,
			struct pb_line *got);
void pb_serial_get_line(struct pb_port *port, struct pb_line *line);
void pb_serial_restore(struct pb_port *port, bool lines);
void pb_serial_set_mctrl(struct pb_port *port, unsigned int set,
			 unsigned int clear);
int pb_serial_modem(struct pb_port *port);
void pb_serial_break(struct pb_port *port, bool on);
void pb_serial_flush_tx(struct pb_port *port);
void pb_serial_flush_rx(struct pb_port *port);
void pb_serial_tx_stop(struct pb_port *port, bool stop);
void pb_serial_set_fifo(struct pb_port *port, bool on);
unsigned int pb_serial_tx_queued(struct pb_port *port);

/* Network -> UART. */
bool pb_uart_open(struct pb_port *port);
unsigned int pb_uart_room(struct pb_port *port);
bool pb_uart_writable(struct pb_port *port);
int pb_uart_write(struct pb_port *port, const u8 *buf, unsigned int len);

#endif /* _PB_SERIAL_H */
