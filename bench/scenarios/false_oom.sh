#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# False OOM: a memcg at memory.max where most memory is a cache whose
# reclaim completes in flight (freed 2 s after the scan), plus an anon
# allocator.  Every OOM kill here happened with reclaimable memory pending.
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
bench_module || exit 1
m=$(bench_memcg false_oom 128M)
echo "fly memcg objsize=4096" >$ST/create
echo 2000 >$ST/fly/inflight_delay_ms

bench_sampler "$m"
# 96 MiB of cache, then an allocator that needs 64 MiB of it back.
in_memcg "$m" sh -c "echo 24576 >$ST/fly/alloc"
bench_st_json fly filled
in_memcg "$m" stress-ng --vm 1 --vm-bytes 64M --vm-keep --vm-hang 0 \
	--timeout "${DURATION}s" --oomable --metrics-brief >"$OUT/stress-ng.log" 2>&1
# --oomable: the allocator ends at its first OOM kill, so what is in
# flight now was in flight when it was killed.
bench_st_json fly allocator_done
pending=$(st_stat fly inflight)
sleep 3
bench_st_json fly end
bench_stop_sampler
bench_metric oom_kill "$(memcg_event "$m" oom_kill)" kills
bench_metric inflight_at_allocator_end_mib $((pending * 4096 / 1048576)) MiB
bench_metric inflight_freed_later_mib $(($(st_stat fly inflight_freed) * 4096 / 1048576)) MiB
echo fly >$ST/destroy
