// SPDX-License-Identifier: GPL-2.0
/*
 * pbconfd's configuration transactions and control socket, with the
 * kernel side (ports.c) replaced by a fake that can be told to fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "pbconfd.h"
#include "pbmsg.h"
#include "unit.h"

/* ---- the fake kernel: what each port runs ---- */

static struct {
	int up[PB_MAX_PORTS + 1];
	struct pb_port_conf kernel[PB_MAX_PORTS + 1];
	int fail_up;
	int fail_push;
	int ups, pushes, downs;
} fk;

int port_up(struct pbconfd *d, unsigned int n, const struct pb_port_conf *pc,
	    char *err, size_t errsize)
{
	(void)d;
	if (fk.fail_up) {
		snprintf(err, errsize, "cannot open /dev/ttyS%u: No such device",
			 n + 3);
		return -1;
	}
	fk.up[n] = 1;
	fk.kernel[n] = *pc;
	fk.ups++;
	return 0;
}

int port_push(struct pbconfd *d, unsigned int n,
	      const struct pb_port_conf *pc, char *err, size_t errsize)
{
	(void)d;
	if (fk.fail_push) {
		(void)n;
		snprintf(err, errsize,
			 "kernel refused the settings: baud rate not supported");
		return -1;
	}
	fk.kernel[n] = *pc;
	fk.pushes++;
	return 0;
}

void port_down(struct pbconfd *d, unsigned int n)
{
	(void)d;
	fk.up[n] = 0;
	fk.downs++;
}

int port_is_up(const struct pbconfd *d, unsigned int n)
{
	(void)d;
	return fk.up[n];
}

/* ---- helpers ---- */

static struct pbconfd d;
static char dir[4096], conf_path[4200], log_path[4200];

/* A daemon with 4 ports, all up with the defaults; stderr to a file. */
static void setup(const char *name)
{
	unsigned int n;
	int fd;

	memset(&fk, 0, sizeof(fk));
	memset(&d, 0, sizeof(d));
	unit_tmpdir(dir, sizeof(dir), name);
	snprintf(conf_path, sizeof(conf_path), "%s/config/portbridge.conf",
		 dir);
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	d.conf_path = conf_path;
	d.map.nports = 4;
	d.listen_fd = -1;
	d.kernel_attrs = pb_config_attrs();
	conf_init_defaults(&d.conf, 4);
	for (n = 1; n <= 4; n++) {
		fk.up[n] = 1;
		fk.kernel[n] = d.conf.port[n - 1];
	}
	fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_INT(dup2(fd, 2), 2);
	close(fd);
}

static int log_has(const char *text)
{
	size_t len;
	char *log = unit_read(log_path, &len);
	int found = strstr(log, text) != NULL;

	free(log);
	return found;
}

static char *conf_file(void)
{
	size_t len;

	return unit_read(conf_path, &len);
}

static void write_conf(const char *text)
{
	char parent[4200];

	snprintf(parent, sizeof(parent), "%s/config", dir);
	mkdir(parent, 0755);
	CHECK_INT(write_file_atomic(conf_path, text, strlen(text), 0644), 0);
}

static int port_set(const char *text, char *reply, size_t size)
{
	struct ucred root = { .pid = 1, .uid = 0, .gid = 0 };
	struct ctl_request req;
	char err[256];

	if (ctl_parse_request(text, strlen(text), &req, err, sizeof(err)))
		unit_fail(__FILE__, __LINE__, "%s: %s", text, err);
	return config_port_set(&d, &req, &root, reply, size);
}

/* ---- config_load ---- */

static void test_load_missing(void)
{
	struct pb_conf defaults;
	char *text;

	setup("pbconfd_load_missing");
	d.conf.port[0].baud = 50;	/* must be replaced */
	CHECK_INT(config_load(&d), 0);
	conf_init_defaults(&defaults, 4);
	CHECK(!memcmp(&d.conf, &defaults, sizeof(defaults)));
	text = conf_file();		/* written, directory created */
	CHECK(strstr(text, "[port 4]\nmode = tcp-server\nlocal-port = 4004\n"));
	free(text);
	CHECK(log_has("no configuration at"));
}

