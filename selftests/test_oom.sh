#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The OOM peers of LTP's oom01 and oom03, for kernels with and without
# shrinker instances alike: a task that eats anonymous memory is killed by
# the OOM killer under overcommit_memory 0 and 1, gets ENOMEM under
# strict overcommit (2), and is killed inside a memcg at its memory.max,
# with the kill counted in memory.events.  The kernel keeps working after
# each.  OOM_TIMEOUT bounds one eater (default 300 s); it fails the test
# rather than hanging the run.

DIR=$(cd "$(dirname "$0")" && pwd)
EAT=$DIR/oom_eat
CG=/sys/fs/cgroup
T=$CG/shrinker_oom
LIMIT=${OOM_TIMEOUT:-300}
. "$DIR/shrinker_lib.sh"

vmstat() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# KiB of free pages held on the per-CPU lists of every zone: MemAvailable
# leaves them out, and an eater's gigabytes, freed at its death, refill
# those lists towards their high marks (72 to 207 MiB more in the boots
# of docs/runs/20261204T-numa-report, one node and two, base 6.12
# included).
PAGE_KIB=$(awk '$1 == "KernelPageSize:" { print $2; exit }' /proc/self/smaps 2>/dev/null)
pcp_kib() {
	awk -v k="$PAGE_KIB" '$1 == "count:" { s += $2 } END { print s * k }' /proc/zoneinfo
}

oc0=$(cat /proc/sys/vm/overcommit_memory)
cleanup() {
	echo "$oc0" >/proc/sys/vm/overcommit_memory
	rmdir "$T" 2>/dev/null
}

require_root
if [ -z "$PAGE_KIB" ]; then
	echo "Bail out! no KernelPageSize in /proc/self/smaps to count per-CPU free pages"
	exit 1
fi
if [ ! -x "$EAT" ]; then
	echo "1..0 # SKIP no $EAT (build the selftests)"
	exit $KSFT_SKIP
fi
echo "1..5"
trap cleanup EXIT
cleanup
echo 3 >/proc/sys/vm/drop_caches
avail0=$(meminfo MemAvailable)
pcp0=$(pcp_kib)
ram=$(($(meminfo MemTotal) / 1024))
# Four times RAM: no kernel can give it, and with no swap only a kill or
# ENOMEM ends the eater before OOM_TIMEOUT does.
want=$((ram * 4))

# eat MIB [memcg]: run one eater, oom_score_adj 1000 so that it and not
# the harness is the victim; sets rc, secs and out.
eat() {
	t0=$(cut -d. -f1 /proc/uptime)
	if [ -n "$2" ]; then
		out=$(in_memcg "$2" timeout -s KILL "$LIMIT" "$EAT" "$1" 1000 2>&1)
	else
		out=$(timeout -s KILL "$LIMIT" "$EAT" "$1" 1000 2>&1)
	fi
	rc=$?
	secs=$(($(cut -d. -f1 /proc/uptime) - t0))
}

# oom01: overcommit_memory 0 (heuristic) and 1 (always): the OOM killer.
for oc in 0 1; do
	echo "$oc" >/proc/sys/vm/overcommit_memory
	k0=$(vmstat oom_kill)
	eat "$want"
	kills=$(($(vmstat oom_kill) - k0))
	check "overcommit_memory=$oc: the eater is OOM-killed ($rc, $kills kills, ${secs}s)" \
		test "$rc" = 137 -a "$kills" -ge 1 -a "$secs" -lt "$LIMIT"
done

# oom01: overcommit_memory 2 (strict): ENOMEM, nobody killed.
echo 2 >/proc/sys/vm/overcommit_memory
k0=$(vmstat oom_kill)
eat "$want"
kills=$(($(vmstat oom_kill) - k0))
check "overcommit_memory=2: the eater gets ENOMEM ($out, status $rc, $kills kills)" \
	test "$rc" = 2 -a "$kills" = 0
echo "$oc0" >/proc/sys/vm/overcommit_memory

# oom03: a memcg at its memory.max kills the eater, counted once.
echo +memory >"$CG/cgroup.subtree_control"
mkdir -p "$T"
echo 64M >"$T/memory.max"
echo 0 >"$T/memory.swap.max" 2>/dev/null
eat 512 "$T"
events=$(awk '$1 == "oom_kill" { print $2 }' "$T/memory.events")
check "memory.max=64M: the eater is OOM-killed in its memcg ($rc, oom_kill $events, ${secs}s)" \
	test "$rc" = 137 -a "$events" = 1

# After all of that the memory is back and the memcg goes: what is
# available, free pages on the per-CPU lists included, is at least 95%
# of before.  MemAvailable alone fell by as much as the lists grew, in
# every boot that read both (review R-7).
i=0
while [ -n "$(cat "$T/cgroup.procs")" ] && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
rmdir "$T"
gone=$?
echo 3 >/proc/sys/vm/drop_caches
avail=$(meminfo MemAvailable)
pcp=$(pcp_kib)
why="$avail KiB available and $pcp on per-CPU lists, $avail0 and $pcp0 before"
check "the memory comes back ($why) and the memcg goes" \
	test "$gone" = 0 -a "$(((avail + pcp) * 20))" -ge "$(((avail0 + pcp0) * 19))"

[ "$nfail" = 0 ]
