// SPDX-License-Identifier: GPL-2.0
/*
 * The accounts library's pure parts: the account files and rules, the
 * lockout state, the password policy and age, the RADIUS codec, and
 * export/import of the whole configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/md.h>
#include <mbedtls/md5.h>

#include "account.h"
#include "conf.h"
#include "faillock.h"
#include "password.h"
#include "radius.h"
#include "transfer.h"
#include "unit.h"

static const char passwd_text[] =
	"root:x:0:0:root:/root:/bin/false\n"
	"admin:x:1000:1000:Site admin:/home/admin:/usr/sbin/pb-shell\n"
	"oper:x:1001:1001:Shift:/home/oper:/usr/sbin/pb-shell\n"
	"visitor:x:1002:1002::/home/visitor:/sbin/nologin\n";
static const char shadow_text[] =
	"root:*:::::::\n"
	"admin:$6$abc$def:19000:0:99999:7:::\n"
	"oper:$y$j9T$abc$def:0:0:99999:7:::\n";

static struct acct_db *load_db(void)
{
	static struct acct_db db;
	char msg[ACCT_ERR_MAX];

	CHECK_INT(acct_db_parse(&db, passwd_text, strlen(passwd_text),
				shadow_text, strlen(shadow_text), msg,
				sizeof(msg)), 0);
	return &db;
}

static void test_db_parse(void)
{
	struct acct_db *db = load_db();
	const struct account *a;

	CHECK_INT(db->n, 3);
	a = acct_find_const(db, "admin");
	CHECK(a);
	CHECK_INT(a->group, ACCT_ADMINS);
	CHECK_STR(a->hash, "$6$abc$def");
	CHECK_INT(a->changed, 19000);
	CHECK_STR(a->note, "Site admin");
	a = acct_find_const(db, "oper");
	CHECK_INT(a->group, ACCT_USERS);
	CHECK_INT(a->changed, 0);
	/* no shadow entry: no password */
	a = acct_find_const(db, "visitor");
	CHECK_INT(a->group, ACCT_GUESTS);
	CHECK_STR(a->hash, "!");
	CHECK(!acct_find_const(db, "root"));
}

static void test_db_round_trip(void)
{
	struct acct_db *db = load_db();
	static struct acct_db again;
	char p[2048], s[2048], msg[ACCT_ERR_MAX];
	size_t pl = acct_db_format_passwd(db, p, sizeof(p));
	size_t sl = acct_db_format_shadow(db, s, sizeof(s));

	CHECK(pl < sizeof(p) && sl < sizeof(s));
	CHECK(!strncmp(p, "root:x:0:0:", 11));
	CHECK(strstr(p, "visitor:x:1002:1002::/home/visitor:/sbin/nologin\n"));
	CHECK(strstr(p, "oper:x:1001:1001:Shift:/home/oper:/usr/sbin/pb-shell\n"));
	CHECK_INT(acct_db_parse(&again, p, pl, s, sl, msg, sizeof(msg)), 0);
	CHECK_INT(again.n, db->n);
	CHECK(!memcmp(&again, db, sizeof(again)));
	/* too small a buffer says so */
	CHECK(acct_db_format_shadow(db, s, 10) >= 10);
}

static void test_db_parse_errors(void)
{
	static struct acct_db db;
	char msg[ACCT_ERR_MAX];
	static const char bad_gid[] =
		"admin:x:1000:1000::/home/admin:/bin/sh\n"
		"x:x:1001:4242::/home/x:/bin/sh\n";
	static const char bad_line[] =
		"admin:x:1000:1000::/home/admin:/bin/sh\n"
		"broken line\n";

	CHECK_INT(acct_db_parse(&db, bad_gid, strlen(bad_gid), "", 0, msg,
				sizeof(msg)), -1);
	CHECK(strstr(msg, "line 2"));
	CHECK_INT(acct_db_parse(&db, bad_line, strlen(bad_line), "", 0, msg,
				sizeof(msg)), -1);
	CHECK(strstr(msg, "line 2"));
}