static void test_load_valid(void)
{
	setup("pbconfd_load_valid");
	write_conf("[port 3]\nbaud = 9600\nmode = udp\n");
	CHECK_INT(config_load(&d), 0);
	CHECK_INT(d.conf.port[2].baud, 9600);
	CHECK_INT(d.conf.port[2].mode, PB_MODE_UDP);
	CHECK_INT(d.conf.port[0].baud, 115200);
	CHECK(log_has("configuration loaded from"));
}

static void test_load_invalid(void)
{
	char bad[4300], want[4400];
	size_t len;
	char *text;

	setup("pbconfd_load_invalid");
	write_conf("[port 1]\nbaud = 9600\n\n[port 2]\nbaud = fast\n");
	CHECK_INT(config_load(&d), 0);
	CHECK_INT(d.conf.port[0].baud, 115200);	/* defaults */
	snprintf(want, sizeof(want),
		 "invalid configuration %s: line 5: baud: 'fast' is not a number",
		 conf_path);
	CHECK(log_has(want));
	snprintf(bad, sizeof(bad), "%s.bad", conf_path);
	text = unit_read(bad, &len);
	CHECK_STR(text, "[port 1]\nbaud = 9600\n\n[port 2]\nbaud = fast\n");
	free(text);
	text = conf_file();
	CHECK(strstr(text, "[port 1]\nmode = tcp-server\n"));
	free(text);
}

static void test_load_unreadable(void)
{
	char bad[4300];
	struct stat st;

	setup("pbconfd_load_unreadable");
	write_conf("");
	unlink(conf_path);
	CHECK_INT(mkdir(conf_path, 0755), 0);	/* a directory */
	CHECK_INT(config_load(&d), 0);
	CHECK(log_has("cannot read the configuration"));
	snprintf(bad, sizeof(bad), "%s.bad", conf_path);
	CHECK_INT(stat(bad, &st), 0);
	CHECK_INT(stat(conf_path, &st), 0);
	CHECK(S_ISREG(st.st_mode));
}

/* ---- config_port_set ---- */

static void test_set_ok(void)
{
	char reply[512], *text;

	setup("pbconfd_set_ok");
	CHECK_INT(port_set("port-set 1 baud 9600 parity even", reply,
			   sizeof(reply)), 0);
	CHECK_STR(reply, "ok");
	CHECK_INT(fk.kernel[1].baud, 9600);
	CHECK_INT(fk.kernel[1].parity, PB_PARITY_EVEN);
	CHECK_INT(d.conf.port[0].baud, 9600);
	text = conf_file();
	CHECK(strstr(text, "[port 1]\nmode = tcp-server\nlocal-port = 4001\n"
			   "baud = 9600\ndata-bits = 8\nparity = even\n"));
	free(text);
	CHECK(log_has("config: port 1 baud 115200 -> 9600 by root (uid 0)"));
	CHECK(log_has("config: port 1 parity none -> even by root (uid 0)"));
	CHECK(!log_has("data-bits"));

	/* the same again is pushed again (the kernel may have been changed
	 * behind our back), the file is not rewritten */
	fk.pushes = 0;
	fk.kernel[1].baud = 300;
	CHECK_INT(unlink(conf_path), 0);
	CHECK_INT(port_set("port-set 1 baud 9600", reply, sizeof(reply)), 0);
	CHECK_STR(reply, "ok");
	CHECK_INT(fk.pushes, 1);
	CHECK_INT(fk.kernel[1].baud, 9600);
	CHECK(access(conf_path, F_OK) == -1);
	CHECK(log_has("config: port 1 unchanged (re-applied) by root (uid 0)"));
}

