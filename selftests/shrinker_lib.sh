# SPDX-License-Identifier: GPL-2.0
#
# Shared by the shrinker selftests: TAP output, the shrinker_test module's
# files, the shrinker instances view, and running commands inside a memcg.
# Sourced; expects DBG to name the module's debugfs directory and MOD the
# module.

KSFT_SKIP=4
SDBG=/sys/kernel/debug/shrinker

ntest=0
nfail=0

ok() {
	ntest=$((ntest + 1))
	echo "ok $ntest $1"
}

fail() {
	ntest=$((ntest + 1))
	nfail=$((nfail + 1))
	echo "not ok $ntest $1"
	shift
	for l in "$@"; do
		printf '%s\n' "$l" | sed 's/^/# /'
	done
}

check() {
	name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		fail "$name" "failed: $*"
	fi
}

skip() {
	ntest=$((ntest + 1))
	echo "ok $ntest # SKIP $1"
}

# microseconds of system-wide PSI memory "full" stall so far
psi_full_us() {
	sed -n 's/^full .*total=\([0-9]*\)$/\1/p' /proc/pressure/memory
}

stat_of() {
	awk -v k="$2" '$1 == k { print $2 }' "$DBG/$1/stats"
}

# trim_off: no background trim until trim_restore, so what scans a cache
# is the test's own reclaim; says so on a kernel without the switch.
TRIM=/sys/module/shrinker/parameters/trim
trim_off() {
	if [ -w "$TRIM" ]; then
		[ -n "${trim0:-}" ] || trim0=$(cat "$TRIM")
		echo N >"$TRIM"
	else
		echo "# no $TRIM: caches above high may be trimmed during the test"
	fi
}

trim_restore() {
	if [ -n "${trim0:-}" ]; then
		echo "$trim0" >"$TRIM"
	fi
	trim0=
}

# wait_objects CACHE N SECS: wait up to SECS s for CACHE to hold at most
# N objects; prints the seconds waited
wait_objects() {
	_waited=0
	while [ "$(stat_of "$1" objects)" -gt "$2" ] && [ $_waited -lt "$3" ]; do
		sleep 1
		_waited=$((_waited + 1))
	done
	echo $_waited
}

# wait_undying DIR SECS: waits until no memcg under DIR is dying, at most
# SECS seconds; prints the seconds waited
wait_undying() {
	_waited=0
	while [ "$(dying "$1")" != 0 ] && [ $_waited -lt "$2" ]; do
		sleep 1
		_waited=$((_waited + 1))
	done
	echo $_waited
}

memstat() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"
}

# settled_slab MEMCG: its slab_reclaimable once two reads 0.2 s apart
# agree, at most 4 s: dentries and inodes go back to the slab after a
# grace period
settled_slab() {
	_left=$(memstat "$1" slab_reclaimable)
	_i=0
	while [ $_i -lt 20 ]; do
		sleep 0.2
		_now=$(memstat "$1" slab_reclaimable)
		[ "$_now" = "$_left" ] && break
		_left=$_now
		_i=$((_i + 1))
	done
	echo "$_left"
}

# reclaim_end PID: the memcg reclaim episodes PID ended in the trace and
# the bytes they reported as reclaimed: "EPISODES BYTES"
reclaim_end() {
	grep -E -- "-$1 +\[.*mm_vmscan_memcg_reclaim_end:" /sys/kernel/tracing/trace |
		sed -n 's/.*nr_reclaimed=\([0-9]*\).*/\1/p' |
		awk '{ n++; s += $1 } END { print n + 0, s * 4096 }'
}

# Run a command with its stdout and stderr as the result, status kept.
write_err() {
	(echo "$2" >"$1") 2>&1
}

# expect_einval FILE VALUE: the write fails with EINVAL.
expect_errno() {
	want=$1
	f=$2
	v=$3
	if out=$(write_err "$f" "$v"); then
		echo "write '$v' to $f succeeded"
		return 1
	fi
	case $out in
	*"$want"*) return 0 ;;
	esac
	echo "write '$v' to $f: '$out', expected '$want'"
	return 1
}

