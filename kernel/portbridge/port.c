// SPDX-License-Identifier: GPL-2.0
/*
 * Bridge port objects: the index registry, attach and detach, and
 * applying a configuration (serial line settings and operation mode).
 *
 * A configuration is validated as a whole and applied all or nothing: the
 * step that can fail without side effects (binding a new listener) runs
 * first, then the serial settings (undone if the UART does not take them),
 * and only then is the result committed, which cannot fail.
 *
 * Serial settings go through tty_set_termios().  The serial core falls
 * back silently when a UART cannot do a rate (B921600 on a 16550 runs at
 * the old rate or 9600), so every setting is read back and a mismatch is
 * reported as an error after restoring the previous termios.
 */

#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <net/netlink.h>

#include "ldisc.h"
#include "netlink.h"
#include "port.h"
#include "sysfs.h"
#include "tcp_server.h"

/* Serializes configuration: the port registry, attach, detach, PORT_SET. */
DEFINE_MUTEX(pb_config_lock);
static struct pb_port *pb_ports[PB_MAX_PORTS + 1];

struct pb_port *pb_port_find(u32 index)
{
	lockdep_assert_held(&pb_config_lock);
	if (index < 1 || index > PB_MAX_PORTS)
		return NULL;
	return pb_ports[index];
}

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

static void pb_termios_from_config(struct ktermios *t,
				   const struct pb_config *cfg)
{
	pb_termios_make_raw(t);
	t->c_cflag &= ~(CSIZE | PARENB | PARODD | CMSPAR | CSTOPB | CRTSCTS);
	t->c_cflag |= pb_csize(cfg->data_bits) | pb_parity_cflag(cfg->parity);
	if (cfg->stop_bits == 2)
		t->c_cflag |= CSTOPB;
	if (cfg->flow == PB_FLOW_RTSCTS)
		t->c_cflag |= CRTSCTS;
	else if (cfg->flow == PB_FLOW_XONXOFF)
		t->c_iflag |= IXON | IXOFF;

	/*
	 * Start from BOTHER so the encoder answers exactly: a standard rate
	 * gets its Bxxx code, anything else stays BOTHER with that speed,
	 * and no rate is "rounded" to a neighbouring standard one.
	 */
	t->c_cflag &= ~(CBAUD | (CBAUD << IBSHIFT));
	t->c_cflag |= BOTHER;
	tty_termios_encode_baud_rate(t, cfg->baud, cfg->baud);
}

static void pb_config_from_termios(struct pb_config *cfg,
				   const struct ktermios *t)
{
	cfg->baud = tty_termios_baud_rate(t);
	cfg->data_bits = tty_get_char_size(t->c_cflag);
	cfg->parity = pb_parity_from_cflag(t->c_cflag);
	cfg->stop_bits = t->c_cflag & CSTOPB ? 2 : 1;
	if (t->c_cflag & CRTSCTS)
		cfg->flow = PB_FLOW_RTSCTS;
	else if (t->c_iflag & (IXON | IXOFF))
		cfg->flow = PB_FLOW_XONXOFF;
	else
		cfg->flow = PB_FLOW_NONE;
}

/* Report the first setting the UART did not take as it was asked. */
static int pb_serial_verify(struct pb_port *port, const struct pb_config *want,
			    const struct ktermios *got, struct nlattr **attrs,
			    struct netlink_ext_ack *extack)
{
	struct pb_config is = *want;
	const char *name = port->tty_name;

	pb_config_from_termios(&is, got);
	if (is.baud != want->baud) {
		pb_set_err(extack, attrs[PB_A_BAUD],
			   "%s cannot run at %u baud", name, want->baud);
		return -EINVAL;
	}
	if (is.data_bits != want->data_bits) {
		pb_set_err(extack, attrs[PB_A_DATA_BITS],
			   "%s cannot use %u data bits", name, want->data_bits);
		return -EINVAL;
	}
	if (is.parity != want->parity) {
		pb_set_err(extack, attrs[PB_A_PARITY],
			   "%s does not support %s parity", name,
			   pb_parity_name(want->parity));
		return -EINVAL;
	}
	if (is.stop_bits != want->stop_bits) {
		pb_set_err(extack, attrs[PB_A_STOP_BITS],
			   "%s cannot use %u stop bits", name, want->stop_bits);
		return -EINVAL;
	}
	if (is.flow != want->flow) {
		pb_set_err(extack, attrs[PB_A_FLOW],
			   "%s does not support %s flow control", name,
			   pb_flow_name(want->flow));
		return -EINVAL;
	}
	return 0;
}