static void test_set_kernel_refuses(void)
{
	char reply[512];

	setup("pbconfd_set_refused");
	CHECK_INT(port_set("port-set 1 baud 9600", reply, sizeof(reply)), 0);
	{
		size_t len;
		char *before = conf_file(), *after;

		fk.fail_push = 1;
		CHECK_INT(port_set("port-set 1 baud 921600", reply,
				   sizeof(reply)), -1);
		CHECK_STR(reply, "error: port 1 baud 921600: kernel refused the settings: baud rate not supported");
		CHECK_INT(d.conf.port[0].baud, 9600);
		CHECK_INT(fk.kernel[1].baud, 9600);
		after = unit_read(conf_path, &len);
		CHECK_STR(after, before);
		free(before);
		free(after);
	}
}

static void test_set_invalid(void)
{
	char reply[512];

	setup("pbconfd_set_invalid");
	CHECK_INT(port_set("port-set 2 local-port 4001", reply, sizeof(reply)),
		  -1);
	CHECK_STR(reply, "error: port 2: local-port: 4001 is already used by port 1");
	CHECK_INT(port_set("port-set 5 baud 9600", reply, sizeof(reply)), -1);
	CHECK_STR(reply, "error: port 5: no such port (this board has 4: 1..4)");
	CHECK_INT(fk.pushes + fk.ups + fk.downs, 0);
}

static void test_set_disable_enable(void)
{
	char reply[512], *text;

	setup("pbconfd_set_disable");
	CHECK_INT(port_set("port-set 2 mode disabled", reply, sizeof(reply)), 0);
	CHECK_INT(fk.up[2], 0);
	text = conf_file();
	CHECK(strstr(text, "[port 2]\nmode = disabled\n"));
	free(text);
	CHECK(log_has("config: port 2 mode tcp-server -> disabled by root (uid 0)"));

	/* the UART is gone: enabling fails and nothing changes */
	fk.fail_up = 1;
	CHECK_INT(port_set("port-set 2 mode udp", reply, sizeof(reply)), -1);
	CHECK_STR(reply, "error: port 2 mode udp: cannot open /dev/ttyS5: No such device");
	CHECK_INT(fk.up[2], 0);
	CHECK_INT(d.conf.port[1].mode, PB_MODE_DISABLED);

	fk.fail_up = 0;
	CHECK_INT(port_set("port-set 2 mode udp", reply, sizeof(reply)), 0);
	CHECK_INT(fk.up[2], 1);
	CHECK_INT(fk.kernel[2].mode, PB_MODE_UDP);
}

static void test_set_retries_failed_port(void)
{
	char reply[512];

	setup("pbconfd_set_retry");
	fk.up[3] = 0;	/* enabled, but did not come up at boot */
	fk.fail_up = 1;
	CHECK_INT(port_set("port-set 3 baud 115200", reply, sizeof(reply)), -1);
	CHECK_STR(reply, "error: port 3: cannot open /dev/ttyS6: No such device");
	fk.fail_up = 0;
	CHECK_INT(port_set("port-set 3 baud 115200", reply, sizeof(reply)), 0);
	CHECK_INT(fk.up[3], 1);
	CHECK_INT(fk.ups, 1);
}

static void test_set_save_fails(void)
{
	char reply[512], blocker[4200];

	setup("pbconfd_set_save_fails");
	/* the parent of the config "directory" is a file */
	snprintf(blocker, sizeof(blocker), "%s/config", dir);
	CHECK_INT(write_file_atomic(blocker, "x", 1, 0644), 0);

	CHECK_INT(port_set("port-set 1 baud 9600", reply, sizeof(reply)), -1);
	CHECK(!strncmp(reply, "error: cannot save ", 19));
	CHECK(strstr(reply, "Not a directory"));
	CHECK_INT(fk.kernel[1].baud, 115200);	/* put back */
	CHECK_INT(d.conf.port[0].baud, 115200);

	/* disabling is undone too: the port comes back up */
	CHECK_INT(port_set("port-set 4 mode disabled", reply, sizeof(reply)),
		  -1);
	CHECK_INT(fk.up[4], 1);
	CHECK_INT(fk.kernel[4].mode, PB_MODE_TCP_SERVER);
	CHECK_INT(d.conf.port[3].mode, PB_MODE_TCP_SERVER);
}

