#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stalls under a memcg limit: the same slow cache (20 us a scanned object)
# charged to a memcg whose page-cache reader runs into memory.max.  Limit
# reclaim runs in the reader's own context, so what the cache costs
# reclaim is a stall of the workload: the memcg's PSI and the time in
# memcg reclaim (vmscan tracepoints).  kswapd takes no part, so unlike
# stalls.sh the figures hold no background reclaim.  As in Chinner's
# simoop, the reader's file set fits in the limit once the idle cache is
# reclaimed: what the workload stalls on is getting that cache back.
# The cache sits idle for IDLE seconds before the reader starts, as a
# cache that stopped being used does before pressure finds it; on the
# patched kernel its first trim comes some 45 s after it was filled (a
# 20 s working-set interval, then the sweep and the drain's slices), so
# the default 60 s lets it finish and IDLE=0 measures reclaim with no
# background trim at all.  fio does not drop its files from the page
# cache between passes (--invalidate=0): the file set stays the working
# set.
# Params: DURATION (s), LIMIT (memory.max), SLOW_OBJS (1 KiB objects),
# FILESET (bytes of files read), IDLE (s).
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
LIMIT=${LIMIT:-256M}
SLOW_OBJS=${SLOW_OBJS:-120000}
FILESET=${FILESET:-160M}
IDLE=${IDLE:-60}

bench_module || exit 1
dir=$(bench_scratch stalls_memcg)
m=$(bench_memcg stalls_memcg "$LIMIT")
echo "slow memcg objsize=1024" >$ST/create
echo 20000 >$ST/slow/scan_cost_ns
fio --name=layout --filename_format='f.$filenum' --directory="$dir" --nrfiles=8 --size="$FILESET" \
	--rw=write --bs=1M --ioengine=psync --end_fsync=1 >/dev/null 2>&1
sync
echo 3 >/proc/sys/vm/drop_caches

in_memcg "$m" sh -c "echo $SLOW_OBJS >$ST/slow/alloc" || exit 1
bench_metric slow_cache_allocated "$(st_stat slow objects)" objects
sleep "$IDLE"
bench_metric slow_cache_after_idle "$(st_stat slow objects)" objects
bench_sampler "$m"
bench_trace_on vmscan/mm_vmscan_memcg_reclaim_begin vmscan/mm_vmscan_memcg_reclaim_end
in_memcg "$m" fio --name=randread --filename_format='f.$filenum' --directory="$dir" --nrfiles=8 \
	--size="$FILESET" --rw=randread --bs=4k --ioengine=psync --numjobs=2 --group_reporting --invalidate=0 --time_based \
	--runtime="$DURATION" --output-format=json --output="$OUT/fio.json" >/dev/null 2>&1
bench_trace_off memcg
bench_stop_sampler

set -- $(direct_reclaim_times "$OUT/trace-memcg.txt" memcg)
bench_metric memcg_reclaim_episodes "${1:-0}" episodes
bench_metric memcg_reclaim_total_ms "${2:-0}" ms
bench_metric memcg_reclaim_max_ms "${3:-0}" ms
if ep=$(reclaim_episodes "$OUT/trace-memcg.txt" memcg '^fio'); then
	set -- $ep
	bench_metric memcg_reclaim_p99_us "$4" us
	bench_metric reclaim_episodes_unnamed "$5" episodes
fi
bench_metric slow_cache_scanned "$(st_stat slow scanned)" objects
bench_metric slow_cache_freed "$(st_stat slow freed)" objects
bench_metric slow_cache_live_end "$(st_stat slow objects)" objects
iops=$(fio_iops "$OUT/fio.json")
bench_metric fio_randread_iops "${iops:-0}" iops
p99=$(fio_clat_p99_us "$OUT/fio.json")
[ -n "$p99" ] && bench_metric fio_clat_p99_us "$p99" us
echo slow >$ST/destroy
