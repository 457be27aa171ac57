#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stalls beside a cache whose objects wait on a log force, as XFS's inode
# reclaim did before 5.9 (simoop's case, issue 27).  A scanned object can
# be freed only once a force completes: the first scan that needs one
# starts it, FORCE_MS long, and every scan until it ends joins it.  On
# 6.12 such a cache must wait for the force in the scan, or reclaim sees
# nothing freed and OOM-kills (false_oom); on the patched kernel it
# reports the objects in flight and returns (the test module's
# "blocking 1": what the new interface lets a cache do, and the
# comparison this scenario makes).  BLOCKING=2 waits on both kernels: the
# control, what the core's passes alone change.  6.12's XFS no longer
# waits; this is the cache the anchor measured, not today's XFS.
# A task refills the cache, as a file creator does, while an anon worker
# cycles its memory under global pressure, each in a memcg of its own.
# The figures are the worker's progress (page faults in its memcg) and
# its stalls: its direct-reclaim episodes and each throttle outside them
# (the patched kernel throttles a charge or allocation while work is in
# flight, outside the direct-reclaim tracepoints), OOM kills, and how
# often scans waited.  stalls_block_floor runs the same load on a cache
# that frees what it scans at once: what reclaim of the load costs
# whatever the cache does.
# Params: DURATION (s), FORCE_MS (0: nothing blocks), BLOCKING (0-2),
# OBJS (1 KiB objects first), REFILL (objects a refill adds), TRACE_EXTRA
# (events).
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
FORCE_MS=${FORCE_MS:-50}
BLOCKING=${BLOCKING:-1}
OBJS=${OBJS:-300000}
REFILL=${REFILL:-2000}

bench_module || exit 1
m=$(bench_memcg stalls_block max)
# the worker and the refiller apart, so the worker's faults are its own
echo "+memory" >"$m/cgroup.subtree_control"
mkdir -p "$m/work" "$m/fill"
echo "blk objsize=1024" >$ST/create
echo "$FORCE_MS" >$ST/blk/inflight_delay_ms || exit 1
echo "$BLOCKING" >$ST/blk/blocking || exit 1
in_memcg "$m/fill" sh -c "echo $OBJS >$ST/blk/alloc" || exit 1
bench_metric cache_allocated "$(st_stat blk objects)" objects
s0=$(( $(vmstat_of allocstall_normal) + $(vmstat_of allocstall_movable) ))
k0=$(vmstat_of oom_kill)
f0=$(memcg_stat "$m/work" pgfault)
bench_sampler "$m"
# TRACE_EXTRA: more events in the same trace, to see where a stall goes
# (such a run is a control: docs/status.md takes no verdict from it); of
# the scheduler's switches, only the worker's
if [ -n "${TRACE_EXTRA:-}" ]; then
	echo 'prev_comm == "stress-ng-vm" || next_comm == "stress-ng-vm"' \
		>$TRACE/events/sched/sched_switch/filter
fi
bench_trace_on vmscan/mm_vmscan_direct_reclaim_begin vmscan/mm_vmscan_direct_reclaim_end \
	vmscan/mm_vmscan_throttled ${TRACE_EXTRA:-}
# the refiller: a failed write (ENOMEM at a kill) ends it, and says so
in_memcg "$m/fill" sh -c 'end=$(($(date +%s) + $1))
	while [ "$(date +%s)" -lt "$end" ]; do echo "$2" >"$3" || exit 1; done' \
	sh "$DURATION" "$REFILL" "$ST/blk/alloc" 2>/dev/null &
fill=$!
t0=$(now)
in_memcg "$m/work" stress-ng --vm 1 --vm-bytes 60% --timeout "${DURATION}s" --metrics-brief \
	--yaml "$OUT/stress-ng.yaml" >"$OUT/stress-ng.log" 2>&1
work_rc=$?
t1=$(now)
wait $fill
fill_rc=$?
bench_trace_off direct
echo 0 >$TRACE/events/sched/sched_switch/filter 2>/dev/null
bench_stop_sampler
s1=$(( $(vmstat_of allocstall_normal) + $(vmstat_of allocstall_movable) ))

bench_metric allocstall $((s1 - s0)) stalls
bench_metric oom_kill $(($(vmstat_of oom_kill) - k0)) kills
bench_metric refill_ran "$((fill_rc == 0))" bool
bench_metric worker_ran "$((work_rc == 0))" bool
# how long the worker ran: a stalled one overruns its timeout
bench_metric worker_run_s "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" s
# the worker's progress in pages it faulted in, counted in its own memcg:
# a stalled worker may finish no bogo op at all
bench_metric worker_pgfault $(($(memcg_stat "$m/work" pgfault) - f0)) faults
if ep=$(reclaim_episodes "$OUT/trace-direct.txt" direct '^stress-ng'); then
	set -- $ep
	bench_metric workload_stalls "$1" episodes
	bench_metric workload_stall_ms "$2" ms
	bench_metric workload_stall_max_ms "$3" ms
	bench_metric workload_stall_p99_us "$4" us
	bench_metric reclaim_episodes_unnamed "$5" episodes
	bench_metric workload_throttled_ms "$6" ms
fi
ops=$(stress_ng_ops "$OUT/stress-ng.yaml" vm)
bench_metric stress_ng_vm_ops "${ops:-0}" ops
bench_metric cache_scanned "$(st_stat blk scanned)" objects
bench_metric cache_blocked_scans "$(st_stat blk blocked_scans)" scans
bench_metric cache_scans_direct "$(st_stat blk scans_direct)" scans
bench_metric cache_scans_kswapd "$(st_stat blk scans_kswapd)" scans
bench_metric cache_allocated_total "$(st_stat blk allocated)" objects
echo blk >$ST/destroy
