#!/bin/sh
# Build a signed firmware upgrade image (.pbfw, Documentation/firmware.md)
# from the board image of a build directory (scripts/mkimage.sh).
#
# Usage: mkfirmware.sh BUILD_DIR [OUT]
#   reads  BUILD_DIR/image/{vmlinuz,initramfs.cpio.gz}
#          BUILD_DIR/image/root/etc/portbridge/firmware (version, date, id)
#   writes OUT (default BUILD_DIR/image/portbridge-VERSION.pbfw)
# Environment:
#   PB_FW_KEY      private ECDSA P-256 key (PEM); default keys/dev-firmware.key,
#                  the DEVELOPMENT ONLY key, whose images any board with the
#                  development public key accepts
#   PB_FW_VERSION  version to write in the header (default: the image's)
#   PB_FW_INITRD   initramfs to put in (default: the board's)
set -eu
build=$(realpath "${1:?usage: mkfirmware.sh BUILD_DIR [OUT]}")
top=$(realpath "$(dirname "$0")/..")
img=$build/image
info=$img/root/etc/portbridge/firmware
tool=$build/userspace/host/pbfwtool
key=${PB_FW_KEY:-$top/keys/dev-firmware.key}

[ -f "$info" ] || { echo "mkfirmware: $info missing: make image first" >&2; exit 1; }
[ -x "$tool" ] || { echo "mkfirmware: $tool missing: make userspace first" >&2; exit 1; }
version=${PB_FW_VERSION:-$(sed -n 's/^version=//p' "$info")}
btime=$(sed -n 's/^build-time=//p' "$info")
bid=$(sed -n 's/^build-id=//p' "$info" | tr -c 'A-Za-z0-9._+\n-' '_' | cut -c1-64)
out=${2:-$img/portbridge-$version.pbfw}
case $key in
*/keys/dev-firmware.key)
	echo "mkfirmware: signing with the DEVELOPMENT key (keys/README.md)" >&2 ;;
esac
"$tool" make -k "$key" -V "$version" -t "$btime" -b "$bid" -o "$out" \
	"$img/vmlinuz" "${PB_FW_INITRD:-$img/initramfs.cpio.gz}"
