#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shrinker instances as userspace sees them, driven through shrinker_test
# caches: the instances view, instances made on the first object in a
# memcg, lifetime counters, backoff on in-flight freeing, NOFS work queued
# and drained by the worker, reparenting on rmdir, the watermarks
# override and its bad input, and no instance left behind, by its memcg
# or by its cache.  Skips on a kernel without shrinker instances.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
CG=/sys/fs/cgroup
T=$CG/shrinker_instances
. "$DIR/shrinker_lib.sh"
trim0=

cleanup() {
	[ -n "$toucher" ] && kill "$toucher" 2>/dev/null
	destroy_test a a2 fly nofs rp mr oomc trim slowtrim warm off gone never res pn nn prop
	umount /tmp/inst-shm /tmp/inst-pin /tmp/inst-never 2>/dev/null
	rm -rf /shrinker-wake.fill /shrinker-wake.d /shrinker-prop.fill
	trim_restore
	for ev in "$EV_OOM" "$EV_ALLOC" "$EV_ENQ" "$EV_WQ"; do
		[ -n "$ev" ] && echo 0 >"$ev/enable" 2>/dev/null && echo 0 >"$ev/filter"
	done
	trace_cmd_restore
	rmmod shrinker_test 2>/dev/null
}

require_instances
echo "1..30"
setup_test
# Test 21 compares the instance count with this one, and its second
# chance (journal_chance()) checkpoints the root journal, which can free
# memcgs left dying before the test and their instances with them: that
# would hide as many instances held under $T.  So it is done here first,
# and test 21 fails if memcgs outside $T are freed by its own.
d0=$(dying "$CG")
if [ "$d0" != 0 ]; then
	journal_flush "$CG"
	echo "# $d0 memcgs dying before the test$JOURNAL_HOW"
fi
total0=$(instances_total)

# 1: the view and its columns
echo "a memcg objsize=1024" >"$DBG/create"
hdr=$(head -n 1 "$(sdir a)/instances")
cols="memcg nid count bytes min low high wmarks backoff_level backoff_ms"
cols="$cols deferred deferred_age_ms aged inflight scanned freed backoffs enqueued drained"
cols="$cols ns_per_kib short_backoff_ms nofs_backoff_ms noio_backoff_ms drain_backoff_ms"
cols="$cols unpin_backoff_ms"
check "instances view lists the documented columns" test "$hdr" = "$cols"

# 2-3: made on the first object in a memcg, with live count and bytes
mkdir -p "$T/a"
m=$(ino "$T/a")
before=$(inst a "$m" count)
in_memcg "$T/a" sh -c "echo 5000 >$DBG/a/alloc"
check "an instance appears with the first object in a memcg" \
	test -z "$before" -a "$(inst a "$m" count)" = 5000
check "bytes are count times the object size" \
	test "$(inst a "$m" bytes)" = $((5000 * $(stat_of a objsize)))

# 4: lifetime counters follow reclaim
echo 2M >"$T/a/memory.reclaim" 2>/dev/null
check "scanned and freed count what reclaim did" \
	test "$(inst a "$m" scanned)" -gt 0 -a "$(inst a "$m" freed)" = "$(stat_of a freed)"

# 5-6: the watermarks override: bad input changes nothing
w=$(sdir a)/watermarks
errs=""
for v in "" "1 2" "1 2 3 4" "3 2 1" "1 5 4" "-1 2 3" "a b c" "1 2 3x" \
	"99999999999999999999999 1 2" "autox"; do
	out=$(write_err "$w" "$v") && errs="$errs [accepted '$v']"
	case $out in *"Invalid argument"*) ;; *) errs="$errs ['$v': $out]" ;; esac
done
check "bad watermark overrides are refused and change nothing" \
	test -z "$errs" -a "$(cat "$w")" = auto
echo "100 200 400" >"$w"
check "an override applies to the instances, and auto undoes it" \
	test "$(cat "$w")" = "100 200 400" -a "$(inst a "$m" wmarks)" = user \
	-a "$(inst a "$m" min)" = 100 -a "$(inst a "$m" high)" = 400
echo auto >"$w"
[ "$(inst a "$m" wmarks)" = auto ] || fail "auto" "wmarks still user"

# 7: work in flight backs the instance off
mkdir -p "$T/fly"
f=$(ino "$T/fly")
echo "fly memcg" >"$DBG/create"
echo 2000 >"$DBG/fly/inflight_delay_ms"
in_memcg "$T/fly" sh -c "echo 20000 >$DBG/fly/alloc"
echo 16M >"$T/fly/memory.reclaim" 2>/dev/null
check "freeing in flight is reported and backs the instance off" \
	test "$(inst fly "$f" inflight)" -gt 0 -a "$(inst fly "$f" backoffs)" -gt 0

# 8-9: NOFS work is queued, not refused, and the worker drains it
mkdir -p "$T/nofs"
n=$(ino "$T/nofs")
echo 24M >"$T/nofs/memory.max"
echo "nofs memcg defer_nofs objsize=1024" >"$DBG/create"
in_memcg "$T/nofs" sh -c "dd if=/dev/zero of=/tmp/inst.fill bs=1M count=16 2>/dev/null; \
	cat /tmp/inst.fill >/dev/null; echo 12000 >$DBG/nofs/alloc_nofs" 2>/dev/null
