#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection into the framework's own allocations:
#  1-2  failslab, task-filtered: the instance the task's first objects in
#       a memcg would make is not made; the objects stay reachable.
#  3-4  failslab restricted by stack to the framework's text, during the
#       reparenting of a memcg with objects and queued work: rmdir
#       completes, no object is lost, queued work drains, reclaim of the
#       parent reaches the objects.
#  5-6  failslab restricted the same way while NOFS reclaim defers work
#       in a fresh memcg (the enqueue allocates nothing; the instance it
#       needs cannot be made): nothing is lost and the work drains.
#  7    fail_page_alloc restricted the same way while memcgs are made
#       and filled: mkdir may fail with ENOMEM, nothing else; objects
#       stay reachable; instances go with their memcgs.
# Each check names how many failures were injected.  Needs
# CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS
# and, for 3-6, CONFIG_FAULT_INJECTION_STACKTRACE_FILTER (make check
# DEBUG=1); skips what the kernel cannot do.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
FS=/sys/kernel/debug/failslab
FPA=/sys/kernel/debug/fail_page_alloc
TR=/sys/kernel/tracing
CG=/sys/fs/cgroup
T=$CG/shrinker_faults
. "$DIR/shrinker_lib.sh"

stateless() {
	awk '$1 == "stateless_passes" { print $2 }' "$SDBG/stats"
}

failslab_off() {
	echo 0 >"$FS/probability" 2>/dev/null
	echo 0 >"$FS/times" 2>/dev/null
}

# The framework's text: from the first shrinker_* function to the symbol
# after the last of the run (state.o .. debugfs.o link in one piece).
fw_range() {
	sort /proc/kallsyms | awk '
		$2 !~ /^[tT]$/ { next }
		{ n++ }
		$3 ~ /^shrinker_/ { if (!s) s = $1; if (!done) ln = n; next }
		s && !done && n == ln + 1 { nxt = $1 }
		s && !done && n - ln > 100 { done = 1 }
		END { if (s && nxt) print "0x" s, "0x" nxt }'
}

# inject_on DIR TIMES: fail every allocation whose stack is in the
# framework, blocking or not, from any task, at most TIMES times.
inject_on() {
	set -- "$1" "$2" $range
	echo N >"$1/task-filter"
	echo N >"$1/ignore-gfp-wait"
	[ -f "$1/min-order" ] && echo 0 >"$1/min-order"
	echo "$3" >"$1/require-start"
	echo "$4" >"$1/require-end"
	echo 0 >"$1/verbose"
	echo 1 >"$1/interval"
	echo "$2" >"$1/times"
	echo 100 >"$1/probability"
}

# inject_off DIR TIMES: stop, restore the defaults, print how many failed.
inject_off() {
	echo 0 >"$1/probability"
	left=$(cat "$1/times")
	echo 0 >"$1/require-start"
	echo 18446744073709551615 >"$1/require-end"
	echo Y >"$1/ignore-gfp-wait"
	echo 1 >"$1/times"
	echo $(($2 - left))
}

# deferred CACHE: queued work over every instance of the cache.
deferred() {
	awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ n += $c["deferred"] } END { print n + 0 }' "$(sdir "$1")/instances"
}

# drain_then_reclaim CACHE MEMCG: with the shmem gone, wait up to 20 s
# for the cache's queued work to drain (dr: 0 if it did), then reclaim
# 4M from MEMCG (objects before and after in before, after).
drain_then_reclaim() {
	rm -f /tmp/nofs.fill
	i=0
	while [ "$(deferred "$1")" != 0 ] && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(deferred "$1")" = 0 ]
	dr=$?
	before=$(stat_of "$1" objects)
	echo 4M >"$2/memory.reclaim" 2>/dev/null
	after=$(stat_of "$1" objects)
}

cleanup() {
	failslab_off
	[ -d "$EV_ALLOC" ] && inst_trace_off
	trace_cmd_restore
	[ -f "$FPA/probability" ] && echo 0 >"$FPA/probability"
	for c in flt rp dq pa; do
		[ -d "$DBG/$c" ] && echo $c >"$DBG/destroy" 2>/dev/null
	done
	rm -f /tmp/nofs.fill /tmp/faults.pid
	rmdir "$T"/p*/ "$T/a" "$T/r/child" "$T/r" "$T/d" "$T" 2>/dev/null
	rmmod shrinker_test 2>/dev/null
}

