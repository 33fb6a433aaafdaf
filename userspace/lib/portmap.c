// SPDX-License-Identifier: GPL-2.0
/*
 * The port map: which UART serves which port.  portmap_parse() is pure and
 * takes any bytes; portmap_resolve_tty() reads sysfs.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libfdt.h>

#include "portmap.h"
#include "text.h"

static const struct {
	const char *name;
	unsigned int bit;
} iface_names[] = {
	{ "rs232", PORTMAP_IF_RS232 },
	{ "rs422", PORTMAP_IF_RS422 },
	{ "rs485-2w", PORTMAP_IF_RS485_2W },
	{ "rs485-4w", PORTMAP_IF_RS485_4W },
};

#define N_IFACES	(sizeof(iface_names) / sizeof(iface_names[0]))

int portmap_tty_name_ok(const char *name)
{
	size_t i;

	if (!((name[0] >= 'a' && name[0] <= 'z') ||
	      (name[0] >= 'A' && name[0] <= 'Z')))
		return 0;
	for (i = 1; name[i]; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return i < PORTMAP_TTY_MAX;
}

void portmap_format_interfaces(unsigned int interfaces, char *buf,
			       size_t size)
{
	struct textbuf tb;
	size_t i;
	int first = 1;

	textbuf_init(&tb, buf, size);
	for (i = 0; i < N_IFACES; i++) {
		if (!(interfaces & iface_names[i].bit))
			continue;
		textbuf_printf(&tb, "%s%s", first ? "" : ",",
			       iface_names[i].name);
		first = 0;
	}
}

/*
 * A string property: 1 and the string in @buf, 0 if absent, -1 if it is
 * not one NUL-terminated string that fits.
 */
static int get_string(const void *fdt, int node, const char *name,
		      char *buf, size_t size)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, name, &len);
	if (!s)
		return 0;
	if (len < 1 || s[len - 1] != '\0' || strlen(s) != (size_t)len - 1 ||
	    (size_t)len > size)
		return -1;
	memcpy(buf, s, len);
	return 1;
}

/* A one-cell property: 1 and *v, 0 if absent, -1 if not one cell. */
static int get_cell(const void *fdt, int node, const char *name, uint32_t *v)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return 0;
	if (len != sizeof(*p))
		return -1;
	*v = fdt32_to_cpu(*p);
	return 1;
}

static int parse_interfaces(const void *fdt, int node, unsigned int index,
			    struct portmap_port *port, char *err,
			    size_t errsize)
{
	char quoted[TEXT_QUOTE_MAX];
	const char *list;
	int len, off = 0;
	size_t i;

	list = fdt_getprop(fdt, node, "portbridge,interfaces", &len);
	if (!list)
		return 0;
	if (len < 1 || list[len - 1] != '\0') {
		snprintf(err, errsize,
			 "port %u: portbridge,interfaces is not a string list",
			 index);
		return -1;
	}
	while (off < len) {
		const char *s = list + off;
		size_t slen = strlen(s);

		for (i = 0; i < N_IFACES; i++) {
			if (!strcmp(s, iface_names[i].name))
				break;
		}
		if (i == N_IFACES) {
			text_quote(quoted, sizeof(quoted), s, slen);
			snprintf(err, errsize,
				 "port %u: unknown interface '%s' (rs232, rs422, rs485-2w, rs485-4w)",
				 index, quoted);
			return -1;
		}
		port->interfaces |= iface_names[i].bit;
		off += slen + 1;
	}
	return 0;
}

static int parse_uart(const void *fdt, int node, unsigned int index,
		      struct portmap_port *port, char *err, size_t errsize)
{
	uint32_t phandle;
	int uart, rc;

	rc = get_cell(fdt, node, "uart", &phandle);
	if (rc == 0)
		return 0;
	if (rc < 0) {
		snprintf(err, errsize, "port %u: uart must be one phandle",
			 index);
		return -1;
	}
	uart = fdt_node_offset_by_phandle(fdt, phandle);
	if (uart < 0) {
		snprintf(err, errsize,
			 "port %u: uart phandle 0x%x points to no node", index,
			 phandle);
		return -1;
	}
	if (fdt_get_path(fdt, uart, port->uart_path,
			 sizeof(port->uart_path))) {
		snprintf(err, errsize, "port %u: uart node path too long",
			 index);
		return -1;
	}
	return 0;
}

static int parse_names(const void *fdt, int node, unsigned int index,
		       struct portmap_port *port, char *err, size_t errsize)
{
	int rc;

	rc = get_string(fdt, node, "portbridge,tty", port->tty,
			sizeof(port->tty));
	if (rc < 0 || (rc > 0 && !portmap_tty_name_ok(port->tty))) {
		snprintf(err, errsize,
			 "port %u: portbridge,tty is not a tty name", index);
		return -1;
	}
	if (get_string(fdt, node, "label", port->label,
		       sizeof(port->label)) < 0) {
		snprintf(err, errsize, "port %u: label is not a string",
			 index);
		return -1;
	}
	return 0;
}

