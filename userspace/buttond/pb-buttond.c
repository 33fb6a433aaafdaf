// SPDX-License-Identifier: GPL-2.0
/*
 * pb-buttond: the reset button.  Watches the board's input devices for
 * the button's key (a gpio-keys KEY_RESTART on a real board; the
 * reference board names another key QEMU can press, see rcS); held for
 * the hold time, it runs the factory reset, unless the settings say the
 * button only works in the first 60 s after power-on and that time is
 * over.
 *
 *	pb-buttond [-k key]... [-t hold-seconds] [-x reset-script]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "log.h"

#define DEVICES_MAX	16
#define KEYS_MAX	4
#define RESET		"/usr/libexec/portbridge/factory-reset"
#define WINDOW_S	60	/* reset-button first-60s */

static struct {
	int fds[DEVICES_MAX];
	int nfds;
	unsigned int keys[KEYS_MAX];
	int nkeys;
	unsigned int hold_s;
	const char *reset;
	long long pressed_at;	/* ms since boot, 0: not held */
} b;

static long long boot_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int parse_key(const char *s, unsigned int *code)
{
	char *end;
	unsigned long v;

	if (!strcmp(s, "restart")) {
		*code = KEY_RESTART;
		return 0;
	}
	if (!strcmp(s, "f12")) {
		*code = KEY_F12;
		return 0;
	}
	v = strtoul(s, &end, 0);
	if (*s == '\0' || *end || v > KEY_MAX)
		return -1;
	*code = v;
	return 0;
}

static int is_button(unsigned int code)
{
	int i;

	for (i = 0; i < b.nkeys; i++) {
		if (b.keys[i] == code)
			return 1;
	}
	return 0;
}

static void open_devices(void)
{
	struct dirent *de;
	char path[300];
	DIR *dir = opendir("/dev/input");

	if (!dir)
		return;
	while ((de = readdir(dir)) && b.nfds < DEVICES_MAX) {
		int fd;

		if (strncmp(de->d_name, "event", 5))
			continue;
		snprintf(path, sizeof(path), "/dev/input/%s", de->d_name);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			b.fds[b.nfds++] = fd;
	}
	closedir(dir);
}

static void reset(long long pressed_at)
{
	struct pb_conf conf;
	long long up_s = pressed_at / 1000;

	auth_load_conf(AUTH_CONF_PATH, &conf);
	explicit_bzero(conf.radius.secret, sizeof(conf.radius.secret));
	if (conf.system.reset_button == CONF_RESET_FIRST_60S &&
	    up_s >= WINDOW_S) {
		log_warn("reset button held at %lld s uptime: ignored (the button works only in the first %d s)",
			 up_s, WINDOW_S);
		return;
	}
	log_msg(LOG_AUTH | LOG_WARNING,
		"reset button held for %u s at %lld s uptime: factory reset",
		b.hold_s, up_s);
	execl(b.reset, b.reset, "the reset button", (char *)NULL);
	log_err("cannot run %s: %s", b.reset, strerror(errno));
}

static void read_events(int fd)
{
	struct input_event ev[16];
	ssize_t n;
	int i;

	while ((n = read(fd, ev, sizeof(ev))) > 0) {
		for (i = 0; i < n / (ssize_t)sizeof(ev[0]); i++) {
			if (ev[i].type != EV_KEY || !is_button(ev[i].code))
				continue;
			if (ev[i].value == 1 && !b.pressed_at)
				b.pressed_at = boot_ms();
			else if (ev[i].value == 0)
				b.pressed_at = 0;
		}
	}
}

static int parse_options(int argc, char **argv)
{
	int opt;

	b.hold_s = 5;
	b.reset = RESET;
	while ((opt = getopt(argc, argv, "k:t:x:")) != -1) {
		switch (opt) {
		case 'k':
			if (b.nkeys == KEYS_MAX ||
			    parse_key(optarg, &b.keys[b.nkeys]))
				return -1;
			b.nkeys++;
			break;
		case 't':
			b.hold_s = atoi(optarg);
			if (b.hold_s < 1 || b.hold_s > 60)
				return -1;
			break;
		case 'x':
			b.reset = optarg;
			break;
		default:
			return -1;
		}
	}
	if (!b.nkeys)
		b.keys[b.nkeys++] = KEY_RESTART;
	return optind == argc ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct pollfd p[DEVICES_MAX];
	int i, timeout;

	if (parse_options(argc, argv)) {
		fprintf(stderr, "usage: pb-buttond [-k restart|f12|CODE]... [-t hold-seconds] [-x reset-script]\n");
		return 2;
	}
	log_open("pb-buttond", 1);
	open_devices();
	if (!b.nfds) {
		log_err("no input devices: the reset button does not work");
		return 1;
	}
	for (;;) {
		for (i = 0; i < b.nfds; i++)
			p[i] = (struct pollfd){ .fd = b.fds[i], .events = POLLIN };
		timeout = -1;
		if (b.pressed_at) {
			long long left = b.pressed_at + b.hold_s * 1000LL -
					 boot_ms();

			timeout = left > 0 ? left : 0;
		}
		if (poll(p, b.nfds, timeout) < 0 && errno != EINTR)
			return 1;
		for (i = 0; i < b.nfds; i++) {
			if (p[i].revents & POLLIN)
				read_events(b.fds[i]);
		}
		if (b.pressed_at &&
		    boot_ms() >= b.pressed_at + b.hold_s * 1000LL) {
			long long at = b.pressed_at;

			b.pressed_at = 0;
			reset(at);
		}
	}
}
