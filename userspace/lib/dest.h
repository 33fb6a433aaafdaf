/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Destinations of the TCP client and UDP modes (dest1 .. dest4): their
 * text form, parsed and formatted without I/O.
 *
 *	none				no destination
 *	192.168.1.10:4001		an IPv4 address and a port
 *	[2001:db8::10]:4001		an IPv6 address, in brackets
 *	10.0.0.1-10.0.0.20:4001		a range (UDP), both ends included
 *	[2001:db8::1]-[2001:db8::9]:4001
 *	plc-3.example.com:502		a host name, resolved by pbconfd
 */
#ifndef PB_DEST_H
#define PB_DEST_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

/*
 * Parse @len bytes of @s into @d (all of @d is written).  0, or -1 with
 * the problem in @msg ("'x' needs a port: host:port").
 */
int dest_parse(const char *s, size_t len, struct pb_dest_conf *d, char *msg,
	       size_t msgsize);

/* Check a destination however it was made; 0, or -1 and @msg. */
int dest_check(const struct pb_dest_conf *d, char *msg, size_t msgsize);

/* The text dest_parse reads back to the same @d. */
void dest_format(const struct pb_dest_conf *d, char *buf, size_t size);

/* "10.0.0.1" for a v4-mapped address, "[2001:db8::1]" for IPv6. */
void dest_format_addr(const uint8_t addr[16], char *buf, size_t size);

/* 1 if @addr is a v4-mapped IPv4 address. */
int dest_addr_is_v4(const uint8_t addr[16]);

/* 1 if @s is a host name we accept (RFC 1123 labels, at most 253). */
int dest_host_name_ok(const char *s, size_t len);

#endif /* PB_DEST_H */
