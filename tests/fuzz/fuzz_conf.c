// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration parser.  First byte: number of ports (1..32); the rest
 * is the file.  A file that parses must survive serialize -> parse intact.
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char text[CONF_FILE_MAX + 1];
	struct pb_conf conf, back;
	struct conf_error err;
	char msg[CONF_ERR_MAX + 32];
	size_t len;

	if (size < 1)
		return 0;
	conf_init_defaults(&conf, 1 + data[0] % PB_MAX_PORTS);
	if (conf_parse(&conf, (const char *)data + 1, size - 1, &err)) {
		conf_error_format(&err, msg, sizeof(msg));
		if (strlen(msg) >= sizeof(msg))
			abort();
		return 0;
	}
	len = conf_serialize(&conf, text, sizeof(text));
	if (len >= sizeof(text))
		abort();
	conf_init_defaults(&back, conf.nports);
	if (conf_parse(&back, text, len, &err))
		abort();
	if (memcmp(&conf, &back, sizeof(conf)))
		abort();
	return 0;
}
