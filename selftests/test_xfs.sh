#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# XFS inode reclaim as a provider's in-flight work: inodes created in a
# memcg at its limit are pinned in the log or dirty when reclaim first
# meets them.  XFS reports them in flight and kicks its log worker, and
# reclaim waits for that rather than OOM-killing the creator: 60000
# files are made at memory.max 16M with no OOM kill (the base kernel
# kills at about 16000).  Reclaim of fresh inodes reports them in
# flight, and frees them once they are clean.  Two memcgs on the mount:
# the reclaim walk of XFS is mount-wide, yet one memcg's reclaim counts
# neither the other's inodes in flight nor its own objects twice.  Skips without XFS,
# mkfs.xfs or shrinker instances.
#   XFS_DEV: an empty block device to make the filesystem on; unset, the
#   test skips.  mkfs.xfs runs without -f, so it refuses a device that
#   holds a filesystem.  make check sets it to the guest's scratch disk.
#   The first MiB of the filesystem made is zeroed at exit, so that the
#   next user (test_ext4.sh) finds the device empty.
#   XFS_INFLIGHT_CHECK=0 skips check 2, for kernels too slow for fresh
#   inodes to stay pinned until reclaim meets them (make check DEBUG=1).
#   XFS_FILES: files to create (default 60000).

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
CG=/sys/fs/cgroup
T=$CG/shrinker_xfs
W=/root/shrinker_xfs
DEV=${XFS_DEV:-}
[ -n "$DEV" ] && DEV=$(readlink -f "$DEV")
N=${XFS_FILES:-60000}
. "$DIR/shrinker_lib.sh"

SYNCD=/proc/sys/fs/xfs/xfssyncd_centisecs
syncd0=$(cat "$SYNCD" 2>/dev/null)
TR=/sys/kernel/tracing
EVS="$TR/events/shrinker/shrinker_instance_scan $TR/events/shrinker/shrinker_defer_drain"
# XFS asks shrinker_slab_obj_in() of each inode its reclaim walk leaves
# pinned, dirty or under IO, for the memcg the pass is for: a return of
# 0 (the only ones traced) inside one of a's passes is that walk meeting
# an inode in flight not charged inside a, seen directly.  Without
# kprobe events, or on a kernel that never asks, nothing is seen this
# way.
KP=$TR/kprobe_events
OBJ_IN='r:wbxfs/obj_in_ret shrinker_slab_obj_in memcg=$arg1:x64 ret=$retval:u8'
obj_in_on() {
	[ -w "$KP" ] || return 1
	echo "$OBJ_IN" >>"$KP" 2>/dev/null &&
		echo 'ret == 0' >"$TR/events/wbxfs/obj_in_ret/filter" &&
		echo 1 >"$TR/events/wbxfs/enable"
}
# removing a probe event empties the trace: only at the end
obj_in_off() {
	[ -d "$TR/events/wbxfs" ] || return 0
	echo 0 >"$TR/events/wbxfs/enable"
	echo '-:wbxfs/obj_in_ret' >>"$KP"
}
made_fs=0
cleanup() {
	[ -n "$syncd0" ] && echo "$syncd0" >"$SYNCD"
	# a signal between a freeze and its thaw leaves it frozen
	fsfreeze --unfreeze "$W/mnt" 2>/dev/null
	umount "$W/mnt" 2>/dev/null
	# only a filesystem this test made, and no longer mounted, is erased
	[ "$made_fs" = 1 ] && scratch_erase "$DEV"
	rm -rf "$W"
	for ev in $EVS; do
		echo 0 >"$ev/enable" 2>/dev/null && echo 0 >"$ev/filter"
	done
	obj_in_off
	trace_buf_restore
	trace_cmd_restore
	rmdir "$T/u" "$T/a" "$T/b" "$T" 2>/dev/null
}

require_instances
if ! grep -qw xfs /proc/filesystems || ! command -v mkfs.xfs >/dev/null; then
	echo "1..0 # SKIP no XFS (CONFIG_XFS_FS) or no mkfs.xfs"
	exit $KSFT_SKIP
