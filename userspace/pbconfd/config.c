// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file and changes to it.  A change is validated as a
 * whole, applied to the kernel, and only then saved; if either step fails,
 * the kernel and the file keep the old settings.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "pbconfd.h"
#include "pbmsg.h"
#include "text.h"
#include "transfer.h"

static char conf_text[CONF_FILE_MAX + 1];

static int config_save(const struct pbconfd *d, const struct pb_conf *conf,
		       char *err, size_t errsize)
{
	size_t len;
	int rc;

	len = conf_serialize(conf, conf_text, sizeof(conf_text));
	if (len >= sizeof(conf_text)) {
		snprintf(err, errsize, "configuration text too large");
		return -1;
	}
	rc = make_parent_dir(d->conf_path);
	if (rc)
		log_warn("cannot create the directory of %s: %s", d->conf_path,
			 strerror(-rc));
	rc = write_file_atomic(d->conf_path, conf_text, len, 0640);
	if (rc) {
		snprintf(err, errsize, "cannot save %s: %s", d->conf_path,
			 strerror(-rc));
		return -1;
	}
	return 0;
}

/* Keep a file we could not use as <path>.bad for the administrator. */
static void keep_bad_file(const char *path)
{
	char bad[PATH_MAX];

	if (snprintf(bad, sizeof(bad), "%s.bad", path) >= (int)sizeof(bad))
		return;
	if (rename(path, bad))
		log_err("cannot rename %s to %s: %s", path, bad,
			strerror(errno));
	else
		log_err("kept the bad configuration as %s; using defaults",
			bad);
}

static void save_defaults(struct pbconfd *d)
{
	char err[256];

	if (config_save(d, &d->conf, err, sizeof(err)))
		log_err("%s", err);
	else
		log_info("wrote the default configuration to %s",
			 d->conf_path);
}

/*
 * Load the configuration: a missing file becomes the defaults (written
 * out); a file we cannot read or parse is kept as <name>.bad and we run
 * with the defaults.  Never fails: a device must come up.
 */
int config_load(struct pbconfd *d)
{
	struct conf_error cerr;
	char msg[CONF_ERR_MAX + 32];
	unsigned int n;
	size_t len;
	char *buf;
	int rc;

	conf_init_defaults(&d->conf, d->map.nports);
	for (n = 1; n <= d->map.nports; n++)
		conf_set_interfaces(&d->conf, n, d->map.port[n - 1].interfaces);
	rc = read_file(d->conf_path, CONF_FILE_MAX, &buf, &len);
	if (rc == -ENOENT) {
		log_info("no configuration at %s: using defaults",
			 d->conf_path);
		save_defaults(d);
		return 0;
	}
	if (rc) {
		log_err("cannot read the configuration %s: %s", d->conf_path,
			rc == -EFBIG ? "file too large" : strerror(-rc));
		keep_bad_file(d->conf_path);
		save_defaults(d);
		return 0;
	}
	rc = conf_parse(&d->conf, buf, len, &cerr);
	free(buf);
	if (rc) {
		conf_error_format(&cerr, msg, sizeof(msg));
		log_err("invalid configuration %s: %s", d->conf_path, msg);
		keep_bad_file(d->conf_path);
		save_defaults(d);
		return 0;
	}
	log_info("configuration loaded from %s", d->conf_path);
	return 0;
}

/*
 * Bring port @n from what it runs now to @pc: detach it when disabled,
 * attach it when it was not bridged, else push the new settings.
 */
static int apply_port(struct pbconfd *d, unsigned int n,
		      const struct pb_port_conf *pc, char *err, size_t errsize)
{
	if (pc->mode == PB_MODE_DISABLED) {
		port_down(d, n);
		return 0;
	}
	if (port_is_up(d, n))
		return port_push(d, n, pc, err, errsize);
	return port_up(d, n, pc, err, errsize);
}

/* Put port @n back the way it was; errors are logged, not returned. */
static void revert_port(struct pbconfd *d, unsigned int n, int was_up,
			const struct pb_port_conf *old)
{
	char err[320];

	if (!was_up) {
		port_down(d, n);
		return;
	}
	if (apply_port(d, n, old, err, sizeof(err)))
		log_err("port %u: could not restore the old settings: %s", n,
			err);
}

void user_name(uid_t uid, char *buf, size_t size)
{
	struct passwd *pw = getpwuid(uid);

	if (pw && pw->pw_name)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "?");
}

