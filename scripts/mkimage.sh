#!/bin/sh
# Assemble the board's initramfs: BusyBox, dropbear, e2fsprogs, the kernel
# modules the board needs, our module and programs, the board's device tree
# blob and the files under initramfs/.
#
# Usage: mkimage.sh BUILD_DIR
#   reads  BUILD_DIR/kernel/root        (scripts/fetch-kernel.sh)
#          BUILD_DIR/kmod/kernel/...    (portbridge.ko)
#          BUILD_DIR/userspace/bin/*    (our programs)
#          BUILD_DIR/dts/reference.dtb
#   writes BUILD_DIR/image/initramfs.cpio.gz and BUILD_DIR/image/vmlinuz
set -eu

build=$(realpath "${1:?usage: mkimage.sh BUILD_DIR}")
top=$(realpath "$(dirname "$0")/..")
abi=$("$top/scripts/kernel-abi.sh")
. "$top/scripts/lib-image.sh"
kroot=$build/kernel/root
img=$build/image
stage=$img/root

# Modules of Debian's kernel the board loads (their dependencies follow).
KMODS="virtio_pci virtio_net virtio_blk virtio_rng virtio_console ext4 veth \
	button evdev"
# Host programs copied with the shared libraries they need.
HOSTBINS="/usr/sbin/dropbear /usr/bin/dropbearkey /sbin/mke2fs /sbin/e2fsck"
# kexec: the boot stage starts an upgraded slot (Documentation/firmware.md)
HOSTBINS="$HOSTBINS /usr/sbin/kexec"

rm -rf "$stage"
mkdir -p "$stage"
cd "$stage"
mkdir -p bin sbin usr/bin usr/sbin lib lib64 dev proc sys run tmp root \
	data etc/portbridge home var
chmod 700 root
chmod 1777 tmp

# BusyBox and its applet links.
cp /bin/busybox bin/busybox
for applet in $(bin/busybox --list-full); do
	[ -e "$applet" ] || ln -s /bin/busybox "$applet"
done
ln -sf /bin/busybox init

for b in $HOSTBINS; do
	copy_with_libs "$stage" "$b" "$b"
done
ln -sf mke2fs sbin/mkfs.ext4
# dropbear rebuilt with PAM (make dropbear): logins through pam_portbridge.so
if [ -x "$build/dropbear/dropbear" ]; then
	copy_with_libs "$stage" "$build/dropbear/dropbear" /usr/sbin/dropbear
	copy_with_libs "$stage" \
		"$build/userspace/lib/security/pam_portbridge.so" \
		/usr/lib/portbridge/pam_portbridge.so
fi
ln -sf e2fsck sbin/fsck.ext4

for b in "$build"/userspace/bin/*; do
	case $(basename "$b") in
	pbctl) dst=/usr/bin/pbctl ;;
	*) dst=/usr/sbin/$(basename "$b") ;;
	esac
	copy_with_libs "$stage" "$b" "$dst"
done

# Kernel modules: Debian's, with their dependencies, and ours.
moddir=lib/modules/$abi
mkdir -p "$moddir/extra"
cp "$kroot/$moddir"/modules.order "$kroot/$moddir"/modules.builtin* \
	"$moddir/"
for m in $KMODS; do
	/sbin/modprobe -d "$kroot" -S "$abi" --show-depends "$m" |
	awk '$1 == "insmod" {print $2}'
done | sort -u | while read -r ko; do
	rel=${ko#"$kroot"/}
	mkdir -p "$(dirname "$rel")"
	cp "$ko" "$rel"
done
cp "$build"/kmod/kernel/portbridge/portbridge.ko "$moddir/extra/"
cp "$build"/kmod/kernel/allowlist/portbridge_allow.ko "$moddir/extra/"
/sbin/depmod -b "$stage" "$abi"

# Our configuration files, the board description and the build's version.
cp -a "$top"/initramfs/. "$stage"/
ln -sf /data/etc/shadow etc/shadow
cp "$build/dts/reference.dtb" etc/portbridge/board.dtb
# The web console's static files (pbwebd).
mkdir -p usr/share/portbridge/www
cp "$top"/userspace/webd/www/* usr/share/portbridge/www/
git -C "$top" describe --always --dirty 2>/dev/null >etc/portbridge/version ||
	echo unknown >etc/portbridge/version
# Firmware upgrades (Documentation/firmware.md): this image's firmware
# version and build date, and the public key that upgrades must be signed
# with (PB_FW_PUBKEY; the default is the development key in keys/).
fwver=${PB_FW_VERSION:-$(sed -n 's/^VERSION ?= *//p' "$top/userspace/Makefile")}
{
	echo "version=$fwver"
	echo "build-time=${SOURCE_DATE_EPOCH:-$(date +%s)}"
	echo "build-id=$(cat etc/portbridge/version)"
} >etc/portbridge/firmware
cp "${PB_FW_PUBKEY:-$top/keys/dev-firmware.pub}" etc/portbridge/firmware.pub
chmod 644 etc/portbridge/firmware.pub

cd "$img"
"$top/scripts/mkcpio.py" "$stage" initramfs.cpio
gzip -6 -f initramfs.cpio
cp "$kroot/boot/vmlinuz-$abi" vmlinuz
echo "mkimage: $(du -h initramfs.cpio.gz | cut -f1) initramfs, kernel $abi"
