#!/bin/sh
# test_instances twice, drop_caches 3 between: what holds round 2's memcgs
cd /kselftest || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
R=/sys/fs/cgroup
S=/sys/kernel/debug/shrinker
rootdying() { awk '$1 == "nr_dying_descendants" { print $2 }' $R/cgroup.stat; }
itotal() { awk '$1 == "instances" { print $2 }' $S/stats; }
echo "kernel: $(uname -r)"
i=0
while [ $i -lt 2 ]; do
	i=$((i + 1))
	echo "[$i] start: dying $(rootdying), instances $(itotal)"
	./run_kselftest.sh -o 900 -t shrinker:test_instances.sh 2>&1 | grep -E "^# not ok|^# # |^not ok|^ok|ok 21 |the check as it was|^# pages charged|^# +[a-z]+ [0-9]|memcgs dying before|^# # " | sed "s/^/[$i] /"
	echo "[$i] end: dying $(rootdying), instances $(itotal)"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
	echo "[$i] synced, drop_caches 3: dying $(rootdying), instances $(itotal)"
done
sleep 20
echo "20s more: dying $(rootdying), instances $(itotal)"
echo 3 >/proc/sys/vm/drop_caches
echo "drop_caches 3: dying $(rootdying), instances $(itotal)"
./shrinker/ext4_checkpoint /; echo "checkpoint rc $?"
echo 1 >/proc/sys/vm/drop_caches
sleep 2
echo "root checkpointed, drop_caches 1: dying $(rootdying), instances $(itotal)"
echo "inst21 done"
