#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where drop_caches' time goes over many memcgs (the scale scenario's
# setup: N memcgs, each with a tmpfs mount and a file): `echo 2` (slab
# only) and `echo 1` (page cache only) timed apart, then `echo 2` again
# under kprobe events that count the reclaim calls it makes.  A function
# the kernel lacks is named and left out, so the same plan runs on base.
# A by-hand guest plan, not a bench scenario:
#   scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/dropcaches-profile.sh OUTDIR
. /wb/bench/lib.sh
N=${N:-4000}
ROUNDS=${ROUNDS:-3}
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs none $T
m=$(bench_memcg dc max)
echo +memory >"$m/cgroup.subtree_control"
mkdir -p /run/dc
i=0
while [ $i -lt "$N" ]; do
	mkdir "$m/c$i" /run/dc/m$i
	in_memcg "$m/c$i" sh -c "mount -t tmpfs none /run/dc/m$i && echo x >/run/dc/m$i/f"
	i=$((i + 1))
done
echo "EXP $N memcgs, instances $(bench_instances)"
# SAMPLER=1: the bench sampler reads the parent's memory.stat meanwhile,
# as in the scale scenario
if [ "${SAMPLER:-0}" = 1 ]; then
	OUT=/tmp/dc-sampler
	mkdir -p $OUT
	bench_sampler "$m"
fi
us() {
	t0=$(now_ns)
	echo "$1" >/proc/sys/vm/drop_caches
	t1=$(now_ns)
	echo $(((t1 - t0) / 1000))
}
# PERF=1: the first slab drop under a system-wide profile instead (perf
# comes in through the extra dir, bench/experiments/perf-extra.sh)
if [ "${PERF:-0}" = 1 ]; then
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	echo 0 >/proc/sys/kernel/kptr_restrict
	mkdir -p /results
	t0=$(now_ns)
	perf record -e cpu-clock -F 4000 -a -g -o /results/perf.data -- \
		sh -c 'echo 2 >/proc/sys/vm/drop_caches' 2>/results/perf-record.log
	echo "EXP profiled: slab and perf $((($(now_ns) - t0) / 1000)) us"
fi
r=0
while [ $r -lt "$ROUNDS" ]; do
	echo "EXP round $r: slab $(us 2) us, pagecache $(us 1) us, both $(us 3) us"
	r=$((r + 1))
done
FUNCS="shrink_slab do_shrink_slab shrinker_scan_instance super_cache_count
shrink_slab_memcg"
for f in $FUNCS; do
	echo "p:dc/$f $f" >>$T/kprobe_events 2>/dev/null || echo "EXP no probe on $f"
done
echo 16384 >$T/buffer_size_kb
echo >$T/trace
echo 1 >$T/events/dc/enable
echo "EXP traced: slab $(us 2) us"
echo 0 >$T/events/dc/enable
awk '$1 !~ /^#/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) {
		ev = $(i + 1); sub(":", "", ev); n[ev]++ } }
	END { for (e in n) printf "EXP calls %s %d\n", e, n[e] }' $T/trace | sort
echo "EXP lost events: $(awk '$1 == "overrun:" { s += $2 } END { print s + 0 }' $T/per_cpu/cpu*/stats)"
echo "EXP done"