# The nodes with both CPUs and memory, in order.
cpu_mem_nodes() {
	for _d in /sys/devices/system/node/node[0-9]*; do
		[ -n "$(cat "$_d/cpulist" 2>/dev/null)" ] || continue
		awk '$3 == "MemTotal:" && $4 > 0 { f = 1 } END { exit !f }' \
			"$_d/meminfo" 2>/dev/null || continue
		echo "${_d##*node}"
	done
}

# HOME_NODE: the first node with both CPUs and memory; HOME_CPUS, its
# CPUs.  A test's objects land on the node of the CPU that makes them,
# and a memcg-aware cache has an instance on each node that holds them:
# in_memcg runs on HOME_CPUS, so a test that is not about placement finds
# its memcg's objects on one node and one instance, on any topology.
# Tests of placement pick their CPUs themselves (in_memcg_on).  Where the
# kernel shows no nodes (or there is no taskset), HOME_CPUS is empty and
# in_memcg does not pin.
HOME_NODE=$(cpu_mem_nodes | head -n 1)
HOME_CPUS=""
if [ -n "$HOME_NODE" ] && command -v taskset >/dev/null 2>&1; then
	HOME_CPUS=$(cat /sys/devices/system/node/node"$HOME_NODE"/cpulist)
fi
HOME_NODE=${HOME_NODE:-0}

# in_memcg_on CPUS MEMCG CMD...: run CMD inside MEMCG on CPUS, or
# unpinned if CPUS is empty.  taskset runs before the shell joins the
# memcg: an exec inside it would charge the path lookups it re-reads
# after a drop_caches to MEMCG, and keep it dying after rmdir.
in_memcg_on() {
	_cpus=$1
	cg=$2
	shift 2
	if [ -n "$_cpus" ]; then
		taskset -c "$_cpus" \
			sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
	else
		sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
	fi
}

# Run "$@" inside memcg $1 (a fresh shell joins it first), on HOME_CPUS.
in_memcg() {
	in_memcg_on "$HOME_CPUS" "$@"
}

# destroy_test CACHE...: destroy those test caches, then the test's
# memcgs: $T and two levels below it.
destroy_test() {
	for _c in "$@"; do
		[ -d "$DBG/$_c" ] && echo "$_c" >"$DBG/destroy" 2>/dev/null
	done
	for _d in "$T"/*/*/ "$T"/*/; do
		[ -d "$_d" ] && rmdir "$_d" 2>/dev/null
	done
	rmdir "$T" 2>/dev/null
}

# setup_test: load the test module afresh, or bail out; run cleanup at
# exit; make $T a memcg whose children have the memory controller.
setup_test() {
	rmmod shrinker_test 2>/dev/null
	insmod "$MOD" || { echo "Bail out! insmod $MOD failed"; exit 1; }
	trap cleanup EXIT
	# ash and dash run no EXIT trap on a signal: the runner's time-out
	trap 'exit 1' INT TERM HUP
	echo +memory >"$CG/cgroup.subtree_control"
	mkdir -p "$T"
	echo +memory >"$T/cgroup.subtree_control"
}

# The TAP header, and the skips every shrinker test shares: it needs root
# and the test module.
require_root() {
	echo "TAP version 13"
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP needs root"
		exit $KSFT_SKIP
	fi
}

require_module() {
	require_root
	if [ ! -f "$MOD" ]; then
		echo "1..0 # SKIP no test module at $MOD (build test_module/)"
		exit $KSFT_SKIP
	fi
}

# ...and, for tests of shrinker instances, a kernel that has them.
require_instances() {
	require_module
	if [ ! -f "$SDBG/stats" ]; then
		echo "1..0 # SKIP this kernel has no shrinker instances"
		exit $KSFT_SKIP
	fi
}

# Enabling a trace event while options/record-cmd is set also hooks
# sched_switch and sched_wakeup to record task names, patching static
# keys in __schedule() and ttwu_do_activate() as the other vCPU runs
# them; multi-threaded TCG then ran a stale int3 there, in test_xfs.sh,
# three times in two make check runs (docs/workbench.md).  The tests
# find tasks by pid, not by name.  trace_cmd_restore puts it back.
TRACE_OPT_CMD=/sys/kernel/tracing/options/record-cmd
trace_no_cmd() {
	[ -f "$TRACE_OPT_CMD" ] || return 0
	[ -n "${TRACE_CMD0:-}" ] || TRACE_CMD0=$(cat "$TRACE_OPT_CMD")
	echo 0 >"$TRACE_OPT_CMD"
}

trace_cmd_restore() {
	[ -n "${TRACE_CMD0:-}" ] && echo "$TRACE_CMD0" >"$TRACE_OPT_CMD"
	return 0
}

# trace_buf_grow KB: a per-CPU trace buffer of KB KiB; trace_buf_restore
# puts back the size before the first call.  A buffer not used yet reads
# "N (expanded: M)", M being the size it takes when used: M is kept.
TRACE_BUF_KB=/sys/kernel/tracing/buffer_size_kb
trace_buf_grow() {
	[ -n "${TRACE_BUF0:-}" ] ||
		TRACE_BUF0=$(sed 's/.*expanded: \([0-9]*\).*/\1/' "$TRACE_BUF_KB")
	echo "$1" >"$TRACE_BUF_KB"
}

