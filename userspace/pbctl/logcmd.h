/* SPDX-License-Identifier: GPL-2.0 */
/* pbctl's event log commands (logcmd.c), talking to pblogd. */
#ifndef PBCTL_LOGCMD_H
#define PBCTL_LOGCMD_H

#include <stdio.h>

/* pbctl log show|clear ... */
int pbctl_cmd_log(int argc, char **argv);
void pbctl_usage_log(FILE *f);

/*
 * Record who asked for a change and from where (the SSH client's address
 * and port, or the console) in the event log, with the outcome: @what is
 * the request ("port set 1 baud 9600"), @reply pbconfd's answer.
 */
void pbctl_audit(const char *what, const char *reply);

#endif /* PBCTL_LOGCMD_H */