require_instances
if [ ! -d "$FS" ]; then
	echo "1..0 # SKIP no failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
	exit $KSFT_SKIP
fi
echo "1..7"
trap cleanup EXIT
cleanup
insmod "$MOD" || exit 1
echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$T"
echo +memory >"$T/cgroup.subtree_control"
mkdir -p "$T/a"
echo "flt memcg objsize=1024" >"$DBG/create"
m=$(ino "$T/a")

# only this test's task fails, only allocations that cannot wait
echo Y >"$FS/task-filter"
echo Y >"$FS/ignore-gfp-wait"
echo 0 >"$FS/interval"
echo 100 >"$FS/probability"
echo -1 >"$FS/times"
echo 0 >"$FS/verbose"
# Any other context that meets a's objects (the sweep, kswapd) makes the
# instance itself, as it should, where failslab does not fail it.  So
# the check is on the task's own instance allocations, traced: it tried,
# every try failed, and its objects were made all the same.
inst_trace_on
traced=$?
s0=$(stateless)
in_memcg "$T/a" sh -c "echo \$\$ >/tmp/faults.pid
	echo 1 >/proc/self/make-it-fail; echo 4000 >$DBG/flt/alloc"
failslab_off
if [ $traced = 0 ]; then
	inst_trace_off
	pid=$(cat /tmp/faults.pid)
	mine=$(grep -E -- "-$pid +\[" "$TR/trace" |
		grep ' kmem_cache_alloc: call_site=[a-z_]*shrink')
	tried=$(printf '%s\n' "$mine" | grep -c 'ptr=')
	got=$(printf '%s\n' "$mine" | grep 'ptr=' | grep -vcE 'ptr=0+ ')
	# an overrun drops the oldest events, the task's first tries
	lost=$(grep -c 'LOST.*EVENTS' "$TR/trace")
	objs=$(stat_of flt allocated)
	what="$objs made; the task tried $tried times, $got instances made"
	[ "$lost" = 0 ] || what="$what; the trace lost events"
	check "objects are made while the instance cannot be ($what)" \
		test "$objs" = 4000 -a "$tried" -gt 0 -a "$got" = 0 -a "$lost" = 0
else
	fail "objects are made while the instance cannot be" \
		"no slab object size or kmem event"
fi

# reclaim still reaches them: a stateless pass, or an instance made now
echo 2M >"$T/a/memory.reclaim" 2>/dev/null
left=$(stat_of flt objects)
made=$(inst flt "$m" count)
ds=$(($(stateless) - s0))
check "reclaim reaches them ($left left, instance '${made:-none}', +$ds stateless)" \
	test "$left" -lt 4000 -a \( -n "$made" -o "$(stateless)" -gt "$s0" \)


range=$(fw_range)
if [ ! -f "$FS/require-start" ] || [ ! -f "$FPA/probability" ] || [ -z "$range" ]; then
	for n in 3 4 5 6 7; do
		echo "ok $n # SKIP no stack-filtered failslab and fail_page_alloc"
	done
	[ "$nfail" = 0 ]
	exit
fi
echo "# framework text: $range"