static void test_set_new_keys(void)
{
	char reply[512], *text;

	setup("pbconfd_set_new_keys");
	CHECK_INT(port_set("port-set 1 mode tcp-client dest1 plc.example:502 "
			   "connect-on any-char inactivity-ms 3000", reply,
			   sizeof(reply)), 0);
	CHECK_STR(reply, "ok");
	/* the fake kernel gets the model; names are resolved in ports.c */
	CHECK_INT(fk.kernel[1].dest[0].kind, CONF_DEST_HOST);
	CHECK_INT(fk.kernel[1].connect_on, PB_CONNECT_ANY_CHAR);
	text = conf_file();
	CHECK(strstr(text, "[port 1]\nmode = tcp-client\nlocal-port = 4001\n"));
	CHECK(strstr(text, "inactivity-ms = 3000\n"));
	CHECK(strstr(text, "connect-on = any-char\ndest1 = plc.example:502\n"
			   "dest2 = none\n"));
	free(text);
	CHECK(log_has("config: port 1 mode tcp-server -> tcp-client by root (uid 0)"));
	CHECK(log_has("config: port 1 dest1 none -> plc.example:502 by root (uid 0)"));
	CHECK(log_has("config: port 1 inactivity-ms 0 -> 3000 by root (uid 0)"));

	/* Real COM: the local port follows, the file says so */
	CHECK_INT(port_set("port-set 2 mode real-com", reply, sizeof(reply)),
		  0);
	CHECK_INT(fk.kernel[2].local_port, 951);
	CHECK_INT(fk.kernel[2].cmd_port, 967);
	CHECK(log_has("config: port 2 local-port 4002 -> 951 by root (uid 0)"));
	text = conf_file();
	CHECK(strstr(text, "[port 2]\nmode = real-com\nlocal-port = 951\n"));
	free(text);

	CHECK_INT(port_set("port-set 3 delim2 0x0a", reply, sizeof(reply)),
		  -1);
	CHECK_STR(reply, "error: port 3: delim2: 0x0a needs delim1");
}

/* A module without a setting: only its default may be set. */
static void test_set_unsupported(void)
{
	char reply[512];

	setup("pbconfd_set_unsupported");
	d.kernel_attrs &= ~(PB_ATTR_BIT(PB_A_INACTIVITY_MS) |
			    PB_ATTR_BIT(PB_A_DESTINATIONS));
	CHECK_INT(port_set("port-set 1 baud 9600 inactivity-ms 5000", reply,
			   sizeof(reply)), -1);
	CHECK_STR(reply, "error: port 1 inactivity-ms 5000: not supported by this portbridge.ko (it keeps its default)");
	CHECK_INT(fk.pushes, 0);
	CHECK_INT(d.conf.port[0].baud, 115200);
	CHECK_INT(port_set("port-set 1 baud 9600 inactivity-ms 0", reply,
			   sizeof(reply)), 0);
	CHECK_INT(port_set("port-set 1 mode udp dest1 10.0.0.1-10.0.0.3:5",
			   reply, sizeof(reply)), -1);
	CHECK_STR(reply, "error: port 1 dest1 10.0.0.1-10.0.0.3:5: not supported by this portbridge.ko (it keeps its default)");
	CHECK_INT(port_set("port-set 1 mode udp", reply, sizeof(reply)), 0);
	CHECK_INT(fk.kernel[1].mode, PB_MODE_UDP);
}

static void test_load_interfaces(void)
{
	char bad[4300];
	struct stat st;

	setup("pbconfd_load_interfaces");
	d.map.port[1].interfaces = (1u << PB_IF_RS422) | (1u << PB_IF_RS485_2W);
	write_conf("[port 2]\nbaud = 9600\n");
	CHECK_INT(config_load(&d), 0);
	CHECK_INT(d.conf.port[1].interface, PB_IF_RS422);
	CHECK_INT(d.conf.port[1].baud, 9600);
	CHECK_INT(d.conf.port[0].interface, PB_IF_RS232);

	write_conf("[port 2]\ninterface = rs232\n");
	CHECK_INT(config_load(&d), 0);
	CHECK(log_has("line 2: port 2: interface: rs232 is not wired on this board (rs422, rs485-2w)"));
	snprintf(bad, sizeof(bad), "%s.bad", conf_path);
	CHECK_INT(stat(bad, &st), 0);
	CHECK_INT(d.conf.port[1].interface, PB_IF_RS422);
}