static void test_names(void)
{
	char msg[ACCT_ERR_MAX];

	CHECK_INT(acct_name_check("oper-2", 6, msg, sizeof(msg)), 0);
	CHECK_INT(acct_name_check("", 0, msg, sizeof(msg)), -1);
	CHECK_INT(acct_name_check("a:b", 3, msg, sizeof(msg)), -1);
	CHECK_INT(acct_name_check("a b", 3, msg, sizeof(msg)), -1);
	CHECK_INT(acct_name_check("root", 4, msg, sizeof(msg)), -1);
	CHECK_INT(acct_name_check("-x", 2, msg, sizeof(msg)), -1);
	CHECK_INT(acct_note_check("a:b", 3, msg, sizeof(msg)), -1);
	CHECK_INT(acct_note_check("a\nb", 3, msg, sizeof(msg)), -1);
	CHECK_INT(acct_hash_check("$y$j9T$a$b", 10, msg, sizeof(msg)), 0);
	CHECK_INT(acct_hash_check("a:b", 3, msg, sizeof(msg)), -1);
}

static void test_last_admin_stays(void)
{
	struct acct_db *db = load_db();
	char msg[ACCT_ERR_MAX];
	struct account a;

	CHECK_INT(acct_delete(db, "admin", msg, sizeof(msg)), -1);
	CHECK(acct_find_const(db, "admin"));
	CHECK_INT(acct_set_group(db, "admin", ACCT_USERS, msg, sizeof(msg)),
		  -1);
	CHECK_INT(acct_find_const(db, "admin")->group, ACCT_ADMINS);
	/* with a second admin, the first may go */
	memset(&a, 0, sizeof(a));
	strcpy(a.name, "boss");
	strcpy(a.hash, "!");
	a.group = ACCT_ADMINS;
	CHECK_INT(acct_add(db, &a, msg, sizeof(msg)), 0);
	CHECK_INT(acct_find_const(db, "boss")->uid, 1003);
	CHECK_INT(acct_add(db, &a, msg, sizeof(msg)), -1);	/* twice */
	CHECK_INT(acct_delete(db, "admin", msg, sizeof(msg)), 0);
	CHECK_INT(acct_count_group(db, ACCT_ADMINS), 1);
	CHECK_INT(acct_delete(db, "boss", msg, sizeof(msg)), -1);
	CHECK_INT(acct_delete(db, "nobody", msg, sizeof(msg)), -1);
}

/* ---- lockout ---- */

static void test_lockout_after_the_limit(void)
{
	struct faillock_policy p = { 1, 3, 60 };
	struct faillock_entry e;
	long long now = 1700000000;
	int i;

	memset(&e, 0, sizeof(e));
	for (i = 0; i < 2; i++) {
		CHECK_INT(faillock_remaining(&e, &p, now), 0);
		faillock_begin(&e);
		CHECK_INT(faillock_result(&e, 0, AUTH_METHOD_LOCAL, &p, now),
			  0);
	}
	faillock_begin(&e);
	CHECK_INT(faillock_result(&e, 0, AUTH_METHOD_LOCAL, &p, now), 1);
	CHECK_INT(faillock_remaining(&e, &p, now + 1), 59);
	/* the clock went back: never longer than the policy's time */
	CHECK_INT(faillock_remaining(&e, &p, now - 1000), 60);
	/* over: unlocked, the count starts again */
	CHECK_INT(faillock_remaining(&e, &p, now + 1000), 0);
	CHECK_INT(e.failures, 0);
	/* a success clears the failures */
	faillock_begin(&e);
	CHECK_INT(faillock_result(&e, 1, AUTH_METHOD_RADIUS, &p, now), 0);
	CHECK_INT(e.failures, 0);
	CHECK_INT(e.method, AUTH_METHOD_RADIUS);
}

static void test_lockout_counts_before_the_check(void)
{
	struct faillock_policy p = { 1, 2, 60 };
	struct faillock_entry e;

	/* two checks began and never ended (killed): the next is locked */
	memset(&e, 0, sizeof(e));
	faillock_begin(&e);
	faillock_begin(&e);
	CHECK_INT(faillock_remaining(&e, &p, 1000), 60);
	/* lockout off: nothing is counted against anyone */
	p.on = 0;
	CHECK_INT(faillock_remaining(&e, &p, 1000), 0);
	CHECK_INT(e.failures, 0);
}

