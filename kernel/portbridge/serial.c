// SPDX-License-Identifier: GPL-2.0
/*
 * The UART side of a port.
 *
 * Line settings go through tty_set_termios().  The serial core falls back
 * silently when a UART cannot do a rate (B921600 on a 16550 runs at the
 * old rate or 9600), so every setting is read back: a configuration that
 * does not take is refused after restoring the previous termios, and a
 * RFC 2217 or Real COM host is answered with what the UART really does.
 *
 * Control lines.  DTR and RTS are set to their configured state when the
 * port is attached and changed only when the configuration changes them,
 * so a reconfiguration never glitches them.  RTS belongs to the driver
 * while RTS/CTS flow control is on.  A RFC 2217 or Real COM session takes
 * the lines and the line settings over; when it ends the configured ones
 * come back (pb_serial_restore).
 *
 * Beyond tty_operations.  RS-485, "is the transmitter empty" and modem
 * status interrupts are serial core features (struct uart_port).  A tty
 * is used as a serial core one only if its driver says so unambiguously
 * (uart_driver back pointer), and the uart_port only under the tty port's
 * mutex, as the serial core does, since a port can be removed.  Modem
 * line changes: the 8250 reports them through its modem status interrupt,
 * which the serial core turns on only for RTS/CTS flow or without CLOCAL
 * (and then hangs up on a lost carrier), so it is turned on here after
 * every termios change; the wake-ups on the tty port's delta_msr_wait
 * queue ctl_work.  Modes that report modem lines also poll (ctl_work),
 * for UARTs that cannot interrupt and states that do not (loopback).
 *
 * FIFO.  No kernel interface turns a UART's FIFO off: the 8250 decides it
 * from the port type (changing that needs setserial, which shuts the port
 * down) and only lets sysfs change the receive trigger level.  For the
 * 8250 family (the NPort's UARTs, QEMU's 16550A) it is done here as the
 * driver itself would: its FCR value loses ENABLE_FIFO (every termios
 * change writes that value) and the transmitter loads one byte at a time;
 * both are put back when the FIFO is turned on again or the port is
 * detached.  Other UARTs refuse "FIFO off" with a message saying so.
 */

#include <linux/serial.h>
#include <linux/serial_8250.h>
#include <linux/serial_core.h>
#include <linux/serial_reg.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <linux/tty_ldisc.h>
#include <linux/wait.h>
#include <net/netlink.h>

#include "netlink.h"
#include "port.h"
#include "serial.h"

/* The XON and XOFF characters unless a host sets others (^Q, ^S). */
#define PB_XON		0x11
#define PB_XOFF		0x13

static const char *pb_parity_name(u8 parity)
{
	static const char *const names[__PB_PARITY_MAX] = {
		"no", "odd", "even", "mark", "space",
	};

	return parity < __PB_PARITY_MAX ? names[parity] : "unknown";
}

static const char *pb_flow_name(u8 flow)
{
	static const char *const names[__PB_FLOW_MAX] = {
		"no", "RTS/CTS", "XON/XOFF", "DTR/DSR",
	};

	return flow < __PB_FLOW_MAX ? names[flow] : "unknown";
}

static const char *pb_interface_name(u8 interface)
{
	static const char *const names[__PB_IF_MAX] = {
		"RS-232", "RS-422", "RS-485 2-wire", "RS-485 4-wire",
	};

	return interface < __PB_IF_MAX ? names[interface] : "unknown";
}

/* ---- termios ---- */

static void pb_termios_read(struct tty_struct *tty, struct ktermios *t)
{
	down_read(&tty->termios_rwsem);
	*t = tty->termios;
	up_read(&tty->termios_rwsem);
}

/*
 * cfmakeraw() and a little more: no echo, no translation, no signals,
 * receiver on, modem lines ignored (a dropped DCD must not hang up the
 * bridge).  INPCK and BRKINT are set so the driver flags parity, framing
 * and break conditions for the counters; this discipline interprets the
 * flags itself, so they never turn into signals or substituted bytes.
 * HUPCL is off: DTR and RTS follow the configuration, not the opens.
 */