/* ---- resolve.c ---- */

static int lookup_fixed(const char *host, int socktype, uint8_t addr[16])
{
	(void)socktype;
	if (strcmp(host, "plc.example"))
		return EAI_NONAME;
	memset(addr, 0, 16);
	addr[0] = 0x20;
	addr[1] = 0x01;
	addr[15] = socktype == SOCK_DGRAM ? 2 : 1;
	return 0;
}

static int lookup_slow(const char *host, int socktype, uint8_t addr[16])
{
	(void)host;
	(void)socktype;
	(void)addr;
	sleep(10);
	return 0;
}

static void test_resolve(void)
{
	struct pb_port_conf pc, before;
	char msg[256], err[320];
	struct timespec t0, t1;

	conf_port_defaults(&pc, 1);
	/* nothing to look up: no child at all */
	before = pc;
	CHECK_INT(resolve_dests(&pc, 1000, lookup_slow, err, sizeof(err)), 0);
	CHECK(!memcmp(&pc, &before, sizeof(pc)));

	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST1, "10.0.0.1:7", 10, &pc,
					msg, sizeof(msg)), 0);
	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST2, "plc.example:502",
					15, &pc, msg, sizeof(msg)), 0);
	before = pc;
	CHECK_INT(resolve_dests(&pc, 5000, lookup_fixed, err, sizeof(err)), 0);
	CHECK(!memcmp(&pc.dest[0], &before.dest[0], sizeof(pc.dest[0])));
	CHECK_INT(pc.dest[1].kind, CONF_DEST_ADDR);
	CHECK_INT(pc.dest[1].port, 502);
	CHECK_INT(pc.dest[1].addr[15], 1);	/* TCP */
	CHECK_INT(pc.dest[1].host[0], 0);
	pc = before;
	pc.mode = PB_MODE_UDP;
	CHECK_INT(resolve_dests(&pc, 5000, lookup_fixed, err, sizeof(err)), 0);
	CHECK_INT(pc.dest[1].addr[15], 2);	/* UDP */

	pc = before;
	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST3, "gone.example:1", 14,
					&pc, msg, sizeof(msg)), 0);
	CHECK_INT(resolve_dests(&pc, 5000, lookup_fixed, err, sizeof(err)),
		  -1);
	CHECK(!strncmp(err, "dest3: cannot resolve 'gone.example': ", 38));

	/* a resolver that does not answer costs the timeout, no more */
	pc = before;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(resolve_dests(&pc, 300, lookup_slow, err, sizeof(err)), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK_STR(err, "dest2: cannot resolve 'plc.example': no answer within 300 ms");
	CHECK(t1.tv_sec - t0.tv_sec < 3);
	CHECK_INT(waitpid(-1, NULL, WNOHANG), -1);	/* child reaped */
}

/* The real resolver: localhost is in every /etc/hosts. */
static void test_resolve_localhost(void)
{
	static const uint8_t lo4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					 0xff, 0xff, 127, 0, 0, 1 };
	static const uint8_t lo6[16] = { [15] = 1 };
	struct pb_port_conf pc;
	char msg[256], err[320];

	conf_port_defaults(&pc, 1);
	CHECK_INT(conf_port_value_parse(CONF_PORT_DEST1, "localhost:7", 11,
					&pc, msg, sizeof(msg)), 0);
	if (resolve_dests(&pc, 5000, resolve_getaddrinfo, err, sizeof(err)))
		unit_fail(__FILE__, __LINE__, "%s", err);
	CHECK(!memcmp(pc.dest[0].addr, lo4, 16) ||
	      !memcmp(pc.dest[0].addr, lo6, 16));
	CHECK_INT(pc.dest[0].port, 7);
}

