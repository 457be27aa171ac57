#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Negative dentries: two shells look up names that do not exist on ext4,
# each name once, in one memcg with no limit and no memory pressure.
# Every lookup leaves a negative dentry.  How many are there over time,
# on the patched kernel, where does the memcg's superblock instance sit
# against its high watermark, and how much CPU does kswapd take, with no
# memory pressure to wake it?
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
# twice the usual: a working-set period (20 s) passes before any trimming
RUN=${NEG_DURATION:-$((DURATION * 2))}
dir=$(bench_scratch negdentry)
m=$(bench_memcg negdentry max)
neg() { awk '{ print $5 }' /proc/sys/fs/dentry-state; }
dentries() { awk '{ print $1 }' /proc/sys/fs/dentry-state; }

# sb_inst FIELD: of the memcg's largest superblock instance on node 0
sb_inst() {
	mi=$(stat -c %i "$m")
	for d in /sys/kernel/debug/shrinker/sb-*; do
		[ -f "$d/instances" ] || continue
		awk -v m="$mi" -v f="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$1 == m && $2 == 0 { print $c["count"], $c[f]; exit }' "$d/instances"
	done | sort -n | tail -n 1 | cut -d " " -f 2
}

# kswapd_ticks: the CPU time of every node's kswapd, in clock ticks
kswapd_ticks() {
	for c in /proc/[0-9]*/comm; do
		case $(cat "$c" 2>/dev/null) in
		kswapd*) awk '{ print $14 + $15 }' "${c%comm}stat" ;;
		esac
	done | awk '{ s += $1 } END { print s + 0 }'
}

neg0=$(neg)
k0=$(kswapd_ticks)
p0=$(vmstat_of pageoutrun)
t0=$(date +%s)
bench_sampler "$m"
# The lookups run as their own processes, killed by pid at the end, and
# away from the scenario's output, which a pipe may be reading.
cat >/tmp/neglook.sh <<'LOOK'
i=0
while :; do
	[ -e "$1/w$2-$i" ]
	i=$((i + 1))
done
LOOK
for w in 0 1; do
	sh -c 'echo $$ >"$0/cgroup.procs" && exec sh /tmp/neglook.sh "$@"' \
		"$m" "$dir" "$w" </dev/null >/dev/null 2>&1 &
	eval "w$w=\$!"
done
peak=0
t=0
while [ $t -lt "$RUN" ]; do
	sleep 5
	t=$((t + 5))
	n=$(neg)
	[ "$n" -gt "$peak" ] && peak=$n
	echo "$t $n $(dentries) $(sb_inst count) $(sb_inst high)" >>"$OUT/negdentry.txt"
done
kill "$w0" "$w1" 2>/dev/null
wait "$w0" "$w1" 2>/dev/null
k1=$(kswapd_ticks)
p1=$(vmstat_of pageoutrun)
t1=$(date +%s)
bench_stop_sampler

# No memory pressure: kswapd should sleep through it (review II-2)
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
bench_metric kswapd_cpu_ms $(((k1 - k0) * 1000 / hz)) ms
bench_metric kswapd_cpu_pct \
	"$(awk -v k=$((k1 - k0)) -v hz="$hz" -v t=$((t1 - t0)) \
		'BEGIN { printf "%.3f", (t > 0 ? 100 * k / hz / t : 0) }')" pct
bench_metric kswapd_pageoutrun $((p1 - p0)) runs
bench_metric lookup_s $((t1 - t0)) s
bench_metric nr_negative_start "$neg0" dentries
bench_metric nr_negative_end "$(neg)" dentries
bench_metric nr_negative_peak "$peak" dentries
bench_metric nr_dentry_end "$(dentries)" dentries
bench_metric memcg_slab_reclaimable_kib \
	$(($(memcg_stat "$m" slab_reclaimable) / 1024)) KiB
count=$(sb_inst count)
high=$(sb_inst high)
if [ -n "$count" ] && [ -n "$high" ] && [ "$high" != max ]; then
	bench_metric sb_instance_count "$count" objects
	bench_metric sb_instance_high "$high" objects
	bench_metric sb_instance_over_high \
		"$(awk -v c="$count" -v h="$high" 'BEGIN { printf "%.3f", c / h }')" ratio
fi