fi
# A loop file would not do: the loop worker charges its page cache to the
# memcg under test, and the log IO that cleans the inodes would wait on
# that memcg's own reclaim.
if [ -z "$DEV" ] || [ ! -b "$DEV" ] || mounted "$DEV"; then
	echo "1..0 # SKIP set XFS_DEV to an empty, unmounted block device"
	exit $KSFT_SKIP
fi
echo "1..5"
trap cleanup EXIT
# dash runs no EXIT trap on a signal: the runner's time-out would leave
# the probe, the buffer size and the log worker's period behind
trap 'exit 1' INT TERM HUP
cleanup
mkdir -p "$W/mnt"
mkfs.xfs -q "$DEV" >/dev/null || exit 1
made_fs=1
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
trace_no_cmd
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

# the inodes in flight were not lost to reclaim: once written back they
# are clean, and reclaim frees them.  Clean, not just logged: a sync
# forces the log but leaves the inodes dirty in the AIL until xfsaild
# writes them back, which on a slow disk outlasts the reclaim.  A freeze
# pushes the AIL and waits for it.
echo "$syncd0" >"$SYNCD"
fsfreeze --freeze "$W/mnt" && fsfreeze --unfreeze "$W/mnt"
echo 16M >"$T/u/memory.reclaim" 2>/dev/null
slab1=$(memstat "$T/u" slab_reclaimable)
check "then reclaim frees them (slab_reclaimable $slab0, then $slab1 bytes)" \
	test "$((slab1 * 4))" -lt "$slab0"

# 4-5: memcgs b and a on the mount, a with 50 files of its own, clean,
# and b with 3000 fresh ones, pinned in the log.  The XFS walk after each
# pass of the superblock's instance is mount-wide: a's passes meet b's
# inodes too, and only b's may count them in flight.  Reclaim of their
# parent visits b, then a (the order they were made).  An a pass whose
# count holds b's evicted inodes (XFS counts them for every memcg) met
# them pinned if a later b pass still found b's inodes in flight; an a
# pass in which XFS asked about an inode in flight charged outside a met
# one, seen directly (obj_in_on).
rmdir "$T/u"
mkdir -p "$T/b"
mkdir -p "$T/a"
a=$(ino "$T/a")
b=$(ino "$T/b")
in_memcg "$T/a" sh -c "mkdir $W/mnt/a; i=0; while [ \$i -lt 50 ]; do
	: >$W/mnt/a/f\$i; i=\$((i + 1)); done"
# clean, not just logged: a freeze pushes the AIL and waits for it
fsfreeze --freeze "$W/mnt" && fsfreeze --unfreeze "$W/mnt"
echo 720000 >"$SYNCD"
in_memcg "$T/b" sh -c "mkdir $W/mnt/b; i=0; while [ \$i -lt 3000 ]; do
	: >$W/mnt/b/f\$i; i=\$((i + 1)); done"