static int parse_port(const void *fdt, int node, struct portmap *map,
		      char *err, size_t errsize)
{
	char name[PORTMAP_NAME_MAX];
	struct portmap_port *port;
	const char *node_name;
	uint32_t index;

	node_name = fdt_get_name(fdt, node, NULL);
	text_quote(name, sizeof(name), node_name ? node_name : "?",
		   node_name ? strlen(node_name) : 1);
	if (get_cell(fdt, node, "reg", &index) != 1 || index < 1 ||
	    index > PB_MAX_PORTS) {
		snprintf(err, errsize,
			 "port map node %s: reg must be one cell, 1..%u", name,
			 PB_MAX_PORTS);
		return -1;
	}
	port = &map->port[index - 1];
	if (port->tty[0] || port->uart_path[0]) {
		snprintf(err, errsize, "port %u is defined twice", index);
		return -1;
	}
	if (parse_names(fdt, node, index, port, err, errsize) ||
	    parse_uart(fdt, node, index, port, err, errsize) ||
	    parse_interfaces(fdt, node, index, port, err, errsize))
		return -1;
	if (!port->tty[0] && !port->uart_path[0]) {
		snprintf(err, errsize,
			 "port %u: needs portbridge,tty or uart", index);
		return -1;
	}
	if (index > map->nports)
		map->nports = index;
	return 0;
}

static int check_ports(const void *fdt, int node, struct portmap *map,
		       char *err, size_t errsize)
{
	uint32_t declared;
	unsigned int i;
	int rc;

	if (map->nports == 0) {
		snprintf(err, errsize, "port map has no ports");
		return -1;
	}
	for (i = 0; i < map->nports; i++) {
		if (!map->port[i].tty[0] && !map->port[i].uart_path[0]) {
			snprintf(err, errsize,
				 "port %u is missing (ports are numbered 1..N)",
				 i + 1);
			return -1;
		}
	}
	rc = get_cell(fdt, node, "portbridge,num-ports", &declared);
	if (rc < 0 || (rc > 0 && declared != map->nports)) {
		snprintf(err, errsize,
			 "portbridge,num-ports does not match the %u ports",
			 map->nports);
		return -1;
	}
	return 0;
}

static uint32_t be32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

#define ALIGN4(x)	(((x) + 3) & ~(size_t)3)
#define DEPTH_MAX	64

/* Where the blocks are; all within the blob (checked by get_layout). */
struct fdt_layout {
	const unsigned char *strct;
	size_t strct_size;
	const unsigned char *strings;
	size_t strings_size;
};

static const char *get_layout(const unsigned char *b, size_t len,
			      struct fdt_layout *l)
{
	uint64_t total = be32_at(b + 4);
	uint64_t off_struct = be32_at(b + 8), off_strings = be32_at(b + 12);
	uint64_t size_strings = be32_at(b + 32), size_struct = be32_at(b + 36);

	if (total < sizeof(struct fdt_header) || total > len)
		return "truncated";
	if (off_struct % 4 || off_struct < sizeof(struct fdt_header) ||
	    off_struct + size_struct > total ||
	    off_strings + size_strings > total)
		return "blocks outside the blob";
	l->strct = b + off_struct;
	l->strct_size = size_struct;
	l->strings = b + off_strings;
	l->strings_size = size_strings;
	return NULL;
}

/* A property: its length fits the block, its name is a string. */
static const char *walk_prop(const struct fdt_layout *l, size_t *pos)
{
	uint32_t plen, nameoff;

	if (l->strct_size - *pos < 12)
		return "structure block truncated";
	plen = be32_at(l->strct + *pos + 4);
	nameoff = be32_at(l->strct + *pos + 8);
	if (plen > l->strct_size - *pos - 12)
		return "property longer than the structure block";
	if (nameoff >= l->strings_size ||
	    !memchr(l->strings + nameoff, '\0', l->strings_size - nameoff))
		return "property name outside the strings block";
	*pos += 12 + ALIGN4((size_t)plen);
	return NULL;
}

static const char *walk_begin(const struct fdt_layout *l, size_t *pos,
			      int *depth, int *roots)
{
	const unsigned char *name = l->strct + *pos + 4;
	const unsigned char *end;

	end = memchr(name, '\0', l->strct_size - *pos - 4);
	if (!end)
		return "node name runs off the structure block";
	if (*depth == 0 && (++*roots > 1 || end != name))
		return "not exactly one root node";
	if (++*depth > DEPTH_MAX)
		return "nodes nested too deep";
	*pos = ALIGN4((size_t)(end + 1 - l->strct));
	return NULL;
}

/*
 * Walk the structure block once with every length checked, before libfdt
 * sees it: libfdt 1.6.1 loops forever on a property whose length is
 * -12, and dereferences a NULL name on blobs older than version 16 (both
 * found by fuzzing).  Every step moves forward by at least 4 bytes.
 */
