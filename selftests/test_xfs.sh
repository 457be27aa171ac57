#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# XFS inode reclaim as a provider's in-flight work: inodes created in a
# memcg at its limit are pinned in the log or dirty when reclaim first
# meets them.  XFS reports them in flight and kicks its log worker, and
# reclaim waits for that rather than OOM-killing the creator: 60000
# files are made at memory.max 16M with no OOM kill (the base kernel
# kills at about 16000).  Reclaim of fresh inodes reports them in
# flight, and frees them once they are clean.  Skips without XFS,
# mkfs.xfs or shrinker instances.
#   XFS_DEV: an empty block device to make the filesystem on; unset, the
#   test skips.  mkfs.xfs runs without -f, so it refuses a device that
#   holds a filesystem.  make check sets it to the guest's scratch disk.
#   XFS_INFLIGHT_CHECK=0 skips check 2, for kernels too slow for fresh
#   inodes to stay pinned until reclaim meets them (make check DEBUG=1).
#   XFS_FILES: files to create (default 60000).

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
CG=/sys/fs/cgroup
T=$CG/shrinker_xfs
W=/root/shrinker_xfs
DEV=${XFS_DEV:-}
N=${XFS_FILES:-60000}
. "$DIR/shrinker_lib.sh"

SYNCD=/proc/sys/fs/xfs/xfssyncd_centisecs
syncd0=$(cat "$SYNCD" 2>/dev/null)
cleanup() {
	[ -n "$syncd0" ] && echo "$syncd0" >"$SYNCD"
	umount "$W/mnt" 2>/dev/null
	rm -rf "$W"
	rmdir "$T/u" "$T" 2>/dev/null
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

in_memcg "$T" sh -c "i=0; mkdir $W/mnt/d; while [ \$i -lt $N ]; do
	: >$W/mnt/d/f\$i; i=\$((i + 1)); done"
made=$(ls "$W/mnt/d" | wc -l)
kills=$(awk '$1 == "oom_kill" { print $2 }' "$T/memory.events")
check "$made files made at memory.max 16M, $kills OOM kills" test "$made" = "$N" -a "$kills" = 0

# Fresh inodes, with no pressure to have kicked the log and the log
# worker's period at its longest (on a slow kernel making them outlasts
# the default 30 s): reclaim that meets them finds them pinned and says
# so.  Each pass of the instance (direct or from the drain) that reports
# work in flight is an event.
echo 720000 >"$SYNCD"
echo max >"$T/memory.max"
echo +memory >"$T/cgroup.subtree_control"
mkdir -p "$T/u"
u=$(ino "$T/u")
in_memcg "$T/u" sh -c "i=0; mkdir $W/mnt/u; while [ \$i -lt 3000 ]; do
	: >$W/mnt/u/f\$i; i=\$((i + 1)); done"
slab0=$(memstat "$T/u" slab_reclaimable)
TR=/sys/kernel/tracing
EVS="$TR/events/shrinker/shrinker_instance_scan $TR/events/shrinker/shrinker_defer_drain"
echo >"$TR/trace"
for ev in $EVS; do
	echo "memcg == $u && inflight > 0" >"$ev/filter"
	echo 1 >"$ev/enable"
done
echo 16M >"$T/u/memory.reclaim" 2>/dev/null
sleep 1
for ev in $EVS; do
	echo 0 >"$ev/enable"
	echo 0 >"$ev/filter"
done
reports=$(grep -c 'super_cache_scan.* memcg=' "$TR/trace")
maxinf=$(grep -o 'inflight=[0-9]*' "$TR/trace" | cut -d= -f2 | sort -n | tail -n 1)
what="$reports passes, at most ${maxinf:-0}"
if [ "${XFS_INFLIGHT_CHECK:-1}" = 0 ]; then
	# a KASAN kernel under TCG is slow enough for the log to clean them
	# before reclaim looks: nothing is then in flight to report
	ok "reclaim of 3000 fresh inodes ($what) # SKIP XFS_INFLIGHT_CHECK=0"
else
	check "reclaim of 3000 fresh inodes sees them in flight ($what)" test "$reports" -gt 0
fi

# the inodes in flight were not lost to reclaim: once the log is on
# disk they are clean, and reclaim frees them
echo "$syncd0" >"$SYNCD"
sync
echo 16M >"$T/u/memory.reclaim" 2>/dev/null
slab1=$(memstat "$T/u" slab_reclaimable)
check "then reclaim frees them (slab_reclaimable $slab0, then $slab1 bytes)" \
	test "$((slab1 * 4))" -lt "$slab0"

[ "$nfail" = 0 ]
