#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Dying memcgs: create, fill with dentries and inodes on ext4, and remove
# N cgroups.  nr_dying_descendants over time, what is left once page
# cache is dropped, slab, and what a later memory.reclaim on the parent
# frees.
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
N=${N:-$(bench_n 300 2000 4000)}
dir=$(bench_ext4_disk dying) || exit 1
m=$(bench_memcg dying max)
echo "+memory" >"$m/cgroup.subtree_control"
bench_sampler "$m"
i=0
while [ $i -lt "$N" ]; do
	c=$m/c$i
	mkdir "$c"
	sh -c 'echo $$ >"$0/cgroup.procs"; d=$1/d$2; mkdir -p $d;
		for f in 0 1 2 3 4 5 6 7; do : >$d/f$f; done;
		for f in 0 1 2 3 4 5 6 7; do [ -e $d/neg$f ]; done' "$c" "$dir" "$i"
	rmdir "$c"
	i=$((i + 1))
done
t_end=$(now)
dying() { awk '$1 == "nr_dying_descendants" { print $2 }' "$m/cgroup.stat"; }
bench_metric dying_at_end "$(dying)" cgroups
sleep 5
bench_metric dying_after_5s "$(dying)" cgroups
# What page cache pins goes with it: drop only the page cache (clean
# pages, block device buffers included) and count what is left, held by
# something else (inodes, slab, shrinker state).  The journal still holds
# the metadata buffers of recent transactions, which no drop can take:
# freezing the filesystem checkpoints it and lets them go.
sync
echo 1 >/proc/sys/vm/drop_caches
sleep 2
bench_metric dying_after_drop_unfrozen "$(dying)" cgroups
if fsfreeze --freeze "$dir" && fsfreeze --unfreeze "$dir"; then
	echo 1 >/proc/sys/vm/drop_caches
	sleep 2
	bench_metric dying_not_pagecache "$(dying)" cgroups
else
	echo "dying_memcgs: cannot freeze $dir; dying_not_pagecache not measured" >&2
fi
sleep $((DURATION > 16 ? DURATION - 11 : 5))
bench_metric dying_after_run "$(dying)" cgroups
slab0=$(memcg_stat "$m" slab)
cur0=$(cat "$m/memory.current")
echo 64M >"$m/memory.reclaim" 2>/dev/null
bench_metric memory_reclaim_rc $? rc
sleep 2
bench_metric slab_before_reclaim_kib $((slab0 / 1024)) KiB
bench_metric reclaim_freed_kib $(((cur0 - $(cat "$m/memory.current")) / 1024)) KiB
bench_metric dying_after_reclaim "$(dying)" cgroups
bench_stop_sampler
bench_metric cgroups_cycled "$N" cgroups