check "NOFS reclaim queues work instead of calling the cache" \
	test "$(inst nofs "$n" enqueued)" -gt 0 -a "$(stat_of nofs scans_nofs)" = 0
i=0
while [ "$(inst nofs "$n" deferred)" != 0 ] && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
check "the drain worker does the queued work in a safe context" \
	test "$(inst nofs "$n" deferred)" = 0 -a "$(inst nofs "$n" drained)" -gt 0 \
	-a "$(stat_of nofs freed)" -gt 0
rm -f /tmp/inst.fill

# 10: rmdir hands the instance's objects and state to the parent
mkdir -p "$T/rp" "$T/rp/child"
echo +memory >"$T/rp/cgroup.subtree_control"
p=$(ino "$T/rp")
echo "rp memcg" >"$DBG/create"
in_memcg "$T/rp/child" sh -c "echo 3000 >$DBG/rp/alloc"
c=$(ino "$T/rp/child")
# a scan through debugfs: counted on the instance, and exactly 100
echo "$c $HOME_NODE 100" >"$(sdir rp)/scan"
cobj=$(inst rp "$c" count)
cscan=$(inst rp "$c" scanned)
# a tmpfs page charged to the child keeps it dying after rmdir
mkdir -p /tmp/inst-pin
mount -t tmpfs none /tmp/inst-pin
in_memcg "$T/rp/child" sh -c "echo pin >/tmp/inst-pin/f"
rmdir "$T/rp/child"
# offlining, and with it reparenting, follows rmdir asynchronously
i=0
while [ "$(inst rp "$p" count)" != "$cobj" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "rmdir moves count and counters to the parent's instance" \
	test "$cobj" = 2900 -a "$cscan" = 100 -a "$(inst rp "$p" count)" = "$cobj" \
	-a "$(inst rp "$p" scanned)" = "$cscan" -a "$(stat_of rp objects)" = "$cobj"
# a dying child's objects are its parent's now: listed once, not twice
sum=$(inst_sum rp count)
ndying=$(dying "$T/rp")
check "the instances list counts a dying memcg's objects once ($sum listed, $ndying dying)" \
	test "$sum" = "$cobj" -a "$ndying" -ge 1
umount /tmp/inst-pin

# 11: memory.reclaim counts the bytes the memcg's instances freed
mkdir -p "$T/mr"
echo "mr memcg objsize=1024" >"$DBG/create"
in_memcg "$T/mr" sh -c "echo 20000 >$DBG/mr/alloc"
if echo 4M >"$T/mr/memory.reclaim"; then rc=0; else rc=$?; fi
left=$(stat_of mr objects)
check "memory.reclaim of 4M from 20M of slab succeeds and keeps most of it ($left left)" \
	test "$rc" = 0 -a "$left" -ge 10000 -a "$left" -lt 20000
echo mr >"$DBG/destroy"

# in_flight_memcg CACHE MEMCG MNT DELAY_MS: memcg MEMCG at 64M holding
# 48M of test cache CACHE, whose scanned objects are freed DELAY_MS later,
# and a tmpfs at MNT whose pages (no swap) need that memory back
in_flight_memcg() {
	mkdir -p "$T/$2" "$3"
	mount -t tmpfs none "$3"
	echo 64M >"$T/$2/memory.max"
	echo "$1 memcg objsize=4096" >"$DBG/create"
	echo "$4" >"$DBG/$1/inflight_delay_ms"
	in_memcg "$T/$2" sh -c "echo 12288 >$DBG/$1/alloc"
}

# 12: an OOM kill with memory in flight is deferred until it comes back
in_flight_memcg oomc oom /tmp/inst-shm 1500
# 40 MiB of shmem (no swap: unreclaimable) needs the cache's memory back
in_memcg "$T/oom" dd if=/dev/zero of=/tmp/inst-shm/f bs=1M count=40 2>/dev/null
kills=$(awk '$1 == "oom_kill" { print $2 }' "$T/oom/memory.events")
deferred=$(awk '$1 == "shrinker_oom_deferred" { print $2 }' "$T/oom/memory.stat")
check "reclaim waits for the in-flight cache, no OOM kill ($kills kills, $deferred deferred)" \
	test "$kills" = 0 -a "$deferred" -gt 0 -a "$(stat -c %s /tmp/inst-shm/f)" = $((40 << 20))
rm -f /tmp/inst-shm/f

# 13: a true OOM still kills, and its report lists the instances
# (a cache that fails every scan keeps its objects to be reported)
echo 0 >"$DBG/oomc/inflight_delay_ms"
echo 1000000 >"$DBG/oomc/fail_next"
in_memcg "$T/oom" sh -c "echo 4096 >$DBG/oomc/alloc"
dmesg -c >/dev/null
in_memcg "$T/oom" dd if=/dev/zero of=/tmp/inst-shm/f bs=1M count=128 2>/dev/null
kills=$(awk '$1 == "oom_kill" { print $2 }' "$T/oom/memory.events")
report=$(dmesg | sed -n '/Shrinker instances/,/Tasks state/p' | grep -v "Tasks state")
want="shrinker_test-oomc.* memcg=$(ino "$T/oom") "
if [ "$kills" -ge 1 ] && echo "$report" | grep -q "$want"; then
	ok "a true OOM kills and reports the largest instances"
	echo "$report" | sed 's/^/# /'
else
	fail "a true OOM kills and reports the largest instances" "$kills kills" "$report"
fi
rm -f /tmp/inst-shm/f
umount /tmp/inst-shm
echo oomc >"$DBG/destroy"

# 14: above high, a cache is trimmed to low with no memory pressure
mkdir -p "$T/trim"
echo "trim memcg objsize=1024" >"$DBG/create"
in_memcg "$T/trim" sh -c "echo 5000 >$DBG/trim/alloc"
echo "0 1000 2000" >"$(sdir trim)/watermarks"
i=$(wait_objects trim 1000 30)
check "a cache above high is trimmed to low in the background (${i}s)" \
	test "$(stat_of trim objects)" = 1000 -a "$(stat_of trim scans_direct)" = 0
echo trim >"$DBG/destroy"

# 15: that trim, on a node with free memory, is the worker's, paced: kswapd
# sleeps on a balanced node (review II-2), and as with memory.reclaim
# nobody waits for the trim, so PSI full must not count it (2000 objects
# at 1 ms each)
if [ -r /proc/pressure/memory ]; then
	echo "slowtrim memcg objsize=1024" >"$DBG/create"
	echo 1000000 >"$DBG/slowtrim/scan_cost_ns"
	in_memcg "$T/trim" sh -c "echo 3000 >$DBG/slowtrim/alloc"
	full0=$(psi_full_us)
	echo "0 1000 2000" >"$(sdir slowtrim)/watermarks"
	wait_objects slowtrim 1000 60 >/dev/null
	full=$((($(psi_full_us) - full0) / 1000))
	kswapd=$(stat_of slowtrim scans_kswapd)
	if [ "$(stat_of slowtrim objects)" = 1000 ] && [ "$kswapd" = 0 ] &&
	   [ "$full" -lt 200 ]; then
		ok "a trim on a balanced node is the worker's and no PSI stall ($full ms full)"
	else
		fail "a trim on a balanced node is the worker's and no PSI stall" \
			"objects $(stat_of slowtrim objects) (want 1000)" \
			"kswapd scans $kswapd (want 0)" \
			"PSI memory full $full ms over a 2000 ms trim (want < 200)"
	fi
	echo slowtrim >"$DBG/destroy"
else
	skip "no /proc/pressure/memory (CONFIG_PSI)"
fi

# 16: memory protection covers unpressured work (review II-1): a cache in
# a memcg within its memory.min is not trimmed, nor taken by a sibling's
# pressure on their parent's limit; once the protection goes, the same
# trim runs.  The sibling fills the limit with page cache on disk.  The
# protection is granted down the whole path, as cgroup v2 wants it for
# global reclaim, against which the trim weighs it.
mkdir -p "$T/prot"
echo +memory >"$T/prot/cgroup.subtree_control"
mkdir -p "$T/prot/a" "$T/prot/b" /scratch/prot
echo 64M >"$T/prot/memory.max"
for g in "$T" "$T/prot" "$T/prot/a"; do
	echo 48M >"$g/memory.min"
done
echo "prot memcg objsize=1024" >"$DBG/create"
in_memcg "$T/prot/a" sh -c "echo 5000 >$DBG/prot/alloc"
echo "0 1000 2000" >"$(sdir prot)/watermarks"
# a sweep (every 10 s) finds the cache above high and queues the trim,
# which test 14 saw take a few seconds more: give both 25 s
sleep 25
idle=$(stat_of prot objects)
in_memcg "$T/prot/b" sh -c \
	"dd if=/dev/zero of=/scratch/prot/fill bs=1M count=96 2>/dev/null"
pressed=$(stat_of prot objects)
# the parent's limit was met: its reclaim did walk a
limited=$(awk '$1 == "max" { print $2 }' "$T/prot/memory.events")
rm -f /scratch/prot/fill
echo 0 >"$T/prot/a/memory.min"
i=$(wait_objects prot 1000 30)
name="memory.min keeps a cache from the trim and a neighbour's reclaim"
if [ "$idle" = 5000 ] && [ "$pressed" = 5000 ] && [ "${limited:-0}" -gt 0 ] &&
   [ "$(stat_of prot objects)" = 1000 ]; then
	ok "$name ($limited limit hits; trimmed ${i}s after)"
else
	fail "$name" \
		"objects after 25 s idle $idle (want 5000)" \
		"after the neighbour's fill $pressed (want 5000)" \
		"the parent's limit met ${limited:-0} times (want > 0)" \
		"after memory.min went: $(stat_of prot objects) in ${i}s (want 1000)"
fi
echo prot >"$DBG/destroy"
echo 0 >"$T/prot/memory.min"
echo 0 >"$T/memory.min"
rmdir "$T/prot/a" "$T/prot/b" "$T/prot" 2>/dev/null

# 16b-16c: an idle trim takes only what reclaim would call cold (review
# II-3).  Every other one of the first 5000 objects of "warm" is used
# every 5 s by the clock, as a walk of a file tree uses its dentries,
# while unused ones arrive, about 200 a second, as one-off lookups would.
# Over 50 s the trims keep taking unused ones, and never a used one: a
# trim laps the list once and the next waits 10 s.  A trim that lapped
# on, every 100 ms a slice, came back to a used one in about 3 s.
# memory.shrinker.trim=0 on a parent keeps a cache in its subtree whole;
# back at 1, it is trimmed.
mkdir -p "$T/warm" "$T/notrim"
echo +memory >"$T/notrim/cgroup.subtree_control"
mkdir -p "$T/notrim/c"
echo "warm memcg objsize=1024" >"$DBG/create"
echo "off memcg objsize=1024" >"$DBG/create"
in_memcg "$T/warm" sh -c "echo 5000 >$DBG/warm/alloc"
in_memcg "$T/notrim/c" sh -c "echo 5000 >$DBG/off/alloc"
knob=$(cat "$T/notrim/memory.shrinker.trim" 2>/dev/null)
echo 0 >"$T/notrim/memory.shrinker.trim"
bad=
echo 2 >"$T/notrim/memory.shrinker.trim" 2>/dev/null && bad="2 taken"
echo x >/sys/module/shrinker/parameters/trim 2>/dev/null &&
	bad="$bad x taken by shrinker.trim"
echo "0 1000 2000" >"$(sdir warm)/watermarks"
echo "0 1000 2000" >"$(sdir off)/watermarks"
(while :; do echo "2 5000" >"$DBG/warm/touch"; sleep 5; done) &
toucher=$!
t0=$(date +%s)
half=
while [ $(($(date +%s) - t0)) -lt 50 ]; do
	in_memcg "$T/warm" sh -c "echo 200 >$DBG/warm/alloc"
	[ -z "$half" ] && [ $(($(date +%s) - t0)) -ge 25 ] &&
		half=$(stat_of warm freed)
	sleep 1
done
kill "$toucher"
wait "$toucher" 2>/dev/null
freed=$(stat_of warm freed)
touched=$(stat_of warm freed_touched)
off=$(stat_of off objects)
name="an idle trim keeps what was used since the last sweep"
if [ "${half:-0}" -ge 2500 ] && [ "$freed" -gt "$half" ] &&
   [ "$touched" = 0 ]; then
	ok "$name ($half then $freed unused objects trimmed)"
else
	fail "$name" "unused objects trimmed by 25 s ${half:-none} (want >= 2500)" \
		"by 50 s $freed (want more: the trims went on)" \
		"used objects trimmed $touched (want 0)"
fi
# reclaim is asked for: the knob does not stop it
echo 1M >"$T/notrim/memory.reclaim" 2>/dev/null
reclaimed=$(stat_of off objects)
echo 1 >"$T/notrim/memory.shrinker.trim"
i=$(wait_objects off 1000 30)
name="memory.shrinker.trim=0 keeps its subtree from the trim"
if [ "$knob" = 1 ] && [ "$off" = 5000 ] && [ -z "$bad" ] &&
   [ "$reclaimed" -lt 5000 ] &&
   [ "$(cat "$T/notrim/memory.shrinker.trim")" = 1 ] &&
   [ "$(cat /sys/module/shrinker/parameters/trim)" = Y ] &&
   [ "$(stat_of off objects)" = 1000 ]; then
	ok "$name (trimmed ${i}s after it went back to 1)"
else
	fail "$name" "the default ${knob:-none} (want 1)" \
		"objects after 50 s at 0: $off (want 5000)" \
		"after memory.reclaim of 1M at 0: $reclaimed (want fewer)" \
		"bad input: ${bad:-refused}" \
		"after 1: $(stat_of off objects) in ${i}s (want 1000)"
fi
echo warm >"$DBG/destroy"
echo off >"$DBG/destroy"
rmdir "$T/notrim/c" "$T/notrim" "$T/warm" 2>/dev/null

# 17: what a byte costs to reclaim is measured, per instance
mkdir -p "$T/cost"
echo "cheap memcg objsize=1024" >"$DBG/create"
echo "dear memcg objsize=1024" >"$DBG/create"
echo 1000000 >"$DBG/dear/scan_cost_ns"
c=$(ino "$T/cost")
# cost_round: fill both caches, reclaim from both, read each cost (its
# window keeps earlier rounds) and the dear one's extra over the cheap.
cost_round() {
	in_memcg "$T/cost" sh -c "echo 4000 >$DBG/cheap/alloc; echo 4000 >$DBG/dear/alloc"
	echo 2M >"$T/cost/memory.reclaim" || true
	cheap=$(inst cheap "$c" ns_per_kib)
	dear=$(inst dear "$c" ns_per_kib)
	case "$cheap:$dear" in
	*[!0-9:]*|:*|*:) extra=bad ;;
	*) extra=$((dear - cheap)) ;;
	esac
}
# A dear object busy-waits 1 ms a KiB, so its cost cannot measure below
# that, less a tenth for the guest's TSC calibration: a floor, judged at
# once.  What a cheap one costs is noise around the free: on the debug
# kernel under TCG it measured 300-600 us a KiB, and either cache's scan
# up to 320 us a KiB dearer than the other's, which drowned the 200 us
# this test once added (docs/reliability.md).  Half the added ms must
# show as the difference, or the cheap cache was booked the dear one's;
# a booking error stays in a second round, noise in one sample does not.
cost_round
rounds=1
if [ "$extra" != bad ] && [ "$dear" -ge 900000 ] && [ "$extra" -lt 500000 ]; then
	cost_round
	rounds=2
