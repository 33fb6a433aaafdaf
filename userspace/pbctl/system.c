// SPDX-License-Identifier: GPL-2.0
/*
 * pbctl's board settings and accounts: the plain configuration sections
 * ([system] [network] [time] [console] [services] [password] [radius]
 * [messages]), export and import, accounts, the caller's own password.
 * Everything goes through pbconfd's control socket, which decides per
 * request what the caller may do (admins change, users read).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "conf.h"
#include "ctl.h"
#include "ctlclient.h"
#include "pbctl.h"
#include "text.h"

const char *pbctl_sock_path = CTL_DEFAULT_SOCKET;

static char reply[CTL_REPLY_MAX + 1];
static char request[CTL_PACKET_MAX + 1];

int pbctl_usage_err(const char *fmt, const char *arg)
{
	fprintf(stderr, "pbctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pbctl help'.\n");
	return PBCTL_EXIT_USAGE;
}

int pbctl_call(const char *req, size_t len, char *out, size_t size)
{
	char err[256];

	if (ctl_client_call(pbctl_sock_path, req, len, out, size, err,
			    sizeof(err))) {
		fprintf(stderr, "pbctl: %s\n", err);
		return 1;
	}
	if (!strncmp(out, "error: ", 7)) {
		fprintf(stderr, "pbctl: %s\n", out + 7);
		return 1;
	}
	return 0;
}

/* One request; 0 and the reply, or 1 after printing the problem. */
static int call(const char *req, size_t len)
{
	return pbctl_call(req, len, reply, sizeof(reply));
}

static int call_ok(const char *req, size_t len)
{
	if (call(req, len))
		return 1;
	if (strcmp(reply, "ok")) {
		fprintf(stderr, "pbctl: unexpected reply: %.80s\n", reply);
		return 1;
	}
	return 0;
}

static int print_reply(void)
{
	fputs(reply, stdout);
	return fflush(stdout) ? 1 : 0;
}

/* ---- config get / set ---- */

