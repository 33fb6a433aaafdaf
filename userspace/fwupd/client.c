// SPDX-License-Identifier: GPL-2.0
/*
 * pbctl firmware show | upgrade FILE [--force], pbctl system show: the
 * client of pbfwupd (fwproto.h).  The image is opened here, with the
 * caller's rights, and its descriptor passed to the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fwproto.h"

static int fw_call(const char *req, int fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char reply[FWUPD_REPLY_MAX + 1], ctlbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)req, strlen(req) };
	struct msghdr msg = { 0 };
	size_t got = 0;
	const char *body;
	int s;

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(sa.sun_path, FWUPD_SOCKET);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "pbctl: cannot reach pbfwupd (%s): %s\n",
			FWUPD_SOCKET, strerror(errno));
		if (s >= 0)
			close(s);
		return 1;
	}
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd >= 0) {
		struct cmsghdr *cm;

		memset(ctlbuf, 0, sizeof(ctlbuf));
		msg.msg_control = ctlbuf;
		msg.msg_controllen = sizeof(ctlbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	if (sendmsg(s, &msg, MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "pbctl: pbfwupd: %s\n", strerror(errno));
		close(s);
		return 1;
	}
	shutdown(s, SHUT_WR);
	for (;;) {
		ssize_t n = read(s, reply + got, FWUPD_REPLY_MAX - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == FWUPD_REPLY_MAX)
			break;
	}
	close(s);
	reply[got] = '\0';
	if (!strncmp(reply, "ok\n", 3)) {
		fputs(reply + 3, stdout);
		return fflush(stdout) ? 1 : 0;
	}
	body = strncmp(reply, "error: ", 7) ? "no answer from pbfwupd\n"
					      : reply + 7;
	fprintf(stderr, "pbctl: firmware: %s", body);
	return 1;
}

static int fw_upgrade(int argc, char **argv)
{
	const char *file = NULL, *ssh = getenv("SSH_CLIENT");
	char req[FWUPD_REQ_MAX], from[96] = "-";
	int force = 0, fd, rc, i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!file)
			file = argv[i];
		else
			file = NULL, i = argc;
	}
	if (!file || (argc != 1 + force)) {
		fprintf(stderr, "pbctl: usage: pbctl firmware upgrade FILE [--force]\n");
		return 2;
	}
	if (ssh) {
		/* "client-addr client-port server-port" */
		char addr[64];
		unsigned int port;

		if (sscanf(ssh, "%63s %u", addr, &port) == 2)
			snprintf(from, sizeof(from), "%s:%u (ssh)", addr, port);
	}
	if (strpbrk(file, "\t\n")) {
		fprintf(stderr, "pbctl: firmware upgrade: bad file name\n");
		return 2;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "pbctl: firmware upgrade: %s: %s\n", file,
			strerror(errno));
		return 1;
	}
	snprintf(req, sizeof(req), "upgrade\t%d\t%s\t%s\n", force, from, file);
	rc = fw_call(req, fd);
	close(fd);
	return rc;
}

int pbctl_cmd_firmware(int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "show"))
		return fw_call("show\n", -1);
	if (argc >= 1 && !strcmp(argv[0], "upgrade"))
		return fw_upgrade(argc - 1, argv + 1);
	fprintf(stderr, "pbctl: usage: pbctl firmware show | firmware upgrade FILE [--force]\n");
	return 2;
}

int pbctl_cmd_system(int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "show"))
		return fw_call("show\n", -1);
	fprintf(stderr, "pbctl: usage: pbctl system show\n");
	return 2;
}

void pbctl_usage_firmware(FILE *f)
{
	fprintf(f,
		"\n"
		"firmware (Documentation/firmware.md):\n"
		"  system show                         running firmware, build date, slots\n"
		"  firmware show                       the same\n"
		"  firmware upgrade FILE [--force]     verify and install a .pbfw image\n"
		"                                      (admins; --force allows a downgrade)\n");
}
