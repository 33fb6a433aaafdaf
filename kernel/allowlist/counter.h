/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PBA_COUNTER_H
#define PBA_COUNTER_H

#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>

struct pba_counter_cpu {
	u64_stats_t n;
	struct u64_stats_sync syncp;
};

/*
 * A per-CPU packet counter shared by successive tables: an entry or port
 * that survives a list update keeps its counter, and packets still
 * walking the old table count into the same one.
 */
struct pba_counter {
	refcount_t ref;
	struct pba_counter_cpu __percpu *cpu;
};

struct pba_counter *pba_counter_new(void);
struct pba_counter *pba_counter_get(struct pba_counter *c);
void pba_counter_put(struct pba_counter *c);
u64 pba_counter_read(const struct pba_counter *c);

/* Packet path: runs with bottom halves disabled, so the CPU is ours. */
static inline void pba_counter_inc(struct pba_counter *c)
{
	struct pba_counter_cpu *p = this_cpu_ptr(c->cpu);

	u64_stats_update_begin(&p->syncp);
	u64_stats_inc(&p->n);
	u64_stats_update_end(&p->syncp);
}

#endif /* PBA_COUNTER_H */
