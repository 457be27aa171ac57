#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
TR=/sys/kernel/debug/tracing
CG=/sys/fs/cgroup
echo +memory >$CG/cgroup.subtree_control
r=0
while [ $r -lt ${ROUNDS:-4} ]; do
	r=$((r + 1))
	dd if=/dev/zero of=/dev/vdb bs=1M count=2 2>/dev/null
	mkfs.xfs -q -f /dev/vdb >/dev/null || exit 1
	mkdir -p /mnt/x && mount /dev/vdb /mnt/x || exit 1
	T=$CG/xfs$r
	mkdir $T; echo 16M >$T/memory.max; echo 0 >$T/memory.swap.max
	echo >$TR/trace
	echo 1 >$TR/events/shrinker/shrinker_oom_decision/enable
	(
	while :; do
		l=$(grep -h "memcg=$(stat -c %i $T)" /sys/kernel/debug/shrinker/sb-xfs*/instances 2>/dev/null | head -1)
		s=$(cat $T/memory.current)
		echo "[$r] $(cut -d' ' -f1 /proc/uptime) cur=$s $l"
		sleep 1
	done ) &
	S=$!
	sh -c "echo \$\$ >$T/cgroup.procs; i=0; mkdir /mnt/x/d; while [ \$i -lt 60000 ]; do : >/mnt/x/d/f\$i; i=\$((i + 1)); done"
	kill $S
	echo 0 >$TR/events/shrinker/shrinker_oom_decision/enable
	echo "[$r] made $(ls /mnt/x/d | wc -l) kills $(awk '$1 == "oom_kill" {print $2}' $T/memory.events)"
	grep -c shrinker_oom_decision $TR/trace
	grep shrinker_oom_decision $TR/trace | tail -5
	grep -m3 "decision=oom\|decision=kill\|decision=0\|decision=no" $TR/trace
	umount /mnt/x
	rmdir $T
done
echo xfs plan done
