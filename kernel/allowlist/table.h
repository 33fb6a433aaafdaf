/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PBA_TABLE_H
#define PBA_TABLE_H

#include <linux/rcupdate.h>
#include <linux/types.h>

#include "counter.h"
#include "rule.h"

struct netlink_ext_ack;

/*
 * A (protocol, port) pair as one number, so the table can keep them
 * sorted.  Key 0 (protocol 0, port 0) is never a real port; it names the
 * global list.
 */
#define PBA_KEY_GLOBAL	0

static inline u32 pba_key(u8 proto, u16 port)
{
	return (u32)proto << 16 | port;
}

static inline u8 pba_key_proto(u32 key)
{
	return key >> 16;
}

static inline u16 pba_key_port(u32 key)
{
	return key & 0xffff;
}

struct pba_entry {
	struct pba_rule rule;
	struct pba_counter *hits;
};

/* A (protocol, port) pair that is protected, has a list, or both. */
struct pba_item {
	u32 key;
	bool protected;
	u16 first;		/* its list: table->entry[first .. first+count) */
	u16 count;
	struct pba_counter *drops;
};

/*
 * Everything a packet needs, in one allocation.  A published table is
 * never changed: an update builds a new one and swaps the pointer, so a
 * packet sees either the old or the new configuration, never a mix.
 */
struct pba_table {
	struct rcu_head rcu;
	struct pba_item *item;		/* nitems, sorted by key */
	unsigned int nitems;
	unsigned int nglobal;		/* entry[0 .. nglobal): the global list */
	unsigned int nentries;
	struct pba_entry entry[];
};

/* One change; whatever it does not name is carried over. */
struct pba_update {
	bool set_list;			/* replace the list of @key */
	u32 key;			/* PBA_KEY_GLOBAL or a port's key */
	const struct pba_rule *rules;
	unsigned int nrules;
	bool set_protected;		/* replace the protected set */
	const u32 *protected;		/* keys, sorted, no duplicates */
	unsigned int nprotected;
};

struct pba_table *pba_table_empty(void);
struct pba_table *pba_table_build(const struct pba_table *old,
				  const struct pba_update *up,
				  struct netlink_ext_ack *extack);
void pba_table_free(struct pba_table *t);
void pba_table_free_rcu(struct pba_table *t);

const struct pba_item *pba_table_find(const struct pba_table *t, u32 key);
const struct pba_item *pba_table_find_from(const struct pba_table *t,
					   u32 key);

/* The item of @key if that port is protected, else NULL. */
static inline const struct pba_item *
pba_table_protects(const struct pba_table *t, u32 key)
{
	const struct pba_item *item = pba_table_find(t, key);

	return item && item->protected ? item : NULL;
}

const struct pba_entry *pba_table_match(const struct pba_table *t,
					const struct pba_item *item,
					const struct pba_src *src);

/* Would a packet from @src to @key pass?  (The lockout guard.) */
bool pba_table_admits(const struct pba_table *t, u32 key,
		      const struct pba_src *src);

#endif /* PBA_TABLE_H */
