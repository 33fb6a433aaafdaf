#!/bin/sh
# Build mbedtls 3.6 LTS (TLS 1.2 and 1.3) as static libraries from Debian
# trixie's source package: bookworm's 2.28 is end of life.  apt fetches
# and verifies the source with a private sources list and state directory,
# so the host's apt configuration is left untouched.
#
# Usage: fetch-mbedtls.sh BUILD_DIR
#   -> BUILD_DIR/mbedtls/include, BUILD_DIR/mbedtls/lib/libmbed{tls,x509,crypto}.a
set -eu
build=$(realpath "${1:?usage: fetch-mbedtls.sh BUILD_DIR}")
out=$build/mbedtls
work=$out/src
SUITE=trixie
PACKAGE=mbedtls

[ -f "$out/.stamp" ] && exit 0

rm -rf "$out"
mkdir -p "$work/apt/lists/partial" "$work/apt/archives/partial"
cat >"$work/apt/sources.list" <<EOS
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main
EOS
apt_opts="-q -o Dir::Etc::sourcelist=$work/apt/sources.list
	-o Dir::Etc::sourceparts=- -o Dir::State::Lists=$work/apt/lists
	-o Dir::Cache::archives=$work/apt/archives -o APT::Get::List-Cleanup=0"
# shellcheck disable=SC2086
apt-get $apt_opts update >/dev/null
# shellcheck disable=SC2086
(cd "$work" && apt-get $apt_opts source --download-only "$PACKAGE" 2>&1 |
	grep -v 'unsandboxed' || true)
tarball=$(ls "$work"/${PACKAGE}_*.orig.tar.*)
mkdir -p "$work/tree"
tar -xf "$tarball" -C "$work/tree" --strip-components=1
case $(sed -n 's/^#define MBEDTLS_VERSION_STRING *"\(.*\)"/\1/p' \
	"$work/tree/include/mbedtls/build_info.h") in
3.6.*) ;;
*) echo "fetch-mbedtls: expected mbedtls 3.6 from $SUITE" >&2; exit 1 ;;
esac

make -s -C "$work/tree/library" -j2 \
	CFLAGS="-O2 -fPIE -fstack-protector-strong -D_FORTIFY_SOURCE=2" \
	libmbedtls.a libmbedx509.a libmbedcrypto.a
mkdir -p "$out/lib"
cp "$work/tree/library"/libmbed*.a "$out/lib/"
cp -r "$work/tree/include" "$out/include"
touch "$out/.stamp"
echo "fetch-mbedtls: $(ls "$out/lib" | tr '\n' ' ')"
