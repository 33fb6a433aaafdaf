// SPDX-License-Identifier: GPL-2.0
/*
 * pbfwupd: firmware upgrades on the board (Documentation/firmware.md).
 *
 * Serves FWUPD_SOCKET (fwproto.h): "show" for everyone, "upgrade" for
 * root and the admins group (SO_PEERCRED).  An upgrade is read from the
 * file descriptor the client passed, verified (fwimg_verify: layout,
 * SHA-512, ECDSA P-256 against the public key built into the image),
 * compared with the running version (no downgrade unless forced), written
 * to the slot that is neither running nor active, and put on trial by
 * one atomic rename of the state file.  The boot stage
 * (/usr/libexec/portbridge/fwboot) does the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/types.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fwimg.h"
#include "fwproto.h"
#include "log.h"

static const char *sock_path = FWUPD_SOCKET;
static const char *pubkey_path = "/etc/portbridge/firmware.pub";
static const char *factory_path = "/etc/portbridge/firmware";
static const char *fw_dir = "/data/firmware";
static const char *cmdline_path = "/proc/cmdline";
/* runs as this uid and gid (no name in passwd), owner of fw_dir */
#define FWUPD_UID 96
static uid_t run_uid = FWUPD_UID;

/* as in /usr/libexec/portbridge/fwboot */
#define FW_MAX_TRIES 2

struct fwstate {
	char active;	/* 'a', 'b' or 0 (the image the board booted) */
	char trial;	/* 'a', 'b' or 0 */
	unsigned int tries;
};

struct fwmeta {
	int present;
	uint32_t version[3];
	long long build_time;
	char build_id[FWIMG_BUILD_ID_LEN + 1];
};

struct reply {
	char buf[FWUPD_REPLY_MAX];
	size_t len;
};

static void say(struct reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= sizeof(r->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n;
	if (r->len >= sizeof(r->buf))
		r->len = sizeof(r->buf) - 1;
}

static char slot_of(const char *v)
{
	return (v[0] == 'a' || v[0] == 'b') && (v[1] == '\0' || v[1] == '\n')
		? v[0] : 0;
}

static void read_state(struct fwstate *st)
{
	char path[256], line[128];
	FILE *f;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/state", fw_dir);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "active=", 7))
			st->active = slot_of(line + 7);
		else if (!strncmp(line, "trial=", 6))
			st->trial = slot_of(line + 6);
		else if (!strncmp(line, "tries=", 6))
			st->tries = (unsigned int)strtoul(line + 6, NULL, 10);
	}
	fclose(f);
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* dir/name: written to dir/.name.new, synced, renamed over. */
static int write_atomic(const char *dir, const char *name, const void *data,
			size_t len)
{
	char tmp[256], dst[256];
	const uint8_t *p = data;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.%s.new", dir, name);
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) || close(fd) || rename(tmp, dst)) {
		unlink(tmp);
		return -1;
	}
	return fsync_dir(dir);
}

static int write_state(const struct fwstate *st)
{
	char text[128];
	int n;

	n = snprintf(text, sizeof(text), "active=%s\ntrial=%s\ntries=%u\n",
		     st->active ? (char[]){ st->active, 0 } : "",
		     st->trial ? (char[]){ st->trial, 0 } : "", st->tries);
	return write_atomic(fw_dir, "state", text, (size_t)n);
}

static void read_meta(const char *path, struct fwmeta *m)
{
	char line[160];
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "version=", 8))
			m->present = !fwimg_parse_version(line + 8, m->version);
		else if (!strncmp(line, "build-time=", 11))
			m->build_time = atoll(line + 11);
		else if (!strncmp(line, "build-id=", 9))
		{
			size_t n = strnlen(line + 9, FWIMG_BUILD_ID_LEN);

			memcpy(m->build_id, line + 9, n);
			m->build_id[n] = '\0';
		}
	}
	fclose(f);
}