# 3-4: reparenting with every framework allocation failing
mkdir -p "$T/r/child"
echo +memory >"$T/r/cgroup.subtree_control"
echo 24M >"$T/r/child/memory.max"
echo "rp memcg defer_nofs objsize=1024" >"$DBG/create"
echo 50000 >"$DBG/rp/scan_cost_ns"
# the drain fails the work until the rmdir has moved it
echo 1000000 >"$DBG/rp/fail_next"
nofs_fill "$T/r/child" rp 12000
c=$(ino "$T/r/child")
queued=$(inst rp "$c" deferred)
objs=$(stat_of rp objects)
inject_on "$FS" 100000
rmdir "$T/r/child"
gone=$?
# The offline runs in a worker.  Once it has moved the child's state to
# the parent, the dying child (pinned by its shmem) is no longer listed.
i=0
while [ -n "$(inst rp "$c" count)" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
n=$(inject_off "$FS" 100000)
live=$(($(stat_of rp lru_objects) + $(stat_of rp inflight)))
# the queued work is still queued, or counted as drained or aged
kept=$(inst_sum rp deferred aged drained)
what="rmdir done, $kept of $queued queued accounted for (queued, drained or aged)"
what="$what, $live objects live of $objs, the rest freed"
check "reparent with $n framework slab allocations failed: $what" \
	test "$gone" = 0 -a "$n" -gt 0 -a -z "$(inst rp "$c" count)" \
	-a "$kept" -ge "${queued:-1}" \
	-a "$live" = "$(stat_of rp objects)" \
	-a "$(($(stat_of rp objects) + $(stat_of rp freed) + $(stat_of rp inflight_freed)))" = \
	"$(stat_of rp allocated)"
echo 0 >"$DBG/rp/scan_cost_ns"
echo 0 >"$DBG/rp/fail_next"
drain_then_reclaim rp "$T/r"
what="$queued queued, $(deferred rp) left; objects $before, then $after"
check "the queued work drains and reclaim of the parent reaches the objects ($what)" \
	test "${queued:-0}" -gt 0 -a "$dr" = 0 -a "$after" -lt "$before"
echo rp >"$DBG/destroy"

# 5-6: NOFS reclaim defers work in a fresh memcg, slab and page
# allocations in the framework failing
mkdir -p "$T/d"
echo 24M >"$T/d/memory.max"
echo "dq memcg defer_nofs objsize=1024" >"$DBG/create"
d=$(ino "$T/d")
inject_on "$FS" 100000
nofs_fill "$T/d" dq 12000
ns=$(inject_off "$FS" 100000)
# With no instance the NOFS work cannot be queued: the memcg may well go
# OOM (the allocating shell is then the victim).  Nothing may be lost.
made=$(stat_of dq allocated)
gone=$(($(stat_of dq freed) + $(stat_of dq inflight_freed)))
kills=$(awk '$1 == "oom_kill" { print $2 }' "$T/d/memory.events")
what="$made objects made, $gone freed, the rest kept, $kills OOM kills"
check "NOFS reclaim with $ns framework slab allocations failed: $what" \
	test "$ns" -gt 0 -a "$made" -gt 0 -a \
	"$(($(stat_of dq objects) + gone))" = "$(stat_of dq allocated)" -a \
	"$(stat_of dq objects)" = "$(($(stat_of dq lru_objects) + $(stat_of dq inflight)))"
drain_then_reclaim dq "$T/d"
what="$(deferred dq) left; objects $before, then $after"
check "then the work drains and reclaim reaches the objects ($what)" \
	test "$dr" = 0 -a "$after" -lt "$before"
echo dq >"$DBG/destroy"
rmdir "$T/d"

# 7: memcgs made and filled while the framework's page allocations fail
# (a new slab for an instance, a shrinker_info): mkdir may fail with
# ENOMEM, nothing else; what is made stays reachable and goes with rmdir.
echo "pa memcg objsize=512" >"$DBG/create"
total0=$(instances_total)
inject_on "$FPA" 100000
made=0
refused=""
i=0
while [ $i -lt 60 ]; do
	if err=$(mkdir "$T/p$i" 2>&1); then
		made=$((made + 1))
		in_memcg "$T/p$i" sh -c "echo 200 >$DBG/pa/alloc"
	else
		case $err in
		*"out of memory"* | *"Cannot allocate memory"*) ;;
		*) refused="$refused [p$i: $err]" ;;
		esac
	fi
	i=$((i + 1))
done
np=$(inject_off "$FPA" 100000)
before=$(stat_of pa objects)
echo 4M >"$T/memory.reclaim" 2>/dev/null
after=$(stat_of pa objects)
echo pa >"$DBG/destroy"
for d in "$T"/p*/; do
	rmdir "$d"
done
i=0
while [ "$(instances_total)" -gt "$total0" ] && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
what="$made of 60 memcgs made${refused:+, other errors:$refused}; objects $before, then $after;"
what="$what $(instances_total) instances, $total0 before"
check "memcgs made with $np framework page allocations failed: $what" \
	test -z "$refused" -a "$made" -gt 0 -a "$after" -lt "$before" \
	-a "$(instances_total)" -le "$total0"

[ "$nfail" = 0 ]
