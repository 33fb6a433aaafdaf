/* SPDX-License-Identifier: GPL-2.0 */
/* Daemon logging: stderr while in the foreground, syslog(3) always. */
#ifndef PB_LOG_H
#define PB_LOG_H

#include <syslog.h>

/* @to_stderr: also print every message on stderr. */
void log_open(const char *ident, int to_stderr);
void log_stderr(int on);
void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)

#endif /* PB_LOG_H */
