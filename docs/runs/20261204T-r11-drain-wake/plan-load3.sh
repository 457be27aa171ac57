#!/bin/sh
TR=/sys/kernel/tracing
CG=/sys/fs/cgroup
echo +memory >$CG/cgroup.subtree_control
dd if=/dev/zero of=/wake.fill bs=1M count=128 oflag=direct 2>/dev/null
mkdir -p $CG/wc /wake.d
echo 64M >$CG/wc/memory.max
sh -c "echo \$\$ >$CG/wc/cgroup.procs; cd /wake.d && seq 1 8000 | xargs touch"
grep -E "^(slab_reclaimable|file) " $CG/wc/memory.stat > /results/stat0.txt
echo >$TR/trace
echo 1 >$TR/events/shrinker/shrinker_defer_enqueue/enable
echo 1 >$TR/events/workqueue/workqueue_queue_work/enable
echo 1 >$TR/tracing_on
start=$(cut -d' ' -f1 /proc/uptime)
sh -c "echo \$\$ >$CG/wc/cgroup.procs; cat /wake.fill >/dev/null; cat /wake.fill >/dev/null"
end=$(cut -d' ' -f1 /proc/uptime)
echo 0 >$TR/tracing_on
echo "$start $end" >/results/times.txt
cat $TR/trace >/results/trace-c.txt
cat $CG/wc/memory.events >/results/events-c.txt
grep -E "^(slab_reclaimable|file) " $CG/wc/memory.stat > /results/stat1.txt