trace_buf_restore() {
	[ -n "${TRACE_BUF0:-}" ] && echo "$TRACE_BUF0" >"$TRACE_BUF_KB"
	return 0
}

# inst_trace_on: trace kmem_cache_alloc at a shrinker instance's size,
# from an empty buffer; fails, tracing nothing, without the instance
# cache or the event.  inst_trace_off stops it.
inst_trace_on() {
	EV_ALLOC=/sys/kernel/tracing/events/kmem/kmem_cache_alloc
	sz=$(cat /sys/kernel/slab/shrinker_instance/object_size 2>/dev/null)
	[ -n "$sz" ] && [ -d "$EV_ALLOC" ] || return 1
	trace_no_cmd
	echo >/sys/kernel/tracing/trace
	echo "bytes_req == $sz" >"$EV_ALLOC/filter"
	echo 1 >"$EV_ALLOC/enable"
}

inst_trace_off() {
	echo 0 >"$EV_ALLOC/enable"
	echo 0 >"$EV_ALLOC/filter"
}

ino() {
	stat -c %i "$1"
}

# mounted DEV: is block device DEV (its real path) mounted anywhere?
mounted() {
	awk -v d="$1" '$1 == d { f = 1 } END { exit !f }' /proc/mounts
}

# The scratch disk is handed from test to test empty: its first MiB all
# zeros.  scratch_empty DEV: is it?  scratch_erase DEV: make it so again,
# for a filesystem the test made, once nothing has DEV mounted.
scratch_empty() {
	[ "$(dd if="$1" bs=64k count=16 2>/dev/null | tr -d '\000' | wc -c)" = 0 ]
}

scratch_erase() {
	mounted "$1" || dd if=/dev/zero of="$1" bs=1M count=1 2>/dev/null
}

# The shrinker debugfs directory of test cache $1.
sdir() {
	for d in "$SDBG"/shrinker_test-"$1"-*; do
		[ -d "$d" ] && echo "$d" && return
	done
}

# inst CACHE MEMCG_INO FIELD: FIELD of the cache in that memcg, by the
# header's column names; empty if it has no instance there.  The test's
# objects land on the node of the CPU that made them, so a memcg may have
# an instance on each node: an amount (count, bytes, queued work, a
# lifetime counter) is summed over them, a state (watermarks, backoff,
# cost) is that of the instance holding the most objects.  On one node,
# node 0's instance.
inst() {
	awk -v m="$2" -v f="$3" '
		BEGIN { n = split("count bytes deferred aged inflight scanned freed " \
				  "backoffs enqueued drained", a, " ")
			for (i = 1; i <= n; i++) sum[a[i]] = 1 }
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == m { k = $c["count"] + 0
			if (f in sum) v += $c[f]
			else if (!seen || k > best) { best = k; v = $c[f] }
			seen = 1 }
		END { if (seen) print v }' "$(sdir "$1")/instances"
}

# inst_on CACHE MEMCG_INO NID FIELD: FIELD of the cache's instance in
# that memcg on that node; empty if there is none.
inst_on() {
	awk -v m="$2" -v n="$3" -v f="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == m && $2 == n { print $c[f] }' "$(sdir "$1")/instances"
}

# inst_sum CACHE FIELD...: the FIELDs summed over all of CACHE's instances
inst_sum() {
	_c=$1
	shift
	awk -v f="$*" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = split(f, k, " "); next }
		{ for (j = 1; j <= n; j++) s += $c[k[j]] } END { print s + 0 }' \
		"$(sdir "$_c")/instances"
}

