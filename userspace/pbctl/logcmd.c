// SPDX-License-Identifier: GPL-2.0
/*
 * pbctl log show [CATEGORY] [--page N] [--per-page M]
 * pbctl log clear
 *
 * Both talk to pblogd's control socket (logrec.h); the settings of the
 * log are in the configuration ([log], pbctl config set log ...).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "logcmd.h"
#include "logrec.h"
#include "text.h"

#define REPLY_MAX	(LOGCTL_PAGE_MAX * (LOGREC_TEXT_MAX + 128) + 64)
#define EXIT_USAGE	2

void pbctl_usage_log(FILE *f)
{
	fprintf(f,
		"\n"
		"event log:\n"
		"  log show [CATEGORY] [--page N] [--per-page M]\n"
		"                               the event log, oldest first; CATEGORY is\n"
		"                               system, network, config or opmode\n"
		"  log clear                    empty the event log (admins; it is logged)\n"
		"  settings: pbctl config set log KEY VALUE (Documentation/eventlog.md)\n");
}

static int log_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "pbctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pbctl help'.\n");
	return EXIT_USAGE;
}

/* Where this session comes from: "10.0.2.2:40312 (ssh)" or the tty. */
static void where(char *buf, size_t size)
{
	const char *ssh = getenv("SSH_CLIENT");
	const char *tty;
	size_t alen;

	if (ssh && *ssh) {
		const char *port;
		int v6;

		alen = strcspn(ssh, " ");
		port = ssh + alen + (ssh[alen] ? 1 : 0);
		v6 = memchr(ssh, ':', alen) != NULL;
		snprintf(buf, size, "%s%.*s%s:%.*s (ssh)", v6 ? "[" : "",
			 (int)alen, ssh, v6 ? "]" : "",
			 (int)strcspn(port, " "), port);
		return;
	}
	tty = ttyname(STDIN_FILENO);
	snprintf(buf, size, "%s", tty ? tty : "local");
}

/*
 * pblogd adds who we are from the kernel's credentials ("[by admin, uid
 * 1000]"); the text says where from, which only the session knows.
 */
void pbctl_audit(const char *what, const char *reply)
{
	char from[128];

	where(from, sizeof(from));
	openlog("pbctl", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "config change from %s: %s: %.200s", from, what,
	       reply);
	closelog();
}

static int call(const char *req, char *reply, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 30 };
	ssize_t n;
	int fd;

	strcpy(sa.sun_path, LOGCTL_SOCKET);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "pbctl: socket: %s\n", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "pbctl: cannot connect to pblogd at %s: %s\n",
			LOGCTL_SOCKET, strerror(errno));
		close(fd);
		return -1;
	}
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "pbctl: send to pblogd: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	n = recv(fd, reply, size - 1, MSG_TRUNC);
	close(fd);
	if (n <= 0 || (size_t)n >= size) {
		fprintf(stderr, "pbctl: no valid reply from pblogd\n");
		return -1;
	}
	reply[n] = '\0';
	if (!strncmp(reply, "error: ", 7)) {
		fprintf(stderr, "pbctl: %s\n", reply + 7);
		return -1;
	}
	return 0;
}

/* "total N\n" then the entries: print them, return N (or -1). */
static long show_page(const char *cat, unsigned long first,
		      unsigned long count, unsigned long *shown)
{
	static char reply[REPLY_MAX];
	char req[128];
	unsigned long total;
	char *nl;

	snprintf(req, sizeof(req), "show %s %lu %lu", cat, first, count);
	if (call(req, reply, sizeof(reply)))
		return -1;
	if (sscanf(reply, "total %lu", &total) != 1 ||
	    !(nl = strchr(reply, '\n'))) {
		fprintf(stderr, "pbctl: unexpected reply from pblogd\n");
		return -1;
	}
	fputs(nl + 1, stdout);
	*shown = 0;
	for (nl++; (nl = strchr(nl, '\n')); nl++)
		(*shown)++;
	return total;
}

static int parse_num(const char *s, uint32_t *v)
{
	return text_parse_u32(s, strlen(s), v) || *v == 0 ? -1 : 0;
}

static int cmd_show(int argc, char **argv)
{
	const char *cat = "all";
	uint32_t page = 0, per = 50;
	unsigned long first = 0, shown;
	long total;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--page") && i + 1 < argc) {
			if (parse_num(argv[++i], &page))
				return log_usage("log show: bad page '%s'",
						 argv[i]);
		} else if (!strcmp(argv[i], "--per-page") && i + 1 < argc) {
			if (parse_num(argv[++i], &per) ||
			    per > LOGCTL_PAGE_MAX)
				return log_usage("log show: --per-page is 1..100, not '%s'",
						 argv[i]);
		} else if (log_category_find(argv[i], strlen(argv[i])) >= 0 ||
			   !strcmp(argv[i], "all")) {
			cat = argv[i];
		} else {
			return log_usage("log show: unexpected '%s' (system, network, config, opmode, --page N, --per-page M)",
					 argv[i]);
		}
	}
	printf("INDEX BOOT DATE TIME UPTIME CATEGORY SEVERITY EVENT\n");
	if (page) {
		total = show_page(cat, (unsigned long)(page - 1) * per, per,
				  &shown);
		if (total < 0)
			return 1;
		printf("(page %u of %lu, %ld entries)\n", page,
		       total ? (total + per - 1) / per : 1, total);
		return fflush(stdout) ? 1 : 0;
	}
	do {
		total = show_page(cat, first, LOGCTL_PAGE_MAX, &shown);
		if (total < 0)
			return 1;
		first += shown;
	} while (shown && first < (unsigned long)total);
	return fflush(stdout) ? 1 : 0;
}

static int cmd_clear(int argc, char **argv)
{
	char reply[256], req[160], from[128];

	(void)argv;
	if (argc)
		return log_usage("log clear: unexpected '%s'", argv[0]);
	where(from, sizeof(from));
	/* one word: the address and port, or the tty */
	from[strcspn(from, " ")] = '\0';
	snprintf(req, sizeof(req), "clear from %s", from);
	if (call(req, reply, sizeof(reply)))
		return 1;
	return 0;
}

int pbctl_cmd_log(int argc, char **argv)
{
	if (argc < 1)
		return log_usage("%s", "log: show or clear?");
	if (!strcmp(argv[0], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "clear"))
		return cmd_clear(argc - 1, argv + 1);
	return log_usage("log: unknown command '%s'", argv[0]);
}