fi
check "reclaim cost per KiB is measured (cheap $cheap, 1 ms a KiB more: $dear ns; $rounds rounds)" \
	test "$extra" != bad -a "$dear" -ge 900000 -a "$extra" -ge 500000
echo cheap >"$DBG/destroy"
echo dear >"$DBG/destroy"

# 18: instances go with their memcg; a cache reusing the shrinker id of
# a destroyed one starts with fresh state
# (a2 takes a's id: the lowest free one)
echo a >"$DBG/destroy"
echo "a2 memcg" >"$DBG/create"
in_memcg "$T/a" sh -c "echo 100 >$DBG/a2/alloc"
fresh="$(inst a2 "$m" count) $(inst a2 "$m" scanned)"
for c in a2 fly nofs rp; do
	echo "$c" >"$DBG/destroy"
done
# $T inherited instances from its children: it must go too.  The
# children go first, so that what holds them is counted under $T: the
# memory.min test writes on the root filesystem from a memcg
# (/scratch/prot), and an ext4 journal may hold such a memcg
# (journal_chance()).  No drop_caches comes before the wait, so the page
# cache the second chance drops may also free memcgs that clean page
# cache alone held, which the old check failed on: its verdict is
# printed beside the new one.  A hold the framework releases within 70 s
# (30 s, 10 s more, 30 s for the count) now passes, where 30 s did.
for d in "$T"/*/*/ "$T"/*/; do
	[ -d "$d" ] || continue
	rmdir "$d"
done
w=$(wait_undying "$T" 30)
d1=$(dying "$T")
how=""
pins=""
out0=$(($(dying "$CG") - d1))
if [ "$d1" != 0 ]; then
	# what the old check, which removed $T with its children and waited
	# 30 s, would have counted: the instances of dying memcgs (the view
	# lists live memcgs' only)
	tino=$(ino "$T")
	tn=$(cat "$SDBG"/*/instances | awk -v m="$tino" '$1 == m' | wc -l)
	held=$(($(instances_total) - total0 - tn))
	old="the check as it was until 2026-12-06"
	if [ "$held" -gt 0 ]; then
		echo "# $old fails here: instances held $held, by $d1 dying after ${w}s"
	else
		echo "# $old passes here: no instance held by $d1 dying after ${w}s"
	fi
	journal_chance "$T"
	how=$JOURNAL_HOW
	[ "$(dying "$T")" = 0 ] || pins=$(dying_pins "$T")