static void json_string(const char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/*
 * Print section @sec of the configuration text in the reply (key @key
 * only, if >= 0): "key = value" lines, the value alone for one key, or a
 * JSON object.
 */
static int print_section(int sec, int key, int json)
{
	const char *p = reply, *name = conf_section_name(sec);
	int in = 0, n = 0, found = 0;

	if (json && key < 0)
		putchar('{');
	while (*p) {
		const char *end = strchr(p, '\n'), *eq, *v;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t klen, vlen;
		int k;

		if (len && p[0] == '[') {
			in = len == strlen(name) + 2 &&
			     !strncmp(p + 1, name, strlen(name));
			goto next;
		}
		eq = memchr(p, '=', len);
		if (!in || !eq || p[0] == '#')
			goto next;
		klen = eq - p;
		while (klen && (p[klen - 1] == ' ' || p[klen - 1] == '\t'))
			klen--;
		v = eq + 1;
		while (v < p + len && (*v == ' ' || *v == '\t'))
			v++;
		vlen = p + len - v;
		k = conf_section_key_find(sec, p, klen);
		if (k < 0 || (key >= 0 && k != key))
			goto next;
		found = 1;
		if (json) {
			if (key < 0) {
				if (n++)
					putchar(',');
				json_string(p, klen);
				putchar(':');
			}
			if (conf_section_key_is_number(sec, k) && vlen)
				printf("%.*s", (int)vlen, v);
			else
				json_string(v, vlen);
		} else if (key >= 0) {
			printf("%.*s\n", (int)vlen, v);
		} else {
			printf("%.*s\n", (int)len, p);
		}
next:
		if (!end)
			break;
		p = end + 1;
	}
	if (json)
		printf(key < 0 ? "}\n" : "\n");
	if (key >= 0 && !found) {
		fprintf(stderr, "pbctl: %s %s: not readable (a secret?)\n",
			name, conf_section_key_name(sec, key));
		return 1;
	}
	return fflush(stdout) ? 1 : 0;
}

static int find_section(const char *arg)
{
	int sec = conf_section_find(arg, strlen(arg));

	if (sec < 0 || conf_section_indexed(sec))
		return -1;
	return sec;
}

static void list_sections(FILE *f)
{
	int sec;

	for (sec = 0; sec < CONF_NSECTIONS; sec++) {
		if (!conf_section_indexed(sec))
			fprintf(f, " %s", conf_section_name(sec));
	}
}

static int bad_section(const char *arg)
{
	fprintf(stderr, "pbctl: unknown section '%s' (sections:", arg);
	list_sections(stderr);
	fprintf(stderr, "; ports: pbctl port)\n");
	return PBCTL_EXIT_USAGE;
}

static int bad_key(int sec, const char *arg)
{
	unsigned int k;

	fprintf(stderr, "pbctl: %s: unknown key '%s' (keys:",
		conf_section_name(sec), arg);
	for (k = 0; k < conf_section_nkeys(sec); k++)
		fprintf(stderr, " %s", conf_section_key_name(sec, k));
	fprintf(stderr, ")\n");
	return PBCTL_EXIT_USAGE;
}

static int cmd_config_get(int argc, char **argv)
{
	int json = 0, sec, key = -1;

	if (argc && !strcmp(argv[argc - 1], "--json")) {
		json = 1;
		argc--;
	}
	if (argc < 1 || argc > 2)
		return pbctl_usage_err("%s", "usage: pbctl config get SECTION [KEY] [--json]");
	sec = find_section(argv[0]);
	if (sec < 0)
		return bad_section(argv[0]);
	if (argc == 2) {
		key = conf_section_key_find(sec, argv[1], strlen(argv[1]));
		if (key < 0)
			return bad_key(sec, argv[1]);
	}
	if (call("config-get", 10))
		return 1;
	return print_section(sec, key, json);
}

static int cmd_config_set(int argc, char **argv)
{
	struct textbuf tb;
	int sec, i;

	if (argc < 3 || argc % 2 == 0)
		return pbctl_usage_err("%s", "usage: pbctl config set SECTION key value [key value ...]");
	sec = find_section(argv[0]);
	if (sec < 0)
		return bad_section(argv[0]);
	textbuf_init(&tb, request, sizeof(request));
	textbuf_printf(&tb, "config-set\n[%s]\n", conf_section_name(sec));
	for (i = 1; i < argc; i += 2) {
		if (conf_section_key_find(sec, argv[i], strlen(argv[i])) < 0)
			return bad_key(sec, argv[i]);
		if (strpbrk(argv[i + 1], "\r\n"))
			return pbctl_usage_err("config set: a value of '%s' has a line break",
					 argv[i]);
		textbuf_printf(&tb, "%s = %s\n", argv[i], argv[i + 1]);
	}
	if (textbuf_overflow(&tb))
		return pbctl_usage_err("%s", "config set: too long");
	return call_ok(request, tb.len);
}

static int read_all(FILE *f, char *buf, size_t size, size_t *len)
{
	*len = fread(buf, 1, size, f);
	if (ferror(f))
		return -1;
	if (*len == size && fgetc(f) != EOF)
		return -2;
	return 0;
}

static int cmd_config_import(int argc, char **argv)
{
	static const char head[] = "config-import\n";
	size_t len;
	FILE *f;
	int rc;

	if (argc != 1)
		return pbctl_usage_err("%s", "usage: pbctl config import FILE (- for stdin)");
	f = strcmp(argv[0], "-") ? fopen(argv[0], "r") : stdin;
	if (!f) {
		fprintf(stderr, "pbctl: %s: %s\n", argv[0], strerror(errno));
		return 1;
	}
	memcpy(request, head, sizeof(head) - 1);
	rc = read_all(f, request + sizeof(head) - 1, CTL_TEXT_MAX, &len);
	if (f != stdin)
		fclose(f);
	if (rc) {
		fprintf(stderr, "pbctl: %s: %s\n", argv[0],
			rc == -2 ? "too large" : strerror(errno));
		return 1;
	}
	return call_ok(request, sizeof(head) - 1 + len);
}

static int cmd_config_export(int argc, char **argv)
{
	int secrets = argc == 1 && !strcmp(argv[0], "--secrets");

	if (argc > 1 || (argc == 1 && !secrets))
		return pbctl_usage_err("%s", "usage: pbctl config export [--secrets]");
	if (secrets ? call("config-export secrets", 21) :
		      call("config-export", 13))
		return 1;
	return print_reply();
}

int pbctl_cmd_config(int argc, char **argv)
{
	if (argc < 1)
		return pbctl_usage_err("%s", "config: show, get, set, export or import?");
	if (!strcmp(argv[0], "get"))
		return cmd_config_get(argc - 1, argv + 1);
	if (!strcmp(argv[0], "set"))
		return cmd_config_set(argc - 1, argv + 1);
	if (!strcmp(argv[0], "export"))
		return cmd_config_export(argc - 1, argv + 1);
	if (!strcmp(argv[0], "import"))
		return cmd_config_import(argc - 1, argv + 1);
	return pbctl_usage_err("config: unknown command '%s'", argv[0]);
}

/* ---- accounts ---- */

/*
 * A password: from the terminal (asked twice, not echoed) or one line of
 * standard input.  0, or 1 after printing the problem.
 */
static int read_password(const char *prompt, char *buf, size_t size)
{
	char again[CTL_PASSWORD_MAX];
	struct termios t, quiet;
	int tty = isatty(STDIN_FILENO), rc = 1;

	if (tty) {
		if (tcgetattr(STDIN_FILENO, &t))
			return 1;
		quiet = t;
		quiet.c_lflag &= ~ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fprintf(stderr, "%s: ", prompt);
	}
	if (!fgets(buf, size, stdin))
		goto out;
	buf[strcspn(buf, "\r\n")] = '\0';
	if (tty) {
		fprintf(stderr, "\nagain: ");
		if (!fgets(again, sizeof(again), stdin))
			goto out;
		again[strcspn(again, "\r\n")] = '\0';
		if (strcmp(buf, again)) {
			fprintf(stderr, "\npbctl: the passwords differ\n");
			goto out;
		}
	}
	rc = 0;
out:
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
		fputc('\n', stderr);
	}
	explicit_bzero(again, sizeof(again));
	if (rc == 0 && !buf[0]) {
		fprintf(stderr, "pbctl: %s: empty\n", prompt);
		rc = 1;
	} else if (rc) {
		fprintf(stderr, "pbctl: %s: no input\n", prompt);
	}
	return rc;
}

