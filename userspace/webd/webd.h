/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pbwebd: the HTTPS web console (Documentation/web-console.md).  One
 * process, non-blocking, poll(2): TLS 1.2/1.3 with mbedtls on 443, a
 * redirect to HTTPS on 80.  Logins and changes run in short-lived child
 * processes (jobs), so a slow password check or a pbconfd request never
 * stalls the other clients.
 */
#ifndef PBWEBD_H
#define PBWEBD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mbedtls/ssl.h>

#include "account.h"
#include "conf.h"
#include "http.h"

#define WEBD_CONN_MAX		32	/* connections, both ports */
#define WEBD_CONN_PER_ADDR	12	/* from one client address */
#define WEBD_REQUEST_MS		10000	/* handshake, or one whole request */
#define WEBD_IDLE_MS		15000	/* keep-alive between requests */
#define WEBD_JOB_MS		30000	/* a login or a change */
#define WEBD_JOBS_MAX		4	/* jobs at once (then 503) */
#define WEBD_OUT_MAX		(96 * 1024)
#define WEBD_JOB_REPLY_MAX	4096
#define WEBD_SESSIONS_MAX	16
#define WEBD_TOKEN_LEN		43	/* 32 random bytes, base64url */

#define WEBD_CERT_PATH		"/data/keys/https.crt"
#define WEBD_KEY_PATH		"/data/keys/https.key"
#define WEBD_ASSETS		"/usr/share/portbridge/www"

struct session {
	int used;
	char token[WEBD_TOKEN_LEN + 1];
	char csrf[WEBD_TOKEN_LEN + 1];
	char name[ACCT_NAME_MAX];
	uint32_t uid;
	uint32_t gid;
	uint32_t group;		/* enum acct_group */
	int must_change;
	uint8_t addr[16];	/* the client that logged in */
	long long last_ms;	/* monotonic, for auto logout */
};

struct conn;
typedef void (*job_done_fn)(struct conn *c, int ok, const char *reply);

struct job {
	pid_t pid;
	int fd;			/* the child's output, -1 when done */
	size_t len;
	char out[WEBD_JOB_REPLY_MAX];
	long long deadline;
	job_done_fn done;
	unsigned int port;	/* what the request was about */
	int sid;		/* session index, -1 none */
};

enum conn_state {
	C_HANDSHAKE,
	C_READ,
	C_JOB,			/* waiting for a job's answer */
	C_WRITE,
};

struct conn {
	int fd;
	int tls;		/* the HTTPS port */
	mbedtls_ssl_context ssl;
	int want_write;		/* TLS wants POLLOUT */
	enum conn_state state;
	uint8_t addr[16];
	char addr_text[48];
	long long deadline;
	size_t in_len;
	char in[HTTP_REQUEST_MAX];
	size_t out_len, out_off;
	char out[WEBD_OUT_MAX];
	int close_after;
	struct job job;
	struct http_request req;	/* the request being answered */
	long req_len;
};

/* main.c */
long long now_ms(void);
extern int webd_verbose;

/* tls.c */
int tls_init(const char *cert_path, const char *key_path, int strong,
	     const struct pb_conf *conf);
int tls_conn_setup(struct conn *c);
void tls_conn_free(struct conn *c);
int tls_random(unsigned char *buf, size_t len);

/* board.c: what the console reads about the board */
/* The board's addresses (not loopback), text, for SANs and Host. */
unsigned int board_addresses(char out[][48], unsigned int max);
/* 1 if @host (lowercase, no port) names this board. */
int board_host_ok(const char *host, const struct pb_conf *conf);

/* pages.c */
void pages_init(void);
/* Answer the parsed request in c->req; fills c->out or starts a job. */
void pages_handle(struct conn *c);
/* A plain error page (status 4xx/5xx); closes after it. */
void pages_error(struct conn *c, int status, const char *text);
/* Port 80: the redirect. */
void pages_redirect_https(struct conn *c);
const struct pb_conf *pages_conf(void);

/* jobs.c */
int job_start(struct conn *c, job_done_fn done, int (*fn)(void *arg,
	      char *out, size_t size), void *arg);
void job_read(struct conn *c);
void job_cancel(struct conn *c);
unsigned int jobs_running(void);
/* Run @req on pbconfd's socket as @uid/@gid, in the child. */
int job_ctl_as(uint32_t uid, uint32_t gid, const char *req, size_t len,
	       char *out, size_t size);
/* The same on another SEQPACKET socket (pblogd's). */
int job_call_as(const char *path, uint32_t uid, uint32_t gid,
		const char *req, size_t len, char *out, size_t size);

#endif /* PBWEBD_H */