fi
out1=$(($(dying "$CG") - $(dying "$T")))
rmdir "$T"
i=0
while [ "$(instances_total)" -gt "$total0" ] && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
name="instances are fresh for a new cache and freed with their memcgs"
name="$name ($d1 memcgs dying after ${w}s$how)"
if [ "$fresh" = "100 0" ] && [ "$(instances_total)" -le "$total0" ] &&
   [ "$out1" -ge "$out0" ]; then
	ok "$name"
else
	fail "$name" \
		"a2 in the memcg: '$fresh' (want '100 0')" \
		"instances $(instances_total), $total0 at the start" \
		"dying memcgs outside $T: $out0, $out1 after the second chance" \
		"(want no fewer: those freed take their instances off the count)" \
		"dying memcgs: $(dying "$CG")" ${pins:+"$pins"}
	grep -l . "$SDBG"/*/instances | while read -r f; do
		awk -v f="$f" 'NR > 1 && $1 != 1 { print "# " f ": " $0 }' "$f"
	done
fi

# 20: a destroyed cache's instances go with it, while its memcgs live on:
# its own instance and one in each memcg, all at once
mkdir -p "$T"
echo +memory >"$T/cgroup.subtree_control"
mkdir -p "$T/g1" "$T/g2" "$T/g3"
echo "gone memcg" >"$DBG/create"
for g in g1 g2 g3; do
	in_memcg "$T/$g" sh -c "echo 500 >$DBG/gone/alloc"
done
n=$(($(wc -l <"$(sdir gone)/instances") - 1))
t1=$(instances_total)
echo gone >"$DBG/destroy"
t2=$(instances_total)
check "a destroyed cache takes its memcg instances with it ($n listed, $t1 before, $t2 after)" \
	test "$n" -ge 4 -a $((t1 - t2)) -ge "$n"
rmdir "$T/g1" "$T/g2" "$T/g3" "$T"

# 21: instances come from their own slab cache, not from kmalloc-512
if [ -d /sys/kernel/slab ]; then
	sz=$(cat /sys/kernel/slab/shrinker_instance/slab_size 2>/dev/null)
	check "instances have their own slab cache (${sz:-no} bytes a slot)" \
		test -n "$sz"
else
	skip "instances have their own slab cache: no /sys/kernel/slab"
fi

TR=/sys/kernel/tracing
mkdir -p "$T"
echo +memory >"$T/cgroup.subtree_control"

# 22: work in flight that never comes back holds an OOM kill for a
# bounded time, whatever a reclaim round takes: no wait begins 3 s
# (SHRINKER_OOM_MAX_WAIT) after an allocation's first.  Measured per
# allocation by the kernel's own clock (waited_ms of each decision): the
# last wait's start, and the decision to kill.
EV_OOM=$TR/events/shrinker/shrinker_oom_decision
in_flight_memcg never forever /tmp/inst-never 600000
trace_no_cmd
echo >"$TR/trace"
echo "memcg == $(ino "$T/forever")" >"$EV_OOM/filter"
echo 1 >"$EV_OOM/enable"
in_memcg "$T/forever" dd if=/dev/zero of=/tmp/inst-never/f bs=1M count=40 2>/dev/null
echo 0 >"$EV_OOM/enable"
echo 0 >"$EV_OOM/filter"
kills=$(awk '$1 == "oom_kill" { print $2 }' "$T/forever/memory.events")
# per task: the waits of one allocation, then the decision to kill
pid='^.*-\([0-9][0-9]*\) *\[[0-9]*\]'
fields='.* waits=\([0-9]*\) waited_ms=\([0-9]*\) .*decision=\([a-z]*\).*'
span=$(sed -n "s/$pid.*shrinker_oom_decision:$fields/\1 \2 \3 \4/p" "$TR/trace" |
	awk '$4 == "throttle" { last[$1] = $3 }
	     $4 == "oom" && $2 > 0 {
		if (last[$1] > wl) wl = last[$1]; if ($3 > wk) wk = $3; n++ }
	     END { printf "%d %d %d\n", n, wl, wk }')
set -- $span
what="$kills kills; $1 chains, last wait begun at $2 ms, kill at $3 ms"
check "in flight forever, an OOM kill waits at most 3 s ($what)" \
	test "${kills:-0}" -ge 1 -a "$1" -ge 1 -a "$2" -lt 3000 -a "$3" -ge 3000
rm -f /tmp/inst-never/f
umount /tmp/inst-never
echo 0 >"$DBG/never/inflight_delay_ms"
echo never >"$DBG/destroy"
rmdir "$T/forever"

# 23: an instance made in reclaim (or anywhere) never dips into the
# reserves that PF_MEMALLOC opens: every one is allocated with
# __GFP_NOMEMALLOC
if inst_trace_on; then
	mkdir -p "$T/res"
	echo "res memcg objsize=1024" >"$DBG/create"
	in_memcg "$T/res" sh -c "echo 2000 >$DBG/res/alloc"
	echo 1M >"$T/res/memory.reclaim" 2>/dev/null
	inst_trace_off
	made=$(grep -c 'call_site=[a-z_]*shrink' "$TR/trace")
	bad=$(grep 'call_site=[a-z_]*shrink' "$TR/trace" | grep -vc '__GFP_NOMEMALLOC')
	check "instances never come from the reserves ($made made, $bad without __GFP_NOMEMALLOC)" \
		test "$made" -gt 0 -a "$bad" = 0
	[ "$bad" = 0 ] || grep 'call_site=[a-z_]*shrink' "$TR/trace" | head -n 3 | sed 's/^/# /'
	echo res >"$DBG/destroy"
	rmdir "$T/res"
else
	fail "instances never come from the reserves" "no slab object size or kmem event"
fi

# 26-27: instances live where their objects do: a memcg-aware cache has
# an instance on each node that holds its objects, NUMA aware or not,
# and the memcg's reclaim reaches each.  One that is not NUMA aware
# counts and walks the node reclaim asks about, as nfs42xattr's do, and
# list_lru sets its bit per node.  Objects land on the node of the CPU
# that allocates them (SLUB may serve a few from another node: each
# node must hold at least 90% of what its CPU allocated).  Needs two
# nodes with memory and CPUs, and taskset.
# shellcheck disable=SC2046
set -- $(cpu_mem_nodes)
if [ $# -ge 2 ] && command -v taskset >/dev/null 2>&1; then
	na=$1 nb=$2
	cpu_a=$(sed 's/[-,].*//' /sys/devices/system/node/node"$1"/cpulist)
	cpu_b=$(sed 's/[-,].*//' /sys/devices/system/node/node"$2"/cpulist)
	# placed CACHE MEMCG: "ok" if the memcg has an instance on each of
	# the two nodes, each with 90% of what its CPU allocated, and all
	# the cache's objects; else what it has
	placed() {
		ca=$(inst_on "$1" "$2" "$na" count)
		cb=$(inst_on "$1" "$2" "$nb" count)
		if [ "${ca:-0}" -ge 900 ] && [ "${cb:-0}" -ge 630 ] &&
		   [ $((ca + cb)) = "$(stat_of "$1" objects)" ]; then
			echo ok
		else
			echo "node $na '$ca', node $nb '$cb' of $(stat_of "$1" objects)"
		fi
	}
	# scanned_both CACHE MEMCG: "ok" if reclaim scanned both instances
	scanned_both() {
		sa=$(inst_on "$1" "$2" "$na" scanned)
		sb=$(inst_on "$1" "$2" "$nb" scanned)
		if [ "${sa:-0}" -gt 0 ] && [ "${sb:-0}" -gt 0 ]; then
			echo ok
		else
			echo "scanned: node $na '$sa', node $nb '$sb'"
		fi
	}
	mkdir -p "$T/nodes"
	m=$(ino "$T/nodes")
	# no background trim between the readings below
	echo 0 >"$T/nodes/memory.shrinker.trim" 2>/dev/null
	echo "pn memcg numa objsize=1024" >"$DBG/create"
	echo "nn memcg objsize=1024" >"$DBG/create"
	for c in pn nn; do
		in_memcg_on "$cpu_a" "$T/nodes" sh -c "echo 1000 >$DBG/$c/alloc"
		in_memcg_on "$cpu_b" "$T/nodes" sh -c "echo 700 >$DBG/$c/alloc"
	done
	got_pn=$(placed pn "$m")
	got_nn=$(placed nn "$m")
	# most of the 3.4 MB of objects: reclaim must reach both nodes
	echo 2M >"$T/nodes/memory.reclaim" 2>/dev/null
	scan_pn=$(scanned_both pn "$m")
	scan_nn=$(scanned_both nn "$m")
	check "a NUMA-aware cache has an instance on each node of its objects ($got_pn; $scan_pn)" \
		test "$got_pn" = ok -a "$scan_pn" = ok
	check "a memcg-aware cache that is not NUMA aware has one too ($got_nn; $scan_nn)" \
		test "$got_nn" = ok -a "$scan_nn" = ok
	echo pn >"$DBG/destroy"
	echo nn >"$DBG/destroy"
	rmdir "$T/nodes"
