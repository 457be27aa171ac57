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
# what the others cost a leaf's OOM, not an OOM whose domain holds them
# (oom_storm times that).  The hogs stop at 12 MiB of their 16, and the
# limits come down to what each holds and 64 KiB, so that all meet them
# within a leaf OOM's time.
STORM=${STORM:-8}
bench_storm "$m" "$STORM" 16M 64 12
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
