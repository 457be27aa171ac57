#!/bin/sh
cd /kselftest/shrinker || exit 1
mount -t debugfs none /sys/kernel/debug 2>/dev/null
uname -v
TR=/sys/kernel/debug/tracing
CG=/sys/fs/cgroup
echo +memory >$CG/cgroup.subtree_control
echo 8192 >$TR/buffer_size_kb
r=0
while [ $r -lt ${ROUNDS:-10} ]; do
	r=$((r + 1))
	dd if=/dev/zero of=/dev/vdb bs=1M count=2 2>/dev/null
	mkfs.xfs -q -f /dev/vdb >/dev/null || exit 1
	mkdir -p /mnt/x && mount /dev/vdb /mnt/x || exit 1
	T=$CG/xfs$r
	mkdir $T; echo 16M >$T/memory.max; echo 0 >$T/memory.swap.max
	echo >$TR/trace
	echo 1 >$TR/events/shrinker/shrinker_oom_decision/enable
	sh -c "echo \$\$ >$T/cgroup.procs; i=0; mkdir /mnt/x/d; while [ \$i -lt 60000 ]; do : >/mnt/x/d/f\$i; i=\$((i + 1)); done"
	echo 0 >$TR/events/shrinker/shrinker_oom_decision/enable
	made=$(ls /mnt/x/d | wc -l)
	kills=$(awk '$1 == "oom_kill" {print $2}' $T/memory.events)
	grep shrinker_oom_decision $TR/trace | sed 's/.*deferred=\([0-9]*\) bytes=\([0-9]*\) decision=\([a-z]*\).*/\1 \2 \3/' >/tmp/dec
	echo "round $r made $made kills $kills decisions $(wc -l </tmp/dec) throttles $(grep -c throttle /tmp/dec) min_bytes $(sort -k2 -n /tmp/dec | head -1 | cut -d' ' -f2) per_obj_min $(awk '$1 > 0 { v = int($2 / $1); if (!n || v < m) m = v; n++ } END { print m + 0 }' /tmp/dec)"
	grep -v throttle /tmp/dec | head -3 | sed "s/^/round $r not held: /"
	umount /mnt/x
	rmdir $T
done
echo xfs rounds done
r=0
while [ $r -lt ${ROUNDS:-10} ]; do
	r=$((r + 1))
	dd if=/dev/zero of=/dev/vdb bs=1M count=2 2>/dev/null
	mkfs.xfs -q -f /dev/vdb >/dev/null || exit 1
	mkdir -p /mnt/x && mount /dev/vdb /mnt/x || exit 1
	for c in a b; do
		mkdir $CG/x$c$r; echo 16M >$CG/x$c$r/memory.max; echo 0 >$CG/x$c$r/memory.swap.max
	done
	echo >$TR/trace
	echo 1 >$TR/events/cgroup/cgroup_rstat_locked/enable
	echo 1 >$TR/events/cgroup/cgroup_rstat_lock_contended/enable
	t0=$(cut -d' ' -f1 /proc/uptime)
	for c in a b; do
		sh -c "echo \$\$ >$CG/x$c$r/cgroup.procs; i=0; mkdir /mnt/x/$c; while [ \$i -lt 40000 ]; do : >/mnt/x/$c/f\$i; i=\$((i + 1)); done" &
	done
	wait
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo 0 >$TR/events/cgroup/cgroup_rstat_locked/enable
	echo 0 >$TR/events/cgroup/cgroup_rstat_lock_contended/enable
	locked=$(grep -c "cgroup_rstat_locked:" $TR/trace)
	cont=$(grep -c "cgroup_rstat_lock_contended:" $TR/trace)
	ka=$(awk '$1 == "oom_kill" {print $2}' $CG/xa$r/memory.events)
	kb=$(awk '$1 == "oom_kill" {print $2}' $CG/xb$r/memory.events)
	echo "round $r made $(ls /mnt/x/a | wc -l) $(ls /mnt/x/b | wc -l) kills $ka $kb seconds $(echo "$t0 $t1" | awk '{print $2 - $1}') rstat_locked $locked contended $cont"
	umount /mnt/x
	rmdir $CG/xa$r $CG/xb$r
done
echo cost rounds done
./test_providers.sh 2>&1 | sed "s/^/[prov] /" | grep "ok [46] "
echo "plan done"
