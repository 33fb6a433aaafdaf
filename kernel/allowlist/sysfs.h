/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PBA_SYSFS_H
#define PBA_SYSFS_H

int pba_sysfs_init(void);
void pba_sysfs_exit(void);
void pba_sysfs_sync(void);

#endif /* PBA_SYSFS_H */
