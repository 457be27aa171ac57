#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/experiments/true_oom-split.sh as of ca66fc9, with kprobes on count_shadow_nodes() (its memcg and return), and the return of list_lru_count_one() (lruvec_page_state_local() takes no kprobe), two rounds (2026-12-07)
for p in "p:split_csn count_shadow_nodes memcg=+24(%si):x64" \
	"r:split_csnr count_shadow_nodes ret=\$retval:s64" \
	"r:split_lruc list_lru_count_one ret=\$retval:u64"; do
	echo "$p" >>/sys/kernel/tracing/kprobe_events ||
		{ echo "no kprobe: $p" >&2; cat /sys/kernel/tracing/error_log >&2; exit 1; }
done
SPLIT_EXTRA="kprobes/split_csn kprobes/split_csnr kprobes/split_lruc"
# Where does a true OOM's limit to kill go, outside memcg reclaim?  The
# true_oom hog's rounds, each traced from its first memcg reclaim to its
# mark_victim with, beside the bench's events, the hog's own context
# switches and a kprobe on out_of_memory(), on both kernels.  The raw
# trace of every round is kept; true_oom-split.py splits each round
# into memcg reclaim, the OOM path (out_of_memory() to mark_victim), the
# hog switched out, and the rest (the fault and charge path between
# episodes); round-stats.txt has each round's memcg pgfault, pgsteal and
# workingset_refault_file.  A by-hand plan (review II-8), one kernel a guest:
#   bench/experiments/ab-kernels.sh OLD NEW \
#     bench/experiments/true_oom-split.sh PAIRS OUT
#   bench/experiments/true_oom-split.py OUT
# The extra events cost both kernels the same work a switch or an OOM,
# so the split, not the bench's limit to kill, is what a run gives.
export OUT=/results/bench BENCH=quick
mkdir -p "$OUT"
. /wb/bench/lib.sh
ROUNDS=${ROUNDS:-2}
m=$(bench_memcg true_oom 64M)
# armed once, before the first round: MTTCG races with text patched
# while other CPUs run it (docs/workbench.md)
echo 'p:split_oom out_of_memory' >>$TRACE/kprobe_events ||
	{ echo "true_oom-split: no kprobe on out_of_memory" >&2; exit 1; }
# SPLIT_KPROBES: more functions whose calls in the window are counted;
# one a kernel lacks (the series' own) is said in kprobes.txt and left out
probes=
for f in ${SPLIT_KPROBES:-}; do
	if echo "p:split_$f $f" >>$TRACE/kprobe_events 2>/dev/null; then
		probes="$probes kprobes/split_$f"
	else
		echo "no kprobe on $f" >>"$OUT/kprobes.txt"
	fi
done
echo 'prev_comm == "stress-ng-vm" || next_comm == "stress-ng-vm"' \
	>$TRACE/events/sched/sched_switch/filter
# SPLIT_EXTRA: more events in the same trace (workqueue/workqueue_execute_start:
# the work items run between the first reclaim and the kill, by function)
bench_trace_on vmscan/mm_vmscan_memcg_reclaim_begin vmscan/mm_vmscan_memcg_reclaim_end \
	oom/mark_victim sched/sched_switch kprobes/split_oom ${SPLIT_EXTRA:-} $probes
[ "$BENCH_TRACED" = "$BENCH_ASKED" ] ||
	{ echo "true_oom-split: $BENCH_TRACED of $BENCH_ASKED events on" >&2; exit 1; }
# not i: oom_rounds counts its rounds in i
r=0
while [ $r -lt "$ROUNDS" ]; do
	echo >$TRACE/trace
	set -- $(memcg_stat "$m" pgfault) $(memcg_stat "$m" pgsteal) \
		$(memcg_stat "$m" workingset_refault_file)
	oom_rounds "$m" 1
	cat $TRACE/trace >"$OUT/trace-r$r.txt"
	# the round's memcg counters, the kill's aftermath included
	echo "$r $(($(memcg_stat "$m" pgfault) - $1))" \
		"$(($(memcg_stat "$m" pgsteal) - $2))" \
		"$(($(memcg_stat "$m" workingset_refault_file) - $3))" \
		>>"$OUT/round-stats.txt"
	echo "$r $(oom_latency "$OUT/trace-r$r.txt")" >>"$OUT/oom-latency.txt"
	r=$((r + 1))
done
bench_trace_off split
bench_metric rounds "$ROUNDS" rounds
bench_metric oom_kill "$(memcg_event "$m" oom_kill)" kills