static void slot_meta(char slot, struct fwmeta *m)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%c/info", fw_dir, slot);
	read_meta(path, m);
}

/* The slot this system was started from ('a', 'b'), 0 for the boot image. */
static char running_slot(void)
{
	char line[4096], *p;
	FILE *f = fopen(cmdline_path, "r");

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	for (p = strstr(line, "pb.slot="); p; p = strstr(p + 1, "pb.slot="))
		if ((p == line || p[-1] == ' ') &&
		    (p[8] == 'a' || p[8] == 'b') &&
		    (p[9] == ' ' || p[9] == '\n' || p[9] == '\0'))
			return p[8];
	return 0;
}

static void running_meta(struct fwmeta *m)
{
	char slot = running_slot();

	if (slot)
		slot_meta(slot, m);
	else
		read_meta(factory_path, m);
}

static void when(long long t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void say_meta(struct reply *r, const char *label, const struct fwmeta *m)
{
	char w[40];

	if (!m->present) {
		say(r, "%-9s unknown\n", label);
		return;
	}
	when(m->build_time, w, sizeof(w));
	say(r, "%-9s %u.%u.%u built %s build-id %s", label, m->version[0],
	    m->version[1], m->version[2], w,
	    m->build_id[0] ? m->build_id : "-");
}

static void cmd_show(struct reply *r)
{
	struct fwstate st;
	struct fwmeta m;
	char run = running_slot(), s;

	read_state(&st);
	say(r, "ok\n");
	running_meta(&m);
	say_meta(r, "running", &m);
	say(r, " slot %s\n", run ? (char[]){ run, 0 } : "boot");
	read_meta(factory_path, &m);
	say_meta(r, "boot", &m);
	say(r, "\n");
	for (s = 'a'; s <= 'b'; s++) {
		char label[8];

		snprintf(label, sizeof(label), "slot-%c", s);
		slot_meta(s, &m);
		if (!m.present) {
			say(r, "%-9s empty\n", label);
			continue;
		}
		say_meta(r, label, &m);
		if (st.trial == s)
			say(r, " trial (%u of %d tries used)\n", st.tries, FW_MAX_TRIES);
		else if (st.active == s)
			say(r, " active\n");
		else
			say(r, " inactive\n");
	}
	s = st.trial ? st.trial : st.active;
	say(r, "next-boot %s\n", s ? (char[]){ s, 0 } : "boot");
}

static uint8_t *read_key(size_t *len)
{
	struct stat sb;
	uint8_t *key;
	ssize_t n;
	int fd;

	fd = open(pubkey_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) || sb.st_size <= 0 || sb.st_size > 65536) {
		close(fd);
		return NULL;
	}
	key = calloc(1, (size_t)sb.st_size + 1);
	n = key ? read(fd, key, (size_t)sb.st_size) : -1;
	close(fd);
	if (n != sb.st_size) {
		free(key);
		return NULL;
	}
	*len = (size_t)n + 1;	/* with the NUL, as PEM wants */
	return key;
}

/* Read at most FWIMG_FILE_MAX bytes from a regular file. */
static uint8_t *read_image(int fd, size_t *len, const char **err)
{
	struct stat sb;
	uint8_t *buf;
	size_t size, got = 0;

	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		*err = "not a regular file";
		return NULL;
	}
	if ((unsigned long long)sb.st_size > FWIMG_FILE_MAX) {
		*err = "oversized file";
		return NULL;
	}
	size = (size_t)sb.st_size;
	if (size < FWIMG_HDR_SIZE) {
		*err = "truncated file";
		return NULL;
	}
	buf = malloc(size);
	if (!buf) {
		*err = "out of memory";
		return NULL;
	}
	while (got < size) {
		ssize_t n = pread(fd, buf + got, size - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != size) {
		free(buf);
		*err = "cannot read the file (changed while reading?)";
		return NULL;
	}
	*len = size;
	return buf;
}

