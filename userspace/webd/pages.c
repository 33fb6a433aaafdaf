// SPDX-License-Identifier: GPL-2.0
/*
 * The console's pages: routing, sessions, CSRF, security headers and the
 * server-rendered HTML (no JavaScript).  Changes go to pbconfd as the
 * logged-in account (jobs.c), so pbconfd checks its rights and logs its
 * name; logins go through the accounts library (auth_login).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "account.h"
#include "allow.h"
#include "auth.h"
#include "ctl.h"
#include "ctlclient.h"
#include "fileio.h"
#include "log.h"
#include "logrec.h"
#include "nl.h"
#include "pbmsg.h"
#include "text.h"
#include "webd.h"

#define PAGE_MAX	(WEBD_OUT_MAX - 2048)
#define FLASH_MAX	320
#define FIELD_MAX	160

static struct pb_conf conf;
static struct stat conf_st;
static struct session sessions[WEBD_SESSIONS_MAX];
static char flash[WEBD_SESSIONS_MAX][FLASH_MAX];
static int flash_error[WEBD_SESSIONS_MAX];
static char *css;
static size_t css_len;
static char page[PAGE_MAX];
static struct textbuf tb;

/* ---- configuration: reread when pbconfd rewrites it ---- */

const struct pb_conf *pages_conf(void)
{
	struct stat st;

	if (stat(AUTH_CONF_PATH, &st)) {
		if (conf_st.st_ino || !conf.nports) {
			memset(&conf_st, 0, sizeof(conf_st));
			conf_init_defaults(&conf, PB_MAX_PORTS);
		}
	} else if (st.st_ino != conf_st.st_ino ||
		   st.st_mtim.tv_sec != conf_st.st_mtim.tv_sec ||
		   st.st_mtim.tv_nsec != conf_st.st_mtim.tv_nsec ||
		   !conf.nports) {
		auth_load_conf(AUTH_CONF_PATH, &conf);
		explicit_bzero(conf.radius.secret, sizeof(conf.radius.secret));
		conf_st = st;
	}
	return &conf;
}

void pages_init(void)
{
	char path[256];
	const char *dir = getenv("PBWEBD_ASSETS");

	snprintf(path, sizeof(path), "%s/style.css", dir ? dir : WEBD_ASSETS);
	if (read_file(path, 256 * 1024, &css, &css_len)) {
		log_warn("cannot read %s: pages come without style", path);
		css = NULL;
		css_len = 0;
	}
	pages_conf();
}

/* ---- responses ---- */

static const char security_headers[] =
	"Strict-Transport-Security: max-age=31536000\r\n"
	"Content-Security-Policy: default-src 'none'; style-src 'self'; "
	"img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
	"base-uri 'none'\r\n"
	"X-Frame-Options: DENY\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"Referrer-Policy: same-origin\r\n"
	"Cross-Origin-Opener-Policy: same-origin\r\n"
	"Cross-Origin-Resource-Policy: same-origin\r\n"
	"Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n";

static void respond(struct conn *c, int status, const char *ctype,
		    const char *extra, const char *body, size_t blen)
{
	struct textbuf out;
	int head = c->req.method == HTTP_HEAD;

	if (!c->req.keep_alive || status >= 400)
		c->close_after = 1;
	textbuf_init(&out, c->out, sizeof(c->out));
	textbuf_printf(&out, "HTTP/1.1 %d %s\r\n%s"
		       "Cache-Control: no-store\r\n"
		       "Content-Length: %zu\r\n%s%s%s%s",
		       status, http_reason(status), c->tls ? security_headers : "",
		       blen, ctype ? "Content-Type: " : "", ctype ? ctype : "",
		       ctype ? "\r\n" : "",
		       c->close_after ? "Connection: close\r\n" : "");
	textbuf_printf(&out, "%s\r\n", extra ? extra : "");
	if (textbuf_overflow(&out) || out.len + blen > sizeof(c->out)) {
		out.len = snprintf(c->out, sizeof(c->out),
				   "HTTP/1.1 500 Internal Server Error\r\n"
				   "Content-Length: 0\r\nConnection: close\r\n\r\n");
		c->close_after = 1;
		blen = 0;
		head = 1;
	}
	if (!head && blen) {
		memcpy(c->out + out.len, body, blen);
		out.len += blen;
	}
	c->out_len = out.len;
	c->out_off = 0;
	c->state = C_WRITE;
}

static void redirect(struct conn *c, const char *location, const char *extra)
{
	char hdr[1024];

	snprintf(hdr, sizeof(hdr), "Location: %s\r\n%s", location,
		 extra ? extra : "");
	respond(c, 303, NULL, hdr, "", 0);
}

/* ---- HTML ---- */

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	textbuf_printf(&tb, "%s", line);
}

/* Escaped text. */
static void esc(const char *s)
{
	char out[4 * FLASH_MAX];

	http_html_escape(out, sizeof(out), s, strlen(s));
	textbuf_printf(&tb, "%s", out);
}

static void page_begin(const char *title, int sid)
{
	const struct session *s = sid >= 0 ? &sessions[sid] : NULL;

	textbuf_init(&tb, page, sizeof(page));
	put("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>%s - portbridge</title>"
	    "<link rel=\"stylesheet\" href=\"/style.css\"></head><body>\n",
	    title);
	put("<header><span class=\"brand\">portbridge</span>");
	if (s && !s->must_change) {
		put("<nav><a href=\"/\">Overview</a>");
		put("<a href=\"/port?n=1\">Port settings</a>"
		    "<a href=\"/allow\">Accessible IPs</a>"
		    "<a href=\"/log\">Event log</a>"
		    "<a href=\"/password\">Password</a></nav>");
	}
	if (s) {
		put("<form class=\"logout\" method=\"post\" action=\"/logout\">"
		    "<span class=\"who\">");
		esc(s->name);
		put(" (%s)</span><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<button type=\"submit\" id=\"logout\">Log out</button></form>",
		    acct_group_name(s->group), s->csrf);
	}
	put("</header>\n<main>\n<h1>%s</h1>\n", title);
	if (sid >= 0 && flash[sid][0]) {
		put("<p class=\"%s\" id=\"flash\">", flash_error[sid] ? "error" :
		    "ok");
		esc(flash[sid]);
		put("</p>\n");
		flash[sid][0] = '\0';
	}
}

