#!/bin/sh
# The benchmark image: the test image (board + root agent) plus the other
# contenders and the client: ser2net with its gensio plugins, socat, and
# tests/bench/pbbench.  Never part of the board image.
#
# Usage: mkbenchimage.sh BUILD_DIR  ->  BUILD_DIR/image/initramfs-bench.cpio.gz
set -eu
build=$(realpath "${1:?usage: mkbenchimage.sh BUILD_DIR}")
top=$(realpath "$(dirname "$0")/..")
. "$top/scripts/lib-image.sh"
img=$build/image
stage=$img/bench-root

"$top/scripts/mktestimage.sh" "$build"

rm -rf "$stage"
mkdir -p "$stage/usr/libexec/pbbench" "$stage/var/lock" "$stage/etc/ser2net"
copy_with_libs "$stage" /usr/sbin/ser2net /usr/sbin/ser2net
copy_with_libs "$stage" /usr/bin/socat /usr/bin/socat
copy_with_libs "$stage" /bin/setserial /bin/setserial
# ser2net loads its gensios at run time.
for so in /usr/libexec/x86_64-linux-gnu/gensio/*/libgensio_*.so; do
	case $(basename "$so") in
	libgensio_net.so | libgensio_serialdev.so | libgensio_telnet.so)
		copy_with_libs "$stage" "$so" "$so" ;;
	esac
done

gcc -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-o "$stage/usr/libexec/pbbench/pbbench" "$top/tests/bench/pbbench.c"

"$top/scripts/mkcpio.py" --no-devices "$stage" "$img/bench-overlay.cpio"
gzip -6 -f "$img/bench-overlay.cpio"
cat "$img/initramfs-test.cpio.gz" "$img/bench-overlay.cpio.gz" \
	>"$img/initramfs-bench.cpio.gz"
