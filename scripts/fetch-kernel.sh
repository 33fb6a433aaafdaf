#!/bin/sh
# Download Debian's kernel image of exactly the installed headers' ABI and
# version and unpack it under build/kernel/root (never installed on the host).
# Usage: fetch-kernel.sh <build dir>
set -eu
out=${1:?usage: fetch-kernel.sh BUILD_DIR}/kernel
abi=$(dirname "$0")/kernel-abi.sh
abi=$("$abi")
ver=$(dpkg-query -W -f='${Version}' "linux-headers-$abi")
stamp="$out/.stamp-$abi-$ver"

[ -f "$stamp" ] && exit 0

rm -rf "$out"
mkdir -p "$out/deb"
echo "fetch-kernel: linux-image-$abi $ver"
(cd "$out/deb" && apt-get download -q "linux-image-$abi=$ver" 2>&1 |
	grep -v 'Download is performed unsandboxed' || true)
deb=$(ls "$out"/deb/linux-image-"$abi"_*.deb)
dpkg-deb -x "$deb" "$out/root"
# The package's postinst would run depmod; modprobe -d needs its output.
/sbin/depmod -b "$out/root" "$abi"
touch "$stamp"