static void page_end(struct conn *c, int status, const char *extra)
{
	put("</main></body></html>\n");
	if (textbuf_overflow(&tb)) {
		pages_error(c, 500, "The page did not fit.");
		return;
	}
	respond(c, status, "text/html; charset=utf-8", extra, page, tb.len);
}

void pages_error(struct conn *c, int status, const char *text)
{
	char body[512], esc_text[320];

	http_html_escape(esc_text, sizeof(esc_text), text ? text : "",
			 text ? strlen(text) : 0);
	snprintf(body, sizeof(body),
		 "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		 "<title>%d %s</title></head><body><h1>%d %s</h1><p>%s</p>"
		 "</body></html>\n", status, http_reason(status), status,
		 http_reason(status), esc_text);
	c->close_after = 1;
	respond(c, status, "text/html; charset=utf-8", NULL, body,
		strlen(body));
}

/* ---- sessions ---- */

static void new_token(char *out)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char r[33];
	unsigned int i, bits = 0, acc = 0, n = 0;

	if (tls_random(r, 32)) {
		log_err("no random numbers: refusing to make a token");
		abort();
	}
	r[32] = 0;
	for (i = 0; i < 33 && n < WEBD_TOKEN_LEN; i++) {
		acc = (acc << 8) | r[i];
		bits += 8;
		while (bits >= 6 && n < WEBD_TOKEN_LEN) {
			bits -= 6;
			out[n++] = b64[(acc >> bits) & 63];
		}
	}
	out[n] = '\0';
	explicit_bzero(r, sizeof(r));
}

static long long logout_ms(void)
{
	return (long long)conf.console.auto_logout * 60000;
}

static void session_drop(int sid)
{
	explicit_bzero(&sessions[sid], sizeof(sessions[sid]));
	flash[sid][0] = '\0';
}

/* The session of this request, or -1. */
static int session_find(struct conn *c, int *expired)
{
	char token[WEBD_TOKEN_LEN + 2];
	const char *hdr;
	size_t len;
	long long now = now_ms();
	int i;

	*expired = 0;
	hdr = http_header(&c->req, "cookie", &len);
	if (!hdr || http_cookie(hdr, len, "pbsid", token, sizeof(token)) !=
	    WEBD_TOKEN_LEN)
		return -1;
	for (i = 0; i < WEBD_SESSIONS_MAX; i++) {
		struct session *s = &sessions[i];

		if (!s->used || !http_token_equal(s->token, token,
						  WEBD_TOKEN_LEN))
			continue;
		if (memcmp(s->addr, c->addr, 16))
			return -1;	/* a cookie from another host */
		if (now - s->last_ms >= logout_ms()) {
			log_info("web: %s logged out after %u min without activity",
				 s->name, conf.console.auto_logout);
			session_drop(i);
			*expired = 1;
			return -1;
		}
		s->last_ms = now;
		return i;
	}
	return -1;
}

static int session_new(struct conn *c, const char *name, uint32_t uid,
		       uint32_t group, int must_change)
{
	long long now = now_ms(), oldest = now + 1;
	int i, sid = -1;

	for (i = 0; i < WEBD_SESSIONS_MAX; i++) {
		if (sessions[i].used &&
		    now - sessions[i].last_ms >= logout_ms())
			session_drop(i);
		if (!sessions[i].used) {
			sid = i;
			break;
		}
		if (sessions[i].last_ms < oldest) {
			oldest = sessions[i].last_ms;
			sid = i;
		}
	}
	session_drop(sid);	/* full: the longest idle one goes */
	sessions[sid].used = 1;
	new_token(sessions[sid].token);
	new_token(sessions[sid].csrf);
	memcpy(sessions[sid].name, name,
	       strnlen(name, sizeof(sessions[sid].name) - 1));
	sessions[sid].uid = uid;
	sessions[sid].group = group;
	sessions[sid].gid = acct_group_gid(group);
	sessions[sid].must_change = must_change;
	memcpy(sessions[sid].addr, c->addr, 16);
	sessions[sid].last_ms = now;
	return sid;
}

static void set_flash(int sid, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_flash(int sid, int error, const char *fmt, ...)
{
	va_list ap;

	if (sid < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(flash[sid], FLASH_MAX, fmt, ap);
	va_end(ap);
	flash_error[sid] = error;
}

/* ---- request helpers ---- */

static int path_is(const struct conn *c, const char *path)
{
	return c->req.path_len == strlen(path) &&
	       !memcmp(c->req.path, path, c->req.path_len);
}

static long form(const struct conn *c, const char *name, char *out,
		 size_t size)
{
	if (!c->req.body)
		return -1;
	return http_form_field(c->req.body, c->req.content_length, name, out,
			       size);
}

static long query(const struct conn *c, const char *name, char *out,
		  size_t size)
{
	if (!c->req.query)
		return -1;
	return http_form_field(c->req.query, c->req.query_len, name, out,
			       size);
}

/* The CSRF check of a POST: the token and, if sent, the Origin. */
static int csrf_ok(const struct conn *c, const char *expected)
{
	char token[WEBD_TOKEN_LEN + 2], host[256], origin[300];
	const char *o;
	size_t len;
	unsigned int port;

	if (!expected || strlen(expected) != WEBD_TOKEN_LEN ||
	    form(c, "csrf", token, sizeof(token)) != WEBD_TOKEN_LEN ||
	    !http_token_equal(token, expected, WEBD_TOKEN_LEN))
		return 0;
	o = http_header(&c->req, "origin", &len);
	if (!o)
		return 1;
	if (!c->req.host || http_host_parse(c->req.host, c->req.host_len,
					    host, sizeof(host), &port))
		return 0;
	/* the Origin must be this very host */
	snprintf(origin, sizeof(origin), "https://%.*s", (int)c->req.host_len,
		 c->req.host);
	return len == strlen(origin) && !strncasecmp(o, origin, len);
}

/* Simple words for port-set values: no blanks, nothing to inject. */
static int is_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '.'))
			return 0;
	}
	return 1;
}

