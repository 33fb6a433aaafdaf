// SPDX-License-Identifier: GPL-2.0
/*
 * The accessible IP list in userspace: entry text, the kernel's rules, the
 * [allow] sections of the configuration, the protected services and the
 * lockout check pbconfd makes before pushing.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "allow.h"
#include "conf.h"
#include "unit.h"

static void roundtrip(const char *in, const char *out)
{
	struct pb_allow_entry e;
	char msg[160], buf[ALLOW_TEXT_MAX];

	if (allow_entry_parse(in, strlen(in), &e, msg, sizeof(msg)))
		unit_fail(__FILE__, __LINE__, "'%s' refused: %s", in, msg);
	allow_entry_format(&e, buf, sizeof(buf));
	CHECK_STR(buf, out);
}

static void refused(const char *in, const char *why)
{
	struct pb_allow_entry e;
	char msg[160];

	CHECK_INT(allow_entry_parse(in, strlen(in), &e, msg, sizeof(msg)), -1);
	if (!strstr(msg, why))
		unit_fail(__FILE__, __LINE__, "'%s': message '%s' lacks '%s'",
			  in, msg, why);
	CHECK_INT(e.family, ALLOW_NONE);
}

/* The guide's table (section 3.5) and the other forms. */
static void test_entry_forms(void)
{
	roundtrip("192.168.1.120", "192.168.1.120/255.255.255.255 on");
	roundtrip("192.168.1.0/255.255.255.0", "192.168.1.0/255.255.255.0 on");
	roundtrip("192.168.0.0/255.255.0.0", "192.168.0.0/255.255.0.0 on");
	roundtrip("192.168.1.0/255.255.255.128",
		  "192.168.1.0/255.255.255.128 on");
	roundtrip("192.168.1.128/25 off", "192.168.1.128/255.255.255.128 off");
	roundtrip("0.0.0.0/0", "0.0.0.0/0.0.0.0 on");
	roundtrip("  10.0.0.0/8   on ", "10.0.0.0/255.0.0.0 on");
	roundtrip("fd50:3::/112", "fd50:3::/112 on");
	roundtrip("FD50::1", "fd50::1/128 on");
	roundtrip("::/0 off", "::/0 off");
	roundtrip("none", "none");
}

static void test_entry_refusals(void)
{
	refused("192.168.1.5/255.255.255.0", "write 192.168.1.0/255.255.255.0");
	refused("fd50:3::1/112", "write fd50:3::/112");
	refused("192.168.1.0/255.0.255.0", "not contiguous");
	refused("192.168.1.0/33", "out of range");
	refused("fd50::/129", "out of range");
	refused("fd50::/255.255.0.0", "prefix length");
	refused("192.168.1", "not an IPv4 address");
	refused("300.1.1.1", "not an IPv4 address");
	refused("fd50:::1", "not an IPv6 address");
	refused("10.0.0.1 maybe", "only 'on' or 'off'");
	refused("10.0.0.1/", "netmask");
	refused("", "needs an address");
	refused("10.0.0.1/8/8", "netmask");
}

static void entry(struct pb_allow_entry *e, const char *text)
{
	char msg[160];

	CHECK_INT(allow_entry_parse(text, strlen(text), e, msg, sizeof(msg)),
		  0);
}

static void addr(uint8_t a[16], const char *text)
{
	CHECK_INT(allow_addr_parse(text, strlen(text), a), 0);
}

static void test_match(void)
{
	struct pb_allow_entry l[ALLOW_MAX_ENTRIES];
	uint8_t a[16];

	memset(l, 0, sizeof(l));
	entry(&l[0], "192.168.1.0/255.255.255.128");
	entry(&l[1], "fd50:3::/112");
	entry(&l[2], "10.9.9.9 off");
	addr(a, "192.168.1.126");
	CHECK_INT(allow_list_matches(l, ALLOW_MAX_ENTRIES, a), 1);
	addr(a, "192.168.1.129");
	CHECK_INT(allow_list_matches(l, ALLOW_MAX_ENTRIES, a), 0);
	addr(a, "fd50:3::ffff");
	CHECK_INT(allow_list_matches(l, ALLOW_MAX_ENTRIES, a), 1);
	addr(a, "fd50:3::1:0");
	CHECK_INT(allow_list_matches(l, ALLOW_MAX_ENTRIES, a), 0);
	addr(a, "10.9.9.9");	/* disabled */
	CHECK_INT(allow_list_matches(l, ALLOW_MAX_ENTRIES, a), 0);
	/* a v4-mapped source is matched as IPv4, never by an IPv6 entry */
	addr(a, "::ffff:192.168.1.1");
	CHECK_INT(allow_list_matches(l, ALLOW_MAX_ENTRIES, a), 1);
	CHECK_INT(allow_addr_is_local(a), 0);
	addr(a, "127.0.0.1");
	CHECK_INT(allow_addr_is_local(a), 1);
	addr(a, "::1");
	CHECK_INT(allow_addr_is_local(a), 1);
}