static void pb_termios_make_raw(struct ktermios *t)
{
	t->c_iflag &= ~(IGNBRK | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL |
			IXON | IXOFF | IXANY | IUCLC | IMAXBEL | IGNPAR);
	t->c_iflag |= INPCK | BRKINT;
	t->c_oflag &= ~OPOST;
	t->c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag |= CREAD | CLOCAL;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

static tcflag_t pb_csize(u8 data_bits)
{
	switch (data_bits) {
	case 5:
		return CS5;
	case 6:
		return CS6;
	case 7:
		return CS7;
	default:
		return CS8;
	}
}

static tcflag_t pb_parity_cflag(u8 parity)
{
	switch (parity) {
	case PB_PARITY_ODD:
		return PARENB | PARODD;
	case PB_PARITY_EVEN:
		return PARENB;
	case PB_PARITY_MARK:
		return PARENB | CMSPAR | PARODD;
	case PB_PARITY_SPACE:
		return PARENB | CMSPAR;
	default:
		return 0;
	}
}

static u8 pb_parity_from_cflag(tcflag_t cflag)
{
	if (!(cflag & PARENB))
		return PB_PARITY_NONE;
	if (cflag & CMSPAR)
		return cflag & PARODD ? PB_PARITY_MARK : PB_PARITY_SPACE;
	return cflag & PARODD ? PB_PARITY_ODD : PB_PARITY_EVEN;
}

static void pb_termios_from_line(struct ktermios *t, const struct pb_line *l)
{
	pb_termios_make_raw(t);
	t->c_cflag &= ~(CSIZE | PARENB | PARODD | CMSPAR | CSTOPB | CRTSCTS);
	t->c_cflag |= pb_csize(l->data_bits) | pb_parity_cflag(l->parity);
	if (l->stop_bits == 2)
		t->c_cflag |= CSTOPB;
	if (l->flow == PB_FLOW_RTSCTS)
		t->c_cflag |= CRTSCTS;
	else if (l->flow == PB_FLOW_XONXOFF)
		t->c_iflag |= IXON | IXOFF;
	t->c_cc[VSTART] = l->xon;
	t->c_cc[VSTOP] = l->xoff;

	/*
	 * Start from BOTHER so the encoder answers exactly: a standard rate
	 * gets its Bxxx code, anything else stays BOTHER with that speed,
	 * and no rate is "rounded" to a neighbouring standard one.
	 */
	t->c_cflag &= ~(CBAUD | (CBAUD << IBSHIFT));
	t->c_cflag |= BOTHER;
	tty_termios_encode_baud_rate(t, l->baud, l->baud);
}

static void pb_line_from_termios(struct pb_line *l, const struct ktermios *t)
{
	l->baud = tty_termios_baud_rate(t);
	l->data_bits = tty_get_char_size(t->c_cflag);
	l->parity = pb_parity_from_cflag(t->c_cflag);
	l->stop_bits = t->c_cflag & CSTOPB ? 2 : 1;
	if (t->c_cflag & CRTSCTS)
		l->flow = PB_FLOW_RTSCTS;
	else if (t->c_iflag & (IXON | IXOFF))
		l->flow = PB_FLOW_XONXOFF;
	else
		l->flow = PB_FLOW_NONE;
	l->xon = t->c_cc[VSTART];
	l->xoff = t->c_cc[VSTOP];
}

void pb_serial_line_of(const struct pb_config *cfg, struct pb_line *line)
{
	line->baud = cfg->baud;
	line->data_bits = cfg->data_bits;
	line->parity = cfg->parity;
	line->stop_bits = cfg->stop_bits;
	line->flow = cfg->flow;
	line->xon = PB_XON;
	line->xoff = PB_XOFF;
}

/* See PB_RX_IXON. */
static u32 pb_rx_filter(const struct ktermios *t)
{
	if (!(t->c_iflag & IXON))
		return 0;
	return PB_RX_IXON | t->c_cc[VSTOP] << 8 | t->c_cc[VSTART];
}

/* ---- serial core extras ---- */

/*
 * Whether tty belongs to the serial core: its driver's state is a
 * uart_driver pointing back at the driver, and its tty port is the one
 * in its uart_state.
 */
static bool pb_tty_is_uart(struct tty_struct *tty)
{
	struct tty_driver *drv = tty->driver;
	struct uart_driver *ud = drv->driver_state;
	struct uart_state *state = tty->driver_data;

	return drv->type == TTY_DRIVER_TYPE_SERIAL &&
	       drv->subtype == SERIAL_TYPE_NORMAL && ud &&
	       ud->tty_driver == drv && state && tty->port == &state->port;
}

/* The uart_port with the tty port's mutex held, or NULL (no lock). */
static struct uart_port *pb_uart_lock(struct pb_port *port)
{
	struct uart_state *state;

	if (!port->uport)
		return NULL;
	state = port->tty->driver_data;
	mutex_lock(&state->port.mutex);
	if (state->uart_port)
		return state->uart_port;
	mutex_unlock(&state->port.mutex);
	return NULL;
}

static void pb_uart_unlock(struct pb_port *port)
{
	struct uart_state *state = port->tty->driver_data;

	mutex_unlock(&state->port.mutex);
}

/* Let the UART interrupt on modem line changes (see the top). */
static void pb_uart_enable_ms(struct pb_port *port)
{
	struct uart_port *uport = pb_uart_lock(port);
	unsigned long flags;

	if (!uport)
		return;
	spin_lock_irqsave(&uport->lock, flags);
	if (uport->ops->enable_ms)
		uport->ops->enable_ms(uport);
	spin_unlock_irqrestore(&uport->lock, flags);
	pb_uart_unlock(port);
}

/* Runs under the wait queue's lock, possibly in hard interrupt context. */
static int pb_msr_wake(struct wait_queue_entry *wait, unsigned int mode,
		       int sync, void *key)
{
	struct pb_port *port = container_of(wait, struct pb_port, msr_wait);

	queue_work(pb_wq, &port->ctl_work);
	return 0;
}

static struct serial_rs485 pb_rs485_for(u8 interface)
{
	struct serial_rs485 rs = { };

	if (interface == PB_IF_RS232)
		return rs;
	/*
	 * 6.1 has no RS-422 mode flag (SER_RS485_MODE_RS422 came in 6.5):
	 * RS-422 uses the full duplex RS-485 setting, like 4-wire.
	 */
	rs.flags = SER_RS485_ENABLED | SER_RS485_RTS_ON_SEND;
	if (interface != PB_IF_RS485_2W)
		rs.flags |= SER_RS485_RX_DURING_TX;
	return rs;
}

static bool pb_rs485_supported(struct uart_port *uport, u8 interface)
{
	struct serial_rs485 rs = pb_rs485_for(interface);
	u32 supported = uport->rs485_supported.flags;

	if (interface == PB_IF_RS232)
		return true;
	if (!uport->rs485_config || !(supported & SER_RS485_ENABLED))
		return false;
	/* Full duplex needs the receiver on while sending. */
	return !(rs.flags & SER_RS485_RX_DURING_TX) ||
	       (supported & SER_RS485_RX_DURING_TX);
}

/* Set the interface; the caller checked it is supported. */
static int pb_uart_set_interface(struct pb_port *port, u8 interface)
{
	struct serial_rs485 rs = pb_rs485_for(interface);
	struct uart_port *uport = pb_uart_lock(port);
	unsigned long flags;
	int err = 0;

	if (!uport)
		return interface == PB_IF_RS232 ? 0 : -ENODEV;
	if (!uport->rs485_config ||
	    !(uport->rs485_supported.flags & SER_RS485_ENABLED))
		goto out;
	/* RTS high while sending, unless the driver only knows the other. */
	if (!(uport->rs485_supported.flags & SER_RS485_RTS_ON_SEND) &&
	    (rs.flags & SER_RS485_ENABLED))
		rs.flags ^= SER_RS485_RTS_ON_SEND | SER_RS485_RTS_AFTER_SEND;
	spin_lock_irqsave(&uport->lock, flags);
	err = uport->rs485_config(uport, &port->tty->termios, &rs);
	if (!err) {
		uport->rs485 = rs;
		/* Leaving RS-485: the lines go back to what mctrl says. */
		if (!(rs.flags & SER_RS485_ENABLED))
			uport->ops->set_mctrl(uport, uport->mctrl);
	}
	spin_unlock_irqrestore(&uport->lock, flags);
out:
	pb_uart_unlock(port);
	return err;
}

/*
 * Whether uport is one of the 8250 core's, so that it sits in a struct
 * uart_8250_port: the tty driver the 8250 core registers ("serial",
 * "ttyS"; a few non-8250 drivers of other architectures share those
 * names, but not the port types) and an 8250 type.
 */
static bool pb_uart_is_8250(struct pb_port *port, struct uart_port *uport)
{
	struct uart_driver *ud = port->tty->driver->driver_state;

	return !strcmp(ud->driver_name, "serial") &&
	       !strcmp(ud->dev_name, "ttyS") &&
	       uport->type >= PORT_8250 && uport->type <= PORT_16550A_FSL64;
}

/* Whether the FIFO can be turned off: an 8250 (with or without one). */
static bool pb_fifo_switchable(struct pb_port *port)
{
	struct uart_port *uport = pb_uart_lock(port);
	bool ok;

	if (!uport)
		return false;
	ok = pb_uart_is_8250(port, uport);
	pb_uart_unlock(port);
	return ok;
}

/*
 * Turn an 8250's FIFO on or off (see the top).  A UART without a FIFO
 * has nothing to turn off.
 */
static int pb_uart_set_fifo(struct pb_port *port, bool on)
{
	struct uart_port *uport = pb_uart_lock(port);
	struct uart_8250_port *up;
	unsigned long flags;
	bool live;

	if (!uport)
		return on ? 0 : -ENODEV;
	if (!pb_uart_is_8250(port, uport)) {
		pb_uart_unlock(port);
		return on ? 0 : -EOPNOTSUPP;
	}
	up = up_to_u8250p(uport);
	/* A shut down UART gets the value at its next startup. */
	live = tty_port_initialized(port->tty->port);
	spin_lock_irqsave(&uport->lock, flags);
	if (!on && !port->fifo_off && (up->fcr & UART_FCR_ENABLE_FIFO)) {
		port->fifo_fcr = up->fcr;
		port->fifo_loadsz = up->tx_loadsz;
		port->fifo_off = true;
		up->fcr = 0;
		up->tx_loadsz = 1;
		if (live)
			serial_port_out(uport, UART_FCR, 0);
	} else if (on && port->fifo_off) {
		port->fifo_off = false;
		up->fcr = port->fifo_fcr;
		up->tx_loadsz = port->fifo_loadsz;
		/* Two steps, as the 8250 does for emulated UARTs. */
		if (live) {
			serial_port_out(uport, UART_FCR, UART_FCR_ENABLE_FIFO);
			serial_port_out(uport, UART_FCR, up->fcr);
		}
	}
	spin_unlock_irqrestore(&uport->lock, flags);
	pb_uart_unlock(port);
	return 0;
}

/* A Real COM host's TX_FIFO (conn_lock held); the UART may refuse. */
void pb_serial_set_fifo(struct pb_port *port, bool on)
{
	pb_uart_set_fifo(port, on);
}

/* ---- configuration ---- */

/* What the policies cannot express and no setting needs to be tried for. */
int pb_serial_check(struct pb_port *port, const struct pb_config *cfg,
		    struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct uart_port *uport;
	bool ok;

	/* No Linux UART driver does DTR/DSR handshaking. */
	if (cfg->flow == PB_FLOW_DTRDSR) {
		pb_set_err(extack, attrs[PB_A_FLOW],
			   "%s does not support DTR/DSR flow control",
			   port->tty_name);
		return -EOPNOTSUPP;
	}
	if (!cfg->fifo && !pb_fifo_switchable(port)) {
		pb_set_err(extack, attrs[PB_A_FIFO],
			   "%s: the UART driver offers no way to turn its FIFO off",
			   port->tty_name);
		return -EOPNOTSUPP;
	}
	if (cfg->interface == port->cfg.interface ||
	    cfg->interface == PB_IF_RS232)
		return 0;
	uport = pb_uart_lock(port);
	ok = uport && pb_rs485_supported(uport, cfg->interface);
	if (uport)
		pb_uart_unlock(port);
	if (!ok) {
		pb_set_err(extack, attrs[PB_A_INTERFACE],
			   "%s does not support %s", port->tty_name,
			   pb_interface_name(cfg->interface));
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Report the first setting the UART did not take as it was asked. */
static int pb_serial_verify(struct pb_port *port, const struct pb_line *want,
			    const struct pb_line *is, struct nlattr **attrs,
			    struct netlink_ext_ack *extack)
{
	const char *name = port->tty_name;

	if (is->baud != want->baud) {
		pb_set_err(extack, attrs[PB_A_BAUD],
			   "%s cannot run at %u baud", name, want->baud);
		return -EINVAL;
	}
	if (is->data_bits != want->data_bits) {
		pb_set_err(extack, attrs[PB_A_DATA_BITS],
			   "%s cannot use %u data bits", name, want->data_bits);
		return -EINVAL;
	}
	if (is->parity != want->parity) {
		pb_set_err(extack, attrs[PB_A_PARITY],
			   "%s does not support %s parity", name,
			   pb_parity_name(want->parity));
		return -EINVAL;
	}
	if (is->stop_bits != want->stop_bits) {
		pb_set_err(extack, attrs[PB_A_STOP_BITS],
			   "%s cannot use %u stop bits", name, want->stop_bits);
		return -EINVAL;
	}
	if (is->flow != want->flow) {
		pb_set_err(extack, attrs[PB_A_FLOW],
			   "%s does not support %s flow control", name,
			   pb_flow_name(want->flow));
		return -EINVAL;
	}
	return 0;
}

/* Set the line and read back what the UART does; conn_lock held. */
static int pb_serial_termios(struct pb_port *port, const struct pb_line *want,
			     struct pb_line *got)
{
	struct tty_struct *tty = port->tty;
	struct ktermios t;
	int err;

	/* Set by the driver's shutdown: the last close is under way. */
	if (test_bit(TTY_IO_ERROR, &tty->flags))
		return -EIO;
	pb_termios_read(tty, &t);
	pb_termios_from_line(&t, want);
	err = tty_set_termios(tty, &t);
	pb_termios_read(tty, &t);
	pb_line_from_termios(got, &t);
	WRITE_ONCE(port->rx_filter, pb_rx_filter(&t));
	pb_uart_enable_ms(port);
	return err;
}

static bool pb_line_equal(const struct pb_line *a, const struct pb_line *b)
{
	return a->baud == b->baud && a->data_bits == b->data_bits &&
	       a->parity == b->parity && a->stop_bits == b->stop_bits &&
	       a->flow == b->flow;
}

/* Whether the lines RTS/CTS flow control leaves to the configuration. */
static unsigned int pb_config_mctrl(const struct pb_config *cfg)
{
	unsigned int m = 0;

	if (cfg->dtr)
		m |= TIOCM_DTR;
	if (cfg->rts || cfg->flow == PB_FLOW_RTSCTS)
		m |= TIOCM_RTS;
	return m;
}

/* DTR and RTS where the configuration changed them, and only there. */
void pb_serial_apply_lines(struct pb_port *port, const struct pb_config *old,
			   const struct pb_config *new)
{
	unsigned int was = pb_config_mctrl(old), is = pb_config_mctrl(new);
	unsigned int diff = was ^ is;

	/* Leaving RTS/CTS: the driver may have left RTS down. */
	if (old->flow == PB_FLOW_RTSCTS && new->flow != PB_FLOW_RTSCTS)
		diff |= TIOCM_RTS;

	if (diff)
		pb_serial_set_mctrl(port, is & diff, ~is & diff);
}

/*
 * Apply the serial part of a configuration, all or nothing: termios, then
 * the interface; a failure restores what was.  conn_lock held.
 */
int pb_serial_apply(struct pb_port *port, const struct pb_config *old,
		    const struct pb_config *new, struct nlattr **attrs,
		    struct netlink_ext_ack *extack)
{
	struct pb_line want, was, got;
	int err;

	pb_serial_line_of(new, &want);
	pb_serial_get_line(port, &was);
	if (!pb_line_equal(&want, &was) ||
	    want.xon != was.xon || want.xoff != was.xoff) {
		err = pb_serial_termios(port, &want, &got);
		if (err == -EIO) {
			pb_set_err(extack, NULL, "%s is shut down",
				   port->tty_name);
			return err;
		}
		if (!err)
			err = pb_serial_verify(port, &want, &got, attrs,
					       extack);
		else
			pb_set_err(extack, NULL,
				   "%s rejected the line settings",
				   port->tty_name);
		if (err)
			goto restore;
	}
	if (new->interface != old->interface) {
		err = pb_uart_set_interface(port, new->interface);
		if (err) {
			pb_set_err(extack, attrs[PB_A_INTERFACE],
				   "%s refused %s (error %d)", port->tty_name,
				   pb_interface_name(new->interface), err);
			goto restore;
		}
	}
	if (new->fifo != old->fifo) {
		err = pb_uart_set_fifo(port, new->fifo);
		if (err) {
			pb_set_err(extack, attrs[PB_A_FIFO],
				   "%s refused to turn its FIFO %s (error %d)",
				   port->tty_name, new->fifo ? "on" : "off",
				   err);
			goto restore;
		}
	}
	pb_serial_apply_lines(port, old, new);
	return 0;

restore:
	pb_serial_termios(port, &was, &got);
	return err;
}

/* ---- sessions: RFC 2217 and Real COM ---- */

void pb_serial_get_line(struct pb_port *port, struct pb_line *line)
{
	struct ktermios t;

	pb_termios_read(port->tty, &t);
	pb_line_from_termios(line, &t);
}

/*
 * A host asks for line settings: what the UART cannot do is left as it
 * was (a rate it cannot run at keeps the old one); *got says what is.
 */
void pb_serial_set_line(struct pb_port *port, const struct pb_line *want,
			struct pb_line *got)
{
	struct pb_line was;

	pb_serial_get_line(port, &was);
	if (pb_line_equal(want, &was) && want->xon == was.xon &&
	    want->xoff == was.xoff) {
		*got = was;
		return;
	}
	if (pb_serial_termios(port, want, got))
		return;
	if (got->baud != want->baud) {
		struct pb_line keep = *want;

		keep.baud = was.baud;
		pb_serial_termios(port, &keep, got);
	}
}

/*
 * A session ended: the configured line settings come back, and the
 * configured DTR and RTS with lines.
 */
void pb_serial_restore(struct pb_port *port, bool lines)
{
	struct pb_line want, got;

	pb_serial_line_of(&port->cfg, &want);
	pb_serial_set_line(port, &want, &got);
	/* Detaching: pb_serial_exit() gave the UART its FIFO back. */
	pb_uart_set_fifo(port, port->cfg.fifo || port->dying);
	pb_serial_break(port, false);
	pb_serial_tx_stop(port, false);
	if (lines)
		pb_serial_set_mctrl(port, pb_config_mctrl(&port->cfg),
			    ~pb_config_mctrl(&port->cfg) &
			    (TIOCM_DTR | TIOCM_RTS));
}

void pb_serial_set_mctrl(struct pb_port *port, unsigned int set,
			 unsigned int clear)
{
	struct tty_struct *tty = port->tty;

	if (tty->ops->tiocmset && !test_bit(TTY_IO_ERROR, &tty->flags))
		tty->ops->tiocmset(tty, set, clear);
}

/* TIOCM_* of the modem and control lines, 0 if unknown. */
int pb_serial_modem(struct pb_port *port)
{
	struct tty_struct *tty = port->tty;
	int m;

	if (!tty->ops->tiocmget || test_bit(TTY_IO_ERROR, &tty->flags))
		return 0;
	m = tty->ops->tiocmget(tty);
	return m < 0 ? 0 : m;
}

void pb_serial_break(struct pb_port *port, bool on)
{
	struct tty_struct *tty = port->tty;

	if (tty->ops->break_ctl && !test_bit(TTY_IO_ERROR, &tty->flags))
		tty->ops->break_ctl(tty, on ? -1 : 0);
}

/* Drop what waits to be sent on the line. */
void pb_serial_flush_tx(struct pb_port *port)
{
	tty_driver_flush_buffer(port->tty);
}

/*
 * Drop what the UART received and the port holds back.  The flip buffer
 * lock is held around our receive path, which takes conn_lock: the flush
 * itself runs in the work after conn_lock is dropped (port.c).
 */
void pb_serial_flush_rx(struct pb_port *port)
{
	set_bit(PB_PORT_FLUSH_RX, &port->flags);
}

/* As if the device sent XOFF (stop) or XON. */
void pb_serial_tx_stop(struct pb_port *port, bool stop)
{
	if (stop)
		stop_tty(port->tty);
	else
		start_tty(port->tty);
}

/* Bytes waiting to be sent; at least 1 while the transmitter is busy. */
unsigned int pb_serial_tx_queued(struct pb_port *port)
{
	unsigned int n = tty_chars_in_buffer(port->tty);
	struct uart_port *uport;

	if (n)
		return n;
	uport = pb_uart_lock(port);
	if (uport) {
		if (uport->ops->tx_empty && !uport->ops->tx_empty(uport))
			n = 1;
		pb_uart_unlock(port);
	}
	return n;
}

/* ---- network -> UART ---- */

/*
 * A closing tty waits for its output to drain; feeding it more would
 * only delay the close.  A shut down one takes nothing.
 */
bool pb_uart_open(struct pb_port *port)
{
	struct tty_struct *tty = port->tty;

	return !READ_ONCE(tty->closing) && !test_bit(TTY_IO_ERROR, &tty->flags);
}

unsigned int pb_uart_room(struct pb_port *port)
{
	return tty_write_room(port->tty);
}

/* Ask for write_wakeup before looking again, so none is missed. */
bool pb_uart_writable(struct pb_port *port)
{
	struct tty_struct *tty = port->tty;

	if (tty_write_room(tty))
		return true;
	set_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	return tty_write_room(tty) > 0;
}

/* Write what the tty takes; count it as serial output and activity. */
int pb_uart_write(struct pb_port *port, const u8 *buf, unsigned int len)
{
	struct tty_struct *tty = port->tty;
	int n;

	if (!len)
		return 0;
	n = tty->ops->write(tty, buf, len);
	if (n < (int)len)
		set_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	if (n <= 0)
		return 0;
	pb_stat_add(&port->stats.tx_bytes, n);
	pb_port_touch(port);
	return n;
}

/* ---- attach and detach ---- */

/*
 * A new port serves nothing until configured (secure default), but its
 * line settings are whatever the daemon set before attaching, made raw.
 */
int pb_serial_init(struct pb_port *port)
{
	struct tty_struct *tty = port->tty;
	struct pb_config *cfg = &port->cfg;
	struct pb_line line;
	struct ktermios t;
	int err;

	if (pb_tty_is_uart(tty))
		port->uport = ((struct uart_state *)tty->driver_data)->uart_port;

	pb_termios_read(tty, &t);
	pb_termios_make_raw(&t);
	t.c_cflag &= ~HUPCL;
	t.c_cc[VSTART] = PB_XON;
	t.c_cc[VSTOP] = PB_XOFF;
	err = tty_set_termios(tty, &t);
	if (err)
		return err;
	pb_termios_read(tty, &t);
	pb_line_from_termios(&line, &t);
	port->rx_filter = pb_rx_filter(&t);
	cfg->baud = line.baud;
	cfg->data_bits = line.data_bits;
	cfg->parity = line.parity;
	cfg->stop_bits = line.stop_bits;
	cfg->flow = line.flow;

	/* DTR and RTS up, as the open left them and the default says. */
	pb_serial_set_mctrl(port, TIOCM_DTR | TIOCM_RTS, 0);

	init_waitqueue_func_entry(&port->msr_wait, pb_msr_wake);
	if (tty->port) {
		add_wait_queue(&tty->port->delta_msr_wait, &port->msr_wait);
		set_bit(PB_PORT_MSR_HOOKED, &port->flags);
	}
	pb_uart_enable_ms(port);
	return 0;
}

/* Before the port's works are cancelled: no more wake-ups. */
void pb_serial_exit(struct pb_port *port)
{
	if (test_and_clear_bit(PB_PORT_MSR_HOOKED, &port->flags))
		remove_wait_queue(&port->tty->port->delta_msr_wait,
				  &port->msr_wait);
	/* The UART goes back as it came. */
	pb_uart_set_fifo(port, true);
}