static int hex_arg(struct textbuf *tb, const char *s)
{
	char hex[2 * CTL_PASSWORD_MAX + 1];

	if (ctl_hex_encode(s, strlen(s), hex, sizeof(hex)))
		return -1;
	textbuf_printf(tb, " %s", hex);
	explicit_bzero(hex, sizeof(hex));
	return 0;
}

static int check_word(const char *s)
{
	return !s[0] || strpbrk(s, " \t\r\n") ? -1 : 0;
}

static int account_list(int argc, char **argv)
{
	int json = argc == 1 && !strcmp(argv[0], "--json");
	const char *p;
	int n = 0;

	if (argc > 1 || (argc == 1 && !json))
		return pbctl_usage_err("%s", "usage: pbctl account list [--json]");
	if (call("account-list", 12))
		return 1;
	if (!json)
		printf("%-20s %-7s %-6s %-12s %-7s %s\n", "NAME", "GROUP",
		       "UID", "PASSWORD", "LOCKED", "NOTE");
	else
		putchar('[');
	for (p = reply; *p && *p != '\n';) {
		const char *end = strchr(p, '\n');
		char f[6][ACCT_NOTE_MAX * 2];
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *q = p;
		int i;

		for (i = 0; i < 6; i++) {
			size_t l = i < 5 ? strcspn(q, "\t\n") : (size_t)(p + len - q);

			if (l >= sizeof(f[i]))
				l = sizeof(f[i]) - 1;
			memcpy(f[i], q, l);
			f[i][l] = '\0';
			q += l;
			if (q < p + len && *q == '\t')
				q++;
		}
		if (json) {
			printf("%s{\"name\":", n++ ? "," : "");
			json_string(f[0], strlen(f[0]));
			printf(",\"group\":\"%s\",\"uid\":%s,\"password\":\"%s\",\"locked_seconds\":%s,\"note\":",
			       f[1], f[2], f[3], f[4]);
			json_string(f[5], strlen(f[5]));
			putchar('}');
		} else {
			printf("%-20s %-7s %-6s %-12s %-7s %s\n", f[0], f[1],
			       f[2], f[3], strcmp(f[4], "0") ? f[4] : "-",
			       f[5]);
		}
		if (!end)
			break;
		p = end + 1;
	}
	if (json)
		printf("]\n");
	return fflush(stdout) ? 1 : 0;
}

