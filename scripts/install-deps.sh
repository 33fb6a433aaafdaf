#!/bin/sh
# Install every Debian package that building, running and testing portbridge
# need.  Idempotent: a second run installs nothing and returns quickly.
set -eu

PKGS="
build-essential
pkg-config
linux-headers-amd64
device-tree-compiler
libfdt-dev
libcrypt-dev
libpam0g-dev
busybox-static
dropbear-bin
cpio
kmod
e2fsprogs
qemu-system-x86
python3
python3-serial
python3-pytest
python3-pexpect
openssh-client
sshpass
socat
gensio-bin
ser2net
setserial
gnuplot-nox
clang
libclang-rt-14-dev
rsyslog
curl
openssl
kexec-tools
testssl.sh
chromium
nodejs
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

# The web console's browser tests: npm installs playwright-core under the
# build directory (tests/web/install.sh); a host whose nodejs comes with
# its own npm needs no Debian npm.
if ! command -v npm >/dev/null 2>&1; then
	missing="$missing npm"
fi

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
