// SPDX-License-Identifier: GPL-2.0
/*
 * pbbench: the benchmark client, run inside the board.  It plays both ends
 * of a bridged serial port at once: the network client (a TCP connection
 * to the bridge, or for the floor the bridged UART itself) and the device
 * (the UART wired back to back with the bridged one), so one program times
 * the whole path without clocks to synchronise.  Every contender is
 * measured by this same code.
 *
 *   pbbench lat  CLIENT --dev DEV --size N --count N
 *   pbbench tput CLIENT --dev DEV --dir up|down|both --bytes N
 *   CLIENT: [--realcom HOST:CMDPORT] --tcp HOST:PORT [--telnet] | --tty DEV
 *
 * "up" is serial to network (the device sends), "down" network to serial.
 * Latency is one round trip: N bytes client -> device, then N bytes device
 * -> client.  Output is one JSON object on stdout; CPU figures come from
 * /proc/stat (the whole board, all CPUs, in USER_HZ ticks).
 *
 * --realcom opens a Real COM session the way Moxa's driver does: the
 * command connection first, PORT_INIT (115200 8N1, no flow control) and
 * its reply, then the data connection (--tcp), which is raw.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHUNK		4096
#define TIMEOUT_MS	20000

#define TELNET_IAC	255
#define TELNET_DONT	254
#define TELNET_DO	253
#define TELNET_WONT	252
#define TELNET_WILL	251
#define TELNET_SB	250
#define TELNET_SE	240
#define TELNET_BINARY	0
#define TELNET_SGA	3

struct end {
	int fd;
	int telnet;
	int tstate;		/* telnet decoder state, see telnet_filter() */
	unsigned char tcmd;
};

struct cpu {
	unsigned long long busy, total;
};

static void die(const char *what)
{
	fprintf(stderr, "pbbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pbbench lat  CLIENT --dev DEV --size N --count N\n"
		"       pbbench tput CLIENT --dev DEV --dir up|down|both --bytes N\n"
		"CLIENT: [--realcom HOST:CMDPORT] --tcp HOST:PORT [--telnet] | --tty DEV\n");
	exit(2);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void read_cpu(struct cpu *c)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			 &v[7]) != 8)
		die("/proc/stat");
	fclose(f);
	/* user nice system idle iowait irq softirq steal */
	c->busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	c->total = c->busy + v[3] + v[4];
}

static int open_tty(const char *dev)
{
	struct termios t;
	int fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK);

	if (fd < 0 || tcgetattr(fd, &t))
		die(dev);
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	cfsetspeed(&t, B115200);
	if (tcsetattr(fd, TCSANOW, &t))
		die(dev);
	tcflush(fd, TCIOFLUSH);
	return fd;
}

static void write_all(int fd, const unsigned char *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= n;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			die("write");
		} else if (poll(&p, 1, TIMEOUT_MS) == 0) {
			errno = ETIMEDOUT;
			die("write");
		}
	}
}

static int open_tcp(const char *hostport)
{
	char host[256], *colon;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	int fd, one = 1;

	snprintf(host, sizeof(host), "%s", hostport);
	colon = strrchr(host, ':');
	if (!colon)
		usage();
	*colon = '\0';
	if (getaddrinfo(host, colon + 1, &hints, &ai))
		die("getaddrinfo");
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen))
		die(hostport);
	freeaddrinfo(ai);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/*
 * A Real COM command connection: PORT_INIT with baud index 10 (115200),
 * mode 0x03 (8N1), DTR and RTS on, no flow control; the device answers
 * 2C 03 DSR CTS DCD.  The connection stays open for the whole run.
 */
static int open_realcom(const char *hostport)
{
	static const unsigned char init[] = {
		0x2c, 8, 10, 0x03, 1, 1, 0, 0, 0, 0
	};
	struct pollfd p;
	unsigned char reply[5];
	size_t got = 0;
	ssize_t n;
	int fd = open_tcp(hostport);

	write_all(fd, init, sizeof(init));
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (got < sizeof(reply)) {
		if (poll(&p, 1, TIMEOUT_MS) <= 0) {
			errno = ETIMEDOUT;
			die("realcom: PORT_INIT reply");
		}
		n = read(fd, reply + got, sizeof(reply) - got);
		if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR)))
			die("realcom: PORT_INIT reply");
		if (n > 0)
			got += n;
	}
	if (reply[0] != 0x2c || reply[1] != 3) {
		errno = EPROTO;
		die("realcom: PORT_INIT reply");
	}
	return fd;
}

