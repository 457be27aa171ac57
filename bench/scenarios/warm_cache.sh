#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A warm cache with no memory pressure (review II-3): a file tree whose
# dentries and inodes take about 1/8 of the guest's memory, twice the
# size above which the patched kernel trims an idle cache, is stat-walked
# over and over from one memcg with no limit.  Nothing asks for memory:
# base keeps every dentry, and a walk finds each one cached.  A dentry
# the background trim took between two walks is a miss the next walk
# pays for in ext4_lookup(), counted by a kprobe on both kernels.
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
# the patched kernel trims only after a working-set period (20 s) and a
# sweep (10 s): walk for several of both
RUN=${WARM_DURATION:-$((DURATION * 4))}
T=/sys/kernel/tracing
# an inode per 4 KiB: the default ratio runs out at 64K files a GiB
dir=$(bench_ext4_disk warm_cache -i 4096) || exit 1
m=$(bench_memcg warm_cache max)
mem_kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
# a dentry (192 bytes) and an ext4 inode (about 1.1 KB) a file
dirs=$(((mem_kb * 1024 / 8 / 1300 + 999) / 1000))
dentries() { awk '{ print $1 }' /proc/sys/fs/dentry-state; }
# kprobe_profile names an event without its group
lookups() { awk '$1 == "lookup" { print $2 }' $T/kprobe_profile; }

t0=$(now)
in_memcg "$m" sh -c '
	i=0
	while [ $i -lt "$1" ]; do
		mkdir "$0/d$i" && cd "$0/d$i" && seq 1000 | xargs touch || exit 1
		i=$((i + 1))
	done' "$dir" "$dirs"
t1=$(now)
files=$(find "$dir" -type f | wc -l)
# a short tree is a load that did not run: files_made 0, NOT MEASURED
if [ "$files" -lt $((dirs * 1000)) ]; then
	echo "warm_cache: made $files of $((dirs * 1000)) files" >&2
	bench_metric files_made 0 files
	exit 1
fi
bench_metric files_made "$files" files
bench_metric create_s "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" s

# A kprobe is armed once and never optimised: optimising it rewrites the
# int3 under a running vCPU, which multi-threaded TCG mishandles
# (docs/workbench.md).  Its hit count runs with tracing off.
echo 0 >/proc/sys/debug/kprobes-optimization 2>/dev/null
echo 0 >$T/tracing_on
if ! { echo "p:warm/lookup ext4_lookup" >>$T/kprobe_events &&
       echo 1 >$T/events/warm/lookup/enable; } 2>/dev/null; then
	echo "warm_cache: no kprobe on ext4_lookup" >&2
	exit 1
fi

# the first walk after creation finds the tree cached: the warm-up
in_memcg "$m" du -s "$dir" >/dev/null
bench_sampler "$m"
steal0=$(vmstat_of pginodesteal)
ksteal0=$(vmstat_of kswapd_inodesteal)
scan0=$(vmstat_of slabs_scanned)
l0=$(lookups)
d0=$(dentries)
walks=0
walk_ms=0
worst=0
start=$(now)
while within "$start" "$RUN"; do
	a=$(lookups)
	s=$(now_ns)
	in_memcg "$m" du -s "$dir" >/dev/null
	e=$(now_ns)
	b=$(lookups)
	walks=$((walks + 1))
	walk_ms=$((walk_ms + (e - s) / 1000000))
	[ $((b - a)) -gt "$worst" ] && worst=$((b - a))
	echo "$walks $(((e - s) / 1000000)) $((b - a)) $(dentries)" >>"$OUT/warm_cache.txt"
done
misses=$(($(lookups) - l0))
scanned=$(($(vmstat_of slabs_scanned) - scan0))
bench_stop_sampler
# the control: with the dcache dropped a walk must miss every file, or
# the probe counts nothing and no miss above was seen
sync
echo 2 >/proc/sys/vm/drop_caches
a=$(lookups)
in_memcg "$m" du -s "$dir" >/dev/null
bench_metric control_lookups $(($(lookups) - a)) lookups

bench_metric walks "$walks" walks
bench_metric walk_ms_mean $((walks ? walk_ms / walks : 0)) ms
bench_metric warm_misses "$misses" lookups
bench_metric warm_misses_worst_walk "$worst" lookups
bench_metric warm_miss_worst_walk_pct \
	"$(awk -v m="$worst" -v f="$files" \
		'BEGIN { printf "%.4f", (f > 0 ? 100 * m / f : 0) }')" pct
bench_metric warm_miss_pct \
	"$(awk -v m="$misses" -v f="$files" -v w="$walks" \
		'BEGIN { printf "%.4f", (f * w > 0 ? 100 * m / (f * w) : 0) }')" pct
bench_metric pginodesteal $(($(vmstat_of pginodesteal) - steal0)) inodes
bench_metric kswapd_inodesteal $(($(vmstat_of kswapd_inodesteal) - ksteal0)) inodes
bench_metric slabs_scanned "$scanned" objects
bench_metric dentries_start "$d0" dentries
bench_metric dentries_end "$(dentries)" dentries
echo 0 >$T/events/warm/lookup/enable