/* The configuration as pbconfd has it (config-get, as root). */
static int read_config(struct pb_conf *out, char *err, size_t errsize)
{
	static char text[CTL_REPLY_MAX];
	struct conf_error cerr;
	int rc;

	if (ctl_client_call(CTL_DEFAULT_SOCKET, "config-get", 10, text,
			    sizeof(text), err, errsize))
		return -1;
	if (!strncmp(text, "error:", 6)) {
		snprintf(err, errsize, "%s", text);
		return -1;
	}
	conf_init_defaults(out, PB_MAX_PORTS);
	rc = conf_parse(out, text, strlen(text), &cerr);
	explicit_bzero(text, sizeof(text));
	if (rc) {
		conf_error_format(&cerr, err, errsize);
		return -1;
	}
	return 0;
}

struct port_list {
	unsigned int n;
	struct pb_port_info port[PB_MAX_PORTS];
};

static int collect_port(const struct nlmsghdr *nlh, void *arg)
{
	struct port_list *list = arg;

	if (list->n < PB_MAX_PORTS && !pb_parse_port(nlh, &list->port[list->n]))
		list->n++;
	return 0;
}

/* Every port as the kernel runs it (as pbctl port show). */
static int read_ports(struct port_list *list, char *err, size_t errsize)
{
	struct nl_family fam;
	struct nl_sock nl;
	struct nl_msg m;
	struct nl_err nerr;
	int rc;

	list->n = 0;
	rc = nl_open(&nl);
	if (rc) {
		snprintf(err, errsize, "netlink: %s", strerror(-rc));
		return -1;
	}
	rc = nl_resolve(&nl, PORTBRIDGE_GENL_NAME, NULL, &fam, &nerr);
	if (!rc) {
		pb_build_port_get(&m, fam.id, 0);
		rc = nl_request(&nl, &m, collect_port, list, &nerr);
	}
	nl_close(&nl);
	if (rc) {
		snprintf(err, errsize, "%s", nerr.msg);
		return -1;
	}
	return 0;
}

/* ---- login ---- */

static void login_page(struct conn *c, const char *error, int timed_out)
{
	char pre[WEBD_TOKEN_LEN + 2], cookie[256];
	const char *hdr;
	size_t len;

	/* the login form's CSRF token: a cookie the form repeats */
	hdr = http_header(&c->req, "cookie", &len);
	if (!hdr || http_cookie(hdr, len, "pbpre", pre, sizeof(pre)) !=
	    WEBD_TOKEN_LEN)
		new_token(pre);
	snprintf(cookie, sizeof(cookie),
		 "Set-Cookie: pbpre=%s; Path=/login; Secure; HttpOnly; SameSite=Strict\r\n",
		 pre);
	page_begin("Log in", -1);
	if (conf.messages.login[0]) {
		put("<pre class=\"message\" id=\"login-message\">");
		esc(conf.messages.login);
		put("</pre>\n");
	}
	if (timed_out)
		put("<p class=\"error\" id=\"flash\">You were logged out after %u minutes without activity.</p>\n",
		    conf.console.auto_logout);
	if (error) {
		put("<p class=\"error\" id=\"flash\">");
		esc(error);
		put("</p>\n");
	}
	put("<form method=\"post\" action=\"/login\" class=\"login\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label>Account <input name=\"user\" id=\"user\" autocomplete=\"username\" maxlength=\"32\" required autofocus></label>"
	    "<label>Password <input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" maxlength=\"128\" required></label>"
	    "<button type=\"submit\" id=\"login\">Log in</button></form>\n",
	    pre);
	page_end(c, error ? 403 : 200, cookie);
	/* a failed login keeps the connection: the form comes again */
	if (error)
		c->close_after = !c->req.keep_alive;
}

struct login_arg {
	char user[ACCT_NAME_MAX + 1];
	char password[CTL_PASSWORD_MAX];
	char from[48];
};

static struct login_arg login_arg;

static int login_child(void *arg, char *out, size_t size)
{
	struct login_arg *a = arg;
	struct auth_result res;
	struct auth_ctx ctx;

	auth_ctx_init(&ctx);
	auth_login(&ctx, "https", a->user, a->password, a->from, &res);
	explicit_bzero(a->password, sizeof(a->password));
	if (res.ok)
		snprintf(out, size, "ok %u %u %d", res.uid, res.group,
			 res.must_change);
	else
		snprintf(out, size, "fail");
	return 0;
}

static void login_done(struct conn *c, int ok, const char *reply)
{
	char user[ACCT_NAME_MAX + 1], cookie[512];
	unsigned int uid, group;
	int must_change, sid;

	if (!ok || sscanf(reply, "ok %u %u %d", &uid, &group,
			  &must_change) != 3 ||
	    form(c, "user", user, sizeof(user)) <= 0) {
		login_page(c, conf.messages.failure[0] ? conf.messages.failure :
			   "Login failed.", 0);
		return;
	}
	sid = session_new(c, user, uid, group, must_change);
	log_info("web: %s logged in from %s", user, c->addr_text);
	snprintf(cookie, sizeof(cookie),
		 "Set-Cookie: pbsid=%s; Path=/; Secure; HttpOnly; SameSite=Strict\r\n"
		 "Set-Cookie: pbpre=; Path=/login; Max-Age=0; Secure; HttpOnly; SameSite=Strict\r\n",
		 sessions[sid].token);
	if (must_change)
		set_flash(sid, 1, "You must change your password before you go on.");
	redirect(c, must_change ? "/password" : "/", cookie);
}

