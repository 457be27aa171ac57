#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Churn: for CHURN_SECONDS, memcgs are made, filled and removed, caches
# (shrinkers) are created and destroyed so their ids are reused, and
# reclaim, NOFS reclaim, drop_caches and debugfs readers run over them all
# at once.  Afterwards the kernel log has no new warning, every instance
# made went with its memcg or cache, and the module unloads.  Skips on a
# kernel without shrinker instances.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
CG=/sys/fs/cgroup
T=$CG/shrinker_churn
SECS=${CHURN_SECONDS:-30}
. "$DIR/shrinker_lib.sh"

SPLAT="WARNING:|BUG:|Oops|KASAN|possible circular|inconsistent lock|UBSAN"
SPLAT="$SPLAT|refcount_t:|list_(add|del) corruption"
splats() {
	dmesg | grep -c -E "$SPLAT"
}

cleanup() {
	for c in "$DBG"/*/; do
		[ -f "$c/stats" ] && basename "$c" >"$DBG/destroy" 2>/dev/null
	done
	for d in "$T"/*/; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	rmdir "$T" 2>/dev/null
	rmmod shrinker_test 2>/dev/null
}

require_instances
echo "1..3"
trap cleanup EXIT
cleanup
insmod "$MOD" || exit 1
echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$T"
echo +memory >"$T/cgroup.subtree_control"
echo 64M >"$T/memory.max"
total0=$(instances_total)
splat0=$(splats)
# two long-lived caches, one deferring NOFS work
echo "keep memcg objsize=512" >"$DBG/create"
echo "nofs memcg defer_nofs objsize=512" >"$DBG/create"
end=$(($(cut -d. -f1 /proc/uptime) + SECS))
running() {
	[ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]
}

# memcgs made, filled and removed
(
	i=0
	while running; do
		c=$T/m$((i % 8))
		mkdir -p "$c"
		in_memcg "$c" sh -c "echo 500 >$DBG/keep/alloc; echo 500 >$DBG/nofs/alloc_nofs" \
			2>/dev/null
		rmdir "$c" 2>/dev/null
		i=$((i + 1))
	done
	echo "$i" >/tmp/churn.memcgs
) &
# caches made and destroyed: shrinker ids come back
(
	i=0
	while running; do
		mkdir -p "$T/c"
		echo "tmp$((i % 3)) memcg objsize=256" >"$DBG/create" 2>/dev/null
		in_memcg "$T/c" sh -c "echo 300 >$DBG/tmp$((i % 3))/alloc" 2>/dev/null
		echo "tmp$((i % 3))" >"$DBG/destroy" 2>/dev/null
		i=$((i + 1))
	done
	echo "$i" >/tmp/churn.caches
) &
# reclaim of every kind, and readers
(
	while running; do
		echo 2M >"$T/memory.reclaim" 2>/dev/null
		echo 2 >/proc/sys/vm/drop_caches
	done
) &
(
	while running; do
		cat "$SDBG"/*/instances "$SDBG"/*/count "$SDBG/stats" >/dev/null 2>&1
	done
) &
wait

memcgs=$(cat /tmp/churn.memcgs 2>/dev/null)
caches=$(cat /tmp/churn.caches 2>/dev/null)
rm -f /tmp/churn.memcgs /tmp/churn.caches
new=$(($(splats) - splat0))
if [ "$new" = 0 ]; then
	ok "no kernel warning in ${SECS}s of churn ($memcgs memcgs, $caches caches)"
else
	fail "no kernel warning in ${SECS}s of churn" "$new new warnings:"
	dmesg | grep -E -A12 "$SPLAT" |
		tail -n 60 | sed 's/^/# /'
fi

echo keep >"$DBG/destroy"
echo nofs >"$DBG/destroy"
rmdir "$T"/*/ 2>/dev/null
rmdir "$T"
i=0
while [ "$(instances_total)" -gt "$total0" ] && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
check "every instance went with its memcg or cache ($(instances_total), $total0 before)" \
	test "$(instances_total)" -le "$total0"
check "the module unloads after the churn" rmmod shrinker_test

[ "$nfail" = 0 ]
