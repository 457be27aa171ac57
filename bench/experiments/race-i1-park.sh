#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Review I-1, hit directly: list_lru's reparenting, at a memcg's offline,
# calls set_shrinker_bit() on the parent with interrupts off and finds the
# shrinker by its id, unpinned.  A scaffold parks that reader between
# idr_find() and the core's first read until the id has left the idr,
# and has the test cache's shrinker_free() wait for the park, so the free
# runs to its end under the reader: "SCAFFOLD free id N met the reader:
# yes" on the console.  The scaffold is
# docs/runs/20261202T-review-i1-park/park.diff; without it nothing meets
# and the rounds only create and destroy caches.  A by-hand guest plan,
# not a bench scenario:
#   scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/race-i1-park.sh OUTDIR build/patched/extra
. /wb/bench/lib.sh
DBG=/sys/kernel/debug/shrinker_test
ROUNDS=${ROUNDS:-10}
insmod /kselftest/shrinker/shrinker_test.ko || { echo "EXP no test module"; exit 1; }
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/i1/q
echo +memory >$CG/i1/cgroup.subtree_control
echo +memory >$CG/i1/q/cgroup.subtree_control
i=0
while [ $i -lt "$ROUNDS" ]; do
	mkdir $CG/i1/q/c
	echo "tmp$i memcg objsize=256" >$DBG/create
	n0=$(bench_instances)
	in_memcg $CG/i1/q/c sh -c "echo 300 >$DBG/tmp$i/alloc"
	# the offline runs in a worker after a grace period; the destroy
	# waits in shrinker_free() until that worker is parked
	rmdir $CG/i1/q/c
	echo tmp$i >$DBG/destroy
	echo "EXP round $i: instances $n0 before, $(bench_instances) after"
	i=$((i + 1))
done
echo "EXP $ROUNDS rounds done"
