#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ext4 metadata that a running journal transaction holds cannot be
# reclaimed until the transaction is committed and written back.  A memcg
# making files faster than the commit interval commits them fills its
# limit with it and is OOM-killed with its charge all clean page cache.
# jbd2 asks for the commit when that memcg's reclaim meets its checkpointed
# buffers that the running transaction journals again.  The commit
# interval is set far beyond the run, so that only such requests commit:
# once the checkpoint lists hold buffers (test 1 commits a transaction
# first), a kernel without them kills the creator on any machine that
# makes the files in that time.  Global reclaim asks for no commit.
#   EXT4_DEV: an empty block device of at least 1 GiB (its first MiB all
#   zeros) to make the filesystem on; unset, the test skips.  Its first
#   MiB is zeroed again at the end, so that the next user finds it empty.
#   make check sets it to the guest's scratch disk.  The journal mkfs.ext4
#   gives 1 GiB holds transactions of up to 2730 blocks, over half the
#   memcg's limit.
#   EXT4_FILES: files to make under the limit (default 100000).

DIR=$(cd "$(dirname "$0")" && pwd)
CG=/sys/fs/cgroup
T=$CG/shrinker_ext4
W=/root/shrinker_ext4
DEV=${EXT4_DEV:-}
[ -n "$DEV" ] && DEV=$(readlink -f "$DEV")
N=${EXT4_FILES:-100000}
. "$DIR/shrinker_lib.sh"

made_fs=0
cleanup() {
	umount "$W/mnt" 2>/dev/null
	# only a filesystem this test made, and no longer mounted, is erased
	[ "$made_fs" = 1 ] && scratch_erase "$DEV"
	rm -rf "$W"
	rmdir "$T" 2>/dev/null
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}
[ "$(id -u)" = 0 ] || skip_all "not root"
# a mount an interrupted run left
umount "$W/mnt" 2>/dev/null
if [ -z "$DEV" ] || [ ! -b "$DEV" ] || mounted "$DEV"; then
	skip_all "set EXT4_DEV to an empty, unmounted block device"
fi
grep -qw ext4 /proc/filesystems && command -v mkfs.ext4 >/dev/null ||
	skip_all "no ext4 (CONFIG_EXT4_FS) or no mkfs.ext4"
grep -qw memory "$CG/cgroup.controllers" 2>/dev/null ||
	skip_all "no memory controller on cgroup v2 at $CG"
sectors=$(cat "/sys/class/block/$(basename "$DEV")/size" 2>/dev/null)
[ "${sectors:-0}" -ge 2097152 ] || skip_all "$DEV is under 1 GiB"
scratch_empty "$DEV" || skip_all "$DEV is not empty: its first MiB holds data"
echo "1..2"
trap cleanup EXIT
# dash runs no EXIT trap on a signal
trap 'exit 1' INT TERM HUP
# what an interrupted run left, before anything of this one
cleanup
mkdir -p "$W/mnt"
# inode tables and journal written now: no lazy init thread in the run
mkfs.ext4 -q -i 4096 -E lazy_itable_init=0,lazy_journal_init=0 "$DEV" \
	>/dev/null || exit 1
made_fs=1
mount -o commit=3600 "$DEV" "$W/mnt" || exit 1
# "N transactions (M requested), ...": the journal's commits so far
J=
for f in /proc/fs/jbd2/"$(basename "$DEV")"-*/info; do
	[ -r "$f" ] && J=$f
done
commits() {
	sed -n '1s/^\([0-9]*\) transactions.*/\1/p' "$J"
}
if [ -z "$J" ] || [ -z "$(commits)" ]; then
	fail "the journal's statistics are readable" "no /proc/fs/jbd2/$(basename "$DEV")-*/info"
	exit 1
fi

echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$T"
echo max >"$T/memory.max"
echo 0 >"$T/memory.swap.max" 2>/dev/null
# make_files DIR COUNT: COUNT empty files in DIR, from inside the memcg
make_files() {
	in_memcg "$T" sh -c "mkdir -p $1; i=0; while [ \$i -lt $2 ]; do
		: >$1/f\$i; i=\$((i + 1)); done"
}

# 1: with no limit, and with drop_caches and reclaim of the root over a
# running transaction that journals checkpointed buffers again, nothing
# asks for a commit: global reclaim does not.  A first transaction is
# committed (sync) and written back, so that the checkpoint lists hold
# buffers the next transaction journals again, as in 2.
make_files "$W/mnt/warm" 2000
sync
c0=$(commits)
make_files "$W/mnt/free" 20000
# the first drop releases the checkpointed heads it can; the second
# meets only those the running transaction journals again
echo 3 >/proc/sys/vm/drop_caches
echo 3 >/proc/sys/vm/drop_caches
echo 64M >"$CG/memory.reclaim" 2>/dev/null
c1=$(commits)
what="with no limit, drop_caches and root reclaim, 20000 files commit nothing"
check "$what ($((c1 - c0)) commits)" test "$c1" = "$c0"

# 2: at memory.max 16M, the running transaction outgrows the limit long
# before its interval: jbd2 commits it at reclaim's request.  The journal's
# first transaction after mount cannot be asked for (no checkpointed buffer
# yet), which is why 1 committed one.
k0=$(awk '$1 == "oom_kill" { print $2 }' "$T/memory.events")
echo 16M >"$T/memory.max"
make_files "$W/mnt/d" "$N"
done_n=$(ls "$W/mnt/d" | wc -l)
kills=$(($(awk '$1 == "oom_kill" { print $2 }' "$T/memory.events") - k0))
c2=$(commits)
check "$done_n of $N files made at memory.max 16M, $kills OOM kills, $((c2 - c1)) commits" \
	test "$done_n" = "$N" -a "$kills" = 0

[ "$nfail" = 0 ]