static void log_changes(unsigned int n, const struct pb_port_conf *old,
			const struct pb_port_conf *new,
			const struct ucred *cred)
{
	char who[64], from[CONF_VALUE_MAX], to[CONF_VALUE_MAX];
	int k, changed = 0;

	user_name(cred->uid, who, sizeof(who));
	for (k = 0; k < CONF_PORT_NKEYS; k++) {
		if (conf_port_value_equal(k, old, new))
			continue;
		conf_port_value_format(k, old, from, sizeof(from));
		conf_port_value_format(k, new, to, sizeof(to));
		log_info("config: port %u %s %s -> %s by %s (uid %u)", n,
			 conf_port_key_name(k), from, to, who,
			 (unsigned int)cred->uid);
		changed = 1;
	}
	if (!changed)
		log_info("config: port %u unchanged (re-applied) by %s (uid %u)",
			 n, who, (unsigned int)cred->uid);
}

/* "baud 921600, parity even": the new values of what changes. */
static void describe_change(const struct pb_port_conf *old,
			    const struct pb_port_conf *new, char *buf,
			    size_t size)
{
	struct textbuf tb;
	char val[CONF_VALUE_MAX];
	int k;

	textbuf_init(&tb, buf, size);
	for (k = 0; k < CONF_PORT_NKEYS; k++) {
		if (conf_port_value_equal(k, old, new))
			continue;
		conf_port_value_format(k, new, val, sizeof(val));
		textbuf_printf(&tb, "%s%s %s", tb.len ? ", " : "",
			       conf_port_key_name(k), val);
	}
}

/*
 * A module that does not know a setting yet (see nl_policy_attrs) runs
 * it at its own default: refuse to change it to anything else, rather
 * than save a value that is not in effect.
 */
static int check_supported(const struct pbconfd *d, unsigned int n,
			   const struct pb_port_conf *old,
			   const struct pb_port_conf *new, char *reply,
			   size_t size)
{
	char what[512];

	if (!pb_unsupported(d->kernel_attrs, n, old, new, what, sizeof(what)))
		return 0;
	snprintf(reply, size,
		 "error: port %u %s: not supported by this portbridge.ko (it keeps its default)",
		 n, what);
	return -1;
}

/*
 * The accessible IP list of @newc, before it is saved; on a refusal the
 * kernel gets @d's list back.
 */
static int commit_allow(struct pbconfd *d, const struct pb_conf *newc,
			const uint8_t *guard, char *reply, size_t size)
{
	char err[320], undo[320];

	if (!allow_changed(&d->conf, newc) ||
	    !allow_push(d, newc, guard, err, sizeof(err)))
		return 0;
	log_err("%s; change undone", err);
	if (allow_push(d, &d->conf, NULL, undo, sizeof(undo)))
		log_err("%s", undo);
	snprintf(reply, size, "error: %s", err);
	return -1;
}

int config_port_set(struct pbconfd *d, const struct ctl_request *req,
		    const struct ucred *cred, char *reply, size_t size)
{
	struct pb_conf newc = d->conf;
	struct conf_error cerr;
	char err[320], change[512];
	unsigned int n = req->port;
	int was_up;

	if (ctl_apply_port_set(&newc, req, &cerr)) {
		conf_error_format(&cerr, err, sizeof(err));
		snprintf(reply, size, "error: %s", err);
		return -1;
	}
	if (check_supported(d, n, &d->conf.port[n - 1], &newc.port[n - 1],
			    reply, size))
		return -1;
	was_up = port_is_up(d, n);
	describe_change(&d->conf.port[n - 1], &newc.port[n - 1], change,
			sizeof(change));
	if (apply_port(d, n, &newc.port[n - 1], err, sizeof(err))) {
		log_err("port %u: %s: %s", n, change[0] ? change : "retry", err);
		revert_port(d, n, was_up, &d->conf.port[n - 1]);
		if (change[0])
			snprintf(reply, size, "error: port %u %s: %s", n, change,
				 err);
		else
			snprintf(reply, size, "error: port %u: %s", n, err);
		return -1;
	}
	/*
	 * The same settings again are still pushed: someone may have changed
	 * the kernel behind our back, and this puts the port right.  Only
	 * the file is left alone.
	 */
	if (!memcmp(&newc, &d->conf, sizeof(newc))) {
		log_changes(n, &d->conf.port[n - 1], &newc.port[n - 1], cred);
		snprintf(reply, size, "ok");
		return 0;
	}
	if (commit_allow(d, &newc, NULL, reply, size)) {
		revert_port(d, n, was_up, &d->conf.port[n - 1]);
		return -1;
	}
	if (config_save(d, &newc, err, sizeof(err))) {
		log_err("port %u: %s; change undone", n, err);
		revert_port(d, n, was_up, &d->conf.port[n - 1]);
		if (allow_changed(&d->conf, &newc) &&
		    allow_push(d, &d->conf, NULL, err, sizeof(err)))
			log_err("%s", err);
		snprintf(reply, size, "error: %s", err);
		return -1;
	}
	log_changes(n, &d->conf.port[n - 1], &newc.port[n - 1], cred);
	d->conf = newc;
	snprintf(reply, size, "ok");
	return 0;
}

