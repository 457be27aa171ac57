#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Scale: many memcgs, each with a tmpfs mount and a file (Qi Zheng's and
# Kirill Tkhai's benchmark).  drop_caches time, one memory.reclaim on the
# parent, stress-ng --ramfs (shrinker register/unregister) ops, an OOM
# storm beside them, and what unmounting costs.
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
N=${N:-$(bench_n 500 4000 8000)}
m=$(bench_memcg scale max)
echo "+memory" >"$m/cgroup.subtree_control"
mkdir -p /run/scale
# Kernel memory a memcg costs: slab and percpu, before and after.
kmem() {
	awk '$1 == "Slab:" || $1 == "Percpu:" { s += $2 } END { print s * 1024 }' /proc/meminfo
}
k0=$(kmem)
n0=$(bench_instances)
i=0
while [ $i -lt "$N" ]; do
	mkdir "$m/c$i" /run/scale/m$i
	sh -c 'echo $$ >"$0/cgroup.procs"; mount -t tmpfs none $1 && echo x >$1/f' \
		"$m/c$i" /run/scale/m$i
	i=$((i + 1))
done
k1=$(kmem)
bench_metric kmem_per_memcg $(((k1 - k0) / N)) bytes
[ -n "$n0" ] && bench_metric shrinker_instances_per_memcg \
	"$(awk -v a="$n0" -v b="$(bench_instances)" -v n="$N" 'BEGIN { printf "%.2f", (b - a) / n }')" instances
bench_sampler "$m"
t0=$(now)
echo 3 >/proc/sys/vm/drop_caches
t1=$(now)
bench_metric drop_caches_s "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" s
t0=$(now)
echo 16M >"$m/memory.reclaim" 2>/dev/null
t1=$(now)
bench_metric memory_reclaim_s "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" s
stress-ng --ramfs 9 --timeout "$((DURATION / 2 > 10 ? DURATION / 2 : 10))s" \
	--metrics-brief --yaml "$OUT/stress-ng.yaml" >"$OUT/stress-ng.log" 2>&1
ops=$(stress_ng_ops "$OUT/stress-ng.yaml" ramfs)
bench_metric stress_ng_ramfs_ops "${ops:-0}" ops
bench_stop_sampler
# The OOM check in a storm (review I-5): with every memcg above alive,
# STORM leaf memcgs meet their limits at once.  Each victim's time runs
# from its own first memcg reclaim to its mark_victim; a run gives their
# median and the slowest.  Each OOM's domain is its own leaf: this shows
# what the others cost a leaf's OOM, not an OOM whose domain holds them.
# The OOM reports go to the log only, on both kernels: printed to the
# serial console under oom_lock at TCG speed they would serialise the
# kills on the console.  The hogs wait frozen until all have started.
STORM=${STORM:-8}
lvl=$(cut -f1 /proc/sys/kernel/printk)
dmesg -n 1
j=0
while [ $j -lt "$STORM" ]; do
	mkdir "$m/storm$j" && echo 16M >"$m/storm$j/memory.max" &&
		echo 1 >"$m/storm$j/cgroup.freeze"
	j=$((j + 1))
done
bench_trace_on vmscan/mm_vmscan_memcg_reclaim_begin \
	vmscan/mm_vmscan_memcg_reclaim_end oom/mark_victim
pids=
j=0
while [ $j -lt "$STORM" ]; do
	in_memcg "$m/storm$j" stress-ng --vm 1 --vm-bytes 64M --vm-keep --vm-hang 0 \
		--timeout 120s --oomable >>"$OUT/stress-ng-storm.log" 2>&1 &
	pids="$pids $!"
	j=$((j + 1))
done
# every hog's shell has joined its memcg (and is frozen there), then all thaw
t0=$(now)
j=0
while [ $j -lt "$STORM" ] &&
	[ "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print (b - a < 30) }')" = 1 ]; do
	if [ -n "$(cat "$m/storm$j/cgroup.procs")" ]; then j=$((j + 1)); else sleep 0.1; fi
