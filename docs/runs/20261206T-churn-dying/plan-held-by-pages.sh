#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
DIR=/kselftest/shrinker
. ./shrinker_lib.sh
CG=/sys/fs/cgroup
echo "tmp fs: $(stat -f -c %T /tmp) root fs: $(stat -f -c %T /root)"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/pt
echo +memory >$CG/pt/cgroup.subtree_control
./memcg_pins $CG/pt
mkdir -p $CG/pt/x
in_memcg $CG/pt/x sh -c "dd if=/dev/zero of=/root/pins.dat bs=1M count=8 2>/dev/null"
rmdir $CG/pt/x
./memcg_pins $CG/pt
sync
echo 3 >/proc/sys/vm/drop_caches
sleep 5
echo "synced, dropped: dying $(dying $CG/pt)"
./memcg_pins $CG/pt
rm /root/pins.dat
sync
echo 1 >/proc/sys/vm/compact_memory
echo 3 >/proc/sys/vm/drop_caches
sleep 5
echo "file removed, synced, compacted, dropped: dying $(dying $CG/pt)"
./memcg_pins $CG/pt
i=0
while [ "$(dying $CG/pt)" != 0 ] && [ $i -lt 120 ]; do
	sleep 5; i=$((i + 5))
	echo 3 >/proc/sys/vm/drop_caches
done
echo "dying $(dying $CG/pt) after ${i}s more"
./memcg_pins $CG/pt
echo "pins plan done"
