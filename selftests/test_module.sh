#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftests of the shrinker_test module: load, cache create/destroy, the
# counters under real memcg reclaim, NOFS refusal, in-flight freeing, failed
# scans, bad input, and unload while reclaim runs.  Runs on any 6.12 kernel,
# base or patched.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
CG=/sys/fs/cgroup
T=$CG/shrinker_selftest
. "$DIR/shrinker_lib.sh"

# the soft-lockup threshold and trimming as they were before test 20
restore_thresh() {
	[ -n "${thresh0:-}" ] && echo "$thresh0" >"$WD"
	[ -n "${trim0:-}" ] && echo "$trim0" >"$TRIM"
	thresh0=""
	trim0=""
}

cleanup() {
	restore_thresh
	for c in a b slow nofs fly blk fail big r1 r2; do
		[ -d "$DBG/$c" ] && echo "$c" >"$DBG/destroy" 2>/dev/null
	done
	for d in "$T"/*/; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	rmdir "$T" 2>/dev/null
}

require_module
grep -q memory "$CG/cgroup.controllers" 2>/dev/null || {
	echo "1..0 # SKIP no cgroup2 memory controller at $CG"
	exit $KSFT_SKIP
}
echo "1..23"
rmmod shrinker_test 2>/dev/null

# 1: load
if insmod "$MOD" && [ -f "$DBG/create" ]; then
	ok "load"
else
	fail "load" "insmod $MOD failed"
	exit 1
fi
trap cleanup EXIT
# dash runs no EXIT trap on a signal: a runner's timeout must restore too
trap 'exit 1' INT TERM HUP
echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$T"
echo +memory >"$T/cgroup.subtree_control"

# 2-3: create and destroy
echo "a memcg objsize=512" >"$DBG/create"
check "create" test -f "$DBG/a/stats" -a "$(stat_of a objsize)" = 512 \
	-a "$(stat_of a memcg_aware)" = 1
echo a >"$DBG/destroy"
check "destroy" test ! -d "$DBG/a"

# 4-6: bad input changes nothing
echo "b memcg" >"$DBG/create"
# count_calls moves whenever reclaim or a sweep counts the cache
before=$(grep -v "^count_calls " "$DBG/b/stats")
errs=""
for v in "" "bad/name" "b2 bogus" "b2 objsize=1" "b2 objsize=99999999" \
	"b2 objsize=abc" "b2 objsize=" "x234567890123456789012345678901234"; do
	e=$(expect_errno "Invalid argument" "$DBG/create" "$v") || errs="$errs [$e]"
done
# a memcg-aware cache cannot also be a global one that unpins pages
if [ -f "$SDBG/stats" ]; then
	e=$(expect_errno "Invalid argument" "$DBG/create" "b2 memcg unpins") || errs="$errs [$e]"
else
	e=$(expect_errno "not supported" "$DBG/create" "b2 unpins") || errs="$errs [$e]"
fi
e=$(expect_errno "File exists" "$DBG/create" "b") || errs="$errs [$e]"
e=$(expect_errno "No such file" "$DBG/destroy" "nosuch") || errs="$errs [$e]"
if [ -z "$errs" ] && [ ! -d "$DBG/b2" ]; then
	ok "bad create and destroy commands are refused"
else
	fail "bad create and destroy commands are refused" "$errs"
fi
errs=""
for f in alloc alloc_nofs free; do
	for v in "" "-1" "abc" "0" "12abc" "99999999999999999999" "1 2"; do
		e=$(expect_errno "Invalid argument" "$DBG/b/$f" "$v") || errs="$errs [$e]"
	done
done
for f in scan_cost_ns inflight_delay_ms refuse_nofs fail_next blocking; do
	for v in "-1" "abc" "" "99999999999999999999999"; do
		e=$(expect_errno "" "$DBG/b/$f" "$v") || errs="$errs [$e]"
	done
done
e=$(expect_errno "Invalid argument" "$DBG/b/scan_cost_ns" 1000001) || errs="$errs [$e]"
e=$(expect_errno "Invalid argument" "$DBG/b/inflight_delay_ms" 600001) || errs="$errs [$e]"
e=$(expect_errno "Invalid argument" "$DBG/b/refuse_nofs" 2) || errs="$errs [$e]"
e=$(expect_errno "Invalid argument" "$DBG/b/fail_next" 2147483648) || errs="$errs [$e]"
e=$(expect_errno "Invalid argument" "$DBG/b/blocking" 3) || errs="$errs [$e]"
if [ -z "$errs" ]; then
	ok "bad values are refused"
else
	fail "bad values are refused" "$errs"
fi
after=$(grep -v "^count_calls " "$DBG/b/stats")
settings="$(cat "$DBG/b/scan_cost_ns" "$DBG/b/inflight_delay_ms" \
	"$DBG/b/refuse_nofs" "$DBG/b/fail_next" "$DBG/b/blocking" | tr '\n' ' ')"
check "bad input left the cache unchanged" \
	test "$before" = "$after" -a "$settings" = "0 0 0 0 0 "
echo b >"$DBG/destroy"

# 7-9: objects are charged to the writer's memcg and counted
mkdir -p "$T/a"
echo "a memcg objsize=1024" >"$DBG/create"
slab0=$(memstat "$T/a" slab_reclaimable)
in_memcg "$T/a" sh -c "echo 20000 >$DBG/a/alloc"
slab1=$(memstat "$T/a" slab_reclaimable)
check "alloc counts objects" test "$(stat_of a objects)" = 20000 \
	-a "$(stat_of a allocated)" = 20000 -a "$(stat_of a lru_objects)" = 20000
# 20000 objects of 1 KiB: at least 18 MiB of reclaimable slab in the memcg.
check "objects are charged to the memcg as reclaimable slab" \
	test $((slab1 - slab0)) -ge $((18 * 1024 * 1024))
echo 64M >"$T/a/memory.reclaim" 2>/dev/null
o=$(stat_of a objects)
check "memory.reclaim scans the cache and frees objects" \
	test "$(stat_of a count_calls)" -gt 0 -a "$(stat_of a scan_calls)" -gt 0 \
	-a "$(stat_of a scanned)" -gt 0 -a "$(stat_of a freed)" -gt 0 \
	-a "$(stat_of a scans_memcg)" -gt 0 -a "$o" -lt 20000 \
	-a "$o" = $((20000 - $(stat_of a freed))) \
	-a "$(stat_of a max_pass_scanned)" -gt 0

# 10: direct free
in_memcg "$T/a" sh -c "echo 1000 >$DBG/a/alloc"
o=$(stat_of a objects)
echo 100 >"$DBG/a/free"
check "free releases exactly N objects outside reclaim" \
	test "$o" -ge 1000 -a "$(stat_of a freed_direct)" = 100 \
	-a "$(stat_of a objects)" = $((o - 100))
echo a >"$DBG/destroy"

# 11: a cache that refuses GFP_NOFS reclaim
mkdir -p "$T/nofs"
echo 32M >"$T/nofs/memory.max"
echo "nofs memcg objsize=1024" >"$DBG/create"
echo 1 >"$DBG/nofs/refuse_nofs"
# Page cache gives the NOFS reclaim something it may free, so the charge
# succeeds while the cache refuses every NOFS scan.
in_memcg "$T/nofs" sh -c "dd if=/dev/zero of=/tmp/nofs.fill bs=1M count=24 2>/dev/null; \
	cat /tmp/nofs.fill >/dev/null; echo 20000 >$DBG/nofs/alloc_nofs" 2>/dev/null
# Every NOFS scan is refused.  What the refusals leave may be freed later
# by a scan that may enter the filesystem (the drain worker's, where the
# kernel queues such work, or kswapd's), so frees are not a failure.
check "NOFS reclaim meets the cache and is refused" \
	test "$(stat_of nofs scans_nofs)" -gt 0 \
	-a "$(stat_of nofs refused_nofs)" = "$(stat_of nofs scans_nofs)"
rm -f /tmp/nofs.fill
echo nofs >"$DBG/destroy"

# 12-13: freeing in flight
mkdir -p "$T/fly"
echo "fly memcg" >"$DBG/create"
echo 1000 >"$DBG/fly/inflight_delay_ms"
in_memcg "$T/fly" sh -c "echo 20000 >$DBG/fly/alloc"
echo 64M >"$T/fly/memory.reclaim" 2>/dev/null
n=$(stat_of fly inflight)
check "scanned objects go in flight, not free" \
	test "$n" -gt 0 -a "$(stat_of fly freed)" = 0
# 1 s of delay, then the worker frees them; a debug kernel under TCG is slow
i=0
while [ "$(stat_of fly inflight)" != 0 ] && [ $i -lt 15 ]; do
	sleep 1
	i=$((i + 1))
done
check "in-flight objects are freed after the delay" \
	test "$(stat_of fly inflight)" = 0 -a "$(stat_of fly inflight_freed)" -ge "$n" \
	-a "$(stat_of fly objects)" = $((20000 - $(stat_of fly inflight_freed)))
echo fly >"$DBG/destroy"

# 14-15: a cache whose objects wait on a log force (bench stalls_block):
# in mode 1 a scan waits for the force and frees what it took only on a
# kernel that takes no in-flight report, and reports it in flight on one
# that does; in mode 2 it always waits.  2000 objects of 1 KiB and a 20 ms
# force: base's memcg reclaim, which never counts slab frees as progress,
# walks all of them in some 16 forces.
mkdir -p "$T/blk"
echo "blk memcg objsize=1024" >"$DBG/create"
echo 20 >"$DBG/blk/inflight_delay_ms"
echo 1 >"$DBG/blk/blocking"
in_memcg "$T/blk" sh -c "echo 2000 >$DBG/blk/alloc"
echo 1M >"$T/blk/memory.reclaim" 2>/dev/null
# what went in flight is freed within the force: read it once it is
i=0
while [ "$(stat_of blk inflight)" != 0 ] && [ $i -lt 20 ]; do
	sleep 1
	i=$((i + 1))
done
b1=$(stat_of blk blocked_scans)
f1=$(stat_of blk freed)
fly=$(stat_of blk inflight_freed)
if [ -f "$SDBG/stats" ]; then
	name="a blocking cache reports in flight where the kernel takes it"
	want="$b1 = 0 -a $f1 = 0 -a $fly -gt 0"
else
	name="a blocking cache waits where the kernel takes no in-flight report"
	want="$b1 -gt 0 -a $f1 -gt 0 -a $fly = 0"
fi
if [ "$(stat_of blk inflight)" != 0 ]; then
	fail "$name" "$(stat_of blk inflight) objects still in flight after 20 s"
else
	# shellcheck disable=SC2086
	check "$name" test $want
fi
in_memcg "$T/blk" sh -c "echo 2000 >$DBG/blk/alloc"
echo 2 >"$DBG/blk/blocking"
echo 1M >"$T/blk/memory.reclaim" 2>/dev/null
check "a cache told always to block waits, and frees what it took" \
	test "$(stat_of blk blocked_scans)" -gt "$b1" -a "$(stat_of blk freed)" -gt "$f1" \
	-a "$(stat_of blk inflight_freed)" = "$fly" -a "$(stat_of blk inflight)" = 0
echo blk >"$DBG/destroy"

# 16: failing scans
mkdir -p "$T/fail"
echo "fail memcg" >"$DBG/create"
echo 3 >"$DBG/fail/fail_next"
in_memcg "$T/fail" sh -c "echo 20000 >$DBG/fail/alloc"
for i in 1 2 3 4 5 6; do
	echo 8M >"$T/fail/memory.reclaim" 2>/dev/null
done
check "fail_next fails exactly that many scans" \
	test "$(stat_of fail failed_scans)" = 3 -a "$(cat "$DBG/fail/fail_next")" = 0 \
	-a "$(stat_of fail freed)" -gt 0
echo fail >"$DBG/destroy"

# 17: a slow cache still makes progress
mkdir -p "$T/slow"
echo "slow memcg objsize=1024" >"$DBG/create"
echo 20000 >"$DBG/slow/scan_cost_ns"
in_memcg "$T/slow" sh -c "echo 5000 >$DBG/slow/alloc"
echo 4M >"$T/slow/memory.reclaim" 2>/dev/null
check "a slow cache is scanned and freed" \
	test "$(stat_of slow scanned)" -gt 0 -a "$(stat_of slow freed)" -gt 0

# 18: memcg charges return when a cache is destroyed with live objects
# memory.reclaim may have emptied it: refill before measuring.
in_memcg "$T/slow" sh -c "echo 5000 >$DBG/slow/alloc"
c0=$(cat "$T/slow/memory.current")
live=$(stat_of slow objects)
echo slow >"$DBG/destroy"
c1=$(cat "$T/slow/memory.current")
check "destroying a cache with live objects uncharges them" \
	test "$live" -gt 1000 -a $((c0 - c1)) -ge $((live * 1024 * 9 / 10))

# 19: drop_caches frees what 6.12's frees (review II-6): every object of
# a global cache and of a memcg-aware one in three memcgs, unreferenced
# and unpinned, for "echo 2" and again for "echo 3"
echo "dg objsize=1024" >"$DBG/create"
echo "dm memcg objsize=1024" >"$DBG/create"
left=""
for mode in 2 3; do
	echo 5000 >"$DBG/dg/alloc"
	for i in 0 1 2; do
		mkdir -p "$T/dc$i"
		in_memcg "$T/dc$i" sh -c "echo 3000 >$DBG/dm/alloc"
	done
	n0="$(stat_of dg objects)+$(stat_of dm objects)"
	echo $mode >/proc/sys/vm/drop_caches
	left="$left echo $mode: $n0 -> $(stat_of dg objects)+$(stat_of dm objects);"
	[ "$(stat_of dg objects)" = 0 ] && [ "$(stat_of dm objects)" = 0 ] ||
		left="$left FAIL;"
done
case $left in
*FAIL*) fail "drop_caches empties shrinker caches" "$left" ;;
*) ok "drop_caches empties shrinker caches ($left)" ;;
esac
echo dg >"$DBG/destroy"
echo dm >"$DBG/destroy"

# 20: freeing a cache in one write lets the CPU reschedule as it goes.
# A debug kernel under TCG frees about 6000 objects a second (KASAN saves
# a stack for each), so 120000 objects of a memcg-aware cache, in two
# memcgs, take some 20 s; the soft-lockup detector, its threshold at 2 s,
# reports a CPU that has not rescheduled for 4 s.  A write that took less
# than 6 s cannot tell, nor can a kernel without the detector (the default
# config): both skip the claim once the objects are gone.  No trimming
# meanwhile (the patched kernel's, above the high watermark): the write
# must find every object.  The threshold is back before the destroy, which
# also empties the cache's KASAN quarantine at once.
WD=/proc/sys/kernel/watchdog_thresh
TRIM=/sys/module/shrinker/parameters/trim
if [ -w "$TRIM" ]; then
	trim0=$(cat "$TRIM")
	echo N >"$TRIM"
fi
echo "big memcg objsize=64" >"$DBG/create"
for i in 1 2; do
	mkdir -p "$T/big$i"
	in_memcg "$T/big$i" sh -c "echo 60000 >$DBG/big/alloc"
done
n=$(stat_of big objects)
if [ -w "$WD" ] && [ "$(cat /proc/sys/kernel/watchdog 2>/dev/null)" = 1 ] &&
   [ "$(cat /proc/sys/kernel/soft_watchdog 2>/dev/null)" = 1 ]; then
	thresh0=$(cat "$WD")
	echo 2 >"$WD"
fi
mark="shrinker_test: freeing $n objects $$"
echo "$mark" >/dev/kmsg
t0=$(cut -d' ' -f1 /proc/uptime)
echo "$n" >"$DBG/big/free"
t1=$(cut -d' ' -f1 /proc/uptime)
detector=${thresh0:+on}
restore_thresh
left=$(stat_of big objects)
# a mark gone from the ring buffer would read as no lockup: fail then
seen=$(dmesg | grep -c -F "$mark")
locks=$(dmesg | awk -v m="$mark" 'index($0, m) { on = 1 } on' | grep -c "soft lockup")
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo big >"$DBG/destroy"
name="freeing N objects in one write never holds the CPU"
what="$n objects in $took s, $locks soft lockups, $left left"
if [ "$n" != 120000 ] || [ "$left" != 0 ] || [ "$locks" != 0 ] || [ "$seen" = 0 ]; then
	fail "$name ($what)" "soft-lockup detector: ${detector:-off}; mark in dmesg: $seen"
elif [ -z "$detector" ]; then
	ok "$name ($what) # SKIP no soft-lockup detector"
elif awk -v t="$took" 'BEGIN { exit !(t < 6) }'; then
	ok "$name ($what) # SKIP too fast to tell under a 4 s detector"
else
	ok "$name ($what, detector at 4 s)"
fi
rmdir "$T/big1" "$T/big2"

# 21: make check DEBUG=kcsan's proof that KCSAN sees races in this guest
# at all (two vCPUs under TCG): a run that reports no race of the
# framework's means nothing unless this known one is reported.  The
# module offers the canary only on a KCSAN kernel; elsewhere a skip.
name="KCSAN reports a known race in this guest (the canary)"
if [ ! -e "$DBG/kcsan_canary" ]; then
	ok "$name # SKIP not a KCSAN kernel"
else
	mark="wb-canary: $$ $(date +%s)"
	echo "$mark" >/dev/kmsg
	if ! echo 3000 >"$DBG/kcsan_canary"; then
		fail "$name" "the canary write failed"
	else
		seen=$(dmesg | awk -v m="$mark" 'index($0, m) { on = 1 } on' |
		       grep -c "BUG: KCSAN: data-race in st_race_canary")
		if [ "$seen" -gt 0 ]; then
			ok "$name ($seen reports in 3 s)"
		else
			fail "$name" "no report in 3 s of two threads racing"
		fi
	fi
fi

# 22-23: unload while reclaim runs, with live caches
mkdir -p "$T/r"
echo "r1 memcg objsize=1024" >"$DBG/create"
echo "r2 numa objsize=2048" >"$DBG/create"
echo 5000 >"$DBG/r1/scan_cost_ns"
in_memcg "$T/r" sh -c "echo 30000 >$DBG/r1/alloc; echo 10000 >$DBG/r2/alloc"
(
	end=$(($(date +%s) + 4))
	while [ "$(date +%s)" -lt "$end" ]; do
		echo 1M >"$T/r/memory.reclaim" 2>/dev/null
		echo 2 >/proc/sys/vm/drop_caches
	done
) &
rpid=$!
sleep 1
if rmmod shrinker_test; then
	ok "unload during reclaim"
else
	fail "unload during reclaim" "rmmod failed"
fi
wait $rpid
trap - EXIT
# 50 MiB were charged; what is left of the memcg's slab is not ours.
check "unload frees every object it held" \
	test ! -d "$DBG" -a "$(memstat "$T/r" slab)" -lt $((2 * 1024 * 1024))
for d in "$T"/*/; do
	rmdir "$d" 2>/dev/null
done
rmdir "$T" 2>/dev/null

[ "$nfail" = 0 ]
