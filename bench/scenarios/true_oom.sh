#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# True OOM: an anon hog beyond memory.max with no reclaimable cache.  The
# OOM kill must come promptly: time from reaching the limit to the kill.
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
ROUNDS=${ROUNDS:-5}
m=$(bench_memcg true_oom 64M)
max=$((64 * 1024 * 1024))
bench_sampler "$m"
i=0
while [ $i -lt "$ROUNDS" ]; do
	k0=$(memcg_event "$m" oom_kill)
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
	if [ -n "$t_kill" ]; then
		[ -n "$t_lim" ] || t_lim=$t_kill
		bench_metric "limit_to_kill_s_$i" "$(awk -v a="$t_lim" -v b="$t_kill" 'BEGIN { printf "%.2f", b - a }')" s
	else
		bench_metric "limit_to_kill_s_$i" -1 "s (no kill within the run)"
	fi
	i=$((i + 1))
done
bench_stop_sampler
bench_metric oom_kill "$(memcg_event "$m" oom_kill)" kills
