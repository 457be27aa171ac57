#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# XFS inode reclaim as a provider's in-flight work: inodes created in a
# memcg at its limit are pinned in the log or dirty when reclaim first
# meets them.  XFS reports them in flight and kicks its log worker, and
# reclaim waits for that rather than OOM-killing the creator: 60000
# files are made at memory.max 16M with no OOM kill (the base kernel
# kills at about 16000).  Then, clean, reclaim frees them.  Skips without
# XFS, mkfs.xfs or shrinker instances.
#   XFS_DEV: an empty block device to make the filesystem on; unset, the
#   test skips.  mkfs.xfs runs without -f, so it refuses a device that
#   holds a filesystem.  make check sets it to the guest's scratch disk.
#   XFS_FILES: files to create (default 60000).

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
CG=/sys/fs/cgroup
T=$CG/shrinker_xfs
W=/root/shrinker_xfs
DEV=${XFS_DEV:-}
N=${XFS_FILES:-60000}
. "$DIR/shrinker_lib.sh"

cleanup() {
	umount "$W/mnt" 2>/dev/null
	rm -rf "$W"
	rmdir "$T" 2>/dev/null
}

# The xfs superblock's instance of memcg $1 on node 0: FIELD $2.
xfs_inst() {
	for d in "$SDBG"/sb-xfs*; do
		[ -f "$d/instances" ] || continue
		awk -v m="$1" -v f="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$1 == m && $2 == 0 { print $c[f]; exit }' "$d/instances"
		return
	done
}

require_instances
if ! grep -qw xfs /proc/filesystems || ! command -v mkfs.xfs >/dev/null; then
	echo "1..0 # SKIP no XFS (CONFIG_XFS_FS) or no mkfs.xfs"
	exit $KSFT_SKIP
fi
# A loop file would not do: the loop worker charges its page cache to the
# memcg under test, and the log IO that cleans the inodes would wait on
# that memcg's own reclaim.
if [ -z "$DEV" ] || [ ! -b "$DEV" ] || grep -q "^$DEV " /proc/mounts; then
	echo "1..0 # SKIP set XFS_DEV to an empty, unmounted block device"
	exit $KSFT_SKIP
fi
echo "1..3"
trap cleanup EXIT
cleanup
mkdir -p "$W/mnt"
mkfs.xfs -q "$DEV" >/dev/null || exit 1
mount "$DEV" "$W/mnt" || exit 1
echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$T"
echo 16M >"$T/memory.max"
echo 0 >"$T/memory.swap.max" 2>/dev/null
m=$(ino "$T")

# The drain does this memcg's xfs work (the creator's reclaim is NOFS);
# each drain pass that left inodes in flight is a trace event.
TR=/sys/kernel/tracing
EV=$TR/events/shrinker/shrinker_defer_drain
echo "memcg == $m && inflight > 0" >"$EV/filter"
echo >"$TR/trace"
echo 1 >"$EV/enable"
in_memcg "$T" sh -c "i=0; mkdir $W/mnt/d; while [ \$i -lt $N ]; do
	: >$W/mnt/d/f\$i; i=\$((i + 1)); done"
echo 0 >"$EV/enable"
echo 0 >"$EV/filter"
made=$(ls "$W/mnt/d" | wc -l)
reports=$(grep -c 'shrinker_defer_drain:.*super_cache_scan' "$TR/trace")
maxinf=$(grep -o 'inflight=[0-9]*' "$TR/trace" | cut -d= -f2 | sort -n | tail -n 1)
kills=$(awk '$1 == "oom_kill" { print $2 }' "$T/memory.events")
check "$made files made at memory.max 16M, $kills OOM kills" test "$made" = "$N" -a "$kills" = 0
check "the xfs instance reported inodes in flight ($reports drain passes, at most ${maxinf:-0})" \
	test "$reports" -gt 0

# once the log is on disk the same inodes are clean and reclaimable
sync
before=$(xfs_inst "$m" count)
echo 32M >"$T/memory.reclaim" 2>/dev/null
after=$(xfs_inst "$m" count)
check "after sync, reclaim frees them (${before:-none} objects, then ${after:-none})" \
	test -n "$before" -a "${after:-0}" -lt "${before:-0}"

[ "$nfail" = 0 ]
