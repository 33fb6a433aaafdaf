// SPDX-License-Identifier: GPL-2.0
/*
 * The board's own settings, applied: the settings file that logins read
 * (pb-auth, pb-login, pb-buttond), and the apply script that does the
 * rest (host name, network, DNS, time, the SSH server).  The script gets
 * validated values in environment variables, never through a shell
 * command line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "pbconfd.h"
#include "text.h"

#define APPLY_TIMEOUT_MS	30000

static char runtime_text[CONF_FILE_MAX + 1];

/* Root only: it holds the RADIUS secret. */
int system_write_runtime(struct pbconfd *d)
{
	size_t len;
	int rc;

	if (!d->runtime_path)
		return 0;
	len = conf_serialize_ex(&d->conf, CONF_SER_NO_PORTS, runtime_text,
				sizeof(runtime_text));
	if (len >= sizeof(runtime_text))
		return -1;
	make_parent_dir(d->runtime_path);
	rc = write_file_atomic(d->runtime_path, runtime_text, len, 0600);
	explicit_bzero(runtime_text, len);
	if (rc) {
		log_err("cannot write %s: %s", d->runtime_path, strerror(-rc));
		return -1;
	}
	return 0;
}

/* The login message as SSH's banner (an empty file: none). */
static void write_banner(struct pbconfd *d)
{
	char text[CONF_MESSAGE_MAX + 2];
	int n = 0, rc;

	if (!d->banner_path)
		return;
	if (d->conf.messages.login[0])
		n = snprintf(text, sizeof(text), "%s\n",
			     d->conf.messages.login);
	rc = write_file_atomic(d->banner_path, text, n, 0644);
	if (rc)
		log_err("cannot write %s: %s", d->banner_path, strerror(-rc));
}

static unsigned int prefix_len(uint32_t mask)
{
	return __builtin_popcount(ntohl(mask));
}

struct env {
	char *vars[24];
	char text[24][CONF_HOST_MAX + 32];
	unsigned int n;
};

static void env_add(struct env *e, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void env_add(struct env *e, const char *name, const char *fmt, ...)
{
	char val[CONF_HOST_MAX + 16];
	va_list ap;

	if (e->n + 1 >= sizeof(e->vars) / sizeof(e->vars[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(e->text[e->n], sizeof(e->text[0]), "%s=%s", name, val);
	e->vars[e->n] = e->text[e->n];
	e->vars[++e->n] = NULL;
}

static void env_ipv4(struct env *e, const char *name, uint32_t addr)
{
	char text[INET_ADDRSTRLEN] = "";

	if (addr)
		inet_ntop(AF_INET, &addr, text, sizeof(text));
	env_add(e, name, "%s", text);
}

static void build_env(const struct pbconfd *d, struct env *e)
{
	const struct pb_conf *c = &d->conf;

	e->n = 0;
	e->vars[0] = NULL;
	env_add(e, "PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
	env_add(e, "PB_HOSTNAME", "%s", c->system.hostname);
	env_add(e, "PB_NET_MODE", "%s",
		c->network.mode == CONF_NET_DHCP ? "dhcp" : "static");
	env_ipv4(e, "PB_NET_ADDRESS", c->network.address);
	env_add(e, "PB_NET_PREFIX", "%u", prefix_len(c->network.netmask));
	env_ipv4(e, "PB_NET_GATEWAY", c->network.gateway);
	env_ipv4(e, "PB_DNS1", c->network.dns1);
	env_ipv4(e, "PB_DNS2", c->network.dns2);
	env_add(e, "PB_SSH", "%s", c->console.ssh ? "on" : "off");
	env_add(e, "PB_SSH_IDLE", "%u", c->console.auto_logout * 60);
	env_add(e, "PB_TELNET", "%s", c->console.telnet ? "on" : "off");
	env_add(e, "PB_BANNER", "%s", d->banner_path ? d->banner_path : "");
	env_add(e, "PB_TIME_SOURCE", "%s",
		c->time.source == CONF_TIME_SNTP ? "sntp" : "local");
	env_add(e, "PB_TIME_SERVER", "%s", c->time.server);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait for @pid; kill it if it takes too long.  Its exit status. */
static int wait_child(pid_t pid, const char *what)
{
	long long deadline = now_ms() + APPLY_TIMEOUT_MS;
	struct timespec tick = { 0, 20 * 1000000 };
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() > deadline) {
			log_err("apply %s: no end after %d s: killed", what,
				APPLY_TIMEOUT_MS / 1000);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void run_apply(struct pbconfd *d, const char *what)
{
	struct env e;
	pid_t pid;
	int rc;

	if (!d->apply_path || access(d->apply_path, X_OK))
		return;
	build_env(d, &e);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		log_err("apply %s: fork: %s", what, strerror(errno));
		return;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		sigset_t none;

		if (fd >= 0)
			dup2(fd, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execle(d->apply_path, d->apply_path, what, (char *)NULL,
		       e.vars);
		_exit(127);
	}
	rc = wait_child(pid, what);
	if (rc)
		log_err("apply %s: %s failed (%d)", what, d->apply_path, rc);
}

static int section_changed(const struct pb_conf *a, const struct pb_conf *b,
			   int sec)
{
	unsigned int k;

	for (k = 0; k < conf_section_nkeys(sec); k++) {
		if (!conf_section_value_equal(a, b, sec, 1, k))
			return 1;
	}
	return 0;
}

void system_apply(struct pbconfd *d, const struct pb_conf *old,
		  const struct pb_conf *new)
{
	int all = !old;
	int ssh;

	system_write_runtime(d);
	if (all || section_changed(old, new, CONF_SEC_MESSAGES))
		write_banner(d);
	if (all) {
		run_apply(d, "all");
		return;
	}
	if (section_changed(old, new, CONF_SEC_SYSTEM))
		run_apply(d, "hostname");
	if (section_changed(old, new, CONF_SEC_NETWORK))
		run_apply(d, "network");
	if (section_changed(old, new, CONF_SEC_TIME))
		run_apply(d, "time");
	ssh = old->console.ssh != new->console.ssh ||
	      old->console.auto_logout != new->console.auto_logout ||
	      strcmp(old->messages.login, new->messages.login);
	if (ssh)
		run_apply(d, "ssh");
	if (old->console.telnet != new->console.telnet)
		run_apply(d, "telnet");
}

/*
 * The reset runs detached (it powers the board off), after this reply
 * has gone out.
 */
void system_factory_reset(struct pbconfd *d, const char *who)
{
	pid_t pid;

	log_msg(LOG_AUTH | LOG_WARNING, "factory reset requested by %s", who);
	if (!d->reset_path)
		return;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		log_err("factory reset: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		sigset_t none;

		setsid();
		if (fork() > 0)
			_exit(0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execl(d->reset_path, d->reset_path, who, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
}
