#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection: with every non-blocking slab allocation of one task
# failing (failslab, task-filtered), the instances that task's first
# objects in a memcg would create are not made.  The objects must stay
# reachable: reclaim frees them through a stateless pass or an instance
# made later, and nothing is lost or leaked.  Needs a kernel with
# CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS (make check DEBUG=1);
# skips elsewhere.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
FS=/sys/kernel/debug/failslab
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

cleanup() {
	failslab_off
	[ -d "$DBG/flt" ] && echo flt >"$DBG/destroy" 2>/dev/null
	rmdir "$T/a" "$T" 2>/dev/null
	rmmod shrinker_test 2>/dev/null
}

require_instances
if [ ! -d "$FS" ]; then
	echo "1..0 # SKIP no failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
	exit $KSFT_SKIP
fi
echo "1..2"
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
s0=$(stateless)
in_memcg "$T/a" sh -c "echo 1 >/proc/self/make-it-fail; echo 4000 >$DBG/flt/alloc"
failslab_off
objs=$(stat_of flt objects)
line=$(inst flt "$m" count)
check "objects are made while the instance cannot be ($objs, instance '$line')" \
	test "$objs" = 4000 -a -z "$line"

# reclaim still reaches them: a stateless pass, or an instance made now
echo 2M >"$T/a/memory.reclaim" 2>/dev/null
left=$(stat_of flt objects)
made=$(inst flt "$m" count)
ds=$(($(stateless) - s0))
check "reclaim reaches them ($left left, instance '${made:-none}', +$ds stateless)" \
	test "$left" -lt 4000 -a \( -n "$made" -o "$(stateless)" -gt "$s0" \)

[ "$nfail" = 0 ]
