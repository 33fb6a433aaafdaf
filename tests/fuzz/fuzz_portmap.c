// SPDX-License-Identifier: GPL-2.0
/*
 * The port map over arbitrary blobs.  An input that starts with the FDT
 * magic is taken as a blob as is (any bytes: must be refused cleanly);
 * any other input is a little program that builds a well-formed blob with
 * libfdt's sequential writer, so the fuzzer reaches the port map logic
 * (phandles, cell sizes, string lists) instead of dying in the header
 * checks of an uninstrumented libfdt.
 */
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "portmap.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char *const prop_names[] = {
	"compatible", "reg", "portbridge,tty", "uart", "portbridge,interfaces",
	"label", "model", "phandle", "portbridge,num-ports", "#address-cells",
};

#define N_PROPS		(sizeof(prop_names) / sizeof(prop_names[0]))
#define BLOB_MAX	(64 * 1024)
#define DEPTH_MAX	8

struct input {
	const unsigned char *p;
	size_t left;
};

static int take(struct input *in, unsigned char *c)
{
	if (!in->left)
		return 0;
	*c = *in->p++;
	in->left--;
	return 1;
}

/* Up to 63 bytes of the input as a property value or node name. */
static size_t take_bytes(struct input *in, const unsigned char **bytes)
{
	unsigned char len;

	if (!take(in, &len))
		return 0;
	len &= 63;
	if (len > in->left)
		len = in->left;
	*bytes = in->p;
	in->p += len;
	in->left -= len;
	return len;
}

static int add_node(void *fdt, struct input *in, int *depth)
{
	const unsigned char *name;
	char buf[64];
	size_t len = take_bytes(in, &name), i;

	if (*depth >= DEPTH_MAX)
		return 0;
	for (i = 0; i < len; i++)	/* names are C strings */
		buf[i] = name[i] ? name[i] : '_';
	buf[len] = '\0';
	if (len == 0)
		memcpy(buf, "n", 2);
	if (fdt_begin_node(fdt, buf))
		return -1;
	(*depth)++;
	return 0;
}

static int add_prop(void *fdt, struct input *in)
{
	const unsigned char *val = NULL;
	unsigned char which;
	size_t len;

	if (!take(in, &which))
		return 0;
	len = take_bytes(in, &val);
	return fdt_property(fdt, prop_names[which % N_PROPS], val, len);
}

static int build(void *fdt, struct input *in)
{
	unsigned char op;
	int depth = 1;

	if (fdt_create(fdt, BLOB_MAX) || fdt_finish_reservemap(fdt) ||
	    fdt_begin_node(fdt, ""))
		return -1;
	while (take(in, &op)) {
		int rc = 0;

		switch (op % 5) {
		case 0:
			rc = add_node(fdt, in, &depth);
			break;
		case 1:
		case 2:
			rc = add_prop(fdt, in);
			break;
		case 3:
			if (depth > 1) {
				rc = fdt_end_node(fdt);
				depth--;
			}
			break;
		case 4:
			rc = fdt_property_string(fdt, "compatible",
						 PORTMAP_COMPATIBLE);
			break;
		}
		if (rc)
			return -1;
	}
	while (depth--) {
		if (fdt_end_node(fdt))
			return -1;
	}
	return fdt_finish(fdt);
}

static void check(const struct portmap *map)
{
	unsigned int i;

	if (map->nports < 1 || map->nports > PB_MAX_PORTS)
		abort();
	for (i = 0; i < map->nports; i++) {
		const struct portmap_port *p = &map->port[i];

		if (!p->tty[0] && !p->uart_path[0])
			abort();
		if (p->tty[0] && !portmap_tty_name_ok(p->tty))
			abort();
		if (p->uart_path[0] && p->uart_path[0] != '/')
			abort();
	}
}

static void parse(const void *blob, size_t size)
{
	struct portmap map;
	char err[256];

	if (portmap_parse(blob, size, &map, err, sizeof(err)) == 0)
		check(&map);
	else if (strlen(err) >= sizeof(err))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const unsigned char magic[4] = { 0xd0, 0x0d, 0xfe, 0xed };
	struct input in = { data, size };
	void *blob;

	/* libfdt wants the blob 8-byte aligned, as malloc gives it */
	blob = malloc(size > BLOB_MAX ? size : BLOB_MAX);
	if (!blob)
		return 0;
	if (size >= 4 && !memcmp(data, magic, 4)) {
		memcpy(blob, data, size);
		parse(blob, size);
	} else if (build(blob, &in) == 0) {
		parse(blob, fdt_totalsize(blob));
	}
	free(blob);
	return 0;
}
