/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pbfwupd's control socket (Documentation/firmware.md): one request per
 * connection, a line of text; "upgrade" carries the image's open file
 * descriptor (SCM_RIGHTS), so the daemon never opens a path a user named.
 *
 *   show
 *   upgrade<TAB>FORCE(0|1)<TAB>FROM<TAB>PATH   FROM: "addr:port (ssh)" or "-"
 *
 * The answer is text; its first line is "ok" or "error: MESSAGE".
 */
#ifndef PB_FWPROTO_H
#define PB_FWPROTO_H

#define FWUPD_SOCKET	"/run/portbridge/fwupd.sock"
#define FWUPD_REQ_MAX	1024
#define FWUPD_REPLY_MAX	4096

int pbctl_cmd_firmware(int argc, char **argv);
int pbctl_cmd_system(int argc, char **argv);
#ifdef EOF
void pbctl_usage_firmware(FILE *f);
#endif

#endif
