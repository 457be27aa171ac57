#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What shrinker instances cost in memory: the shrinker_instance slab
# cache at boot and after MEMCGS memcgs (default 200) each created one
# file on the root filesystem, one instance each for its superblock.  A
# by-hand guest plan for the patched kernel:
#   scripts/run-guest.sh build/patched/obj/arch/x86/boot/bzImage \
#     bench/experiments/instance-slab.sh OUTDIR build/patched/extra
#   cat OUTDIR/results/instance-slab.txt
MEMCGS=${MEMCGS:-200}
CG=/sys/fs/cgroup/instance-slab
D=/instance-slab.d
S=/sys/kernel/slab/shrinker_instance
R=/results/instance-slab.txt

instances() {
	awk '$1 == "instances" { print $2 }' /sys/kernel/debug/shrinker/stats
}

slab() {
	echo "$1: instances $(instances), slabs $(cut -d' ' -f1 $S/slabs)," \
		"$(cut -d' ' -f1 $S/slab_size) bytes a slot," \
		"$(cut -d' ' -f1 $S/order) order"
}

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
if [ ! -d $S ]; then
	echo "instance-slab: no $S (not a patched kernel, or no SLUB sysfs)" >$R
	exit 1
fi
slab boot >$R
mkdir -p $CG $D
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
echo +memory >$CG/cgroup.subtree_control
i=0
while [ $i -lt "$MEMCGS" ]; do
	mkdir $CG/c$i
	sh -c "echo \$\$ >$CG/c$i/cgroup.procs; touch $D/f$i"
	i=$((i + 1))
done
slab "$MEMCGS memcgs" >>$R
