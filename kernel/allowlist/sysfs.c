// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/portbridge_allow/: the initial namespace's list, read-only.
 *
 *   enabled, drops, events_sent, events_suppressed   one number each
 *   entries                  the global list, one entry per line
 *   ports/<tcp|udp>_<port>/  one directory per port that is protected or
 *                            has a list: protected, drops, entries
 *
 * An entry line is "<row> <address>/<netmask or prefix> on|off <hits>".
 *
 * Readers take no lock: they read the current table under RCU.  The port
 * directories follow the table after every change (pba_sysfs_sync(),
 * serialized by pba_sysfs_lock, which readers never take, so removing a
 * directory can wait for its readers).
 */

#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/portbridge_allow.h>

#include "netns.h"
#include "sysfs.h"

struct pba_port_dir {
	struct kobject kobj;
	struct list_head node;
	u32 key;
};

static struct kobject *pba_sysfs_root;
static struct kobject *pba_sysfs_ports;
static LIST_HEAD(pba_port_dirs);
static DEFINE_MUTEX(pba_sysfs_lock);

static struct pba_net *pba_sysfs_net(void)
{
	return pba_net(&init_net);
}

static ssize_t pba_show_entries(char *buf, const struct pba_entry *e,
				unsigned int n)
{
	const struct pba_rule *r;
	unsigned int i;
	int len = 0;

	for (i = 0; i < n; i++) {
		r = &e[i].rule;
		if (r->family == PBA_V4)
			len += sysfs_emit_at(buf, len, "%u %pI4/%pI4", i + 1,
					     &r->addr[0], &r->mask[0]);
		else
			len += sysfs_emit_at(buf, len, "%u %pI6c/%u", i + 1,
					     r->addr, r->prefix);
		len += sysfs_emit_at(buf, len, " %s %llu\n",
				     r->enabled ? "on" : "off",
				     pba_counter_read(e[i].hits));
	}
	return len;
}

/* ---- The namespace --------------------------------------------------- */

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(pba_sysfs_net()->enabled));
}

static ssize_t drops_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  pba_counter_read(pba_sysfs_net()->drops));
}

static ssize_t events_sent_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	u64 sent, suppressed;

	pba_events_read(&pba_sysfs_net()->events, &sent, &suppressed);
	return sysfs_emit(buf, "%llu\n", sent);
}

static ssize_t events_suppressed_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	u64 sent, suppressed;

	pba_events_read(&pba_sysfs_net()->events, &sent, &suppressed);
	return sysfs_emit(buf, "%llu\n", suppressed);
}

static ssize_t entries_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	const struct pba_table *t;
	ssize_t len;

	rcu_read_lock();
	t = rcu_dereference(pba_sysfs_net()->table);
	len = pba_show_entries(buf, t->entry, t->nglobal);
	rcu_read_unlock();
	return len;
}

static struct kobj_attribute enabled_attr = __ATTR_RO(enabled);
static struct kobj_attribute drops_attr = __ATTR_RO(drops);
static struct kobj_attribute events_sent_attr = __ATTR_RO(events_sent);
static struct kobj_attribute events_suppressed_attr =
	__ATTR_RO(events_suppressed);
static struct kobj_attribute entries_attr = __ATTR_RO(entries);

static struct attribute *pba_root_attrs[] = {
	&enabled_attr.attr,
	&drops_attr.attr,
	&events_sent_attr.attr,
	&events_suppressed_attr.attr,
	&entries_attr.attr,
	NULL,
};

static const struct attribute_group pba_root_group = {
	.attrs = pba_root_attrs,
};

/* ---- One port -------------------------------------------------------- */

static u32 pba_dir_key(struct kobject *kobj)
{
	return container_of(kobj, struct pba_port_dir, kobj)->key;
}

/* What one file of a port directory shows; the port may just have left. */
enum pba_port_file { PBA_FILE_PROTECTED, PBA_FILE_DROPS, PBA_FILE_ENTRIES };

static ssize_t pba_port_show(struct kobject *kobj, char *buf,
			     enum pba_port_file file)
{
	const struct pba_item *item;
	const struct pba_table *t;
	ssize_t len = -ENOENT;

	rcu_read_lock();
	t = rcu_dereference(pba_sysfs_net()->table);
	item = pba_table_find(t, pba_dir_key(kobj));
	if (!item)
		goto out;
	switch (file) {
	case PBA_FILE_PROTECTED:
		len = sysfs_emit(buf, "%d\n", item->protected);
		break;
	case PBA_FILE_DROPS:
		len = sysfs_emit(buf, "%llu\n", pba_counter_read(item->drops));
		break;
	case PBA_FILE_ENTRIES:
		len = pba_show_entries(buf, &t->entry[item->first],
				       item->count);
		break;
	}
out:
	rcu_read_unlock();
	return len;
}

