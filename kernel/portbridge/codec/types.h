/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few types the protocol codecs use, from <linux/types.h> in the
 * kernel and from the C library's headers in the host tests and fuzzers.
 *
 * The codecs are pure functions of their arguments: no allocation, no
 * I/O, no clock, no locking.  Apart from this file they include only the
 * project's ABI header <linux/portbridge.h> (for its enums), which builds
 * in both worlds.
 */
#ifndef _PB_CODEC_TYPES_H
#define _PB_CODEC_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
#endif

/* ARRAY_SIZE without <linux/kernel.h> */
#define PB_NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Timestamps in milliseconds wrap; compare them like time_after_eq(). */
static inline bool pb_ms_reached(u32 now, u32 deadline)
{
	return (s32)(now - deadline) >= 0;
}

#endif /* _PB_CODEC_TYPES_H */
