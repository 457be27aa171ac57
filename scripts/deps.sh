#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the workbench needs, only those missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS="linux-source-6.12 qemu-system-x86 busybox-static stress-ng fio e2fsprogs
ccache quilt build-essential flex bison libelf-dev libssl-dev bc cpio kmod
rsync xz-utils python3 gnuplot-nox file coreutils libcap-dev libnuma-dev
xfsprogs python3-scipy"

stage deps
missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	command -v apt-get >/dev/null ||
		die "apt-get not found; install by hand:$missing"
	[ "$(id -u)" = 0 ] || die "not root; run: sudo apt-get install$missing"
	echo "  installing:$missing"
	log=$LOGS/deps.log
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y --no-install-recommends $missing >"$log" 2>&1; then
		echo "  apt-get install failed; updating the package lists once" >>"$log"
		apt-get update >>"$log" 2>&1 ||
			die "apt-get update failed (no network or no Debian mirror?)" "$log"
		apt-get install -y --no-install-recommends $missing >>"$log" 2>&1 ||
			die "apt-get install failed for:$missing" "$log"
	fi
fi
stage_done "${missing:+installed$missing}"