else
	why="# SKIP one node, or no taskset"
	ok "a NUMA-aware cache has an instance on each node of its objects $why"
	ok "a memcg-aware cache that is not NUMA aware has one too $why"
fi

# 28: reclaim wakes the drain worker when a batch is queued, not for
# less (review R-11).  A reclaimer that queued a few objects and woke the
# worker at once was preempted by it inside its reclaim, and so inside
# its PSI stall, once for every pass: in bench balance's memcg, 1948
# times in 20 s.  6.12 scanned no less than a batch (or all of a smaller
# cache).  The load is balance's: a memcg holding a directory's dentries
# and inodes reads a file on disk larger than its limit.  Readahead
# charges in a NOFS scope, so each reclaim's pass over the superblock
# (batch 1024, fs/super.c) queues its few objects.  A wake is the
# enqueuing task's next traced event on its CPU, interrupts aside (the
# worker's tick queues it from a timer): queueing the drain work.  An
# enqueue that left less than a batch, or found one queued already, must
# not wake it; the work must still be done, some of it by the worker
# (what the instance holds at min is dropped as aged, by design).
# Enqueues that brought the queue to a batch may wake it (and urgent
# ones, past min, which this load does not reach): their wakes are
# shown, not judged.
WAKE_FILE=/shrinker-wake.fill
WAKE_DIR=/shrinker-wake.d
mkdir -p "$T/wake" "$WAKE_DIR"
w=$(ino "$T/wake")
echo 64M >"$T/wake/memory.max"
# written around the page cache: the read below charges the memcg
dderr=$(dd if=/dev/zero of="$WAKE_FILE" bs=1M count=128 oflag=direct \
	2>&1 >/dev/null)
