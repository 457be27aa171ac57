#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# XFS inodes: Chinner's case.  Empty files are created on XFS inside a
# memcg whose limit is a fraction of the inodes they leave cached.  Most
# of that memory is XFS inodes that the VFS has let go but that are still
# dirty or pinned in the log: XFS pushes the AIL and frees them a little
# later.  Does reclaim wait for that (patched: the instance reports them
# in flight) or OOM-kill the creator, and what does the creator stall?
# Params: FILES, XFS_MAX (memory.max), ROUNDS (creators run one after
# another, each in a fresh directory), XFS_DEV.
. /wb/bench/lib.sh

FILES=${FILES:-$(bench_n 10000 40000 80000)}
XFS_MAX=${XFS_MAX:-16M}
ROUNDS=${ROUNDS:-3}
W=/scratch/xfs
# The guest's empty scratch disk (run-guest.sh): a loop file would charge
# the log's IO to the memcg under test.  No -f: never over a filesystem.
DEV=${XFS_DEV:-/dev/vdb}
if ! grep -qw xfs /proc/filesystems || ! command -v mkfs.xfs >/dev/null; then
	echo "xfs_inodes: no XFS in this kernel or no mkfs.xfs" >&2
	exit 1
fi
mkdir -p "$W/mnt"
mkfs.xfs -q "$DEV" >/dev/null || exit 1
mount "$DEV" "$W/mnt" || exit 1
m=$(bench_memcg xfs_inodes "$XFS_MAX")
echo 0 >"$m/memory.swap.max" 2>/dev/null

# The xfs superblock instance's in-flight report, where the kernel has one.
xfs_inflight() {
	for d in /sys/kernel/debug/shrinker/sb-xfs:*; do
		[ -f "$d/instances" ] || continue
		awk -v m="$(stat -c %i "$m")" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$1 == m && $2 == 0 { print $c["inflight"], $c["backoffs"]; exit }' \
			"$d/instances"
	done
}

# What the memcg's superblock instance holds against the VFS's caches
# and XFS's inode states, every half second, to tell a kill's causes apart:
# uptime, dentry-state, inode-state, XFS vnode stats, the instance's line.
xfs_state() {
	printf '%s | %s | %s | %s |' "$(cut -d' ' -f1 /proc/uptime)" \
		"$(cat /proc/sys/fs/dentry-state)" "$(cat /proc/sys/fs/inode-state)" \
		"$(grep -h '^vnodes' /sys/fs/xfs/stats/stats /proc/fs/xfs/stat 2>/dev/null | head -1)"
	for d in /sys/kernel/debug/shrinker/sb-xfs:*; do
		[ -f "$d/instances" ] || continue
		awk -v m="$(stat -c %i "$m")" '$1 == m && $2 == 0 { printf " %s", $0 }' \
			"$d/instances"
	done
	echo
}

bench_sampler "$m"
(
	max=0
	head -1 /sys/kernel/debug/shrinker/sb-xfs:*/instances 2>/dev/null | tail -1 >"$OUT/xfs_state.log"
	while :; do
		xfs_state >>"$OUT/xfs_state.log"
		set -- $(xfs_inflight)
		[ -n "$1" ] && [ "$1" -gt "$max" ] && max=$1 && echo "$max" >"$OUT/inflight.max"
		[ -n "$2" ] && echo "$2" >"$OUT/backoffs"
		sleep 0.5
	done
) &
poll=$!
# XFS_TRACE=1: the shrinker's passes, drain slices and backoffs as well
traced=
if [ "${XFS_TRACE:-0}" = 1 ] && [ -d "$TRACE/events/shrinker" ]; then
	bench_trace_on shrinker/shrinker_instance_scan shrinker/shrinker_defer_drain \
		shrinker/shrinker_backoff
	traced=1
fi
as0=$(vmstat_of allocstall_normal)
t0=$(now)
made=0
r=0
while [ $r -lt "$ROUNDS" ]; do
	in_memcg "$m" sh -c "mkdir $W/mnt/r$r; i=0; while [ \$i -lt $FILES ]; do
		: >$W/mnt/r$r/f\$i || exit 1; i=\$((i + 1)); done"
	made=$((made + $(ls "$W/mnt/r$r" | wc -l)))
	r=$((r + 1))
done
t1=$(now)
[ -n "$traced" ] && bench_trace_off xfs
kill "$poll"
bench_stop_sampler

bench_metric files_made "$made" files
bench_metric files_wanted $((FILES * ROUNDS)) files
bench_metric files_per_s "$(awk -v n="$made" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')" files/s
bench_metric oom_kill "$(memcg_event "$m" oom_kill)" kills
bench_metric memory_max_events "$(memcg_event "$m" max)" events
bench_metric allocstall_normal $(($(vmstat_of allocstall_normal) - as0)) stalls
bench_metric memcg_psi_full_total_us \
	"$(awk '$1 == "full" { split($5, kv, "="); print kv[2] }' "$m/memory.pressure")" us
bench_metric xfs_inflight_max "$(cat "$OUT/inflight.max" 2>/dev/null || echo 0)" inodes
bench_metric xfs_backoffs "$(cat "$OUT/backoffs" 2>/dev/null || echo 0)" backoffs
umount "$W/mnt"
