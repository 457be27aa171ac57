#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# True OOM: an anon hog beyond memory.max with no reclaimable cache.  The
# OOM kill must come promptly.  Each round is traced: the time from the
# first memcg reclaim (the charge meeting the limit) to oom:mark_victim,
# and the reclaim episodes in between.  The shell's own poll of
# memory.current and memory.events is kept as a cross-check; its 50 ms
# poll and the fork costs under TCG blur it by more than the kernels
# differ.
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
ROUNDS=${ROUNDS:-$(bench_n 5 20 40)}
m=$(bench_memcg true_oom 64M)
max=$((64 * 1024 * 1024))
bench_sampler "$m"
: >"$OUT/oom-latency.txt"
# Events are enabled once: each enable patches kernel text, which MTTCG
# races with (docs/workbench.md); a round only clears the buffer.
bench_trace_on vmscan/mm_vmscan_memcg_reclaim_begin vmscan/mm_vmscan_memcg_reclaim_end \
	oom/mark_victim
i=0
while [ $i -lt "$ROUNDS" ]; do
	k0=$(memcg_event "$m" oom_kill)
	echo >$TRACE/trace
	in_memcg "$m" stress-ng --vm 1 --vm-bytes 256M --vm-keep --vm-hang 0 \
		--timeout "${DURATION}s" --oomable >>"$OUT/stress-ng.log" 2>&1 &
	pid=$!
	t_lim=""
	t_kill=""
	while kill -0 $pid 2>/dev/null; do
		t=$(now)
		cur=$(cat "$m/memory.current")
		[ -z "$t_lim" ] && [ "$cur" -ge $((max - max / 50)) ] && t_lim=$t
		k=$(memcg_event "$m" oom_kill)
		if [ "$k" -gt "$k0" ]; then
			t_kill=$t
			break
		fi
		sleep 0.05
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	pkill -f 'stress-ng' 2>/dev/null
	cat $TRACE/trace >"$OUT/trace-oom.txt"
	# round, polled s (-1: no kill), then traced "ms episodes reclaim_ms"
	polled=-1
	if [ -n "$t_kill" ]; then
		[ -n "$t_lim" ] || t_lim=$t_kill
		polled=$(awk -v a="$t_lim" -v b="$t_kill" 'BEGIN { printf "%.2f", b - a }')
	fi
	echo "$i $polled $(oom_latency "$OUT/trace-oom.txt")" >>"$OUT/oom-latency.txt"
	i=$((i + 1))
done
bench_trace_off oom
bench_stop_sampler
rm -f "$OUT/trace-oom.txt"
# Rounds whose kill the trace saw; a round without one counts against
# the bound, it is not averaged away.
set -- $(awk 'NF == 5 { n++; s += $3; if ($3 > mx) mx = $3; e += $4; r += $5 }
	$2 >= 0 { pn++; ps += $2 }
	END { printf "%d %.1f %.1f %.1f %.1f %d %.3f\n", n, n ? s / n : 0, mx,
		n ? e / n : 0, n ? r / n : 0, pn, pn ? ps / pn : 0 }' "$OUT/oom-latency.txt")
bench_metric rounds "$ROUNDS" rounds
# 0 when the trace saw no kill: the traced figures then mean nothing
bench_metric traced_kills "$1" kills
bench_metric rounds_without_kill $((ROUNDS - $1)) rounds
bench_metric oom_latency_mean_ms "$2" "ms (first memcg reclaim to mark_victim, traced)"
bench_metric oom_latency_max_ms "$3" ms
bench_metric oom_reclaim_episodes_mean "$4" "episodes a round"
bench_metric oom_reclaim_ms_mean "$5" "ms a round in memcg reclaim"
bench_metric limit_to_kill_polled_mean_s "$7" "s (shell poll, $6 rounds)"
bench_metric oom_kill "$(memcg_event "$m" oom_kill)" kills
