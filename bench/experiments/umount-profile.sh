#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where the umount time of review I-2 goes: an ext4 with a file from each
# of N memcgs (scale's shared mount), unmounted under kprobe and kretprobe
# events on the steps of deactivate_locked_super().  Each round prints
# the umount's wall time and, per probed function, its calls and total
# time.  A function that does not exist on the kernel (base lacks the
# instance code) or cannot be probed is named and left out.  A by-hand
# guest plan for both kernels, not a bench scenario:
#   scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/umount-profile.sh OUTDIR build/patched/extra
. /wb/bench/lib.sh
N=${N:-4000}
ROUNDS=${ROUNDS:-3}
T=$TRACE
FUNCS="deactivate_locked_super shrinker_free generic_shutdown_super
sync_filesystem evict_inodes shrink_dcache_for_umount list_lru_destroy
ext4_put_super jbd2_journal_destroy kill_block_super synchronize_rcu
rcu_barrier shrinker_instances_release shrinker_debugfs_remove
debugfs_remove"
# shellcheck disable=SC2086
probe_pairs um $FUNCS
m=$(memcg_siblings um "$N") || { echo "EXP cannot make the memcgs"; exit 1; }
r=0
while [ $r -lt "$ROUNDS" ]; do
	d=$(bench_ext4_disk um) || { echo "EXP no scratch ext4"; exit 1; }
	i=0
	while [ $i -lt "$N" ]; do
		in_memcg $m/c$i sh -c "echo x >$d/f$i"
		i=$((i + 1))
	done
	files=$(find "$d" -name 'f*' -type f | wc -l)
	sync
	fsfreeze --freeze "$d" && fsfreeze --unfreeze "$d"
	n1=$(bench_instances)
	echo >$T/trace
	echo 1 >$T/events/um/enable
	t0=$(now_ns)
	umount "$d"
	t1=$(now_ns)
	echo 0 >$T/events/um/enable
	echo "EXP round $r: files $files, umount $(((t1 - t0) / 1000)) us," \
		"instances $n1 before, $(bench_instances) after"
	probe_times $T/trace "EXP round $r"
	r=$((r + 1))
done
echo "EXP $ROUNDS rounds done"
