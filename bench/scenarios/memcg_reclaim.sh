#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Memcg reclaim: memory.reclaim of a few MiB on a memcg whose memory is
# almost all reclaimable slab.  Since 6.4 slab frees do not count as memcg
# reclaim progress: what does the write return, and how much of the cache
# goes for how much was asked?
. /wb/bench/lib.sh

bench_module || exit 1
m=$(bench_memcg memcg_reclaim max)
echo "mr memcg objsize=1024" >$ST/create
in_memcg "$m" sh -c "echo 65536 >$ST/mr/alloc"
bench_sampler "$m"
for ask in 4 16; do
	before=$(st_stat mr objects)
	cur0=$(cat "$m/memory.current")
	err=$( (echo "${ask}M" >"$m/memory.reclaim") 2>&1)
	rc=$?
	cur1=$(cat "$m/memory.current")
	after=$(st_stat mr objects)
	bench_metric "reclaim_${ask}M_failed" "$rc" "1 = write failed"
	case $err in
	*"Resource temporarily unavailable"*) bench_metric "reclaim_${ask}M_eagain" 1 bool ;;
	*) bench_metric "reclaim_${ask}M_eagain" 0 bool ;;
	esac
	bench_metric "reclaim_${ask}M_freed_kib" $(((cur0 - cur1) / 1024)) KiB
	bench_metric "reclaim_${ask}M_cache_dropped_pct" \
		"$(awk -v b="$before" -v a="$after" 'BEGIN { printf "%.1f", b ? (b - a) * 100 / b : 0 }')" "%"
	# Refill for the next request.
	in_memcg "$m" sh -c "echo $((65536 - after)) >$ST/mr/alloc" 2>/dev/null
done
bench_stop_sampler
echo mr >$ST/destroy
