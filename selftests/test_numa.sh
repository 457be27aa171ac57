#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shrinker instances on a machine of several NUMA nodes: reclaim of one
# node (under the pressure of a task bound to it) scans that node's
# instances and leaves every other node's objects alone, memory.stat
# counts what a memcg's instances freed on each node, a memcg's rmdir
# hands each node's instance to the parent's on the same node, and a
# memcg's OOM report names each node's instance with its own objects.
# Needs two nodes with both CPUs and memory, and taskset; skips
# otherwise, and on a kernel without shrinker instances.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
EAT=$DIR/node_eat
CG=/sys/fs/cgroup
T=$CG/shrinker_numa
TR=/sys/kernel/tracing
SHM=/tmp/numa-shm
EV=$TR/events/shrinker
. "$DIR/shrinker_lib.sh"

NTESTS=7

cleanup() {
	umount "$SHM" 2>/dev/null
	rmdir "$SHM" 2>/dev/null
	destroy_test pn gn rp on
	[ -d "$EV" ] && echo 0 >"$EV/enable" 2>/dev/null
	trace_buf_restore
	trace_cmd_restore
	trim_restore
	rmmod shrinker_test 2>/dev/null
}

require_instances
# shellcheck disable=SC2046
set -- $(cpu_mem_nodes)
if [ $# -lt 2 ] || ! command -v taskset >/dev/null 2>&1 || [ ! -x "$EAT" ]; then
	echo "1..0 # SKIP needs two nodes with CPUs and memory, taskset and $EAT"
	exit $KSFT_SKIP
fi
na=$1
nb=$2
cpu_a=$(sed 's/[-,].*//' /sys/devices/system/node/node"$na"/cpulist)
cpu_b=$(sed 's/[-,].*//' /sys/devices/system/node/node"$nb"/cpulist)
echo "1..$NTESTS"
setup_test

# No trim without pressure while the test reads the instances: what
# scans them is the node's reclaim alone.
trim_off

# pid_of COMM: the first task named COMM
pid_of() {
	for _f in /proc/[0-9]*/comm; do
		if [ "$(cat "$_f" 2>/dev/null)" = "$1" ]; then
			_d=${_f%/comm}
			echo "${_d#/proc/}"
			return
		fi
	done
}

# memcg_freed MEMCG_INO [NID]: what every shrinker's instances of that
# memcg (on NID only, if given) ever freed
memcg_freed() {
	cat "$SDBG"/*/instances 2>/dev/null | awk -v m="$1" -v n="${2:-}" '
		$1 == "memcg" { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == m && (n == "" || $2 == n) { s += $c["freed"] }
		END { print s + 0 }'
}

# freed_stat MEMCG_DIR MEMCG_INO: once what the memcg's instances freed
# holds still for 3 s (kswapd may still be at work), wait up to 10 s more
# for memory.stat's shrinker_freed to equal it, the instances read again
# each time: a memcg's counters reach memory.stat at the next flush,
# every 2 s.  Both count from the memcg's birth.  Sets sf (memory.stat)
# and fr (the instances); fails if the instances never held still.
freed_stat() {
	_n=0
	fr=$(memcg_freed "$2")
	while :; do
		sleep 3
		_f=$(memcg_freed "$2")
		[ "$_f" = "$fr" ] && break
		fr=$_f
		_n=$((_n + 1))
		[ $_n -lt 5 ] || return 1
	done
	_n=0
	while :; do
		sf=$(memstat "$1" shrinker_freed)
		_f=$(memcg_freed "$2")
		[ "$sf" = "$fr" ] && [ "$_f" = "$fr" ] && break
		fr=$_f
		[ $_n -lt 10 ] || break
		sleep 1
		_n=$((_n + 1))
	done
}

# freed_check NAME MEMCG_DIR MEMCG_INO A: freed_stat's two figures must be
# equal, node B's instances must have freed something, and node A's
# nothing (A "0") or something (A "+"), or the load missed a node.
freed_check() {
	if ! freed_stat "$2" "$3"; then
		fail "$1 (the instances kept freeing for 15 s)" "instances freed $fr"
		return
	fi
	_fa=$(memcg_freed "$3" "$na")
	_fb=$(memcg_freed "$3" "$nb")
	_why="memory.stat shrinker_freed $sf; its instances freed $fr:"
	_why="$_why $_fa on node $na, $_fb on node $nb"
	if [ "$_fb" -le 0 ] || { [ "$4" = + ] && [ "$_fa" -le 0 ]; }; then
		fail "$1 (the reclaim missed a node)" "$_why"
	elif [ "$4" = 0 ] && [ "$_fa" != 0 ]; then
		fail "$1 ($_why)" "node $na's instances freed, under node $nb's pressure"
	else
		check "$1 ($_why)" test "$sf" = "$fr"
	fi
}

node_free_mib() {
	awk '$3 == "MemFree:" { print int($4 / 1024) }' \
		/sys/devices/system/node/node"$1"/meminfo
}

# 1-3: pressure on node B.  Each cache holds 32 MiB on each node, a
# memcg-aware one in a memcg and a global one; a task bound to node B
# then touches node B's free memory and 8 MiB more, so node B's reclaim
# (its kswapd, or the task's direct reclaim) must free that much there.
# Node A's instances must not be scanned, and keep every object; node
# B's must be, or the pressure did not reach the caches and nothing is
# judged.
N=32768
mkdir "$T/iso"
m=$(ino "$T/iso")
echo 0 >"$T/iso/memory.shrinker.trim"
echo "pn memcg numa objsize=1024" >"$DBG/create"
echo "gn numa objsize=1024" >"$DBG/create"
for cpu in "$cpu_a" "$cpu_b"; do
	in_memcg_on "$cpu" "$T/iso" sh -c "echo $N >$DBG/pn/alloc"
	taskset -c "$cpu" sh -c "echo $N >$DBG/gn/alloc"
done
# the global cache's instances are its own, shown under no memcg
r=$(awk 'NR == 2 { print $1 }' "$(sdir gn)/instances")
pa0=$(inst_on pn "$m" "$na" count)
ga0=$(inst_on gn "$r" "$na" count)
pb0=$(inst_on pn "$m" "$nb" count)
gb0=$(inst_on gn "$r" "$nb" count)

kswapd_a=$(pid_of "kswapd$na")
kswapd_b=$(pid_of "kswapd$nb")
# every shrinker event, in a buffer the run does not overflow (checked)
traced=0
if [ -d "$EV" ] && [ -n "$kswapd_a" ] && [ -n "$kswapd_b" ]; then
	trace_no_cmd
	trace_buf_grow 4096
	echo >"$TR/trace"
	echo 1 >"$EV/enable" && traced=1
fi
# The eater is the OOM killer's first choice if node B runs out.  Memory
# freed after MemFree is read (a memcg freed after RCU, say) can leave
# node B above its watermarks: then another eater, 8 MiB hungrier, up to 3.
eaters=""
tries=0
while [ $tries -lt 3 ]; do
	tries=$((tries + 1))
	mib=$(($(node_free_mib "$nb") + 8 * tries))
	sh -c 'echo 1000 >/proc/self/oom_score_adj && exec "$0" "$@"' "$EAT" "$nb" "$mib" &
	eater=$!
	wait $eater
	erc=$?
	eaters="$eaters $eater"
	if [ "$(inst_on pn "$m" "$nb" scanned)" -gt 0 ] ||
	   [ "$(inst_on gn "$r" "$nb" scanned)" -gt 0 ]; then
		break
	fi
done
[ $traced = 1 ] && echo 0 >"$EV/enable"

pa=$(inst_on pn "$m" "$na" count)
ga=$(inst_on gn "$r" "$na" count)
pb=$(inst_on pn "$m" "$nb" count)
gb=$(inst_on gn "$r" "$nb" count)
psa=$(inst_on pn "$m" "$na" scanned)
gsa=$(inst_on gn "$r" "$na" scanned)
psb=$(inst_on pn "$m" "$nb" scanned)
gsb=$(inst_on gn "$r" "$nb" scanned)
# queue_of CACHE MEMCG NID: work ever queued on, held by or drained from
# that instance
queue_of() {
	_q=$(inst_on "$1" "$2" "$3" deferred)
	_e=$(inst_on "$1" "$2" "$3" enqueued)
	_d=$(inst_on "$1" "$2" "$3" drained)
	# no instance at all: "x", which fails the test, not the shell
	if [ -n "$_q" ] && [ -n "$_e" ] && [ -n "$_d" ]; then
		echo $((_q + _e + _d))
	else
		echo x
	fi
}
pqa=$(queue_of pn "$m" "$na")
gqa=$(queue_of gn "$r" "$na")
load="$tries eaters on node $nb, the last of $mib MiB: exit $erc"

# isolated NAME A0 A SCANNED_A QUEUED_A SCANNED_B B0 B: judge one cache.
# Node A scanned, queued or short of an object fails whatever the eater
# did.  Else the load must have reached node B's instance: the eater ran
# to its end, or the OOM killer took it (SIGKILL, as it should when node
# B has nothing left to give; the pressure ran either way).
isolated() {
	why="$load; node $na: $2 -> $3 objects, scanned $4, queued $5;"
	why="$why node $nb: $7 -> $8, scanned $6"
	if [ "${4:-x}" != 0 ] || [ "${5:-x}" != 0 ] || [ "$3" != "$2" ] ||
	   [ "${2:-0}" -lt $((N * 9 / 10)) ]; then
		fail "$1" "$why"
	elif { [ "$erc" != 0 ] && [ "$erc" != 137 ]; } || [ "${6:-0}" -eq 0 ]; then
		fail "$1 (the eater failed, or its pressure missed node $nb's instance)" "$why"
	else
		ok "$1"
	fi
}
isolated "node $nb's reclaim leaves node $na's objects of a memcg-aware cache alone" \
	"$pa0" "$pa" "$psa" "$pqa" "$psb" "$pb0" "$pb"
isolated "node $nb's reclaim leaves node $na's objects of a global cache alone" \
	"$ga0" "$ga" "$gsa" "$gqa" "$gsb" "$gb0" "$gb"

# 3: the same from the tracepoints, every shrinker event of the test
# caches (scans, skips, backoffs, queueing, draining; the module's
# callbacks, "[shrinker_test]"): none on node A's instances, none by node
# A's kswapd, and node B's kswapd and the bound tasks scan node B's only.
# Tasks are told by pid.  A buffer that overflowed may have lost node A's
# events: that fails too.  Node B's kswapd does all the scanning here as
# a rule (the eaters' direct reclaim scanned no test cache in any of the
# 6 runs that counted it apart, docs/runs/20261204T-numa-isolation): the
# name claims no more than node B's reclaim, whichever task runs it.
name3="node $nb's reclaim scans node $nb's instances only, node $na's kswapd none"
if [ $traced = 1 ]; then
	lost=$(cat "$TR"/per_cpu/cpu*/stats 2>/dev/null |
		awk '$1 == "overrun:" { s += $2 } END { print s + 0 }')
	res=$(awk -v ka="$kswapd_a" -v kb="$kswapd_b" -v e="$eaters " -v na="$na" -v nb="$nb" '
		/ shrinker_[a-z_]+: / && /\[shrinker_test\]/ {
			pid = ""
			for (i = 1; i <= NF; i++)
				if ($i ~ /^\[[0-9]+\]$/) { pid = $(i - 1); break }
			sub(/.*-/, "", pid)
			nid = ""
			for (i = 1; i <= NF; i++)
				if ($i ~ /^nid=/) { nid = substr($i, 5) }
			n++
			if (nid == na) bad_node++
			if (pid == ka) bad_ka++
			if (!/ shrinker_instance_scan: /)
				next
			eater = index(e, " " pid " ") > 0
			if ((pid == kb || eater) && nid != nb) bad_b++
			if (pid == kb && nid == nb) kswapd++
			if (eater && nid == nb) direct++
		}
		END { printf "%d %d %d %d %d %d\n", n, bad_node, bad_ka, bad_b, kswapd, direct }' \
		"$TR/trace")
	# shellcheck disable=SC2086
	set -- $res
	why="$1 events of the test caches: $2 on node $na, $3 by kswapd$na,"
	why="$why $4 scans by node $nb's reclaim elsewhere; on node $nb $5 scans by"
	why="$why kswapd$nb, $6 by the eaters; $lost events lost"
	if [ $(($5 + $6)) -eq 0 ]; then
		fail "$name3 (none seen)" "$why"
	else
		check "$name3 ($why)" test "$2" = 0 -a "$3" = 0 -a "$4" = 0 -a "$lost" = 0
	fi
else
	ok "$name3 # SKIP no shrinker events or no kswapd pids"
fi

# 4: memory.stat counts what the memcg's instances freed on node B, under
# its reclaim above: the memcg's shrinker_freed equals the frees of its
# instances summed over every cache, and none of them are node A's.
freed_check "memory.stat counts the frees of a memcg's instances on the node under pressure" \
	"$T/iso" "$m" 0
echo pn >"$DBG/destroy"
echo gn >"$DBG/destroy"
rmdir "$T/iso"

# 5-6: memory.stat counts what a memcg's instances freed on both nodes,
# and rmdir hands every node's instance to the parent's on that node,
# nothing lost and nothing moved across nodes: the objects (list_lru's
# reparenting) and the counters of each (the instances').  The child's
# reclaim scans both nodes first, or there is nothing to tell apart.
mkdir -p "$T/p"
echo +memory >"$T/p/cgroup.subtree_control"
mkdir "$T/p/c"
echo 0 >"$T/p/memory.shrinker.trim"
echo 0 >"$T/p/c/memory.shrinker.trim"
pi=$(ino "$T/p")
ci=$(ino "$T/p/c")
echo "rp memcg numa objsize=1024" >"$DBG/create"
in_memcg_on "$cpu_a" "$T/p/c" sh -c "echo 2000 >$DBG/rp/alloc"
in_memcg_on "$cpu_b" "$T/p/c" sh -c "echo 1400 >$DBG/rp/alloc"
echo 2M >"$T/p/c/memory.reclaim" 2>/dev/null
freed_check "memory.stat counts the frees of a memcg's instances on both nodes" \
	"$T/p/c" "$ci" +
ca=$(inst_on rp "$ci" "$na" count)
cb=$(inst_on rp "$ci" "$nb" count)
sa=$(inst_on rp "$ci" "$na" scanned)
sb=$(inst_on rp "$ci" "$nb" scanned)
rmdir "$T/p/c"
# offlining follows rmdir asynchronously, and list_lru hands the
# objects over before the instances are merged: wait for all of it
i=0
while [ "$(inst_on rp "$pi" "$na" count) $(inst_on rp "$pi" "$nb" count)" != "$ca $cb" ] ||
      [ "$(inst_on rp "$pi" "$na" scanned) $(inst_on rp "$pi" "$nb" scanned)" != "$sa $sb" ]; do
	[ $i -lt 50 ] || break
	sleep 0.1
	i=$((i + 1))
done
pa=$(inst_on rp "$pi" "$na" count)
pb=$(inst_on rp "$pi" "$nb" count)
psa=$(inst_on rp "$pi" "$na" scanned)
psb=$(inst_on rp "$pi" "$nb" scanned)
why="child: node $na '$ca' scanned '$sa', node $nb '$cb' scanned '$sb';"
why="$why parent after rmdir: node $na '$pa' scanned '$psa', node $nb '$pb' scanned '$psb'"
name6="rmdir hands each node's instance to the parent's on that node"
if [ "${sa:-0}" -eq 0 ] || [ "${sb:-0}" -eq 0 ]; then
	fail "$name6 (the child's reclaim missed a node)" "$why"
else
	check "$name6 ($why)" \
		test "$pa" = "$ca" -a "$pb" = "$cb" -a "$psa" = "$sa" -a "$psb" = "$sb"
fi
echo rp >"$DBG/destroy"
rmdir "$T/p"

# 7: a memcg's OOM report names each node's instance with that node's
# objects.  A cache that refuses every scan holds 3000 objects on node A
# and 1500 on node B (12 and 6 MiB: the memcg's largest) in a 64M memcg,
# and shmem (no swap: unreclaimable) fills the rest until the OOM killer
# takes the writer.
mkdir -p "$T/oom" "$SHM"
o=$(ino "$T/oom")
echo 64M >"$T/oom/memory.max"
echo 0 >"$T/oom/memory.swap.max" 2>/dev/null
echo 0 >"$T/oom/memory.shrinker.trim"
echo "on memcg numa objsize=4096" >"$DBG/create"
echo 1000000 >"$DBG/on/fail_next"
in_memcg_on "$cpu_a" "$T/oom" sh -c "echo 3000 >$DBG/on/alloc"
in_memcg_on "$cpu_b" "$T/oom" sh -c "echo 1500 >$DBG/on/alloc"
oa=$(inst_on on "$o" "$na" count)
ob=$(inst_on on "$o" "$nb" count)
mount -t tmpfs none "$SHM"
# the report is read after a mark: the log is not cleared, as the
# guest's record of it is taken at the end
mark="shrinker_numa: OOM report test $$ $(cut -d' ' -f1 /proc/uptime)"
echo "$mark" >/dev/kmsg
in_memcg_on "$cpu_a" "$T/oom" dd if=/dev/zero of="$SHM/f" bs=1M count=128 2>/dev/null
kills=$(awk '$1 == "oom_kill" { print $2 }' "$T/oom/memory.events")
oa1=$(inst_on on "$o" "$na" count)
ob1=$(inst_on on "$o" "$nb" count)
# the first report's lines for this cache: "nid=N count=C"
report=$(dmesg | awk -v m="$mark" 'index($0, m) { on = 1 } on' |
	sed -n '/Shrinker instances/,/Tasks state/p' | grep -v "Tasks state")
seen=$(echo "$report" | awk -v m="memcg=$o" '
	/Shrinker instances/ { r++ }
	r == 1 && / shrinker_test-on / && index($0, " " m " ") {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^(nid|count)=/) printf "%s ", $i
	}')
want="nid=$na count=$oa nid=$nb count=$ob "
want2="nid=$nb count=$ob nid=$na count=$oa "
why="$kills kills; node $na held $oa -> $oa1 objects, node $nb $ob -> $ob1; reported: '$seen'"
name7="a memcg's OOM report names each node's instance with that node's objects"
if [ "${kills:-0}" -lt 1 ] || [ "$oa" != "$oa1" ] || [ "$ob" != "$ob1" ] ||
   [ "${oa:-0}" -lt 2900 ] || [ "${ob:-0}" -lt 1400 ]; then
	fail "$name7 (no OOM kill, or the objects were not where the test put them)" \
		"$why" "$report"
elif [ "$seen" = "$want" ] || [ "$seen" = "$want2" ]; then
	ok "$name7 ($why)"
	printf '%s\n' "$report" | sed 's/^/# /'
else
	fail "$name7" "$why" "$report"
fi
rm -f "$SHM/f"
umount "$SHM"
rmdir "$SHM"
echo on >"$DBG/destroy"
rmdir "$T/oom"
rmdir "$T"

[ "$nfail" = 0 ]
