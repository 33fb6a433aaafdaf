/* SPDX-License-Identifier: GPL-2.0 */
/* pbctl's commands outside pbctl.c (system.c: settings and accounts). */
#ifndef PBCTL_H
#define PBCTL_H

#include <stdio.h>

#define PBCTL_EXIT_USAGE	2

extern const char *pbctl_sock_path;	/* pbctl.c sets it from -s */

/* "pbctl: <problem>" and the hint to try help; PBCTL_EXIT_USAGE. */
int pbctl_usage_err(const char *fmt, const char *arg);
/*
 * One request to pbconfd; 0 with the reply in @out, or 1 after printing
 * the problem (a transport error or the daemon's "error: ...").
 */
int pbctl_call(const char *req, size_t len, char *out, size_t size);

int pbctl_cmd_config(int argc, char **argv);
int pbctl_cmd_account(int argc, char **argv);
int pbctl_cmd_passwd(int argc, char **argv);
int pbctl_cmd_whoami(int argc, char **argv);
int pbctl_cmd_factory_reset(int argc, char **argv);
void pbctl_usage_system(FILE *f);

/* allow.c: the accessible IP list */
int pbctl_cmd_allow(int argc, char **argv);
void pbctl_usage_allow(FILE *f);

#endif /* PBCTL_H */
