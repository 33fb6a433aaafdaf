// SPDX-License-Identifier: GPL-2.0
/*
 * The portbridge line discipline (PORTBRIDGE_LDISC).
 *
 * A daemon sets this discipline on a UART and binds it to a bridge port
 * with PBIOC_ATTACH; from then on the tty's input goes to the port's
 * clients instead of to read(), and the port writes client data into the
 * tty.  Closing the discipline (last close, TIOCSETD, hangup) detaches and
 * destroys the port.  The tty layer holds the ldisc semaphore for writing
 * around open and close, so no receive_buf2, write_wakeup or ioctl of ours
 * runs concurrently with them.
 *
 * Termios belongs to the kernel after attach (configd sets it over
 * netlink), so only read-only termios ioctls are passed through.
 */

#include <linux/compat.h>
#include <linux/module.h>
#include <linux/tty.h>
#include <linux/tty_flip.h>
#include <linux/tty_ldisc.h>
#include <linux/uaccess.h>

#include "ldisc.h"
#include "port.h"
#include "serial_rx.h"

/*
 * tty_throttle_safe() is not exported by 6.1.  This does what it does for
 * a throttle request, without the flow_change handshake only n_tty uses:
 * mark the tty throttled and let the driver stop the sender (RTS or XOFF,
 * as termios says).  termios_rwsem is held for reading like n_tty does,
 * because tty_unthrottle() relies on its write side for exclusion.
 */
void pb_tty_throttle(struct tty_struct *tty)
{
	down_read(&tty->termios_rwsem);
	mutex_lock(&tty->throttle_mutex);
	if (!test_and_set_bit(TTY_THROTTLED, &tty->flags) &&
	    tty->ops->throttle)
		tty->ops->throttle(tty);
	mutex_unlock(&tty->throttle_mutex);
	up_read(&tty->termios_rwsem);
}

/*
 * Let the UART send again and feed the input kept in the flip buffer to
 * receive_buf2 once more.  tty_buffer_restart_work() is not exported; a
 * cycle of the exclusive buffer lock requeues the flush work when input
 * is pending.  Must run in a work item: it takes the buffer lock that is
 * held around receive_buf2.
 */
void pb_tty_resume(struct tty_struct *tty)
{
	tty_unthrottle(tty);
	tty_buffer_lock_exclusive(tty->port);
	tty_buffer_unlock_exclusive(tty->port);
}

/*
 * Leave the tty as a following discipline expects it: not throttled and
 * not asking for write wakeups.  When the driver is already shut down
 * (final close) only the flag is cleared, so RTS is not raised again.
 */
void pb_tty_release_flow(struct tty_struct *tty)
{
	clear_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	if (test_bit(TTY_IO_ERROR, &tty->flags))
		clear_bit(TTY_THROTTLED, &tty->flags);
	else
		tty_unthrottle(tty);
}

static struct pb_port *pb_ldisc_port(struct tty_struct *tty)
{
	/* Pairs with the release in pb_port_attach(): a seen port is set up. */
	return smp_load_acquire((struct pb_port **)&tty->disc_data);
}

static int pb_ldisc_open(struct tty_struct *tty)
{
	/* The data path writes with ops->write and needs the flip buffer. */
	if (!tty->ops->write || !tty->ops->write_room || !tty->port)
		return -EOPNOTSUPP;
	tty->disc_data = NULL;
	return 0;
}

static void pb_ldisc_close(struct tty_struct *tty)
{
	struct pb_port *port = tty->disc_data;

	if (port)
		pb_port_detach(port);
	tty->disc_data = NULL;
}

static int pb_ldisc_ioctl(struct tty_struct *tty, unsigned int cmd,
			  unsigned long arg)
{
	u32 index;

	switch (cmd) {
	case PBIOC_ATTACH:
		if (get_user(index, (u32 __user *)arg))
			return -EFAULT;
		return pb_port_attach(tty, index);
	case TCGETS:
	case TCGETS2:
	case TCGETA:
		return tty_mode_ioctl(tty, cmd, arg);
	case TCFLSH:
	case TCXONC:
		/*
		 * Flushing is how a daemon detaches without waiting for a
		 * device that does not read (TIOCSETD first waits until the
		 * UART has sent everything).
		 */
		return n_tty_ioctl_helper(tty, cmd, arg);
	default:
		return -ENOIOCTLCMD;
	}
}

#ifdef CONFIG_COMPAT
static int pb_ldisc_compat_ioctl(struct tty_struct *tty, unsigned int cmd,
				 unsigned long arg)
{
	return pb_ldisc_ioctl(tty, cmd, (unsigned long)compat_ptr(arg));
}
#endif

/*
 * Process context (the tty's flush work).  Returning fewer bytes than
 * offered leaves the rest in the flip buffer; the port throttles the UART
 * and restarts the flush when its clients have room again.
 */
static int pb_ldisc_receive_buf2(struct tty_struct *tty,
				 const unsigned char *cp, const char *fp,
				 int count)
{
	struct pb_port *port = pb_ldisc_port(tty);

	/* Not attached yet: there is nobody to give the bytes to. */
	if (!port)
		return count;
	return pb_port_serial_rx(port, cp, fp, count);
}

/* May run in interrupt context: only queue work. */
static void pb_ldisc_write_wakeup(struct tty_struct *tty)
{
	struct pb_port *port = pb_ldisc_port(tty);

	clear_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	if (port)
		pb_port_write_wakeup(port);
}

static struct tty_ldisc_ops pb_ldisc_ops = {
	.owner		= THIS_MODULE,
	.num		= PORTBRIDGE_LDISC,
	.name		= "portbridge",
	.open		= pb_ldisc_open,
	.close		= pb_ldisc_close,
	.ioctl		= pb_ldisc_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl	= pb_ldisc_compat_ioctl,
#endif
	.receive_buf2	= pb_ldisc_receive_buf2,
	.write_wakeup	= pb_ldisc_write_wakeup,
};

int pb_ldisc_register(void)
{
	return tty_register_ldisc(&pb_ldisc_ops);
}

void pb_ldisc_unregister(void)
{
	tty_unregister_ldisc(&pb_ldisc_ops);
}