static void test_faillock_file(void)
{
	static const char text[] =
		"admin 0 0 local\n"
		"oper 3 1700000060 radius\n"
		"garbage\n"
		"x 1 notanumber local\n";
	static struct faillock fl, again;
	char buf[1024];
	size_t len;

	faillock_parse(&fl, text, strlen(text));
	CHECK_INT(fl.n, 2);
	CHECK_INT(faillock_get(&fl, "oper", 0)->locked_until, 1700000060);
	CHECK_INT(faillock_get(&fl, "oper", 0)->method, AUTH_METHOD_RADIUS);
	CHECK(!faillock_get(&fl, "nobody", 0));
	CHECK(faillock_get(&fl, "new", 1));
	CHECK_INT(fl.n, 3);
	len = faillock_format(&fl, buf, sizeof(buf));
	CHECK(len < sizeof(buf));
	faillock_parse(&again, buf, len);
	CHECK_INT(again.n, 3);
	faillock_prune(&again, load_db());
	CHECK_INT(again.n, 2);
	CHECK(!faillock_get(&again, "new", 0));
}

/* ---- passwords ---- */

static void test_policy(void)
{
	struct pb_password_conf p = { 8, 1, 1, 1, 0 };
	char msg[160];

	CHECK_INT(pw_policy_check(&p, "Good-Pass1", "oper", msg, sizeof(msg)),
		  0);
	CHECK_INT(pw_policy_check(&p, "G-p1", "oper", msg, sizeof(msg)), -1);
	CHECK(strstr(msg, "at least 8"));
	CHECK_INT(pw_policy_check(&p, "Good-Pass", "oper", msg, sizeof(msg)),
		  -1);
	CHECK(strstr(msg, "digit"));
	CHECK_INT(pw_policy_check(&p, "good-pass1", "oper", msg, sizeof(msg)),
		  -1);
	CHECK(strstr(msg, "upper"));
	CHECK_INT(pw_policy_check(&p, "GoodPass12", "oper", msg, sizeof(msg)),
		  -1);
	CHECK(strstr(msg, "special"));
	CHECK_INT(pw_policy_check(&p, "Good\tPass1", "oper", msg,
				  sizeof(msg)), -1);
	p.need_digit = p.need_mixed_case = p.need_special = 0;
	p.min_length = 4;
	CHECK_INT(pw_policy_check(&p, "oper", "oper", msg, sizeof(msg)), -1);
	CHECK_INT(pw_policy_check(&p, "abcd", "oper", msg, sizeof(msg)), 0);
}

static void test_age(void)
{
	struct pb_password_conf p = { 8, 0, 0, 0, 30 };
	struct account a;

	memset(&a, 0, sizeof(a));
	a.changed = 0;
	CHECK_INT(pw_state(&a, &p, 20000), PW_MUST_CHANGE);
	a.changed = 20000;
	CHECK_INT(pw_state(&a, &p, 20029), PW_OK);
	CHECK_INT(pw_state(&a, &p, 20030), PW_EXPIRED);
	CHECK_INT(pw_state(&a, &p, 0), PW_OK);	/* no clock */
	p.lifetime = 0;
	CHECK_INT(pw_state(&a, &p, 30000), PW_OK);
	a.changed = -1;				/* set without a clock */
	p.lifetime = 30;
	CHECK_INT(pw_state(&a, &p, 30000), PW_OK);
}

static void test_hash(void)
{
	char h1[ACCT_HASH_MAX], h2[ACCT_HASH_MAX];

	CHECK_INT(pw_hash("Good-Pass1", h1, sizeof(h1)), 0);
	CHECK_INT(pw_hash("Good-Pass1", h2, sizeof(h2)), 0);
	CHECK(!strncmp(h1, "$y$", 3));
	CHECK(strcmp(h1, h2));			/* salted */
	CHECK(!strstr(h1, "Good-Pass1"));
	CHECK_INT(pw_verify("Good-Pass1", h1), 1);
	CHECK_INT(pw_verify("Good-Pass2", h1), 0);
	CHECK_INT(pw_verify("Good-Pass1", "!"), 0);
	CHECK_INT(pw_verify("", "*"), 0);
	CHECK_INT(pw_hash("x", h1, 8), -1);	/* does not fit */
}

/* ---- RADIUS ---- */

static const char secret[] = "testing123";

static void init_request(struct radius_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->id = 42;
	memset(rq->authenticator, 0xa5, sizeof(rq->authenticator));
	rq->user = "oper";
	rq->user_len = 4;
	rq->password = "Good-Pass1";
	rq->password_len = 10;
	rq->nas_id = "portbridge";
	rq->secret = secret;
	rq->secret_len = strlen(secret);
}

static void hmac(const uint8_t *msg, size_t len, uint8_t *out)
{
	CHECK_INT(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_MD5),
				  (const uint8_t *)secret, strlen(secret),
				  msg, len, out), 0);
}

