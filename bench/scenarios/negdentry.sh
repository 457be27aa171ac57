#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Negative dentries: two shells look up names that do not exist on ext4,
# each name once, in one memcg with no limit and no memory pressure.
# Every lookup leaves a negative dentry.  How many are there over time,
# on the patched kernel, where does the memcg's superblock instance sit
# against its high watermark, and how much CPU does kswapd take, with no
# memory pressure to wake it?  What it costs (issue 27): the lookups'
# own rate, a hot tree in the same memcg stat-walked every 5 s beside
# them, whose dentries the trim must leave, and a create/unlink load
# (stress-ng --dentry) once the negative dentries are in place.
. /wb/bench/lib.sh

DURATION=${DURATION:-60}
# NEG_TRIM (0 or 1): the control below
case ${NEG_TRIM:-1} in
0 | 1) ;;
*) echo "negdentry: NEG_TRIM must be 0 or 1, not '$NEG_TRIM'" >&2
	exit 1 ;;
esac
# NEG_TRIM=0, a control: the patched kernel's background trim off
# (shrinker.trim), to split its CPU from the rest of other_cpu_ms.  Base
# has neither the parameter nor shrinker instances, and runs as always;
# a kernel with instances and no parameter cannot run the control.  Set
# before the scenario records anything: a control that cannot be set
# leaves no metrics, and the run is FAILED.
TRIM_PARAM=/sys/module/shrinker/parameters/trim
# trim_state: 1 or 0 as the parameter reads, nothing if it cannot be read
trim_state() {
	case $(cat "$TRIM_PARAM" 2>/dev/null) in
	Y) echo 1 ;;
	N) echo 0 ;;
	esac
}
if [ "${NEG_TRIM:-1}" = 0 ]; then
	if [ -e "$TRIM_PARAM" ]; then
		echo 0 >"$TRIM_PARAM" && [ "$(trim_state)" = 0 ] || {
			echo "negdentry: cannot turn shrinker.trim off" >&2
			exit 1
		}
	elif ls /sys/kernel/debug/shrinker/*/instances >/dev/null 2>&1; then
		echo "negdentry: NEG_TRIM=0 on a kernel with shrinker instances and no shrinker.trim" >&2
		exit 1
	fi
fi
trim0=$(trim_state)
[ -n "$trim0" ] && bench_metric trim_on "$trim0" bool
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

# CPU time all tasks spent, in clock ticks (user, nice, system, irq,
# softirq): what the lookups took, and what the rest (the trim) took
cpu_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
# a task's own CPU time, in clock ticks
task_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The hot tree: TREE_DIRS directories of 1000 empty files, made in the
# memcg before the lookups start.
TREE_DIRS=${TREE_DIRS:-10}
tree=$dir/tree
rm -rf "$tree"
in_memcg "$m" sh -c '
	i=0
	while [ $i -lt "$1" ]; do
		mkdir -p "$0/d$i" && cd "$0/d$i" && seq 1000 | xargs touch || exit 1
		i=$((i + 1))
	done' "$tree" "$TREE_DIRS"
# du stats every file, and lists each: a walk that lists fewer did not
# walk the tree
walk() { in_memcg "$m" du -a "$tree" | wc -l; }
tree_files=$(walk)
# a short tree is a load that did not run: tree_entries 0, NOT MEASURED
if [ "$tree_files" -le $((TREE_DIRS * 1000)) ]; then
	echo "negdentry: a tree of $tree_files entries" >&2
	tree_files=0
fi
bench_metric tree_entries "$tree_files" entries
: >"$OUT/walk-ms.txt"


neg0=$(neg)
k0=$(kswapd_ticks)
c0=$(cpu_ticks)
p0=$(vmstat_of pageoutrun)
t0=$(date +%s)
bench_sampler "$m"
# The lookups run as their own processes, killed by pid at the end, and
# away from the scenario's output, which a pipe may be reading.
# Each says how many lookups it made when it is told to stop.
cat >/tmp/neglook.sh <<'LOOK'
i=0
trap 'echo $i >"$3"; exit 0' TERM
while :; do
	[ -e "$1/w$2-$i" ]
	i=$((i + 1))
done
LOOK
rm -f "$OUT/neglook.0" "$OUT/neglook.1"
ts=$(now)
for w in 0 1; do
	sh -c 'echo $$ >"$0/cgroup.procs" && exec sh /tmp/neglook.sh "$@"' \
		"$m" "$dir" "$w" "$OUT/neglook.$w" </dev/null >/dev/null 2>&1 &
	eval "w$w=\$!"
done
peak=0
# by the clock, so a slower walk does not lengthen the run
el() { awk -v a="$ts" -v b="$(now)" 'BEGIN { printf "%d", b - a }'; }
while within "$ts" "$RUN"; do
	sleep 5
	t=$(el)
	a=$(now_ns)
	f=$(walk)
	b=$(now_ns)
	[ -n "$a" ] && [ -n "$b" ] && echo "$(((b - a) / 1000000)) $f $t" >>"$OUT/walk-ms.txt"
	n=$(neg)
	[ "$n" -gt "$peak" ] && peak=$n
	echo "$t $n $(dentries) $(sb_inst count) $(sb_inst high)" >>"$OUT/negdentry.txt"
done
wt=$(($(task_ticks "$w0") + $(task_ticks "$w1")))
c1=$(cpu_ticks)
te=$(now)
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
# The lookups: both shells' counts, over the time they ran and over
# their own CPU time.  Per CPU second is the lookup path's cost: the
# sampling beside them forks more on the patched kernel (its debugfs
# has instances to read), which takes CPU from the shells, not from
# their lookups.  Most of a shell's loop is the shell itself, and base's
# longer hash chains (it keeps every negative dentry) slow its lookups:
# the figure is the whole loop's, with both in it.
lk=$(cat "$OUT/neglook.0" "$OUT/neglook.1" 2>/dev/null | awk '{ s += $1; n++ }
	END { if (n == 2) print s }')
if [ -n "$lk" ] && [ "$wt" -gt 0 ]; then
	bench_metric neg_lookups "$lk" lookups
	bench_metric neg_lookups_per_s "$(awk -v n="$lk" -v a="$ts" -v b="$te" \
		'BEGIN { printf "%.1f", n / (b - a) }')" lookups/s
	bench_metric neg_lookups_per_cpu_s "$(awk -v n="$lk" -v t="$wt" -v hz="$hz" \
		'BEGIN { printf "%.1f", n * hz / t }')" lookups/s
	bench_metric nr_negative_end_per_lookup "$(awk -v n="$(neg)" -v l="$lk" \
		'BEGIN { printf "%.4f", n / l }')" ratio
fi
# CPU time beside the lookup shells' own: the sampler, the walks, and
# whatever trimmed (kswapd, the drain worker), on both kernels
bench_metric other_cpu_ms $(((c1 - c0 - wt) * 1000 / hz)) ms
# Every walk found the whole tree, or the figure is not the walk's.  The
# median is of the walks after the working-set period and a sweep (30
# s): before them the patched kernel trims nothing.
bad=$(awk -v n="$tree_files" '$2 != n { b++ } END { print b + 0 }' "$OUT/walk-ms.txt")
set -- $(awk '$3 >= 30 { print $1 }' "$OUT/walk-ms.txt" | sort -n |
	awk '{ w[NR] = $1 } END { if (NR) print NR, w[int((NR + 1) / 2)], w[NR] }')
if [ "$bad" = 0 ] && [ $# -eq 3 ]; then
	bench_metric tree_walks "$1" walks
	bench_metric tree_walk_ms_median "$2" ms
	bench_metric tree_walk_ms_max "$3" ms
fi
# the trim's setting held through the run
trim1=$(trim_state)
[ -n "$trim1" ] && bench_metric trim_on_end "$trim1" bool
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
# Creating and unlinking files beside the negative dentries left (issue
# 27: the 6.10 "delete the dentry on unlink" change was reverted for a
# filebench loss of 7.4%)
in_memcg "$m" stress-ng --dentry 1 --dentries 2048 --temp-path "$dir" \
	--timeout "$((DURATION / 4 > 10 ? DURATION / 4 : 10))s" --metrics-brief \
	--yaml "$OUT/stress-ng.yaml" >"$OUT/stress-ng.log" 2>&1
ops=$(stress_ng_ops "$OUT/stress-ng.yaml" dentry)
bench_metric stress_ng_dentry_ops "${ops:-0}" ops