static int account_add(int argc, char **argv)
{
	char pw[CTL_PASSWORD_MAX];
	struct textbuf tb;
	int rc, i;

	if (argc < 2)
		return pbctl_usage_err("%s", "usage: pbctl account add NAME GROUP [note TEXT] [must-change yes|no] (password on stdin)");
	if (check_word(argv[0]) || check_word(argv[1]))
		return pbctl_usage_err("%s", "account add: bad name or group");
	textbuf_init(&tb, request, sizeof(request));
	textbuf_printf(&tb, "account-add %s %s", argv[0], argv[1]);
	if (read_password("new password", pw, sizeof(pw)))
		return 1;
	rc = hex_arg(&tb, pw);
	explicit_bzero(pw, sizeof(pw));
	if (rc)
		return pbctl_usage_err("%s", "account add: password too long");
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "must-change") && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "yes") && strcmp(argv[i], "no"))
				return pbctl_usage_err("%s", "account add: must-change yes or no");
			textbuf_printf(&tb, " must-change %s", argv[i]);
		} else if (!strcmp(argv[i], "note") && i + 1 < argc) {
			i++;
			if (!argv[i][0]) {
				textbuf_printf(&tb, " note -");
			} else {
				textbuf_printf(&tb, " note");
				if (hex_arg(&tb, argv[i]))
					return pbctl_usage_err("%s", "account add: note too long");
			}
		} else {
			return pbctl_usage_err("account add: unexpected '%s' (note TEXT, must-change yes|no)",
					 argv[i]);
		}
	}
	if (textbuf_overflow(&tb))
		return pbctl_usage_err("%s", "account add: too long");
	rc = call_ok(request, tb.len);
	explicit_bzero(request, tb.len);
	return rc;
}

static int account_edit(int argc, char **argv)
{
	char pw[CTL_PASSWORD_MAX];
	struct textbuf tb;
	int rc, i;

	if (argc < 3)
		return pbctl_usage_err("%s", "usage: pbctl account edit NAME key value ... (keys: group, note, must-change, unlock, password -)");
	if (check_word(argv[0]))
		return pbctl_usage_err("%s", "account edit: bad name");
	textbuf_init(&tb, request, sizeof(request));
	textbuf_printf(&tb, "account-edit %s", argv[0]);
	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			return pbctl_usage_err("account edit: '%s' needs a value",
					 argv[i]);
		if (!strcmp(argv[i], "password")) {
			if (strcmp(argv[i + 1], "-"))
				return pbctl_usage_err("%s", "account edit: password - (then the password on stdin)");
			if (read_password("new password", pw, sizeof(pw)))
				return 1;
			textbuf_printf(&tb, " password");
			rc = hex_arg(&tb, pw);
			explicit_bzero(pw, sizeof(pw));
			if (rc)
				return pbctl_usage_err("%s", "account edit: password too long");
		} else if (!strcmp(argv[i], "note")) {
			if (!argv[i + 1][0]) {
				textbuf_printf(&tb, " note -");
			} else {
				textbuf_printf(&tb, " note");
				if (hex_arg(&tb, argv[i + 1]))
					return pbctl_usage_err("%s", "account edit: note too long");
			}
		} else if (!strcmp(argv[i], "group") ||
			   !strcmp(argv[i], "must-change") ||
			   !strcmp(argv[i], "unlock")) {
			if (check_word(argv[i + 1]))
				return pbctl_usage_err("account edit: bad value '%s'",
						 argv[i + 1]);
			textbuf_printf(&tb, " %s %s", argv[i], argv[i + 1]);
		} else {
			return pbctl_usage_err("account edit: unknown key '%s' (group, note, must-change, unlock, password -)",
					 argv[i]);
		}
	}
	if (textbuf_overflow(&tb))
		return pbctl_usage_err("%s", "account edit: too long");
	rc = call_ok(request, tb.len);
	explicit_bzero(request, tb.len);
	return rc;
}