static int pb_port_apply_serial(struct pb_port *port,
				const struct pb_config *want,
				struct nlattr **attrs,
				struct netlink_ext_ack *extack)
{
	struct tty_struct *tty = port->tty;
	struct ktermios old, new, got;
	int err;

	/* Set by the driver's shutdown: the last close is under way. */
	if (test_bit(TTY_IO_ERROR, &tty->flags)) {
		pb_set_err(extack, NULL, "%s is shut down", port->tty_name);
		return -EIO;
	}

	pb_termios_read(tty, &old);
	new = old;
	pb_termios_from_config(&new, want);
	err = tty_set_termios(tty, &new);
	if (err) {
		pb_set_err(extack, NULL, "%s rejected the line settings",
			   port->tty_name);
		return err;
	}

	pb_termios_read(tty, &got);
	err = pb_serial_verify(port, want, &got, attrs, extack);
	if (err)
		tty_set_termios(tty, &old);
	else
		WRITE_ONCE(port->rx_filter, pb_rx_filter(&got));
	return err;
}

static bool pb_config_serial_changed(const struct pb_config *a,
				     const struct pb_config *b)
{
	return a->baud != b->baud || a->data_bits != b->data_bits ||
	       a->parity != b->parity || a->stop_bits != b->stop_bits ||
	       a->flow != b->flow;
}

/* Does the network side have to be rebuilt (listener, clients)? */
static bool pb_config_net_changed(const struct pb_config *a,
				  const struct pb_config *b)
{
	if (a->mode != b->mode)
		return true;
	return b->mode == PB_MODE_TCP_SERVER && a->local_port != b->local_port;
}

