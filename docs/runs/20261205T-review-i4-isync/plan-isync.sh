#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Does patch 0012 ever count?  On ext4 (journal, then no journal), a
# memcg at its limit churns the metadata of unused, page-less inodes
# (touch -c) while the flusher runs every 10 ms, sync(2) loops and
# memory.reclaim loops: the conditions under which the icache walk could
# meet an inode held off the LRU by its own writeback (I_SYNC) alone.
# Every superblock pass with inflight > 0 is traced; on ext4 nothing but
# 0012 reports icache work in flight.  All passes are counted too.
T=/sys/kernel/tracing
CG=/sys/fs/cgroup
R=/results
DUR=${DUR:-60}
echo 1 >/proc/sys/vm/dirty_writeback_centisecs
echo 1 >/proc/sys/vm/dirty_expire_centisecs
echo +memory >$CG/cgroup.subtree_control
mkdir -p /mnt/s
uname -r >$R/uname.txt
# Every inode the icache walk meets (inode_lru_isolate()), with its
# i_state, i_count and page-cache head (offsets of this build's struct
# inode from &inode->i_lru: i_state -112, i_count +80, i_data.i_pages.xa_head
# +128); only those with I_SYNC (bit 1) are recorded, kprobe_profile
# counts all.
echo 'p:wb/lru_isolate inode_lru_isolate state=-112(%di):x32 count=+80(%di):s32 head=+128(%di):x64' >>$T/kprobe_events || exit 1
for mode in journal nojournal; do
	if [ $mode = journal ]; then mkfs.ext4 -q -F /dev/vdb; else mkfs.ext4 -q -F -O ^has_journal /dev/vdb; fi
	mount /dev/vdb /mnt/s || exit 1
	mkdir -p $CG/w
	echo 48M >$CG/w/memory.max
	m=$(stat -c %i $CG/w)
	echo $$ >$CG/w/cgroup.procs
	for d in 0 1 2 3 4 5 6 7 8 9; do
		mkdir /mnt/s/d$d
		i=0; while [ $i -lt 3000 ]; do : >/mnt/s/d$d/f$i; i=$((i+1)); done
	done
	echo $$ >$CG/cgroup.procs
	sync
	echo 0 >$T/tracing_on
	echo >$T/trace
	echo 65536 >$T/buffer_size_kb
	echo "inflight > 0" >$T/events/shrinker/shrinker_instance_scan/filter
	echo 1 >$T/events/shrinker/shrinker_instance_scan/enable
	echo "inflight > 0" >$T/events/shrinker/shrinker_defer_drain/filter
	echo 1 >$T/events/shrinker/shrinker_defer_drain/enable
	echo "${FILTER:-state & 2}" >$T/events/wb/lru_isolate/filter
	echo 1 >$T/events/wb/lru_isolate/enable
	h0=$(awk '$1 == "lru_isolate" { print $2 }' $T/kprobe_profile)
	echo 1 >$T/tracing_on
	end=$(( $(date +%s) + DUR ))
	( echo $$ >$CG/w/cgroup.procs
	  while [ $(date +%s) -lt $end ]; do
		for d in 0 1 2 3 4 5 6 7 8 9; do touch -c /mnt/s/d$d/f* ; done
	  done ) &
	c1=$!
	( echo $$ >$CG/w/cgroup.procs
	  while [ $(date +%s) -lt $end ]; do
		for d in 9 8 7 6 5 4 3 2 1 0; do chmod 600 /mnt/s/d$d/f*; chmod 644 /mnt/s/d$d/f*; done
	  done ) &
	c2=$!
	( while [ $(date +%s) -lt $end ]; do sync; done ) &
	s=$!
	( n=0; while [ $(date +%s) -lt $end ]; do echo 2 >/proc/sys/vm/drop_caches; n=$((n+1)); sleep 1; done; echo $n >$R/$mode-drops.txt ) &
	dr=$!
	( n=0; while [ $(date +%s) -lt $end ]; do echo 2M >$CG/w/memory.reclaim 2>/dev/null; n=$((n+1)); done; echo $n >$R/$mode-reclaims.txt ) &
	r=$!
	wait $c1 $c2 $s $r $dr
	echo 0 >$T/tracing_on
	echo 0 >$T/events/shrinker/shrinker_instance_scan/enable
	echo 0 >$T/events/shrinker/shrinker_defer_drain/enable
	echo 0 >$T/events/shrinker/shrinker_instance_scan/filter
	echo 0 >$T/events/shrinker/shrinker_defer_drain/filter
	cp $T/trace $R/$mode-inflight-trace.txt
	echo 0 >$T/events/wb/lru_isolate/enable
	h1=$(awk '$1 == "lru_isolate" { print $2 }' $T/kprobe_profile)
	met=$((h1 - h0))
	isync=$(grep -c 'lru_isolate:' $R/$mode-inflight-trace.txt)
	# I_SYNC and no page cache (head 0, or a value entry: bit 1)
	bare=$(grep 'lru_isolate:' $R/$mode-inflight-trace.txt | grep -c 'head=0x0$')
	unused=$(grep 'lru_isolate:' $R/$mode-inflight-trace.txt | grep -c 'count=0 ')
	inf=$(grep -c 'inflight=[1-9]' $R/$mode-inflight-trace.txt)
	echo >$T/trace
	echo "memcg == $m" >$T/events/shrinker/shrinker_instance_scan/filter
	echo 1 >$T/events/shrinker/shrinker_instance_scan/enable
	echo 1 >$T/tracing_on
	i=0; while [ $i -lt 20 ]; do echo 2M >$CG/w/memory.reclaim 2>/dev/null; i=$((i+1)); done
	echo 0 >$T/tracing_on
	echo 0 >$T/events/shrinker/shrinker_instance_scan/enable
	echo 0 >$T/events/shrinker/shrinker_instance_scan/filter
	all=$(grep -c super_cache_scan $T/trace)
	grep -E "^(slab_reclaimable|pgscan|pgsteal) " $CG/w/memory.stat >$R/$mode-memstat.txt
	echo "$mode: $inf traced passes with inflight > 0 in ${DUR}s; the walk met $met inodes, $isync with I_SYNC ($unused of them unused, $bare with no page cache); $(cat $R/$mode-drops.txt) drop_caches; $all superblock passes in 20 follow-up reclaims; $(cat $R/$mode-reclaims.txt) reclaims" | tee -a $R/summary.txt
	cat $CG/w/memory.events >>$R/$mode-memstat.txt
	umount /mnt/s
	sleep 2; rmdir $CG/w || true
done
