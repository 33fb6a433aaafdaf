// SPDX-License-Identifier: GPL-2.0
/*
 * Module init and exit of portbridge_allow, the accessible IP list.
 *
 * Init goes from the inside out: per-namespace state (every list off, no
 * hooks), the netlink family that configures it, sysfs that shows it.
 * Exit goes the other way round, each step cutting off one kind of
 * user before what it uses goes away: sysfs readers, then netlink
 * requests and events, then the hooks of every namespace (with a grace
 * period before the tables are freed), then the tables that earlier
 * updates left to RCU.
 */

#include <linux/genetlink.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/portbridge_allow.h>

#include "netlink.h"
#include "netns.h"
#include "sysfs.h"

static int __init pba_init(void)
{
	int err;

	err = pba_netns_init();
	if (err)
		return err;
	err = pba_netlink_init();
	if (err)
		goto err_netns;
	err = pba_sysfs_init();
	if (err)
		goto err_netlink;

	pr_info("portbridge_allow: accessible IP list ready (off)\n");
	return 0;

err_netlink:
	pba_netlink_exit();
err_netns:
	pba_netns_exit();
	rcu_barrier();
	return err;
}

static void __exit pba_exit(void)
{
	pba_sysfs_exit();
	pba_netlink_exit();
	pba_netns_exit();
	/* Tables replaced by updates are freed by RCU callbacks in here. */
	rcu_barrier();
}

module_init(pba_init);
module_exit(pba_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("portbridge: accessible IP list (netfilter LOCAL_IN)");
MODULE_ALIAS_GENL_FAMILY(PBA_GENL_NAME);