wsize=$(stat -c %s "$WAKE_FILE" 2>/dev/null)
# wake_col COLUMN: COLUMN summed over the memcg's superblock instances
wake_col() {
	for f in "$SDBG"/sb-*/instances; do
		awk -v m="$w" -v k="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$1 == m { s += $c[k] } END { print s + 0 }' "$f"
	done | awk '{ s += $1 } END { print s + 0 }'
}
name="reclaim wakes the drain worker when a batch is queued, not for less"
if [ "${wsize:-0}" != 134217728 ]; then
	ok "$name # SKIP no O_DIRECT file on /: ${wsize:-none} bytes; $dderr"
else
	in_memcg "$T/wake" sh -c "cd $WAKE_DIR && seq 1 8000 | xargs touch"
	EV_ENQ=$TR/events/shrinker/shrinker_defer_enqueue
	EV_WQ=$TR/events/workqueue/workqueue_queue_work
	trace_no_cmd
	echo 0 >"$TR/tracing_on"
	echo >"$TR/trace"
	echo 1 >"$EV_ENQ/enable"
	echo 1 >"$EV_WQ/enable"
	echo 1 >"$TR/tracing_on"
	in_memcg "$T/wake" cat "$WAKE_FILE" >/dev/null
	echo 0 >"$EV_ENQ/enable"
	echo 0 >"$EV_WQ/enable"
	# "SMALL OVER WOKE CROSS CWOKE": this memcg's superblock enqueues
	# that left less than a batch queued, those that found a batch
	# queued already, and how many of both the same task followed at once
	# by queueing the drain; those that brought the queue to a batch, and
	# how many of them did
	got=$(awk -v m="memcg=$w" '$5 == "shrinker_defer_enqueue:" {
			pend[$2] = ""
			if (!index($0, "super_cache_scan") || !index($0, m " "))
				next
			a = q = ""
			for (i = 6; i <= NF; i++) {
				if ($i ~ /^added=/)
					a = substr($i, 7)
				if ($i ~ /^queued=/)
					q = substr($i, 8)
			}
			if (q == "" || a == "")
				next
			if (q + 0 < 1024) {
				small++
				kind[$2] = "bad"
			} else if (q - a >= 1024) {
				over++
				kind[$2] = "bad"
			} else {
				cross++
				kind[$2] = "cross"
			}
			pend[$2] = $1
			next
		}
		$3 ~ /[ZzHhs]/ { next }
		{
			if (pend[$2] != "" && pend[$2] == $1 &&
			    $5 == "workqueue_queue_work:" &&
			    index($0, "function=shrinker_drain_work")) {
				if (kind[$2] == "bad")
					wk++
				else
					cwk++
			}
			pend[$2] = ""
		}
		END { print small + 0, over + 0, wk + 0, cross + 0, cwk + 0 }' "$TR/trace")
	# shellcheck disable=SC2086
	set -- $got
	small=$1 over=$2 woke=$3 cross=$4 cwoke=$5
	echo >"$TR/trace"
	# the queue is done within the worker's tick, or a few
	i=0
	while [ "$(wake_col deferred)" != 0 ] && [ $i -lt 5 ]; do
		sleep 1
		i=$((i + 1))
	done
	left=$(wake_col deferred)
	drained=$(wake_col drained)
	aged=$(wake_col aged)
	# The enqueues judged are those under a batch and those over one.
	# Under MGLRU this load once queued a batch or more a pass, only a
	# few times, and the test skipped there: every pass asked all of the
	# cache, as the memcg's LRUs read as empty (test 29).
	counts="$small enqueues under a batch, $over over one, $cross reached one"
	if [ $((small + over)) -lt 20 ]; then
		fail "$name" "the load did not run: $counts (need 20 judged)"
	else
		got="$woke woke it, of $small enqueues under a batch and $over over one"
		got="$got; $cwoke of $cross that reached one"
		check "$name ($got; $drained drained, $aged aged, $left left after $i s)" \
			test "$woke" = 0 -a "$left" = 0 -a "$drained" -gt 0
	fi
