#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What one walk of memcg reclaim costs when it can free nothing: the
# state true_oom's hog leaves its memcg in, without the hog's faults.
# A memcg holds anon it cannot reclaim (no swap) and a file's shadow
# nodes, so its workingset shrinker bit stays set and counts 0, as in
# true_oom; memory.reclaim then fails WRITES times, each after 17
# reclaim episodes (39 walks each on one node, counted by kprobes).
# Under ICOUNT=0 guest time counts instructions, so the episodes' summed
# traced time (walk_episodes_ns) is what they execute; the trace's
# microsecond stamps make walk_episode_ns, the median, step by about 1%.
# Runs fall in two modes some 7% apart (inferred: whether the hog's
# deferred split queue is empty); compare runs within a mode.
# A by-hand guest plan for ab-kernels.sh (which needs it to wait for
# START_UPTIME, as below):
#   ICOUNT=0 bench/experiments/ab-kernels.sh OLD NEW \
#     bench/experiments/reclaim-walk.sh PAIRS OUT
#   bench/experiments/ab-ratio.py OUT/runs.tsv walk_episodes_ns
while [ "$(cut -d. -f1 /proc/uptime)" -lt 35 ]; do sleep 0.1; done
cut -d' ' -f1 /proc/uptime >/results/start-uptime.txt
export OUT=/results/bench
. /wb/bench/lib.sh

WRITES=${WRITES:-40}
m=$(bench_memcg reclaim_walk max)
d=$(bench_scratch reclaim_walk)
ok=1
# made outside the memcg, and held open: its inode is not the memcg's to
# evict, so the shadow nodes stay on the memcg's list
dd if=/dev/zero of="$d/file" bs=1M count=16 status=none && sync
sleep 1000000 <"$d/file" &
holder=$!
# its pages were charged to the writer: drop them (no shadow entries)
# so that the memcg's read charges them, and its reclaim leaves shadows
echo 1 >/proc/sys/vm/drop_caches
in_memcg "$m" stress-ng --vm 1 --vm-bytes 40M --vm-keep --vm-hang 0 \
	--timeout 600s >>"$OUT/stress-ng.log" 2>&1 &
hog=$!
t=$(now)
while [ "$(memcg_stat "$m" anon)" -lt $((40 << 20)) ] && within "$t" 60; do
	sleep 0.5
done
in_memcg "$m" cat "$d/file" >/dev/null
read0=$(memcg_stat "$m" file)
nodes0=$(vmstat_of workingset_nodes)
echo 32M >"$m/memory.reclaim" 2>/dev/null
file=$(memcg_stat "$m" file)
anon=$(memcg_stat "$m" anon)
nodes=$(vmstat_of workingset_nodes)
{
	echo "read: file $read0; vmstat workingset_nodes $nodes0"
	echo "before: file $file anon $anon; vmstat workingset_nodes $nodes"
	grep -H . /proc/swaps
} >"$OUT/state.txt"
# the load the figure needs: the anon held, the file read into the memcg
# and reclaimed from it, leaving shadow nodes (the memcg keeps a few MiB
# of file pages the hog maps)
[ "${anon:-0}" -ge $((40 << 20)) ] && [ "${read0:-0}" -ge $((16 << 20)) ] &&
	[ $((${read0:-0} - ${file:-0})) -ge $((14 << 20)) ] &&
	[ "${nodes:-0}" -gt 0 ] || ok=0
# the walk without swap is the one measured: with swap the anon LRUs
# are scanned too
[ "$(wc -l </proc/swaps)" -le 1 ] || ok=0

bench_trace_on vmscan/mm_vmscan_memcg_reclaim_begin \
	vmscan/mm_vmscan_memcg_reclaim_end
i=0
fails=0
while [ $i -lt "$WRITES" ]; do
	echo 1M >"$m/memory.reclaim" 2>/dev/null || fails=$((fails + 1))
	i=$((i + 1))
done
bench_trace_off walk
bench_metric walk_writes "$WRITES" writes
bench_metric walk_writes_failed "$fails" writes
bench_metric walk_load_ok "$ok"
# every episode's span, begin to end, by the task that made it
awk '/mm_vmscan_memcg_reclaim_begin/ { b[$1] = $4 + 0 }
	/mm_vmscan_memcg_reclaim_end/ && ($1 in b) {
		printf "%d\n", (($4 + 0) - b[$1]) * 1e9; delete b[$1] }' \
	"$OUT/trace-walk.txt" | sort -n >"$OUT/episodes.txt"
n=$(wc -l <"$OUT/episodes.txt")
bench_metric walk_episodes "$n" episodes
[ "$n" -gt 0 ] && {
	bench_metric walk_episode_ns "$(awk '{ a[NR] = $1 } END {
		print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }' \
		"$OUT/episodes.txt")" ns
	bench_metric walk_episodes_ns "$(awk '{ s += $1 } END { printf "%d", s }' \
		"$OUT/episodes.txt")" ns
}
echo "after: file $(memcg_stat "$m" file) anon $(memcg_stat "$m" anon);" \
	"vmstat workingset_nodes $(vmstat_of workingset_nodes)" \
	>>"$OUT/state.txt"
rm -f "$OUT/trace-walk.txt"
kill $hog $holder 2>/dev/null
pkill -f stress-ng
wait 2>/dev/null
