/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Export and import of the whole configuration as one readable text: the
 * configuration file's sections, then one [account NAME] section per
 * account:
 *
 *	[account admin]
 *	group = admins
 *	note = Site administrator
 *	password-hash = $y$j9T$...	(only when secrets are asked for)
 *	password-changed = 19700	(day; 0: change at next login)
 *
 * The RADIUS shared secret is never exported: it cannot be kept as a
 * hash.  Pure: parse and format memory buffers.
 */
#ifndef PB_TRANSFER_H
#define PB_TRANSFER_H

#include <stddef.h>

#include "account.h"
#include "conf.h"

/*
 * The export text of @conf and @db into @buf; hashes only if @secrets.
 * Returns the length like snprintf.
 */
size_t transfer_export(const struct pb_conf *conf, const struct acct_db *db,
		       int secrets, char *buf, size_t size);

/*
 * Parse an import.  @conf comes in holding what keys the text leaves out
 * get (the defaults, and the secrets to keep); @db holds the current
 * accounts.  If the text has [account] sections, they replace the
 * accounts: an account without password-hash keeps its current hash (a
 * new one must have one); uids are kept by name.  *has_accounts says
 * whether it had any.  On error nothing is changed, -1 is returned and
 * @err names the line.  The text needs no NUL.
 */
int transfer_import(struct pb_conf *conf, struct acct_db *db,
		    int *has_accounts, const char *text, size_t len,
		    struct conf_error *err);

#endif /* PB_TRANSFER_H */
