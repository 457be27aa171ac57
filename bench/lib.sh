#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest-side helpers for bench scenarios (busybox sh).  A scenario sources
# this, sets up its memcg with bench_memcg, starts the sampler, runs its
# load and writes what it measured with bench_metric.

CG=/sys/fs/cgroup
OUT=${OUT:-/results/bench}
INTERVAL=${INTERVAL:-1}
mkdir -p "$OUT"

now() { cut -d' ' -f1 /proc/uptime; }

# within T S: true while fewer than S seconds have passed since now() read T
within() {
	awk -v a="$1" -v b="$(now)" -v s="$2" 'BEGIN { exit !(b - a < s) }'
}

# Monotonic ns, for spans that /proc/uptime's 10 ms would round away.
now_ns() {
	awk '/^now at/ { print $3; exit }' /proc/timer_list 2>/dev/null
}

# Shrinker instances in the system (patched kernels only; empty on base).
bench_instances() {
	awk '$1 == "instances" { print $2 }' /sys/kernel/debug/shrinker/stats 2>/dev/null
}

# "key value" lines of a file as a JSON object.
kv_json() {
	awk '{ printf "%s\"%s\":%s", (NR > 1 ? "," : ""), $1, ($2 == "" ? 0 : $2) }
	     END { if (NR == 0) printf "" }' "$1" 2>/dev/null
}

psi_json() {
	awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "=");
		printf "%s\"%s_%s\":%s", (n++ ? "," : ""), $1, kv[1], kv[2] } }' \
		"$1" 2>/dev/null
}

# bench_sampler MEMCG: sample vmstat, the memcg's memory.stat, memory.events,
# cgroup.stat and PSI every INTERVAL seconds to $OUT/samples.jsonl.
bench_sampler() {
	m=$1
	(
		while :; do
			printf '{"t":%s,"vmstat":{%s},"memory.stat":{%s},"memory.events":{%s},"cgroup.stat":{%s},"memory.current":%s,"psi":{%s},"memcg_psi":{%s}}\n' \
				"$(now)" "$(kv_json /proc/vmstat)" "$(kv_json "$m/memory.stat")" \
				"$(kv_json "$m/memory.events")" "$(kv_json "$m/cgroup.stat")" \
				"$(cat "$m/memory.current" 2>/dev/null || echo 0)" \
				"$(psi_json /proc/pressure/memory)" "$(psi_json "$m/memory.pressure")"
			sleep "$INTERVAL"
		done
	) >>"$OUT/samples.jsonl" &
	SAMPLER=$!
}

bench_stop_sampler() {
	[ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null
	wait "$SAMPLER" 2>/dev/null
	SAMPLER=
}

# bench_memcg NAME MAX: a child of the root memcg with memory.max = MAX.
bench_memcg() {
	echo "+memory" >$CG/cgroup.subtree_control
	mkdir -p "$CG/$1"
	echo "$2" >"$CG/$1/memory.max"
	echo "$CG/$1"
}

# Run a command inside a memcg.
in_memcg() {
	cg=$1
	shift
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}

# bench_metric NAME VALUE [UNIT]: one measured figure of this run.
bench_metric() {
	printf '{"name":"%s","value":%s,"unit":"%s"}\n' "$1" "$2" "${3:-}" >>"$OUT/metrics.jsonl"
}

# A scratch ext4 directory: the root image is ext4 on virtio-blk, which
# keeps negative dentries (tmpfs would drop them).
bench_scratch() {
	mkdir -p /scratch/"$1"
	echo /scratch/"$1"
}

# bench_ext4_disk NAME [MKFS_OPTION...]: a fresh ext4 on the guest's empty
# scratch disk (run-guest.sh), mounted; prints the mount point.  A
# filesystem of the scenario's own can be frozen, which flushes and
# checkpoints its journal, and does not run the root out of inodes.
bench_ext4_disk() {
	n=$1
	shift
	mkdir -p /scratch/"$n"
	mkfs.ext4 -q "$@" "${SCRATCH_DEV:-/dev/vdb}" >/dev/null 2>&1 &&
		mount "${SCRATCH_DEV:-/dev/vdb}" /scratch/"$n" || {
		echo "bench_ext4_disk: cannot make ext4 on ${SCRATCH_DEV:-/dev/vdb}" >&2
		return 1
	}
	echo /scratch/"$n"
}

# The test module built for the running kernel, and its debugfs.
ST=/sys/kernel/debug/shrinker_test
bench_module() {
	lsmod | grep -q '^shrinker_test' ||
		insmod /kselftest/shrinker/shrinker_test.ko || return 1
}

# st_stat CACHE KEY
st_stat() {
	awk -v k="$2" '$1 == k { print $2 }' "$ST/$1/stats"
}

# Save a cache's stats as JSON: bench_st_json CACHE LABEL
bench_st_json() {
	printf '{"label":"%s","t":%s,"stats":{%s}}\n' "$2" "$(now)" \
		"$(grep -v '^name ' "$ST/$1/stats" | awk '{ printf "%s\"%s\":%s", (NR > 1 ? "," : ""), $1, $2 }')" \
		>>"$OUT/module.jsonl"
}