# FIELD MEMCG: FIELD summed over the superblock's traced passes in MEMCG
sum() {
	grep "super_cache_scan.* memcg=$2 " "$TR/trace" | grep -o " $1=[0-9]*" |
		cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }'
}
passes() {
	grep -c "super_cache_scan.* memcg=$1 " "$TR/trace"
}
# trace_on FILTER: trace the instances' passes that FILTER lets through
# ("0" for every one), from an empty buffer
trace_on() {
	echo >"$TR/trace"
	echo "$1" >"$TR/events/shrinker/shrinker_instance_scan/filter"
	echo 1 >"$TR/events/shrinker/shrinker_instance_scan/enable"
}
trace_off() {
	echo 0 >"$TR/events/shrinker/shrinker_instance_scan/enable"
	echo 0 >"$TR/events/shrinker/shrinker_instance_scan/filter"
}
# every pass traced here, whatever its memcg, so that each probe hit is
# booked to the pass that made it: the next pass its task traces.  A
# pass is traced only if it scanned or stopped, so an untraced pass's
# answers go to the next traced one; the one-memcg rule below catches a
# mix, not a whole batch carried over from another memcg's pass.
trace_buf_grow 8192
trace_on 0
obj_in_on && probed=1 || probed=0
echo 64M >"$T/memory.reclaim" 2>/dev/null
[ "$probed" = 1 ] && echo 0 >"$TR/events/wbxfs/enable"
trace_off
# a's passes that met inodes in flight not charged inside a: the "not
# a's" answers since its task's last traced pass, all asked for one memcg
# (a pass that asked for two is not counted), each printed, and how many
# answers.  An overrun buffer or a missed return voids what is seen.
lost=$(awk '/^# entries-in-buffer/ { split($3, e, "/"); print e[2] - e[1] }' "$TR/trace")
nmiss=$(awk '$1 == "obj_in_ret" { print $3 }' "$TR/kprobe_profile" 2>/dev/null)
awk -v a="$a" -v out="$W/direct" '{ t = $1; sub(/.*-/, "", t) }
	/obj_in_ret:/ && / ret=0/ {
		m = $0; sub(/.* memcg=/, "", m); sub(/ .*/, "", m)
		if (f[t] && m != p[t]) bad[t] = 1
		f[t]++; p[t] = m
	}
	/shrinker_instance_scan:/ {
		if (/super_cache_scan/ && $0 ~ (" memcg=" a " ") && f[t] && !bad[t]) {
			n++; s += f[t]
			ts = $4; sub(/:$/, "", ts)
			printf "# a pass ending at %s: %d not-a answers, for memcg %s\n",
				ts, f[t], p[t]
		}
		f[t] = 0; bad[t] = 0
	} END { print n + 0, s + 0 >out }' "$TR/trace"
direct=0 others=0
[ -s "$W/direct" ] && read -r direct others <"$W/direct"
seen="$direct a passes met $others answers of in flight not a's"
seen="$seen (${lost:-?} events overrun, ${nmiss:-?} returns missed)"
if [ "${lost:-x}" != 0 ] || [ "${nmiss:-x}" != 0 ]; then
	direct=0
	seen="$seen, void"
fi
# a passes counting 100 inodes beyond a's own, followed by a b pass
# with inodes in flight, and what those a passes reported
set -- $(grep "super_cache_scan" "$TR/trace" |
	sed -n 's/.* memcg=\([0-9]*\) .* freeable=\([0-9]*\) .* inflight=\([0-9]*\).*/\1 \2 \3/p' |
	awk -v a="$a" -v b="$b" '$1 == a && $2 >= 200 { n++; s += $3 }
		$1 == b && $3 > 0 && n { met = n; seen = s } END { print met + 0, seen + 0 }')
ina=$(sum inflight "$a")
what="a: $ina in flight in $(passes "$a") passes, $1 of them met by b's in flight"
what="$what; b's: $(sum inflight "$b")"
[ "$probed" = 1 ] && what="$what; $seen"
# a's own 51 inodes were made clean (frozen and thawed), and may be in
# flight again only by its own writeback: more than 51 can only be b's
if [ "$ina" -le 51 ] && [ "$1" = 0 ] && [ "$direct" = 0 ]; then
	ok "a's reclaim does not wait on b's inodes in the log ($what) # SKIP none met b's"
else
	check "a's reclaim does not wait on b's inodes in the log ($what)" test "$ina" -le 51
fi

# 5: a's files back in its cache, clean: a's reclaim evicts them (the
# VFS counts each dentry and inode it frees) and the XFS walk frees the
# inodes, a's and any of b's clean by then: nothing more may count.  a
# holds 50 files and their directory, twice that in dentries and inodes.
fsfreeze --freeze "$W/mnt" && fsfreeze --unfreeze "$W/mnt"
in_memcg "$T/a" ls -l "$W/mnt/a" >/dev/null
trace_on "memcg == $a || memcg == $b"
echo 64M >"$T/a/memory.reclaim" 2>/dev/null
trace_off
fa=$(sum freed "$a")
what="a counted $fa freed in $(passes "$a") passes"
if [ "$(passes "$a")" = 0 ]; then
	ok "a's reclaim counts each of its objects once ($what) # SKIP a was not reclaimed"
else
	check "a's reclaim counts each of its objects once ($what)" test "$fa" -le 110
fi

[ "$nfail" = 0 ]
