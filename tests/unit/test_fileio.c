// SPDX-License-Identifier: GPL-2.0
/* Atomic writes and capped reads. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "unit.h"

static int count_entries(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	CHECK(d != NULL);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	}
	closedir(d);
	return n;
}

static void test_write_new(void)
{
	char dir[4096], path[4200];
	struct stat st;
	size_t len;
	char *buf;

	unit_tmpdir(dir, sizeof(dir), "fileio_new");
	snprintf(path, sizeof(path), "%s/file", dir);
	umask(077);
	CHECK_INT(write_file_atomic(path, "hello\n", 6, 0644), 0);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0644);	/* not subject to umask */
	buf = unit_read(path, &len);
	CHECK_INT(len, 6);
	CHECK_STR(buf, "hello\n");
	free(buf);
	CHECK_INT(count_entries(dir), 1);	/* no temporary left */
}

static void test_overwrite(void)
{
	char dir[4096], path[4200];
	struct stat st;
	size_t len;
	char *buf;

	unit_tmpdir(dir, sizeof(dir), "fileio_overwrite");
	snprintf(path, sizeof(path), "%s/shadow", dir);
	CHECK_INT(write_file_atomic(path, "old contents, longer\n", 21, 0644),
		  0);
	CHECK_INT(write_file_atomic(path, "new\n", 4, 0600), 0);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	buf = unit_read(path, &len);
	CHECK_STR(buf, "new\n");
	free(buf);
	CHECK_INT(write_file_atomic(path, "", 0, 0600), 0);
	buf = unit_read(path, &len);
	CHECK_INT(len, 0);
	free(buf);
	CHECK_INT(count_entries(dir), 1);
}

static void test_write_errors(void)
{
	char dir[4096], path[4200];

	unit_tmpdir(dir, sizeof(dir), "fileio_errors");
	snprintf(path, sizeof(path), "%s/missing/file", dir);
	CHECK_INT(write_file_atomic(path, "x", 1, 0644), -ENOENT);
	CHECK_INT(count_entries(dir), 0);

	/* renaming over a directory fails; the temporary is removed */
	snprintf(path, sizeof(path), "%s/sub", dir);
	CHECK_INT(mkdir(path, 0755), 0);
	CHECK(write_file_atomic(path, "x", 1, 0644) < 0);
	CHECK_INT(count_entries(dir), 1);

	/* a relative path in the current directory works too */
	CHECK_INT(chdir(dir), 0);
	CHECK_INT(write_file_atomic("rel", "y", 1, 0644), 0);
	CHECK_INT(count_entries(dir), 2);
}

static void test_read(void)
{
	char dir[4096], path[4200];
	static char big[200000];
	size_t len;
	char *buf;

	unit_tmpdir(dir, sizeof(dir), "fileio_read");
	snprintf(path, sizeof(path), "%s/none", dir);
	CHECK_INT(read_file(path, 100, &buf, &len), -ENOENT);

	memset(big, 'a', sizeof(big));
	snprintf(path, sizeof(path), "%s/big", dir);
	CHECK_INT(write_file_atomic(path, big, sizeof(big), 0644), 0);
	CHECK_INT(read_file(path, sizeof(big) - 1, &buf, &len), -EFBIG);
	CHECK_INT(read_file(path, 100, &buf, &len), -EFBIG);
	CHECK_INT(read_file(path, sizeof(big), &buf, &len), 0);
	CHECK_INT(len, sizeof(big));
	CHECK_INT(buf[len], '\0');
	CHECK(!memcmp(buf, big, len));
	free(buf);

	/* exactly at a power of two around the growth steps */
	CHECK_INT(write_file_atomic(path, big, 4095, 0644), 0);
	CHECK_INT(read_file(path, 4095, &buf, &len), 0);
	CHECK_INT(len, 4095);
	free(buf);
	CHECK_INT(write_file_atomic(path, big, 4096, 0644), 0);
	CHECK_INT(read_file(path, 4096, &buf, &len), 0);
	CHECK_INT(len, 4096);
	free(buf);
	CHECK_INT(read_file(path, 4095, &buf, &len), -EFBIG);

	CHECK_INT(read_file(dir, 100, &buf, &len), -EISDIR);
}

static void test_make_parent_dir(void)
{
	char dir[4096], path[4200];
	struct stat st;

	unit_tmpdir(dir, sizeof(dir), "fileio_parent");
	snprintf(path, sizeof(path), "%s/sub/file", dir);
	CHECK_INT(make_parent_dir(path), 0);
	snprintf(path, sizeof(path), "%s/sub", dir);
	CHECK_INT(stat(path, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	/* Exists already: fine.  No directory part: nothing to do. */
	snprintf(path, sizeof(path), "%s/sub/file", dir);
	CHECK_INT(make_parent_dir(path), 0);
	CHECK_INT(make_parent_dir("file"), 0);
	CHECK_INT(make_parent_dir("/file"), 0);
	/* Only one level is made. */
	snprintf(path, sizeof(path), "%s/a/b/file", dir);
	CHECK_INT(make_parent_dir(path), -ENOENT);
}

static const struct unit_test tests[] = {
	{ "write_new", test_write_new },
	{ "overwrite", test_overwrite },
	{ "write_errors", test_write_errors },
	{ "read", test_read },
	{ "make_parent_dir", test_make_parent_dir },
};

UNIT_SUITE(fileio_tests, "fileio", tests);
