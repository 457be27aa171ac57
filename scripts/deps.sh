#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the workbench needs, only those missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# linux-source-6.12 is installed apart, at the version the series needs.
PKGS="qemu-system-x86 busybox-static stress-ng fio e2fsprogs
ccache quilt build-essential flex bison libelf-dev libssl-dev bc cpio kmod
rsync xz-utils python3 gnuplot-nox file coreutils libcap-dev libnuma-dev
xfsprogs python3-scipy"

stage deps
missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done
# The base goes on its own: at the version the patches apply to, and a
# mirror that no longer offers that version must not stop the rest.
base=""
if [ -z "${KSRC:-}" ] && command -v dpkg-query >/dev/null; then
	have=$(wb_base_deb_installed)
	if [ "$have" != "$WB_BASE_DEB" ]; then
		[ -z "$have" ] ||
			echo "  linux-source-6.12 $have is installed; the series applies to $WB_BASE_DEB"
		base="linux-source-6.12=$WB_BASE_DEB"
	fi
fi
log=$LOGS/deps.log
: >"$log"
export DEBIAN_FRONTEND=noninteractive
# apt_install PKG...: install, updating the package lists once on failure.
updated=0
apt_install() {
	apt-get install -y --no-install-recommends --allow-downgrades "$@" >>"$log" 2>&1 &&
		return 0
	[ $updated = 0 ] || return 1
	updated=1
	echo "  apt-get install failed; updating the package lists once" >>"$log"
	apt-get update >>"$log" 2>&1 ||
		die "apt-get update failed (no network or no Debian mirror?)" "$log"
	apt-get install -y --no-install-recommends --allow-downgrades "$@" >>"$log" 2>&1
}
if [ -n "$missing$base" ]; then
	command -v apt-get >/dev/null ||
		die "apt-get not found; install by hand:$missing $base"
	[ "$(id -u)" = 0 ] || die "not root; run: sudo apt-get install$missing $base"
fi
if [ -n "$missing" ]; then
	echo "  installing:$missing"
	# shellcheck disable=SC2086 # one word per package
	apt_install $missing || die "apt-get install failed for:$missing" "$log"
fi
if [ -n "$base" ]; then
	echo "  installing: $base"
	if ! apt_install "$base"; then
		[ -n "$(wb_base_deb_installed)" ] || apt_install linux-source-6.12 ||
			die "apt-get install failed for linux-source-6.12" "$log"
		echo "  WARNING: the mirror does not offer $base;" \
			"linux-source-6.12 $(wb_base_deb_installed) stays, and 'make tree' says whether the series applies to it"
	fi
fi
done_msg="${missing:+installed$missing}"
[ -z "$base" ] || done_msg="${done_msg:+$done_msg, }base $base"
stage_done "$done_msg"
