/* SPDX-License-Identifier: GPL-2.0 */
/* A client of pbconfd's control socket: one request, one reply. */
#ifndef PB_CTLCLIENT_H
#define PB_CTLCLIENT_H

#include <stddef.h>

/*
 * Send @len bytes of @req to the socket at @path and read the reply into
 * @reply (NUL-terminated).  0, or -1 with the problem in @err.
 */
int ctl_client_call(const char *path, const char *req, size_t len,
		    char *reply, size_t size, char *err, size_t errsize);

/* The value of "key value" line @key in @text (whoami), or NULL. */
const char *ctl_reply_value(const char *text, const char *key, char *buf,
			    size_t size);

#endif /* PB_CTLCLIENT_H */
