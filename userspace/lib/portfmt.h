/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How pbctl shows ports: a table, one port in detail, or JSON whose keys
 * are the configuration keys and the sysfs counter names.
 */
#ifndef PB_PORTFMT_H
#define PB_PORTFMT_H

#include <stdio.h>

#include "pbmsg.h"

void portfmt_table(FILE *f, const struct pb_port_info *ports,
		   unsigned int n);
void portfmt_detail(FILE *f, const struct pb_port_info *p);
/* One JSON object, no newline. */
void portfmt_json(FILE *f, const struct pb_port_info *p);

#endif /* PB_PORTFMT_H */
