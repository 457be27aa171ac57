#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shrinker providers.  The superblock provider sizes a disk filesystem's
# instances in bytes, within a tolerance of the slab_reclaimable objcg
# charged to the memcg; memory.reclaim counts what a memcg's instances
# free as progress, a charge's reclaim only what the LRUs free; memcgs
# whose files are only dirty metadata are released on rmdir, not kept
# dying by their inodes; and rmdir during reclaim or during a drain of
# queued work leaves every object reachable on the parent, and the work
# a pass could not do while the memcg went is queued on the parent's
# instance; a global shrinker marked as unpinning memcg pages runs in
# reclaim of a memcg, once a cycle however many memcgs the cycle visits,
# and not for a memcg with no page cache; global reclaim scans it no
# more often than any global shrinker.  Skips on a kernel without
# shrinker instances.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
CG=/sys/fs/cgroup
T=$CG/shrinker_providers
# a directory on a disk filesystem: tmpfs dentries are never on an LRU
W=${SHRINKER_FS_DIR:-/var/tmp/shrinker_providers}
# 1c's tmpfs
MX=/tmp/shrinker_providers_mx
. "$DIR/shrinker_lib.sh"

# make_files MEMCG NAME N: N empty files made in $W/NAME by a task of
# MEMCG, with the shell's builtin redirection (no fork a file)
make_files() {
	in_memcg "$1" sh -c "mkdir $W/$2; i=0;
		while [ \$i -lt $3 ]; do : >$W/$2/f\$i; i=\$((i + 1)); done"
}

# sb_inst MEMCG_INO FIELD: FIELD of the memcg's largest superblock (the
# one of $W's filesystem, where the test made its files), summed over its
# per-node instances: the test's objects land on the node of the CPU that
# made them.  By the header's column names.
sb_inst() {
	for d in "$SDBG"/sb-*; do
		[ -f "$d/instances" ] || continue
		awk -v m="$1" -v f="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$1 == m { n++; k += $c["count"]; v += $c[f] }
			END { if (n) print k, v }' "$d/instances"
	done | sort -n | tail -n 1 | cut -d " " -f 2
}

cleanup() {
	trim_restore
	# 1b's event and record-cmd, should it have been cut short
	[ -n "${EV_END:-}" ] && echo 0 >"$EV_END/enable" 2>/dev/null
	trace_cmd_restore
	# 1c's writer, should it have been cut short: its limit, its tmpfs
	[ -f "$MX.pid" ] && kill -9 "$(cat "$MX.pid")" 2>/dev/null
	[ -f "$T/mx/memory.max" ] && echo max >"$T/mx/memory.max" 2>/dev/null
	umount -l "$MX" 2>/dev/null
	rm -f "$MX.pid"
	rmdir "$MX" 2>/dev/null
	destroy_test dr rc mv pin plain pm rt
	rm -rf "$W"
	rmmod shrinker_test 2>/dev/null
}

require_instances
mkdir -p "$W"
case $(stat -f -c %T "$W") in
tmpfs|ramfs)
	echo "1..0 # SKIP $W is on $(stat -f -c %T "$W"): set SHRINKER_FS_DIR to a disk filesystem"
	exit $KSFT_SKIP
	;;
esac
echo "1..13"
trap cleanup EXIT
# ash and dash run no EXIT trap on a signal: a time-out would leave trim
# off for every later test
trap 'exit 1' INT TERM HUP
cleanup
mkdir -p "$W"
insmod "$MOD" || exit 1
echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$T"
echo +memory >"$T/cgroup.subtree_control"

# 1: a superblock instance is sized in bytes, and the size is what objcg
# charged: within 15% of the memcg's slab_reclaimable
mkdir -p "$T/sb"
make_files "$T/sb" sb 3000
m=$(ino "$T/sb")
slab=$(memstat "$T/sb" slab_reclaimable)
bytes=$(sb_inst "$m" bytes)
count=$(sb_inst "$m" count)
if [ -n "$bytes" ] && [ "$bytes" -gt 0 ] && [ "$count" -ge 3000 ] &&
   [ $((bytes * 100)) -ge $((slab * 85)) ] && [ $((bytes * 100)) -le $((slab * 115)) ]; then
	ok "sb instance bytes match slab_reclaimable ($bytes of $slab, $count objects)"
