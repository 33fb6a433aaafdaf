/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portbridge line discipline and the tty flow helpers the
 * data path uses to hold back and resume serial input.
 */
#ifndef _PB_LDISC_H
#define _PB_LDISC_H

struct tty_struct;

int pb_ldisc_register(void);
void pb_ldisc_unregister(void);

void pb_tty_throttle(struct tty_struct *tty);
void pb_tty_resume(struct tty_struct *tty);
void pb_tty_release_flow(struct tty_struct *tty);

#endif /* _PB_LDISC_H */