/* What the policies cannot express. */
static int pb_config_check(struct pb_port *port, const struct pb_config *cfg,
			   struct nlattr **attrs,
			   struct netlink_ext_ack *extack)
{
	if (cfg->mode != PB_MODE_DISABLED && cfg->mode != PB_MODE_TCP_SERVER) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[PB_A_MODE],
				    "mode not implemented");
		return -EOPNOTSUPP;
	}
	/* No Linux UART driver does DTR/DSR handshaking. */
	if (cfg->flow == PB_FLOW_DTRDSR) {
		pb_set_err(extack, attrs[PB_A_FLOW],
			   "%s does not support DTR/DSR flow control",
			   port->tty_name);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Caller holds pb_config_lock. */
int pb_port_configure(struct pb_port *port, const struct pb_config *new,
		      struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct socket *listener = NULL;
	bool relisten;
	int err;

	lockdep_assert_held(&pb_config_lock);
	err = pb_config_check(port, new, attrs, extack);
	if (err)
		return err;

	relisten = pb_config_net_changed(&port->cfg, new);
	if (relisten && new->mode == PB_MODE_TCP_SERVER) {
		err = pb_tcp_server_listen(port, new->local_port, &listener,
					   attrs[PB_A_LOCAL_PORT], extack);
		if (err)
			return err;
	}

	if (pb_config_serial_changed(&port->cfg, new)) {
		err = pb_port_apply_serial(port, new, attrs, extack);
		if (err) {
			if (listener)
				pb_tcp_server_discard(listener);
			return err;
		}
	}

	/* Commit: nothing below can fail. */
	if (relisten)
		pb_tcp_server_replace(port, listener);
	pb_tcp_server_set_max_conns(port, new->max_conns);
	port->cfg = *new;
	return 0;
}

/*
 * A new port serves nothing until configured (secure default), but its
 * line settings are whatever the daemon set before attaching, made raw.
 */
static int pb_port_init_config(struct pb_port *port)
{
	struct tty_struct *tty = port->tty;
	struct ktermios t;
	int err;

	pb_termios_read(tty, &t);
	pb_termios_make_raw(&t);
	err = tty_set_termios(tty, &t);
	if (err)
		return err;

	pb_termios_read(tty, &t);
	pb_config_from_termios(&port->cfg, &t);
	port->rx_filter = pb_rx_filter(&t);
	port->cfg.mode = PB_MODE_DISABLED;
	port->cfg.local_port = PB_DEFAULT_PORT_BASE + port->index;
	port->cfg.max_conns = 1;
	return 0;
}

/* Called from the kobject release, when no one can reach the port. */
void pb_port_free(struct pb_port *port)
{
	pb_tcp_server_free(port);
	tty_kref_put(port->tty);
	kfree(port);
}

static struct pb_port *pb_port_create(struct tty_struct *tty, u32 index)
{
	struct pb_port *port;
	int err;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	port->index = index;
	port->tty = tty_kref_get(tty);
	strscpy(port->tty_name, tty_name(tty), sizeof(port->tty_name));
	/* From here on the kobject owns the port: errors put it. */
	pb_sysfs_init_port(port);

	err = pb_tcp_server_init(port);
	if (!err)
		err = pb_port_init_config(port);
	if (!err)
		err = pb_sysfs_add_port(port);
	if (err) {
		pb_sysfs_put_port(port);
		return ERR_PTR(err);
	}
	return port;
}

/* PBIOC_ATTACH: bind this tty to bridge port @index. */
int pb_port_attach(struct tty_struct *tty, u32 index)
{
	struct pb_port *port;
	int err = 0;

	if (index < 1 || index > PB_MAX_PORTS)
		return -EINVAL;
	/* Attaching decides what the network can reach. */
	if (!capable(CAP_NET_ADMIN))
		return -EPERM;

	mutex_lock(&pb_config_lock);
	if (tty->disc_data) {
		err = -EALREADY;
	} else if (pb_ports[index]) {
		err = -EBUSY;
	} else {
		port = pb_port_create(tty, index);
		if (IS_ERR(port)) {
			err = PTR_ERR(port);
		} else {
			pb_ports[index] = port;
			/* Pairs with the acquire in the ldisc callbacks. */
			smp_store_release((struct pb_port **)&tty->disc_data,
					  port);
		}
	}
	mutex_unlock(&pb_config_lock);
	return err;
}

/*
 * Line discipline close.  The tty layer excludes every ldisc callback
 * meanwhile, so only netlink (serialized by pb_config_lock), sysfs readers
 * and our own callbacks and works can still see the port.
 */
void pb_port_detach(struct pb_port *port)
{
	struct tty_struct *tty = port->tty;

	mutex_lock(&pb_config_lock);
	pb_ports[port->index] = NULL;
	WRITE_ONCE(tty->disc_data, NULL);
	pb_tcp_server_shutdown(port);
	mutex_unlock(&pb_config_lock);

	pb_tty_release_flow(tty);
	/* Waits for sysfs readers; they may take pb_config_lock. */
	pb_sysfs_del_port(port);
	pb_sysfs_put_port(port);
}

/*
 * Count a flagged byte and act on XON/XOFF.  Returns 1 if the byte is not
 * line data (see pb_rx_is_data()).
 */
static int pb_port_rx_flags(struct pb_port *port, u8 c, char flag,
			    u32 filter)
{
	struct pb_stats *st = &port->stats;

	switch (flag) {
	case TTY_PARITY:
		pb_stat_inc(&st->parity_errors);
		return 0;
	case TTY_FRAME:
		pb_stat_inc(&st->frame_errors);
		return 0;
	case TTY_OVERRUN:
		pb_stat_inc(&st->overruns);
		return 1;
	case TTY_BREAK:
		pb_stat_inc(&st->breaks);
		return 1;
	}
	if (!pb_rx_is_flow_char(filter, c))
		return 0;
	/* The driver cannot do this in hardware; n_tty would do it here. */
	if (c == (u8)(filter >> 8))
		stop_tty(port->tty);
	else
		start_tty(port->tty);
	return 1;
}

/*
 * Serial input from receive_buf2.  The TCP server is the only data mode
 * so far; with the port disabled it has no clients and discards the input.
 * Returns how many bytes were taken.
 */
int pb_port_serial_rx(struct pb_port *port, const u8 *cp, const char *fp,
		      int count)
{
	u32 filter = READ_ONCE(port->rx_filter);
	int n, i, skipped = 0;

	n = pb_tcp_server_receive(port, cp, fp, count, filter);
	if (!fp && !filter) {
		pb_stat_add(&port->stats.rx_bytes, n);
		return n;
	}
	/* Once per taken byte: what is not taken is offered again. */
	for (i = 0; i < n; i++)
		skipped += pb_port_rx_flags(port, cp[i],
					    fp ? fp[i] : TTY_NORMAL, filter);
	pb_stat_add(&port->stats.rx_bytes, n - skipped);
	return n;
}

void pb_port_write_wakeup(struct pb_port *port)
{
	pb_tcp_server_write_wakeup(port);
}
