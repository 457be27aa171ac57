#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where a leaf storm's time outside reclaim goes (review I-5): scale's
# storm (8 leaf memcgs of 16M, hogs stopped at 12 MiB, limits lowered,
# continued at once) beside N empty memcgs, under kprobe and kretprobe
# events on the steps of a memcg OOM.  Each round prints the victims'
# latencies (storm_latency) and, per probed function, its calls and the
# total and largest time between its entry and its return.
# mem_cgroup_out_of_memory() holds the wait for oom_lock; out_of_memory()
# runs under it.  A function that does not exist on the kernel (base
# lacks the shrinker ones) or cannot be probed is named and left out.
# Scale's memcgs also hold a tmpfs and a file each; these hold nothing.
# A by-hand guest plan for both kernels, not a bench scenario:
#   scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/storm-oom-profile.sh OUTDIR build/patched/extra
. /wb/bench/lib.sh
N=${N:-4000}
ROUNDS=${ROUNDS:-3}
T=$TRACE
FUNCS="mem_cgroup_out_of_memory out_of_memory dump_header
mem_cgroup_print_oom_meminfo shrinker_oom_report shrinker_oom_defer
oom_kill_process try_to_free_mem_cgroup_pages"
# shellcheck disable=SC2086
probe_pairs op $FUNCS
m=$(memcg_siblings sp "$N") || { echo "EXP cannot make the memcgs"; exit 1; }
r=0
while [ $r -lt "$ROUNDS" ]; do
	OUT=/results/bench/r$r
	mkdir -p $OUT
	# bench_storm turns every event off when it saves its trace
	echo 1 >$T/events/op/enable
	bench_storm $m 8 16M 64 12
	echo "EXP round $r: $(grep -h -E 'storm_(kill_ms_median|spread_ms|overlapped|memcgs_killed)"' \
		$OUT/metrics.jsonl | sed 's/.*"name":"\([a-z_]*\)","value":\([0-9.]*\).*/\1=\2/' | tr '\n' ' ')"
	sed "s/^/EXP round $r victim: /" $OUT/storm-latency.txt
	probe_times $OUT/trace-storm.txt "EXP round $r"
	storm_steps $OUT/trace-storm.txt | sed "s/^/EXP round $r steps: /"
	echo "EXP round $r: kretprobe misses this boot so far $(awk '$1 ~ /^z_/ { m += $NF } END { print m + 0 }' \
		$T/kprobe_profile), lost $(grep -h trace_lost_storm $OUT/metrics.jsonl |
		sed 's/.*"value":\([0-9]*\).*/\1/')"
	r=$((r + 1))
done
echo "EXP $ROUNDS rounds done"
