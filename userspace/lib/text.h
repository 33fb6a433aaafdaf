/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small pure helpers for text parsers and formatters: bounded appending,
 * trimming, number parsing and quoting untrusted text into messages.
 */
#ifndef PB_TEXT_H
#define PB_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* An snprintf-like appender: len counts what would have been written. */
struct textbuf {
	char *buf;
	size_t size;
	size_t len;
};

void textbuf_init(struct textbuf *tb, char *buf, size_t size);
void textbuf_printf(struct textbuf *tb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Non-zero if something did not fit. */
int textbuf_overflow(const struct textbuf *tb);

/* Drop spaces and tabs at both ends of (*s, *len). */
void text_trim(const char **s, size_t *len);

/* Length of the leading run of non-blank characters. */
size_t text_token_len(const char *s, size_t len);

/*
 * Parse a decimal number made of digits only (no sign, no spaces).
 * 0 on success, -1 if it is not a number, -2 if it does not fit 32 bits.
 */
int text_parse_u32(const char *s, size_t len, uint32_t *out);

/*
 * Copy untrusted text into @dst for a message: non-printable bytes become
 * '?', and text longer than fits ends in "...".
 */
#define TEXT_QUOTE_MAX	44
void text_quote(char *dst, size_t size, const char *src, size_t len);

#endif /* PB_TEXT_H */
