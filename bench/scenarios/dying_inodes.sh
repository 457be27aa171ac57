#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Dying memcgs held by inodes alone: N memcgs each read back and touch
# (dirty the metadata of) 4 existing files, then are removed.  The files'
# blocks are cached beforehand, outside the memcgs, so no page cache is
# charged to them: whatever keeps them dying is inode, slab or shrinker
# state.  nr_dying_descendants over time, then after dropping only the
# page cache, then after dropping slab.
. /wb/bench/lib.sh

N=${N:-$(bench_n 100 500 2000)}
dir=$(bench_scratch dying_inodes)
m=$(bench_memcg dying_inodes max)
echo "+memory" >"$m/cgroup.subtree_control"
dying() { awk '$1 == "nr_dying_descendants" { print $2 }' "$m/cgroup.stat"; }

i=0
while [ $i -lt "$N" ]; do
	mkdir -p "$dir/d$i"
	for f in 0 1 2 3; do : >"$dir/d$i/f$f"; done
	i=$((i + 1))
done
sync
# the inodes leave memory, their blocks stay cached and charged to the root
echo 2 >/proc/sys/vm/drop_caches
bench_sampler "$m"
i=0
while [ $i -lt "$N" ]; do
	mkdir "$m/c$i"
	in_memcg "$m/c$i" sh -c 'for f in 0 1 2 3; do touch "$0/f$f"; done' "$dir/d$i"
	rmdir "$m/c$i"
	i=$((i + 1))
done
bench_metric dying_at_end "$(dying)" cgroups
sleep 5
bench_metric dying_after_5s "$(dying)" cgroups
bench_metric memcg_file_kib $(($(memcg_stat "$m" file) / 1024)) KiB
sleep 25
bench_metric dying_after_30s "$(dying)" cgroups
echo 1 >/proc/sys/vm/drop_caches
sleep 2
bench_metric dying_after_pagecache_drop "$(dying)" cgroups
echo 2 >/proc/sys/vm/drop_caches
sleep 2
bench_metric dying_after_slab_drop "$(dying)" cgroups
bench_stop_sampler
bench_metric cgroups_cycled "$N" cgroups