static void test_list_duplicates(void)
{
	struct pb_allow_entry l[4];
	char msg[160];
	unsigned int bad;

	memset(l, 0, sizeof(l));
	entry(&l[0], "10.0.0.0/8");
	entry(&l[2], "10.0.0.0/255.0.0.0 off");
	CHECK_INT(allow_list_check(l, 4, &bad, msg, sizeof(msg)), -1);
	CHECK_INT(bad, 2);
	CHECK(strstr(msg, "already entry 1") != NULL);
	entry(&l[2], "10.0.0.0/9");
	CHECK_INT(allow_list_check(l, 4, &bad, msg, sizeof(msg)), 0);
}

static void parse_conf(struct pb_conf *c, const char *text)
{
	struct conf_error err;
	char msg[256];

	conf_init_defaults(c, 4);
	if (conf_parse(c, text, strlen(text), &err)) {
		conf_error_format(&err, msg, sizeof(msg));
		unit_fail(__FILE__, __LINE__, "config refused: %s", msg);
	}
}

static void test_conf_sections(void)
{
	static struct pb_conf c, again;
	static char buf[64 * 1024];
	size_t len;

	parse_conf(&c, "[allow]\nenabled = on\nentry1 = 10.0.2.2\n"
		       "entry3 = fd50::/64 off\n"
		       "[allow-port 2]\nentry1 = 192.168.1.0/24\n");
	CHECK_INT(c.allow.enabled, 1);
	CHECK_INT(c.allow.entry[0].family, ALLOW_IPV4);
	CHECK_INT(c.allow.entry[1].family, ALLOW_NONE);
	CHECK_INT(c.allow.entry[2].enabled, 0);
	CHECK_INT(c.allow_port[1].entry[0].prefix, 24);
	len = conf_serialize(&c, buf, sizeof(buf));
	CHECK(len < sizeof(buf));
	CHECK(strstr(buf, "[allow]\nenabled = on\n"
			  "entry1 = 10.0.2.2/255.255.255.255 on\n"
			  "entry3 = fd50::/64 off\n") != NULL);
	CHECK(strstr(buf, "[allow-port 2]\n"
			  "entry1 = 192.168.1.0/255.255.255.0 on\n") != NULL);
	/* empty slots are left out */
	CHECK(strstr(buf, "entry2") == NULL);
	CHECK(strstr(buf, "entry1 = none") == NULL);
	conf_init_defaults(&again, 4);
	parse_conf(&again, buf);
	CHECK(!memcmp(&again.allow, &c.allow, sizeof(c.allow)));
	CHECK(!memcmp(again.allow_port, c.allow_port, sizeof(c.allow_port)));
}

static void conf_refused(const char *text, const char *want)
{
	static struct pb_conf c;
	struct conf_error err;
	char msg[256];

	conf_init_defaults(&c, 4);
	CHECK_INT(conf_parse(&c, text, strlen(text), &err), -1);
	conf_error_format(&err, msg, sizeof(msg));
	if (!strstr(msg, want))
		unit_fail(__FILE__, __LINE__, "'%s' lacks '%s'", msg, want);
	/* nothing changed */
	CHECK_INT(c.allow.enabled, 0);
	CHECK_INT(c.allow.entry[0].family, ALLOW_NONE);
}

