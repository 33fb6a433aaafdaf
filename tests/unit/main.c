// SPDX-License-Identifier: GPL-2.0
/* The unit test runner: one forked child per test. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "unit.h"

extern const struct unit_suite allow_tests, conf_tests, ctl_tests,
	fileio_tests,
	nlattr_tests, portmap_tests, firstboot_tests, pbconfd_tests,
	portfmt_tests, nl_tests;
extern const struct unit_suite codec_telnet_tests, codec_rfc2217_tests,
	codec_realcom_tests, codec_packing_tests;
extern const struct unit_suite logrec_tests, logsyslog_tests;
extern const struct unit_suite accounts_tests;
extern const struct unit_suite http_tests;
extern const struct unit_suite fwimg_tests;

static const struct unit_suite *const suites[] = {
	&allow_tests, &conf_tests, &ctl_tests, &fileio_tests, &nlattr_tests,
	&portmap_tests, &firstboot_tests, &pbconfd_tests,
	&portfmt_tests, &nl_tests,
	&codec_telnet_tests, &codec_rfc2217_tests, &codec_realcom_tests,
	&codec_packing_tests,
	&logrec_tests, &logsyslog_tests,
	&accounts_tests,
	&http_tests,
	&fwimg_tests,
};

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

const char *unit_env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !v[0])
		unit_fail(__FILE__, __LINE__, "environment variable %s unset",
			  name);
	return v;
}

void unit_tmpdir(char *buf, size_t size, const char *name)
{
	char cmd[4200];

	snprintf(buf, size, "%s/%s", unit_env("PB_TMPDIR"), name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", buf);
	if (system(cmd) != 0 || mkdir(buf, 0755))
		unit_fail(__FILE__, __LINE__, "cannot make %s: %s", buf,
			  strerror(errno));
}

char *unit_read(const char *path, size_t *len)
{
	char *buf;
	int rc = read_file(path, 16 * 1024 * 1024, &buf, len);

	if (rc)
		unit_fail(__FILE__, __LINE__, "cannot read %s: %s", path,
			  strerror(-rc));
	return buf;
}

static int run_test(const struct unit_suite *s, const struct unit_test *t)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 0;
	}
	if (pid == 0) {
		t->fn();
		exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("PASS %s/%s\n", s->name, t->name);
		return 1;
	}
	if (WIFSIGNALED(status))
		printf("FAIL %s/%s (signal %d)\n", s->name, t->name,
		       WTERMSIG(status));
	else
		printf("FAIL %s/%s\n", s->name, t->name);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0;
	size_t i, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		const struct unit_suite *s = suites[i];

		for (j = 0; j < s->count; j++) {
			/* optional filter: run only tests whose name matches */
			if (argc > 1 && !strstr(s->tests[j].name, argv[1]) &&
			    !strstr(s->name, argv[1]))
				continue;
			if (run_test(s, &s->tests[j]))
				passed++;
			else
				failed++;
		}
	}
	printf("unit: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
