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
echo 1 >$T/events/jbd2/enable
echo >$T/trace
echo 2 >/proc/sys/vm/drop_caches
echo "s1 drop_caches 2: dying $(dying $CG/pt); $(./memcg_pins $CG/pt)"
grep -v '^#' $T/trace | sed 's/^ *//' | cut -c1-200 | sed 's/^/s1 trace: /' | head -20
echo >$T/trace
echo "$(cat $CG/pt/memory.current)" >$CG/pt/memory.reclaim; echo "s2 memory.reclaim rc $?"
echo "s2 after memory.reclaim of pt: dying $(dying $CG/pt); $(./memcg_pins $CG/pt)"
grep -v '^#' $T/trace | sed 's/^ *//' | cut -c1-200 | sed 's/^/s2 trace: /' | head -20
echo >$T/trace
./ext4_checkpoint /; echo "s3 checkpoint rc $?"
echo 1 >/proc/sys/vm/drop_caches
sleep 2
echo "s3 checkpoint, drop_caches 1: dying $(dying $CG/pt); $(./memcg_pins $CG/pt)"
grep -v '^#' $T/trace | sed 's/^ *//' | cut -c1-200 | sed 's/^/s3 trace: /' | head -10
rm -f /root/pins.dat
echo "count plan done"
