#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where does balance's memcg reclaim spend its wall time?  One balance
# run (bench/scenarios/balance.sh) with memcg reclaim's begin and end,
# the slab pass's entry and return (kprobes), the unpinning pass's, and
# every context switch and work item traced, so that the time inside memcg reclaim
# splits into the slab pass, the rest, and time off the CPU (preempted
# or asleep).  A by-hand guest plan, not a bench scenario:
#   scripts/run-guest.sh build/KERNEL/obj/arch/x86/boot/bzImage \
#     bench/experiments/balance-trace.sh OUTDIR build/KERNEL/extra
#   bench/experiments/balance-trace.py OUTDIR/results/trace.txt
# LRU=mglru in the plan's environment turns lru_gen on first; PROBES=0
# leaves the kprobes out (tracepoints only), to see what they cost;
# EVENTS="sys/event ..." adds tracepoints (vmscan/mm_shrink_slab_start
# sizes each slab pass on both kernels).
export OUT=/results/bench DURATION=${DURATION:-20} BENCH=quick
mkdir -p "$OUT"
T=/sys/kernel/tracing
if [ "${LRU:-classic}" = mglru ]; then
	echo y >/sys/kernel/mm/lru_gen/enabled || exit 1
fi
cat /sys/kernel/mm/lru_gen/enabled >/results/lru_gen.txt 2>&1
echo 0 >$T/tracing_on
echo >$T/trace
echo 32768 >$T/buffer_size_kb
# The base kernel's slab pass is shrink_slab(), the patched kernel's
# shrink_slab_lruvec() (patch 0009), which calls shrink_slab_memcg().
if grep -q ' shrink_slab_lruvec$' /proc/kallsyms; then
	slab=shrink_slab_lruvec
else
	slab=shrink_slab
fi
echo "slab pass: $slab" >/results/probes.txt
{
	echo "p:wb/slab_in $slab"
	echo "r:wb/slab_out $slab"
	if grep -q ' shrink_slab_unpin$' /proc/kallsyms; then
		echo "p:wb/unpin_in shrink_slab_unpin prio=%dx:s32"
		echo "r:wb/unpin_out shrink_slab_unpin freed=\$retval:u64"
		echo "r:wb/jbd2_scan_out jbd2_journal_shrink_scan freed=\$retval:u64"
	fi
} >/results/kprobe_events
if [ "${PROBES:-1}" = 1 ]; then
	cat /results/kprobe_events >>$T/kprobe_events || exit 1
	cat $T/kprobe_events >>/results/probes.txt
	echo 1 >$T/events/wb/enable || exit 1
else
	echo "no kprobes" >>/results/probes.txt
fi
for e in vmscan/mm_vmscan_memcg_reclaim_begin vmscan/mm_vmscan_memcg_reclaim_end \
	sched/sched_switch workqueue/workqueue_queue_work \
	workqueue/workqueue_execute_start workqueue/workqueue_execute_end ${EVENTS:-}; do
	echo 1 >"$T/events/$e/enable" || exit 1
done
echo 1 >$T/tracing_on
sh /wb/bench/scenarios/balance.sh >/results/scenario.log 2>&1
echo 0 >$T/tracing_on
cat $T/per_cpu/cpu*/stats >/results/trace-stats.txt
cat $T/trace >/results/trace.txt
echo 0 >$T/events/enable
cat /proc/vmstat >/results/vmstat.txt
