/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The board's serial port map, read from its device tree blob, and the
 * lookup of the tty of each port.
 *
 *	port-map {
 *		compatible = "portbridge,port-map";
 *		#address-cells = <1>;
 *		#size-cells = <0>;
 *		portbridge,num-ports = <4>;		(optional cross-check)
 *		port@1 {
 *			reg = <1>;
 *			portbridge,tty = "ttyS4";	(either a tty name)
 *			uart = <&uart2>;		(or the UART node)
 *			portbridge,interfaces = "rs232", "rs485-2w";
 *			label = "P1";			(optional)
 *		};
 *	};
 *
 * Ports are numbered 1..N without gaps.
 */
#ifndef PB_PORTMAP_H
#define PB_PORTMAP_H

#include <stddef.h>
#include <linux/portbridge.h>

#define PORTMAP_NAME_MAX	64
#define PORTMAP_PATH_MAX	256
#define PORTMAP_TTY_MAX		32
#define PORTMAP_COMPATIBLE	"portbridge,port-map"

enum portmap_iface {
	PORTMAP_IF_RS232	= 1 << 0,
	PORTMAP_IF_RS422	= 1 << 1,
	PORTMAP_IF_RS485_2W	= 1 << 2,
	PORTMAP_IF_RS485_4W	= 1 << 3,
};

struct portmap_port {
	char tty[PORTMAP_TTY_MAX];	/* "" if given by uart phandle */
	char uart_path[PORTMAP_PATH_MAX];	/* DT path of the UART node */
	char label[PORTMAP_NAME_MAX];
	unsigned int interfaces;	/* enum portmap_iface bits */
};

struct portmap {
	char model[PORTMAP_NAME_MAX];
	unsigned int nports;
	struct portmap_port port[PB_MAX_PORTS];	/* port N is port[N - 1] */
};

/*
 * Read the port map from a blob of @len bytes (checked in full first, so
 * any bytes are safe).  0, or -1 with a message in @err.
 */
int portmap_parse(const void *blob, size_t len, struct portmap *map,
		  char *err, size_t errsize);

/*
 * The tty of port @p: its portbridge,tty, or the tty whose
 * <sysfs>/class/tty/<tty>/device/of_node links to the UART node.  @sysfs
 * is "/sys" on the target, a fake tree in tests.  0, or -1 and @err.
 */
int portmap_resolve_tty(const char *sysfs, const struct portmap_port *p,
			char *tty, size_t ttysize, char *err, size_t errsize);

/* "rs232,rs485-2w" */
void portmap_format_interfaces(unsigned int interfaces, char *buf,
			       size_t size);

/* A tty name we are willing to put after "/dev/": [A-Za-z0-9_.-]+. */
int portmap_tty_name_ok(const char *name);

#endif /* PB_PORTMAP_H */
