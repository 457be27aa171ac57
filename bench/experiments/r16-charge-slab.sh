#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Review R-16: how much of a slab-heavy memcg does one charge's reclaim
# free at its limit, on each kernel?  The setup of test_providers.sh 1c,
# repeated: a memcg makes 3000 empty files on the root fs (their dentries
# and inodes are its slab), its limit is set 512K above its usage, and a
# writer inside it fills a tmpfs file (no swap: unreclaimable) of half
# that slab.  Each round gives the slab and page cache that went, and the
# writer's reclaim episodes (mm_vmscan_memcg_reclaim_end) with the pages
# they reported.  A by-hand guest plan, not a bench scenario:
#   scripts/run-guest.sh BZIMAGE bench/experiments/r16-charge-slab.sh OUT
#   cat OUT/results/r16.txt
# On the patched kernel the background trim is off for the rounds, as in
# 1c: its frees would be counted by neither.
ROUNDS=6
CG=/sys/fs/cgroup
W=/var/tmp/r16
MX=/tmp/r16_mx
TR=/sys/kernel/tracing
EV=$TR/events/vmscan/mm_vmscan_memcg_reclaim_end
R=/results/r16.txt
# memstat, settled_slab, reclaim_end, trim_off and the trace's record-cmd
# switch, as test_providers.sh uses them
. /kselftest/shrinker/shrinker_lib.sh

event_of() { awk -v k="$2" '$1 == k { print $2 }' "$1/memory.events"; }

mkdir -p "$W" "$MX"
echo +memory >$CG/cgroup.subtree_control
trim_off
trace_no_cmd
echo "# round slab_before slab_freed pagecache_freed episodes reported_bytes dd_rc oom_kills" >$R
r=1
while [ $r -le $ROUNDS ]; do
	m=$CG/r16_$r
	mkdir "$m"
	sh -c 'echo $$ >"$0/cgroup.procs" && mkdir "$1" &&
		i=0; while [ $i -lt 3000 ]; do : >"$1/f$i"; i=$((i + 1)); done' \
		"$m" "$W/$r"
	sync
	mount -t tmpfs -o size=64M none "$MX" || { echo "r16: no tmpfs" >>$R; exit 1; }
	slab=$(memstat "$m" slab_reclaimable)
	lru=$(($(memstat "$m" file) - $(memstat "$m" shmem)))
	oom=$(event_of "$m" oom_kill)
	echo $(($(cat "$m/memory.current") + 524288)) >"$m/memory.max"
	echo >$TR/trace
	echo 1 >$EV/enable
	rm -f "$MX.pid"
	rc=0
	sh -c 'echo $$ >"$0/cgroup.procs" && echo $$ >"$1.pid" &&
		exec dd if=/dev/zero of="$1/f" bs=4096 count="$2" 2>/dev/null' \
		"$m" "$MX" $((slab / 8192)) || rc=$?
	echo 0 >$EV/enable
	echo max >"$m/memory.max"
	pid=$(cat "$MX.pid")
	oom=$(($(event_of "$m" oom_kill) - oom))
	left=$(settled_slab "$m")
	lgot=$((lru - $(memstat "$m" file) + $(memstat "$m" shmem)))
	[ "$lgot" -ge 0 ] || lgot=0
	echo "$r $slab $((slab - left)) $lgot $(reclaim_end "$pid") $rc $oom" >>$R
	rm -f "$MX/f" "$MX.pid"
	umount "$MX"
	rm -rf "${W:?}/$r"
	sync
	echo 2 >/proc/sys/vm/drop_caches
	rmdir "$m" 2>/dev/null
	r=$((r + 1))
done
trace_cmd_restore
trim_restore
cat $R
