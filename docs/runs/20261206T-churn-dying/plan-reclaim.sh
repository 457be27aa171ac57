#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
DIR=/kselftest/shrinker
. ./shrinker_lib.sh
CG=/sys/fs/cgroup
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/pt
echo +memory >$CG/pt/cgroup.subtree_control
mkdir -p $CG/pt/x
in_memcg $CG/pt/x sh -c "dd if=/dev/zero of=/root/pins.dat bs=1M count=8 2>/dev/null"
rmdir $CG/pt/x
sync
echo 3 >/proc/sys/vm/drop_caches
sleep 5
echo "synced, dropped: dying $(dying $CG/pt)"
./memcg_pins $CG/pt
echo "pt current $(cat $CG/pt/memory.current)"
echo "$(cat $CG/pt/memory.current)" >$CG/pt/memory.reclaim; echo "reclaim rc $?"
sleep 3
echo "after memory.reclaim of pt: dying $(dying $CG/pt)"
./memcg_pins $CG/pt
echo "pt current $(cat $CG/pt/memory.current)"
echo "pins plan done"
