#!/bin/sh
# Print the kernel ABI (e.g. 6.1.0-56-amd64) of the installed
# linux-headers-amd64, the one our modules are built against.
set -eu
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) || {
	echo "kernel-abi: linux-headers-amd64 is not installed" >&2
	exit 1
}
# "linux-headers-6.1.0-56-amd64 (= 6.1.192-2)" -> 6.1.0-56-amd64
echo "$dep" | sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p'