static void login_post(struct conn *c)
{
	char pre[WEBD_TOKEN_LEN + 2];
	const char *hdr;
	size_t len;

	hdr = http_header(&c->req, "cookie", &len);
	if (!hdr || http_cookie(hdr, len, "pbpre", pre, sizeof(pre)) !=
	    WEBD_TOKEN_LEN || !csrf_ok(c, pre)) {
		pages_error(c, 403, "The form expired or did not come from this console: load the login page again.");
		return;
	}
	memset(&login_arg, 0, sizeof(login_arg));
	if (form(c, "user", login_arg.user, sizeof(login_arg.user)) <= 0 ||
	    form(c, "password", login_arg.password,
		 sizeof(login_arg.password)) < 0) {
		login_page(c, conf.messages.failure[0] ? conf.messages.failure :
			   "Login failed.", 0);
		return;
	}
	snprintf(login_arg.from, sizeof(login_arg.from), "%s", c->addr_text);
	if (job_start(c, login_done, login_child, &login_arg))
		pages_error(c, 503, "Too many logins at once: try again.");
	explicit_bzero(login_arg.password, sizeof(login_arg.password));
}

/* ---- pbconfd requests as the account ---- */

struct ctl_arg {
	const char *path;	/* NULL: pbconfd */
	uint32_t uid, gid;
	size_t len;
	char req[CTL_REQUEST_MAX + 512];
};

static struct ctl_arg ctl_arg;

static int ctl_child(void *arg, char *out, size_t size)
{
	struct ctl_arg *a = arg;

	return job_call_as(a->path ? a->path : CTL_DEFAULT_SOCKET, a->uid,
			   a->gid, a->req, a->len, out, size);
}

static int start_ctl(struct conn *c, int sid, job_done_fn done)
{
	ctl_arg.uid = sessions[sid].uid;
	ctl_arg.gid = sessions[sid].gid;
	c->job.sid = sid;
	if (job_start(c, done, ctl_child, &ctl_arg)) {
		explicit_bzero(&ctl_arg, sizeof(ctl_arg));
		pages_error(c, 503, "Busy: try again.");
		return -1;
	}
	explicit_bzero(&ctl_arg, sizeof(ctl_arg));
	return 0;
}

/* ---- overview ---- */

static void overview(struct conn *c, int sid)
{
	static struct port_list list;
	char err[300];
	unsigned int i;

	page_begin("Overview", sid);
	if (read_ports(&list, err, sizeof(err))) {
		put("<p class=\"error\">Cannot read the ports from the kernel: ");
		esc(err);
		put("</p>");
		page_end(c, 200, NULL);
		return;
	}
	put("<table id=\"ports\"><thead><tr><th>Port</th><th>Mode</th>"
	    "<th>Local port</th><th>Baud</th><th>Format</th><th>Flow</th>"
	    "<th>Connections</th><th>RX bytes</th><th>TX bytes</th>"
	    "<th>Errors</th></tr></thead><tbody>\n");
	for (i = 0; i < list.n; i++) {
		const struct pb_port_info *p = &list.port[i];
		const struct pb_port_conf *pc = &p->conf;
		unsigned long long errors =
			p->stats[PB_STAT_PARITY_ERRORS] +
			p->stats[PB_STAT_FRAME_ERRORS] +
			p->stats[PB_STAT_OVERRUNS] +
			p->stats[PB_STAT_NET_ERRORS] +
			p->stats[PB_STAT_PROTO_ERRORS];

		put("<tr id=\"port%u\"><td><a href=\"/port?n=%u\">%u</a></td>"
		    "<td class=\"mode\">%s</td><td>%u</td><td>%u</td>"
		    "<td>%u%c%u</td><td>%s</td><td>%llu/%u</td>"
		    "<td>%llu</td><td>%llu</td><td>%llu</td></tr>\n",
		    p->index, p->index, p->index, conf_mode_name(pc->mode),
		    pc->local_port, pc->baud, pc->data_bits,
		    pc->parity < 5 ? "NOEMS"[pc->parity] : '?', pc->stop_bits,
		    conf_flow_name(pc->flow),
		    (unsigned long long)p->stats[PB_STAT_ACTIVE_CONNS],
		    pc->max_conns,
		    (unsigned long long)p->stats[PB_STAT_RX_BYTES],
		    (unsigned long long)p->stats[PB_STAT_TX_BYTES], errors);
	}
	put("</tbody></table>\n<p class=\"note\">What the kernel runs now; "
	    "reload the page for fresh counters.</p>\n");
	page_end(c, 200, NULL);
}

/* ---- port settings ---- */

static const char *const modes[] = { "disabled", "tcp-server", "tcp-client",
	"udp", "rfc2217", "real-com" };
static const char *const parities[] = { "none", "odd", "even", "mark",
	"space" };
static const char *const flows[] = { "none", "rts-cts", "xon-xoff",
	"dtr-dsr" };
static const unsigned int bauds[] = { 50, 75, 110, 134, 150, 300, 600, 1200,
	1800, 2400, 4800, 7200, 9600, 19200, 38400, 57600, 115200, 230400,
	460800, 921600 };

static void select_words(const char *name, const char *const *words,
			 unsigned int n, const char *cur)
{
	unsigned int i;

	put("<select name=\"%s\" id=\"%s\">", name, name);
	for (i = 0; i < n; i++)
		put("<option%s>%s</option>", strcmp(words[i], cur) ? "" :
		    " selected", words[i]);
	put("</select>");
}

static void select_nums(const char *name, const unsigned int *nums,
			unsigned int n, unsigned int cur)
{
	unsigned int i;

	put("<select name=\"%s\" id=\"%s\">", name, name);
	for (i = 0; i < n; i++)
		put("<option%s>%u</option>", nums[i] == cur ? " selected" : "",
		    nums[i]);
	put("</select>");
}

