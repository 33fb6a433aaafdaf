// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/portbridge/portN/: read-only counters of a port.
 *
 * The port's memory belongs to its kobject: kobject_del() (at detach)
 * waits until no reader is inside a show function, and the release
 * callback frees the port once the last reference is put, so a reader
 * never touches freed memory.  Counters are atomics read without locks;
 * only "mode" takes pb_config_lock, which detach drops before removing
 * the kobject.
 */

#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "port.h"
#include "sysfs.h"

static struct kobject *pb_sysfs_root;

static struct pb_port *pb_kobj_port(struct kobject *kobj)
{
	return container_of(kobj, struct pb_port, kobj);
}

static ssize_t tty_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%s\n", pb_kobj_port(kobj)->tty_name);
}

/* The names pbctl and the configuration file use. */
static const char *const pb_mode_names[__PB_MODE_MAX] = {
	[PB_MODE_DISABLED]	= "disabled",
	[PB_MODE_TCP_SERVER]	= "tcp-server",
	[PB_MODE_TCP_CLIENT]	= "tcp-client",
	[PB_MODE_UDP]		= "udp",
	[PB_MODE_RFC2217]	= "rfc2217",
	[PB_MODE_REALCOM]	= "real-com",
};

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct pb_port *port = pb_kobj_port(kobj);
	const char *name = "unknown";

	mutex_lock(&pb_config_lock);
	if (port->cfg.mode < __PB_MODE_MAX)
		name = pb_mode_names[port->cfg.mode];
	mutex_unlock(&pb_config_lock);
	return sysfs_emit(buf, "%s\n", name);
}

static ssize_t active_conns_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(pb_kobj_port(kobj)->active));
}

/* One show function per counter, named like the file. */
#define PB_COUNTER_ATTR(name)						\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	struct pb_port *port = pb_kobj_port(kobj);			\
									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&port->stats.name));		\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

PB_COUNTER_ATTR(rx_bytes);
PB_COUNTER_ATTR(tx_bytes);
PB_COUNTER_ATTR(connections);
PB_COUNTER_ATTR(refused);
PB_COUNTER_ATTR(parity_errors);
PB_COUNTER_ATTR(frame_errors);
PB_COUNTER_ATTR(overruns);
PB_COUNTER_ATTR(breaks);
PB_COUNTER_ATTR(net_errors);
PB_COUNTER_ATTR(jammed_skips);
PB_COUNTER_ATTR(jammed_drops);
PB_COUNTER_ATTR(proto_errors);
PB_COUNTER_ATTR(datagrams);

static struct kobj_attribute tty_attr = __ATTR_RO(tty);
static struct kobj_attribute mode_attr = __ATTR_RO(mode);
static struct kobj_attribute active_conns_attr = __ATTR_RO(active_conns);

static struct attribute *pb_port_attrs[] = {
	&tty_attr.attr,
	&mode_attr.attr,
	&rx_bytes_attr.attr,
	&tx_bytes_attr.attr,
	&connections_attr.attr,
	&refused_attr.attr,
	&active_conns_attr.attr,
	&parity_errors_attr.attr,
	&frame_errors_attr.attr,
	&overruns_attr.attr,
	&breaks_attr.attr,
	&net_errors_attr.attr,
	&jammed_skips_attr.attr,
	&jammed_drops_attr.attr,
	&proto_errors_attr.attr,
	&datagrams_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pb_port);

static void pb_port_kobj_release(struct kobject *kobj)
{
	pb_port_free(pb_kobj_port(kobj));
}

static const struct kobj_type pb_port_ktype = {
	.release	= pb_port_kobj_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= pb_port_groups,
};

void pb_sysfs_init_port(struct pb_port *port)
{
	kobject_init(&port->kobj, &pb_port_ktype);
}

int pb_sysfs_add_port(struct pb_port *port)
{
	return kobject_add(&port->kobj, pb_sysfs_root, "port%u", port->index);
}

void pb_sysfs_del_port(struct pb_port *port)
{
	kobject_del(&port->kobj);
}

/* The last put frees the port. */
void pb_sysfs_put_port(struct pb_port *port)
{
	kobject_put(&port->kobj);
}

int __init pb_sysfs_init(void)
{
	pb_sysfs_root = kobject_create_and_add("portbridge", kernel_kobj);
	return pb_sysfs_root ? 0 : -ENOMEM;
}

void pb_sysfs_exit(void)
{
	kobject_put(pb_sysfs_root);
}
