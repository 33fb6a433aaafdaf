/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The board's accounts: the model, its rules, and its files, passwd(5)
 * and shadow(5) on the persistent storage (/etc/passwd and /etc/shadow
 * link there).  Pure: parsing and formatting work on memory buffers.
 *
 * An account is in one group: admins (change everything), users (read
 * settings) or guests (no console).  Its uid is 1000 or more; its
 * primary gid is its group's.  shadow(5)'s "last change" day is the
 * password's age; 0 means "change it at the next login", as shadow(5)
 * says.
 */
#ifndef PB_ACCOUNT_H
#define PB_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#define ACCT_NAME_MAX	33	/* 32 characters and NUL */
#define ACCT_HASH_MAX	192	/* a crypt(3) hash and NUL */
#define ACCT_NOTE_MAX	65	/* 64 characters and NUL */
#define ACCT_MAX	64	/* accounts on a board */
#define ACCT_UID_MIN	1000
#define ACCT_UID_MAX	59999
#define ACCT_ERR_MAX	160

enum acct_group {
	ACCT_ADMINS,
	ACCT_USERS,
	ACCT_GUESTS,
	__ACCT_GROUP_MAX
};

/* Group ids of /etc/group (initramfs/etc/group). */
#define ACCT_GID_ADMINS	1000
#define ACCT_GID_USERS	1001
#define ACCT_GID_GUESTS	1002

/* The login shells: ours for admins and users, none for guests. */
#define ACCT_SHELL	"/usr/sbin/pb-shell"
#define ACCT_NOLOGIN	"/sbin/nologin"

struct account {
	char name[ACCT_NAME_MAX];
	uint32_t uid;
	uint32_t group;			/* enum acct_group */
	char hash[ACCT_HASH_MAX];	/* "!": no local password */
	long changed;			/* day of the last change; 0: must change */
	char note[ACCT_NOTE_MAX];
};

struct acct_db {
	unsigned int n;
	struct account acct[ACCT_MAX];
};

const char *acct_group_name(uint32_t group);
/* -1 if @name is not a group. */
int acct_group_find(const char *name, size_t len);
uint32_t acct_group_gid(uint32_t group);

/* 0, or -1 and the problem in @msg ("name: ..."). */
int acct_name_check(const char *name, size_t len, char *msg, size_t size);
int acct_note_check(const char *note, size_t len, char *msg, size_t size);
/* A hash we store: crypt(3) output characters, or "!" (none). */
int acct_hash_check(const char *hash, size_t len, char *msg, size_t size);

/*
 * Read passwd and shadow text into @db: accounts are the passwd entries
 * with a uid of ACCT_UID_MIN or more (root and system entries are the
 * image's business); each takes its hash and day from shadow (none there:
 * "!" and 0).  0, or -1 and "passwd line 3: ..." in @msg.
 */
int acct_db_parse(struct acct_db *db, const char *passwd, size_t plen,
		  const char *shadow, size_t slen, char *msg, size_t size);

/*
 * Write @db as passwd and shadow text (root first, as the image has it).
 * Return the length like snprintf: it did not fit if >= size.
 */
size_t acct_db_format_passwd(const struct acct_db *db, char *buf,
			     size_t size);
size_t acct_db_format_shadow(const struct acct_db *db, char *buf,
			     size_t size);

struct account *acct_find(struct acct_db *db, const char *name);
const struct account *acct_find_const(const struct acct_db *db,
				      const char *name);
struct account *acct_find_uid(struct acct_db *db, uint32_t uid);
unsigned int acct_count_group(const struct acct_db *db, uint32_t group);

/* Check the whole set: names, uids, at least one admin. */
int acct_db_check(const struct acct_db *db, char *msg, size_t size);

/*
 * Changes, each checked as a whole; on error -1, @db unchanged and the
 * problem in @msg.  acct_add gives the next free uid.  An admin cannot be
 * deleted or moved to another group when no other admin is left.
 */
int acct_add(struct acct_db *db, const struct account *a, char *msg,
	     size_t size);
int acct_delete(struct acct_db *db, const char *name, char *msg,
		size_t size);
int acct_set_group(struct acct_db *db, const char *name, uint32_t group,
		   char *msg, size_t size);

#endif /* PB_ACCOUNT_H */
