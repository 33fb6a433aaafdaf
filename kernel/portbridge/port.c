// SPDX-License-Identifier: GPL-2.0
/*
 * Bridge port objects: the index registry, attach and detach, the port's
 * works and timer, and applying a configuration.
 *
 * A configuration is validated as a whole and applied all or nothing: the
 * steps that can fail without side effects (binding new sockets, creating
 * a new mode instance) run first, then the serial settings (undone if the
 * UART does not take them), and only then is the result committed, which
 * cannot fail.
 *
 * The works (rx, tx, ctl) and the timer belong to the port and dispatch
 * to whatever mode it has at the time they run, under conn_lock; with no
 * mode they do nothing and arm nothing.  So a mode change needs no
 * cancelling: only detach stops them, after the mode is gone and every
 * socket is unhooked (see pb_port_detach).
 */

#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_ldisc.h>
#include <net/netlink.h>

#include "ldisc.h"
#include "mode.h"
#include "netlink.h"
#include "port.h"
#include "serial.h"
#include "serial_rx.h"
#include "sysfs.h"

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

const struct pb_opmode_ops *pb_opmode_find(u8 mode)
{
	static const struct pb_opmode_ops *const modes[__PB_MODE_MAX] = {
		[PB_MODE_TCP_SERVER]	= &pb_tcp_server_ops,
		[PB_MODE_TCP_CLIENT]	= &pb_tcp_client_ops,
		[PB_MODE_UDP]		= &pb_udp_ops,
		[PB_MODE_RFC2217]	= &pb_rfc2217_ops,
		[PB_MODE_REALCOM]	= &pb_realcom_ops,
	};

	return mode < __PB_MODE_MAX ? modes[mode] : NULL;
}

/* ---- works and timer ---- */

void pb_port_arm(struct pb_port *port, unsigned long deadline)
{
	lockdep_assert_held(&port->conn_lock);
	if (!port->dying)
		timer_reduce(&port->ctl_timer, deadline);
}

static void pb_port_ctl_timer(struct timer_list *t)
{
	struct pb_port *port = from_timer(port, t, ctl_timer);

	queue_work(pb_wq, &port->ctl_work);
}

/*
 * After each work, with conn_lock dropped: what must not run under it
 * (both take the flip buffer lock, held around our receive path, which
 * takes conn_lock).
 */
static void pb_port_after_work(struct pb_port *port)
{
	bool flush, resume;

	mutex_lock(&port->conn_lock);
	/* Detaching: the ldisc close releases the tty's flow itself. */
	flush = !port->dying &&
		test_and_clear_bit(PB_PORT_FLUSH_RX, &port->flags);
	resume = !port->dying &&
		 test_bit(PB_PORT_RX_BLOCKED, &port->flags) &&
		 pb_rx_room(port) > 0;
	if (resume)
		clear_bit(PB_PORT_RX_BLOCKED, &port->flags);
	mutex_unlock(&port->conn_lock);
	if (flush)
		tty_ldisc_flush(port->tty);
	if (resume)
		pb_tty_resume(port->tty);
}

static void pb_port_rx_work(struct work_struct *work)
{
	struct pb_port *port = container_of(work, struct pb_port, rx_work);
	struct pb_opmode *m;

	mutex_lock(&port->conn_lock);
	m = port->mode;
	if (m)
		m->ops->net_rx(m);
	mutex_unlock(&port->conn_lock);
	pb_port_after_work(port);
}

static void pb_port_tx_work(struct work_struct *work)
{
	struct pb_port *port = container_of(work, struct pb_port, tx_work);
	struct pb_opmode *m;

	mutex_lock(&port->conn_lock);
	m = port->mode;
	if (m) {
		m->ops->net_tx(m);
		pb_packer_expire(port, m);
	}
	mutex_unlock(&port->conn_lock);
	pb_port_after_work(port);
}

