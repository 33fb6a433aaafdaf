// SPDX-License-Identifier: GPL-2.0
/*
 * Feed files to a fuzz target without libFuzzer (gcc builds): every file
 * named, and every file in every directory named.  A crash or sanitizer
 * report fails the run.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int replay_file(const char *path)
{
	size_t len;
	char *buf;
	int rc = read_file(path, 1024 * 1024, &buf, &len);

	if (rc) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput((const unsigned char *)buf, len);
	free(buf);
	return 0;
}

static int replay_dir(const char *dir, unsigned int *count)
{
	struct dirent **names;
	char path[4096];
	int i, n, rc = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		perror(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 names[i]->d_name);
			if (replay_file(path))
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned int count = 0;
	struct stat st;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &count))
				rc = 1;
		} else if (replay_file(argv[i])) {
			rc = 1;
		} else {
			count++;
		}
	}
	if (count == 0) {
		fprintf(stderr, "replay: %s: no inputs\n", argv[0]);
		rc = 1;
	}
	printf("replay: %s: %u inputs%s\n", argv[0], count,
	       rc ? ", with errors" : " ok");
	return rc;
}