static void test_conf_refusals(void)
{
	conf_refused("[allow]\nentry1 = 10.0.0.0/8\nentry2 = 10.0.0.0/8\n",
		     "line 3: [allow] entry2: 10.0.0.0/255.0.0.0 is already entry 1");
	conf_refused("[allow]\nenabled = on\nentry1 = 10.0.0.1/8\n",
		     "line 3: entry1: the address has bits set outside its netmask");
	conf_refused("[allow-port 5]\nentry1 = 10.0.0.1\n",
		     "no such allow-port");
	conf_refused("[allow]\nentry17 = 10.0.0.1\n", "unknown key 'entry17'");
	conf_refused("[allow]\nentry1 =\n", "missing value");
	conf_refused("[allow-port 1]\nentry2 = fd50::/64\n"
		     "entry4 = fd50::/64\n",
		     "line 3: [allow-port 1] entry4: fd50::/64 is already entry 2");
}

static int has_service(const struct allow_service *s, unsigned int n,
		       uint8_t proto, uint16_t port, unsigned int serial)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (s[i].proto == proto && s[i].port == port &&
		    s[i].serial == serial)
			return 1;
	}
	return 0;
}

static void test_services(void)
{
	static struct pb_conf c;
	struct allow_service s[ALLOW_SERVICES_MAX];
	unsigned int n;

	parse_conf(&c, "[port 2]\nmode = udp\n[port 3]\nmode = real-com\n"
		       "[port 4]\nmode = disabled\n"
		       "[console]\nssh = on\nhttps = off\n"
		       "[services]\nmoxa = on\n");
	n = conf_allow_services(&c, s);
	CHECK(has_service(s, n, IPPROTO_TCP, 22, 0));
	CHECK(!has_service(s, n, IPPROTO_TCP, 443, 0));
	CHECK(has_service(s, n, IPPROTO_TCP, 4900, 0));
	CHECK(has_service(s, n, IPPROTO_UDP, 4800, 0));
	CHECK(has_service(s, n, IPPROTO_TCP, 4001, 1));
	CHECK(has_service(s, n, IPPROTO_UDP, 4002, 2));
	CHECK(has_service(s, n, IPPROTO_TCP, 952, 3));
	CHECK(has_service(s, n, IPPROTO_TCP, 968, 3));
	CHECK(!has_service(s, n, IPPROTO_TCP, 4004, 4));
	CHECK_INT(n, 7);
}

static void test_guard(void)
{
	static struct pb_conf c;
	uint8_t me[16], other[16];

	addr(me, "10.0.2.2");
	addr(other, "10.0.3.3");
	parse_conf(&c, "[allow]\nenabled = off\n");
	CHECK_INT(conf_allow_admits(&c, me, IPPROTO_TCP, 22), 1);
	/* on and empty: nobody reaches a protected service */
	parse_conf(&c, "[allow]\nenabled = on\n");
	CHECK_INT(conf_allow_admits(&c, me, IPPROTO_TCP, 22), 0);
	/* loopback always passes; unprotected ports are not filtered */
	addr(other, "127.0.0.1");
	CHECK_INT(conf_allow_admits(&c, other, IPPROTO_TCP, 22), 1);
	CHECK_INT(conf_allow_admits(&c, me, IPPROTO_TCP, 4999), 1);
	parse_conf(&c, "[allow]\nenabled = on\nentry1 = 10.0.2.0/24\n");
	CHECK_INT(conf_allow_admits(&c, me, IPPROTO_TCP, 22), 1);
	parse_conf(&c, "[allow]\nenabled = on\nentry1 = 10.0.2.0/24 off\n");
	CHECK_INT(conf_allow_admits(&c, me, IPPROTO_TCP, 22), 0);
	/* a port's list admits to that port's services only */
	parse_conf(&c, "[allow]\nenabled = on\n"
		       "[allow-port 1]\nentry1 = 10.0.2.2\n");
	CHECK_INT(conf_allow_admits(&c, me, IPPROTO_TCP, 4001), 1);
	CHECK_INT(conf_allow_admits(&c, me, IPPROTO_TCP, 4002), 0);
	CHECK_INT(conf_allow_admits(&c, me, IPPROTO_TCP, 22), 0);
}

static const struct unit_test tests[] = {
	{ "entry_forms", test_entry_forms },
	{ "entry_refusals", test_entry_refusals },
	{ "match", test_match },
	{ "list_duplicates", test_list_duplicates },
	{ "conf_sections", test_conf_sections },
	{ "conf_refusals", test_conf_refusals },
	{ "services", test_services },
	{ "guard", test_guard },
};

UNIT_SUITE(allow_tests, "allow", tests);
