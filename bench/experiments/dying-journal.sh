#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What keeps memcgs dying when they charged ext4 metadata blocks: 300
# dying_memcgs-style cycles, then page-cache drop, another offline, 30 s,
# slab drop.  A by-hand guest plan, not a bench scenario:
#   scripts/run-guest.sh build/KERNEL/obj/arch/x86/boot/bzImage \
#     bench/experiments/dying-journal.sh OUTDIR build/KERNEL/extra
CG=/sys/fs/cgroup
T=$CG/dy2
W=/var/tmp/dy2
dying() { awk '$1 == "nr_dying_descendants" { print $2 }' $T/cgroup.stat; }
echo +memory > $CG/cgroup.subtree_control
mkdir -p $T $W; echo +memory > $T/cgroup.subtree_control
i=0
while [ $i -lt 300 ]; do
	mkdir $T/c$i
	sh -c 'echo $$ > $0/cgroup.procs; d=$1/d$2; mkdir -p $d; for f in 0 1 2 3 4 5 6 7; do : >$d/f$f; done; for f in 0 1 2 3 4 5 6 7; do [ -e $d/neg$f ]; done' $T/c$i $W $i
	rmdir $T/c$i; i=$((i + 1))
done
sleep 5
echo "EXP after 5s $(dying)"
sync; echo 1 > /proc/sys/vm/drop_caches; sleep 2
echo "EXP after page cache drop $(dying)"
grep -E "^(file|file_dirty|file_writeback|slab_reclaimable) " $T/memory.stat | sed 's/^/EXP /'
# another offline anywhere re-runs the cgwb cleanup
mkdir $CG/dummy; rmdir $CG/dummy; sleep 3
echo "EXP after another offline $(dying)"
sleep 30; sync; echo 1 > /proc/sys/vm/drop_caches; mkdir $CG/dummy; rmdir $CG/dummy; sleep 3
echo "EXP after 30s, drop, another offline $(dying)"
echo 2 > /proc/sys/vm/drop_caches; sleep 2
echo "EXP after slab drop $(dying)"