static unsigned int nports_of(const struct pb_conf *cfg)
{
	static struct port_list list;
	char err[64];

	(void)cfg;
	if (read_ports(&list, err, sizeof(err)))
		return 0;
	return list.n;
}

static void port_page(struct conn *c, int sid, unsigned int n)
{
	static struct pb_conf cfg;
	static const unsigned int databits[] = { 5, 6, 7, 8 };
	static const unsigned int stopbits[] = { 1, 2 };
	char err[CONF_ERR_MAX + 64];
	unsigned int nports, i;
	const struct pb_port_conf *pc;
	int ro = sessions[sid].group != ACCT_ADMINS;

	if (read_config(&cfg, err, sizeof(err))) {
		pages_error(c, 500, err);
		return;
	}
	nports = nports_of(&cfg);
	if (n < 1 || n > nports) {
		pages_error(c, 404, "No such port.");
		return;
	}
	pc = &cfg.port[n - 1];
	page_begin("Port settings", sid);
	put("<p class=\"ports\">");
	for (i = 1; i <= nports; i++)
		put(i == n ? "<strong>Port %u</strong> " :
		    "<a href=\"/port?n=%u\">Port %u</a> ", i, i);
	put("</p>\n<form method=\"post\" action=\"/port\" id=\"portform\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<input type=\"hidden\" name=\"n\" value=\"%u\"><fieldset%s>"
	    "<legend>Port %u</legend>",
	    sessions[sid].csrf, n, ro ? " disabled" : "", n);
	put("<label>Operation mode ");
	select_words("mode", modes, 6, conf_mode_name(pc->mode));
	put("</label><label>Local TCP/UDP port <input name=\"local-port\" "
	    "id=\"local-port\" value=\"%u\" inputmode=\"numeric\" maxlength=\"5\"></label>",
	    pc->local_port);
	put("<label>Baud rate ");
	select_nums("baud", bauds, sizeof(bauds) / sizeof(bauds[0]),
		    pc->baud);
	put("</label><label>Data bits ");
	select_nums("data-bits", databits, 4, pc->data_bits);
	put("</label><label>Parity ");
	select_words("parity", parities, 5, conf_parity_name(pc->parity));
	put("</label><label>Stop bits ");
	select_nums("stop-bits", stopbits, 2, pc->stop_bits);
	put("</label><label>Flow control ");
	select_words("flow", flows, 4, conf_flow_name(pc->flow));
	put("</label>");
	if (!ro)
		put("<button type=\"submit\" id=\"apply\">Apply</button>");
	put("</fieldset></form>\n");
	if (ro)
		put("<p class=\"note\">Your account may only read the settings.</p>\n");
	put("<p class=\"note\">A new mode without a new local port takes the mode's default port when the old one was the default.</p>\n");
	page_end(c, 200, NULL);
}

static void port_done(struct conn *c, int ok, const char *reply)
{
	int sid = c->job.sid;
	char loc[32];

	snprintf(loc, sizeof(loc), "/port?n=%u", c->job.port);
	if (sid < 0 || !sessions[sid].used) {
		redirect(c, "/login", NULL);
		return;
	}
	if (ok && !strcmp(reply, "ok"))
		set_flash(sid, 0, "Port %u: settings applied.", c->job.port);
	else
		set_flash(sid, 1, "Port %u: %s", c->job.port,
			  reply[0] ? reply : "no answer from pbconfd");
	redirect(c, loc, NULL);
}

static void port_post(struct conn *c, int sid)
{
	static const char *const keys[] = { "mode", "local-port", "baud",
		"data-bits", "parity", "stop-bits", "flow" };
	static struct pb_conf cfg;
	char val[FIELD_MAX], cur[CONF_VALUE_MAX], err[CONF_ERR_MAX + 64];
	struct textbuf req;
	unsigned int i, nset = 0;
	uint32_t n;

	if (form(c, "n", val, sizeof(val)) <= 0 ||
	    text_parse_u32(val, strlen(val), &n) || n < 1 ||
	    n > PB_MAX_PORTS) {
		pages_error(c, 400, "Which port?");
		return;
	}
	if (read_config(&cfg, err, sizeof(err))) {
		pages_error(c, 500, err);
		return;
	}
	textbuf_init(&req, ctl_arg.req, sizeof(ctl_arg.req));
	textbuf_printf(&req, "port-set %u", n);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int key = conf_port_key_find(keys[i], strlen(keys[i]));

		if (form(c, keys[i], val, sizeof(val)) < 0)
			continue;	/* not sent: unchanged */
		if (!is_word(val)) {
			set_flash(sid, 1, "Port %u: %s: not a valid value", n,
				  keys[i]);
			goto back;
		}
		conf_port_value_format(key, &cfg.port[n - 1], cur,
				       sizeof(cur));
		if (!strcmp(cur, val))
			continue;
		textbuf_printf(&req, " %s %s", keys[i], val);
		nset++;
	}
	if (!nset) {
		set_flash(sid, 0, "Port %u: nothing changed.", n);
		goto back;
	}
	if (textbuf_overflow(&req)) {
		pages_error(c, 400, "Too many settings.");
		return;
	}
	ctl_arg.len = req.len;
	c->job.port = n;
	start_ctl(c, sid, port_done);
	return;
back:
	snprintf(val, sizeof(val), "/port?n=%u", n);
	redirect(c, val, NULL);
}

/* ---- accessible IP list ---- */

