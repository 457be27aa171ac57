#!/bin/sh
cd /kselftest/shrinker || exit 1
DIR=/kselftest/shrinker
. ./shrinker_lib.sh
CG=/sys/fs/cgroup
echo "fsfreeze: $(command -v fsfreeze)"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/pt
echo +memory >$CG/pt/cgroup.subtree_control
mkdir -p $CG/pt/x
in_memcg $CG/pt/x sh -c "dd if=/dev/zero of=/root/pins.dat bs=1M count=8 2>/dev/null"
rmdir $CG/pt/x
sync
echo 3 >/proc/sys/vm/drop_caches
sleep 3
echo "synced, dropped: dying $(dying $CG/pt)"
./memcg_pins $CG/pt
fsfreeze --freeze / && fsfreeze --unfreeze /; echo "freeze rc $?"
echo 3 >/proc/sys/vm/drop_caches
sleep 3
echo "frozen, thawed, dropped: dying $(dying $CG/pt)"
./memcg_pins $CG/pt
echo "pins plan done"
