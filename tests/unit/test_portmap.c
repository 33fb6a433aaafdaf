// SPDX-License-Identifier: GPL-2.0
/* The device tree port map and tty resolution. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libfdt.h>

#include "portmap.h"
#include "unit.h"

static const char *const target_uarts[] = {
	"/soc/bus@2000000/bus@2000000/serial@2020000",	/* console */
	"/soc/bus@2100000/serial@21e8000",
	"/soc/bus@2100000/serial@21ec000",
	"/soc/bus@2100000/serial@21f0000",
	"/soc/bus@2100000/serial@21f4000",
};

static char *load_dtb(const char *name, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", unit_env("PB_DTB_DIR"), name);
	return unit_read(path, len);
}

static void parse_ok(const void *blob, size_t len, struct portmap *map)
{
	char err[256];

	if (portmap_parse(blob, len, map, err, sizeof(err)))
		unit_fail(__FILE__, __LINE__, "portmap_parse: %s", err);
}

static void test_reference(void)
{
	struct portmap map;
	char tty[32], err[256], ifs[64];
	unsigned int i;
	size_t len;
	char *blob = load_dtb("reference.dtb", &len);

	parse_ok(blob, len, &map);
	CHECK_STR(map.model, "portbridge QEMU reference board");
	CHECK_INT(map.nports, 4);
	for (i = 0; i < 4; i++) {
		char want[16];

		snprintf(want, sizeof(want), "ttyS%u", 4 + i);
		CHECK_STR(map.port[i].tty, want);
		CHECK_STR(map.port[i].uart_path, "");
		CHECK_INT(map.port[i].interfaces, PORTMAP_IF_RS232);
		/* a tty name needs no sysfs */
		CHECK_INT(portmap_resolve_tty("/nonexistent", &map.port[i], tty,
					      sizeof(tty), err, sizeof(err)), 0);
		CHECK_STR(tty, want);
	}
	CHECK_STR(map.port[0].label, "P1");
	portmap_format_interfaces(map.port[0].interfaces, ifs, sizeof(ifs));
	CHECK_STR(ifs, "rs232");
	free(blob);
}

static void test_target(void)
{
	struct portmap map;
	char ifs[64];
	unsigned int i;
	size_t len;
	char *blob = load_dtb("target.dtb", &len);

	parse_ok(blob, len, &map);
	CHECK_STR(map.model, "portbridge PB-4 serial device server");
	CHECK_INT(map.nports, 4);
	for (i = 0; i < 4; i++) {
		CHECK_STR(map.port[i].tty, "");
		CHECK_STR(map.port[i].uart_path, target_uarts[i + 1]);
	}
	portmap_format_interfaces(map.port[0].interfaces, ifs, sizeof(ifs));
	CHECK_STR(ifs, "rs232,rs422,rs485-2w,rs485-4w");
	portmap_format_interfaces(map.port[3].interfaces, ifs, sizeof(ifs));
	CHECK_STR(ifs, "rs232,rs485-2w");
	free(blob);
}

static void make_dir(const char *fmt, const char *a, const char *b)
{
	char path[4096], cmd[4200];

	snprintf(path, sizeof(path), fmt, a, b);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	CHECK_INT(system(cmd), 0);
}

static void make_link(const char *target, const char *fmt, const char *a,
		      const char *b)
{
	char path[4096];

	snprintf(path, sizeof(path), fmt, a, b);
	if (symlink(target, path))
		unit_fail(__FILE__, __LINE__, "symlink %s", path);
}

/*
 * A fake /sys: class/tty/<tty>/device -> devices/<dev>, whose of_node
 * points into firmware/devicetree/base like the real one.
 */
static void fake_tty(const char *sys, const char *tty, const char *dev,
		     const char *of_path)
{
	char target[512];

	make_dir("%s/class/tty/%s", sys, tty);
	if (!dev)
		return;
	make_dir("%s/devices/%s", sys, dev);
	snprintf(target, sizeof(target), "../../../devices/%s", dev);
	{
		char link[4096];

		snprintf(link, sizeof(link), "%s/class/tty/%s/device", sys, tty);
		CHECK_INT(symlink(target, link), 0);
	}
	if (!of_path)
		return;
	snprintf(target, sizeof(target),
		 "../../../firmware/devicetree/base%s", of_path);
	make_link(target, "%s/devices/%s/of_node", sys, dev);
}