# Dying descendants of memcg directory $1.
dying() {
	awk '$1 == "nr_dying_descendants" { print $2 }' "$1/cgroup.stat"
}

# journal_flush DIR: checkpoints the root filesystem's journal, which
# stalls its writers for the flush, drops the page cache alone and waits
# up to 10 s for the memcgs dying under DIR; sets JOURNAL_HOW to what
# was done, for a verdict.
journal_flush() {
	if _err=$("$DIR/ext4_checkpoint" / 2>&1); then
		echo 1 >/proc/sys/vm/drop_caches
		_j=$(wait_undying "$1" 10)
		JOURNAL_HOW="; $(dying "$1") after the root journal"
		JOURNAL_HOW="$JOURNAL_HOW checkpointed, page cache dropped"
		JOURNAL_HOW="$JOURNAL_HOW and ${_j}s"
	else
		JOURNAL_HOW="; no checkpoint ($_err)"
	fi
}

# journal_chance DIR: a second chance for the memcgs still dying under
# DIR, a live memcg with no tasks, files or live children of its own.
# 6.12 keeps a removed memcg while pages are charged to it.  An ext4
# metadata block that a memcg's task brought in and a transaction changed
# keeps its page, buffers attached, on the journal's checkpoint list once
# written back; the next commit drops it, but on an idle filesystem no
# commit comes, and neither drop_caches nor reclaim frees it.  So when
# memcg_pins counts such pages (buffers attached) under DIR, they get
# journal_flush().  Memcgs no such page holds get no second chance.  Prints
# memcg_pins' count as TAP comments and sets JOURNAL_HOW to what was
# done, for the verdict.
journal_chance() {
	JOURNAL_HOW=""
	if ! _pins=$("$DIR/memcg_pins" "$1" 2>&1); then
		JOURNAL_HOW="; their pages not counted"
		_pins="memcg_pins failed: $_pins"
	fi
	printf '%s\n' "$_pins" | sed 's/^/# /'
	case $_pins in
	"pages charged to $1: "*", private "[1-9]*)
		journal_flush "$1" ;;
	"pages charged to $1: "*)
		JOURNAL_HOW="; no page with buffers holds them" ;;
	esac
}

# dying_pins DIR: what may hold DIR's dying memcgs, for a failure's
# report: the pages charged to them (memcg_pins; DIR must be live with no
# tasks, files or live children of its own) and the writeback structures
# of removed memcgs (<debugfs>/bdi/*/wb_stats).  Only reads.
dying_pins() {
	"$DIR/memcg_pins" "$1" 2>&1
	[ -n "$(find "$1" -mindepth 1 -type d 2>/dev/null)" ] &&
		echo "(live children under $1: their removed descendants are not counted)"
	_live=$(find /sys/fs/cgroup -type d -exec stat -c %i {} + 2>/dev/null)
	for _f in /sys/kernel/debug/bdi/*/wb_stats; do
		[ -r "$_f" ] || continue
		awk -v live="$_live" -v bdi="${_f%/wb_stats}" '
			BEGIN { n = split(live, a); for (i = 1; i <= n; i++) l[a[i]] = 1 }
			$1 == "WbCgIno:" { show = !($2 in l)
				if (show) printf "wb of removed memcg %s on %s:", $2, bdi }
			show && NF && $1 != "WbCgIno:" { printf " %s", $0 }
			!NF { if (show) print ""; show = 0 }' "$_f" 2>&1 | tr -s ' '
	done
}

instances_total() {
	awk '$1 == "instances" { print $2 }' "$SDBG/stats"
}

# nofs_fill MEMCG CACHE N: fill MEMCG with 16 MiB of shmem (no swap:
# unreclaimable, so the cache is what reclaim has left), then allocate N
# objects of CACHE in a NOFS scope: reclaim at the limit defers work.
# Leaves /tmp/nofs.fill for the caller to remove.
nofs_fill() {
	in_memcg "$1" sh -c "dd if=/dev/zero of=/tmp/nofs.fill bs=1M count=16 2>/dev/null
		echo $3 >$DBG/$2/alloc_nofs" 2>/dev/null
}