fi
rm -rf "$WAKE_FILE" "$WAKE_DIR"
rmdir "$T/wake"
trace_cmd_restore

# 29: the LRUs' pressure reaches a cache in proportion.  A memory.reclaim
# of 1M, about 1% of a memcg's 96M of page cache, may not take a quarter
# of a memcg-aware cache beside it: a pass asks at most the share the
# LRUs lost, times the cost weight (at most 4) and 4 / seeks, some tenth
# of the cache over the few passes 1M takes.  Under MGLRU a memcg's
# per-zone LRU sizes read zero (lru_gen_update_size() keeps counts of its
# own), so every pass counted the LRUs as wholly scanned and asked the
# whole cache.  Then a reclaim of 48M, half the page cache, must take
# some of the cache: the pass does reach it, and a kernel that never
# asks it cannot pass.  The trim is off meanwhile: it is not reclaim's.
name="a small memory.reclaim leaves most of a cache beside page cache"
name2="a memory.reclaim of half the page cache takes some of the cache"
PROP_FILE=/shrinker-prop.fill
trim_off
mkdir -p "$T/prop"
echo "prop memcg" >"$DBG/create"
in_memcg "$T/prop" sh -c "dd if=/dev/zero of=$PROP_FILE bs=1M count=96 2>/dev/null && sync"
in_memcg "$T/prop" sh -c "echo 20000 >$DBG/prop/alloc"
file0=$(memstat "$T/prop" file)
before=$(stat_of prop objects)
scans0=$(stat_of prop scan_calls)
if echo 1M >"$T/prop/memory.reclaim"; then rc=0; else rc=$?; fi
after=$(stat_of prop objects)
scans1=$(stat_of prop scan_calls)
file1=$(memstat "$T/prop" file)
if echo 48M >"$T/prop/memory.reclaim"; then rc2=0; else rc2=$?; fi
after2=$(stat_of prop objects)
scans2=$(stat_of prop scan_calls)
file2=$(memstat "$T/prop" file)
lru_gen=$(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null)
case "$file0:$file1:$file2:$before:$after:$after2:$scans0:$scans1:$scans2" in
*[!0-9:]*|*::*|:*|*:)
	fail "$name" "a count is missing: file $file0 $file1 $file2," \
		"objects $before $after $after2, scans $scans0 $scans1 $scans2"
	fail "$name2" "as above"
	;;
*)
	got="$after of $before objects left, $((scans1 - scans0)) scans;"
	got="$got file $((file0 >> 20))M to $((file1 >> 20))M; lru_gen ${lru_gen:-none}"
	got2="$after2 of $after objects left, $((scans2 - scans1)) scans;"
	got2="$got2 file $((file1 >> 20))M to $((file2 >> 20))M"
	if [ "$rc" != 0 ] || [ "$file0" -lt $((64 << 20)) ] || [ "$before" -lt 20000 ]; then
		fail "$name" "the load did not run: reclaim exit $rc, $got"
	else
		check "$name ($got)" test $((after * 4)) -gt $((before * 3))
	fi
	if [ "$rc2" != 0 ] || [ "$file2" -ge "$file1" ]; then
		fail "$name2" "the load did not run: reclaim exit $rc2, $got2"
	else
		check "$name2 ($got2)" test "$after2" -lt "$after"
	fi
	;;
esac
echo prop >"$DBG/destroy"
rm -f "$PROP_FILE"
rmdir "$T/prop"
trim_restore
rmdir "$T"

[ "$nfail" = 0 ]