static void build_sysfs(char *sys, size_t size)
{
	char name[32], dev[32];
	unsigned int i;

	unit_tmpdir(sys, size, "portmap_sysfs");
	/* decoys first in sort order: they must not match */
	fake_tty(sys, "tty0", "virtual", NULL);
	fake_tty(sys, "ttyDECOY", "decoy",
		 "/x/soc/bus@2100000/serial@21e8000");
	fake_tty(sys, "ttyLONG", "long", "/soc/bus@2100000/serial@21e80000");
	fake_tty(sys, "ttyS0", NULL, NULL);
	fake_tty(sys, "bad name", "bad", "/soc/bus@2100000/serial@21e8000");
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "ttymxc%u", i);
		snprintf(dev, sizeof(dev), "uart%u", i + 1);
		fake_tty(sys, name, dev, target_uarts[i]);
	}
}

static void test_resolve_sysfs(void)
{
	char sys[4096], tty[32], err[512], want[32], cmd[4200];
	struct portmap map;
	unsigned int i;
	size_t len;
	char *blob = load_dtb("target.dtb", &len);

	parse_ok(blob, len, &map);
	build_sysfs(sys, sizeof(sys));
	for (i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "ttymxc%u", i + 1);
		if (portmap_resolve_tty(sys, &map.port[i], tty, sizeof(tty), err,
					sizeof(err)))
			unit_fail(__FILE__, __LINE__, "port %u: %s", i + 1, err);
		CHECK_STR(tty, want);
	}

	/* the UART of port 4 has no tty (driver not loaded) */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/class/tty/ttymxc4'", sys);
	CHECK_INT(system(cmd), 0);
	CHECK_INT(portmap_resolve_tty(sys, &map.port[3], tty, sizeof(tty), err,
				      sizeof(err)), -1);
	{
		char expect[4400];

		snprintf(expect, sizeof(expect),
			 "no tty in %s/class/tty has the of_node /soc/bus@2100000/serial@21f4000 (UART driver not loaded?)",
			 sys);
		CHECK_STR(err, expect);
	}
	CHECK_INT(portmap_resolve_tty("/nonexistent", &map.port[0], tty,
				      sizeof(tty), err, sizeof(err)), -1);
	CHECK_STR(err, "cannot read /nonexistent/class/tty: No such file or directory");
	free(blob);
}

/* ---- hand-made blobs ---- */

struct bport {
	uint32_t reg;
	int reg_len;		/* 4 normally; 0: no reg; 8: two cells */
	const char *tty;	/* NULL: none */
	int tty_len;		/* 0: strlen + 1 */
	uint32_t uart;		/* phandle, 0: none */
	int uart_len;		/* 0: 4 */
	const char *ifaces;	/* raw string list, NULL: none */
	int ifaces_len;
};

struct bopts {
	int maps;		/* port-map nodes: 0, 1 or 2 */
	int num_ports;		/* -1: no property */
};

static char blob_buf[16384] __attribute__((aligned(8)));

static void put_port(void *fdt, unsigned int i, const struct bport *p)
{
	char name[16];
	fdt32_t cells[2] = { cpu_to_fdt32(p->reg), cpu_to_fdt32(p->reg) };

	snprintf(name, sizeof(name), "port-%u", i);
	CHECK_INT(fdt_begin_node(fdt, name), 0);
	if (p->reg_len)
		CHECK_INT(fdt_property(fdt, "reg", cells, p->reg_len), 0);
	if (p->tty)
		CHECK_INT(fdt_property(fdt, "portbridge,tty", p->tty,
				       p->tty_len ? p->tty_len :
				       (int)strlen(p->tty) + 1), 0);
	if (p->uart) {
		fdt32_t ph = cpu_to_fdt32(p->uart);

		CHECK_INT(fdt_property(fdt, "uart", &ph,
				       p->uart_len ? p->uart_len : 4), 0);
	}
	if (p->ifaces)
		CHECK_INT(fdt_property(fdt, "portbridge,interfaces", p->ifaces,
				       p->ifaces_len), 0);
	CHECK_INT(fdt_end_node(fdt), 0);
}

static void put_map(void *fdt, const char *name, const struct bport *ports,
		    unsigned int n, const struct bopts *o)
{
	unsigned int i;

	CHECK_INT(fdt_begin_node(fdt, name), 0);
	CHECK_INT(fdt_property_string(fdt, "compatible", PORTMAP_COMPATIBLE),
		  0);
	if (o->num_ports >= 0)
		CHECK_INT(fdt_property_u32(fdt, "portbridge,num-ports",
					   o->num_ports), 0);
	for (i = 0; i < n; i++)
		put_port(fdt, i, &ports[i]);
	CHECK_INT(fdt_end_node(fdt), 0);
}