static void pb_port_ctl_work(struct work_struct *work)
{
	struct pb_port *port = container_of(work, struct pb_port, ctl_work);
	unsigned long next;
	struct pb_opmode *m;

	mutex_lock(&port->conn_lock);
	m = port->mode;
	if (m) {
		next = m->ops->control(m);
		if (next && !port->dying)
			mod_timer(&port->ctl_timer, next);
	}
	mutex_unlock(&port->conn_lock);
	pb_port_after_work(port);
}

/* From write_wakeup, possibly in interrupt context. */
void pb_port_write_wakeup(struct pb_port *port)
{
	queue_work(pb_wq, &port->rx_work);
}

/* ---- configuration ---- */

/* Destination ranges, whatever the mode (UDP uses them). */
static int pb_dests_check(const struct pb_config *cfg, struct nlattr **attrs,
			  struct netlink_ext_ack *extack)
{
	const struct pb_dest *d;
	unsigned int i;

	for (i = 0; i < cfg->n_dests; i++) {
		d = &cfg->dests[i];
		if (memcmp(&d->addr, &d->addr_end, 12)) {
			pb_set_err(extack, attrs[PB_A_DESTINATIONS],
				   "destination %u: the ends of a range may differ in their last 32 bits only",
				   i + 1);
			return -EINVAL;
		}
		if (ntohl(d->addr_end.s6_addr32[3]) <
		    ntohl(d->addr.s6_addr32[3])) {
			pb_set_err(extack, attrs[PB_A_DESTINATIONS],
				   "destination %u: the range ends below its begin",
				   i + 1);
			return -EINVAL;
		}
		if (!pb_dest_count(d)) {
			pb_set_err(extack, attrs[PB_A_DESTINATIONS],
				   "destination %u: a range holds at most %u addresses",
				   i + 1, PB_RANGE_MAX);
			return -EINVAL;
		}
	}
	return 0;
}

/* What the policies cannot express, for every mode. */
static int pb_config_check(struct pb_port *port, const struct pb_config *cfg,
			   const struct pb_opmode_ops *ops, struct nlattr **attrs,
			   struct netlink_ext_ack *extack)
{
	int err;

	if (cfg->mode != PB_MODE_DISABLED && !ops) {
		pb_set_err(extack, attrs[PB_A_MODE], "mode not implemented");
		return -EOPNOTSUPP;
	}
	if (cfg->pack.delim2 != PB_DELIM_OFF &&
	    cfg->pack.delim1 == PB_DELIM_OFF) {
		pb_set_err(extack, attrs[PB_A_DELIM2],
			   "delimiter 2 needs delimiter 1");
		return -EINVAL;
	}
	if (!pb_pack_cfg_valid(&cfg->pack)) {
		pb_set_err(extack, NULL, "invalid packing settings");
		return -EINVAL;
	}
	err = pb_dests_check(cfg, attrs, extack);
	if (!err)
		err = pb_serial_check(port, cfg, attrs, extack);
	if (err)
		return err;
	return ops && ops->check ? ops->check(port, cfg, attrs, extack) : 0;
}

static bool pb_spec_equal(const struct pb_listen_spec *a,
			  const struct pb_listen_spec *b)
{
	return a->proto == b->proto && (!a->proto || a->port == b->port);
}

static const struct nlattr *pb_listen_attr(struct nlattr **attrs, int slot)
{
	return attrs[slot == PB_LISTEN_CMD ? PB_A_CMD_PORT : PB_A_LOCAL_PORT];
}

/*
 * Bind the sockets the new configuration needs and the port does not have
 * yet (into fresh[]), without touching the running ones.
 */
static int pb_listen_prepare(struct pb_port *port,
			     const struct pb_listen_spec *want,
			     struct socket **fresh, struct nlattr **attrs,
			     struct netlink_ext_ack *extack)
{
	int i, err;

	for (i = 0; i < PB_LISTENERS; i++) {
		fresh[i] = NULL;
		if (!want[i].proto ||
		    pb_spec_equal(&want[i], &port->listen[i].spec))
			continue;
		err = pb_sock_bind(&want[i], &fresh[i], pb_listen_attr(attrs, i),
				   extack);
		if (err)
			goto fail;
	}
	return 0;

fail:
	while (i--)
		if (fresh[i])
			sock_release(fresh[i]);
	return err;
}