/* A server's reply to @rq: code, an optional Reply-Message, and a good
 * Message-Authenticator and Response Authenticator.
 */
static size_t make_reply(const struct radius_request *rq, uint8_t code,
			 const char *message, int with_ma, uint8_t *p)
{
	size_t len = RADIUS_HEADER_LEN, ma = 0;
	mbedtls_md5_context ctx;

	p[0] = code;
	p[1] = rq->id;
	memcpy(p + 4, rq->authenticator, 16);
	if (with_ma) {
		p[len] = RADIUS_MESSAGE_AUTHENTICATOR;
		p[len + 1] = 18;
		ma = len + 2;
		memset(p + ma, 0, 16);
		len += 18;
	}
	if (message) {
		p[len] = RADIUS_REPLY_MESSAGE;
		p[len + 1] = 2 + strlen(message);
		memcpy(p + len + 2, message, strlen(message));
		len += 2 + strlen(message);
	}
	p[2] = len >> 8;
	p[3] = len & 0xff;
	if (with_ma)
		hmac(p, len, p + ma);
	mbedtls_md5_init(&ctx);
	mbedtls_md5_starts(&ctx);
	mbedtls_md5_update(&ctx, p, len);
	mbedtls_md5_update(&ctx, (const uint8_t *)secret, strlen(secret));
	mbedtls_md5_finish(&ctx, p + 4);
	mbedtls_md5_free(&ctx);
	return len;
}

static void test_radius_request(void)
{
	struct radius_request rq;
	uint8_t buf[RADIUS_PACKET_MAX], zeroed[RADIUS_PACKET_MAX], mac[16];
	int len;

	init_request(&rq);
	len = radius_build_request(&rq, buf, sizeof(buf));
	CHECK(len > RADIUS_HEADER_LEN);
	CHECK_INT(buf[0], RADIUS_ACCESS_REQUEST);
	CHECK_INT(buf[1], 42);
	CHECK_INT(buf[2] << 8 | buf[3], len);
	CHECK(!memcmp(buf + 4, rq.authenticator, 16));
	/* the Message-Authenticator is first and right */
	CHECK_INT(buf[20], RADIUS_MESSAGE_AUTHENTICATOR);
	memcpy(zeroed, buf, len);
	memset(zeroed + 22, 0, 16);
	hmac(zeroed, len, mac);
	CHECK(!memcmp(mac, buf + 22, 16));
	/* the password is hidden */
	CHECK(!memmem(buf, len, "Good-Pass1", 10));
	CHECK(memmem(buf, len, "oper", 4));
	/* out of range */
	rq.user_len = 0;
	CHECK_INT(radius_build_request(&rq, buf, sizeof(buf)), -1);
	init_request(&rq);
	CHECK_INT(radius_build_request(&rq, buf, 30), -1);
}

static void test_radius_reply(void)
{
	struct radius_request rq;
	struct radius_reply out;
	uint8_t p[RADIUS_PACKET_MAX];
	size_t len;

	init_request(&rq);
	len = make_reply(&rq, RADIUS_ACCESS_ACCEPT, "Welcome", 1, p);
	CHECK_INT(radius_parse_reply(&rq, p, len, &out), 0);
	CHECK_INT(out.code, RADIUS_ACCESS_ACCEPT);
	CHECK_STR(out.message, "Welcome");
	len = make_reply(&rq, RADIUS_ACCESS_REJECT, NULL, 1, p);
	CHECK_INT(radius_parse_reply(&rq, p, len, &out), 0);
	CHECK_INT(out.code, RADIUS_ACCESS_REJECT);
}

