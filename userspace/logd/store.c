// SPDX-License-Identifier: GPL-2.0
/*
 * The local event log: LOGREC_SLOTS fixed-size records in one file on
 * /data (logrec.h).  Every entry is written in place with one pwrite and
 * made durable with fdatasync before the next one, so a power cut loses
 * at most the entry being written; the file itself is never rewritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pblogd.h"

int store_open(struct store *st, const char *path)
{
	unsigned char *file;
	struct logrec *recs;
	unsigned int n, i;
	ssize_t got;
	size_t len = 0;

	snprintf(st->path, sizeof(st->path), "%s", path);
	st->head = st->n = 0;
	st->next_index = 1;
	st->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (st->fd < 0)
		return -errno;
	file = calloc(1, LOGREC_FILE_SIZE);
	recs = calloc(LOGREC_SLOTS, sizeof(*recs));
	if (!file || !recs) {
		free(file);
		free(recs);
		return -ENOMEM;
	}
	while (len < LOGREC_FILE_SIZE) {
		got = pread(st->fd, file + len, LOGREC_FILE_SIZE - len, len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += got;
	}
	n = logring_scan(file, len, recs);
	for (i = 0; i < n; i++)
		st->ent[i] = recs[i];
	st->n = n;
	if (n)
		st->next_index = recs[n - 1].index + 1;
	free(file);
	free(recs);
	return 0;
}

const struct logrec *store_get(const struct store *st, unsigned int i)
{
	return i < st->n ? &st->ent[(st->head + i) % LOGREC_SLOTS] : NULL;
}

int store_append(struct store *st, struct logrec *r)
{
	unsigned char buf[LOGREC_SIZE];
	uint32_t index = st->next_index;
	ssize_t w;

	if (!index)		/* 2^32 entries later: start again */
		index = 1;
	/* The slot is taken by an entry that is still in the log. */
	if (st->n && index - store_get(st, 0)->index >= LOGREC_SLOTS &&
	    st->overflow == CONF_LOG_STOP) {
		st->full_drops++;
		return 0;
	}
	r->index = index;
	logrec_encode(r, buf);
	w = pwrite(st->fd, buf, sizeof(buf),
		   (off_t)logrec_slot(index) * LOGREC_SIZE);
	if (w != (ssize_t)sizeof(buf))
		return -1;
	if (fdatasync(st->fd))
		return -1;
	/* Whatever the file just lost leaves the memory too. */
	while (st->n && index - store_get(st, 0)->index >= LOGREC_SLOTS) {
		st->head = (st->head + 1) % LOGREC_SLOTS;
		st->n--;
	}
	logrec_decode(buf, &st->ent[(st->head + st->n) % LOGREC_SLOTS]);
	st->n++;
	st->next_index = index + 1;
	return 1;
}

int store_clear(struct store *st)
{
	if (ftruncate(st->fd, 0) || fsync(st->fd))
		return -errno;
	st->head = st->n = 0;
	st->next_index = 1;
	st->full_drops = 0;
	return 0;
}