else
	fail "superblock instance bytes match slab_reclaimable" \
		"instance: '$count' objects, '$bytes' bytes; memory.stat slab_reclaimable $slab"
fi

# 1b: memory reclaim of that memcg, which holds little but the files'
# dentries and inodes, counts as progress what it freed: the pages its
# episodes report (mm_vmscan_memcg_reclaim_end, this shell's) come within
# 20% of the memcg's page cache and reclaimable slab that went.  Counted
# at the superblock's size, which counts each dentry with its inode, the
# inode was counted again when freed (the OOM storm's reclaim reported
# 9.7M of progress from 5.6M of reclaimable slab, and memory.reclaim
# answered having freed 40% of what it asked); as a share of a size
# without the pinned inodes, an inode a call freed with its dentry was
# counted as a dentry.  Asked half, reclaim frees all of it on either
# count: a pass at priority 0 is coarser than the ask.
EV_END=/sys/kernel/tracing/events/vmscan/mm_vmscan_memcg_reclaim_end
file=$(memstat "$T/sb" file)
ask=$((slab / 2))
rc=0
trace_no_cmd
echo >/sys/kernel/tracing/trace
echo 1 >"$EV_END/enable"
echo "$ask" >"$T/sb/memory.reclaim" 2>/dev/null || rc=$?
echo 0 >"$EV_END/enable"
trace_cmd_restore
left=$(settled_slab "$T/sb")
got=$((slab - left + file - $(memstat "$T/sb" file)))
counted=$(reclaim_end $$ | cut -d " " -f 2)
what="asked $ask, freed $got, counted $counted, rc $rc"
check "memcg reclaim of dentries and inodes counts what it frees ($what)" \
	test "$rc" = 0 -a "$got" -gt 0 -a $((counted * 100)) -ge $((got * 80)) -a \
	$((counted * 100)) -le $((got * 120))