TRACE=/sys/kernel/tracing
SHRINK_EVENTS="vmscan/mm_shrink_slab_start vmscan/mm_shrink_slab_end"
# bench_trace_on EVENT...: record these tracepoints, from an empty buffer.
bench_trace_on() {
	echo 0 >$TRACE/tracing_on
	echo >$TRACE/trace
	echo 16384 >$TRACE/buffer_size_kb
	# a task the trace cannot name ("<...>") cannot be told apart: keep
	# the names of more tasks than the 128 a short-lived shell churns
	{ echo 4096 >$TRACE/saved_cmdlines_size; } 2>/dev/null
	BENCH_TRACED=0
	BENCH_ASKED=$#
	for e in "$@"; do
		echo 1 >"$TRACE/events/$e/enable" &&
			[ "$(cat "$TRACE/events/$e/enable")" = 1 ] &&
			BENCH_TRACED=$((BENCH_TRACED + 1))
	done
	echo 1 >$TRACE/tracing_on
}

# bench_trace_off LABEL: save the trace to $OUT/trace-LABEL.txt, disable
# every event.  Figures trace_events_LABEL: the events the trace had on,
# of trace_asked_LABEL asked for; 0 tells a gate that zero traced time
# means no trace, not no stall.  trace_lost_LABEL: events the ring buffer
# overwrote, which a gate on traced time must see at 0.
bench_trace_off() {
	echo 0 >$TRACE/tracing_on
	cat $TRACE/trace >"$OUT/trace-$1.txt"
	echo 0 >$TRACE/events/enable
	bench_metric "trace_lost_$1" "$(awk '$1 == "overrun:" { s += $2 } END { print s + 0 }' \
		$TRACE/per_cpu/cpu*/stats)" events
	echo >$TRACE/trace
	bench_metric "trace_events_$1" "${BENCH_TRACED:-0}" events
	bench_metric "trace_asked_$1" "${BENCH_ASKED:-0}" events
}

# bench_n QUICK DEFAULT FULL: a size for the current BENCH length.
bench_n() {
	case ${BENCH:-default} in
	quick) echo "$1" ;;
	full) echo "$3" ;;
	*) echo "$2" ;;
	esac
}

# The passes over FUNC in a trace: "worst_ratio total_scan delta
# max_deferred passes", where worst_ratio is the largest total_scan/delta
# (a pass's scan against its own target) and max_deferred the most
# deferred work a pass started with ("objects to shrink").
trace_worst_pass() {
	awk -v fn="$2" '/mm_shrink_slab_start/ && index($0, fn) {
		d = 0; ts = 0; nr = 0; n++
		for (i = 1; i <= NF; i++) {
			if ($i == "delta") d = $(i + 1)
			if ($i == "total_scan") ts = $(i + 1)
			if ($i == "shrink" && $(i - 2) == "objects") nr = $(i + 1)
		}
		if (nr > maxnr) maxnr = nr
		if (d < 1) d = 1
		r = ts / d
		if (r > best) { best = r; bts = ts; bd = d }
	} END { printf "%.2f %d %d %d %d\n", best, bts, bd, maxnr, n }' "$1"
}

