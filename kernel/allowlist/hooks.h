/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PBA_HOOKS_H
#define PBA_HOOKS_H

struct net;

int pba_hooks_register(struct net *net);
void pba_hooks_unregister(struct net *net);

#endif /* PBA_HOOKS_H */