/* The saved configuration text, for config-get (no secrets). */
size_t config_text(const struct pbconfd *d, char *buf, size_t size)
{
	return conf_serialize_ex(&d->conf, CONF_SER_NO_SECRETS, buf, size);
}

/* ---- whole configurations: config-set and config-import ---- */

/* One log line per changed key of a plain section (secrets unnamed). */
static void log_system_changes(const struct pb_conf *old,
			       const struct pb_conf *new,
			       const struct ucred *cred)
{
	char who[64], from[CONF_VALUE_MAX], to[CONF_VALUE_MAX];
	unsigned int k;
	int sec;

	user_name(cred->uid, who, sizeof(who));
	for (sec = 0; sec < CONF_NSECTIONS; sec++) {
		if (conf_section_indexed(sec))
			continue;
		for (k = 0; k < conf_section_nkeys(sec); k++) {
			if (conf_section_value_equal(old, new, sec, 1, k))
				continue;
			if (conf_section_key_is_secret(sec, k)) {
				log_info("config: %s %s changed by %s (uid %u)",
					 conf_section_name(sec),
					 conf_section_key_name(sec, k), who,
					 (unsigned int)cred->uid);
				continue;
			}
			conf_section_value_format(old, sec, 1, k, from,
						  sizeof(from));
			conf_section_value_format(new, sec, 1, k, to,
						  sizeof(to));
			log_info("config: %s %s '%s' -> '%s' by %s (uid %u)",
				 conf_section_name(sec),
				 conf_section_key_name(sec, k), from, to, who,
				 (unsigned int)cred->uid);
		}
	}
}

/* Put ports 1 .. @upto back to @d's settings after a failed commit. */
static void revert_ports(struct pbconfd *d, const struct pb_conf *newc,
			 const int *was_up, unsigned int upto)
{
	unsigned int n;

	for (n = 1; n <= upto; n++) {
		if (memcmp(&newc->port[n - 1], &d->conf.port[n - 1],
			   sizeof(newc->port[0])))
			revert_port(d, n, was_up[n - 1], &d->conf.port[n - 1]);
	}
}

/* Push every port that changes; all or none.  0 or -1 and @reply. */
static int commit_ports(struct pbconfd *d, const struct pb_conf *newc,
			int *was_up, char *reply, size_t size)
{
	char err[320];
	unsigned int n;

	for (n = 1; n <= d->map.nports; n++) {
		const struct pb_port_conf *old = &d->conf.port[n - 1];
		const struct pb_port_conf *pc = &newc->port[n - 1];

		was_up[n - 1] = port_is_up(d, n);
		if (!memcmp(old, pc, sizeof(*pc)))
			continue;
		if (check_supported(d, n, old, pc, reply, size)) {
			revert_ports(d, newc, was_up, n - 1);
			return -1;
		}
		if (apply_port(d, n, pc, err, sizeof(err))) {
			log_err("port %u: %s", n, err);
			revert_ports(d, newc, was_up, n);
			snprintf(reply, size, "error: port %u: %s", n, err);
			return -1;
		}
	}
	return 0;
}

static int commit(struct pbconfd *d, struct pb_conf *newc,
		  const uint8_t *guard, const struct ucred *cred, char *reply,
		  size_t size)
{
	int was_up[PB_MAX_PORTS] = { 0 };
	struct pb_conf *old;
	char err[320];
	unsigned int n;

	if (!memcmp(newc, &d->conf, sizeof(*newc))) {
		snprintf(reply, size, "ok");
		return 0;
	}
	old = malloc(sizeof(*old));
	if (!old) {
		snprintf(reply, size, "error: out of memory");
		return -1;
	}
	if (commit_ports(d, newc, was_up, reply, size))
		goto fail;
	if (commit_allow(d, newc, guard, reply, size)) {
		revert_ports(d, newc, was_up, d->map.nports);
		goto fail;
	}
	if (config_save(d, newc, err, sizeof(err))) {
		log_err("%s; change undone", err);
		revert_ports(d, newc, was_up, d->map.nports);
		if (allow_changed(&d->conf, newc) &&
		    allow_push(d, &d->conf, NULL, err, sizeof(err)))
			log_err("%s", err);
		snprintf(reply, size, "error: %s", err);
		goto fail;
	}
	for (n = 1; n <= d->map.nports; n++) {
		if (memcmp(&newc->port[n - 1], &d->conf.port[n - 1],
			   sizeof(newc->port[0])))
			log_changes(n, &d->conf.port[n - 1], &newc->port[n - 1],
				    cred);
	}
	log_system_changes(&d->conf, newc, cred);
	allow_log_changes(&d->conf, newc, cred);
	*old = d->conf;
	d->conf = *newc;
	system_apply(d, old, &d->conf);
	explicit_bzero(old, sizeof(*old));
	free(old);
	snprintf(reply, size, "ok");
	return 0;
fail:
	free(old);
	return -1;
}

