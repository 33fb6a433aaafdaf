/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries of the accessible IP list (portbridge_allow.ko): parsing and
 * formatting their text, the rules the kernel applies to a list, and the
 * match itself, so pbconfd can tell before pushing whether a change would
 * lock out the session making it.  Pure: no I/O.
 *
 * Text of an entry, as the configuration file and pbctl have it:
 *
 *	192.168.1.120				one host
 *	192.168.1.0/255.255.255.0 on		a subnet (or 192.168.1.0/24)
 *	fd50:3::/112 off			IPv6, disabled
 *	none					an empty slot
 */
#ifndef PB_ALLOW_H
#define PB_ALLOW_H

#include <stddef.h>
#include <stdint.h>

#define ALLOW_MAX_ENTRIES	16	/* PBA_MAX_ENTRIES */
#define ALLOW_TEXT_MAX		64	/* an entry's text, with NUL */
/* The service a session's address is guarded on: SSH. */
#define ALLOW_GUARD_PORT	22

enum allow_family {
	ALLOW_NONE = 0,		/* an empty slot */
	ALLOW_IPV4 = 4,
	ALLOW_IPV6 = 6,
};

/*
 * One entry.  IPv4 addresses are in addr[0..3], network byte order; the
 * rest of addr is zero, so equal entries compare equal with memcmp.
 */
struct pb_allow_entry {
	uint8_t family;		/* enum allow_family */
	uint8_t prefix;		/* 0 .. 32 or 0 .. 128 */
	uint8_t enabled;	/* 0/1 */
	uint8_t pad;
	uint8_t addr[16];
};

/* Parse one entry; 0, or -1 and a one-line reason in @msg. */
int allow_entry_parse(const char *s, size_t len, struct pb_allow_entry *e,
		      char *msg, size_t msgsize);

/* "192.168.1.0/255.255.255.0 on", "fd50::/64 off", "none". */
void allow_entry_format(const struct pb_allow_entry *e, char *buf,
			size_t size);

/* Only the address and mask: "192.168.1.0/255.255.255.0". */
void allow_entry_format_net(const struct pb_allow_entry *e, char *buf,
			    size_t size);

/* The IPv4 netmask of an entry, network byte order. */
uint32_t allow_netmask4(unsigned int prefix);

/* 1 if the address and mask of @a and @b are the same. */
int allow_entry_same_net(const struct pb_allow_entry *a,
			 const struct pb_allow_entry *b);

/*
 * Check one entry (family, prefix range, no bits outside the mask) as the
 * kernel would; 0 or -1 and @msg.
 */
int allow_entry_check(const struct pb_allow_entry *e, char *msg,
		      size_t msgsize);

/*
 * Check a list of @n slots: each entry, and no two with the same address
 * and mask.  0, or -1 with the 0-based slot of the problem in *@bad.
 */
int allow_list_check(const struct pb_allow_entry *list, unsigned int n,
		     unsigned int *bad, char *msg, size_t msgsize);

/*
 * 1 if an enabled entry among @n slots matches @addr (16 bytes: IPv6 or
 * v4-mapped IPv4; a v4-mapped address is matched as IPv4, as the kernel
 * does with the lockout guard).
 */
int allow_list_matches(const struct pb_allow_entry *list, unsigned int n,
		       const uint8_t addr[16]);

/* Parse "10.0.2.2" or "fd00::1" into 16 bytes (IPv4 v4-mapped); 0/-1. */
int allow_addr_parse(const char *s, size_t len, uint8_t addr[16]);

/* "10.0.2.2" (v4-mapped shown as IPv4) or "fd00::1". */
void allow_addr_format(const uint8_t addr[16], char *buf, size_t size);

/* 1 if @addr is v4-mapped, loopback (127/8, ::1) or unspecified. */
int allow_addr_is_v4mapped(const uint8_t addr[16]);
int allow_addr_is_local(const uint8_t addr[16]);

#endif /* PB_ALLOW_H */