# Reclaim episodes from the tracepoints: "count total_ms max_ms".
# direct_reclaim_times TRACE [KIND], KIND direct (default) or memcg.
direct_reclaim_times() {
	awk -v b="mm_vmscan_${2:-direct}_reclaim_begin" -v e="mm_vmscan_${2:-direct}_reclaim_end" '
	     index($0, b) { t[$1] = $4 + 0 }
	     index($0, e) { if ($1 in t) { d = ($4 + 0) - t[$1];
		n++; s += d; if (d > mx) mx = d; delete t[$1] } }
	     END { printf "%d %.1f %.1f\n", n, s * 1000, mx * 1000 }' "$1"
}

# reclaim_episodes TRACE KIND COMM_RE: the direct or memcg (KIND) reclaim
# episodes of the tasks whose name matches the awk regex COMM_RE, the
# workload's own stalls, and each time reclaim_throttle() held one of
# them outside any reclaim episode (mm_vmscan_throttled, where traced: a
# charge or allocation waiting on work in flight): "count total_ms max_ms
# p99_us unnamed throttled_ms".  p99 is the nearest-rank 99th percentile
# of the episodes, in whole us, 0 with none; unnamed counts episodes of
# any task the trace could not name ("<...>"), which a gate must see at
# 0; throttled_ms is the throttles' part of the total.  Fails with no
# trace file.
reclaim_episodes() {
	local eps="$OUT/.episodes.$$" sums p99

	[ -f "$1" ] || return 1
	sums=$(awk -v b="mm_vmscan_$2_reclaim_begin" -v e="mm_vmscan_$2_reclaim_end" \
		-v re="$3" -v f="$eps" '
	     function named(k) { c = k; sub(/-[0-9]+$/, "", c)
		if (c == "<...>") { u++; return 0 }
		return c ~ re }
	     function add(d) { n++; s += d; if (d > mx) mx = d
		printf "%d\n", d * 1000000 + 0.5 >f }
	     BEGIN { printf "" >f }
	     /mm_vmscan_(direct|memcg)_reclaim_begin:/ { o[$1] = 1 }
	     /mm_vmscan_(direct|memcg)_reclaim_end:/ { delete o[$1] }
	     index($0, b) { t[$1] = $4 + 0 }
	     index($0, e) { if (!($1 in t)) next
		d = ($4 + 0) - t[$1]; delete t[$1]
		if (named($1)) add(d) }
	     /mm_vmscan_throttled:/ { if ($1 in o) next
		for (i = 5; i <= NF; i++) if ($i ~ /^usec?t?_delayed=/) {
			d = substr($i, index($i, "=") + 1) / 1000000
			if (named($1)) { add(d); th += d } } }
	     END { printf "%d %.1f %.1f %d %.1f\n", n, s * 1000, mx * 1000, u, th * 1000 }' "$1") ||
		return 1
	set -- $sums
	p99=$(sort -n "$eps" | awk -v n="$1" '
		BEGIN { k = int(n * 0.99); if (k < n * 0.99) k++ }
		NR == k { print $1; exit }')
	rm -f "$eps"
	echo "$1 $2 $3 ${p99:-0} $4 $5"
}

# stress_ng_ops YAML STRESSOR: the bogo ops stress-ng's --yaml output
# gives STRESSOR; nothing when it gives none
stress_ng_ops() {
	awk -v s="$2" '$1 == "-" && $2 == "stressor:" && $3 == s { f = 1 }
		f && $1 == "bogo-ops:" { print $2; exit }' "$1"
}

# fio_clat_p99_us JSON: the first job's read completion latency p99, in
# us; nothing when fio wrote none
fio_clat_p99_us() {
	awk '/"clat_ns"/ { c = 1 } c && /"99.000000"/ {
		gsub(/[^0-9]/, "", $NF); if ($NF != "") printf "%.1f\n", $NF / 1000; exit }' "$1"
}

# trace_sum TRACE EVENT MATCH FIELD: FIELD= summed over EVENT's lines that
# also contain MATCH
trace_sum() {
	awk -v ev="$2: " -v m="$3" -v f="$4=" '
	     index($0, ev) && index($0, m) { for (i = 1; i <= NF; i++)
		if (index($i, f) == 1) s += substr($i, length(f) + 1) }
	     END { printf "%d\n", s }' "$1"
}

# throttled_ms TRACE: the time reclaim_throttle() held tasks, from
# mm_vmscan_throttled (upstream spells the field usect_delayed)
throttled_ms() {
	awk '/mm_vmscan_throttled/ { for (i = 1; i <= NF; i++)
		if ($i ~ /^usec?t?_delayed=/) { sub(/.*=/, "", $i); s += $i } }
	     END { printf "%.1f\n", s / 1000 }' "$1"
}

