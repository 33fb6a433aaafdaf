/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read-only counters under /sys/kernel/portbridge/portN/.
 */
#ifndef _PB_SYSFS_H
#define _PB_SYSFS_H

struct pb_port;

int pb_sysfs_init(void);
void pb_sysfs_exit(void);

void pb_sysfs_init_port(struct pb_port *port);
int pb_sysfs_add_port(struct pb_port *port);
void pb_sysfs_del_port(struct pb_port *port);
void pb_sysfs_put_port(struct pb_port *port);

#endif /* _PB_SYSFS_H */