# 1c: a charge beside a memcg's dentries and inodes: its reclaim frees
# them, but reports to try_charge_memcg() only what the LRUs freed, as on
# 6.12.  Counted as progress, the instances' frees let each charge retry
# without spending a retry, and an OOM storm over memcgs of dentries
# killed 1.45x as late as on 6.12 (docs/runs/20261205T204709Z).  The
# writer, inside the memcg, fills a tmpfs file (unreclaimable: no swap)
# of half the slab past a limit set 512K above the memcg's usage; its
# episodes' reports may hold the page cache that went and a fifth of the
# slab that went, no more.  The load must have run: the writer reclaimed,
# and slab went.  The files are synced first (a dirty inode leaves the
# LRU unfreed) and trim is off (its frees would count in neither).
mkdir -p "$T/mx" "$MX"
make_files "$T/mx" mx 3000
sync
trim_off
if mount -t tmpfs -o size=64M none "$MX"; then
	slab=$(memstat "$T/mx" slab_reclaimable)
	lru=$(($(memstat "$T/mx" file) - $(memstat "$T/mx" shmem)))
	oom=$(awk '$1 == "oom_kill" { print $2 }' "$T/mx/memory.events")
	echo $(($(cat "$T/mx/memory.current") + 524288)) >"$T/mx/memory.max"
	trace_no_cmd
	echo >/sys/kernel/tracing/trace
	echo 1 >"$EV_END/enable"
	# the writer's pid: in_memcg's shell and this one exec, dd keeps it
	rm -f "$MX.pid"
	rc=0
	in_memcg "$T/mx" sh -c 'echo $$ >"$0.pid" && exec dd if=/dev/zero \
		of="$0/f" bs=4096 count="$1" 2>/dev/null' "$MX" $((slab / 8192)) ||
		rc=$?
	echo 0 >"$EV_END/enable"
	trace_cmd_restore
	echo max >"$T/mx/memory.max"
	pid=$(cat "$MX.pid" 2>/dev/null)
	oom=$(($(awk '$1 == "oom_kill" { print $2 }' "$T/mx/memory.events") - oom))
	left=$(settled_slab "$T/mx")
	sgot=$((slab - left))
	lgot=$((lru - $(memstat "$T/mx" file) + $(memstat "$T/mx" shmem)))
	[ "$lgot" -ge 0 ] || lgot=0
	eps=0
	counted=0
	if [ -n "$pid" ]; then
		ev=$(reclaim_end "$pid")
		eps=${ev% *}
		counted=${ev#* }
	fi
	rm -f "$MX/f" "$MX.pid"
	umount "$MX"
	what="slab $slab, freed $sgot, page cache freed $lgot"
	what="$what, $eps episodes counted $counted, dd rc $rc, oom kills $oom"
	check "a charge's reclaim frees dentries and inodes and counts only the LRUs ($what)" \
		test "$eps" -gt 0 -a "$sgot" -gt $((slab / 8)) -a \
		$((counted * 100)) -le $((lgot * 100 + sgot * 20))
else
	fail "a charge's reclaim frees dentries and inodes and counts only the LRUs" \
		"cannot mount a tmpfs on $MX"
fi
trim_restore

# 1d: the size is what objcg charged as of now, not as of the last flush
# of the memcg statistics, nominally every 2 s: a memcg filled from empty
# since reads as nearly empty.  Capped by that, an XFS superblock
# instance was sized at 46616 bytes for 14056 objects in an OOM report
# (docs/runs/20261207T-check-c2f0191).  Three fresh memcgs, each filled
# with 3000 files (more on more online CPUs: a flush leaves up to about
# 128 pages a CPU behind) and its instance read before memory.stat,
# which flushes; at least half must be counted.
nf=$((1500 * $(grep -c '^processor' /proc/cpuinfo)))
[ "$nf" -ge 3000 ] || nf=3000
bad=""
sizes=""
r=0
while [ $r -lt 3 ]; do
	r=$((r + 1))
	mkdir -p "$T/fr$r"
	make_files "$T/fr$r" "fr$r" "$nf"
	bytes=$(sb_inst "$(ino "$T/fr$r")" bytes)
	slab=$(memstat "$T/fr$r" slab_reclaimable)
	sizes="$sizes ${bytes:-none}/$slab"
	[ -n "$bytes" ] && [ $((bytes * 2)) -ge "$slab" ] || bad=1
done
rm -rf "$W"/fr1 "$W"/fr2 "$W"/fr3
rmdir "$T"/fr1 "$T"/fr2 "$T"/fr3 2>/dev/null
name="sb instance bytes are what is charged, not what was flushed"
check "$name ($nf files, bytes/slab:$sizes)" test -z "$bad"

# 2: memcgs that only dirtied inodes go when removed: the inodes move to
# the parent's writeback, so nothing keeps the memcgs dying.  The files
# exist and their blocks are cached (charged to the root), so no page
# cache is charged to the memcgs; their inodes are read back and dirtied
# inside them.  On 6.12 all 40 stay dying until their inodes are evicted.
mkdir -p "$T/dy"
echo +memory >"$T/dy/cgroup.subtree_control"
i=0
while [ $i -lt 40 ]; do
	mkdir -p "$W/dy/d$i"
	for f in 0 1 2 3; do : >"$W/dy/d$i/f$f"; done
	i=$((i + 1))
done
sync
echo 2 >/proc/sys/vm/drop_caches
i=0
while [ $i -lt 40 ]; do
	mkdir "$T/dy/c$i"
	in_memcg "$T/dy/c$i" sh -c "for f in 0 1 2 3; do touch $W/dy/d$i/f\$f; done"
	rmdir "$T/dy/c$i"
	i=$((i + 1))
done
i=0
while [ "$(dying "$T/dy")" -gt 0 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
left=$(dying "$T/dy")
check "40 memcgs that dirtied inodes go within 5 s ($left dying after $((i / 10)).$((i % 10)) s)" \
	test "$left" = 0

# 2b: a memcg removed while its file's pages are dirty goes once they are
# written.  The cleanup that moves a removed memcg's inodes to the
# parent's writeback passes over them while they have dirty pages, and
# tries again later; 6.12 tries only at the next memcg's removal
# anywhere and keeps it dying until then (docs/runs/20261207T-churn-wb).
# The file stays open, so no eviction frees its inode; once it is
# synced, the root journal checkpointed and the page cache dropped, no
# page holds the memcg.  (Synced at once, the sync could beat the
# cleanup, and the memcg went without the retry in some runs.)
mkdir -p "$T/wd"
echo +memory >"$T/wd/cgroup.subtree_control"
mkdir "$T/wd/c"
in_memcg "$T/wd/c" sh -c "dd if=/dev/zero of=$W/wd bs=1M count=4 2>/dev/null"
exec 8<"$W/wd"
rmdir "$T/wd/c"
# the offline, and the cleanup it queues, come a grace period after the
# rmdir: let them see the pages dirty, as a busy writer's removal would
sleep 2
sync
how=""
"$DIR/ext4_checkpoint" "$W" >/dev/null 2>&1 || how="; no journal checkpoint"
echo 1 >/proc/sys/vm/drop_caches
i=$(wait_undying "$T/wd" 30)
left=$(dying "$T/wd")
exec 8<&-
rm -f "$W/wd"
name="a memcg removed with its pages dirty goes once they are written"
check "$name ($left dying after ${i}s$how)" test "$left" = 0

# 3: rmdir while a child's work is queued for the drain, which fails it
# until then: every object is on the parent's instance, and the work
# was done there
mkdir -p "$T/dr/child"
echo +memory >"$T/dr/cgroup.subtree_control"
echo 24M >"$T/dr/child/memory.max"
echo "dr memcg defer_nofs objsize=1024" >"$DBG/create"
echo 50000 >"$DBG/dr/scan_cost_ns"
echo 1000000 >"$DBG/dr/fail_next"
nofs_fill "$T/dr/child" dr 12000
c=$(ino "$T/dr/child")
p=$(ino "$T/dr")
queued=$(inst dr "$c" deferred)
rmdir "$T/dr/child"
echo 0 >"$DBG/dr/fail_next"
i=0
while { [ "$(inst dr "$p" count)" != "$(stat_of dr objects)" ] ||
	[ "$(inst dr "$p" deferred)" != 0 ]; } && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
pc=$(inst dr "$p" count)
check "rmdir during a drain: all on the parent ($pc of $(stat_of dr objects), $queued queued)" \
	test "${queued:-0}" -gt 0 -a "$(inst dr "$p" count)" = "$(stat_of dr objects)" \
	-a "$(inst dr "$p" deferred)" = 0
rm -f /tmp/nofs.fill
echo dr >"$DBG/destroy"

# 4: rmdir while memory.reclaim scans a slow cache in the child
mkdir -p "$T/rc/child"
echo +memory >"$T/rc/cgroup.subtree_control"
echo "rc memcg objsize=1024" >"$DBG/create"
echo 200000 >"$DBG/rc/scan_cost_ns"
in_memcg "$T/rc/child" sh -c "echo 12000 >$DBG/rc/alloc"
p=$(ino "$T/rc")
(echo 4M >"$T/rc/child/memory.reclaim") 2>/dev/null &
rec=$!
sleep 0.3
rmdir "$T/rc/child"
wait $rec
i=0
while [ "$(inst rc "$p" count)" != "$(stat_of rc objects)" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
pc=$(inst rc "$p" count)
check "rmdir during reclaim: all on the parent ($pc of $(stat_of rc objects))" \
	test "$(inst rc "$p" count)" = "$(stat_of rc objects)" -a "$(stat_of rc freed)" -gt 0 \
	-a "$(stat_of rc objects)" -gt 0
echo rc >"$DBG/destroy"

# 5: passes (count calls) over two idle global caches, one marked as
# unpinning pages: reclaim of a memcg scans only that one; reclaim from
# the root, whose walk visits 8 memcgs holding page cache, scans both
# once per root pass and node, not once more for each memcg.  The memcg
# reclaim asks for more than the memcg's 4M of page cache, so its walks
# take file folios and still fall short, as with page cache pinned: a
# reclaim its LRUs satisfy, or a walk that takes no file folio, does not
# scan the cache (5c).  Asked 1M, the multi-gen LRU's walks met the
# goal or only aged, and the pass never ran.
echo "pin unpins" >"$DBG/create"
echo "plain" >"$DBG/create"
echo 20000 >"$DBG/pin/alloc"
echo 20000 >"$DBG/plain/alloc"
mkdir -p "$T/up"
echo +memory >"$T/up/cgroup.subtree_control"
i=0
while [ $i -lt 8 ]; do
	mkdir -p "$T/up/u$i"
	in_memcg "$T/up/u$i" dd if=/dev/zero of="$W/up$i" bs=1M count=4 2>/dev/null
	i=$((i + 1))
done
sync
p0=$(stat_of pin count_calls)
q0=$(stat_of plain count_calls)
echo 8M >"$T/up/u0/memory.reclaim" 2>/dev/null
p1=$(stat_of pin count_calls)
q1=$(stat_of plain count_calls)
echo 16M >"$CG/memory.reclaim" 2>/dev/null
p2=$(stat_of pin count_calls)
q2=$(stat_of plain count_calls)
mp=$((p1 - p0))
mq=$((q1 - q0))
gp=$((p2 - p1))
gq=$((q2 - q1))
check "unpinning shrinker: memcg reclaim $mp passes (plain $mq), root reclaim $gp (plain $gq)" \
	test "$mp" -gt "$mq" -a "$gq" -gt 0 -a $((gp * 2)) -le $((gq * 3 + 4))

# 5b: reclaim of the parent of the 8 memcgs visits 9 in a cycle, the 8
# holding objects of a memcg-aware cache: the unpinning shrinker is
# scanned at most once per cycle and node, not once per memcg visited (a
# noisy neighbour's journal scans under j_list_lock).  The reclaim must
# have run and scanned; the 10 s sweep adds at most 1 pass to 8 and
# cannot make the 64 memcg-cache passes asked for alone.  MGLRU meets an
# 8M goal in fewer cycles than the classic LRU (27 passes where the
# classic LRU makes 64 or more, docs/runs/20261203T-mglru-first): the
# reclaim repeats, up to 4 times, until the passes are there.  Each node's
# walk scans the unpinning cache, wherever the memcg cache's objects
# are: the bound is a quarter of the memcg cache's passes a node.
echo "pm memcg" >"$DBG/create"
i=0
while [ $i -lt 8 ]; do
	in_memcg "$T/up/u$i" sh -c "echo 20000 >$DBG/pm/alloc &&
		dd if=/dev/zero of=$W/upb$i bs=1M count=4 2>/dev/null"
	i=$((i + 1))
done
sync
# reclaim walks only the nodes with memory: count those
nodes=$(awk -F, '{ for (i = 1; i <= NF; i++) { n = split($i, r, "-");
	c += n == 2 ? r[2] - r[1] + 1 : 1 } } END { print c + 0 }' \
	/sys/devices/system/node/has_memory 2>/dev/null)
[ "${nodes:-0}" -ge 1 ] || nodes=1
p0=$(stat_of pin count_calls)
n0=$(stat_of pm count_calls)
s0=$(awk '$1 == "pgscan" { print $2 }' "$T/up/memory.stat")
rs=0
i=0
mu=0
while [ $i -lt 4 ] && [ "$mu" -lt 64 ] && [ "$rs" = 0 ]; do
	echo 8M >"$T/up/memory.reclaim" 2>/dev/null || rs=$?
	mu=$(($(stat_of pm count_calls) - n0))
	i=$((i + 1))
done
pu=$(($(stat_of pin count_calls) - p0))
sc=$(($(awk '$1 == "pgscan" { print $2 }' "$T/up/memory.stat") - s0))
what="$pu passes, $mu of a memcg cache, $nodes nodes, $sc pages scanned,"
what="$what $i reclaims of 8M, exit $rs"
check "unpinning shrinker: reclaim of a subtree of 9 memcgs scans it once a cycle ($what)" \
	test "$rs" -eq 0 -a "$sc" -gt 0 -a "$mu" -ge 64 -a $((pu * 4)) -le $((mu * nodes))
echo pm >"$DBG/destroy"

# 5c: reclaim of a memcg that holds no page cache isolates no file folio,
# so it tried to release none that the unpinning shrinker pins: it is not
# scanned, though every priority of every retry falls short.  The memcg
# is empty.  memory.reclaim answers EAGAIN only once reclaim has come
# back empty MAX_RECLAIM_RETRIES times over: any other error fails the
# test.  Trim is off, so the only other count is the 10 s sweep's, once
# on each node.
trim_off
mkdir -p "$T/up/none"
p0=$(stat_of pin count_calls)
err=$( { echo 1M >"$T/up/none/memory.reclaim"; } 2>&1)
pn=$(($(stat_of pin count_calls) - p0))
case $err in
*"temporarily unavailable"*) rs=EAGAIN ;;
*) rs="not EAGAIN: ${err:-no error}" ;;
esac
check "unpinning shrinker: reclaim of a memcg with no page cache counts it $pn times ($rs)" \
	test "$rs" = EAGAIN -a "$pn" -le "$nodes"
