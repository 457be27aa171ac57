#!/bin/sh
cd /kselftest/shrinker || exit 1
DIR=/kselftest/shrinker
. ./shrinker_lib.sh
CG=/sys/fs/cgroup
T=/sys/kernel/tracing
mount -t tracefs none $T 2>/dev/null
echo "kernel: $(uname -r)"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/pt
echo +memory >$CG/pt/cgroup.subtree_control
mkdir -p $CG/pt/x
in_memcg $CG/pt/x sh -c "dd if=/dev/zero of=/root/pins.dat bs=1M count=8 2>/dev/null"
rmdir $CG/pt/x
sync
echo 3 >/proc/sys/vm/drop_caches
sleep 2
echo "s0 synced, drop_caches 3: dying $(dying $CG/pt); $(./memcg_pins $CG/pt)"
for e in jbd2_shrink_scan_enter jbd2_shrink_scan_exit jbd2_shrink_checkpoint_list jbd2_checkpoint jbd2_checkpoint_stats; do
	echo 1 >$T/events/jbd2/$e/enable 2>/dev/null
done
echo >$T/trace
echo 2 >/proc/sys/vm/drop_caches
echo 1 >/proc/sys/vm/drop_caches
sleep 2
echo "s1 drop_caches 2 then 1: dying $(dying $CG/pt); $(./memcg_pins $CG/pt)"
echo "s1 jbd2 events: $(grep -v '^#' $T/trace | awk '{ print $5 }' | sort | uniq -c | tr '\n' ' ')"
grep -v '^#' $T/trace | head -5
echo >$T/trace
./ckpt /; echo "checkpoint rc $?"
echo 1 >/proc/sys/vm/drop_caches
sleep 2
echo "s2 EXT4_IOC_CHECKPOINT, drop_caches 1: dying $(dying $CG/pt); $(./memcg_pins $CG/pt)"
echo "s2 jbd2 events: $(grep -v '^#' $T/trace | awk '{ print $5 }' | sort | uniq -c | tr '\n' ' ')"
echo 2 >/proc/sys/vm/drop_caches
echo 1 >/proc/sys/vm/drop_caches
sleep 2
echo "s3 drop_caches 2 then 1: dying $(dying $CG/pt); $(./memcg_pins $CG/pt)"
fsfreeze --freeze / && fsfreeze --unfreeze /
echo 1 >/proc/sys/vm/drop_caches
sleep 2
echo "s4 freeze, drop_caches 1: dying $(dying $CG/pt); $(./memcg_pins $CG/pt)"
rm -f /root/pins.dat
echo "hold plan done"
