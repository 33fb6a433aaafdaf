#!/bin/sh
# The test image: the board's initramfs plus an overlay archive with the
# pbtest agent (a root shell for the tests on a virtio serial port) and
# test tools.  The kernel unpacks concatenated archives in order, so the
# overlay's inittab replaces the board's.
#
# Usage: mktestimage.sh BUILD_DIR  ->  BUILD_DIR/image/initramfs-test.cpio.gz
set -eu
build=$(realpath "${1:?usage: mktestimage.sh BUILD_DIR}")
top=$(realpath "$(dirname "$0")/..")
img=$build/image
stage=$img/test-root

rm -rf "$stage"
mkdir -p "$stage/etc" "$stage/usr/libexec/pbtest"
cp -a "$top"/tests/vm/overlay/. "$stage"/
{
	cat "$top/initramfs/etc/inittab"
	echo "# pbtest: root agent for the VM tests (test image only)"
	echo "::respawn:/usr/libexec/pbtest/agent"
} >"$stage/etc/inittab"

gcc -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I"$top/kernel/include/uapi" -I"$top/userspace/lib" \
	-o "$stage/usr/libexec/pbtest/nlprobe" \
	"$top/tests/vm/tools/nlprobe.c" "$build/userspace/lib/libpb.a"
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I"$top/kernel/include/uapi" -I"$top/userspace/lib" \
	-o "$stage/usr/libexec/pbtest/allowprobe" \
	"$top/tests/vm/tools/allowprobe.c" "$build/userspace/lib/libpb.a"

"$top/scripts/mkcpio.py" --no-devices "$stage" "$img/test-overlay.cpio"
gzip -6 -f "$img/test-overlay.cpio"
cat "$img/initramfs.cpio.gz" "$img/test-overlay.cpio.gz" \
	>"$img/initramfs-test.cpio.gz"