static void allow_page(struct conn *c, int sid)
{
	static struct pb_conf cfg;
	char err[CONF_ERR_MAX + 64], text[ALLOW_TEXT_MAX];
	unsigned int i, used = 0;
	int ro = sessions[sid].group != ACCT_ADMINS;

	if (read_config(&cfg, err, sizeof(err))) {
		pages_error(c, 500, err);
		return;
	}
	page_begin("Accessible IP list", sid);
	put("<p>The list is <strong id=\"allow-state\">%s</strong>. With it on, only the hosts listed reach the board's services.</p>\n",
	    cfg.allow.enabled ? "on" : "off");
	put("<p class=\"warning\" id=\"lockout-warning\">Your address is "
	    "<strong id=\"your-address\">");
	esc(c->addr_text);
	put("</strong>. Keep an entry that admits it, or you lock yourself "
	    "out: a change that would leave your address out is refused.</p>\n");
	put("<table id=\"allow\"><thead><tr><th>#</th><th>Entry</th><th></th>"
	    "</tr></thead><tbody>\n");
	for (i = 0; i < ALLOW_MAX_ENTRIES; i++) {
		const struct pb_allow_entry *e = &cfg.allow.entry[i];

		if (e->family == ALLOW_NONE)
			continue;
		used++;
		allow_entry_format(e, text, sizeof(text));
		put("<tr><td>%u</td><td class=\"entry\">", i + 1);
		esc(text);
		put("</td><td>");
		if (!ro)
			put("<form method=\"post\" action=\"/allow\">"
			    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
			    "<input type=\"hidden\" name=\"slot\" value=\"%u\">"
			    "<button name=\"action\" value=\"delete\">Delete</button></form>",
			    sessions[sid].csrf, i + 1);
		put("</td></tr>\n");
	}
	if (!used)
		put("<tr><td colspan=\"3\">No entries.</td></tr>\n");
	put("</tbody></table>\n");
	if (!ro) {
		put("<form method=\"post\" action=\"/allow\" id=\"allow-add\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<label>Address or network <input name=\"entry\" id=\"entry\" "
		    "placeholder=\"192.168.1.0/255.255.255.0\" maxlength=\"60\"></label>"
		    "<button name=\"action\" value=\"add\" id=\"add\">Add</button></form>\n",
		    sessions[sid].csrf);
		put("<form method=\"post\" action=\"/allow\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<button name=\"action\" value=\"%s\" id=\"toggle\">%s the list</button></form>\n",
		    sessions[sid].csrf, cfg.allow.enabled ? "off" : "on",
		    cfg.allow.enabled ? "Switch off" : "Switch on");
	}
	page_end(c, 200, NULL);
}

static void allow_done(struct conn *c, int ok, const char *reply)
{
	int sid = c->job.sid;

	if (sid < 0 || !sessions[sid].used) {
		redirect(c, "/login", NULL);
		return;
	}
	if (ok && !strcmp(reply, "ok"))
		set_flash(sid, 0, "Accessible IP list saved.");
	else
		set_flash(sid, 1, "%s", reply[0] ? reply :
			  "no answer from pbconfd");
	redirect(c, "/allow", NULL);
}

static void allow_post(struct conn *c, int sid)
{
	static struct pb_conf cfg;
	struct pb_allow_entry e;
	char action[16], val[FIELD_MAX], err[CONF_ERR_MAX + 64];
	char text[ALLOW_TEXT_MAX];
	struct textbuf req;
	unsigned int i;
	uint32_t slot;

	if (read_config(&cfg, err, sizeof(err))) {
		pages_error(c, 500, err);
		return;
	}
	textbuf_init(&req, ctl_arg.req, sizeof(ctl_arg.req));
	/* the browser's address is the lockout guard */
	textbuf_printf(&req, "config-set guard %s\n[allow]\n", c->addr_text);
	if (form(c, "action", action, sizeof(action)) <= 0) {
		pages_error(c, 400, "What to do?");
		return;
	}
	if (!strcmp(action, "add")) {
		if (form(c, "entry", val, sizeof(val)) <= 0 ||
		    allow_entry_parse(val, strlen(val), &e, err, sizeof(err))) {
			set_flash(sid, 1, "Entry: %s", form(c, "entry", val,
				  sizeof(val)) > 0 ? err : "empty");
			redirect(c, "/allow", NULL);
			return;
		}
		for (i = 0; i < ALLOW_MAX_ENTRIES; i++) {
			if (cfg.allow.entry[i].family == ALLOW_NONE)
				break;
		}
		if (i == ALLOW_MAX_ENTRIES) {
			set_flash(sid, 1, "The list is full (%u entries).",
				  ALLOW_MAX_ENTRIES);
			redirect(c, "/allow", NULL);
			return;
		}
		allow_entry_format(&e, text, sizeof(text));
		textbuf_printf(&req, "entry%u = %s\n", i + 1, text);
	} else if (!strcmp(action, "delete")) {
		if (form(c, "slot", val, sizeof(val)) <= 0 ||
		    text_parse_u32(val, strlen(val), &slot) || slot < 1 ||
		    slot > ALLOW_MAX_ENTRIES) {
			pages_error(c, 400, "Which entry?");
			return;
		}
		textbuf_printf(&req, "entry%u = none\n", slot);
	} else if (!strcmp(action, "on") || !strcmp(action, "off")) {
		textbuf_printf(&req, "enabled = %s\n", action);
	} else {
		pages_error(c, 400, "What to do?");
		return;
	}
	if (textbuf_overflow(&req)) {
		pages_error(c, 500, "Request too long.");
		return;
	}
	ctl_arg.len = req.len;
	start_ctl(c, sid, allow_done);
}

/* ---- event log ---- */

#define LOG_PER_PAGE	50

static const char *const log_cats[] = { "all", "system", "network", "config",
	"opmode" };

/* "total N\n" and the entries, from pblogd (as root: reading only). */
static long log_fetch(const char *cat, unsigned long first,
		      unsigned long count, char *reply, size_t size,
		      char *err, size_t errsize)
{
	char req[96];
	unsigned long total;

	snprintf(req, sizeof(req), "show %s %lu %lu", cat, first, count);
	if (ctl_client_call(LOGCTL_SOCKET, req, strlen(req), reply, size, err,
			    errsize))
		return -1;
	if (!strncmp(reply, "error", 5) ||
	    sscanf(reply, "total %lu", &total) != 1) {
		snprintf(err, errsize, "%.200s", reply);
		return -1;
	}
	return (long)total;
}

