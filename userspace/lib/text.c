// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

void textbuf_init(struct textbuf *tb, char *buf, size_t size)
{
	tb->buf = buf;
	tb->size = size;
	tb->len = 0;
	if (size)
		buf[0] = '\0';
}

void textbuf_printf(struct textbuf *tb, const char *fmt, ...)
{
	size_t room = tb->len < tb->size ? tb->size - tb->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? tb->buf + tb->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		tb->len += n;
}

int textbuf_overflow(const struct textbuf *tb)
{
	return tb->len >= tb->size;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void text_trim(const char **s, size_t *len)
{
	while (*len && is_blank((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_blank((*s)[*len - 1]))
		(*len)--;
}

size_t text_token_len(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && !is_blank(s[i]))
		i++;
	return i;
}

int text_parse_u32(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	int too_big = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > UINT32_MAX) {
			too_big = 1;
			v = UINT32_MAX;	/* keep scanning for non-digits */
		}
	}
	if (too_big)
		return -2;
	*out = v;
	return 0;
}

void text_quote(char *dst, size_t size, const char *src, size_t len)
{
	size_t i, n = 0;

	if (size == 0)
		return;
	for (i = 0; i < len && n + 1 < size; i++) {
		unsigned char c = src[i];

		if (size >= 4 && n + 4 >= size && i + 1 < len) {
			/* room left for "..." only */
			memcpy(dst + n, "...", 3);
			n += 3;
			break;
		}
		dst[n++] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	dst[n] = '\0';
}
