#!/bin/sh
while [ "$(cut -d. -f1 /proc/uptime)" -lt 35 ]; do sleep 0.1; done
cut -d" " -f1 /proc/uptime >/results/start-uptime.txt
# SPDX-License-Identifier: GPL-2.0
# How many shrinker passes does a true OOM's memcg reclaim make?  Twenty
# rounds of the true_oom hog with kprobes counting calls of the reclaim
# walk and of each memcg-aware shrinker's count callback.  Hit counts
# come from kprobe_profile, so no trace buffer fills.  A by-hand guest
# plan, not a bench scenario (both kernels, then compare):
#   scripts/run-guest.sh build/KERNEL/obj/arch/x86/boot/bzImage \
#     bench/experiments/true_oom-calls.sh OUTDIR build/KERNEL/extra
#   cat OUTDIR/results/calls.txt
# The probes are armed before the first round: MTTCG races with text
# patched while other CPUs run it (docs/workbench.md).
export OUT=/results/bench DURATION=60 BENCH=default
mkdir -p "$OUT"
. /wb/bench/lib.sh
T=/sys/kernel/tracing
# Each kernel's own slab pass (6.12: shrink_slab and do_shrink_slab; the
# series: shrink_slab_lruvec, shrinker_scan_instance and the unpinning
# pass) is probed on both; calls.txt says "no kprobe on" a function a
# kernel lacks or inlined.
FUNCS="shrink_node try_to_free_mem_cgroup_pages shrink_lruvec shrink_slab \
	do_shrink_slab shrink_slab_lruvec shrinker_scan_instance \
	shrink_slab_unpin out_of_memory shrinker_oom_defer super_cache_count \
	count_shadow_nodes deferred_split_count jbd2_journal_shrink_count \
	super_cache_scan list_lru_count_one mem_cgroup_out_of_memory reclaim_throttle try_charge_memcg shrink_active_list shrink_folio_list"
m=$(bench_memcg true_oom 64M)
echo 0 >$T/tracing_on
for f in $FUNCS; do
	echo "p:calls_$f $f" >>$T/kprobe_events ||
		echo "true_oom-calls: no kprobe on $f" >>/results/calls.txt
done
echo 1 >$T/events/kprobes/enable || { echo "true_oom-calls: kprobes did not arm"; exit 1; }
sleep 1
oom_rounds "$m" 20
echo "kills $(memcg_event "$m" oom_kill)" >>/results/calls.txt
awk '{ sub("^calls_", "", $1); print $1, $2 }' $T/kprobe_profile >>/results/calls.txt
echo 0 >$T/events/kprobes/enable
