// SPDX-License-Identifier: GPL-2.0
/*
 * The table a packet is checked against, and how an update builds the
 * next one.
 *
 * Building never touches the old table, so it can fail half-way (no
 * memory, too many ports) without effect.  Counters carry over by
 * identity: a port keeps its drop counter as long as it stays in the
 * table, an entry keeps its hit counter as long as its list keeps an entry
 * with the same address and mask (enabling or disabling it does not
 * count as a change).
 */

#include <linux/netlink.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stringify.h>
#include <linux/portbridge_allow.h>

#include "table.h"

/* The first item with a key >= @key (a dump's cursor), or NULL. */
const struct pba_item *pba_table_find_from(const struct pba_table *t,
					   u32 key)
{
	unsigned int lo = 0, hi = t->nitems, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->item[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nitems ? &t->item[lo] : NULL;
}

const struct pba_item *pba_table_find(const struct pba_table *t, u32 key)
{
	const struct pba_item *item = pba_table_find_from(t, key);

	return item && item->key == key ? item : NULL;
}

static const struct pba_entry *pba_list_match(const struct pba_entry *e,
					      unsigned int n,
					      const struct pba_src *src)
{
	for (; n; n--, e++)
		if (pba_rule_admits(&e->rule, src))
			return e;
	return NULL;
}

/* The entry that lets @src in to @item's port: global list first. */
const struct pba_entry *pba_table_match(const struct pba_table *t,
					const struct pba_item *item,
					const struct pba_src *src)
{
	const struct pba_entry *e = pba_list_match(t->entry, t->nglobal, src);

	return e ?: pba_list_match(&t->entry[item->first], item->count, src);
}

bool pba_table_admits(const struct pba_table *t, u32 key,
		      const struct pba_src *src)
{
	const struct pba_item *item = pba_table_protects(t, key);

	return !item || pba_table_match(t, item, src);
}

static struct pba_table *pba_table_alloc(unsigned int nitems,
					 unsigned int nentries)
{
	struct pba_table *t;
	size_t size;

	size = size_add(struct_size(t, entry, nentries),
			array_size(nitems, sizeof(struct pba_item)));
	t = kvzalloc(size, GFP_KERNEL);
	if (!t)
		return NULL;
	t->item = (struct pba_item *)&t->entry[nentries];
	t->nitems = nitems;
	t->nentries = nentries;
	return t;
}

struct pba_table *pba_table_empty(void)
{
	return pba_table_alloc(0, 0);
}

/* Also frees a table that was only partly filled (counters are NULL). */
void pba_table_free(struct pba_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nentries; i++)
		pba_counter_put(t->entry[i].hits);
	for (i = 0; i < t->nitems; i++)
		pba_counter_put(t->item[i].drops);
	kvfree(t);
}

static void pba_table_free_cb(struct rcu_head *rcu)
{
	pba_table_free(container_of(rcu, struct pba_table, rcu));
}

/* After every packet that may still walk @t is done with it. */
void pba_table_free_rcu(struct pba_table *t)
{
	call_rcu(&t->rcu, pba_table_free_cb);
}

/* Where the new list of one key comes from. */
struct pba_source {
	const struct pba_rule *rules;	/* the update's, or NULL: keep old */
	const struct pba_entry *old;	/* the key's list in the old table */
	unsigned int nold;
	unsigned int n;			/* entries in the new list */
};

static void pba_source_of(const struct pba_table *old,
			  const struct pba_update *up, u32 key,
			  struct pba_source *src)
{
	const struct pba_item *item = NULL;

	src->old = NULL;
	src->nold = 0;
	if (key == PBA_KEY_GLOBAL) {
		src->old = old->entry;
		src->nold = old->nglobal;
	} else {
		item = pba_table_find(old, key);
		if (item) {
			src->old = &old->entry[item->first];
			src->nold = item->count;
		}
	}
	if (up->set_list && up->key == key) {
		src->rules = up->rules;
		src->n = up->nrules;
	} else {
		src->rules = NULL;
		src->n = src->nold;
	}
}

