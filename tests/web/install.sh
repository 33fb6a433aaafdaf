#!/bin/sh
# Install playwright-core (npm) into BUILD_DIR/node for the browser tests;
# the browser itself is Debian's chromium (scripts/install-deps.sh).
# Idempotent.
#
# Usage: tests/web/install.sh BUILD_DIR
set -eu
build=$(realpath "${1:?usage: install.sh BUILD_DIR}")
VERSION=1.49.1
dir=$build/node
if [ -f "$dir/node_modules/playwright-core/package.json" ] &&
    grep -q "\"version\": \"$VERSION\"" \
	"$dir/node_modules/playwright-core/package.json"; then
	exit 0
fi
mkdir -p "$dir"
# playwright-core has no dependencies and downloads no browser
npm install --silent --no-audit --no-fund --prefix "$dir" \
	"playwright-core@$VERSION"
echo "install: playwright-core $VERSION in $dir"