static int account_delete(int argc, char **argv)
{
	struct textbuf tb;

	if (argc != 1 || check_word(argv[0]))
		return pbctl_usage_err("%s", "usage: pbctl account delete NAME");
	textbuf_init(&tb, request, sizeof(request));
	textbuf_printf(&tb, "account-delete %s", argv[0]);
	if (textbuf_overflow(&tb))
		return pbctl_usage_err("%s", "account delete: name too long");
	return call_ok(request, tb.len);
}

int pbctl_cmd_account(int argc, char **argv)
{
	if (argc < 1)
		return pbctl_usage_err("%s", "account: list, add, edit or delete?");
	if (!strcmp(argv[0], "list"))
		return account_list(argc - 1, argv + 1);
	if (!strcmp(argv[0], "add"))
		return account_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "edit"))
		return account_edit(argc - 1, argv + 1);
	if (!strcmp(argv[0], "delete"))
		return account_delete(argc - 1, argv + 1);
	return pbctl_usage_err("account: unknown command '%s'", argv[0]);
}

/* The caller's own password: the current one, then the new one. */
int pbctl_cmd_passwd(int argc, char **argv)
{
	char old[CTL_PASSWORD_MAX], pw[CTL_PASSWORD_MAX];
	struct textbuf tb;
	int rc = 1;

	(void)argv;
	if (argc)
		return pbctl_usage_err("%s", "usage: pbctl passwd (current and new password on stdin, one per line)");
	if (read_password("current password", old, sizeof(old)))
		return 1;
	if (read_password("new password", pw, sizeof(pw)))
		goto out;
	textbuf_init(&tb, request, sizeof(request));
	textbuf_printf(&tb, "passwd");
	if (hex_arg(&tb, old) || hex_arg(&tb, pw) || textbuf_overflow(&tb)) {
		rc = pbctl_usage_err("%s", "passwd: too long");
		goto out;
	}
	rc = call_ok(request, tb.len);
	explicit_bzero(request, tb.len);
out:
	explicit_bzero(old, sizeof(old));
	explicit_bzero(pw, sizeof(pw));
	return rc;
}

int pbctl_cmd_whoami(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return pbctl_usage_err("%s", "usage: pbctl whoami");
	if (call("whoami", 6))
		return 1;
	return print_reply();
}

int pbctl_cmd_factory_reset(int argc, char **argv)
{
	if (argc != 1 || strcmp(argv[0], "--yes"))
		return pbctl_usage_err("%s", "usage: pbctl factory-reset --yes (wipes accounts, keys, settings and logs, then powers off)");
	return call_ok("factory-reset", 13);
}

void pbctl_usage_system(FILE *f)
{
	fprintf(f,
		"\n"
		"board settings and accounts (Documentation/configuration.md, accounts.md):\n"
		"  config get SECTION [KEY] [--json]   read a section or one key\n"
		"  config set SECTION key value ...    change settings (admins)\n"
		"  config export [--secrets]           the whole configuration as text\n"
		"  config import FILE|-                replace it (admins); all or nothing\n"
		"  account list [--json]               accounts, password state, lockout\n"
		"  account add NAME GROUP [note TEXT] [must-change yes|no]\n"
		"                                      (password on stdin; must-change\n"
		"                                      is yes unless told)\n"
		"  account edit NAME key value ...     group, note, must-change yes|no,\n"
		"                                      unlock yes, password - (on stdin)\n"
		"  account delete NAME\n"
		"  passwd                              change your own password\n"
		"  whoami                              your account\n"
		"  factory-reset --yes                 wipe everything and power off\n"
		"sections:");
	list_sections(f);
	fprintf(f, "\n");
}