/* ---- the control socket ---- */

static void serve(int rounds)
{
	struct pollfd fds[1 + CLIENTS_MAX];
	int i, n;

	for (i = 0; i < rounds; i++) {
		n = control_poll_fds(&d, fds, 1 + CLIENTS_MAX);
		CHECK(poll(fds, n, 200) >= 0);
		control_handle(&d, fds, n);
	}
}

static int client_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	CHECK(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send a request and serve until the reply is there. */
static void call(int fd, const char *req, size_t len, char *reply,
		 size_t size)
{
	ssize_t n = -1;
	int i;

	CHECK(send(fd, req, len, 0) == (ssize_t)len);
	for (i = 0; i < 20 && n < 0; i++) {
		serve(1);
		n = recv(fd, reply, size - 1, MSG_DONTWAIT);
	}
	CHECK(n >= 0);
	reply[n] = '\0';
}

static void setup_socket(const char *name, char *sock, size_t size)
{
	setup(name);
	snprintf(sock, size, "%s/run/configd.sock", dir);
	d.sock_path = sock;
	CHECK_INT(control_listen(&d), 0);
}

static void test_control(void)
{
	static char reply[CTL_REPLY_MAX], want[CTL_REPLY_MAX];
	char sock[4300], big[CTL_REQUEST_MAX + 100];
	struct stat st;
	int fd;

	setup_socket("pbconfd_control", sock, sizeof(sock));
	CHECK_INT(stat(sock, &st), 0);
	CHECK(S_ISSOCK(st.st_mode));
	/* anyone may connect: each request is checked (SO_PEERCRED) */
	CHECK_INT(st.st_mode & 0777, 0666);

	fd = client_connect(sock);
	CHECK(fd >= 0);
	serve(1);	/* accept */
	call(fd, "config-get", 10, reply, sizeof(reply));
	conf_serialize_ex(&d.conf, CONF_SER_NO_SECRETS, want, sizeof(want));
	CHECK_STR(reply, want);

	call(fd, "port-set 1 baud 9600\n", 21, reply, sizeof(reply));
	CHECK_STR(reply, "ok");
	CHECK_INT(fk.kernel[1].baud, 9600);

	call(fd, "hello", 5, reply, sizeof(reply));
	CHECK_STR(reply, "error: unknown request 'hello'");
	call(fd, "port-set 1 baud 1", 17, reply, sizeof(reply));
	CHECK_STR(reply, "error: baud: 1 is out of range (50..921600)");
	memset(big, 'x', sizeof(big));
	call(fd, big, sizeof(big), reply, sizeof(reply));
	CHECK_STR(reply, "error: request longer than 1024 bytes");
	/* still serving after all that */
	call(fd, "config-get", 10, reply, sizeof(reply));
	CHECK(strstr(reply, "baud = 9600"));
	close(fd);
	serve(1);
	control_close(&d);
	CHECK(stat(sock, &st) == -1 && errno == ENOENT);
}

static void test_control_too_many(void)
{
	char sock[4300], reply[128];
	int fds[CLIENTS_MAX + 1], i, n;

	setup_socket("pbconfd_control_many", sock, sizeof(sock));
	for (i = 0; i <= CLIENTS_MAX; i++) {
		fds[i] = client_connect(sock);
		CHECK(fds[i] >= 0);
		serve(1);
	}
	n = recv(fds[CLIENTS_MAX], reply, sizeof(reply) - 1, MSG_DONTWAIT);
	CHECK(n > 0);
	reply[n] = '\0';
	CHECK_STR(reply, "error: too many clients");
	/* the others still work */
	call(fds[0], "config-get", 10, reply, sizeof(reply));
	CHECK(!strncmp(reply, "# portbridge", 12));
	for (i = 0; i <= CLIENTS_MAX; i++)
		close(fds[i]);
	control_close(&d);
}

/* A child as uid/gid 1234 asks; the reply comes back through a pipe. */
static void ask_as_user(const char *sock, const char *req, char *reply,
			size_t size)
{
	int pipefd[2], status, i;
	ssize_t n;
	pid_t pid;

	CHECK_INT(pipe(pipefd), 0);
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char buf[512];
		int fd;

		close(pipefd[0]);
		if (setgid(1234) || setuid(1234))
			_exit(3);
		fd = client_connect(sock);
		if (fd < 0 || send(fd, req, strlen(req), 0) < 0)
			_exit(4);
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0 || write(pipefd[1], buf, n) != n)
			_exit(5);
		_exit(0);
	}
	close(pipefd[1]);
	for (i = 0; i < 25 && waitpid(pid, &status, WNOHANG) == 0; i++)
		serve(1);
	CHECK(waitpid(pid, &status, 0) == pid || WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
	n = read(pipefd[0], reply, size - 1);
	CHECK(n > 0);
	reply[n] = '\0';
	close(pipefd[0]);
}