static int write_slot(char slot, const uint8_t *img, const struct fwimg_info *fi)
{
	char dir[256], info[320];
	int n;

	snprintf(dir, sizeof(dir), "%s/%c", fw_dir, slot);
	mkdir(fw_dir, 0755);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	/*
	 * No half-old, half-new slot: the info file goes first.  The old
	 * image goes before the new one is written (the disk holds two
	 * images and little more); this slot is neither running nor active,
	 * and not on trial any more.
	 */
	snprintf(info, sizeof(info), "%s/info", dir);
	unlink(info);
	snprintf(info, sizeof(info), "%s/image.pbfw", dir);
	unlink(info);
	if (fsync_dir(dir))
		return -1;
	/* the signed image as it came: the boot stage verifies it again */
	if (write_atomic(dir, "image.pbfw", img, fi->total))
		return -1;
	n = snprintf(info, sizeof(info),
		     "version=%u.%u.%u\nbuild-time=%llu\nbuild-id=%s\n",
		     fi->version[0], fi->version[1], fi->version[2],
		     (unsigned long long)fi->build_time, fi->build_id);
	return write_atomic(dir, "info", info, (size_t)n);
}

static void cmd_upgrade(struct reply *r, int fd, int force, const char *who,
			const char *from, const char *path)
{
	struct fwimg_info fi;
	struct fwstate st;
	struct fwmeta cur;
	uint8_t *img = NULL, *key = NULL;
	size_t len = 0, keylen = 0;
	const char *err = NULL;
	char run, target = 0, s;
	char errbuf[160];
	int rc;

	if (fd < 0) {
		err = "no file descriptor came with the request";
		goto refuse;
	}
	img = read_image(fd, &len, &err);
	if (!img)
		goto refuse;
	key = read_key(&keylen);
	if (!key) {
		err = "no verifying public key (/etc/portbridge/firmware.pub)";
		goto refuse;
	}
	rc = fwimg_verify(img, len, key, keylen, &fi);
	if (rc) {
		err = fwimg_strerror(rc);
		goto refuse;
	}
	running_meta(&cur);
	if (cur.present && fwimg_version_cmp(fi.version, cur.version) < 0 &&
	    !force) {
		snprintf(errbuf, sizeof(errbuf),
			 "downgrade from %u.%u.%u to %u.%u.%u (an admin may force it: --force)",
			 cur.version[0], cur.version[1], cur.version[2],
			 fi.version[0], fi.version[1], fi.version[2]);
		err = errbuf;
		goto refuse;
	}
	read_state(&st);
	run = running_slot();
	for (s = 'a'; s <= 'b'; s++)
		if (s != run && s != st.active) {
			target = s;
			break;
		}
	if (!target) {
		err = "the running slot is still on trial; try again after it is marked good";
		goto refuse;
	}
	/* the slot being rewritten must not be booted meanwhile */
	if (st.trial == target) {
		st.trial = 0;
		st.tries = 0;
		if (write_state(&st)) {
			err = "cannot write the slot state";
			goto refuse;
		}
	}
	if (write_slot(target, img, &fi)) {
		snprintf(errbuf, sizeof(errbuf), "cannot write slot %c: %s",
			 target, strerror(errno));
		err = errbuf;
		goto refuse;
	}
	st.trial = target;
	st.tries = 0;
	if (write_state(&st)) {
		err = "cannot write the slot state";
		goto refuse;
	}
	log_msg(LOG_NOTICE,
		"firmware upgrade to %u.%u.%u (build %s)%s by %s from %s: accepted, written to slot %c, on trial at the next boot",
		fi.version[0], fi.version[1], fi.version[2],
		fi.build_id[0] ? fi.build_id : "-",
		force ? " forced" : "", who, from, target);
	say(r, "ok\nfirmware %u.%u.%u written to slot %c; it runs after the next reboot (on trial: if it does not come up, the board goes back to the current firmware)\n",
	    fi.version[0], fi.version[1], fi.version[2], target);
	free(img);
	free(key);
	return;
refuse:
	log_msg(LOG_WARNING, "firmware upgrade refused for %s from %s: %s (%s)",
		who, from, err, path);
	say(r, "error: %s\n", err);
	free(img);
	free(key);
}

