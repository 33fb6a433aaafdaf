/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PB_FILEIO_H
#define PB_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Replace @path with @len bytes of @buf so that after a crash the file is
 * either the old or the new version: write a temporary file in the same
 * directory, fsync it, rename it over @path, fsync the directory.  The new
 * file gets @mode (not subject to the umask).  0 or -errno; on error the
 * temporary file is removed and @path is untouched.
 */
int write_file_atomic(const char *path, const void *buf, size_t len,
		      mode_t mode);

/*
 * Read all of @path into a malloc'd, NUL-terminated buffer.  -EFBIG if it
 * is larger than @max bytes.  0 or -errno.
 */
int read_file(const char *path, size_t max, char **buf, size_t *len);

/*
 * Create the directory that holds @path (one level, mode 0755) unless it
 * exists.  0 or -errno.
 */
int make_parent_dir(const char *path);

#endif /* PB_FILEIO_H */