# oom_latency TRACE: in a trace of one OOM, "ms episodes reclaim_ms": the
# time from the first memcg reclaim (the charge meeting the limit) to the
# victim being marked (oom:mark_victim), and the memcg reclaim episodes
# and their time before it.  Empty without both.
oom_latency() {
	awk '/mm_vmscan_memcg_reclaim_begin/ { if (!t0) t0 = $4 + 0; b[$1] = $4 + 0 }
	     /mm_vmscan_memcg_reclaim_end/ { if ($1 in b) { n++; s += ($4 + 0) - b[$1]
		delete b[$1] } }
	     /mark_victim:/ { k = $4 + 0; exit }
	     END { if (k && t0) printf "%.1f %d %.1f\n", (k - t0) * 1000, n, s * 1000 }' "$1"
}

# bench_storm M STORM LEAF_MAX HOG_MB [STOP_MB]: an OOM storm.  STORM
# memcgs M/storm0.. (memory.max LEAF_MAX), each with an anon hog of
# HOG_MB (the selftests' oom_eat, which stops itself once it has eaten
# STOP_MB, 0 by default); all are continued at once when all have
# stopped, and a kill in each is waited for up to 120 s.  A leaf storm
# stops its hogs part way and then lowers their limits to just above
# what each holds: eight hogs eating from nothing on two vCPUs meet
# their limits further apart than a leaf OOM takes.  Each victim's time
# then also holds the other victims' OOMs (oom_lock) and their CPU.
# Figures: each victim's ms from its own first memcg
# reclaim to its mark_victim (median and slowest), its reclaim time in
# that span (median), how many memcgs saw a kill, how many victims'
# reclaim began before the first kill, how far apart the victims' first
# memcg reclaims began (a storm, not kills one after another), the
# storm memcgs' own OOMs (memory.events.local), and the
# OOM decisions the patched kernel deferred for shrinker work (0 on
# base).  The OOM reports go to the log only meanwhile, on both kernels:
# printed to the serial console under oom_lock at TCG speed they would
# serialise the kills on the console.  The trace takes the monotonic
# clock: a victim's reclaim and its kill may be logged on two CPUs.  The
# storm's tasks are gone and its memcgs removed on return.
bench_storm() {
	local sm=$1 sn=$2 stop_mb=${5:-0} lvl pids= p j js ts killed stopped d0
	local want lim spread

	js=$(seq 0 $((sn - 1)))
	lvl=$(cut -f1 /proc/sys/kernel/printk)
	dmesg -n 1
	d0=$(vmstat_of shrinker_oom_deferred)
	for j in $js; do
		mkdir "$sm/storm$j" && echo "$3" >"$sm/storm$j/memory.max"
		# not in_memcg: a function run in the background is a subshell,
		# and $! must be the hog's own pid
		sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$sm/storm$j" \
			env OOM_EAT_STOP="$stop_mb" \
			/kselftest/shrinker/oom_eat "$4" 1000 \
			>>"$OUT/oom-eat-storm.log" 2>&1 &
		pids="$pids $!"
	done
	# every hog stopped where it was told to (the state after its comm),
	# then all continue
	ts=$(now)
	stopped=0
	for p in $pids; do
		while [ "$(proc_state "$p")" != T ] && within "$ts" 30; do
			sleep 0.1
		done
		[ "$(proc_state "$p")" = T ] && stopped=$((stopped + 1))
	done
	# Hogs stopped part way are brought within 64 KiB (plus what the
	# per-CPU charge stock holds) of their limits: their last MiB alone,
	# eight hogs on two vCPUs, spreads their OOMs wider than one takes.
	# Only when all stopped: a hog still eating would OOM untraced.
	if [ "$stop_mb" -gt 0 ] && [ "$stopped" -eq "$sn" ]; then
		for j in $js; do
			want=$(cat "$sm/storm$j/memory.current") || continue
			want=$((want + 65536))
			lim=$(cat "$sm/storm$j/memory.max") || continue
			if [ "$lim" = max ] || [ "$want" -lt "$lim" ]; then
				echo "$want" >"$sm/storm$j/memory.max"
			fi
		done
	fi
	storm_domain "$sm" before
	echo mono >$TRACE/trace_clock
	bench_trace_on vmscan/mm_vmscan_memcg_reclaim_begin \
		vmscan/mm_vmscan_memcg_reclaim_end oom/mark_victim
	kill -CONT $pids
	ts=$(now)
	killed=0
	while [ "$killed" -lt "$sn" ] && within "$ts" 120; do
		sleep 0.5
		killed=0
		for j in $js; do
			[ "$(memcg_event "$sm/storm$j" oom_kill)" -gt 0 ] && killed=$((killed + 1))
		done
	done
	# what the hogs got and what the domain's reclaim took, before the
	# cleanup's kills: both kernels' reclaim figures count differently
	# (0004 counts instance frees), the domain's own charges do not
	storm_domain "$sm" after
	p=0
	for j in $js; do
		p=$((p + $(cat "$sm/storm$j/memory.peak")))
	done
	bench_metric storm_hog_peak_kib $((p / 1024)) KiB
	for j in $js; do
		echo 1 >"$sm/storm$j/cgroup.kill"
	done
	wait $pids 2>/dev/null
	bench_trace_off storm
	echo local >$TRACE/trace_clock
	dmesg -n "$lvl"
	storm_latency "$OUT/trace-storm.txt" >"$OUT/storm-latency.txt"
	bench_metric storm_memcgs "$sn" memcgs
	bench_metric storm_hogs_stopped "$stopped" hogs
	bench_metric storm_memcgs_killed "$killed" memcgs
	bench_metric storm_victims_traced "$(wc -l <"$OUT/storm-latency.txt")" victims
	bench_metric storm_overlapped \
		"$(awk '{ n += $3 } END { print n + 0 }' "$OUT/storm-latency.txt")" victims
	spread=$(storm_spread "$OUT/storm-latency.txt")
	[ -n "$spread" ] && bench_metric storm_spread_ms "$spread" ms
	[ -n "$d0" ] && bench_metric storm_oom_deferred \
		$(($(vmstat_of shrinker_oom_deferred) - d0)) decisions
	p=0
	for j in $js; do
		p=$((p + $(awk '$1 == "oom" { print $2 }' "$sm/storm$j/memory.events.local")))
	done
	bench_metric storm_oom_local "$p" ooms
	set -- $(awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)], v[NR] }' \
		"$OUT/storm-latency.txt")
	[ $# -eq 2 ] && bench_metric storm_kill_ms_median "$1" ms &&
		bench_metric storm_kill_ms_max "$2" ms
	set -- $(awk '{ print $2 }' "$OUT/storm-latency.txt" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
	[ $# -eq 1 ] && bench_metric storm_reclaim_ms_median "$1" ms
	set -- $(storm_episodes "$OUT/trace-storm.txt")
	bench_metric storm_reclaim_episodes "$1" episodes
	bench_metric storm_reclaim_progress_episodes "$2" episodes
	bench_metric storm_reclaim_ms_total "$3" ms
	bench_metric storm_reclaimed_pages "$4" pages
	ts=$(now)
	for j in $js; do
		while [ -n "$(cat "$sm/storm$j/cgroup.procs")" ] && within "$ts" 30; do
			sleep 0.1
		done
		rmdir "$sm/storm$j" || echo "bench_storm: storm$j is left" >&2
	done
}

# storm_domain MEMCG WHEN: the domain's page cache and reclaimable slab,
# in KiB, as storm_{file,slab}_WHEN_kib (the hogs' anon is theirs)
storm_domain() {
	bench_metric "storm_file_$2_kib" $(($(memcg_stat "$1" file) / 1024)) KiB
	bench_metric "storm_slab_$2_kib" \
		$(($(memcg_stat "$1" slab_reclaimable) / 1024)) KiB
}

# storm_steps TRACE: for each OOM victim of a storm traced with
# probe_pairs on mem_cgroup_out_of_memory and out_of_memory (see
# bench/experiments/storm-oom-profile.sh), "total before wait kill" in
# ms: from its first memcg reclaim to its mark_victim, to its first entry
# to mem_cgroup_out_of_memory(), from there to its first entry to
# out_of_memory() (the wait for oom_lock), and from there to the kill;
# sorted by the first.  A victim missing a step is left out.
storm_steps() {
	awk '{ p = $1; sub(/.*-/, "", p); t = $4 + 0 }
	     $5 == "mm_vmscan_memcg_reclaim_begin:" { if (!(p in t0)) t0[p] = t }
	     $5 == "a_mem_cgroup_out_of_memory:" { if (!(p in ma)) ma[p] = t }
	     $5 == "a_out_of_memory:" { if (!(p in oa)) oa[p] = t }
	     $5 == "mark_victim:" { for (i = 6; i <= NF; i++)
		if ($i ~ /^pid=/) { v = substr($i, 5); if (!(v in k)) k[v] = t } }
	     END { for (v in k) if ((v in t0) && (v in ma) && (v in oa))
		printf "%.1f %.1f %.1f %.1f\n", (k[v] - t0[v]) * 1000,
			(ma[v] - t0[v]) * 1000, (oa[v] - ma[v]) * 1000,
			(k[v] - oa[v]) * 1000 }' "$1" | sort -n
}

# memcg_siblings NAME N: a memcg NAME under the root with N empty
# children c0..c(N-1), memory enabled for both levels; prints its path
memcg_siblings() {
	local p="$CG/$1" i=0
	case $2 in
	'' | *[!0-9]*) echo "memcg_siblings: N must be a number, not '$2'" >&2
		return 1 ;;
	esac
	echo +memory >"$CG/cgroup.subtree_control" &&
		mkdir "$p" && echo +memory >"$p/cgroup.subtree_control" || return 1
	while [ $i -lt "$2" ]; do
		mkdir "$p/c$i" || return 1
		i=$((i + 1))
	done
	echo "$p"
}

# probe_pairs GROUP FUNC...: a kprobe (GROUP/a_FUNC) and a kretprobe
# (GROUP/z_FUNC) on each FUNC, for probe_times; a function that does not
# exist on the kernel or cannot be probed is named ("EXP no probe on")
# and left out.  Enable with $TRACE/events/GROUP/enable.  Mounts tracefs
# at $TRACE if it is not there.
probe_pairs() {
	local g=$1 f
	shift
	[ -d $TRACE/events ] || mount -t tracefs none $TRACE
	for f in "$@"; do
		echo "p:$g/a_$f $f" >>$TRACE/kprobe_events 2>/dev/null || {
			echo "EXP no probe on $f"
			continue
		}
		# an entry without its return would pair with nothing
		echo "r:$g/z_$f $f" >>$TRACE/kprobe_events 2>/dev/null || {
			echo "-:$g/a_$f" >>$TRACE/kprobe_events
			echo "EXP no return probe on $f"
		}
	done
}

# probe_times TRACE LABEL: per function of probe_pairs, "LABEL: FUNC
# calls N total T us max M us", the time from each entry to its return,
# paired per task (none of the functions may recurse), sorted by name
probe_times() {
	awk -v l="$2" '$1 !~ /^#/ {
		ev = ""
		for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = $i; ev = $(i + 1) }
		if (ev !~ /^[az]_/) next
		sub(":", "", ts); sub(":", "", ev)
		task = $1; fn = substr(ev, 3)
		if (ev ~ /^a_/) start[task, fn] = ts
		else if ((task, fn) in start) {
			d = ts - start[task, fn]
			tot[fn] += d; n[fn]++
			if (d > mx[fn]) mx[fn] = d
			delete start[task, fn]
		}
	} END {
		for (fn in tot)
			printf "%s: %s calls %d total %.0f us max %.0f us\n", l, fn,
				n[fn], tot[fn] * 1e6, mx[fn] * 1e6
	}' "$1" | sort
}

