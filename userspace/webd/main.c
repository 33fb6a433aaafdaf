// SPDX-License-Identifier: GPL-2.0
/*
 * pbwebd: the web console's server loop.  One process, non-blocking
 * sockets and poll(2); every connection has a deadline (the TLS handshake
 * and each request must finish in WEBD_REQUEST_MS, an idle keep-alive
 * connection is closed after WEBD_IDLE_MS), and there are at most
 * WEBD_CONN_MAX connections (WEBD_CONN_PER_ADDR from one address).
 *
 *	pbwebd [-d] [-p pidfile] [-s https-port] [-r http-port]
 *	       [-c cert] [-k key]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "allow.h"
#include "fileio.h"
#include "log.h"
#include "webd.h"

int webd_verbose;
static volatile sig_atomic_t stop;
static struct conn *conns[WEBD_CONN_MAX];
static int listen_fd[2] = { -1, -1 };	/* [0] HTTPS, [1] HTTP */
static unsigned int listen_port[2] = { 443, 80 };

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int open_listener(unsigned int port)
{
	struct sockaddr_in6 sa6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	struct sockaddr_in sa4 = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
	};
	int one = 1, zero = 0, fd;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		if (!bind(fd, (struct sockaddr *)&sa6, sizeof(sa6)) &&
		    !listen(fd, 16))
			return fd;
		close(fd);
	}
	/* no IPv6 on this board: IPv4 only */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa4, sizeof(sa4)) || listen(fd, 16)) {
		log_err("cannot listen on TCP port %u: %s", port,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Listen on 443 while HTTPS is on, on 80 while the redirect is on. */
static void sync_listeners(const struct pb_conf *conf)
{
	int want[2] = { conf->console.https != 0,
			conf->console.https && conf->console.http_redirect };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (want[i] && listen_fd[i] < 0) {
			listen_fd[i] = open_listener(listen_port[i]);
			if (listen_fd[i] >= 0)
				log_info("%s: listening on TCP port %u",
					 i ? "http redirect" : "https",
					 listen_port[i]);
		} else if (!want[i] && listen_fd[i] >= 0) {
			close(listen_fd[i]);
			listen_fd[i] = -1;
			log_info("%s: off, TCP port %u closed",
				 i ? "http redirect" : "https",
				 listen_port[i]);
		}
	}
}

static void conn_close(unsigned int slot)
{
	struct conn *c = conns[slot];

	if (!c)
		return;
	job_cancel(c);
	if (c->tls)
		tls_conn_free(c);
	close(c->fd);
	explicit_bzero(c->in, sizeof(c->in));
	explicit_bzero(c->out, c->out_len);
	free(c);
	conns[slot] = NULL;
}

static void accept_one(int lfd, int tls)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	unsigned int i, slot = WEBD_CONN_MAX, same = 0;
	uint8_t addr[16] = { 0 };
	struct conn *c;
	int fd;

	fd = accept4(lfd, (struct sockaddr *)&ss, &sl,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (ss.ss_family == AF_INET6) {
		memcpy(addr, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	} else if (ss.ss_family == AF_INET) {
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	}
	for (i = 0; i < WEBD_CONN_MAX; i++) {
		if (!conns[i]) {
			if (slot == WEBD_CONN_MAX)
				slot = i;
		} else if (!memcmp(conns[i]->addr, addr, 16)) {
			same++;
		}
	}
	if (slot == WEBD_CONN_MAX || same >= WEBD_CONN_PER_ADDR) {
		if (webd_verbose)
			log_info("connection refused: %s", slot == WEBD_CONN_MAX ?
				 "too many connections" :
				 "too many from one address");
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->tls = tls;
	c->job.fd = -1;
	memcpy(c->addr, addr, 16);
	allow_addr_format(addr, c->addr_text, sizeof(c->addr_text));
	c->state = C_HANDSHAKE;
	c->deadline = now_ms() + WEBD_REQUEST_MS;
	if (tls && tls_conn_setup(c)) {
		close(fd);
		free(c);
		return;
	}
	conns[slot] = c;
}

static int tls_want(struct conn *c, int ret)
{
	if (ret == MBEDTLS_ERR_SSL_WANT_READ) {
		c->want_write = 0;
		return 1;
	}
	if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
		c->want_write = 1;
		return 1;
	}
	return 0;
}

/* Read what there is; 0 ok, -1: close the connection. */
static int conn_read(struct conn *c)
{
	while (c->in_len < sizeof(c->in)) {
		size_t room = sizeof(c->in) - c->in_len;
		long n;

		if (c->tls) {
			n = mbedtls_ssl_read(&c->ssl,
					     (unsigned char *)c->in + c->in_len,
					     room);
			if (n < 0 && tls_want(c, (int)n))
				return 0;
			if (n < 0)
				return -1;	/* close_notify or error */
		} else {
			n = recv(c->fd, c->in + c->in_len, room, MSG_DONTWAIT);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return 0;
			if (n < 0)
				return -1;
		}
		if (n == 0)
			return -1;
		if (!c->in_len)		/* a new request began */
			c->deadline = now_ms() + WEBD_REQUEST_MS;
		c->in_len += n;
	}
	return 0;
}

/* Write what can be written; 1 all written, 0 later, -1 close. */
static int conn_write(struct conn *c)
{
	while (c->out_off < c->out_len) {
		size_t left = c->out_len - c->out_off;
		long n;

		if (c->tls) {
			n = mbedtls_ssl_write(&c->ssl, (unsigned char *)c->out +
					      c->out_off, left);
			if (n < 0 && tls_want(c, (int)n))
				return 0;
			if (n < 0)
				return -1;
		} else {
			n = send(c->fd, c->out + c->out_off, left,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				c->want_write = 1;
				return 0;
			}
			if (n < 0)
				return -1;
		}
		c->out_off += n;
	}
	return 1;
}

/* Move the connection on as far as it goes; -1: close it. */
static int conn_step(struct conn *c)
{
	for (;;) {
		int ret;
		long rc;

		switch (c->state) {
		case C_HANDSHAKE:
			if (c->tls) {
				ret = mbedtls_ssl_handshake(&c->ssl);
				if (ret && tls_want(c, ret))
					return 0;
				if (ret) {
					if (webd_verbose)
						log_info("TLS handshake with %s failed: -0x%04x",
							 c->addr_text,
							 (unsigned int)-ret);
					return -1;
				}
			}
			c->state = C_READ;
			c->want_write = 0;
			break;
		case C_READ:
			if (conn_read(c))
				return -1;
			if (!c->in_len)
				return 0;
			rc = http_parse_request(c->in, c->in_len, &c->req);
			if (rc == 0 && c->in_len < sizeof(c->in))
				return 0;
			c->out_len = c->out_off = 0;
			c->deadline = now_ms() + WEBD_REQUEST_MS;
			if (rc <= 0) {
				pages_error(c, rc ? (int)-rc : 431, NULL);
			} else {
				c->req_len = rc;
				if (!c->tls)
					pages_redirect_https(c);
				else
					pages_handle(c);
			}
			if (c->state == C_JOB)
				return 0;
			c->state = C_WRITE;
			break;
		case C_JOB:
			return 0;
		case C_WRITE:
			ret = conn_write(c);
			if (ret <= 0)
				return ret;
			c->want_write = 0;
			if (c->close_after) {
				if (c->tls)
					mbedtls_ssl_close_notify(&c->ssl);
				return -1;
			}
			memmove(c->in, c->in + c->req_len,
				c->in_len - c->req_len);
			c->in_len -= c->req_len;
			c->req_len = 0;
			explicit_bzero(c->out, c->out_len);
			c->out_len = c->out_off = 0;
			c->state = C_READ;
			c->deadline = now_ms() + (c->in_len ? WEBD_REQUEST_MS :
							      WEBD_IDLE_MS);
			break;
		}
	}
}

static void conn_timeout(unsigned int slot)
{
	struct conn *c = conns[slot];

	if (c->state == C_JOB) {
		job_cancel(c);
		c->out_len = c->out_off = 0;
		pages_error(c, 503, "The request took too long.");
		c->state = C_WRITE;
		c->deadline = now_ms() + WEBD_REQUEST_MS;
		if (conn_step(c))
			conn_close(slot);
		return;
	}
	if (webd_verbose)
		log_info("connection from %s timed out", c->addr_text);
	conn_close(slot);
}

static void write_pid(const char *path)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (path && write_file_atomic(path, buf, n, 0644))
		log_warn("cannot write %s", path);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: pbwebd [-d] [-p pidfile] [-s https-port] [-r http-port] [-c cert] [-k key] [-v]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *pid_path = "/run/portbridge/pbwebd.pid";
	const char *cert_path = WEBD_CERT_PATH, *key_path = WEBD_KEY_PATH;
	struct pollfd pfd[2 + 2 * WEBD_CONN_MAX];
	struct conn *pconn[2 + 2 * WEBD_CONN_MAX];
	int foreground = 0, opt;
	struct sigaction sa = { .sa_handler = on_signal };

	while ((opt = getopt(argc, argv, "dp:s:r:c:k:v")) != -1) {
		switch (opt) {
		case 'd': foreground = 1; break;
		case 'p': pid_path = optarg; break;
		case 's': listen_port[0] = atoi(optarg); break;
		case 'r': listen_port[1] = atoi(optarg); break;
		case 'c': cert_path = optarg; break;
		case 'k': key_path = optarg; break;
		case 'v': webd_verbose = 1; break;
		default: return usage();
		}
	}
	if (optind != argc || !listen_port[0] || listen_port[0] > 65535 ||
	    !listen_port[1] || listen_port[1] > 65535)
		return usage();
	log_open("pbwebd", 1);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	umask(022);

	pages_init();
	if (tls_init(cert_path, key_path, pages_conf()->console.strong_ciphers,
		     pages_conf()))
		return 1;
	sync_listeners(pages_conf());
	if (pages_conf()->console.https && listen_fd[0] < 0)
		return 1;
	if (!foreground) {
		if (daemon(0, 0)) {
			log_err("daemon: %s", strerror(errno));
			return 1;
		}
		log_stderr(0);
	}
	write_pid(pid_path);

	while (!stop) {
		long long now = now_ms(), next = now + 1000;
		unsigned int i;
		int n = 0, k;

		sync_listeners(pages_conf());
		for (i = 0; i < 2; i++) {
			if (listen_fd[i] < 0)
				continue;
			pfd[n].fd = listen_fd[i];
			pfd[n].events = POLLIN;
			pconn[n++] = NULL;
		}
		for (i = 0; i < WEBD_CONN_MAX; i++) {
			struct conn *c = conns[i];
			long long dl;

			if (!c)
				continue;
			dl = c->state == C_JOB ? c->job.deadline : c->deadline;
			if (dl <= now) {
				conn_timeout(i);
				continue;
			}
			if (dl < next)
				next = dl;
			if (c->state == C_JOB) {
				pfd[n].fd = c->job.fd;
				pfd[n].events = POLLIN;
			} else {
				pfd[n].fd = c->fd;
				pfd[n].events = c->want_write ||
					(c->state == C_WRITE && !c->tls) ?
					POLLOUT : POLLIN;
			}
			pconn[n++] = c;
		}
		if (poll(pfd, n, (int)(next - now)) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			break;
		}
		for (k = 0; k < n; k++) {
			struct conn *c = pconn[k];

			if (!pfd[k].revents)
				continue;
			if (!c) {
				accept_one(pfd[k].fd, pfd[k].fd == listen_fd[0]);
				continue;
			}
			for (i = 0; i < WEBD_CONN_MAX && conns[i] != c; i++)
				;
			if (i == WEBD_CONN_MAX)
				continue;
			if (c->state == C_JOB) {
				job_read(c);
				if (c->state == C_JOB)
					continue;
			}
			if (conn_step(c))
				conn_close(i);
		}
	}
	for (int i = 0; i < WEBD_CONN_MAX; i++)
		conn_close(i);
	if (!foreground)
		unlink(pid_path);
	log_info("stopped");
	return 0;
}
