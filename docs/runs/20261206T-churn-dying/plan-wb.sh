#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
DIR=/kselftest/shrinker
. ./shrinker_lib.sh
CG=/sys/fs/cgroup
echo +memory >$CG/cgroup.subtree_control
for v in synced dirty; do
	mkdir -p $CG/pt
	echo +memory >$CG/pt/cgroup.subtree_control
	mkdir -p $CG/pt/x
	in_memcg $CG/pt/x sh -c "dd if=/dev/zero of=/root/pins.$v bs=1M count=8 2>/dev/null"
	rmdir $CG/pt/x
	[ $v = synced ] && sync
	echo 3 >/proc/sys/vm/drop_caches
	i=0
	while [ "$(dying $CG/pt)" != 0 ] && [ $i -lt 40 ]; do
		sleep 1; i=$((i + 1))
	done
	echo "$v: dying $(dying $CG/pt) after ${i}s"
	dying_pins $CG/pt
	i=0
	while [ "$(dying $CG/pt)" != 0 ] && [ $i -lt 60 ]; do
		sleep 1; i=$((i + 1))
	done
	echo "$v: dying $(dying $CG/pt) after ${i}s more"
	rmdir $CG/pt
done
echo "pins plan done"
