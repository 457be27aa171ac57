#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shrinker instances on a machine of several NUMA nodes: reclaim of one
# node (under the pressure of a task bound to it) scans that node's
# instances and leaves every other node's objects alone, and
# a memcg's rmdir hands each node's instance to the parent's on the same
# node.  Needs two nodes with both CPUs and memory, and taskset; skips
# otherwise, and on a kernel without shrinker instances.

DIR=$(cd "$(dirname "$0")" && pwd)
MOD=${SHRINKER_TEST_KO:-$DIR/shrinker_test.ko}
DBG=/sys/kernel/debug/shrinker_test
EAT=$DIR/node_eat
CG=/sys/fs/cgroup
T=$CG/shrinker_numa
TRIM=/sys/module/shrinker/parameters/trim
TR=/sys/kernel/tracing
EV=$TR/events/shrinker
. "$DIR/shrinker_lib.sh"

NTESTS=4

cleanup() {
	destroy_test pn gn rp
	[ -d "$EV" ] && echo 0 >"$EV/enable" 2>/dev/null
	[ -n "${buf0:-}" ] && echo "$buf0" >"$TR/buffer_size_kb"
	trace_cmd_restore
	[ -n "${trim0:-}" ] && echo "$trim0" >"$TRIM"
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
if [ -w "$TRIM" ]; then
	trim0=$(cat "$TRIM")
	echo N >"$TRIM"
else
	echo "# no $TRIM: caches above high may be trimmed during the test"
fi

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
	# "1410 (expanded: 1410)" before the buffer is first used
	buf0=$(awk '{ print $1; exit }' "$TR/buffer_size_kb")
	echo 4096 >"$TR/buffer_size_kb"
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
echo pn >"$DBG/destroy"
echo gn >"$DBG/destroy"
rmdir "$T/iso"

# 4: rmdir hands every node's instance to the parent's on that node,
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
name4="rmdir hands each node's instance to the parent's on that node"
if [ "${sa:-0}" -eq 0 ] || [ "${sb:-0}" -eq 0 ]; then
	fail "$name4 (the child's reclaim missed a node)" "$why"
else
	check "$name4 ($why)" \
		test "$pa" = "$ca" -a "$pb" = "$cb" -a "$psa" = "$sa" -a "$psb" = "$sb"
fi
echo rp >"$DBG/destroy"
rmdir "$T/p"
rmdir "$T"

[ "$nfail" = 0 ]