/*
 * The host's side of the command channel while data flows: answer the
 * device's POLLING (27 01 id) with 28 01 id, as Moxa's driver does, and
 * skip NOTIFYs (26 EV MSR 00).  Without answers the device takes the
 * session for dead.
 */
static void *realcom_keepalive(void *arg)
{
	int fd = *(int *)arg;
	unsigned char buf[256], ans[3];
	size_t have = 0, i;
	ssize_t n;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return NULL;
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return NULL;
		if (n < 0)
			continue;
		have += n;
		for (i = 0; i < have;) {
			size_t len = buf[i] == 0x26 ? 4 : buf[i] == 0x27 ? 3 : 1;

			if (i + len > have)
				break;
			if (buf[i] == 0x27) {
				ans[0] = 0x28;
				ans[1] = 1;
				ans[2] = buf[i + 2];
				write_all(fd, ans, sizeof(ans));
			}
			i += len;
		}
		memmove(buf, buf + i, have - i);
		have -= i;
	}
}

/*
 * Answer the server's option requests (accept BINARY and SGA, refuse the
 * rest) and drop every command from the data, in place.  Our payload
 * never holds 0xFF, so nothing in it needs escaping.
 */
static size_t telnet_filter(struct end *e, unsigned char *buf, size_t len)
{
	unsigned char reply[3];
	size_t i, out = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		switch (e->tstate) {
		case 0:
			if (c == TELNET_IAC)
				e->tstate = 1;
			else
				buf[out++] = c;
			break;
		case 1:
			if (c == TELNET_IAC) {
				buf[out++] = c;
				e->tstate = 0;
			} else if (c >= TELNET_WILL && c <= TELNET_DONT) {
				e->tcmd = c;
				e->tstate = 2;
			} else {
				e->tstate = c == TELNET_SB ? 3 : 0;
			}
			break;
		case 2:
			reply[0] = TELNET_IAC;
			reply[2] = c;
			if (e->tcmd == TELNET_DO)
				reply[1] = c == TELNET_BINARY ||
					   c == TELNET_SGA ? TELNET_WILL :
							     TELNET_WONT;
			else if (e->tcmd == TELNET_WILL)
				reply[1] = c == TELNET_BINARY ||
					   c == TELNET_SGA ? TELNET_DO :
							     TELNET_DONT;
			else
				reply[1] = 0;
			if (reply[1])
				write_all(e->fd, reply, 3);
			e->tstate = 0;
			break;
		case 3:		/* in a subnegotiation: skip to IAC SE */
			if (c == TELNET_IAC)
				e->tstate = 4;
			break;
		case 4:
			e->tstate = c == TELNET_SE ? 0 : 3;
			break;
		}
	}
	return out;
}

static ssize_t read_some(struct end *e, unsigned char *buf, size_t len)
{
	ssize_t n = read(e->fd, buf, len);

	if (n == 0) {
		errno = ECONNRESET;
		die("read: end of stream");
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		die("read");
	}
	return e->telnet ? (ssize_t)telnet_filter(e, buf, n) : n;
}

static void read_exactly(struct end *e, unsigned char *buf, size_t len)
{
	struct pollfd p = { .fd = e->fd, .events = POLLIN };
	ssize_t n;

	while (len) {
		n = read_some(e, buf, len);
		buf += n;
		len -= n;
		if (len && n == 0 && poll(&p, 1, TIMEOUT_MS) == 0) {
			errno = ETIMEDOUT;
			die("read");
		}
	}
}

/* Payload without 0xFF (telnet), XON/XOFF or NUL: 'A'..'z' cycling. */
static void fill(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = 'A' + (seed + i) % 58;
}