static int is_admin(const struct ucred *c)
{
	struct group *g;

	if (c->uid == 0)
		return 1;
	g = getgrnam("admins");
	return g && c->gid == g->gr_gid;
}

static void clean_text(char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			*s = '?';
}

static void serve(int cfd)
{
	char req[FWUPD_REQ_MAX + 1], who[96], ctlbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { req, FWUPD_REQ_MAX };
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct timeval tv = { 10, 0 };
	struct reply r = { .len = 0 };
	struct passwd *pw;
	int fd = -1;
	ssize_t n;

	setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &clen))
		return;
	pw = getpwuid(cred.uid);
	snprintf(who, sizeof(who), "%s (uid %u)", pw ? pw->pw_name : "?",
		 (unsigned int)cred.uid);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctlbuf;
	msg.msg_controllen = sizeof(ctlbuf);
	n = recvmsg(cfd, &msg, MSG_CMSG_CLOEXEC);
	for (cm = n >= 0 ? CMSG_FIRSTHDR(&msg) : NULL; cm;
	     cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (n <= 0) {
		say(&r, "error: empty request\n");
	} else {
		char *f[4] = { req, NULL, NULL, NULL };
		int i;

		req[n] = '\0';
		req[strcspn(req, "\n")] = '\0';
		/* fields are separated by tabs */
		for (i = 1; i < 4; i++) {
			f[i] = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
			if (f[i])
				*f[i]++ = '\0';
		}
		for (i = 0; i < 4; i++)
			if (f[i])
				clean_text(f[i]);
		if (!strcmp(f[0], "show")) {
			cmd_show(&r);
		} else if (!strcmp(f[0], "upgrade") && f[3] &&
			   (!strcmp(f[1], "0") || !strcmp(f[1], "1"))) {
			if (!is_admin(&cred)) {
				log_msg(LOG_WARNING,
					"firmware upgrade refused for %s from %s: not an admin",
					who, f[2]);
				say(&r, "error: only admins may upgrade the firmware\n");
			} else {
				cmd_upgrade(&r, fd, f[1][0] == '1', who, f[2],
					    f[3]);
			}
		} else {
			say(&r, "error: unknown request\n");
		}
	}
	if (fd >= 0)
		close(fd);
	if (write(cfd, r.buf, r.len) < 0)
		log_err("reply: %s", strerror(errno));
}

/* The boot stage leaves a note when it went back to the old slot. */
static void log_boot(void)
{
	char path[256], line[256];
	struct fwmeta m;
	char run = running_slot();
	FILE *f;

	snprintf(path, sizeof(path), "%s/rollback", fw_dir);
	f = fopen(path, "r");
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			clean_text(line);
			log_msg(LOG_WARNING, "firmware rollback: %s", line);
		}
		fclose(f);
		unlink(path);
		fsync_dir(fw_dir);
	}
	running_meta(&m);
	if (m.present)
		log_msg(LOG_INFO, "firmware %u.%u.%u (build %s) running from %s%s",
			m.version[0], m.version[1], m.version[2],
			m.build_id[0] ? m.build_id : "-",
			run ? "slot " : "the boot image",
			run ? (char[]){ run, 0 } : "");
}

/*
 * The boot stage's check (-x SLOTDIR OUTDIR): verify SLOTDIR/image.pbfw
 * against the public key of the running image again, then write its
 * kernel and initramfs to OUTDIR (a tmpfs) for kexec.  Prints the version.
 */
