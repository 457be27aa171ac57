#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stalls: a slow cache (20 us a scanned object) and page-cache load under
# global memory pressure.  The time the workload's own tasks spend in
# direct reclaim and its slowest episodes (vmscan tracepoints), fio's
# latency; allocstall and PSI beside them.
# SLOW_SCAN_COST_NS: what scanning one slow object costs (stalls_floor
# sets 0: the same load with nothing slow to reclaim).
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
bench_module || exit 1
dir=$(bench_scratch stalls)
m=$(bench_memcg stalls max)
echo "slow objsize=1024" >$ST/create
echo "${SLOW_SCAN_COST_NS:-20000}" >$ST/slow/scan_cost_ns
# SLOW_WMARKS="MIN LOW HIGH": a watermark override for the slow cache on
# the patched kernel, to tell what pressure alone reclaims from it
if [ -n "${SLOW_WMARKS:-}" ]; then
	for d in /sys/kernel/debug/shrinker/shrinker_test-slow-*; do
		[ -f "$d/watermarks" ] && echo "$SLOW_WMARKS" >"$d/watermarks"
	done
fi
fio --name=layout --filename_format='f.$filenum' --directory="$dir" --nrfiles=8 --size=640M --rw=write \
	--bs=1M --ioengine=psync --end_fsync=1 >/dev/null 2>&1
echo 3 >/proc/sys/vm/drop_caches

in_memcg "$m" sh -c "echo 150000 >$ST/slow/alloc"
s0=$(( $(vmstat_of allocstall_normal) + $(vmstat_of allocstall_movable) ))
bench_sampler "$m"
# STALLS_TRACE=1, patched kernel: trace the shrinker passes too, to tell
# the slow cache's reclaim passes from kswapd's trim slices
extra=
[ -n "${STALLS_TRACE:-}" ] && extra="shrinker/shrinker_instance_scan shrinker/shrinker_defer_drain"
bench_trace_on $extra vmscan/mm_vmscan_direct_reclaim_begin vmscan/mm_vmscan_direct_reclaim_end
in_memcg "$m" stress-ng --vm 1 --vm-bytes 65% --vm-keep --timeout "${DURATION}s" \
	>"$OUT/stress-ng.log" 2>&1 &
sng=$!
in_memcg "$m" fio --name=randread --filename_format='f.$filenum' --directory="$dir" --nrfiles=8 --size=640M \
	--rw=randread --bs=4k --ioengine=psync --numjobs=2 --time_based \
	--runtime="$DURATION" --output-format=json --output="$OUT/fio.json" >/dev/null 2>&1
wait $sng
bench_trace_off direct
bench_stop_sampler
s1=$(( $(vmstat_of allocstall_normal) + $(vmstat_of allocstall_movable) ))

set -- $(direct_reclaim_times "$OUT/trace-direct.txt")
bench_metric allocstall $((s1 - s0)) stalls
bench_metric direct_reclaim_episodes "${1:-0}" episodes
bench_metric direct_reclaim_total_ms "${2:-0}" ms
bench_metric direct_reclaim_max_ms "${3:-0}" ms
# what the workload itself stalls: its own tasks' episodes, not the
# sampler's or a worker's
if ep=$(reclaim_episodes "$OUT/trace-direct.txt" direct '^(stress-ng|fio)'); then
	set -- $ep
	bench_metric workload_reclaim_episodes "$1" episodes
	bench_metric workload_reclaim_ms "$2" ms
	bench_metric workload_reclaim_p99_us "$4" us
	bench_metric reclaim_episodes_unnamed "$5" episodes
fi
bench_metric slow_cache_scanned "$(st_stat slow scanned)" objects
bench_metric slow_cache_freed "$(st_stat slow freed)" objects
if [ -n "$extra" ]; then
	bench_metric slow_pass_scanned "$(trace_sum "$OUT/trace-direct.txt" \
		shrinker_instance_scan st_scan scanned)" objects
	bench_metric slow_trim_scanned "$(trace_sum "$OUT/trace-direct.txt" \
		shrinker_defer_drain st_scan scanned)" objects
fi
iops=$(fio_iops "$OUT/fio.json")
bench_metric fio_randread_iops "${iops:-0}" iops
p99=$(fio_clat_p99_us "$OUT/fio.json")
[ -n "$p99" ] && bench_metric fio_clat_p99_us "$p99" us
echo slow >$ST/destroy
