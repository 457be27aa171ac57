#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Why is the squeezed creator killed late (85-88 thousand files) on the
# patched kernel?  The squeeze scenario with the journal shrinkers'
# events traced (filtered to jbd2's scan callback), jbd2's commits and
# checkpoints, the OOM decisions,
# and once a second the journals' instance view, their info and the
# memcg's memory.stat, each stamped with the files made so far.  A
# by-hand guest plan, not a bench scenario (patched kernel only):
#   MEM=1024 scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/squeeze-trace.sh OUTDIR
export OUT=/results/bench DURATION=60 BENCH=default
mkdir -p "$OUT"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
t=/sys/kernel/tracing
[ -d $t/events ] || mount -t tracefs none $t
addr=$(awk '$3 == "jbd2_journal_shrink_scan" { print $1 }' /proc/kallsyms)
echo "jbd2_journal_shrink_scan at 0x$addr" >"$OUT/trace-meta.txt"
echo 32768 >$t/buffer_size_kb
for e in shrinker_instance_scan shrinker_instance_skip shrinker_backoff \
	shrinker_defer_enqueue shrinker_defer_drain; do
	echo "shrink == 0x$addr" >$t/events/shrinker/$e/filter
	echo 1 >$t/events/shrinker/$e/enable
done
echo 1 >$t/events/shrinker/shrinker_oom_decision/enable
echo 1 >$t/events/oom/mark_victim/enable 2>/dev/null
for e in jbd2_shrink_scan_exit jbd2_shrink_checkpoint_list jbd2_run_stats \
	jbd2_checkpoint_stats jbd2_start_commit jbd2_end_commit jbd2_checkpoint; do
	echo 1 >$t/events/jbd2/$e/enable
done
# the scenario's own tracing clears the buffer: stream it out instead
cat $t/trace_pipe >"$OUT/trace-jbd2.txt" &
pipe=$!
(
	while :; do
		d=/scratch/squeeze/squeezed
		n=0
		[ -d "$d" ] && n=$(ls -f "$d" 2>/dev/null | wc -l)
		echo "=== $(cat /proc/uptime | cut -d' ' -f1) files=$n"
		for j in /sys/kernel/debug/shrinker/jbd2-journal*; do
			echo "--- $j"
			cat "$j/instances" 2>/dev/null
		done
		cat /proc/fs/jbd2/*/info 2>/dev/null | head -20
		for m in /sys/fs/cgroup/squeeze*; do
			grep -E '^(file|file_dirty|file_writeback|active_file|inactive_file|slab) ' \
				"$m/memory.stat" 2>/dev/null
			grep -E '^(max|oom_kill) ' "$m/memory.events" 2>/dev/null
		done
		sleep 1
	done
) >"$OUT/watch.txt" 2>&1 &
watch=$!
sh /wb/bench/scenarios/squeeze.sh 2>&1 | tee /results/scenario.log
kill "$watch"
sleep 1
kill "$pipe"