/*
 * Install the wanted sockets; the ones replaced or no longer wanted are
 * unhooked and returned in old[] for release.  conn_lock held.
 */
static void pb_listen_commit(struct pb_port *port,
			     const struct pb_listen_spec *want,
			     struct socket **fresh, struct socket **old)
{
	struct pb_listener *l;
	int i;

	for (i = 0; i < PB_LISTENERS; i++) {
		l = &port->listen[i];
		old[i] = NULL;
		if (pb_spec_equal(&want[i], &l->spec))
			continue;
		if (l->sock) {
			pb_listener_unhook(l);
			old[i] = l->sock;
		}
		l->sock = fresh[i];
		l->spec = want[i];
		if (l->sock)
			pb_listener_hook(port, l);
	}
}

static void pb_sockets_release(struct socket **socks)
{
	int i;

	for (i = 0; i < PB_LISTENERS; i++)
		if (socks[i])
			sock_release(socks[i]);
}

/*
 * Replace the mode instance (NULL: disabled).  The old one is unhooked
 * first, so no callback reaches it, then closed; works already queued
 * find the new one.  conn_lock held.
 */
static void pb_mode_switch(struct pb_port *port, struct pb_opmode *inst)
{
	struct pb_opmode *old = port->mode;

	if (old)
		old->ops->unhook(old);
	port->mode = inst;
	pb_packer_reset(port);
	if (old)
		old->ops->destroy(old, PB_REASON_PORT_CHANGE);
	if (inst)
		inst->ops->start(inst);
}

static void pb_mode_discard(struct pb_port *port, struct pb_opmode *inst)
{
	if (!inst)
		return;
	mutex_lock(&port->conn_lock);
	inst->ops->destroy(inst, PB_REASON_NONE);
	mutex_unlock(&port->conn_lock);
}

static bool pb_pack_changed(const struct pb_pack_cfg *a,
			    const struct pb_pack_cfg *b)
{
	return a->length != b->length || a->delim1 != b->delim1 ||
	       a->delim2 != b->delim2 || a->process != b->process ||
	       a->force_ms != b->force_ms;
}

/* Caller holds pb_config_lock. */
int pb_port_configure(struct pb_port *port, const struct pb_config *new,
		      struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	const struct pb_opmode_ops *ops = pb_opmode_find(new->mode);
	struct pb_listen_spec want[PB_LISTENERS] = { };
	struct socket *fresh[PB_LISTENERS], *old[PB_LISTENERS];
	struct pb_config was = port->cfg;
	struct pb_opmode *inst = NULL;
	bool restart;
	int err;

	lockdep_assert_held(&pb_config_lock);
	err = pb_config_check(port, new, ops, attrs, extack);
	if (err)
		return err;
	if (ops && ops->listeners)
		ops->listeners(new, want);
	err = pb_listen_prepare(port, want, fresh, attrs, extack);
	if (err)
		return err;

	restart = new->mode != was.mode ||
		  (ops && ops->restart && ops->restart(&was, new));
	if (restart && ops) {
		inst = ops->create(port, new);
		if (!inst) {
			pb_set_err(extack, NULL, "out of memory");
			err = -ENOMEM;
			goto fail;
		}
	}

	mutex_lock(&port->conn_lock);
	err = pb_serial_apply(port, &was, new, attrs, extack);
	if (err) {
		mutex_unlock(&port->conn_lock);
		goto fail;
	}

	/* Commit: nothing below can fail. */
	pb_listen_commit(port, want, fresh, old);
	port->cfg = *new;
	if (restart)
		pb_mode_switch(port, inst);
	else if (port->mode)
		port->mode->ops->update(port->mode, &was);
	if (pb_pack_changed(&was.pack, &new->pack))
		pb_packer_configure(port, port->mode, &new->pack);
	mutex_unlock(&port->conn_lock);

	pb_sockets_release(old);
	/* Closed connections may have held the UART back; new deadlines. */
	queue_work(pb_wq, &port->tx_work);
	queue_work(pb_wq, &port->ctl_work);
	if (new->mode != was.mode)
		pb_netlink_event_mode(port->index, new->mode);
	return 0;

fail:
	pb_mode_discard(port, inst);
	pb_sockets_release(fresh);
	return err;
}