done
j=0
while [ $j -lt "$STORM" ]; do
	echo 0 >"$m/storm$j/cgroup.freeze"
	j=$((j + 1))
done
t0=$(now)
killed=0
while [ "$killed" -lt "$STORM" ] &&
	[ "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print (b - a < 120) }')" = 1 ]; do
	sleep 0.2
	killed=0
	j=0
	while [ $j -lt "$STORM" ]; do
		[ "$(memcg_event "$m/storm$j" oom_kill)" -gt 0 ] && killed=$((killed + 1))
		j=$((j + 1))
	done
done
kill $pids 2>/dev/null
wait $pids 2>/dev/null
pkill -f stress-ng 2>/dev/null
bench_trace_off storm
dmesg -n "$lvl"
storm_latency "$OUT/trace-storm.txt" >"$OUT/storm-latency.txt"
bench_metric storm_memcgs "$STORM" memcgs
bench_metric storm_memcgs_killed "$killed" memcgs
bench_metric storm_victims_traced "$(wc -l <"$OUT/storm-latency.txt")" victims
# a storm: every victim's reclaim began before the first kill
bench_metric storm_overlapped "$(storm_overlap "$OUT/trace-storm.txt")" victims
set -- $(awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)], v[NR] }' \
	"$OUT/storm-latency.txt")
[ $# -eq 2 ] && bench_metric storm_kill_ms_median "$1" ms &&
	bench_metric storm_kill_ms_max "$2" ms
# the storm's tasks gone before the next timing starts
t0=$(now)
j=0
while [ $j -lt "$STORM" ]; do
	if [ -n "$(cat "$m/storm$j/cgroup.procs")" ] &&
		[ "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print (b - a < 30) }')" = 1 ]; then
		sleep 0.1
		continue
	fi
	rmdir "$m/storm$j" || echo "scale: storm$j is left" >&2
	j=$((j + 1))
done
# What unmounting costs (review I-2: a superblock's shrinker frees its
# instances at once): N tmpfs mounts with one memcg each, then one ext4
# with a file from every memcg.  tmpfs pins its dentries off the LRU, so
# it is the ext4 mount whose shrinker has an instance in every memcg.
t0=$(now_ns)
i=0
while [ $i -lt "$N" ]; do
	umount /run/scale/m$i
	i=$((i + 1))
done
t1=$(now_ns)
[ -n "$t0" ] && [ -n "$t1" ] &&
	bench_metric umount_each_us $(((t1 - t0) / N / 1000)) us
if shared=$(bench_ext4_disk scale); then
	i=0
	while [ $i -lt "$N" ]; do
		sh -c 'echo $$ >"$0/cgroup.procs" && echo x >"$1/f$2"' \
			"$m/c$i" "$shared" $i
		i=$((i + 1))
	done
	files=$(find "$shared" -name 'f*' -type f | wc -l)
	# Neither writeback nor the journal is what is measured: a freeze
	# writes both back and checkpoints the journal.
	sync
	fsfreeze --freeze "$shared" && fsfreeze --unfreeze "$shared"
	# what the timing itself costs: two clock reads and a spawn
	t0=$(now_ns)
	/bin/true
	t1=$(now_ns)
	[ -n "$t0" ] && [ -n "$t1" ] &&
		bench_metric timing_overhead_us $(((t1 - t0) / 1000)) us
	n1=$(bench_instances)
	t0=$(now_ns)
	umount "$shared" && t1=$(now_ns) || t1=
	n2=$(bench_instances)
	[ -n "$t0" ] && [ -n "$t1" ] && [ "$files" = "$N" ] &&
		bench_metric umount_shared_us $(((t1 - t0) / 1000)) us
	bench_metric shared_files "$files" files
	[ -n "$n1" ] && [ -n "$n2" ] &&
		bench_metric umount_shared_instances_freed $((n1 - n2)) instances
fi
bench_metric memcgs "$N" memcgs