static bool pba_keys_contain(const u32 *keys, unsigned int n, u32 key)
{
	unsigned int lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (keys[mid] == key)
			return true;
		if (keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool pba_key_protected(const struct pba_table *old,
			      const struct pba_update *up, u32 key)
{
	const struct pba_item *item;

	if (up->set_protected)
		return pba_keys_contain(up->protected, up->nprotected, key);
	item = pba_table_find(old, key);
	return item && item->protected;
}

static int pba_cmp_key(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Every port key the new table may hold: sorted, without duplicates. */
static u32 *pba_candidate_keys(const struct pba_table *old,
			       const struct pba_update *up, unsigned int *n)
{
	unsigned int i, k = 0, out = 0;
	u32 *keys;

	keys = kmalloc_array(old->nitems + 1 +
			     (up->set_protected ? up->nprotected : 0),
			     sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return NULL;
	for (i = 0; i < old->nitems; i++)
		keys[k++] = old->item[i].key;
	if (up->set_list && up->key != PBA_KEY_GLOBAL)
		keys[k++] = up->key;
	for (i = 0; up->set_protected && i < up->nprotected; i++)
		keys[k++] = up->protected[i];
	sort(keys, k, sizeof(*keys), pba_cmp_key, NULL);
	for (i = 0; i < k; i++)
		if (!out || keys[out - 1] != keys[i])
			keys[out++] = keys[i];
	*n = out;
	return keys;
}

static const struct pba_entry *pba_find_same(const struct pba_entry *list,
					     unsigned int n,
					     const struct pba_rule *rule)
{
	for (; n; n--, list++)
		if (pba_rule_same(&list->rule, rule))
			return list;
	return NULL;
}

static int pba_fill_list(struct pba_entry *dst, const struct pba_source *src)
{
	const struct pba_entry *prev;
	unsigned int i;

	for (i = 0; i < src->n; i++) {
		if (src->rules) {
			dst[i].rule = src->rules[i];
			prev = pba_find_same(src->old, src->nold,
					     &src->rules[i]);
		} else {
			dst[i].rule = src->old[i].rule;
			prev = &src->old[i];
		}
		dst[i].hits = prev ? pba_counter_get(prev->hits) :
				     pba_counter_new();
		if (!dst[i].hits)
			return -ENOMEM;
	}
	return 0;
}

/* @keys: the new table's item keys, one per item. */
static int pba_table_fill(struct pba_table *t, const struct pba_table *old,
			  const struct pba_update *up, const u32 *keys)
{
	const struct pba_item *prev;
	struct pba_source src;
	struct pba_item *item;
	unsigned int i, next;
	int err;

	pba_source_of(old, up, PBA_KEY_GLOBAL, &src);
	err = pba_fill_list(t->entry, &src);
	if (err)
		return err;
	t->nglobal = next = src.n;

	for (i = 0; i < t->nitems; i++) {
		item = &t->item[i];
		prev = pba_table_find(old, keys[i]);
		pba_source_of(old, up, keys[i], &src);
		item->key = keys[i];
		item->protected = pba_key_protected(old, up, keys[i]);
		item->first = next;
		item->count = src.n;
		item->drops = prev ? pba_counter_get(prev->drops) :
				     pba_counter_new();
		if (!item->drops)
			return -ENOMEM;
		err = pba_fill_list(&t->entry[next], &src);
		if (err)
			return err;
		next += src.n;
	}
	return 0;
}

/* Keep the candidate keys that stay in the table; count their entries. */
static unsigned int pba_keep_keys(const struct pba_table *old,
				  const struct pba_update *up, u32 *keys,
				  unsigned int nkeys, unsigned int *nentries)
{
	struct pba_source src;
	unsigned int i, kept = 0;

	pba_source_of(old, up, PBA_KEY_GLOBAL, &src);
	*nentries = src.n;
	for (i = 0; i < nkeys; i++) {
		pba_source_of(old, up, keys[i], &src);
		if (!src.n && !pba_key_protected(old, up, keys[i]))
			continue;
		keys[kept++] = keys[i];
		*nentries += src.n;
	}
	return kept;
}

/*
 * The table @old becomes with @up applied, or an ERR_PTR.  The rules of
 * @up are already valid (netlink.c); what is checked here is what only
 * the whole table can tell.
 */
struct pba_table *pba_table_build(const struct pba_table *old,
				  const struct pba_update *up,
				  struct netlink_ext_ack *extack)
{
	unsigned int nkeys, nitems, nentries;
	struct pba_table *t;
	u32 *keys;
	int err;

	keys = pba_candidate_keys(old, up, &nkeys);
	if (!keys)
		return ERR_PTR(-ENOMEM);
	nitems = pba_keep_keys(old, up, keys, nkeys, &nentries);
	if (nitems > PBA_MAX_PORTS) {
		NL_SET_ERR_MSG(extack,
			       "too many ports are protected or have a list (at most " __stringify(PBA_MAX_PORTS) ")");
		t = ERR_PTR(-ENOSPC);
		goto out;
	}
	t = pba_table_alloc(nitems, nentries);
	if (!t) {
		t = ERR_PTR(-ENOMEM);
		goto out;
	}
	err = pba_table_fill(t, old, up, keys);
	if (err) {
		pba_table_free(t);
		t = ERR_PTR(err);
	}
out:
	kfree(keys);
	return t;
}
