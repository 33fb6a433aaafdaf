/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP connections of a port, and sets of them sharing the serial line.
 */
#ifndef _PB_CLIENT_H
#define _PB_CLIENT_H

#include <linux/in6.h>
#include <linux/types.h>
#include <linux/portbridge.h>

#include "socket.h"

struct pb_port;
struct socket;

/* Per-connection serial bytes its socket could not take yet. */
#define PB_CLIENT_BACKLOG	8192

/* A byte ring; size is a fixed capacity. */
struct pb_ring {
	u8 *buf;
	unsigned int size;
	unsigned int head;
	unsigned int len;
};

int pb_ring_init(struct pb_ring *r, unsigned int size);
void pb_ring_free(struct pb_ring *r);
void pb_ring_put(struct pb_ring *r, const u8 *buf, unsigned int len);
void pb_ring_drop(struct pb_ring *r, unsigned int len);
/* The first contiguous run of queued bytes. */
unsigned int pb_ring_peek(const struct pb_ring *r, const u8 **buf);

static inline unsigned int pb_ring_room(const struct pb_ring *r)
{
	return r->size - r->len;
}

struct pb_client {
	struct pb_port *port;
	struct socket *sock;
	struct sockaddr_in6 peer;
	struct pb_hook hook;
	bool announced;		/* CONNECT sent, so DISCONNECT follows */
	bool failed;		/* a send failed; reaped with fail_reason */
	u8 fail_reason;
	bool jammed;		/* skipped since its backlog last emptied */
	unsigned long since;	/* jiffies: connected */
	unsigned long jammed_since;
	struct pb_ring backlog;
};

struct pb_client *pb_client_new(struct pb_port *port, struct socket *sock);
void pb_client_hook(struct pb_client *c);
void pb_client_unhook(struct pb_client *c);
void pb_client_announce(struct pb_client *c);
void pb_client_close(struct pb_client *c, u8 reason);
unsigned int pb_client_room(const struct pb_client *c);
void pb_client_queue(struct pb_client *c, const u8 *buf, unsigned int len);
void pb_client_flush(struct pb_client *c);
u8 pb_client_check(struct pb_client *c);
int pb_client_to_uart(struct pb_client *c, bool *full);
void pb_client_keepalive(struct pb_client *c);
int pb_client_recv(struct pb_client *c, u8 *buf, unsigned int len);
void pb_client_refuse(struct pb_port *port, struct socket *sock);

/* Connections sharing one serial line: all get all serial data. */
struct pb_clients {
	struct pb_port *port;
	struct pb_client *slot[PB_MAX_CONNS];
	unsigned int size;	/* slots in use by this set */
	unsigned int rr_next;	/* next slot served to the UART */
};

void pb_clients_init(struct pb_clients *set, struct pb_port *port,
		     unsigned int size);
unsigned int pb_clients_count(const struct pb_clients *set);
int pb_clients_add(struct pb_clients *set, struct pb_client *c);
unsigned int pb_clients_room(const struct pb_clients *set);
void pb_clients_send(struct pb_clients *set, const u8 *buf, unsigned int len);
void pb_clients_flush(struct pb_clients *set);
unsigned int pb_clients_reap(struct pb_clients *set);
void pb_clients_reap_failed(struct pb_clients *set);
void pb_clients_to_uart(struct pb_clients *set);
void pb_clients_close(struct pb_clients *set, unsigned int slot, u8 reason);
void pb_clients_close_all(struct pb_clients *set, u8 reason);
void pb_clients_unhook(struct pb_clients *set);
unsigned long pb_clients_timeouts(struct pb_clients *set, bool inactivity);
void pb_clients_keepalive(struct pb_clients *set);

#endif /* _PB_CLIENT_H */