# storm_episodes TRACE: the memcg reclaim episodes the trace saw, those
# that reported progress (which let try_charge_memcg() retry without
# spending a retry), their total ms, and the pages they reported
storm_episodes() {
	awk '/mm_vmscan_memcg_reclaim_begin/ { p = $1; sub(/.*-/, "", p)
		b[p] = $4 + 0; n++ }
	     /mm_vmscan_memcg_reclaim_end/ { p = $1; sub(/.*-/, "", p)
		if (p in b) { t += $4 + 0 - b[p]; delete b[p] }
		for (i = 5; i <= NF; i++)
			if ($i ~ /^nr_reclaimed=/) {
				r = substr($i, 14) + 0
				pages += r
				if (r) prog++
			} }
	     END { printf "%d %d %.1f %d\n", n, prog, t * 1000, pages }' "$1"
}

# proc_state PID: a task's state letter, read after its comm, which may
# hold spaces and parentheses
proc_state() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# storm_latency TRACE: for each OOM victim whose memcg reclaim the trace
# saw, ms from its first memcg reclaim to its mark_victim, ms of its
# memcg reclaim in between, 1 if that reclaim began before the first
# mark_victim, and ms from the earliest of the victims' first memcg
# reclaims to its own (how far apart the storm's OOMs began); sorted by
# the first column.  Tasks never marked are not victims and count
# nowhere.
storm_latency() {
	awk '/mm_vmscan_memcg_reclaim_begin/ { p = $1; sub(/.*-/, "", p)
		if (!(p in t0)) t0[p] = $4 + 0
		b[p] = $4 + 0 }
	     /mm_vmscan_memcg_reclaim_end/ { p = $1; sub(/.*-/, "", p)
		if (p in b) { r[p] += $4 + 0 - b[p]; delete b[p] } }
	     /mark_victim:/ { if (!k1) k1 = $4 + 0
		p = ""
		for (i = 5; i <= NF; i++) if ($i ~ /^pid=/) p = substr($i, 5)
		if ((p in t0) && !(p in k)) { k[p] = $4 + 0; rk[p] = r[p]
			v[++n] = p
			if (!f || t0[p] < f) f = t0[p] } }
	     END { for (i = 1; i <= n; i++) { p = v[i]
		printf "%.1f %.1f %d %.1f\n", (k[p] - t0[p]) * 1000, rk[p] * 1000,
			t0[p] <= k1, (t0[p] - f) * 1000 } }' \
		"$1" | sort -n
}

