#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build an extra dir for run-guest.sh: a kernel's own extra files plus the
# host's perf and its libraries, for by-hand profiles in a guest.
#   bench/experiments/perf-extra.sh KERNEL DIR    (KERNEL: base or patched)
# Needs Debian's linux-perf; its 6.1 perf records a 6.12 guest fine.
set -eu
k=${1:?usage: perf-extra.sh base|patched DIR}
dir=${2:?usage: perf-extra.sh base|patched DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
perf=$(command -v perf) || { echo "perf-extra: no perf on the host (apt-get install linux-perf)" >&2; exit 1; }
[ -d "$root/build/$k/extra" ] || { echo "perf-extra: no build/$k/extra; run make check or make bench first" >&2; exit 1; }
rm -rf "$dir"
cp -r "$root/build/$k/extra" "$dir"
mkdir -p "$dir/usr/bin"
cp -L "$perf" "$dir/usr/bin/perf"
for lib in $(ldd "$perf" | grep -oE '/[^ ]+\.so[^ ]*'); do
	mkdir -p "$dir$(dirname "$lib")"
	cp -L "$lib" "$dir$lib"
done
