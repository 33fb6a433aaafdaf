// SPDX-License-Identifier: GPL-2.0
/*
 * nlprobe: send hand-made requests to the portbridge kernel module, for the
 * VM tests only (it is in the test overlay, never in the board image).
 * pbctl and pbconfd validate before the kernel sees anything, so they can't
 * show that the kernel's own policy and privilege checks hold; this can.
 *
 *   nlprobe set CMD ATTR:TYPE:VALUE ...   one genl request; TYPE is u8, u16,
 *                                         u32, str or hex; CMD a number
 *   nlprobe attach TTY INDEX              TIOCSETD + PBIOC_ATTACH, then wait
 *                                         for stdin to close
 *
 * Prints "ok" or "error <errno>: <extended ack text>"; exit status 0 when
 * the kernel accepted the request.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/portbridge.h>

#include "nl.h"

static int put_attr(struct nl_msg *m, char *spec)
{
	char *type = strchr(spec, ':'), *value;
	unsigned long attr;
	unsigned char hex[256];
	size_t n;

	if (!type || !(value = strchr(type + 1, ':')))
		return -1;
	*type++ = '\0';
	*value++ = '\0';
	attr = strtoul(spec, NULL, 0);
	if (!strcmp(type, "u8"))
		nl_put_u8(m, attr, strtoul(value, NULL, 0));
	else if (!strcmp(type, "u16"))
		nl_put_u16(m, attr, strtoul(value, NULL, 0));
	else if (!strcmp(type, "u32"))
		nl_put_u32(m, attr, strtoul(value, NULL, 0));
	else if (!strcmp(type, "str"))
		nl_put_str(m, attr, value);
	else if (!strcmp(type, "hex")) {
		for (n = 0; n < sizeof(hex) && value[2 * n] && value[2 * n + 1];
		     n++)
			sscanf(value + 2 * n, "%2hhx", &hex[n]);
		nl_put(m, attr, hex, n);
	} else
		return -1;
	return 0;
}

static int cmd_set(int argc, char **argv)
{
	struct nl_sock s;
	struct nl_family fam;
	struct nl_err err = { 0 };
	struct nl_msg m;
	int i, ret;

	if (nl_open(&s) < 0) {
		perror("nlprobe: netlink socket");
		return 2;
	}
	if (nl_resolve(&s, PORTBRIDGE_GENL_NAME, NULL, &fam, &err) < 0) {
		printf("error %d: %s\n", -err.error, err.msg);
		return 1;
	}
	nl_msg_init(&m, fam.id, NLM_F_REQUEST | NLM_F_ACK,
		    strtoul(argv[0], NULL, 0), PORTBRIDGE_GENL_VERSION);
	for (i = 1; i < argc; i++) {
		if (put_attr(&m, argv[i]) < 0) {
			fprintf(stderr, "nlprobe: bad attribute '%s'\n",
				argv[i]);
			return 2;
		}
	}
	ret = nl_request(&s, &m, NULL, NULL, &err);
	if (ret < 0)
		printf("error %d: %s\n", -ret, err.msg);
	else
		printf("ok\n");
	nl_close(&s);
	return ret < 0;
}

static int cmd_attach(const char *tty, const char *index)
{
	int fd, ldisc = PORTBRIDGE_LDISC;
	__u32 n = strtoul(index, NULL, 0);
	char c;

	fd = open(tty, O_RDWR | O_NOCTTY);
	if (fd < 0 || ioctl(fd, TIOCSETD, &ldisc) < 0) {
		printf("error %d: %s\n", errno, strerror(errno));
		return 1;
	}
	if (ioctl(fd, PBIOC_ATTACH, &n) < 0) {
		printf("error %d: %s\n", errno, strerror(errno));
		return 1;
	}
	printf("ok\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "set"))
		return cmd_set(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "attach"))
		return cmd_attach(argv[2], argv[3]);
	fprintf(stderr, "usage: nlprobe set CMD ATTR:TYPE:VALUE ...\n"
			"       nlprobe attach TTY INDEX\n");
	return 2;
}
