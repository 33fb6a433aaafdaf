/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serial -> network: UART input to the port's mode.
 */
#ifndef _PB_SERIAL_RX_H
#define _PB_SERIAL_RX_H

#include <linux/types.h>

struct pb_port;
struct work_struct;

int pb_port_serial_rx(struct pb_port *port, const u8 *cp, const char *fp,
		      int count);
unsigned int pb_rx_room(struct pb_port *port);
void pb_rx_error_work(struct work_struct *work);

#endif /* _PB_SERIAL_RX_H */
