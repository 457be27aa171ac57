#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Review R-1: does cleaning up a dying memcg's wb delay periodic writeback
# of an inode it leaves behind?  In a memcg: "old" gets a dirty page, then
# 300 empty files dirty metadata (more than two switch batches), then
# "new" gets a dirty page; the memcg is removed, its wb is cleaned up,
# and the time until "old" is written back is measured.  Written within
# an expire interval (plus the flusher's period) of its dirtying, the
# order held; written only after "new" expired, "old" sat behind "new".
# PAGES=0 (review R-2) leaves out "old" and "new": the wb then has no dirty
# pages, its cleanup switches the 300 metadata-dirty inodes, and the time
# at which the first of them, m0, is written back is measured instead.
# A new memcg's wb has no share of the bdi's writeout yet, so its first
# dirty page is over its share of the background threshold and goes at
# the flusher's next wake, in any order: the memcg first writes WARM_MB
# with fsync to earn a share, so that only periodic writeback is left.
# The wb check for dirty pages keeps the walk off such a wb unless pages
# are dirtied after it: the scaffold
# docs/runs/20261202T-review-r1-order/gate.diff drops the check.  A
# by-hand guest plan, not a bench scenario:
#   scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/r1-order.sh OUTDIR
. /wb/bench/lib.sh
ROUNDS=${ROUNDS:-3}
EXPIRE=${EXPIRE:-15}
NEW_AT=${NEW_AT:-8}
WARM_MB=${WARM_MB:-64}
PAGES=${PAGES:-1}
w=old
[ "$PAGES" = 1 ] || w=m0
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs none $T
echo $((EXPIRE * 100)) >/proc/sys/vm/dirty_expire_centisecs
echo 100 >/proc/sys/vm/dirty_writeback_centisecs
echo mono >$T/trace_clock
echo +memory >$CG/cgroup.subtree_control
d=$(bench_ext4_disk r1) || { echo "EXP no scratch ext4"; exit 1; }
sync
E=$T/events/writeback/writeback_single_inode
# the scratch disk's bdi: inode numbers repeat across filesystems
bdi=$(cat /sys/block/$(basename "${SCRATCH_DEV:-/dev/vdb}")/dev)
r=0
while [ $r -lt "$ROUNDS" ]; do
	c=$CG/r1-$r
	mkdir $c "$d/$r"
	[ "$WARM_MB" -gt 0 ] && in_memcg $c dd if=/dev/zero of="$d/$r/warm" \
		bs=1M count="$WARM_MB" conv=fsync status=none
	t0=$(now_ns)
	[ "$PAGES" = 1 ] && in_memcg $c sh -c "echo x >$d/$r/old"
	# dirty metadata, no pages: an empty file's first read updates its
	# atime (relatime), which dirties the inode alone
	in_memcg $c sh -c "i=0; while [ \$i -lt 300 ]; do : >$d/$r/m\$i; cat $d/$r/m\$i; i=\$((i + 1)); done"
	ino=$(stat -c %i "$d/$r/$w")
	echo >$T/trace
	echo "ino == $ino && name == \"$bdi\"" >$E/filter || {
		echo "EXP cannot filter on $bdi"
		exit 1
	}
	echo 1 >$E/enable
	while [ $(($(now_ns) - t0)) -lt $((NEW_AT * 1000000000)) ]; do
		sleep 0.2
	done
	[ "$PAGES" = 1 ] && in_memcg $c sh -c "echo x >$d/$r/new"
	t_new=$(now_ns)
	# the memcg's wb before its removal (old, m* and new) and 2 s after
	# (what the cleanup left)
	cino=$(stat -c %i $c)
	wb_dirty() {
		awk -v c="$cino" '$1 == "WbCgIno:" { f = ($2 == c) }
			f && $1 == "b_dirty:" { print $2 }' \
			/sys/kernel/debug/bdi/$bdi/wb_stats 2>/dev/null
	}
	echo "EXP round $r: b_dirty $(wb_dirty)"
	rmdir $c
	t_rm=$(now_ns)
	sleep 2
	echo "EXP round $r: b_dirty $(wb_dirty) 2 s after the removal"
	# until it is written, or well past "new"'s expiry
	while ! grep -q writeback_single_inode $T/trace &&
		[ $(($(now_ns) - t0)) -lt $(((NEW_AT + 2 * EXPIRE) * 1000000000)) ]; do
		sleep 0.5
	done
	echo 0 >$E/enable
	grep writeback_single_inode $T/trace | sed -n 1p
	tw=$(awk '/writeback_single_inode/ {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/) { sub(":", "", $i); print $i; exit } }' $T/trace)
	awk -v t0="$t0" -v tn="$t_new" -v tr="$t_rm" -v tw="$tw" -v r="$r" -v f="$w" \
		-v e="$EXPIRE" -v n="$NEW_AT" 'BEGIN {
		printf "EXP round %d: %s at %.3f s, memcg removed at %.3f s, ", r,
			(f == "old" ? "new dirtied" : "no new"), (tn - t0) / 1e9,
			(tr - t0) / 1e9
		if (tw == "") { printf "%s not written back by %d s\n", f, n + 2 * e; exit }
		printf "%s written back at %.3f s (expire %d s)\n", f, tw - t0 / 1e9, e }'
	r=$((r + 1))
done
echo "EXP $ROUNDS rounds done"
