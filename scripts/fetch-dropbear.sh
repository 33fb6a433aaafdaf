#!/bin/sh
# Build Debian's dropbear (bookworm, the host's own version) from its
# Debian source package with PAM, so SSH logins go through
# pam_portbridge.so and the accounts library (lockout, RADIUS, logging)
# instead of reading /etc/shadow itself.  Debian's binary package is built
# without PAM.  apt fetches and verifies the source with a private
# sources list and state directory; the host's apt setup is untouched.
#
# Usage: fetch-dropbear.sh BUILD_DIR
#   -> BUILD_DIR/dropbear/dropbear (the server, PAM password logins only)
set -eu
build=$(realpath "${1:?usage: fetch-dropbear.sh BUILD_DIR}")
out=$build/dropbear
work=$out/src
SUITE=bookworm
PACKAGE=dropbear

[ -f "$out/.stamp" ] && exit 0

rm -rf "$out"
mkdir -p "$work/apt/lists/partial" "$work/apt/archives/partial"
cat >"$work/apt/sources.list" <<EOS
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $SUITE-security main
EOS
apt_opts="-q -o Dir::Etc::sourcelist=$work/apt/sources.list
	-o Dir::Etc::sourceparts=- -o Dir::State::Lists=$work/apt/lists
	-o Dir::Cache::archives=$work/apt/archives -o APT::Get::List-Cleanup=0"
# shellcheck disable=SC2086
apt-get $apt_opts update >/dev/null
# shellcheck disable=SC2086
(cd "$work" && apt-get $apt_opts source --download-only "$PACKAGE" 2>&1 |
	grep -v 'unsandboxed' || true)
dsc=$(ls "$work"/${PACKAGE}_*.dsc)
# Debian's patches applied, as the binary package has them.
(cd "$work" && dpkg-source -q -x "$dsc" tree >/dev/null)
tree=$work/tree

# Password logins through PAM only (dropbear's own shadow check off).
cat >"$tree/localoptions.h" <<EOH
#define DROPBEAR_SVR_PASSWORD_AUTH 0
#define DROPBEAR_SVR_PAM_AUTH 1
#define DROPBEAR_SVR_PUBKEY_AUTH 0
#define DROPBEAR_SK_KEYS 0
#define DROPBEAR_X11FWD 0
#define DROPBEAR_SVR_AGENTFWD 0
#define DROPBEAR_SVR_LOCALTCPFWD 0
#define DROPBEAR_SVR_REMOTETCPFWD 0
#define DSS_PRIV_FILENAME "/data/keys/dropbear_dss_host_key"
#define RSA_PRIV_FILENAME "/data/keys/dropbear_rsa_host_key"
#define ECDSA_PRIV_FILENAME "/data/keys/dropbear_ecdsa_host_key"
#define ED25519_PRIV_FILENAME "/data/keys/dropbear_ed25519_host_key"
EOH
(cd "$tree" && ./configure -q --enable-pam --enable-bundled-libtom \
	--disable-lastlog --disable-utmp --disable-utmpx --disable-wtmp \
	--disable-wtmpx --disable-pututline --disable-pututxline \
	CFLAGS="-O2 -fPIE -fstack-protector-strong -D_FORTIFY_SOURCE=2" \
	LDFLAGS="-pie -Wl,-z,relro,-z,now" >/dev/null)
make -s -C "$tree" -j2 PROGRAMS=dropbear dropbear >/dev/null
cp "$tree/dropbear" "$out/dropbear"
touch "$out/.stamp"
echo "fetch-dropbear: $("$out/dropbear" -V 2>&1 | head -n1), PAM"