static int save_imported_accounts(struct pbconfd *d,
				  const struct acct_db *db, char *reply,
				  size_t size)
{
	static char text[ACCT_MAX * 320];
	size_t len;
	int rc;

	len = acct_db_format_shadow(db, text, sizeof(text));
	rc = len < sizeof(text) ?
	     write_file_atomic(d->auth.shadow_path, text, len, 0600) : -EFBIG;
	explicit_bzero(text, sizeof(text));
	if (!rc) {
		len = acct_db_format_passwd(db, text, sizeof(text));
		rc = len < sizeof(text) ?
		     write_file_atomic(d->auth.passwd_path, text, len, 0644) :
		     -EFBIG;
	}
	if (!rc)
		return 0;
	snprintf(reply, size,
		 "error: the configuration was imported, but the accounts could not be saved: %s",
		 strerror(-rc));
	return -1;
}

static void import_base(const struct pbconfd *d, struct pb_conf *c)
{
	unsigned int n;

	conf_init_defaults(c, d->map.nports);
	for (n = 1; n <= d->map.nports; n++)
		conf_set_interfaces(c, n, d->map.port[n - 1].interfaces);
	/* never exported, so an import keeps it */
	memcpy(c->radius.secret, d->conf.radius.secret,
	       sizeof(c->radius.secret));
}

int config_set_text(struct pbconfd *d, const struct ctl_request *req,
		    const struct ucred *cred, int import, char *reply,
		    size_t size)
{
	struct pb_conf *newc = malloc(sizeof(*newc));
	struct acct_db *db = malloc(sizeof(*db));
	struct conf_error cerr;
	char msg[CONF_ERR_MAX + 32], who[64];
	int has_accounts = 0, rc = -1;

	if (!newc || !db) {
		snprintf(reply, size, "error: out of memory");
		goto out;
	}
	if (import) {
		import_base(d, newc);
		if (auth_load_accounts(&d->auth, db, msg, sizeof(msg)))
			db->n = 0;
		rc = transfer_import(newc, db, &has_accounts, req->text,
				     req->text_len, &cerr);
	} else {
		*newc = d->conf;
		rc = conf_parse(newc, req->text, req->text_len, &cerr);
		cerr.line = 0;	/* pbctl wrote the lines, not the user */
	}
	if (rc) {
		conf_error_format(&cerr, msg, sizeof(msg));
		snprintf(reply, size, "error: %s", msg);
		goto out;
	}
	if (import) {
		user_name(cred->uid, who, sizeof(who));
		log_info("config: import by %s (uid %u)%s", who,
			 (unsigned int)cred->uid,
			 has_accounts ? ", with accounts" : "");
	}
	rc = allow_check_guard(newc, req, reply, size);
	if (!rc)
		rc = commit(d, newc, req->guard ? req->guard_addr : NULL, cred,
			    reply, size);
	if (!rc && has_accounts)
		rc = save_imported_accounts(d, db, reply, size);
	if (!rc && has_accounts)
		accounts_homes(d);
out:
	if (db)
		explicit_bzero(db, sizeof(*db));
	free(db);
	if (newc)
		explicit_bzero(newc, sizeof(*newc));
	free(newc);
	return rc;
}

size_t config_export(struct pbconfd *d, int secrets, char *buf, size_t size)
{
	struct acct_db *db = malloc(sizeof(*db));
	char msg[ACCT_ERR_MAX];
	size_t len;

	if (!db)
		return size;
	if (auth_load_accounts(&d->auth, db, msg, sizeof(msg))) {
		log_err("export: accounts: %s", msg);
		db->n = 0;
	}
	len = transfer_export(&d->conf, db, secrets, buf, size);
	explicit_bzero(db, sizeof(*db));
	free(db);
	return len;
}