static void log_page(struct conn *c, int sid)
{
	static char reply[LOGCTL_PAGE_MAX * (LOGREC_TEXT_MAX + 128) + 64];
	char cat[16] = "all", val[16], err[256];
	unsigned long pages;
	uint32_t pg = 0;
	unsigned int i;
	long total;
	char *line, *next;

	if (query(c, "cat", val, sizeof(val)) > 0) {
		for (i = 0; i < 5 && strcmp(val, log_cats[i]); i++)
			;
		if (i == 5) {
			pages_error(c, 400, "No such category.");
			return;
		}
		snprintf(cat, sizeof(cat), "%s", val);
	}
	if (query(c, "page", val, sizeof(val)) > 0 &&
	    (text_parse_u32(val, strlen(val), &pg) || !pg)) {
		pages_error(c, 400, "No such page.");
		return;
	}
	total = log_fetch(cat, 0, 1, reply, sizeof(reply), err, sizeof(err));
	if (total < 0) {
		pages_error(c, 503, err);
		return;
	}
	pages = total ? (total + LOG_PER_PAGE - 1) / LOG_PER_PAGE : 1;
	if (!pg || pg > pages)
		pg = pages;	/* the newest entries */
	total = log_fetch(cat, (unsigned long)(pg - 1) * LOG_PER_PAGE,
			  LOG_PER_PAGE, reply, sizeof(reply), err,
			  sizeof(err));
	if (total < 0) {
		pages_error(c, 503, err);
		return;
	}
	page_begin("Event log", sid);
	put("<p class=\"cats\">");
	for (i = 0; i < 5; i++)
		put(strcmp(cat, log_cats[i]) ? "<a href=\"/log?cat=%s\">%s</a> " :
		    "<strong>%s%.0s</strong> ", log_cats[i], log_cats[i]);
	put("</p>\n<table id=\"log\"><thead><tr><th>#</th><th>Boot</th>"
	    "<th>Date</th><th>Time</th><th>Uptime</th><th>Category</th>"
	    "<th>Severity</th><th>Event</th></tr></thead><tbody>\n");
	line = strchr(reply, '\n');
	for (line = line ? line + 1 : NULL; line && *line; line = next) {
		char *f[8];
		unsigned int k;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		for (k = 0; k < 7; k++) {
			f[k] = line;
			line += strcspn(line, " ");
			if (*line)
				*line++ = '\0';
		}
		f[7] = line;
		put("<tr>");
		for (k = 0; k < 8; k++) {
			put(k == 5 ? "<td class=\"cat\">" : "<td>");
			esc(f[k]);
			put("</td>");
		}
		put("</tr>\n");
	}
	put("</tbody></table>\n<p>Page %u of %lu (%ld entries). ", pg, pages,
	    total);
	if (pg > 1)
		put("<a href=\"/log?cat=%s&amp;page=%u\">Older</a> ", cat,
		    pg - 1);
	if (pg < pages)
		put("<a href=\"/log?cat=%s&amp;page=%u\">Newer</a>", cat,
		    pg + 1);
	put("</p>\n");
	if (sessions[sid].group == ACCT_ADMINS)
		put("<form method=\"post\" action=\"/log\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<button name=\"action\" value=\"clear\" id=\"clear\">Clear the event log</button></form>\n",
		    sessions[sid].csrf);
	page_end(c, 200, NULL);
}

static void log_done(struct conn *c, int ok, const char *reply)
{
	int sid = c->job.sid;

	if (sid < 0 || !sessions[sid].used) {
		redirect(c, "/login", NULL);
		return;
	}
	if (ok && !strncmp(reply, "ok", 2))
		set_flash(sid, 0, "Event log cleared.");
	else
		set_flash(sid, 1, "%s", reply[0] ? reply :
			  "no answer from pblogd");
	redirect(c, "/log", NULL);
}

static void log_post(struct conn *c, int sid)
{
	char action[16];

	if (form(c, "action", action, sizeof(action)) <= 0 ||
	    strcmp(action, "clear")) {
		pages_error(c, 400, "What to do?");
		return;
	}
	/* pblogd names the account (SO_PEERCRED); we say where from */
	ctl_arg.len = snprintf(ctl_arg.req, sizeof(ctl_arg.req),
			       "clear from %s(https)", c->addr_text);
	ctl_arg.path = LOGCTL_SOCKET;
	start_ctl(c, sid, log_done);
}

/* ---- password ---- */

static void password_page(struct conn *c, int sid)
{
	page_begin("Change password", sid);
	put("<form method=\"post\" action=\"/password\" id=\"pwform\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label>Current password <input type=\"password\" name=\"old\" id=\"old\" autocomplete=\"current-password\" required></label>"
	    "<label>New password <input type=\"password\" name=\"new\" id=\"new\" autocomplete=\"new-password\" required></label>"
	    "<label>New password again <input type=\"password\" name=\"again\" id=\"again\" autocomplete=\"new-password\" required></label>"
	    "<button type=\"submit\" id=\"change\">Change</button></form>\n",
	    sessions[sid].csrf);
	put("<p class=\"note\">At least %u characters%s%s%s.</p>\n",
	    conf.password.min_length,
	    conf.password.need_digit ? ", a digit" : "",
	    conf.password.need_mixed_case ? ", upper and lower case" : "",
	    conf.password.need_special ? ", a special character" : "");
	page_end(c, 200, NULL);
}

static void password_done(struct conn *c, int ok, const char *reply)
{
	int sid = c->job.sid;

	if (sid < 0 || !sessions[sid].used) {
		redirect(c, "/login", NULL);
		return;
	}
	if (ok && !strcmp(reply, "ok")) {
		sessions[sid].must_change = 0;
		set_flash(sid, 0, "Password changed.");
		redirect(c, "/", NULL);
		return;
	}
	set_flash(sid, 1, "%s", reply[0] ? reply : "no answer from pbconfd");
	redirect(c, "/password", NULL);
}

