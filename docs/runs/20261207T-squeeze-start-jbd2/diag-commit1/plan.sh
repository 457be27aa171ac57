#!/bin/sh
COMMIT=1
# squeeze's squeezed phase alone, with the running transaction traced
T=/sys/kernel/tracing
mkdir -p /scratch/sq
mkfs.ext4 -q -i 4096 /dev/vdb && mount -o commit=${COMMIT:-5} /dev/vdb /scratch/sq || exit 1
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
m=/sys/fs/cgroup/sqd
mkdir -p $m
echo 16M >$m/memory.max
echo 0 >$m/memory.swap.max 2>/dev/null
echo 16384 >$T/buffer_size_kb
for e in jbd2/jbd2_start_commit jbd2/jbd2_end_commit jbd2/jbd2_run_stats jbd2/jbd2_shrink_scan_exit jbd2/jbd2_checkpoint_stats jbd2/jbd2_shrink_checkpoint_list; do
	echo 1 >$T/events/$e/enable
done
echo 1 >$T/events/oom/mark_victim/enable
echo 1 >$T/events/vmscan/mm_vmscan_memcg_reclaim_begin/enable
mkdir -p /scratch/sq/d
sync; echo 3 >/proc/sys/vm/drop_caches
( while sleep 0.5; do
	echo "$(cut -d' ' -f1 /proc/uptime) $(ls /scratch/sq/d | wc -l) $(awk '$1=="file"||$1=="file_dirty"||$1=="file_writeback"||$1=="slab_reclaimable"||$1=="active_file"||$1=="inactive_file" {printf "%s=%s ", $1, $2}' $m/memory.stat)"
  done >/results/samples.txt ) &
sp=$!
t0=$(cut -d' ' -f1 /proc/uptime)
sh -c 'echo $$ >'$m'/cgroup.procs && i=0; while [ $i -lt 100000 ]; do : >/scratch/sq/d/f$i; i=$((i + 1)); done'
t1=$(cut -d' ' -f1 /proc/uptime)
kill $sp
echo "t0=$t0 t1=$t1 made=$(ls /scratch/sq/d | wc -l)" >/results/made.txt
cat $m/memory.events >>/results/made.txt
cat $m/memory.stat >/results/memory.stat
for f in /sys/kernel/debug/shrinker/*/instances; do echo "== $f"; cat $f; done >/results/instances.txt 2>&1
cat /proc/fs/jbd2/*/info >/results/jbd2-info.txt 2>&1
echo 16M >$m/memory.reclaim 2>/results/reclaim-after.err
cat $m/memory.stat >/results/memory.stat.after-reclaim
echo 0 >$T/tracing_on
cat $T/trace >/results/trace.txt
