#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where drop_caches' time goes over many memcgs (the scale scenario's
# setup: N memcgs, each with a tmpfs mount and a file): `echo 2` (slab
# only) and `echo 1` (page cache only) timed apart, then `echo 2` again
# under kprobe events that count the reclaim calls it makes.  SWEEP=1
# also times the background sweep against the timed drops.  A function
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
# SWEEP=1: trace the background sweep (patched kernels) across the timed
# rounds, to tell which drops it overlapped and by how much
if [ "${SWEEP:-0}" = 1 ]; then
	echo mono >$T/trace_clock
	echo 16384 >$T/buffer_size_kb
	{ echo "p:sw/start shrinker_sweep_work" >>$T/kprobe_events &&
	  echo "r:sw/end shrinker_sweep_work" >>$T/kprobe_events &&
	  echo >$T/trace && echo 1 >$T/events/sw/enable; } 2>/dev/null &&
		sw=1 || echo "EXP no probe on shrinker_sweep_work"
	sw_t0=$(now_ns)
fi
: >/tmp/dc-drops
us() {
	t0=$(now_ns)
	echo "$1" >/proc/sys/vm/drop_caches
	t1=$(now_ns)
	echo "$1 $t0 $t1" >>/tmp/dc-drops
	echo $(((t1 - t0) / 1000))
}
# each sweep's span, and each timed drop's overlap with the sweeps; a
# sweep running when tracing began or ended counts from or to that time
sweep_report() {
	echo 0 >$T/events/sw/enable
	sw_t1=$(now_ns)
	awk -v t0="$sw_t0" -v t1="$sw_t1" '
	FNR == NR { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) {
			t = $i; sub(":", "", t); ev = $(i + 1)
			if (ev == "start:") s = t
			else if (ev == "end:" && (s != "" || !seen)) {
				n++; a[n] = (s != "" ? s : t0 / 1e9); b[n] = t; s = "" }
			seen = 1
		}
		next }
	FNR == 1 && s != "" { n++; a[n] = s; b[n] = t1 / 1e9; s = "" }
	{ d0 = $2 / 1e9; d1 = $3 / 1e9; o = 0
	  for (k = 1; k <= n; k++) {
		lo = (a[k] > d0 ? a[k] : d0); hi = (b[k] < d1 ? b[k] : d1)
		if (hi > lo) o += hi - lo }
	  printf "EXP drop %s: %.1f ms, %.1f ms of it under a sweep\n", $1, (d1 - d0) * 1e3, o * 1e3 }
	END { for (k = 1; k <= n; k++) { tot += b[k] - a[k]
			printf "EXP sweep %d: at %.3f s, %.1f ms\n", k, a[k], (b[k] - a[k]) * 1e3 }
		printf "EXP sweeps: %d, %.1f ms in all\n", n, tot * 1e3 }' \
		$T/trace /tmp/dc-drops
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
# one slab drop under kprobe events: the calls it makes, and what
# shrink_slab() returned in all (the drop loops while that is large)
traced_drop() {
	FUNCS="shrink_slab do_shrink_slab shrinker_scan_instance super_cache_count
shrink_slab_memcg"
	for f in $FUNCS; do
		echo "p:dc/$f $f" >>$T/kprobe_events 2>/dev/null || echo "EXP no probe on $f"
	done
	echo 'r:dc/shrink_slab_ret shrink_slab ret=$retval:u64' >>$T/kprobe_events
	echo 16384 >$T/buffer_size_kb
	echo >$T/trace
	S=$T/events/vmscan/mm_shrink_slab_start
	E=$T/events/vmscan/mm_shrink_slab_end
	echo 1 >$T/events/dc/enable
	echo 1 >$S/enable
	echo 1 >$E/enable
	echo "EXP traced ($1): slab $(us 2) us"
	echo 0 >$E/enable
	echo 0 >$S/enable
	echo 0 >$T/events/dc/enable
	# DUMP=1: every pass that scanned, and every shrink_slab() that freed
	[ "${DUMP:-0}" = 1 ] && grep -E 'mm_shrink_slab_(start|end)|shrink_slab_ret: .* ret=[1-9]' \
		$T/trace | sed 's/^ */EXP dump /'
	# what each pass asked (delta) against all it could have (twice the
	# cache's items, 6.12's ask at priority 0 for seeks 2)
	awk '$1 !~ /^#/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) {
			ev = $(i + 1); sub(":", "", ev); n[ev]++ }
		for (i = 1; i <= NF; i++) if ($i ~ /^ret=/) {
			v = $i; sub("ret=", "", v); freed += v }
		for (i = 1; i < NF; i++) {
			if ($i == "items") items += $(i + 1)
			if ($i == "delta") delta += $(i + 1)
			if ($i == "total_scan") total += $(i + 1) } }
		END { for (e in n) printf "EXP calls %s %d\n", e, n[e]
			printf "EXP shrink_slab returned %d in all\n", freed
			printf "EXP passes: cache items %d, delta %d, total_scan %d\n",
				items, delta, total }' $T/trace | sort
	echo "EXP lost events: $(awk '$1 == "overrun:" { s += $2 } END { print s + 0 }' $T/per_cpu/cpu*/stats)"
	echo 0 >$T/events/dc/enable
	echo >$T/kprobe_events
}
# TRACE_FIRST=1: trace the first slab drop, the one that frees, instead
# of one after the rounds (not with SWEEP=1, which shares the buffer)
if [ "${TRACE_FIRST:-0}" = 1 ]; then
	[ "${sw:-0}" = 1 ] && { echo "EXP TRACE_FIRST=1 and SWEEP=1 exclude each other"; exit 1; }
	traced_drop first
fi
r=0
while [ $r -lt "$ROUNDS" ]; do
	echo "EXP round $r: slab $(us 2) us, pagecache $(us 1) us, both $(us 3) us"
	r=$((r + 1))
done
[ "${sw:-0}" = 1 ] && sweep_report
[ "${TRACE_FIRST:-0}" = 1 ] || traced_drop "after the rounds"
echo "EXP done"
