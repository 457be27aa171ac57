#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Windup: many GFP_NOFS reclaim passes meet a cache that refuses them,
# then one GFP_KERNEL pass under light pressure.  On 6.12 the refused work
# accrues in the memcg's nr_deferred and the light pass pays all of it.
# Params: ROUNDS (NOFS rounds, scaled from DURATION).
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
ROUNDS=${ROUNDS:-$((DURATION / 2))}
OBJS=${OBJS:-30000}
bench_module || exit 1
dir=$(bench_scratch windup)
m=$(bench_memcg windup 96M)
echo "wind memcg objsize=1024" >$ST/create
dd if=/dev/zero of="$dir/fill" bs=1M count=48 2>/dev/null
sync

bench_sampler "$m"
in_memcg "$m" sh -c "echo $OBJS >$ST/wind/alloc; cat $dir/fill >/dev/null"
echo 1 >$ST/wind/refuse_nofs
bench_st_json wind start
i=0
while [ $i -lt "$ROUNDS" ]; do
	# Page cache gives the NOFS reclaim something to free, so charges
	# succeed while the cache refuses every NOFS scan.
	in_memcg "$m" sh -c "cat $dir/fill >/dev/null; echo 4000 >$ST/wind/alloc_nofs"
	echo 4000 >$ST/wind/free
	i=$((i + 1))
done
bench_st_json wind after_nofs
before=$(st_stat wind objects)
slabs0=$(awk '$1 == "slabs_scanned" { print $2 }' /proc/vmstat)

# One light GFP_KERNEL pass: memory.reclaim of 1 MiB.
bench_trace_on
echo 1M >"$m/memory.reclaim" 2>/dev/null
bench_trace_off light
after=$(st_stat wind objects)
slabs1=$(awk '$1 == "slabs_scanned" { print $2 }' /proc/vmstat)
bench_st_json wind after_light
bench_stop_sampler

set -- $(trace_worst_pass "$OUT/trace-light.txt" st_scan)
bench_metric light_pass_worst_ratio "${1:-0}" "total_scan/delta"
bench_metric light_pass_total_scan "${2:-0}" objects
bench_metric light_pass_delta "${3:-0}" objects
bench_metric light_pass_dropped_pct "$(awk -v b="$before" -v a="$after" 'BEGIN { printf "%.2f", b ? (b - a) * 100 / b : 0 }')" "%"
bench_metric cache_objects_before "$before" objects
bench_metric light_pass_slabs_scanned $((slabs1 - slabs0)) objects
bench_metric nofs_refused "$(st_stat wind refused_nofs)" scans
bench_metric max_pass_scanned "$(st_stat wind max_pass_scanned)" objects
echo wind >$ST/destroy