static void password_post(struct conn *c, int sid)
{
	char old[CTL_PASSWORD_MAX], new[CTL_PASSWORD_MAX];
	char again[CTL_PASSWORD_MAX];
	char oldhex[2 * CTL_PASSWORD_MAX + 1], newhex[2 * CTL_PASSWORD_MAX + 1];

	if (form(c, "old", old, sizeof(old)) < 0 ||
	    form(c, "new", new, sizeof(new)) <= 0 ||
	    form(c, "again", again, sizeof(again)) < 0) {
		set_flash(sid, 1, "Fill in every field.");
		goto back;
	}
	if (strcmp(new, again)) {
		set_flash(sid, 1, "The two new passwords differ.");
		goto back;
	}
	if (ctl_hex_encode(old, strlen(old), oldhex, sizeof(oldhex)) ||
	    ctl_hex_encode(new, strlen(new), newhex, sizeof(newhex))) {
		set_flash(sid, 1, "Password too long.");
		goto back;
	}
	ctl_arg.len = snprintf(ctl_arg.req, sizeof(ctl_arg.req),
			       "passwd %s %s", oldhex, newhex);
	explicit_bzero(old, sizeof(old));
	explicit_bzero(new, sizeof(new));
	explicit_bzero(again, sizeof(again));
	explicit_bzero(oldhex, sizeof(oldhex));
	explicit_bzero(newhex, sizeof(newhex));
	start_ctl(c, sid, password_done);
	return;
back:
	explicit_bzero(old, sizeof(old));
	explicit_bzero(new, sizeof(new));
	explicit_bzero(again, sizeof(again));
	redirect(c, "/password", NULL);
}

/* ---- routing ---- */

void pages_redirect_https(struct conn *c)
{
	char host[256], loc[HTTP_TARGET_MAX + 300], hdr[HTTP_TARGET_MAX + 320];
	char addrs[1][48];
	unsigned int port;
	const struct pb_conf *cf = pages_conf();

	if (!c->req.host || http_host_parse(c->req.host, c->req.host_len,
					    host, sizeof(host), &port) ||
	    (cf->console.reject_unknown_host && !board_host_ok(host, cf))) {
		/* never send a browser to a name we do not own */
		if (!board_addresses(addrs, 1))
			snprintf(addrs[0], sizeof(addrs[0]), "%.47s",
				 cf->system.hostname);
		snprintf(host, sizeof(host), "%s", addrs[0]);
	}
	snprintf(loc, sizeof(loc), strchr(host, ':') ? "https://[%s]%.*s" :
		 "https://%s%.*s", host, (int)c->req.target_len,
		 c->req.target);
	snprintf(hdr, sizeof(hdr), "Location: %s\r\n", loc);
	c->close_after = 1;
	respond(c, 301, NULL, hdr, "", 0);
}

void pages_handle(struct conn *c)
{
	char host[256], val[32];
	unsigned int port;
	int sid, expired, post = c->req.method == HTTP_POST;
	uint32_t n;

	pages_conf();
	c->job.sid = -1;
	if (conf.console.reject_unknown_host &&
	    (!c->req.host || http_host_parse(c->req.host, c->req.host_len,
					     host, sizeof(host), &port) ||
	     !board_host_ok(host, &conf))) {
		log_info("web: request from %s for an unknown host refused",
			 c->addr_text);
		pages_error(c, 421, "This is not a name or address of this device.");
		return;
	}
	if (path_is(c, "/style.css") && !post) {
		if (!css) {
			pages_error(c, 404, "No style.");
			return;
		}
		respond(c, 200, "text/css; charset=utf-8", NULL, css, css_len);
		return;
	}
	if (path_is(c, "/favicon.ico")) {
		respond(c, 204, NULL, NULL, "", 0);
		return;
	}
	if (path_is(c, "/login")) {
		if (post)
			login_post(c);
		else
			login_page(c, NULL, query(c, "timeout", val,
						  sizeof(val)) == 1 &&
				   val[0] == '1');
		return;
	}

	sid = session_find(c, &expired);
	if (sid < 0) {
		if (post && !path_is(c, "/logout")) {
			pages_error(c, 403, "Not logged in (or logged out after a time without activity).");
			return;
		}
		redirect(c, expired ? "/login?timeout=1" : "/login", NULL);
		return;
	}
	if (post && !csrf_ok(c, sessions[sid].csrf)) {
		log_info("web: POST %.*s from %s without a valid CSRF token refused",
			 (int)c->req.path_len, c->req.path, c->addr_text);
		pages_error(c, 403, "The form did not come from this session.");
		return;
	}
	if (path_is(c, "/logout")) {
		if (!post) {
			pages_error(c, 405, "Log out with the button.");
			return;
		}
		log_info("web: %s logged out", sessions[sid].name);
		session_drop(sid);
		redirect(c, "/login", "Set-Cookie: pbsid=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict\r\n");
		return;
	}
	if (path_is(c, "/password")) {
		if (post)
			password_post(c, sid);
		else
			password_page(c, sid);
		return;
	}
	if (sessions[sid].must_change) {
		set_flash(sid, 1, "You must change your password before you go on.");
		redirect(c, "/password", NULL);
		return;
	}
	if (post && sessions[sid].group != ACCT_ADMINS) {
		pages_error(c, 403, "Your account may only read the settings.");
		return;
	}
	if (path_is(c, "/") && !post) {
		overview(c, sid);
	} else if (path_is(c, "/port")) {
		if (post) {
			port_post(c, sid);
		} else {
			n = 1;
			if (query(c, "n", val, sizeof(val)) >= 0 &&
			    text_parse_u32(val, strlen(val), &n))
				n = 0;
			port_page(c, sid, n);
		}
	} else if (path_is(c, "/log")) {
		if (post)
			log_post(c, sid);
		else
			log_page(c, sid);
	} else if (path_is(c, "/allow")) {
		if (post)
			allow_post(c, sid);
		else
			allow_page(c, sid);
	} else {
		pages_error(c, 404, "No such page.");
	}
}
