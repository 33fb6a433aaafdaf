// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU packet counters with a reference count.  The last put may come
 * from an RCU callback (softirq): free_percpu() and kfree() are fine there.
 */

#include <linux/slab.h>

#include "counter.h"

struct pba_counter *pba_counter_new(void)
{
	struct pba_counter *c;
	int cpu;

	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	c->cpu = alloc_percpu(struct pba_counter_cpu);
	if (!c->cpu) {
		kfree(c);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(c->cpu, cpu)->syncp);
	refcount_set(&c->ref, 1);
	return c;
}

struct pba_counter *pba_counter_get(struct pba_counter *c)
{
	refcount_inc(&c->ref);
	return c;
}

void pba_counter_put(struct pba_counter *c)
{
	if (!c || !refcount_dec_and_test(&c->ref))
		return;
	free_percpu(c->cpu);
	kfree(c);
}

u64 pba_counter_read(const struct pba_counter *c)
{
	const struct pba_counter_cpu *p;
	unsigned int start;
	u64 sum = 0, n;
	int cpu;

	for_each_possible_cpu(cpu) {
		p = per_cpu_ptr(c->cpu, cpu);
		do {
			start = u64_stats_fetch_begin(&p->syncp);
			n = u64_stats_read(&p->n);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		sum += n;
	}
	return sum;
}