static size_t build(const struct bport *ports, unsigned int n,
		    const struct bopts *o)
{
	void *fdt = blob_buf;

	CHECK_INT(fdt_create(fdt, sizeof(blob_buf)), 0);
	CHECK_INT(fdt_finish_reservemap(fdt), 0);
	CHECK_INT(fdt_begin_node(fdt, ""), 0);
	CHECK_INT(fdt_property_string(fdt, "model", "test board"), 0);
	CHECK_INT(fdt_begin_node(fdt, "soc"), 0);
	CHECK_INT(fdt_begin_node(fdt, "serial@1000"), 0);
	CHECK_INT(fdt_property_u32(fdt, "phandle", 0x10), 0);
	CHECK_INT(fdt_end_node(fdt), 0);
	CHECK_INT(fdt_end_node(fdt), 0);
	if (o->maps >= 1)
		put_map(fdt, "port-map", ports, n, o);
	if (o->maps >= 2)
		put_map(fdt, "port-map-2", ports, n, o);
	CHECK_INT(fdt_end_node(fdt), 0);
	CHECK_INT(fdt_finish(fdt), 0);
	return fdt_totalsize(fdt);
}

static void expect_error(const struct bport *ports, unsigned int n,
			 const struct bopts *o, const char *want)
{
	struct portmap map;
	char err[256];
	size_t len = build(ports, n, o);

	if (!portmap_parse(blob_buf, len, &map, err, sizeof(err)))
		unit_fail(__FILE__, __LINE__, "parsed, expected \"%s\"", want);
	if (strcmp(err, want))
		unit_fail(__FILE__, __LINE__, "got \"%s\", expected \"%s\"",
			  err, want);
}

#define TTY(r, name)	{ .reg = (r), .reg_len = 4, .tty = (name) }
#define NPORTS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct bopts one_map = { .maps = 1, .num_ports = -1 };

static void test_hand_made_ok(void)
{
	static const struct bport ports[] = {
		TTY(2, "ttyUSB0"),
		{ .reg = 1, .reg_len = 4, .uart = 0x10,
		  .ifaces = "rs422\0rs485-4w", .ifaces_len = 15 },
	};
	struct bopts o = { .maps = 1, .num_ports = 2 };
	struct portmap map;
	size_t len = build(ports, 2, &o);

	parse_ok(blob_buf, len, &map);
	CHECK_STR(map.model, "test board");
	CHECK_INT(map.nports, 2);
	CHECK_STR(map.port[0].uart_path, "/soc/serial@1000");
	CHECK_INT(map.port[0].interfaces,
		  PORTMAP_IF_RS422 | PORTMAP_IF_RS485_4W);
	CHECK_STR(map.port[1].tty, "ttyUSB0");
	CHECK_INT(map.port[1].interfaces, 0);
}

static void test_max_ports(void)
{
	static struct bport ports[PB_MAX_PORTS];
	static char names[PB_MAX_PORTS][16];
	struct portmap map;
	unsigned int i;
	size_t len;

	for (i = 0; i < PB_MAX_PORTS; i++) {
		snprintf(names[i], sizeof(names[i]), "ttyS%u", i);
		ports[i].reg = PB_MAX_PORTS - i;
		ports[i].reg_len = 4;
		ports[i].tty = names[i];
	}
	len = build(ports, PB_MAX_PORTS, &one_map);
	parse_ok(blob_buf, len, &map);
	CHECK_INT(map.nports, PB_MAX_PORTS);
	CHECK_STR(map.port[0].tty, "ttyS31");
}

