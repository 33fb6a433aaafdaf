// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration imports (an administrator's text file): any bytes must be
 * imported or refused with a line number, and a refusal changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "conf.h"
#include "transfer.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct pb_conf conf, before;
	static struct acct_db db, db_before;
	static const char passwd[] =
		"admin:x:1000:1000::/home/admin:/usr/sbin/pb-shell\n"
		"oper:x:1001:1001::/home/oper:/usr/sbin/pb-shell\n";
	static const char shadow[] = "admin:$6$a$b:19000:0:99999:7:::\n";
	struct conf_error err;
	char msg[ACCT_ERR_MAX];
	int has = 0;

	conf_init_defaults(&conf, 2);
	if (acct_db_parse(&db, passwd, strlen(passwd), shadow,
			  strlen(shadow), msg, sizeof(msg)))
		abort();
	before = conf;
	db_before = db;
	if (transfer_import(&conf, &db, &has, (const char *)data, size,
			    &err)) {
		if (memcmp(&conf, &before, sizeof(conf)) ||
		    memcmp(&db, &db_before, sizeof(db)) || !err.msg[0])
			abort();
		return 0;
	}
	if (has && acct_db_check(&db, msg, sizeof(msg)))
		abort();
	return 0;
}
