// SPDX-License-Identifier: GPL-2.0
/*
 * Binding UARTs to bridge ports: open the tty, make it raw, switch it to
 * the portbridge line discipline, attach it to a port index and push the
 * port's settings.  The port lives as long as we keep the fd open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "pbconfd.h"
#include "pbmsg.h"

void ports_init(struct pbconfd *d)
{
	unsigned int i;

	for (i = 0; i < PB_MAX_PORTS; i++)
		d->ports[i].fd = -1;
}

int port_is_up(const struct pbconfd *d, unsigned int n)
{
	return d->ports[n - 1].fd >= 0;
}

static int make_raw(int fd, const char *dev, char *err, size_t errsize)
{
	struct termios t;

	if (tcgetattr(fd, &t)) {
		snprintf(err, errsize, "%s is not a terminal: %s", dev,
			 strerror(errno));
		return -1;
	}
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	if (tcsetattr(fd, TCSANOW, &t)) {
		snprintf(err, errsize, "cannot set %s raw: %s", dev,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int set_ldisc(int fd, const char *dev, unsigned int n, char *err,
		     size_t errsize)
{
	int ldisc = PORTBRIDGE_LDISC;
	__u32 index = n;

	if (ioctl(fd, TIOCSETD, &ldisc)) {
		snprintf(err, errsize,
			 "cannot set line discipline %d on %s: %s%s", ldisc,
			 dev, strerror(errno),
			 errno == EINVAL ? " (is portbridge.ko loaded?)" : "");
		return -1;
	}
	if (ioctl(fd, PBIOC_ATTACH, &index)) {
		snprintf(err, errsize, "cannot attach %s to port %u: %s", dev,
			 n, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Open the port's tty and attach it; the caller pushes the settings.
 * -EAGAIN if the tty is not there (yet): nothing was touched.
 */
static int port_attach(struct pbconfd *d, unsigned int n, char *err,
		       size_t errsize)
{
	struct port *p = &d->ports[n - 1];
	char tty[PORTMAP_TTY_MAX];
	char dev[PORTMAP_TTY_MAX + 8];
	int fd;

	if (p->fd >= 0)
		return 0;
	if (portmap_resolve_tty(d->sysfs, &d->map.port[n - 1], tty,
				sizeof(tty), err, errsize))
		return -EAGAIN;
	snprintf(dev, sizeof(dev), "/dev/%s", tty);
	/* O_NONBLOCK: do not wait for carrier; we never read this fd. */
	fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsize, "cannot open %s: %s", dev,
			 strerror(errno));
		return -EAGAIN;
	}
	if (make_raw(fd, dev, err, errsize) ||
	    set_ldisc(fd, dev, n, err, errsize)) {
		close(fd);
		return -EIO;
	}
	p->fd = fd;
	snprintf(p->tty, sizeof(p->tty), "%s", tty);
	return 0;
}

/*
 * The settings as the kernel takes them: host names resolved now (the
 * kernel only takes addresses), each resolution logged.
 */
static int resolve_port(unsigned int n, const struct pb_port_conf *pc,
			struct pb_port_conf *wire, char *err, size_t errsize)
{
	char addr[CONF_VALUE_MAX];
	unsigned int i;

	*wire = *pc;
	if (resolve_dests(wire, RESOLVE_TIMEOUT_MS, resolve_getaddrinfo, err,
			  errsize))
		return -1;
	for (i = 0; i < PB_MAX_DESTS; i++) {
		if (pc->dest[i].kind != CONF_DEST_HOST)
			continue;
		conf_dest_format(&wire->dest[i], addr, sizeof(addr));
		log_info("port %u: dest%u %s is %s", n, i + 1,
			 pc->dest[i].host, addr);
	}
	return 0;
}

/* Send every setting the module accepts (d->kernel_attrs). */
static int push_wire(struct pbconfd *d, unsigned int n,
		     const struct pb_port_conf *wire, char *err,
		     size_t errsize)
{
	struct nl_msg m;
	struct nl_err nerr;

	pb_build_port_set(&m, d->family, n, wire, d->kernel_attrs);
	if (nl_request(&d->nl, &m, NULL, NULL, &nerr)) {
		snprintf(err, errsize, "kernel refused the settings: %s",
			 nerr.msg);
		return -1;
	}
	return 0;
}

int port_push(struct pbconfd *d, unsigned int n,
	      const struct pb_port_conf *pc, char *err, size_t errsize)
{
	struct pb_port_conf wire;

	if (resolve_port(n, pc, &wire, err, errsize))
		return -1;
	return push_wire(d, n, &wire, err, errsize);
}

/*
 * Names are resolved before the UART is touched: a name that does not
 * resolve (-EAGAIN, like a missing tty) leaves the line alone, so trying
 * again later glitches nothing.
 */
int port_up(struct pbconfd *d, unsigned int n, const struct pb_port_conf *pc,
	    char *err, size_t errsize)
{
	struct pb_port_conf wire;
	int rc;

	if (resolve_port(n, pc, &wire, err, errsize))
		return -EAGAIN;
	rc = port_attach(d, n, err, errsize);
	if (rc)
		return rc;
	if (push_wire(d, n, &wire, err, errsize)) {
		port_down(d, n);
		return -EINVAL;
	}
	return 0;
}

/*
 * Stop the bridge's traffic before leaving the line discipline: TIOCSETD
 * first waits, without a time limit, until the UART has sent what is
 * queued, and a device that does not read (or holds CTS off) would keep
 * us there forever.  Disabling the port closes its connections, so the
 * kernel stops writing; what is still queued belongs to connections that
 * are gone and is flushed.
 */
static void port_quiesce(struct pbconfd *d, unsigned int n)
{
	struct nl_msg m;
	struct nl_err nerr;

	nl_msg_init(&m, d->family, NLM_F_REQUEST | NLM_F_ACK, PB_CMD_PORT_SET,
		    PORTBRIDGE_GENL_VERSION);
	nl_put_u32(&m, PB_A_PORT_INDEX, n);
	nl_put_u8(&m, PB_A_MODE, PB_MODE_DISABLED);
	if (nl_request(&d->nl, &m, NULL, NULL, &nerr))
		log_warn("port %u: cannot disable before detaching: %s", n,
			 nerr.msg);
	tcflush(d->ports[n - 1].fd, TCIOFLUSH);
}

/*
 * Leaving the line discipline detaches the port in the kernel.  Closing
 * the last fd would do it too, but another process may hold the tty open.
 */
void port_down(struct pbconfd *d, unsigned int n)
{
	struct port *p = &d->ports[n - 1];
	int ldisc = N_TTY;

	if (p->fd < 0)
		return;
	port_quiesce(d, n);
	ioctl(p->fd, TIOCSETD, &ldisc);
	close(p->fd);
	p->fd = -1;
}

void ports_down(struct pbconfd *d)
{
	unsigned int n;

	for (n = 1; n <= PB_MAX_PORTS; n++)
		port_down(d, n);
}