static ssize_t port_protected_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return pba_port_show(kobj, buf, PBA_FILE_PROTECTED);
}

static ssize_t port_drops_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return pba_port_show(kobj, buf, PBA_FILE_DROPS);
}

static ssize_t port_entries_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return pba_port_show(kobj, buf, PBA_FILE_ENTRIES);
}

static struct kobj_attribute port_protected_attr =
	__ATTR(protected, 0444, port_protected_show, NULL);
static struct kobj_attribute port_drops_attr =
	__ATTR(drops, 0444, port_drops_show, NULL);
static struct kobj_attribute port_entries_attr =
	__ATTR(entries, 0444, port_entries_show, NULL);

static struct attribute *pba_port_attrs[] = {
	&port_protected_attr.attr,
	&port_drops_attr.attr,
	&port_entries_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pba_port);

static void pba_port_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct pba_port_dir, kobj));
}

static const struct kobj_type pba_port_ktype = {
	.release	= pba_port_dir_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= pba_port_groups,
};

/* ---- Following the table --------------------------------------------- */

static void pba_dir_add(u32 key)
{
	struct pba_port_dir *dir;
	u8 proto = pba_key_proto(key);
	int err;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return;
	dir->key = key;
	err = kobject_init_and_add(&dir->kobj, &pba_port_ktype,
				   pba_sysfs_ports, "%s_%u",
				   proto == IPPROTO_TCP ? "tcp" : "udp",
				   pba_key_port(key));
	if (err) {
		/* The port is still in netlink's dump; only sysfs lacks it. */
		pr_notice("portbridge_allow: no sysfs directory for port %u: %d\n", pba_key_port(key), err);
		kobject_put(&dir->kobj);
		return;
	}
	list_add_tail(&dir->node, &pba_port_dirs);
}

static bool pba_dir_exists(u32 key)
{
	struct pba_port_dir *dir;

	list_for_each_entry(dir, &pba_port_dirs, node)
		if (dir->key == key)
			return true;
	return false;
}

static unsigned int pba_current_keys(u32 *keys)
{
	const struct pba_table *t;
	unsigned int i, n;

	rcu_read_lock();
	t = rcu_dereference(pba_sysfs_net()->table);
	n = min_t(unsigned int, t->nitems, PBA_MAX_PORTS);
	for (i = 0; i < n; i++)
		keys[i] = t->item[i].key;
	rcu_read_unlock();
	return n;
}

static bool pba_keys_have(const u32 *keys, unsigned int n, u32 key)
{
	while (n--)
		if (keys[n] == key)
			return true;
	return false;
}

/* Make ports/ match the initial namespace's current table. */
void pba_sysfs_sync(void)
{
	struct pba_port_dir *dir, *tmp;
	u32 keys[PBA_MAX_PORTS];
	unsigned int i, n;

	mutex_lock(&pba_sysfs_lock);
	if (!pba_sysfs_ports)
		goto out;
	n = pba_current_keys(keys);
	list_for_each_entry_safe(dir, tmp, &pba_port_dirs, node) {
		if (pba_keys_have(keys, n, dir->key))
			continue;
		list_del(&dir->node);
		kobject_put(&dir->kobj);
	}
	for (i = 0; i < n; i++)
		if (!pba_dir_exists(keys[i]))
			pba_dir_add(keys[i]);
out:
	mutex_unlock(&pba_sysfs_lock);
}

int __init pba_sysfs_init(void)
{
	int err;

	pba_sysfs_root = kobject_create_and_add("portbridge_allow",
						kernel_kobj);
	if (!pba_sysfs_root)
		return -ENOMEM;
	err = sysfs_create_group(pba_sysfs_root, &pba_root_group);
	if (err)
		goto err_root;
	pba_sysfs_ports = kobject_create_and_add("ports", pba_sysfs_root);
	if (!pba_sysfs_ports) {
		err = -ENOMEM;
		goto err_group;
	}
	pba_sysfs_sync();
	return 0;

err_group:
	sysfs_remove_group(pba_sysfs_root, &pba_root_group);
err_root:
	kobject_put(pba_sysfs_root);
	return err;
}

void pba_sysfs_exit(void)
{
	struct pba_port_dir *dir, *tmp;

	mutex_lock(&pba_sysfs_lock);
	list_for_each_entry_safe(dir, tmp, &pba_port_dirs, node) {
		list_del(&dir->node);
		kobject_put(&dir->kobj);
	}
	kobject_put(pba_sysfs_ports);
	pba_sysfs_ports = NULL;
	mutex_unlock(&pba_sysfs_lock);
	sysfs_remove_group(pba_sysfs_root, &pba_root_group);
	kobject_put(pba_sysfs_root);
}
