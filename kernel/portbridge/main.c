// SPDX-License-Identifier: GPL-2.0
/*
 * Module init and exit of portbridge, the serial-to-network bridge.
 *
 * Everything the module registers is set up in dependency order: the
 * workqueue every port uses, the sysfs root the ports hang below, the
 * netlink family the ports report to, and last the line discipline,
 * because attaching a tty is what creates ports.  Exit unwinds in
 * reverse.  Attached ttys hold a module reference (ldisc ops owner), so
 * exit only runs when no port exists any more.
 */

#include <linux/genetlink.h>
#include <linux/module.h>
#include <linux/tty.h>
#include <linux/tty_ldisc.h>
#include <linux/workqueue.h>

#include "ldisc.h"
#include "netlink.h"
#include "port.h"
#include "sysfs.h"

/*
 * One queue for all data path work.  WQ_HIGHPRI because serial latency
 * is what the bridge is judged by; WQ_MEM_RECLAIM so the network side
 * keeps draining when memory is tight.
 */
struct workqueue_struct *pb_wq;

static int __init pb_init(void)
{
	int err;

	pb_wq = alloc_workqueue("portbridge", WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!pb_wq)
		return -ENOMEM;

	err = pb_sysfs_init();
	if (err)
		goto err_wq;
	err = pb_netlink_init();
	if (err)
		goto err_sysfs;
	err = pb_ldisc_register();
	if (err)
		goto err_netlink;

	pr_info("portbridge: line discipline %d ready\n", PORTBRIDGE_LDISC);
	return 0;

err_netlink:
	pb_netlink_exit();
err_sysfs:
	pb_sysfs_exit();
err_wq:
	destroy_workqueue(pb_wq);
	return err;
}

static void __exit pb_exit(void)
{
	pb_ldisc_unregister();
	pb_netlink_exit();
	pb_sysfs_exit();
	destroy_workqueue(pb_wq);
}

module_init(pb_init);
module_exit(pb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("portbridge: UART to TCP bridge line discipline");
MODULE_ALIAS_LDISC(PORTBRIDGE_LDISC);
MODULE_ALIAS_GENL_FAMILY(PORTBRIDGE_GENL_NAME);