rmdir "$T/up/none"
trim_restore
echo pin >"$DBG/destroy"
echo plain >"$DBG/destroy"
rm -f "$W"/up*

# 6: rmdir while a reclaim pass over the child is asleep in the provider,
# which then refuses: the work the pass queues goes to the parent's
# instance, where the child's state went, not to the dying child that
# reclaim no longer visits.  The reclaim is the parent's: a write to the
# child's own memory.reclaim would hold off its rmdir until it is done.
mkdir -p "$T/mv/child"
echo +memory >"$T/mv/cgroup.subtree_control"
echo "mv memcg objsize=1024" >"$DBG/create"
in_memcg "$T/mv/child" sh -c "echo 12000 >$DBG/mv/alloc"
p=$(ino "$T/mv")
echo 5000 >"$DBG/mv/stall_next_ms"
echo 1 >"$DBG/mv/fail_next"
(echo 4M >"$T/mv/memory.reclaim") 2>/dev/null &
rec=$!
i=0
while [ "$(stat_of mv stalls)" = 0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
st=$(stat_of mv stalls)
rmdir "$T/mv/child"
wait $rec
q=$(inst mv "$p" enqueued)
what="$st stalled, ${q:-no} enqueued there"
check "rmdir under a pass: its queued work is on the parent ($what)" \
	test "$st" = 1 -a "$(stat_of mv failed_scans)" = 1 -a "${q:-0}" -gt 0
echo mv >"$DBG/destroy"

# 7: memory.reclaim of the root counts a slab page its instances free
# once.  The root's reclaim counts the slab pages freed in its context
# (flush_reclaim_state()); the instances' bytes on top counted each
# synchronously freed object twice.  A test cache of 8192 4K objects
# fills a memcg after the page cache was dropped; the root is asked for
# 16M.  It must succeed, so its episodes report at least 16M, and free
# at least 8M of the test cache.  They may report the page cache that
# went and the test cache's bytes, which bound its slab pages from above
# (SLUB keeps some emptied slabs), and a fifth of those bytes more: other
# slab counted meanwhile, any cache's synchronous frees and the RCU frees
# of dentries and inodes whose callbacks ran on the reclaimer's CPU.
# Skipped under KASAN, whose quarantine keeps freed objects, and so their
# pages, past the reclaim.  Last, as it drops the page cache: run before
# test 2, it once left one of test 2's memcgs dying past 5 s (review R-17).
name="memory.reclaim of the root counts slab its instances free once"
# the page cache, in bytes: what LRU reclaim of files takes from
page_cache() {
	awk '$1 == "Cached:" || $1 == "Buffers:" { s += $2 } END { print s * 1024 }' /proc/meminfo
}
if zcat /proc/config.gz 2>/dev/null | grep -qx "CONFIG_KASAN=y"; then
	ok "$name # SKIP KASAN's quarantine keeps the freed objects' pages"
else
	echo "rt memcg objsize=4096" >"$DBG/create"
	mkdir -p "$T/rt"
	trim_off
	sync
	echo 1 >/proc/sys/vm/drop_caches
	in_memcg "$T/rt" sh -c "echo 8192 >$DBG/rt/alloc"
	cached=$(page_cache)
	freed=$(stat_of rt freed)
	rc=0
	trace_no_cmd
	echo >/sys/kernel/tracing/trace
	echo 1 >"$EV_END/enable"
	echo 16M >"$CG/memory.reclaim" 2>/dev/null || rc=$?
	echo 0 >"$EV_END/enable"
	trace_cmd_restore
	trim_restore
	sgot=$((($(stat_of rt freed) - freed) * 4096))
	lgot=$((cached - $(page_cache)))
	lpos=$lgot
	[ "$lpos" -ge 0 ] || lpos=0
	ev=$(reclaim_end $$)
	eps=${ev% *}
	counted=${ev#* }
	what="test cache freed $sgot, page cache $lgot, $eps episodes counted $counted, rc $rc"
	check "$name ($what)" \
		test "$rc" = 0 -a "$eps" -gt 0 -a "$sgot" -ge $((8 << 20)) -a \
		$((counted * 100)) -le $((lpos * 100 + sgot * 120))
	echo rt >"$DBG/destroy"
fi

[ "$nfail" = 0 ]