# storm_spread LATENCY: the largest of storm_latency's fourth column, ms
# from the earliest victim's first memcg reclaim to the last one's;
# nothing for no victim, or for a line without the column (a file of
# the older three-column form must not read as a spread of 0)
storm_spread() {
	awk 'NF < 4 { bad = 1 } $4 + 0 > s + 0 { s = $4 + 0 }
	     END { if (NR && !bad) print s + 0 }' "$1"
}

vmstat_of() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

# memcg_event MEMCG KEY: a counter of the memcg's memory.events
memcg_event() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/memory.events"
}

# oom_rounds MEMCG N: N times, an anon hog four times a 64M MEMCG's limit,
# left to run until the memcg's OOM killer has killed (by-hand plans under
# bench/experiments; true_oom.sh times its own rounds)
oom_rounds() {
	i=0
	while [ $i -lt "$2" ]; do
		k0=$(memcg_event "$1" oom_kill)
		in_memcg "$1" stress-ng --vm 1 --vm-bytes 256M --vm-keep --vm-hang 0 \
			--timeout 60s --oomable >>"$OUT/stress-ng.log" 2>&1 &
		pid=$!
		while kill -0 $pid 2>/dev/null; do
			[ "$(memcg_event "$1" oom_kill)" -gt "$k0" ] && break
			sleep 0.05
		done
		kill $pid 2>/dev/null
		wait $pid 2>/dev/null
		pkill -f stress-ng
		i=$((i + 1))
	done
}

# memcg_stat MEMCG KEY: a figure of the memcg's memory.stat
memcg_stat() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"
}

# fio_iops JSON: the first job's read IOPS in fio's JSON output
fio_iops() {
	awk -F: '/"iops"/ { gsub(/[ ,]/, "", $2); print $2; exit }' "$1"
}