static const char *walk_structure(const unsigned char *b, size_t len)
{
	struct fdt_layout l;
	size_t pos = 0;
	int depth = 0, roots = 0;
	const char *why;

	why = get_layout(b, len, &l);
	while (!why) {
		if (pos > l.strct_size || l.strct_size - pos < 4)
			return "structure block truncated";
		switch (be32_at(l.strct + pos)) {
		case FDT_BEGIN_NODE:
			why = walk_begin(&l, &pos, &depth, &roots);
			break;
		case FDT_END_NODE:
			if (depth-- == 0)
				return "unbalanced end of node";
			pos += 4;
			break;
		case FDT_PROP:
			if (depth == 0)
				return "property outside of a node";
			why = walk_prop(&l, &pos);
			break;
		case FDT_NOP:
			pos += 4;
			break;
		case FDT_END:
			return depth || !roots ? "unbalanced nodes" : NULL;
		default:
			return "unknown tag";
		}
	}
	return why;
}

/* Check the whole blob before any other libfdt call. */
static int check_blob(const void *blob, size_t len, char *err,
		      size_t errsize)
{
	const char *why = NULL;
	int rc;

	if (len > INT_MAX)
		why = "too large";
	else if (len < sizeof(struct fdt_header))
		why = "too short";
	else if (fdt_magic(blob) != FDT_MAGIC)
		why = "bad magic";
	else if (fdt_version(blob) < 17)
		why = "version older than 17 (recompile it with dtc)";
	else if ((why = walk_structure(blob, len)) == NULL &&
		 (rc = fdt_check_full(blob, len)) != 0)
		why = fdt_strerror(rc);
	if (!why)
		return 0;
	snprintf(err, errsize, "not a valid device tree blob: %s", why);
	return -1;
}

int portmap_parse(const void *blob, size_t len, struct portmap *map,
		  char *err, size_t errsize)
{
	int node, child;

	memset(map, 0, sizeof(*map));
	if (check_blob(blob, len, err, errsize))
		return -1;
	if (get_string(blob, 0, "model", map->model, sizeof(map->model)) < 0)
		map->model[0] = '\0';
	node = fdt_node_offset_by_compatible(blob, -1, PORTMAP_COMPATIBLE);
	if (node < 0) {
		snprintf(err, errsize, "no node compatible with \"%s\"",
			 PORTMAP_COMPATIBLE);
		return -1;
	}
	if (fdt_node_offset_by_compatible(blob, node, PORTMAP_COMPATIBLE) >=
	    0) {
		snprintf(err, errsize, "more than one \"%s\" node",
			 PORTMAP_COMPATIBLE);
		return -1;
	}
	fdt_for_each_subnode(child, blob, node) {
		if (parse_port(blob, child, map, err, errsize))
			return -1;
	}
	return check_ports(blob, node, map, err, errsize);
}

/* Does the of_node link @target point at the DT node @path? */
static int link_matches(const char *target, const char *path)
{
	char want[PORTMAP_PATH_MAX + 32];
	size_t tlen = strlen(target), wlen;

	snprintf(want, sizeof(want), "/devicetree/base%s", path);
	wlen = strlen(want);
	return tlen >= wlen && !strcmp(target + tlen - wlen, want);
}

static int tty_has_of_node(const char *sysfs, const char *tty,
			   const char *uart_path)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (snprintf(link, sizeof(link), "%s/class/tty/%s/device/of_node",
		     sysfs, tty) >= (int)sizeof(link))
		return 0;
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	return link_matches(target, uart_path);
}

static int find_tty(const char *sysfs, const char *uart_path, char *tty,
		    size_t ttysize)
{
	char dir[PATH_MAX];
	struct dirent **names;
	int i, n, found = -ENODEV;

	if (snprintf(dir, sizeof(dir), "%s/class/tty", sysfs) >=
	    (int)sizeof(dir))
		return -ENAMETOOLONG;
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (found == -ENODEV && portmap_tty_name_ok(name) &&
		    tty_has_of_node(sysfs, name, uart_path)) {
			snprintf(tty, ttysize, "%s", name);
			found = 0;
		}
		free(names[i]);
	}
	free(names);
	return found;
}

int portmap_resolve_tty(const char *sysfs, const struct portmap_port *p,
			char *tty, size_t ttysize, char *err, size_t errsize)
{
	int rc;

	if (p->tty[0]) {
		snprintf(tty, ttysize, "%s", p->tty);
		return 0;
	}
	rc = find_tty(sysfs, p->uart_path, tty, ttysize);
	if (rc == -ENODEV) {
		snprintf(err, errsize,
			 "no tty in %s/class/tty has the of_node %s (UART driver not loaded?)",
			 sysfs, p->uart_path);
		return -1;
	}
	if (rc) {
		snprintf(err, errsize, "cannot read %s/class/tty: %s", sysfs,
			 strerror(-rc));
		return -1;
	}
	return 0;
}