static void print_cpu(const struct cpu *a, const struct cpu *b)
{
	printf("\"cpu_busy_ticks\":%llu,\"cpu_total_ticks\":%llu,"
	       "\"user_hz\":%ld", b->busy - a->busy, b->total - a->total,
	       sysconf(_SC_CLK_TCK));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void bench_latency(struct end *cli, struct end *dev, size_t size,
			  unsigned int count)
{
	unsigned char out[CHUNK], in[CHUNK];
	uint64_t *ns = calloc(count, sizeof(*ns)), t;
	struct cpu c0, c1;
	unsigned int i, warm = count / 10 + 1;

	if (!ns || size > CHUNK)
		usage();
	read_cpu(&c0);
	for (i = 0; i < count + warm; i++) {
		fill(out, size, i);
		t = now_ns();
		write_all(cli->fd, out, size);
		read_exactly(dev, in, size);
		if (memcmp(in, out, size))
			die("latency: device got other bytes");
		write_all(dev->fd, in, size);
		read_exactly(cli, out, size);
		if (memcmp(in, out, size))
			die("latency: client got other bytes");
		if (i >= warm)
			ns[i - warm] = now_ns() - t;
	}
	read_cpu(&c1);
	printf("{\"size\":%zu,\"count\":%u,", size, count);
	print_cpu(&c0, &c1);
	printf(",\"rtt_ns\":[");
	for (i = 0; i < count; i++)
		printf("%s%llu", i ? "," : "", (unsigned long long)ns[i]);
	qsort(ns, count, sizeof(*ns), cmp_u64);
	printf("],\"median_ns\":%llu,\"p99_ns\":%llu}\n",
	       (unsigned long long)ns[count / 2],
	       (unsigned long long)ns[count * 99 / 100]);
	free(ns);
}

/* Move @bytes each way that is asked, at once; time until all arrived. */
static void bench_throughput(struct end *cli, struct end *dev,
			     const char *dir, size_t bytes)
{
	int up = strcmp(dir, "down") != 0, down = strcmp(dir, "up") != 0;
	size_t up_sent = up ? 0 : bytes, up_got = up ? 0 : bytes;
	size_t down_sent = down ? 0 : bytes, down_got = down ? 0 : bytes;
	unsigned char buf[CHUNK], data[CHUNK];
	struct pollfd p[2];
	struct cpu c0, c1;
	uint64_t t0, t;
	ssize_t n;

	fill(data, sizeof(data), 0);
	read_cpu(&c0);
	t0 = now_ns();
	while (up_got < bytes || down_got < bytes) {
		p[0] = (struct pollfd){ .fd = cli->fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = dev->fd, .events = POLLIN };
		if (down_sent < bytes)
			p[0].events |= POLLOUT;
		if (up_sent < bytes)
			p[1].events |= POLLOUT;
		if (poll(p, 2, TIMEOUT_MS) == 0) {
			errno = ETIMEDOUT;
			die("throughput");
		}
		if ((p[0].revents & POLLOUT) && down_sent < bytes) {
			n = write(cli->fd, data, bytes - down_sent < CHUNK ?
					bytes - down_sent : CHUNK);
			if (n > 0)
				down_sent += n;
		}
		if ((p[1].revents & POLLOUT) && up_sent < bytes) {
			n = write(dev->fd, data, bytes - up_sent < CHUNK ?
					bytes - up_sent : CHUNK);
			if (n > 0)
				up_sent += n;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			up_got += read_some(cli, buf, sizeof(buf));
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
			down_got += read_some(dev, buf, sizeof(buf));
	}
	t = now_ns() - t0;
	read_cpu(&c1);
	printf("{\"dir\":\"%s\",\"bytes\":%zu,\"seconds\":%.6f,", dir, bytes,
	       t / 1e9);
	print_cpu(&c0, &c1);
	printf("}\n");
}

int main(int argc, char **argv)
{
	struct end cli = { .fd = -1 }, dev = { .fd = -1 };
	const char *dir = "both";
	size_t size = 1, bytes = 65536;
	unsigned int count = 1000;
	int i, lat, realcom_fd = -1;
	pthread_t keepalive;

	if (argc < 2)
		usage();
	lat = !strcmp(argv[1], "lat");
	if (!lat && strcmp(argv[1], "tput"))
		usage();
	for (i = 2; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--telnet")) {
			cli.telnet = 1;
			continue;
		}
		if (!next)
			usage();
		if (!strcmp(argv[i], "--realcom"))
			realcom_fd = open_realcom(next);
		else if (!strcmp(argv[i], "--tcp"))
			cli.fd = open_tcp(next);
		else if (!strcmp(argv[i], "--tty"))
			cli.fd = open_tty(next);
		else if (!strcmp(argv[i], "--dev"))
			dev.fd = open_tty(next);
		else if (!strcmp(argv[i], "--size"))
			size = strtoul(next, NULL, 0);
		else if (!strcmp(argv[i], "--count"))
			count = strtoul(next, NULL, 0);
		else if (!strcmp(argv[i], "--bytes"))
			bytes = strtoul(next, NULL, 0);
		else if (!strcmp(argv[i], "--dir"))
			dir = next;
		else
			usage();
		i++;
	}
	if (cli.fd < 0 || dev.fd < 0 || !count || !size)
		usage();
	if (realcom_fd >= 0 &&
	    pthread_create(&keepalive, NULL, realcom_keepalive, &realcom_fd))
		die("pthread_create");
	/* Let a bridge accept and settle before the clock starts. */
	usleep(200000);
	if (lat)
		bench_latency(&cli, &dev, size, count);
	else
		bench_throughput(&cli, &dev, dir, bytes);
	return 0;	/* exit ends the keepalive thread and the session */
}