static void test_errors(void)
{
	static const struct bport dup[] = { TTY(1, "ttyS1"), TTY(1, "ttyS2") };
	static const struct bport gap[] = { TTY(1, "ttyS1"), TTY(3, "ttyS3") };
	static const struct bport reg0[] = { TTY(0, "ttyS1") };
	static const struct bport reg33[] = { TTY(33, "ttyS1") };
	static const struct bport noreg[] = { { .tty = "ttyS1" } };
	static const struct bport reg2[] = {
		{ .reg = 1, .reg_len = 8, .tty = "ttyS1" } };
	static const struct bport none[] = { { .reg = 1, .reg_len = 4 } };
	static const struct bport dotdot[] = { TTY(1, "..") };
	static const struct bport slash[] = { TTY(1, "tty/S0") };
	static const struct bport empty[] = { TTY(1, "") };
	static const struct bport digit[] = { TTY(1, "0tty") };
	static const struct bport longname[] = {
		TTY(1, "ttyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") };
	static const struct bport nonul[] = {
		{ .reg = 1, .reg_len = 4, .tty = "ttyS1", .tty_len = 5 } };
	static const struct bport twostr[] = {
		{ .reg = 1, .reg_len = 4, .tty = "ttyS1\0ttyS2", .tty_len = 12 } };
	static const struct bport dangling[] = {
		{ .reg = 1, .reg_len = 4, .uart = 0x99 } };
	static const struct bport uart8[] = {
		{ .reg = 1, .reg_len = 4, .uart = 0x10, .uart_len = 2 } };
	static const struct bport badif[] = {
		{ .reg = 1, .reg_len = 4, .tty = "ttyS1",
		  .ifaces = "rs232\0rs999", .ifaces_len = 12 } };
	static const struct bport ifnonul[] = {
		{ .reg = 1, .reg_len = 4, .tty = "ttyS1",
		  .ifaces = "rs232", .ifaces_len = 5 } };
	struct bopts two = { .maps = 2, .num_ports = -1 };
	struct bopts nomap = { .maps = 0, .num_ports = -1 };
	struct bopts count = { .maps = 1, .num_ports = 3 };

	expect_error(dup, 2, &one_map, "port 1 is defined twice");
	expect_error(gap, 2, &one_map,
		     "port 2 is missing (ports are numbered 1..N)");
	expect_error(reg0, 1, &one_map,
		     "port map node port-0: reg must be one cell, 1..32");
	expect_error(reg33, 1, &one_map,
		     "port map node port-0: reg must be one cell, 1..32");
	expect_error(noreg, 1, &one_map,
		     "port map node port-0: reg must be one cell, 1..32");
	expect_error(reg2, 1, &one_map,
		     "port map node port-0: reg must be one cell, 1..32");
	expect_error(none, 1, &one_map, "port 1: needs portbridge,tty or uart");
	expect_error(dotdot, 1, &one_map,
		     "port 1: portbridge,tty is not a tty name");
	expect_error(slash, 1, &one_map,
		     "port 1: portbridge,tty is not a tty name");
	expect_error(empty, 1, &one_map,
		     "port 1: portbridge,tty is not a tty name");
	expect_error(digit, 1, &one_map,
		     "port 1: portbridge,tty is not a tty name");
	expect_error(longname, 1, &one_map,
		     "port 1: portbridge,tty is not a tty name");
	expect_error(nonul, 1, &one_map,
		     "port 1: portbridge,tty is not a tty name");
	expect_error(twostr, 1, &one_map,
		     "port 1: portbridge,tty is not a tty name");
	expect_error(dangling, 1, &one_map,
		     "port 1: uart phandle 0x99 points to no node");
	expect_error(uart8, 1, &one_map, "port 1: uart must be one phandle");
	expect_error(badif, 1, &one_map,
		     "port 1: unknown interface 'rs999' (rs232, rs422, rs485-2w, rs485-4w)");
	expect_error(ifnonul, 1, &one_map,
		     "port 1: portbridge,interfaces is not a string list");
	expect_error(dup, 0, &one_map, "port map has no ports");
	expect_error(dup, 1, &two, "more than one \"portbridge,port-map\" node");
	expect_error(dup, 1, &nomap,
		     "no node compatible with \"portbridge,port-map\"");
	expect_error(gap, 1, &count,
		     "portbridge,num-ports does not match the 1 ports");
}

static void test_bad_blobs(void)
{
	static char garbage[256] __attribute__((aligned(8)));
	struct portmap map;
	char err[256];
	size_t len, cut;
	char *blob = load_dtb("reference.dtb", &len);

	memset(garbage, 0xd0, sizeof(garbage));
	CHECK_INT(portmap_parse(garbage, sizeof(garbage), &map, err,
				sizeof(err)), -1);
	CHECK(!strncmp(err, "not a valid device tree blob: ", 30));
	CHECK_INT(portmap_parse(garbage, 0, &map, err, sizeof(err)), -1);
	/* old formats are refused before libfdt looks deeper (a libfdt
	 * 1.6.1 NULL dereference on version 3 blobs, found by fuzzing) */
	{
		char *old = malloc(len);

		CHECK(old != NULL);
		memcpy(old, blob, len);
		((fdt32_t *)old)[5] = cpu_to_fdt32(3);	/* version */
		CHECK_INT(portmap_parse(old, len, &map, err, sizeof(err)), -1);
		CHECK_STR(err, "not a valid device tree blob: version older than 17 (recompile it with dtc)");
		((fdt32_t *)old)[0] = 0;		/* magic */
		CHECK_INT(portmap_parse(old, len, &map, err, sizeof(err)), -1);
		CHECK_STR(err, "not a valid device tree blob: bad magic");
		free(old);
	}
	CHECK_INT(portmap_parse(blob, 39, &map, err, sizeof(err)), -1);
	CHECK_STR(err, "not a valid device tree blob: too short");
	/* every truncation of a good blob is refused, none crashes */
	for (cut = 0; cut < len; cut++)
		CHECK_INT(portmap_parse(blob, cut, &map, err, sizeof(err)), -1);
	parse_ok(blob, len, &map);
	free(blob);
}

