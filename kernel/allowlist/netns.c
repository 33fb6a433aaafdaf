// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace state: every network namespace has its own table, switch,
 * counters and event rate limit, set up when the namespace (or the module)
 * comes and torn down when it goes.
 *
 * The hooks are registered only while a namespace's list is on, so a
 * namespace with the list off pays nothing per packet.  Teardown unhooks
 * in .pre_exit; the core then waits for a grace period before .exit, so
 * no packet is inside a hook when .exit frees the table.
 */

#include <linux/netlink.h>

#include "hooks.h"
#include "netns.h"

unsigned int pba_net_id __read_mostly;

static struct pba_table *pba_net_table(struct pba_net *pn)
{
	return rcu_dereference_protected(pn->table,
					 lockdep_is_held(&pn->lock));
}

static int pba_check_guard(const struct pba_table *t,
			   const struct pba_guard *guard,
			   struct netlink_ext_ack *extack)
{
	if (!guard || pba_table_admits(t, guard->key, &guard->src))
		return 0;
	NL_SET_ERR_MSG(extack, "refused: the change would lock out the guarded address");
	return -EACCES;
}

int pba_net_set_enabled(struct net *net, bool on,
			const struct pba_guard *guard,
			struct netlink_ext_ack *extack)
{
	struct pba_net *pn = pba_net(net);
	int err = 0;

	mutex_lock(&pn->lock);
	if (on == pn->enabled)
		goto out;
	if (on) {
		err = pba_check_guard(pba_net_table(pn), guard, extack);
		if (err)
			goto out;
		err = pba_hooks_register(net);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot register the netfilter hooks");
			goto out;
		}
	} else {
		pba_hooks_unregister(net);
	}
	WRITE_ONCE(pn->enabled, on);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int pba_net_update(struct net *net, const struct pba_update *up,
		   const struct pba_guard *guard,
		   struct netlink_ext_ack *extack)
{
	struct pba_net *pn = pba_net(net);
	struct pba_table *old, *new;
	int err = 0;

	mutex_lock(&pn->lock);
	old = pba_net_table(pn);
	new = pba_table_build(old, up, extack);
	if (IS_ERR(new)) {
		err = PTR_ERR(new);
		goto out;
	}
	if (pn->enabled) {
		err = pba_check_guard(new, guard, extack);
		if (err) {
			pba_table_free(new);
			goto out;
		}
	}
	rcu_assign_pointer(pn->table, new);
	pba_table_free_rcu(old);
out:
	mutex_unlock(&pn->lock);
	return err;
}

static int __net_init pba_net_init(struct net *net)
{
	struct pba_net *pn = pba_net(net);
	struct pba_table *t;

	pn->drops = pba_counter_new();
	if (!pn->drops)
		return -ENOMEM;
	t = pba_table_empty();
	if (!t) {
		pba_counter_put(pn->drops);
		return -ENOMEM;
	}
	RCU_INIT_POINTER(pn->table, t);
	mutex_init(&pn->lock);
	pn->enabled = false;
	pba_events_init(&pn->events);
	return 0;
}

static void __net_exit pba_net_pre_exit(struct net *net)
{
	struct pba_net *pn = pba_net(net);

	mutex_lock(&pn->lock);
	if (pn->enabled)
		pba_hooks_unregister(net);
	WRITE_ONCE(pn->enabled, false);
	mutex_unlock(&pn->lock);
}

/*
 * No reader is left: the hooks are gone since a grace period, a dying
 * namespace has no sockets to send requests on, and at module exit the
 * netlink family and sysfs went first.
 */
static void __net_exit pba_net_exit(struct net *net)
{
	struct pba_net *pn = pba_net(net);

	pba_table_free(rcu_dereference_protected(pn->table, true));
	pba_counter_put(pn->drops);
	mutex_destroy(&pn->lock);
}

static struct pernet_operations pba_net_ops = {
	.init		= pba_net_init,
	.pre_exit	= pba_net_pre_exit,
	.exit		= pba_net_exit,
	.id		= &pba_net_id,
	.size		= sizeof(struct pba_net),
};

int __init pba_netns_init(void)
{
	return register_pernet_subsys(&pba_net_ops);
}

void pba_netns_exit(void)
{
	unregister_pernet_subsys(&pba_net_ops);
}