static int extract(const char *slotdir, const char *outdir)
{
	char path[300];
	const char *err = NULL;
	struct fwimg_info fi;
	uint8_t *img, *key;
	size_t len = 0, keylen = 0;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/image.pbfw", slotdir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "pbfwupd: %s: %s\n", path, strerror(errno));
		return 1;
	}
	img = read_image(fd, &len, &err);
	close(fd);
	if (!img) {
		fprintf(stderr, "pbfwupd: %s: %s\n", path, err);
		return 1;
	}
	key = read_key(&keylen);
	rc = key ? fwimg_verify(img, len, key, keylen, &fi) : FWIMG_E_KEY;
	free(key);
	if (rc) {
		fprintf(stderr, "pbfwupd: %s: %s\n", path, fwimg_strerror(rc));
		free(img);
		return 1;
	}
	mkdir(outdir, 0700);
	if (write_atomic(outdir, "vmlinuz", img + fi.kernel_off,
			 (size_t)fi.kernel_size) ||
	    write_atomic(outdir, "initramfs", img + fi.initrd_off,
			 (size_t)fi.initrd_size)) {
		fprintf(stderr, "pbfwupd: %s: %s\n", outdir, strerror(errno));
		free(img);
		return 1;
	}
	printf("%u.%u.%u\n", fi.version[0], fi.version[1], fi.version[2]);
	free(img);
	return 0;
}

/* fw_dir and its slots become run_uid's; then root is dropped for good. */
static int drop_root(void)
{
	static const char *const names[] = { "", "/a", "/b", "/a/image.pbfw",
		"/a/info", "/b/image.pbfw", "/b/info" };
	char path[300];
	size_t i;

	if (mkdir(fw_dir, 0755) && errno != EEXIST)
		return -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", fw_dir, names[i]);
		if (lchown(path, run_uid, run_uid) && errno != ENOENT)
			return -1;
	}
	if (setgroups(0, NULL) || setgid(run_uid) || setuid(run_uid) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pbfwupd [-F] [-s socket] [-k pubkey] [-d dir] [-b boot-info] [-c cmdline]\n"
		   "               [-u uid]  (default %d; 0 keeps root)\n"
		   "       pbfwupd [-k pubkey] -x SLOTDIR OUTDIR   verify a slot, extract it\n",
		FWUPD_UID);
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *xslot = NULL;
	int c, lfd, foreground = 0;

	while ((c = getopt(argc, argv, "Fs:k:d:b:c:x:u:h")) != -1) {
		switch (c) {
		case 'F': foreground = 1; break;
		case 's': sock_path = optarg; break;
		case 'k': pubkey_path = optarg; break;
		case 'd': fw_dir = optarg; break;
		case 'b': factory_path = optarg; break;
		case 'c': cmdline_path = optarg; break;
		case 'x': xslot = optarg; break;
		case 'u': run_uid = (uid_t)atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (xslot) {
		if (argc - optind != 1) {
			usage(stderr);
			return 2;
		}
		return extract(xslot, argv[optind]);
	}
	log_open("pbfwupd", 1);
	signal(SIGPIPE, SIG_IGN);
	if (strlen(sock_path) >= sizeof(sa.sun_path)) {
		log_err("socket path too long");
		return 1;
	}
	strcpy(sa.sun_path, sock_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		log_err("socket: %s", strerror(errno));
		return 1;
	}
	unlink(sock_path);
	/* everyone may connect; the peer's credentials decide */
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(sock_path, 0666) || listen(lfd, 4)) {
		log_err("%s: %s", sock_path, strerror(errno));
		return 1;
	}
	if (run_uid && geteuid() == 0 && drop_root()) {
		log_err("cannot drop root for uid %u: %s", (unsigned int)run_uid,
			strerror(errno));
		return 1;
	}
	if (!foreground) {
		if (daemon(0, 0)) {
			log_err("daemon: %s", strerror(errno));
			return 1;
		}
		log_stderr(0);
	}
	log_boot();
	for (;;) {
		int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			log_err("accept: %s", strerror(errno));
			sleep(1);
			continue;
		}
		serve(cfd);
		close(cfd);
	}
}