/* Patch a copy of the reference blob and expect the walker to refuse it. */
static void expect_bad(const char *blob, size_t len, size_t off,
		       uint32_t val, const char *want)
{
	struct portmap map;
	char err[256];
	char *copy = malloc(len);

	CHECK(copy != NULL);
	memcpy(copy, blob, len);
	*(fdt32_t *)(copy + off) = cpu_to_fdt32(val);
	CHECK_INT(portmap_parse(copy, len, &map, err, sizeof(err)), -1);
	CHECK_STR(err, want);
	free(copy);
}

#define BAD(x)	"not a valid device tree blob: " x

static void test_structure_walk(void)
{
	size_t len, st;
	char *blob = load_dtb("reference.dtb", &len);

	st = fdt_off_dt_struct(blob);
	/* the root is BEGIN_NODE "" (8 bytes), then the "model" property */
	CHECK_INT(fdt32_to_cpu(*(fdt32_t *)(blob + st + 8)), FDT_PROP);
	/* length -12: libfdt 1.6.1 would loop forever on this */
	expect_bad(blob, len, st + 12, 0xfffffff4,
		   BAD("property longer than the structure block"));
	expect_bad(blob, len, st + 16, 0x7fffffff,
		   BAD("property name outside the strings block"));
	expect_bad(blob, len, st + 8, 0x12345678, BAD("unknown tag"));
	expect_bad(blob, len, st + 8, FDT_END, BAD("unbalanced nodes"));
	/* the root ends early; the next word (a length) is no tag */
	expect_bad(blob, len, st + 8, FDT_END_NODE, BAD("unknown tag"));
	expect_bad(blob, len, st + 4, 0x41000000,
		   BAD("not exactly one root node"));
	expect_bad(blob, len, st, FDT_END_NODE,
		   BAD("unbalanced end of node"));
	expect_bad(blob, len, st, FDT_PROP,
		   BAD("property outside of a node"));
	expect_bad(blob, len, 4, len + 1, BAD("truncated"));
	expect_bad(blob, len, 8, 2, BAD("blocks outside the blob"));
	expect_bad(blob, len, 36, len, BAD("blocks outside the blob"));
	expect_bad(blob, len, 36, fdt_size_dt_struct(blob) - 4,
		   BAD("structure block truncated"));
	free(blob);
}

static void test_tty_names(void)
{
	char ifs[8];

	CHECK(portmap_tty_name_ok("ttyS4"));
	CHECK(portmap_tty_name_ok("ttymxc1"));
	CHECK(portmap_tty_name_ok("ttyAMA0"));
	CHECK(portmap_tty_name_ok("tty_x-1"));
	CHECK(!portmap_tty_name_ok(""));
	CHECK(!portmap_tty_name_ok("."));
	CHECK(!portmap_tty_name_ok("tty S"));
	CHECK(!portmap_tty_name_ok("-tty"));
	CHECK(!portmap_tty_name_ok("tty.1"));
	CHECK(portmap_tty_name_ok("t234567890123456789012345678901"));
	CHECK(!portmap_tty_name_ok("t2345678901234567890123456789012"));
	portmap_format_interfaces(0xf, ifs, sizeof(ifs));
	CHECK_STR(ifs, "rs232,r");
}

static const struct unit_test tests[] = {
	{ "reference", test_reference },
	{ "target", test_target },
	{ "resolve_sysfs", test_resolve_sysfs },
	{ "hand_made_ok", test_hand_made_ok },
	{ "max_ports", test_max_ports },
	{ "errors", test_errors },
	{ "bad_blobs", test_bad_blobs },
	{ "structure_walk", test_structure_walk },
	{ "tty_names", test_tty_names },
};

UNIT_SUITE(portmap_tests, "portmap", tests);