/* ---- attach and detach ---- */

/* The defaults of a fresh port; pbconfd's are the same. */
static void pb_config_defaults(struct pb_config *cfg, u32 index)
{
	cfg->mode = PB_MODE_DISABLED;
	cfg->local_port = PB_DEFAULT_PORT_BASE + index;
	cfg->cmd_port = pb_default_cmd_port(index);
	cfg->max_conns = 1;
	cfg->connect_on = PB_CONNECT_STARTUP;
	cfg->ignore_jammed = 0;
	cfg->jammed_ms = 10000;
	cfg->inactivity_ms = 0;
	cfg->keepalive_idle = 10;
	cfg->keepalive_intvl = 5;
	cfg->keepalive_cnt = 3;
	cfg->n_dests = 0;
	cfg->pack.length = 0;
	cfg->pack.delim1 = PB_DELIM_OFF;
	cfg->pack.delim2 = PB_DELIM_OFF;
	cfg->pack.process = PB_DELIM_NOTHING;
	cfg->pack.force_ms = 0;
	cfg->fifo = 1;
	cfg->interface = PB_IF_RS232;
	cfg->dtr = 1;
	cfg->rts = 1;
}

/* Called from the kobject release, when no one can reach the port. */
void pb_port_free(struct pb_port *port)
{
	pb_packer_free(port);
	kfree(port->uart_buf);
	mutex_destroy(&port->conn_lock);
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
	mutex_init(&port->conn_lock);
	INIT_WORK(&port->rx_work, pb_port_rx_work);
	INIT_WORK(&port->tx_work, pb_port_tx_work);
	INIT_WORK(&port->ctl_work, pb_port_ctl_work);
	INIT_DELAYED_WORK(&port->err_work, pb_rx_error_work);
	timer_setup(&port->ctl_timer, pb_port_ctl_timer, 0);
	port->last_serial = jiffies;
	pb_config_defaults(&port->cfg, index);
	/* From here on the kobject owns the port: errors put it. */
	pb_sysfs_init_port(port);

	port->uart_buf = kmalloc(PB_UART_BUF, GFP_KERNEL);
	err = port->uart_buf ? pb_packer_init(port) : -ENOMEM;
	if (!err)
		err = pb_serial_init(port);
	if (!err) {
		err = pb_sysfs_add_port(port);
		if (err)
			pb_serial_exit(port);
	}
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
 * Stop everything that could reach the port: unhook every socket (no
 * callback can queue anything after that), then stop the timers and the
 * works, which with no mode arm nothing; only then close and free.
 */
static void pb_port_shutdown(struct pb_port *port)
{
	struct pb_listen_spec none[PB_LISTENERS] = { };
	struct socket *nothing[PB_LISTENERS] = { };
	struct socket *old[PB_LISTENERS];
	struct pb_opmode *m;

	mutex_lock(&port->conn_lock);
	m = port->mode;
	port->mode = NULL;
	port->dying = true;
	if (m)
		m->ops->unhook(m);
	pb_listen_commit(port, none, nothing, old);
	mutex_unlock(&port->conn_lock);

	pb_serial_exit(port);
	del_timer_sync(&port->ctl_timer);
	pb_packer_stop(port);
	cancel_work_sync(&port->rx_work);
	cancel_work_sync(&port->tx_work);
	cancel_work_sync(&port->ctl_work);
	cancel_delayed_work_sync(&port->err_work);

	if (m) {
		mutex_lock(&port->conn_lock);
		m->ops->destroy(m, PB_REASON_PORT_CHANGE);
		mutex_unlock(&port->conn_lock);
	}
	pb_sockets_release(old);
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
	pb_port_shutdown(port);
	mutex_unlock(&pb_config_lock);

	pb_tty_release_flow(tty);
	/* Waits for sysfs readers; they may take pb_config_lock. */
	pb_sysfs_del_port(port);
	pb_sysfs_put_port(port);
}