static void test_control_permissions(void)
{
	char sock[4300], reply[512];

	if (geteuid() != 0) {
		fprintf(stderr, "    (not root: permission test skipped)\n");
		return;
	}
	setup_socket("pbconfd_control_perm", sock, sizeof(sock));
	chmod(dir, 0755);
	ask_as_user(sock, "port-set 1 baud 9600", reply, sizeof(reply));
	CHECK_STR(reply, "error: permission denied");
	CHECK_INT(d.conf.port[0].baud, 115200);
	CHECK(log_has("config: port-set by uid 1234 refused: permission denied"));
	/* neither admins nor users: nothing but whoami */
	ask_as_user(sock, "config-get", reply, sizeof(reply));
	CHECK_STR(reply, "error: permission denied");
	/* primary group users: read, not change */
	d.have_users_gid = 1;
	d.users_gid = 1234;
	ask_as_user(sock, "config-get", reply, sizeof(reply));
	CHECK(!strncmp(reply, "# portbridge configuration", 26));
	ask_as_user(sock, "config-set\n[system]\nhostname = x\n", reply,
		    sizeof(reply));
	CHECK_STR(reply, "error: permission denied");
	ask_as_user(sock, "config-export secrets", reply, sizeof(reply));
	CHECK_STR(reply, "error: permission denied");
	ask_as_user(sock, "factory-reset", reply, sizeof(reply));
	CHECK_STR(reply, "error: permission denied");
	d.have_users_gid = 0;

	/* primary group admins may */
	d.have_admin_gid = 1;
	d.admin_gid = 1234;
	ask_as_user(sock, "port-set 1 baud 9600", reply, sizeof(reply));
	CHECK_STR(reply, "ok");
	/* the name is whatever this host calls uid 1234 */
	CHECK(log_has("config: port 1 baud 115200 -> 9600 by "));
	CHECK(log_has(" (uid 1234)"));
	control_close(&d);
}

static const struct unit_test tests[] = {
	{ "load_missing", test_load_missing },
	{ "load_valid", test_load_valid },
	{ "load_invalid", test_load_invalid },
	{ "load_unreadable", test_load_unreadable },
	{ "set_ok", test_set_ok },
	{ "set_kernel_refuses", test_set_kernel_refuses },
	{ "set_invalid", test_set_invalid },
	{ "set_disable_enable", test_set_disable_enable },
	{ "set_retries_failed_port", test_set_retries_failed_port },
	{ "set_save_fails", test_set_save_fails },
	{ "set_new_keys", test_set_new_keys },
	{ "set_unsupported", test_set_unsupported },
	{ "load_interfaces", test_load_interfaces },
	{ "resolve", test_resolve },
	{ "resolve_localhost", test_resolve_localhost },
	{ "control", test_control },
	{ "control_too_many", test_control_too_many },
	{ "control_permissions", test_control_permissions },
};

UNIT_SUITE(pbconfd_tests, "pbconfd", tests);