static void test_radius_forged_replies(void)
{
	struct radius_request rq;
	struct radius_reply out;
	uint8_t p[RADIUS_PACKET_MAX];
	size_t len, i;

	init_request(&rq);
	/* no Message-Authenticator (Blast-RADIUS) */
	len = make_reply(&rq, RADIUS_ACCESS_ACCEPT, "hi", 0, p);
	CHECK_INT(radius_parse_reply(&rq, p, len, &out), -1);
	/* any bit flipped anywhere */
	len = make_reply(&rq, RADIUS_ACCESS_ACCEPT, "hi", 1, p);
	for (i = 0; i < len; i++) {
		p[i] ^= 0x01;
		CHECK_INT(radius_parse_reply(&rq, p, len, &out), -1);
		p[i] ^= 0x01;
	}
	CHECK_INT(radius_parse_reply(&rq, p, len, &out), 0);
	/* truncated */
	for (i = 0; i < len; i++)
		CHECK_INT(radius_parse_reply(&rq, p, i, &out), -1);
	/* another request's reply */
	rq.id = 43;
	CHECK_INT(radius_parse_reply(&rq, p, len, &out), -1);
	/* a wrong secret */
	init_request(&rq);
	rq.secret = "other";
	rq.secret_len = 5;
	CHECK_INT(radius_parse_reply(&rq, p, len, &out), -1);
	/* not a reply code */
	init_request(&rq);
	len = make_reply(&rq, RADIUS_ACCESS_REQUEST, NULL, 1, p);
	CHECK_INT(radius_parse_reply(&rq, p, len, &out), -1);
}

/* ---- export and import ---- */

static void test_export_import_round_trip(void)
{
	static struct pb_conf conf, back;
	static struct acct_db db2;
	static char text[64 * 1024];
	struct acct_db *db = load_db();
	struct conf_error err;
	int has = 0;
	size_t len;

	conf_init_defaults(&conf, 2);
	conf.console.retry_limit = 7;
	strcpy(conf.messages.login, "Authorized use only");
	strcpy(conf.radius.secret, "Sekrit-1");
	len = transfer_export(&conf, db, 0, text, sizeof(text));
	CHECK(len < sizeof(text));
	CHECK(strstr(text, "[account admin]"));
	CHECK(!strstr(text, "password-hash"));
	CHECK(!strstr(text, "Sekrit-1"));
	len = transfer_export(&conf, db, 1, text, sizeof(text));
	CHECK(strstr(text, "password-hash = $6$abc$def"));
	CHECK(!strstr(text, "Sekrit-1"));

	conf_init_defaults(&back, 2);
	db2 = *db;
	CHECK_INT(transfer_import(&back, &db2, &has, text, len, &err), 0);
	CHECK_INT(has, 1);
	CHECK_INT(back.console.retry_limit, 7);
	CHECK_STR(back.messages.login, "Authorized use only");
	CHECK_INT(db2.n, db->n);
	CHECK_STR(acct_find_const(&db2, "admin")->hash, "$6$abc$def");
}

static void test_import_bad_line_changes_nothing(void)
{
	static struct pb_conf conf, before;
	static struct acct_db db2, db_before;
	struct conf_error err;
	char msg[CONF_ERR_MAX + 32];
	static const char text[] =
		"[console]\n"
		"retry-limit = 3\n"
		"locked-time = 61\n";
	static const char text2[] =
		"[console]\n"
		"retry-limit = 3\n"
		"[account newbie]\n"
		"group = users\n";
	int has = 0;

	conf_init_defaults(&conf, 1);
	before = conf;
	db2 = *load_db();
	db_before = db2;
	CHECK_INT(transfer_import(&conf, &db2, &has, text, strlen(text), &err),
		  -1);
	conf_error_format(&err, msg, sizeof(msg));
	CHECK(strstr(msg, "line 3"));
	CHECK(!memcmp(&conf, &before, sizeof(conf)));
	/* a new account needs a password hash */
	CHECK_INT(transfer_import(&conf, &db2, &has, text2, strlen(text2),
				  &err), -1);
	CHECK(!memcmp(&conf, &before, sizeof(conf)));
	CHECK(!memcmp(&db2, &db_before, sizeof(db2)));
}

static const struct unit_test tests[] = {
	{ "db_parse", test_db_parse },
	{ "db_round_trip", test_db_round_trip },
	{ "db_parse_errors", test_db_parse_errors },
	{ "names", test_names },
	{ "last_admin_stays", test_last_admin_stays },
	{ "lockout_after_the_limit", test_lockout_after_the_limit },
	{ "lockout_counts_before_the_check",
	  test_lockout_counts_before_the_check },
	{ "faillock_file", test_faillock_file },
	{ "policy", test_policy },
	{ "age", test_age },
	{ "hash", test_hash },
	{ "radius_request", test_radius_request },
	{ "radius_reply", test_radius_reply },
	{ "radius_forged_replies", test_radius_forged_replies },
	{ "export_import_round_trip", test_export_import_round_trip },
	{ "import_bad_line_changes_nothing",
	  test_import_bad_line_changes_nothing },
};

UNIT_SUITE(accounts_tests, "accounts", tests);
