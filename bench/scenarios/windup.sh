#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Windup: many GFP_NOFS reclaim passes meet a cache that refuses them,
# then one GFP_KERNEL pass under light pressure (memory.reclaim of 1 MiB).
# The NOFS passes are real: the module allocates in a memalloc_nofs_save()
# scope against a memcg at its limit, whose page cache gives reclaim
# something it may free.
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
ROUNDS=${ROUNDS:-$((DURATION / 4 + 5))}
OBJS=${OBJS:-30000}
bench_module || exit 1
dir=$(bench_scratch windup)
m=$(bench_memcg windup 80M)
echo "wind memcg objsize=1024" >$ST/create
dd if=/dev/zero of="$dir/fill" bs=1M count=64 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches

bench_sampler "$m"
# 30 MiB of cache, then page cache up to the limit.
in_memcg "$m" sh -c "echo $OBJS >$ST/wind/alloc; cat $dir/fill >/dev/null"
echo 1 >$ST/wind/refuse_nofs
bench_st_json wind start
bench_trace_on $SHRINK_EVENTS
i=0
while [ $i -lt "$ROUNDS" ]; do
	# 2 MiB of NOFS charges at the limit: reclaim takes page cache and
	# asks the cache, which refuses.
	in_memcg "$m" sh -c "echo 2000 >$ST/wind/alloc_nofs"
	i=$((i + 1))
done
bench_trace_off nofs
bench_st_json wind after_nofs
# Past any backoff window (2.56 s at most on the patched kernel), so the
# light pass meets the cache rather than skipping it.
sleep 3
before=$(st_stat wind objects)
slabs0=$(awk '$1 == "slabs_scanned" { print $2 }' /proc/vmstat)

bench_trace_on $SHRINK_EVENTS
echo 1M >"$m/memory.reclaim" 2>/dev/null
bench_trace_off light
after=$(st_stat wind objects)
slabs1=$(awk '$1 == "slabs_scanned" { print $2 }' /proc/vmstat)
bench_st_json wind after_light
bench_stop_sampler

set -- $(trace_worst_pass "$OUT/trace-nofs.txt" st_scan)
bench_metric nofs_passes "${5:-0}" passes
bench_metric nofs_max_deferred "${4:-0}" objects
bench_metric nofs_refused "$(st_stat wind refused_nofs)" scans
set -- $(trace_worst_pass "$OUT/trace-light.txt" st_scan)
bench_metric light_pass_worst_ratio "${1:-0}" "total_scan/delta"
bench_metric light_pass_worst_total_scan "${2:-0}" objects
bench_metric light_pass_worst_delta "${3:-0}" objects
bench_metric light_pass_max_deferred "${4:-0}" objects
bench_metric light_passes "${5:-0}" passes
bench_metric cache_objects_before "$before" objects
bench_metric light_pass_dropped_pct "$(awk -v b="$before" -v a="$after" 'BEGIN { printf "%.2f", b ? (b - a) * 100 / b : 0 }')" "%"
bench_metric light_pass_slabs_scanned $((slabs1 - slabs0)) objects
echo wind >$ST/destroy
